//! Reporters translate a finished [`Report`] into one format. They never
//! decide severity, filtering or the exit code.

pub mod columns;
pub mod concise;
pub mod fit;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod summary;

use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;
use crate::scan::{Problem, Stats};
use std::collections::BTreeMap;
use std::time::Duration;

/// How the terminal formats (human, concise) lay out their text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// No summary line.
    pub quiet: bool,
    /// Wrap text to this many columns; `None` (piped output) never wraps.
    pub width: Option<usize>,
    /// Per-rule counts instead of the findings (`--statistics`).
    pub statistics: bool,
    /// Threads a reporter may use (JSON renders findings side by side); the
    /// bytes are the same for any number.
    pub threads: usize,
}

/// Everything a reporter may show, already sorted and filtered.
pub struct Report<'a> {
    /// Reported findings, suppressed ones included (with `suppressed` set).
    pub findings: Vec<Finding>,
    pub rules: &'a RuleSet,
    /// Effective severity of each active rule, by id.
    pub active: BTreeMap<String, Severity>,
    pub problems: Vec<Problem>,
    pub stats: Stats,
    pub elapsed: Duration,
    /// Baseline entries that no longer match anything.
    pub stale_baseline: usize,
    /// Findings hidden by the baseline or by `--diff`/`--diff-base`.
    pub hidden: usize,
    /// Judgements below the confidence the run shows (`--min-confidence`),
    /// and that confidence.
    pub below_confidence: (usize, crate::finding::Confidence),
    /// In PR mode, the findings on lines the change does not touch: counted
    /// in `hidden`, shown by nothing but the SARIF log (code scanning diffs
    /// against the base branch itself) and the summary's per-rule counts.
    pub outside_diff: Vec<Finding>,
    /// Prefix that turns repository paths into links (`--link-base`), for
    /// Markdown read outside the repository, such as a job summary.
    pub link_base: Option<String>,
    /// The scan root as given (`.`, `examples/cloud-app`), which JSON and
    /// SARIF paths are relative to.
    pub root: String,
    /// Put before a path, it opens from the current folder
    /// (`examples/cloud-app/`): what human, concise and github print.
    pub prefix: String,
}

impl Report<'_> {
    /// Findings that count: not suppressed.
    pub fn active_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.active_findings()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count()
    }

    /// Active findings per rule, most frequent first (then by id).
    pub fn rule_counts(&self) -> Vec<(&str, usize)> {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for f in self.active_findings() {
            *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
        }
        let mut v: Vec<(&str, usize)> = by_rule.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// `path` as the terminal formats print it: from the current folder.
    pub fn display_path(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    pub fn help(&self, rule: &str) -> &str {
        self.rules.get(rule).map_or("", |r| r.help.trim())
    }
}
