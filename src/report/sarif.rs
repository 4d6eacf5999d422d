//! SARIF 2.1.0 output, shaped for GitHub code scanning: one run, every active
//! rule described once, results pointing at `%SRCROOT%`-relative paths, and
//! content-based fingerprints so an alert survives edits elsewhere in a file.
//!
//! Like the JSON output this is a contract, so it has its own serde types
//! rather than serialising internal ones. Nothing here depends on the clock
//! or the machine: the same scan always gives the same bytes.
//!
//! Where GitHub is strict, this follows GitHub: suppressed results are left
//! out unless asked for (code scanning ignores `suppressions` and would open
//! them as alerts), `automationDetails` is only written when a category is
//! given (so upload-sarif's `category` input works), results are capped at
//! GitHub's 25,000 per run, most severe first, and columns are UTF-16 code
//! units, the SARIF default.

use super::Report;
use crate::finding::{Confidence, Finding, Location, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

pub use super::columns::Utf16Columns;

#[path = "sarif_rules.rs"]
mod rules;
#[cfg(test)]
use rules::upper_camel;
use rules::{describe, level, one_line, RuleDescriptor, Text};

/// GitHub rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// How one SARIF log is written.
#[derive(Debug, Clone)]
pub struct SarifOptions {
    /// Keep suppressed findings, each result then carrying `suppressions`.
    pub include_suppressed: bool,
    /// `automationDetails.id` (`NAME/`); `None` leaves it to the uploader.
    pub category: Option<String>,
    /// Cap on results; the most severe are kept.
    pub max_results: usize,
    /// UTF-16 corrections for columns of lines with astral characters.
    pub columns: Utf16Columns,
}

impl Default for SarifOptions {
    fn default() -> Self {
        SarifOptions {
            include_suppressed: false,
            category: None,
            max_results: MAX_RESULTS,
            columns: Utf16Columns::default(),
        }
    }
}

/// What the writer had to leave out, for the caller to say on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub results: usize,
    /// Results over [`SarifOptions::max_results`] that were dropped.
    pub omitted: usize,
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails>,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

/// Set when results were capped, so a reader of the log knows it is partial.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    truncated: bool,
    result_limit: usize,
    omitted_results: usize,
    omitted_by_level: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// A file that could not be read or parsed: not a finding, but the user
/// should know the scan did not see it.
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: FileOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [ResultLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: Fingerprints,
    /// All or none (SARIF 2.1.0 §3.27.23): present on every result, empty
    /// when not suppressed, when suppressed results are included at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<SarifSuppression>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

/// How sure this one result is, when its rule judged from what the
/// repository shows (the finding's `confidence`); the rule's descriptor
/// carries the rule-wide precision.
#[derive(Serialize)]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'static str>,
    /// The evidence behind the message (the finding's notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// SARIF 2.1.0 §3.55: a fix is artifact changes, each a list of replacements
/// whose regions are byte ranges (§3.30.11).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: ByteRegion,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: String,
    justification: String,
}

pub fn write(
    report: &Report<'_>,
    opts: &SarifOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Written> {
    let (log, written) = log(report, opts);
    crate::display::write_json_pretty(&mut *out, &log).map_err(std::io::Error::other)?;
    writeln!(out)?;
    Ok(written)
}

/// Every finding code scanning should know about, in report order: in PR
/// mode the ones outside the change too, since code scanning compares with
/// the base branch itself and would otherwise show the rest as fixed.
fn all_findings<'a>(report: &'a Report<'a>) -> Vec<&'a Finding> {
    let mut all: Vec<&Finding> = report
        .findings
        .iter()
        .chain(report.outside_diff.iter())
        .collect();
    all.sort();
    all
}

/// Which findings become results: suppressed ones only when asked, then at
/// most `max`, keeping the most severe (ties in report order).
fn select<'a>(
    all: &[(&'a Finding, String)],
    opts: &SarifOptions,
) -> (Vec<(&'a Finding, String)>, BTreeMap<&'static str, usize>) {
    let mut kept: Vec<usize> = (0..all.len())
        .filter(|&i| opts.include_suppressed || all[i].0.suppressed.is_none())
        .collect();
    let mut omitted: BTreeMap<&'static str, usize> = BTreeMap::new();
    if kept.len() > opts.max_results {
        kept.sort_by_key(|&i| (std::cmp::Reverse(all[i].0.severity), i));
        for &i in &kept[opts.max_results..] {
            *omitted.entry(level(all[i].0.severity)).or_insert(0) += 1;
        }
        kept.truncate(opts.max_results);
        kept.sort_unstable();
    }
    let chosen = kept.into_iter().map(|i| all[i].clone()).collect();
    (chosen, omitted)
}

fn log<'a>(report: &'a Report<'a>, opts: &SarifOptions) -> (Log<'a>, Written) {
    let order = rule_order(report);
    let index: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let rules = order
        .iter()
        .map(|(id, severity)| describe(id, report.rules.get(id), *severity))
        .collect();
    // Fingerprints number identical findings over the whole set, suppressed
    // and capped ones included, so the numbering does not depend on options.
    let all = all_findings(report);
    let fps = fingerprints(&all);
    let all: Vec<(&Finding, String)> = all.into_iter().zip(fps).collect();
    let (chosen, omitted) = select(&all, opts);
    let omitted_total: usize = omitted.values().sum();
    let results: Vec<SarifResult<'a>> = chosen
        .into_iter()
        .map(|(f, fp)| {
            let i = index.get(f.rule.as_str()).copied().unwrap_or(0);
            result(f, i, fp, opts)
        })
        .collect();
    let mut notifications: Vec<Notification> = report
        .problems
        .iter()
        .map(|p| Notification {
            level: "warning",
            message: Text {
                text: p.message.clone(),
            },
            locations: vec![NotificationLocation {
                physical_location: FileOnly {
                    artifact_location: artifact(&p.path),
                },
            }],
        })
        .collect();
    let properties = (omitted_total > 0).then(|| {
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: truncation_message(opts.max_results, omitted_total, &omitted),
            },
            locations: Vec::new(),
        });
        RunProperties {
            truncated: true,
            result_limit: opts.max_results,
            omitted_results: omitted_total,
            omitted_by_level: omitted,
        }
    });
    let written = Written {
        results: results.len(),
        omitted: omitted_total,
    };
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "prisma1-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            // GitHub keys alerts by tool and category, and an id in the log
            // wins over upload-sarif's `category`: only write one when asked.
            automation_details: opts.category.as_deref().map(|c| AutomationDetails {
                id: if c.ends_with('/') {
                    c.to_string()
                } else {
                    format!("{c}/")
                },
            }),
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    // Where the root was, from the folder prisma1-lint ran in.
                    description: Text {
                        text: match report.root.as_str() {
                            "." => "The root of the scanned repository".into(),
                            r => format!("The root of the scanned repository ({r})"),
                        },
                    },
                },
            )]),
            column_kind: "utf16CodeUnits",
            invocations: [Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            results,
            properties,
        }],
    };
    (log, written)
}

/// The sentence the log and stderr give when results were capped.
pub fn truncation_message(
    limit: usize,
    omitted: usize,
    by_level: &BTreeMap<&'static str, usize>,
) -> String {
    let levels: Vec<String> = ["error", "warning", "note"]
        .iter()
        .filter_map(|l| by_level.get(l).map(|n| format!("{n} {l}")))
        .collect();
    format!(
        "SARIF log capped at {limit} results (GitHub's limit per run): {omitted} less severe result(s) left out ({}); see the JSON output for all of them",
        levels.join(", ")
    )
}

/// Active rules in id order, plus (defensively) any rule a finding names
/// that is missing from the active set, so every `ruleIndex` resolves.
fn rule_order<'a>(report: &'a Report<'a>) -> Vec<(&'a str, Severity)> {
    let mut order: BTreeMap<&str, Severity> = report
        .active
        .iter()
        .map(|(id, s)| (id.as_str(), *s))
        .collect();
    for f in &report.findings {
        order.entry(f.rule.as_str()).or_insert(f.severity);
    }
    order.into_iter().collect()
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri_path(path),
        uri_base_id: SRCROOT,
    }
}

/// Percent-encodes what may not appear raw in a relative URI reference,
/// keeping `/` so the path stays a path.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(
    loc: &Location,
    snippet: &crate::text::RepoText,
    columns: &Utf16Columns,
) -> PhysicalLocation {
    // Some findings (a suppression comment problem) have no span; SARIF needs
    // positive numbers and an end that does not precede the start.
    let (column, end_column) = columns.utf16(loc);
    let start_line = loc.line.max(1);
    let start_column = column.max(1);
    let end_line = loc.end_line.max(start_line);
    let end_column = if end_line == start_line {
        end_column.max(start_column)
    } else {
        end_column.max(1)
    };
    let snippet = snippet.masked();
    PhysicalLocation {
        artifact_location: artifact(&loc.path),
        region: Region {
            start_line,
            start_column,
            end_line,
            end_column,
            snippet: (!snippet.is_empty()).then_some(Text { text: snippet }),
        },
    }
}

fn result<'a>(
    f: &'a Finding,
    rule_index: usize,
    fingerprint: String,
    opts: &SarifOptions,
) -> SarifResult<'a> {
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: level(f.severity),
        message: Text {
            text: f.message.masked(),
        },
        locations: [ResultLocation {
            physical_location: physical(&f.location, &f.snippet, &opts.columns),
        }],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| RelatedLocation {
                id: i + 1,
                physical_location: physical(&r.location, &r.snippet, &opts.columns),
                message: Text {
                    text: r.message.masked(),
                },
            })
            .collect(),
        partial_fingerprints: Fingerprints {
            primary_location_line_hash: fingerprint,
        },
        properties: (f.confidence.is_some() || !f.notes.is_empty()).then(|| ResultProperties {
            precision: f.confidence.map(|c| match c {
                Confidence::High => "high",
                Confidence::Medium => "medium",
                Confidence::Low => "low",
            }),
            notes: f.notes.iter().map(|n| n.masked()).collect(),
        }),
        suppressions: opts.include_suppressed.then(|| {
            f.suppressed
                .iter()
                .map(|s| SarifSuppression {
                    kind: s.kind.clone(),
                    justification: s.justification.masked(),
                })
                .collect()
        }),
        fixes: f.fix.iter().map(sarif_fix).collect(),
    }
}

fn sarif_fix(fix: &crate::finding::Fix) -> SarifFix {
    let files = crate::fix::plan::by_file(&fix.edits);
    SarifFix {
        description: Text {
            text: match (&fix.action, fix.applicability) {
                (Some(a), _) => format!("{} (unsafe: {a})", fix.description),
                (None, crate::finding::Applicability::Unsafe) => {
                    format!("{} (unsafe)", fix.description)
                }
                _ => fix.description.masked(),
            },
        },
        artifact_changes: files
            .into_iter()
            .map(|(path, edits)| ArtifactChange {
                artifact_location: artifact(path),
                replacements: edits
                    .into_iter()
                    .map(|e| Replacement {
                        deleted_region: ByteRegion {
                            byte_offset: e.start,
                            byte_length: e.end - e.start,
                        },
                        inserted_content: Text {
                            text: e.replacement.clone(),
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// FNV-1a, 64 bits: tiny, dependency-free and fixed forever, which is what a
/// fingerprint needs (std's hasher may change between Rust releases).
fn fnv1a64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        // A separator byte that cannot occur in text keeps ("ab","c") and
        // ("a","bc") apart.
        let sep: &[u8] = if i == 0 { b"" } else { b"\0" };
        for b in sep.iter().chain(part.as_bytes()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// One fingerprint per finding, from its content key (rule, path, matched
/// text) rather than its line, so adding lines above it keeps the alert.
/// Identical keys in one file are told apart by occurrence, counted from 1
/// as GitHub's own `primaryLocationLineHash` does. Suppressed findings count
/// too, so suppressing one does not renumber its twins.
fn fingerprints(findings: &[&Finding]) -> Vec<String> {
    let mut seen: BTreeMap<(&str, &str, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let matched = one_line(&f.matched.masked());
            let hash = fnv1a64(&[&f.rule, &f.location.path, &matched]);
            let n = seen
                .entry((&f.rule, &f.location.path, matched))
                .or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

#[cfg(test)]
#[path = "sarif_tests.rs"]
mod tests;
