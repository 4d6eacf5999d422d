//! Markdown output for `$GITHUB_STEP_SUMMARY` or a pull request comment: a
//! totals table, then the findings grouped by rule, most severe rule first.
//!
//! Text from scanned files is escaped so a finding cannot inject HTML or
//! break the layout, and the list is capped because step summaries and
//! comments have size limits; the SARIF output has everything.

use super::Report;
use crate::finding::{Finding, Severity};
use crate::redact::scrub;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Findings listed before the rest are only counted.
pub const MAX_LISTED: usize = 200;

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
    let groups = groups(report);
    if groups.is_empty() {
        s.push_str("No Prisma 1 Cloud dependencies were found.\n");
    }
    let mut listed = 0;
    let total: usize = groups.iter().map(|g| g.findings.len()).sum();
    for g in &groups {
        if listed == MAX_LISTED {
            break;
        }
        let title = report.rules.get(g.rule).map_or("", |r| r.title.trim());
        let _ = write!(s, "### `{}`", code_text(g.rule));
        if !title.is_empty() {
            let _ = write!(s, " — {}", escape(title));
        }
        let _ = writeln!(s, " ({})\n", g.findings.len());
        for f in g.findings.iter().take(MAX_LISTED - listed) {
            let _ = writeln!(
                s,
                "- {}",
                item(f, report.link_base.as_deref().unwrap_or(""))
            );
            listed += 1;
        }
        s.push('\n');
    }
    if total > listed {
        let _ = writeln!(
            s,
            "... and {} more not listed here; see the SARIF or JSON output.\n",
            total - listed
        );
    }
    notes(report, &mut s);
    s
}

/// The findings of one rule, in report order.
struct Group<'a> {
    rule: &'a str,
    severity: Severity,
    findings: Vec<&'a Finding>,
}

/// Unsuppressed findings grouped by rule, errors' rules first, then by id.
fn groups<'a>(report: &'a Report<'a>) -> Vec<Group<'a>> {
    let mut by_rule: BTreeMap<&str, Group<'a>> = BTreeMap::new();
    for f in report.active_findings() {
        let g = by_rule.entry(&f.rule).or_insert_with(|| Group {
            rule: &f.rule,
            severity: f.severity,
            findings: Vec::new(),
        });
        g.severity = g.severity.max(f.severity);
        g.findings.push(f);
    }
    let mut groups: Vec<Group<'a>> = by_rule.into_values().collect();
    // Stable: ties keep id order from the map.
    groups.sort_by_key(|g| std::cmp::Reverse(g.severity));
    groups
}

fn item(f: &Finding, base: &str) -> String {
    let loc = &f.location;
    format!(
        "[{}:{}]({base}{}#L{}) {}",
        link_text(&crate::finding::printable(&loc.path)),
        loc.line,
        link_target(&loc.path),
        loc.line,
        escape(&scrub(&f.message))
    )
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
    for p in report.problems.iter().take(MAX_LISTED) {
        let _ = writeln!(
            s,
            "- {}: {}",
            escape(&crate::finding::printable(&p.path)),
            escape(&scrub(&p.message))
        );
    }
    if report.problems.len() > MAX_LISTED {
        let _ = writeln!(s, "- ... and {} more", report.problems.len() - MAX_LISTED);
    }
    s.push('\n');
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Escapes text so it stays plain inside list items and table cells: no
/// HTML, no code spans, no table column breaks, no line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text of a link: brackets would close it early.
fn link_text(text: &str) -> String {
    escape(text).replace('[', "\\[").replace(']', "\\]")
}

/// Inside a code span nothing is escapable; a rule id never holds a backtick
/// (ids are kebab-case), but drop any rather than break the heading.
fn code_text(text: &str) -> String {
    text.replace(['`', '\n', '\r'], "")
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
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::finding::{Location, Suppression};
    use crate::rules::RuleSet;
    use crate::scan::{Problem, Stats};
    use std::time::Duration;

    fn finding(rule: &str, severity: Severity, path: &str, line: usize) -> Finding {
        Finding {
            location: Location {
                path: path.into(),
                line,
                column: 1,
                end_line: line,
                end_column: 5,
                start_byte: 0,
                end_byte: 0,
            },
            rule: rule.into(),
            severity,
            message: format!("msg {line}"),
            snippet: String::new(),
            matched: String::new(),
            related: Vec::new(),
            suppressed: None,
            mention: false,
            label: String::new(),
            snippet_span: None,
            confidence: None,
            origin: crate::finding::Origin::Code,
        }
    }

    fn render_with(findings: Vec<Finding>, problems: Vec<Problem>) -> String {
        render_linked(findings, problems, None)
    }

    fn render_linked(
        findings: Vec<Finding>,
        problems: Vec<Problem>,
        link_base: Option<String>,
    ) -> String {
        let rules = RuleSet::builtin().unwrap();
        let report = Report {
            link_base,
            findings,
            rules: &rules,
            active: Default::default(),
            problems,
            stats: Stats {
                files_scanned: 12,
                ..Stats::default()
            },
            elapsed: Duration::ZERO,
            stale_baseline: 0,
            hidden: 0,
        };
        let mut buf = Vec::new();
        write(&report, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn clean_report_says_nothing_was_found() {
        let md = render_with(Vec::new(), Vec::new());
        assert!(md.starts_with("## prisma1-lint\n\n"), "{md}");
        assert!(md.contains("| 0 | 0 | 0 | 0 | 12 |"), "{md}");
        assert!(md.contains("No Prisma 1 Cloud dependencies were found."));
        assert!(!md.contains("###"));
    }

    #[test]
    fn findings_are_grouped_by_rule_most_severe_first() {
        let mut suppressed = finding("cloud-endpoint", Severity::Error, "c.js", 9);
        suppressed.suppressed = Some(Suppression {
            kind: "external".into(),
            justification: "fixture".into(),
        });
        let md = render_with(
            vec![
                finding("prisma1-dependency", Severity::Warning, "package.json", 4),
                finding("cloud-endpoint", Severity::Error, "prisma.yml", 1),
                finding("cloud-endpoint", Severity::Error, "src/a b.js", 3),
                suppressed,
            ],
            Vec::new(),
        );
        assert!(md.contains("| 2 | 1 | 0 | 1 | 12 |"), "{md}");
        let endpoint = md
            .find("### `cloud-endpoint` — Prisma 1 Cloud endpoint (2)\n")
            .unwrap();
        let dependency = md.find("### `prisma1-dependency`").unwrap();
        assert!(endpoint < dependency, "{md}");
        assert!(
            md.contains("- [prisma.yml:1](prisma.yml#L1) msg 1\n"),
            "{md}"
        );
        assert!(
            md.contains("- [src/a b.js:3](src/a%20b.js#L3) msg 3\n"),
            "{md}"
        );
        assert!(
            !md.contains("c.js"),
            "suppressed findings are only counted: {md}"
        );
        assert!(!md.contains("No Prisma 1 Cloud"));
    }

    #[test]
    fn message_text_cannot_break_markdown_or_inject_html() {
        let mut f = finding("cloud-endpoint", Severity::Error, "x[1].js", 2);
        f.message = "a|b <script>`x`</script>\nnext".into();
        let md = render_with(vec![f], Vec::new());
        assert!(
            md.contains(
                r"- [x\[1\].js:2](x%5B1%5D.js#L2) a\|b &lt;script&gt;\`x\`&lt;/script&gt; next"
            ),
            "{md}"
        );
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn long_reports_are_capped_with_a_count() {
        let findings = (1..=MAX_LISTED + 5)
            .map(|i| finding("cloud-endpoint", Severity::Error, "a.js", i))
            .collect();
        let md = render_with(findings, Vec::new());
        assert_eq!(md.matches("\n- [a.js:").count(), MAX_LISTED);
        assert!(md.contains("(205)"), "heading counts all of them");
        assert!(md.contains("... and 5 more not listed here"), "{md}");
    }

    #[test]
    fn secrets_and_problems_are_handled() {
        let mut f = finding("hardcoded-secret", Severity::Error, ".env", 1);
        f.message = "PRISMA_MANAGEMENT_API_SECRET=hunter2".into();
        let md = render_with(
            vec![f],
            vec![Problem {
                path: "bad.yml".into(),
                message: "not YAML".into(),
            }],
        );
        assert!(!md.contains("hunter2"), "{md}");
        assert!(
            md.contains("**1 file could not be read or parsed:**"),
            "{md}"
        );
        assert!(md.contains("- bad.yml: not YAML"));
    }

    #[test]
    fn link_base_makes_absolute_links() {
        let md = render_linked(
            vec![finding("cloud-endpoint", Severity::Error, "src/a.js", 3)],
            Vec::new(),
            Some("https://github.com/o/r/blob/abc/".into()),
        );
        assert!(
            md.contains("- [src/a.js:3](https://github.com/o/r/blob/abc/src/a.js#L3) msg 3\n"),
            "{md}"
        );
    }
}
