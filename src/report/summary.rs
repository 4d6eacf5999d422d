//! What human and concise output both end with: the summary line, the
//! `--statistics` table, and the count of findings `fix` can settle.

use super::Report;
use crate::display::printable;
use crate::finding::{Applicability, Finding, Severity};

/// `--statistics`: one row per rule with findings, most frequent first.
pub fn write_statistics(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let counts = report.rule_counts();
    let id_width = counts.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
    let n_width = counts
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (rule, n) in &counts {
        let severity = report
            .active_findings()
            .filter(|f| f.rule == *rule)
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Note);
        let title = report
            .rules
            .get(rule)
            .map_or(std::borrow::Cow::Borrowed(""), |r| printable(&r.title));
        writeln!(
            out,
            "{n:>n_width$}  {:7}  {rule:id_width$}  {title}",
            severity.as_str()
        )?;
    }
    if !counts.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// ` (a.yml:1, b.js:7, c.sh:3 and 2 more)`: where the first errors are, so
/// that they do not scroll away above the warnings and notes.
fn error_places(report: &Report<'_>) -> String {
    const SHOWN: usize = 3;
    let errors: Vec<&Finding> = report
        .active_findings()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return String::new();
    }
    let places: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|f| {
            format!(
                "{}{}:{}",
                report.prefix,
                crate::finding::printable(&f.location.path),
                f.location.line
            )
        })
        .collect();
    let more = match errors.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(" ({}{more})", places.join(", "))
}

/// `6 errors, 8 warnings, 1 note: prisma1-cli 5, cloud-endpoint 3, ...; 2
/// suppressed; 120 files scanned, ... in 0.05s`.
pub fn summary_line(report: &Report<'_>) -> String {
    // A clean run says so in a few words.
    let mut s = if report.active_findings().next().is_none() {
        "No findings".to_string()
    } else {
        format!(
            "{}{}, {}, {}",
            plural(report.count(Severity::Error), "error"),
            error_places(report),
            plural(report.count(Severity::Warning), "warning"),
            plural(report.count(Severity::Note), "note")
        )
    };
    let counts = report.rule_counts();
    if !counts.is_empty() {
        let list: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
        s.push_str(&format!(" ({})", list.join(", ")));
    }
    let mut extra = Vec::new();
    if report.suppressed() > 0 {
        extra.push(format!("{} suppressed", report.suppressed()));
    }
    if report.hidden > 0 {
        extra.push(format!("{} hidden by baseline or diff", report.hidden));
    }
    let (below, min) = report.below_confidence;
    if below > 0 {
        extra.push(format!(
            "{below} below confidence {} hidden (`--min-confidence low` shows them)",
            min.as_str()
        ));
    }
    if report.stale_baseline > 0 {
        extra.push(format!(
            "{} stale baseline {}",
            report.stale_baseline,
            if report.stale_baseline == 1 {
                "entry"
            } else {
                "entries"
            }
        ));
    }
    if !extra.is_empty() {
        s.push_str(&format!("; {}", extra.join(", ")));
    }
    let st = &report.stats;
    s.push_str(&format!("; {} scanned", plural(st.files_scanned, "file")));
    if st.skipped_binary + st.skipped_large > 0 {
        s.push_str(&format!(
            ", skipped {} binary and {} too large",
            st.skipped_binary, st.skipped_large
        ));
    }
    if st.skipped_reports > 0 {
        s.push_str(&format!(
            ", skipped {} of prisma1-lint's own reports",
            st.skipped_reports
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

/// `[*] ` before the message of a finding `prisma1-lint fix` settles
/// without `--unsafe` (ruff's marker).
pub fn fixable_marker(f: &Finding) -> &'static str {
    match &f.fix {
        Some(x) if x.applicability == Applicability::Safe => "[*] ",
        _ => "",
    }
}

/// `[*] 3 fixable with `prisma1-lint fix` (2 more with `--unsafe`)`, or
/// nothing when no finding has a fix.
pub fn fixable_line(report: &Report<'_>) -> Option<String> {
    let (mut safe, mut unsafe_) = (0, 0);
    for f in report.active_findings() {
        match f.fix.as_ref().map(|x| x.applicability) {
            Some(Applicability::Safe) => safe += 1,
            Some(Applicability::Unsafe) => unsafe_ += 1,
            _ => {}
        }
    }
    match (safe, unsafe_) {
        (0, 0) => None,
        (0, u) => Some(format!("{u} fixable with `prisma1-lint fix --unsafe`")),
        (s, 0) => Some(format!("[*] {s} fixable with `prisma1-lint fix`")),
        (s, u) => Some(format!(
            "[*] {s} fixable with `prisma1-lint fix` ({u} more with `--unsafe`)"
        )),
    }
}
