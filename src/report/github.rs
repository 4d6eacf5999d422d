//! GitHub Actions workflow commands (`::error file=...::message`), which
//! GitHub turns into annotations on the run and on the pull request diff.
//!
//! GitHub keeps only about ten annotations of each level per step and drops
//! the rest silently, so the most severe findings go first, each level is
//! capped at ten, a notice says how many were left out, and those follow as
//! plain `path:line:col: level rule: message` lines in a collapsed group, so
//! the log alone is enough. Annotation messages start with `path:line:col:`
//! too, as ruff's do, since the log view does not show the file otherwise.
//! Suppressed findings are not annotated at all.

use super::Report;
use crate::finding::{printable, Finding, Severity};

/// Annotations GitHub shows per level and step.
pub const PER_LEVEL: usize = 10;

pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for line in lines(report) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Every command to print, in order, roll-up included.
fn lines(report: &Report<'_>) -> Vec<String> {
    let by_level = |s: Severity| -> Vec<&Finding> {
        report
            .active_findings()
            .filter(|f| f.severity == s)
            .collect()
    };
    let (errors, warnings, notes) = (
        by_level(Severity::Error),
        by_level(Severity::Warning),
        by_level(Severity::Note),
    );
    let total = errors.len() + warnings.len() + notes.len();
    // The roll-up is itself a notice, so it takes one note slot whenever
    // something will be left out.
    let overflow =
        errors.len() > PER_LEVEL || warnings.len() > PER_LEVEL || notes.len() > PER_LEVEL;
    let note_cap = if overflow { PER_LEVEL - 1 } else { PER_LEVEL };
    let shown: Vec<&Finding> = errors
        .iter()
        .take(PER_LEVEL)
        .chain(warnings.iter().take(PER_LEVEL))
        .chain(notes.iter().take(note_cap))
        .copied()
        .collect();
    let mut out: Vec<String> = shown
        .iter()
        .map(|f| annotation(f, report.help(&f.rule), &report.prefix))
        .collect();
    let left = total - shown.len();
    if left > 0 {
        let what = if left == 1 {
            "1 more finding is".to_string()
        } else {
            format!("{left} more findings are")
        };
        out.push(format!(
            "::notice title=prisma1-lint::{}",
            escape_data(&format!(
                "{what} not annotated; they are listed in the log below, the job summary and the SARIF results"
            ))
        ));
        let rest = errors
            .iter()
            .skip(PER_LEVEL)
            .chain(warnings.iter().skip(PER_LEVEL))
            .chain(notes.iter().skip(note_cap));
        out.push(format!("::group::prisma1-lint: {left} more not annotated"));
        out.extend(rest.map(|f| plain(f, &report.prefix)));
        out.push("::endgroup::".into());
    }
    out
}

/// `path:line:col: level rule: message` on one line. No line may start
/// with `::` (the runner would read a command), so such a path gets `./`.
fn plain(f: &Finding, prefix: &str) -> String {
    let full = format!("{prefix}{}", f.location.path);
    let path = crate::display::line_start(&full);
    format!(
        "{path}:{}:{}: {} {}: {}",
        f.location.line.max(1),
        f.location.column.max(1),
        f.severity,
        printable(&f.rule),
        printable(&f.message.masked())
    )
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The file property: the name itself, percent-escaped (that alone keeps it
/// inside the command), so GitHub finds a file whose name holds a CR, LF or
/// tab. Other control characters (ESC) cannot be percent-escaped for the
/// runner and are shown as `display::printable` shows them.
fn file_name(path: &str) -> std::borrow::Cow<'_, str> {
    if !path
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
    {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(c),
            c => out.push_str(&printable(c.encode_utf8(&mut [0; 4]))),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Paths from the current folder: the runner resolves `file=` from the
/// workspace, where the job runs.
fn annotation(f: &Finding, help: &str, prefix: &str) -> String {
    let loc = &f.location;
    let mut props = vec![
        format!(
            "file={}",
            escape_property(&file_name(&format!("{prefix}{}", loc.path)))
        ),
        format!("line={}", loc.line.max(1)),
    ];
    // GitHub ignores or misplaces columns on annotations spanning lines.
    if loc.is_single_line() && loc.column > 0 {
        props.push(format!("col={}", loc.column));
    }
    props.push(format!("endLine={}", loc.end_line.max(loc.line).max(1)));
    if loc.is_single_line() && loc.end_column > 0 {
        props.push(format!("endColumn={}", loc.end_column.max(loc.column)));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("prisma1-lint: {}", f.rule))
    ));
    let mut message = format!(
        "{prefix}{}:{}:{}: {}",
        printable(&loc.path),
        loc.line.max(1),
        loc.column.max(1),
        f.message
    );
    for n in &f.notes {
        message.push_str("\nnote: ");
        message.push_str(&n.masked());
    }
    // The help is our rule text, not file content: never masked.
    if !help.is_empty() {
        message.push_str("\n\n");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Escapes the message part of a workflow command, as `@actions/core` does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: like data, plus the `:` and `,` that would
/// end the value early.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::finding::{Location, Suppression};
    use crate::rules::RuleSet;
    use crate::scan::Stats;
    use std::time::Duration;

    fn finding(rule: &str, severity: Severity, line: usize) -> Finding {
        let f = Finding::example(rule, severity, "prisma.yml", line);
        Finding {
            location: Location {
                column: 11,
                end_column: 45,
                end_byte: 0,
                ..f.location
            },
            message: format!("{severity} at {line}").into(),
            ..f
        }
    }

    fn render(rules: &RuleSet, findings: Vec<Finding>) -> Vec<String> {
        let report = Report {
            link_base: None,
            findings,
            rules,
            active: Default::default(),
            problems: Vec::new(),
            stats: Stats::default(),
            elapsed: Duration::ZERO,
            stale_baseline: 0,
            hidden: 0,
            below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
            outside_diff: Vec::new(),
            root: ".".into(),
            prefix: String::new(),
        };
        let mut buf = Vec::new();
        write(&report, &mut buf).unwrap();
        String::from_utf8(buf)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    fn many(n: usize, severity: Severity) -> Vec<Finding> {
        (1..=n).map(|i| finding("x-rule", severity, i)).collect()
    }

    fn count(lines: &[String], prefix: &str) -> usize {
        lines.iter().filter(|l| l.starts_with(prefix)).count()
    }

    #[test]
    fn data_escapes_percent_cr_and_lf() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_data("a:b,c"), "a:b,c");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("dir,x/a:b%\r\n.yml"),
            "dir%2Cx/a%3Ab%25%0D%0A.yml"
        );
        assert_eq!(escape_property("prisma1-lint: r"), "prisma1-lint%3A r");
    }

    #[test]
    fn single_line_annotation_has_columns_and_title() {
        let rules = RuleSet::default();
        let lines = render(&rules, vec![finding("cloud-endpoint", Severity::Error, 3)]);
        assert_eq!(
            lines,
            ["::error file=prisma.yml,line=3,col=11,endLine=3,endColumn=45,title=prisma1-lint%3A cloud-endpoint::prisma.yml:3:11: error at 3"]
        );
    }

    #[test]
    fn multi_line_annotation_has_no_columns() {
        let rules = RuleSet::default();
        let mut f = finding("r", Severity::Warning, 2);
        f.location.end_line = 4;
        f.location.path = "a,b:c.yml".into();
        f.message = "50% of\nlines".into();
        let lines = render(&rules, vec![f]);
        assert_eq!(
            lines,
            ["::warning file=a%2Cb%3Ac.yml,line=2,endLine=4,title=prisma1-lint%3A r::a,b:c.yml:2:11: 50%25 of%0Alines"]
        );
    }

    #[test]
    fn notes_are_notices_and_help_follows_the_message() {
        let rules = RuleSet::builtin().unwrap();
        let lines = render(&rules, vec![finding("cloud-endpoint", Severity::Note, 1)]);
        assert!(
            lines[0].starts_with("::notice file=prisma.yml,"),
            "{}",
            lines[0]
        );
        assert!(
            lines[0].contains("::prisma.yml:1:11: note at 1%0A%0A"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn suppressed_findings_are_not_annotated() {
        let rules = RuleSet::default();
        let mut f = finding("r", Severity::Error, 1);
        f.suppressed = Some(Suppression {
            kind: "inSource".into(),
            justification: "ok".into(),
        });
        assert!(render(&rules, vec![f]).is_empty());
    }

    #[test]
    fn most_severe_first_in_report_order() {
        let rules = RuleSet::default();
        let lines = render(
            &rules,
            vec![
                finding("r", Severity::Note, 1),
                finding("r", Severity::Warning, 2),
                finding("r", Severity::Error, 3),
                finding("r", Severity::Error, 4),
            ],
        );
        let kinds: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(kinds, ["::error", "::error", "::warning", "::notice"]);
        assert!(lines[0].contains("line=3,") && lines[1].contains("line=4,"));
    }

    #[test]
    fn ten_of_each_level_fit_without_a_roll_up() {
        let rules = RuleSet::default();
        let mut all = many(10, Severity::Error);
        all.extend(many(10, Severity::Warning));
        all.extend(many(10, Severity::Note));
        let lines = render(&rules, all);
        assert_eq!(lines.len(), 30);
        assert!(!lines.iter().any(|l| l.contains("not annotated")));
    }

    #[test]
    fn each_level_is_capped_and_the_rest_rolled_up() {
        let rules = RuleSet::default();
        let mut all = many(15, Severity::Error);
        all.extend(many(12, Severity::Warning));
        all.extend(many(3, Severity::Note));
        let lines = render(&rules, all);
        assert_eq!(count(&lines, "::error "), 10);
        assert_eq!(count(&lines, "::warning "), 10);
        assert_eq!(count(&lines, "::notice "), 4);
        let notice = lines
            .iter()
            .position(|l| l.contains("::7 more findings are not annotated;"))
            .unwrap();
        assert_eq!(
            lines[notice + 1],
            "::group::prisma1-lint: 7 more not annotated"
        );
        // Errors 11-15, then warnings 11-12, as plain lines.
        assert_eq!(
            lines[notice + 2],
            "prisma.yml:11:11: error x-rule: error at 11"
        );
        assert_eq!(
            lines[notice + 7],
            "prisma.yml:11:11: warning x-rule: warning at 11"
        );
        assert_eq!(lines.len(), notice + 10);
        assert_eq!(lines.last().unwrap(), "::endgroup::");
    }

    #[test]
    fn roll_up_takes_the_tenth_notice_slot() {
        let rules = RuleSet::default();
        let mut all = many(11, Severity::Error);
        all.extend(many(10, Severity::Note));
        let lines = render(&rules, all);
        assert_eq!(count(&lines, "::error "), 10);
        assert_eq!(count(&lines, "::notice "), 10);
        assert_eq!(count(&lines, "::notice file="), 9);
        assert!(lines
            .iter()
            .any(|l| l.contains("::2 more findings are not annotated")));
        // The tenth note and the eleventh error are in the group.
        assert_eq!(count(&lines, "prisma.yml:"), 2);
    }

    #[test]
    fn one_left_out_reads_as_singular() {
        let rules = RuleSet::default();
        let lines = render(&rules, many(11, Severity::Warning));
        assert_eq!(count(&lines, "::warning "), 10);
        assert!(lines
            .iter()
            .any(|l| l.contains("::1 more finding is not annotated")));
    }

    #[test]
    fn plain_lines_cannot_start_a_command_or_move_the_cursor() {
        let mut f = finding("r", Severity::Error, 2);
        f.location.path = "::error::x\x1b[2J.yml".into();
        f.message = "a\n::warning::b".into();
        assert_eq!(
            plain(&f, ""),
            "./::error::x\\x1B[2J.yml:2:11: error r: a\\n::warning::b"
        );
        f.location.path = "a##[add-mask]b.yml".into();
        assert!(
            plain(&f, "").starts_with("a##\\[add-mask]b.yml:"),
            "{}",
            plain(&f, "")
        );
    }

    /// Percent-escaping keeps the name whole: CR, LF and tabs included.
    #[test]
    fn annotation_files_are_the_raw_names_percent_escaped() {
        let rules = RuleSet::default();
        let mut f = finding("r", Severity::Error, 1);
        f.location.path = "cr\rname\tx\n.js".into();
        let lines = render(&rules, vec![f]);
        assert!(
            lines[0].starts_with("::error file=cr%0Dname\tx%0A.js,line=1,"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn help_text_is_ours_and_never_redacted() {
        let rules = RuleSet::builtin().unwrap();
        for rule in &rules.rules {
            let lines = render(&rules, vec![finding(&rule.id, Severity::Error, 1)]);
            assert!(
                lines[0].ends_with(&escape_data(rule.help.trim())),
                "{}: {}",
                rule.id,
                lines[0]
            );
        }
    }

    #[test]
    fn secrets_in_messages_are_masked() {
        let rules = RuleSet::default();
        let mut f = finding("r", Severity::Error, 1);
        f.message = crate::text::Text::repo(crate::text::RepoText::parsed(
            "PRISMA_MANAGEMENT_API_SECRET=hunter2 found",
        ));
        let lines = render(&rules, vec![f]);
        assert!(!lines[0].contains("hunter2"), "{}", lines[0]);
    }
}
