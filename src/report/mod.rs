//! Reporters translate a finished [`Report`] into one format. They never
//! decide severity, filtering or the exit code.

pub mod columns;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;
use crate::scan::{Problem, Stats};
use std::collections::BTreeMap;
use std::time::Duration;

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
    /// In PR mode, the findings on lines the change does not touch: counted
    /// in `hidden`, shown by nothing but the SARIF log (code scanning diffs
    /// against the base branch itself) and the summary's per-rule counts.
    pub outside_diff: Vec<Finding>,
    /// Prefix that turns repository paths into links (`--link-base`), for
    /// Markdown read outside the repository, such as a job summary.
    pub link_base: Option<String>,
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

    pub fn help(&self, rule: &str) -> &str {
        self.rules.get(rule).map_or("", |r| r.help.trim())
    }
}
