//! A rule as one run applies it: what every matcher of the engine gets.

use crate::finding::Severity;
use crate::rules::Rule;

/// A rule as this run uses it: the compiled rule and its effective severity.
pub struct ActiveRule<'r> {
    pub rule: &'r Rule,
    pub severity: Severity,
}
