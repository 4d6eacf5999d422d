//! Markdown output for `$GITHUB_STEP_SUMMARY` or a pull request comment: a
//! totals table, a per-rule count table, then the findings most severe
//! first, each severity with its own share of the list so notes of one rule
//! cannot crowd out errors of another.
//!
//! Text from scanned files is escaped so a finding cannot inject HTML or
//! break the layout; code spans in our messages (`` `prisma1 deploy` ``) are
//! kept so they render as code. The output stays under [`MAX_BYTES`]
//! (GitHub takes 1 MiB per step summary) and says what it left out; the
//! SARIF output has everything.

use super::Report;
use crate::finding::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Findings listed before the rest are only counted.
pub const MAX_LISTED: usize = 200;

/// Size the summary stays under, with room to spare below GitHub's 1 MiB.
pub const MAX_BYTES: usize = 900 * 1024;

/// Rows of the per-rule table before the rest are summed up.
const MAX_RULE_ROWS: usize = 100;

/// Characters of one message shown in the list.
const MAX_MESSAGE: usize = 1_000;

const LEVELS: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];

pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(report).as_bytes())
}

// Formatting into a `String` cannot fail, hence the ignored `fmt::Result`s.
fn render(report: &Report<'_>) -> String {
    let mut s = String::from("## prisma1-lint\n\n");
    s.push_str("| Errors | Warnings | Notes | Suppressed | Files scanned |\n");
    s.push_str("|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Note),
        report.suppressed(),
        report.stats.files_scanned
    );
    let pr_mode = !report.outside_diff.is_empty();
    let by_level: Vec<Vec<&Finding>> = LEVELS
        .iter()
        .map(|l| {
            report
                .active_findings()
                .filter(|f| f.severity == *l)
                .collect()
        })
        .collect();
    let total: usize = by_level.iter().map(Vec::len).sum();
    if total == 0 && !pr_mode {
        s.push_str("No Prisma 1 Cloud dependencies were found.\n\n");
    } else if total == 0 {
        s.push_str("No new Prisma 1 Cloud dependencies on the lines this change touches.\n\n");
    }
    rule_table(report, pr_mode, &mut s);
    let shares = shares(
        &by_level.iter().map(Vec::len).collect::<Vec<_>>(),
        MAX_LISTED,
    );
    if total > 0 && pr_mode {
        s.push_str("### New on the lines this change touches\n\n");
    }
    let heading = if pr_mode { "####" } else { "###" };
    let base = report.link_base.as_deref().unwrap_or("");
    // Room for the closing lines and the problem list.
    let budget = MAX_BYTES.saturating_sub(64 * 1024);
    let mut listed = [0usize; 3];
    'levels: for (i, findings) in by_level.iter().enumerate() {
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "{heading} {} ({})\n",
            level_title(LEVELS[i]),
            findings.len()
        );
        for f in findings.iter().take(shares[i]) {
            let line = format!("- {}\n", item(f, base));
            if s.len() + line.len() > budget {
                s.push('\n');
                break 'levels;
            }
            s.push_str(&line);
            if let Some(fix) = &f.fix {
                let mut more = String::new();
                suggestion(fix, &mut more);
                if s.len() + more.len() <= budget {
                    s.push_str(&more);
                }
            }
            listed[i] += 1;
        }
        s.push('\n');
    }
    let left: Vec<String> = (0..3)
        .filter(|&i| by_level[i].len() > listed[i])
        .map(|i| plural(by_level[i].len() - listed[i], LEVELS[i].as_str()))
        .collect();
    if !left.is_empty() {
        let n: usize = (0..3).map(|i| by_level[i].len() - listed[i]).sum();
        let _ = writeln!(
            s,
            "{} not listed here ({}); see the SARIF or JSON output.\n",
            plural_is(n, "more finding"),
            left.join(", ")
        );
    }
    notes(report, &mut s);
    s
}

fn level_title(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Note => "Notes",
    }
}

/// How many of each severity to list out of `budget`: errors get half,
/// warnings 30%, notes 20%, and a share one severity does not use goes to
/// the others, most severe first.
fn shares(counts: &[usize], budget: usize) -> Vec<usize> {
    let quota = [
        budget / 2,
        budget * 3 / 10,
        budget - budget / 2 - budget * 3 / 10,
    ];
    let mut take: Vec<usize> = counts.iter().zip(quota).map(|(c, q)| (*c).min(q)).collect();
    let mut spare = budget - take.iter().sum::<usize>();
    for (t, c) in take.iter_mut().zip(counts) {
        let more = (c - *t).min(spare);
        *t += more;
        spare -= more;
    }
    take
}

/// Findings per rule, always shown in full so nothing is hidden by the cap
/// on the list; in PR mode with a column for the lines the change does not
/// touch (those are in the SARIF log for code scanning).
fn rule_table(report: &Report<'_>, pr_mode: bool, s: &mut String) {
    let mut rows: BTreeMap<&str, (Severity, usize, usize)> = BTreeMap::new();
    for f in report.active_findings() {
        let r = rows.entry(&f.rule).or_insert((f.severity, 0, 0));
        r.0 = r.0.max(f.severity);
        r.1 += 1;
    }
    for f in report
        .outside_diff
        .iter()
        .filter(|f| f.suppressed.is_none())
    {
        let r = rows.entry(&f.rule).or_insert((f.severity, 0, 0));
        r.0 = r.0.max(f.severity);
        r.2 += 1;
    }
    if rows.is_empty() {
        return;
    }
    let mut rows: Vec<(&str, (Severity, usize, usize))> = rows.into_iter().collect();
    rows.sort_by_key(|(_, (sev, _, _))| std::cmp::Reverse(*sev));
    if pr_mode {
        s.push_str("| Rule | Level | On changed lines | Elsewhere |\n|---|---|---:|---:|\n");
    } else {
        s.push_str("| Rule | Level | Findings |\n|---|---|---:|\n");
    }
    for (rule, (sev, inside, outside)) in rows.iter().take(MAX_RULE_ROWS) {
        let title = report.rules.get(rule).map_or("", |r| r.title.trim());
        let name = if title.is_empty() {
            format!("`{}`", code_text(rule))
        } else {
            format!("`{}` {}", code_text(rule), escape(title))
        };
        if pr_mode {
            let _ = writeln!(s, "| {name} | {sev} | {inside} | {outside} |");
        } else {
            let _ = writeln!(s, "| {name} | {sev} | {inside} |");
        }
    }
    if rows.len() > MAX_RULE_ROWS {
        let _ = writeln!(s, "| ... {} more rules | | | |", rows.len() - MAX_RULE_ROWS);
    }
    s.push('\n');
}

fn item(f: &Finding, base: &str) -> String {
    let loc = &f.location;
    let message: String = f.message.masked().chars().take(MAX_MESSAGE).collect();
    format!(
        "[{}:{}]({base}{}#L{}) `{}` {}",
        link_text(&crate::finding::printable(&loc.path)),
        loc.line,
        link_target(&loc.path),
        loc.line,
        code_text(&f.rule),
        inline(&message)
    )
}

/// A fix as a collapsed suggested diff under its finding. The diff is
/// masked; a fence longer than any backtick run in it keeps it closed.
fn suggestion(fix: &crate::finding::Fix, s: &mut String) {
    if fix.diff.is_empty() {
        return;
    }
    let diff = fix.diff.masked();
    let longest = diff.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(
        s,
        "  <details><summary>Suggested fix ({}): {}</summary>\n\n  {fence}diff",
        fix.applicability.as_str(),
        escape(&fix.description.masked())
    );
    // Summaries have a size limit; a long rename is seen in full with `fix --diff`.
    const MAX_DIFF_LINES: usize = 40;
    for line in diff.lines().take(MAX_DIFF_LINES) {
        let _ = writeln!(s, "  {}", crate::display::verbatim_line(line));
    }
    let more = diff.lines().count().saturating_sub(MAX_DIFF_LINES);
    if more > 0 {
        let _ = writeln!(s, "  ... {more} more lines: run `prisma1-lint fix --diff`");
    }
    let _ = writeln!(s, "  {fence}\n  </details>");
    if let Some(action) = &fix.action {
        let _ = writeln!(s, "  Then: {}", escape(&action.masked()));
    }
}

/// Problems and hidden findings, so a short report is not mistaken for a
/// complete one.
fn notes(report: &Report<'_>, s: &mut String) {
    if report.hidden > 0 {
        let _ = writeln!(
            s,
            "{} hidden by the baseline or the diff filter.\n",
            plural(report.hidden, "finding")
        );
    }
    if report.stale_baseline > 0 {
        let _ = writeln!(
            s,
            "Stale baseline entries (they match nothing and can be removed): {}.\n",
            report.stale_baseline
        );
    }
    if report.problems.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "**{} could not be read or parsed:**\n",
        plural(report.problems.len(), "file")
    );
    let mut shown = 0;
    for p in report.problems.iter().take(MAX_LISTED) {
        let message: String = p.message.chars().take(MAX_MESSAGE).collect();
        let line = format!(
            "- {}: {}\n",
            escape(&crate::finding::printable(&p.path)),
            escape(&message)
        );
        // The size cap holds for the problem list too (long paths).
        if s.len() + line.len() > MAX_BYTES - 1024 {
            break;
        }
        s.push_str(&line);
        shown += 1;
    }
    if report.problems.len() > shown {
        let _ = writeln!(s, "- ... and {} more", report.problems.len() - shown);
    }
    s.push('\n');
}

/// "1 more finding is" / "3 more findings are".
fn plural_is(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word} is")
    } else {
        format!("{n} {word}s are")
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Repository text (a path, a name, a command) as Markdown text: [`escape`],
/// and no links, images or emphasis either. The audit uses it for every
/// text of the repository.
pub(crate) fn escape_text(text: &str) -> String {
    escape_with(text, &['[', ']', '*', '_', '~'])
}

/// Repository text as a code span. In a table cell a `|` still splits the
/// row, so there it is escaped (GitHub drops the backslash).
pub(crate) fn code_span(text: &str, in_table: bool) -> String {
    let body = code_text(text);
    if in_table {
        format!("`{}`", body.replace('|', "\\|"))
    } else {
        format!("`{body}`")
    }
}

/// Escapes text so it stays plain inside list items and table cells: no
/// HTML, no code spans, no table column breaks, no line breaks, no raw
/// control characters.
fn escape(text: &str) -> String {
    escape_with(text, &[])
}

/// [`escape`], and a backslash before each of `extra`.
fn escape_with(text: &str, extra: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if extra.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            // `##[` anywhere in a line is a runner command (see `display`).
            '[' if out.ends_with("##") => out.push_str("\\["),
            c => out.push(c),
        }
    }
    out
}

/// Like [`escape`], but a code span (a run of backticks closed by a run of
/// the same length) is kept, so `` `prisma1 deploy` `` renders as code;
/// inside one nothing is interpreted, HTML included. A backtick without a
/// partner is escaped. For messages: our words around repository text.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        out.push_str(&escape(&rest[..open]));
        let after = &rest[open..];
        let ticks = after.len() - after.trim_start_matches('`').len();
        let body = &after[ticks..];
        match closing(body, ticks) {
            Some(end) => {
                let code = &body[..end];
                out.push_str(&after[..ticks]);
                out.push_str(&code_text(code));
                out.push_str(&after[..ticks]);
                rest = &body[end + ticks..];
            }
            None => {
                out.push_str(&"\\`".repeat(ticks));
                rest = body;
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

/// Byte offset in `body` of a backtick run of exactly `ticks`.
fn closing(body: &str, ticks: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(at) = body[i..].find('`') {
        let start = i + at;
        let run = body[start..].len() - body[start..].trim_start_matches('`').len();
        if run == ticks {
            return Some(start);
        }
        i = start + run;
    }
    None
}

/// Text of a link: brackets would close it early.
fn link_text(text: &str) -> String {
    escape(text).replace('[', "\\[").replace(']', "\\]")
}

/// Inside a code span nothing is escapable; a rule id never holds a backtick
/// (ids are kebab-case), but drop any rather than break the span. Line
/// breaks become spaces (as Markdown itself reads them) and control
/// characters are dropped.
fn code_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '`' => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            // Nothing escapes inside a code span: `##[` (a runner command
            // anywhere in a line) shows as `##\[`, as on a terminal.
            '[' if out.ends_with("##") => out.push_str("\\["),
            c => out.push(c),
        }
    }
    out
}

/// A relative link to the file: percent-encodes what would end or confuse
/// the link destination, keeping `/` so the path stays a path.
fn link_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$'*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
