//! Baselines: record today's findings by content (rule, path, normalised
//! matched text, occurrence), so moved lines stay baselined and only new
//! findings are reported.

use crate::diagnostic::plain_io;
use crate::error::RunError;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    /// The matched text, whitespace-normalised, its secrets masked.
    pub matched: String,
    /// 0 for the first finding with this rule, path and text; 1 for the second...
    pub occurrence: usize,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// The content keys of `findings`, in order.
pub fn keys(findings: &[Finding]) -> Vec<Entry> {
    let mut seen: BTreeMap<(&str, &str, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            // Masked: the baseline file is an output like any other.
            let matched = f.matched.masked();
            let n = seen
                .entry((&f.rule, &f.location.path, matched.clone()))
                .or_insert(0);
            let e = Entry {
                rule: f.rule.clone(),
                path: f.location.path.to_string(),
                matched,
                occurrence: *n,
            };
            *n += 1;
            e
        })
        .collect()
}

/// Records the active findings of `findings` in `path`; returns how many.
pub fn write(path: &Path, findings: &[Finding]) -> Result<usize, RunError> {
    let active: Vec<Finding> = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .cloned()
        .collect();
    let mut entries = keys(&active);
    entries.sort();
    let doc = Baseline {
        version: VERSION,
        entries,
    };
    doc.save(path)?;
    Ok(doc.entries.len())
}

/// Stale entries a note names; the rest are counted. A baseline a pull
/// request rewrote can hold a million entries, and naming each made a 73 MB
/// note.
pub const STALE_SHOWN: usize = 10;

/// The note on stale entries: how many, then the first [`STALE_SHOWN`] in
/// the baseline's order, each through `redact`, one a line.
pub fn stale_note(stale: &[Entry], backstop: &crate::mask::Backstop) -> String {
    let n = stale.len();
    let (entries, match_) = if n == 1 {
        ("entry", "matches")
    } else {
        ("entries", "match")
    };
    let mut out = format!(
        "note: {n} baseline {entries} no longer {match_} anything (`--update-baseline` removes them):\n"
    );
    for e in stale.iter().take(STALE_SHOWN) {
        out.push_str(&format!("  {}\n", e.describe(backstop)));
    }
    if n > STALE_SHOWN {
        out.push_str(&format!("  ... and {} more\n", n - STALE_SHOWN));
    }
    out
}

impl Entry {
    /// `cloud-endpoint in prisma.yml: https://eu1.prisma.sh/...`, for naming
    /// stale entries (the matched text masked again: the file may have been
    /// edited by hand).
    pub fn describe(&self, backstop: &crate::mask::Backstop) -> String {
        let nth = if self.occurrence > 0 {
            format!(" (occurrence {})", self.occurrence + 1)
        } else {
            String::new()
        };
        let mut matched = crate::text::RepoText::parsed(&self.matched);
        matched.mark(backstop);
        let line = format!("{} in {}: {matched}{nth}", self.rule, self.path);
        crate::display::printable(&line).into_owned()
    }
}

impl Baseline {
    pub fn save(&self, path: &Path) -> Result<(), RunError> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| RunError::Usage(e.to_string()))?;
        std::fs::write(path, text + "\n").map_err(|e| {
            RunError::Usage(plain_io(&format!(
                "cannot write baseline {}: {e}",
                path.display()
            )))
        })
    }

    /// Drops `stale` entries (as returned by [`Baseline::filter`]).
    pub fn prune(&mut self, stale: &[Entry]) {
        let gone: std::collections::BTreeSet<&Entry> = stale.iter().collect();
        self.entries.retain(|e| !gone.contains(e));
    }

    pub fn load(path: &Path) -> Result<Baseline, RunError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            RunError::Usage(plain_io(&format!(
                "cannot read baseline {}: {e}",
                path.display()
            )))
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            let msg = e.to_string();
            let at = format!(" (line {}, column {})", e.line(), e.column());
            let what = msg.split(" at line ").next().unwrap_or(&msg);
            RunError::Usage(format!(
                "invalid baseline {}: {}{at}",
                path.display(),
                crate::diagnostic::plain_serde(what)
            ))
        })?;
        if b.version != VERSION {
            return Err(RunError::Usage(format!(
                "baseline {} has version {}; this prisma1-lint reads version {VERSION}",
                path.display(),
                b.version
            )));
        }
        Ok(b)
    }

    /// Keeps findings not in the baseline; returns them, how many were
    /// hidden, and the baseline entries that matched nothing (stale).
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize, Vec<Entry>) {
        let known: std::collections::BTreeSet<&Entry> = self.entries.iter().collect();
        let ks = keys(&findings);
        let mut used = std::collections::BTreeSet::new();
        let mut kept = Vec::new();
        let mut hidden = 0;
        for (f, k) in findings.into_iter().zip(ks) {
            if known.contains(&k) {
                hidden += 1;
                used.insert(k);
            } else {
                kept.push(f);
            }
        }
        let stale = self
            .entries
            .iter()
            .filter(|e| !used.contains(*e))
            .cloned()
            .collect();
        (kept, hidden, stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(line: usize, matched: &str) -> Finding {
        Finding {
            matched: crate::text::Text::repo(crate::text::RepoText::name(matched)),
            ..Finding::example("cloud-endpoint", Severity::Error, "a.yml", line)
        }
    }

    #[test]
    fn moved_lines_stay_baselined_and_new_ones_show() {
        let b = Baseline {
            version: VERSION,
            entries: keys(&[finding(3, "https://eu1.prisma.sh/a/b/c")]),
        };
        let (kept, hidden, stale) = b.filter(vec![
            finding(10, "https://eu1.prisma.sh/a/b/c"),
            finding(11, "https://us1.prisma.sh/x"),
        ]);
        assert_eq!((kept.len(), hidden, stale.len()), (1, 1, 0));
        assert_eq!(kept[0].location.line, 11);
        let (_, _, stale) = b.filter(Vec::new());
        assert_eq!(stale.len(), 1);
        assert_eq!(
            stale[0].describe(&crate::mask::Backstop::default()),
            "cloud-endpoint in a.yml: https://eu1.prisma.sh/a/b/c"
        );
    }

    #[test]
    fn the_stale_note_names_the_first_few_and_counts_the_rest() {
        let entries: Vec<Entry> = (0..STALE_SHOWN + 5)
            .map(|i| Entry {
                rule: "cloud-endpoint".into(),
                path: format!("f{i:02}.yml"),
                matched: "https://eu1.prisma.sh/a/b/c".into(),
                occurrence: 0,
            })
            .collect();
        let note = stale_note(&entries, &crate::mask::Backstop::default());
        assert_eq!(note.lines().count(), 1 + STALE_SHOWN + 1, "{note}");
        assert!(note.starts_with("note: 15 baseline entries no longer match"));
        assert!(
            note.contains("f09.yml") && !note.contains("f10.yml"),
            "{note}"
        );
        assert!(note.ends_with("  ... and 5 more\n"), "{note}");
        let mut secret = entries[0].clone();
        secret.matched = "https://eu1.prisma.sh/a/b/c?token=Zq8vLm2Xw9Rt".into();
        let backstop = crate::mask::Backstop::new(["Zq8vLm2Xw9Rt".to_string()]);
        let one = stale_note(&[secret], &backstop);
        assert!(
            one.starts_with("note: 1 baseline entry no longer matches anything"),
            "{one}"
        );
        assert!(
            one.contains("cloud-endpoint in f00.yml: https://eu1.prisma.sh/a/b/c")
                && !one.contains("Zq8vLm2Xw9Rt"),
            "{one}"
        );
    }

    #[test]
    fn pruning_drops_only_stale_entries() {
        let mut b = Baseline {
            version: VERSION,
            entries: keys(&[
                finding(1, "https://eu1.prisma.sh/a"),
                finding(2, "https://us1.prisma.sh/b"),
            ]),
        };
        let (_, _, stale) = b.filter(vec![finding(9, "https://us1.prisma.sh/b")]);
        b.prune(&stale);
        assert_eq!(b.entries.len(), 1);
        assert_eq!(b.entries[0].matched, "https://us1.prisma.sh/b");
    }
}
