//! The exit decision: whether the findings a report shows fail the run.
//! Reporters never decide it; `check` asks here once every output is
//! written.

use crate::cli::FailOn;
use crate::finding::Severity;
use crate::report::Report;

/// Exit status of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    /// A bug while scanning some file (reported with its path): exit code 2.
    InternalError,
}

fn fail_threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    }
}

/// The outcome of a run whose report is `report`: an internal error in any
/// file, else findings at or above the `fail_on` threshold, else clean.
pub fn decide(report: &Report<'_>, fail_on: FailOn) -> Outcome {
    if report.stats.internal_errors > 0 {
        return Outcome::InternalError;
    }
    let threshold = fail_threshold(fail_on);
    let failing = threshold.is_some_and(|t| report.active_findings().any(|f| f.severity >= t));
    if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}
