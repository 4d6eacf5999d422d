//! The JSON output: a frozen, versioned contract, separate from the internal
//! types so refactoring never changes it by accident. See README "JSON output".

use super::Report;
use crate::text::{RepoText, Text};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    /// The scan root as given; every `path` is relative to it.
    root: &'a str,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    problems: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a Text,
    help: &'a str,
    snippet: &'a RepoText,
    related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
    /// `high`, `medium` or `low` for judgements (see README "missing-management-secret").
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'static str>,
    /// The evidence behind the message, one item each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    /// `code`, or `docs` for a command a README tells people to run.
    origin: &'a str,
    /// The mechanical fix, when one is known (`prisma1-lint fix` applies it).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    description: &'a Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a Text>,
    edits: Vec<JsonEdit<'a>>,
}

/// Bytes `start..end` of `path` become `replacement`.
#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a Text,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    kind: &'a str,
    justification: &'a Text,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
    hidden: usize,
    /// Judgements below the confidence the run shows (`--min-confidence`).
    below_confidence: usize,
    stale_baseline: usize,
    files_scanned: usize,
    skipped_binary: usize,
    skipped_large: usize,
    /// prisma1-lint's own saved reports, recognised by content and skipped.
    skipped_reports: usize,
    problems: usize,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    path: &'a str,
    message: &'a str,
}

/// The report, with its findings rendered side by side on up to `threads`
/// threads: on a large repository they are nearly all of the bytes, and the
/// report is otherwise the one part of a scan that runs on one thread. The
/// bytes are those of rendering the whole document at once (see `whole`).
pub fn write(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    threads: usize,
) -> std::io::Result<()> {
    let doc = head(report);
    let mut head = Vec::new();
    crate::display::write_json_pretty(&mut head, &doc).map_err(std::io::Error::other)?;
    let Some(i) = memchr::memmem::find(&head, EMPTY_FINDINGS_AT) else {
        // The key is always written there; were it not, one pass still
        // writes every finding.
        return whole(report, out);
    };
    if report.findings.is_empty() {
        out.write_all(&head)?;
    } else {
        out.write_all(&head[..i])?;
        out.write_all(b"\n  \"findings\": [")?;
        // A few chunks per thread at a time, written before the next are
        // rendered: the report holds a window of its bytes, not all of them.
        let chunks = report.findings.len().div_ceil(CHUNK);
        let window = threads.max(1) * 4;
        for first in (0..chunks).step_by(window) {
            let last = (first + window).min(chunks);
            for part in render_findings(report, first..last, threads) {
                out.write_all(&part.map_err(std::io::Error::other)?)?;
            }
        }
        out.write_all(b"\n  ]")?;
        out.write_all(&head[i + EMPTY_FINDINGS_AT.len()..])?;
    }
    writeln!(out)
}

/// Where the empty findings list sits in the rendered document. A raw line
/// break only ever stands between tokens (one inside a string is escaped),
/// so this is found once, as the root object's key, never inside a value.
const EMPTY_FINDINGS_AT: &[u8] = b"\n  \"findings\": []";

/// Findings per unit of work: large enough that handing it out costs
/// nothing, small enough that two threads finish together.
const CHUNK: usize = 64;

/// Each finding as the pretty printer writes an element of the document's
/// `findings` list: after `,` (but the first) and a line break, indented two
/// levels, every line break inside it indented two levels more.
fn render_findings(
    report: &Report<'_>,
    chunks: std::ops::Range<usize>,
    threads: usize,
) -> Vec<serde_json::Result<Vec<u8>>> {
    let findings = &report.findings;
    crate::par::map_in_order(chunks.len(), threads, Vec::new, |one: &mut Vec<u8>, c| {
        let mut buf = Vec::new();
        let start = (chunks.start + c) * CHUNK;
        for (k, f) in findings[start..(start + CHUNK).min(findings.len())]
            .iter()
            .enumerate()
        {
            if start + k > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(b"\n    ");
            one.clear();
            crate::display::write_json_pretty(&mut *one, &json_finding(report, f))?;
            for line in one.split_inclusive(|&b| b == b'\n') {
                buf.extend_from_slice(line);
                if line.ends_with(b"\n") {
                    buf.extend_from_slice(b"    ");
                }
            }
        }
        Ok(buf)
    })
}

/// The whole document in one pass: what `write` must equal byte for byte.
fn whole(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (findings, mut doc) = document(report);
    doc.findings = findings;
    crate::display::write_json_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// The findings, and the document around them with an empty list.
fn document<'a>(report: &'a Report<'_>) -> (Vec<JsonFinding<'a>>, JsonReport<'a>) {
    let findings = report
        .findings
        .iter()
        .map(|f| json_finding(report, f))
        .collect();
    (findings, head(report))
}

/// One finding as the document lists it.
fn json_finding<'a>(report: &'a Report<'_>, f: &'a crate::finding::Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.as_str(),
        path: &f.location.path,
        line: f.location.line,
        column: f.location.column,
        end_line: f.location.end_line,
        end_column: f.location.end_column,
        message: &f.message,
        help: report.help(&f.rule),
        snippet: &f.snippet,
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                path: &r.location.path,
                line: r.location.line,
                column: r.location.column,
                end_line: r.location.end_line,
                end_column: r.location.end_column,
                message: &r.message,
            })
            .collect(),
        suppressed: f.suppressed.as_ref().map(|s| JsonSuppressed {
            kind: &s.kind,
            justification: &s.justification,
        }),
        confidence: f.confidence.map(|c| c.as_str()),
        notes: f.notes.iter().map(|n| n.masked()).collect(),
        origin: f.origin.as_str(),
        fix: f.fix.as_ref().map(|x| JsonFix {
            applicability: x.applicability.as_str(),
            description: &x.description,
            action: x.action.as_ref(),
            edits: x
                .edits
                .iter()
                .map(|e| JsonEdit {
                    path: &e.path,
                    start: e.start,
                    end: e.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

/// The document around the findings, with an empty list.
fn head<'a>(report: &'a Report<'_>) -> JsonReport<'a> {
    use crate::finding::Severity;
    JsonReport {
        version: VERSION,
        tool: Tool {
            name: "prisma1-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: &report.root,
        findings: Vec::new(),
        summary: Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            notes: report.count(Severity::Note),
            suppressed: report.suppressed(),
            hidden: report.hidden,
            below_confidence: report.below_confidence.0,
            stale_baseline: report.stale_baseline,
            files_scanned: report.stats.files_scanned,
            skipped_binary: report.stats.skipped_binary,
            skipped_large: report.stats.skipped_large,
            skipped_reports: report.stats.skipped_reports,
            problems: report.problems.len(),
        },
        problems: report
            .problems
            .iter()
            .map(|p| JsonProblem {
                path: &p.path,
                message: &p.message,
            })
            .collect(),
    }
}

/// `--statistics --format json`: one object per rule with findings, most
/// frequent first (ruff's shape: the rule, its count, how many are fixable).
pub fn write_statistics(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Row<'a> {
        rule: &'a str,
        severity: &'static str,
        count: usize,
        fixable: usize,
        title: &'a str,
    }
    let rows: Vec<Row<'_>> = report
        .rule_counts()
        .into_iter()
        .map(|(rule, count)| {
            let of_rule = || report.active_findings().filter(move |f| f.rule == rule);
            Row {
                rule,
                severity: of_rule()
                    .map(|f| f.severity)
                    .max()
                    .map_or("note", |s| s.as_str()),
                count,
                fixable: of_rule().filter(|f| f.fix.is_some()).count(),
                title: report.rules.get(rule).map_or("", |r| r.title.as_str()),
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
