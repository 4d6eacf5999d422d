//! Human output: one miette report per finding (file, source line, a label
//! under the match, message, help, rule id), then a summary line.
//!
//! The source shown is the finding's own redacted snippet, never the file
//! re-read from disk, so a secret cannot reach the terminal.

use super::Report;
use crate::finding::{Finding, Location, Severity, REDACTED};
use crate::redact::scrub;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// A snippet that knows which file line it starts at.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line - 1,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    help: String,
    source: Snippet,
    labels: Vec<LabeledSpan>,
    related: Vec<FindingDiagnostic>,
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// The byte span inside `snippet` for the columns of `loc` (first line only
/// when the snippet was redacted and columns no longer line up).
fn label_span(snippet: &str, loc: &Location) -> (usize, usize) {
    let first = snippet.split('\n').next().unwrap_or("");
    let clipped = first.chars().count() + 1 < loc.end_column;
    if snippet.contains(REDACTED) || !loc.is_single_line() || clipped {
        return (0, first.len().max(1).min(snippet.len().max(1)));
    }
    let byte_at = |col: usize| {
        first
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(first.len(), |(i, _)| i)
    };
    let s = byte_at(loc.column);
    let e = byte_at(loc.end_column).max(s);
    (s, (e - s).max(1))
}

fn diagnostic(f: &Finding, help: &str) -> FindingDiagnostic {
    let snippet = scrub(&f.snippet);
    let (s, len) = label_span(&snippet, &f.location);
    let label = match &f.suppressed {
        Some(sup) => format!("suppressed: {}", sup.justification),
        None => f.severity.as_str().to_string(),
    };
    let related = f
        .related
        .iter()
        .map(|r| {
            let text = scrub(&r.snippet);
            let (rs, rlen) = label_span(&text, &r.location);
            FindingDiagnostic {
                message: r.message.clone(),
                code: String::new(),
                severity: Severity::Note,
                help: String::new(),
                labels: vec![LabeledSpan::new(Some(r.message.clone()), rs, rlen)],
                source: Snippet {
                    name: format!(
                        "{}:{}:{}",
                        crate::finding::printable(&r.location.path),
                        r.location.line,
                        r.location.column
                    ),
                    text,
                    first_line: r.location.line,
                },
                related: Vec::new(),
            }
        })
        .collect();
    FindingDiagnostic {
        message: scrub(&f.message),
        code: f.rule.clone(),
        severity: f.severity,
        help: help.to_string(),
        labels: vec![LabeledSpan::new(Some(label), s, len)],
        source: Snippet {
            name: format!(
                "{}:{}:{}",
                crate::finding::printable(&f.location.path),
                f.location.line,
                f.location.column
            ),
            text: snippet,
            first_line: f.location.line,
        },
        related,
    }
}

pub fn write(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    color: bool,
    quiet: bool,
) -> std::io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .without_primary_span_start();
    for f in report.findings.iter().filter(|f| f.suppressed.is_none()) {
        let d = diagnostic(f, report.help(&f.rule));
        let mut s = String::new();
        if handler.render_report(&mut s, &d).is_err() {
            s = format!(
                "{}:{}:{}: {} [{}] {}\n",
                crate::finding::printable(&f.location.path),
                f.location.line,
                f.location.column,
                f.severity,
                f.rule,
                scrub(&f.message)
            );
        }
        writeln!(out, "{s}")?;
    }
    for p in &report.problems {
        writeln!(
            out,
            "note: {}: {}",
            crate::finding::printable(&p.path),
            p.message
        )?;
    }
    if !quiet {
        writeln!(out, "{}", summary_line(report))?;
    }
    Ok(())
}

/// `3 errors, 1 warning, 0 notes (2 suppressed); 120 files scanned, 1 skipped (binary), ... in 0.05s`.
pub fn summary_line(report: &Report<'_>) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut s = format!(
        "{}, {}, {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Note), "note")
    );
    let mut extra = Vec::new();
    if report.suppressed() > 0 {
        extra.push(format!("{} suppressed", report.suppressed()));
    }
    if report.hidden > 0 {
        extra.push(format!("{} hidden by baseline or diff", report.hidden));
    }
    if report.stale_baseline > 0 {
        extra.push(format!("{} stale baseline entries", report.stale_baseline));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    let st = &report.stats;
    s.push_str(&format!("; {} scanned", plural(st.files_scanned, "file")));
    if st.skipped_binary + st.skipped_large > 0 {
        s.push_str(&format!(
            ", skipped {} binary and {} too large",
            st.skipped_binary, st.skipped_large
        ));
    }
    if !report.problems.is_empty() {
        s.push_str(
            &format!(
                ", {} unreadable or malformed",
                plural(report.problems.len(), "file")
            )
            .replace(" files unreadable", " unreadable"),
        );
    }
    s.push_str(&format!(" in {:.2}s", report.elapsed.as_secs_f64()));
    s
}
