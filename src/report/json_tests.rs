//! Unit tests of the JSON reporter: the findings rendered side by side give
//! the bytes of the document rendered in one pass, for any thread count.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::finding::{
    Applicability, Confidence, Edit, Finding, Fix, Location, Origin, Related, Severity, Suppression,
};
use crate::rules::RuleSet;
use crate::scan::{Problem, Stats};
use std::time::Duration;

/// Text with what JSON must escape or a reader must not misread: quotes,
/// backslashes, line breaks, tabs, control bytes, `##[`, markup, non-ASCII.
const PIECES: &[&str] = &[
    "plain",
    "a \"quoted\" word",
    "back\\slash",
    "two\nlines",
    "tab\there",
    "\u{1}\u{1f}",
    "##[error]not a command",
    "</script><b>",
    "héllo — ✓ 𝄞",
    "",
    "   ",
    "{\"json\": [1, 2]}",
    // The document's own splice point, spelled in repository text.
    "\n  \"findings\": []",
];

/// A small deterministic generator: the same findings on every run.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn text(&mut self) -> String {
        (0..self.next() % 3)
            .map(|_| PIECES[self.next() % PIECES.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn location(&mut self) -> Location {
        let line = 1 + self.next() % 500;
        Location {
            path: format!("dir {}/{}", self.text(), self.next() % 7).into(),
            line,
            column: 1 + self.next() % 80,
            end_line: line + self.next() % 3,
            end_column: 1 + self.next() % 80,
            start_byte: 0,
            end_byte: 0,
        }
    }
}

fn finding(g: &mut Gen) -> Finding {
    let rules = [
        "cloud-endpoint",
        "missing-management-secret",
        "prisma1-cli-login",
        "no-such-rule",
    ];
    Finding {
        location: g.location(),
        rule: rules[g.next() % rules.len()].into(),
        severity: [Severity::Error, Severity::Warning, Severity::Note][g.next() % 3],
        message: g.text().into(),
        snippet: g.text().into(),
        matched: Default::default(),
        related: (0..g.next() % 3)
            .map(|_| Related {
                location: g.location(),
                message: g.text().into(),
                snippet: g.text().into(),
            })
            .collect(),
        suppressed: (g.next() % 4 == 0).then(|| Suppression {
            kind: "inSource".into(),
            justification: g.text().into(),
        }),
        mention: false,
        label: Default::default(),
        snippet_span: None,
        notes: (0..g.next() % 3).map(|_| g.text().into()).collect(),
        confidence: [None, Some(Confidence::High), Some(Confidence::Low)][g.next() % 3],
        origin: [Origin::Code, Origin::Docs][g.next() % 2],
        fix: (g.next() % 3 == 0).then(|| Fix {
            applicability: [Applicability::Safe, Applicability::Unsafe][g.next() % 2],
            description: g.text().into(),
            edits: (0..g.next() % 3)
                .map(|_| Edit {
                    path: g.text(),
                    start: g.next() % 100,
                    end: 100 + g.next() % 100,
                    replacement: g.text(),
                })
                .collect(),
            action: (g.next() % 2 == 0).then(|| g.text().into()),
            diff: g.text().into(),
        }),
    }
}

fn both(findings: Vec<Finding>, problems: Vec<Problem>, threads: usize) -> (String, String) {
    let rules = RuleSet::builtin().unwrap();
    let report = Report {
        link_base: None,
        findings,
        rules: &rules,
        active: Default::default(),
        problems,
        stats: Stats::default(),
        elapsed: Duration::ZERO,
        stale_baseline: 0,
        hidden: 0,
        below_confidence: (0, Confidence::DEFAULT_MIN),
        outside_diff: Vec::new(),
        root: "a \"root\"\n  \"findings\": []\n##[x]".into(),
        prefix: String::new(),
    };
    let (mut split, mut one) = (Vec::new(), Vec::new());
    write(&report, &mut split, threads).unwrap();
    whole(&report, &mut one).unwrap();
    (
        String::from_utf8(split).unwrap(),
        String::from_utf8(one).unwrap(),
    )
}

#[test]
fn side_by_side_rendering_gives_the_bytes_of_one_pass() {
    let mut g = Gen(7);
    // Around every chunk boundary, and well past it; and across the windows
    // of chunks written in turn (four chunks a thread).
    for n in [
        0,
        1,
        2,
        CHUNK - 1,
        CHUNK,
        CHUNK + 1,
        2 * CHUNK,
        4 * CHUNK,
        4 * CHUNK + 1,
        5 * CHUNK + 3,
        8 * CHUNK + 1,
        33 * CHUNK + 5,
    ] {
        let findings: Vec<Finding> = (0..n).map(|_| finding(&mut g)).collect();
        let problems = (0..g.next() % 3)
            .map(|_| Problem {
                path: g.text(),
                message: g.text(),
            })
            .collect::<Vec<_>>();
        for threads in [0, 1, 2, 3, 8] {
            let (split, one) = both(findings.clone(), problems.clone(), threads);
            assert_eq!(split, one, "{n} findings, {threads} threads");
            serde_json::from_str::<serde_json::Value>(&split).unwrap();
        }
    }
}

#[test]
fn the_findings_key_is_found_only_where_the_list_is() {
    // A root that spells the marker cannot move the splice: its line break
    // and quotes are escaped in the document.
    let doc = "x\n  \"findings\": []";
    let rendered = crate::display::json_pretty(&doc).unwrap();
    assert_eq!(
        memchr::memmem::find(rendered.as_bytes(), EMPTY_FINDINGS_AT),
        None
    );
}
