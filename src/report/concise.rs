//! `--format concise`: one line per finding, `path:line:col: level[rule]
//! message`, the form editors, `grep` and compilers' error parsers expect
//! (ruff's name for it). Then the summary line, unless `--quiet`.

use super::summary::{fixable_line, fixable_marker, summary_line, write_statistics};
use super::{Report, Style};
use crate::display::{line_start, printable};
use crate::finding::Finding;

/// The one line of a finding. Never wrapped: tools parse it. `prefix`
/// leads from the current folder to the scan root.
pub fn line(f: &Finding, prefix: &str) -> String {
    styled(f, prefix, false)
}

/// [`line`], coloured as ruff colours it on a terminal: the location bold,
/// the level in its colour.
pub fn styled(f: &Finding, prefix: &str, color: bool) -> String {
    let (bold, level, reset) = match (color, f.severity) {
        (false, _) => ("", "", ""),
        (true, crate::finding::Severity::Error) => ("\u{1b}[1m", "\u{1b}[1;31m", "\u{1b}[0m"),
        (true, crate::finding::Severity::Warning) => ("\u{1b}[1m", "\u{1b}[1;33m", "\u{1b}[0m"),
        (true, crate::finding::Severity::Note) => ("\u{1b}[1m", "\u{1b}[1;36m", "\u{1b}[0m"),
    };
    format!(
        "{bold}{}:{}:{}:{reset} {level}{}{reset}[{}] {}{}",
        line_start(&format!("{prefix}{}", f.location.path)),
        f.location.line,
        f.location.column,
        f.severity,
        f.rule,
        fixable_marker(f),
        printable(&f.message.masked())
    )
}

pub fn write(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    style: &Style,
) -> std::io::Result<()> {
    if style.statistics {
        write_statistics(report, out)?;
    } else {
        for f in report.active_findings() {
            writeln!(out, "{}", styled(f, &report.prefix, style.color))?;
        }
    }
    for p in &report.problems {
        writeln!(
            out,
            "{}: note: {}",
            line_start(&format!("{}{}", report.prefix, p.path)),
            printable(&p.message)
        )?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary_line(report))?;
        if let Some(l) = fixable_line(report) {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}
