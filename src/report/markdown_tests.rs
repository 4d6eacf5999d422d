//! Unit tests of the Markdown reporter.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::finding::{Location, Suppression};
use crate::rules::RuleSet;
use crate::scan::{Problem, Stats};
use std::time::Duration;

fn finding(rule: &str, severity: Severity, path: &str, line: usize) -> Finding {
    let f = Finding::example(rule, severity, path, line);
    Finding {
        location: Location {
            end_column: 5,
            end_byte: 0,
            ..f.location
        },
        message: format!("msg {line}").into(),
        ..f
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
        below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
        outside_diff: Vec::new(),
        root: ".".into(),
        prefix: String::new(),
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
    assert!(!md.contains("###") && !md.contains("| Rule |"), "{md}");
}

#[test]
fn findings_are_listed_most_severe_first_with_a_rule_table() {
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
    assert!(
        md.contains("| `cloud-endpoint` Prisma 1 Cloud endpoint | error | 2 |\n"),
        "{md}"
    );
    assert!(md.contains("| `prisma1-dependency` "), "{md}");
    let errors = md.find("### Errors (2)\n").unwrap();
    let warnings = md.find("### Warnings (1)\n").unwrap();
    assert!(errors < warnings, "{md}");
    assert!(
        md.contains("- [prisma.yml:1](prisma.yml#L1) `cloud-endpoint` msg 1\n"),
        "{md}"
    );
    assert!(
        md.contains("- [src/a b.js:3](src/a%20b.js#L3) `cloud-endpoint` msg 3\n"),
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
    f.message = "a|b <script>x</script>\nnext \u{1b}[2J ` lone".into();
    let md = render_with(vec![f], Vec::new());
    assert!(
        md.contains(
            r"- [x\[1\].js:2](x%5B1%5D.js#L2) `cloud-endpoint` a\|b &lt;script&gt;x&lt;/script&gt; next \x1b[2J \` lone"
        ),
        "{md}"
    );
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'));
}

#[test]
fn code_spans_in_messages_render_as_code() {
    let mut f = finding("prisma1-cli", Severity::Error, "a.sh", 1);
    f.message = "`prisma1 deploy` runs <here> and ``a`b`` too".into();
    let md = render_with(vec![f], Vec::new());
    assert!(
        md.contains("`prisma1 deploy` runs &lt;here&gt; and ``ab`` too"),
        "{md}"
    );
    assert!(!md.contains("\\`"), "{md}");
    assert_eq!(inline("`<b>`"), "`<b>`");
    assert_eq!(inline("a ` b"), "a \\` b");
}

#[test]
fn long_reports_are_capped_with_a_count() {
    let findings = (1..=MAX_LISTED + 5)
        .map(|i| finding("cloud-endpoint", Severity::Error, "a.js", i))
        .collect();
    let md = render_with(findings, Vec::new());
    assert_eq!(md.matches("\n- [a.js:").count(), MAX_LISTED);
    assert!(
        md.contains("### Errors (205)"),
        "heading counts all of them"
    );
    assert!(md.contains("| error | 205 |"), "{md}");
    assert!(
        md.contains("5 more findings are not listed here (5 errors)"),
        "{md}"
    );
}

#[test]
fn every_severity_gets_a_share_of_the_list() {
    let mut findings: Vec<Finding> = (1..=500)
        .map(|i| finding("cloud-console", Severity::Note, "n.js", i))
        .collect();
    findings.extend((1..=3).map(|i| finding("cloud-endpoint", Severity::Error, "e.js", i)));
    findings.extend((1..=300).map(|i| finding("prisma1-cli", Severity::Warning, "w.sh", i)));
    let md = render_with(findings, Vec::new());
    assert_eq!(md.matches("\n- [e.js:").count(), 3);
    // Warnings get their 30% plus what errors left unused; notes keep 20%.
    assert_eq!(md.matches("\n- [n.js:").count(), 40);
    assert_eq!(md.matches("\n- [w.sh:").count(), 157);
    assert!(
        md.contains("603 more findings are not listed here (143 warnings, 460 notes)"),
        "{md}"
    );
    assert_eq!(shares(&[3, 300, 500], 200), [3, 157, 40]);
    assert_eq!(shares(&[0, 0, 500], 200), [0, 0, 200]);
    assert_eq!(shares(&[500, 500, 500], 200), [100, 60, 40]);
}

#[test]
fn the_summary_stays_under_its_size_limit() {
    let long = "x".repeat(5_000);
    let findings = (1..=MAX_LISTED)
        .map(|i| {
            let mut f = finding(
                "cloud-endpoint",
                Severity::Error,
                &format!("{long}{i}.js"),
                i,
            );
            f.message = long.clone().into();
            f
        })
        .collect();
    let md = render_with(findings, Vec::new());
    assert!(md.len() < MAX_BYTES, "{}", md.len());
    assert!(
        md.contains("more findings are not listed here"),
        "closing line"
    );
}

#[test]
fn pr_mode_lists_new_findings_and_counts_the_rest_per_rule() {
    let rules = RuleSet::builtin().unwrap();
    let report = Report {
        link_base: None,
        findings: vec![finding("cloud-endpoint", Severity::Error, "new.js", 1)],
        rules: &rules,
        active: Default::default(),
        problems: Vec::new(),
        stats: Stats::default(),
        elapsed: Duration::ZERO,
        stale_baseline: 0,
        hidden: 2,
        below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
        outside_diff: vec![
            finding("cloud-endpoint", Severity::Error, "old.js", 1),
            finding("prisma1-cli", Severity::Error, "old.sh", 1),
        ],
        root: ".".into(),
        prefix: String::new(),
    };
    let md = render(&report);
    assert!(
        md.contains("### New on the lines this change touches"),
        "{md}"
    );
    assert!(md.contains("#### Errors (1)"), "{md}");
    assert!(
        md.contains("| `cloud-endpoint` Prisma 1 Cloud endpoint | error | 1 | 1 |"),
        "{md}"
    );
    assert!(md.contains("| `prisma1-cli` "), "{md}");
    assert!(!md.contains("old.js"), "{md}");
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
        md.contains(
            "- [src/a.js:3](https://github.com/o/r/blob/abc/src/a.js#L3) `cloud-endpoint` msg 3\n"
        ),
        "{md}"
    );
}

#[test]
fn problems_with_long_paths_stay_under_the_size_limit() {
    let problems = (0..MAX_LISTED)
        .map(|i| Problem {
            path: format!("{}{i}.yml", "d/".repeat(2_000)),
            message: "x".repeat(5_000),
        })
        .collect();
    let md = render_with(Vec::new(), problems);
    assert!(md.len() < MAX_BYTES, "{}", md.len());
    assert!(md.contains("- ... and "), "says what it left out");
}
