//! `--format concise`: one line per finding, `path:line:col: level[rule]
//! message`, the form editors, `grep` and compilers' error parsers expect
//! (ruff's name for it). Then the summary line, unless `--quiet`.

use super::{human, Report, Style};
use crate::finding::Finding;

/// The one line of a finding. Never wrapped: tools parse it.
pub fn line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        crate::finding::printable(&f.location.path),
        f.location.line,
        f.location.column,
        f.severity,
        f.rule,
        f.message.masked().replace(['\n', '\r'], " ")
    )
}

pub fn write(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    style: &Style,
) -> std::io::Result<()> {
    if style.statistics {
        human::write_statistics(report, out)?;
    } else {
        for f in report.active_findings() {
            writeln!(out, "{}", line(f))?;
        }
    }
    for p in &report.problems {
        writeln!(
            out,
            "{}: note: {}",
            p.path,
            p.message.replace(['\n', '\r'], " ")
        )?;
    }
    if !style.quiet {
        writeln!(out, "{}", human::summary_line(report))?;
    }
    Ok(())
}
