//! Baselines: record today's findings by content (rule, path, normalised
//! matched text, occurrence), so moved lines stay baselined and only new
//! findings are reported.

use crate::app::RunError;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    /// The matched text, whitespace-normalised and redacted.
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
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let n = seen
                .entry((&f.rule, &f.location.path, &f.matched))
                .or_insert(0);
            let e = Entry {
                rule: f.rule.clone(),
                path: f.location.path.clone(),
                matched: f.matched.clone(),
                occurrence: *n,
            };
            *n += 1;
            e
        })
        .collect()
}

pub fn write(path: &Path, findings: &[Finding]) -> Result<(), RunError> {
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
    let text = serde_json::to_string_pretty(&doc).map_err(|e| RunError::Usage(e.to_string()))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| RunError::Usage(format!("cannot write baseline {}: {e}", path.display())))
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, RunError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            RunError::Usage(format!("cannot read baseline {}: {e}", path.display()))
        })?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| RunError::Usage(format!("invalid baseline {}: {e}", path.display())))?;
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
    /// hidden, and how many baseline entries matched nothing (stale).
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize, usize) {
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
        let stale = self.entries.iter().filter(|e| !used.contains(*e)).count();
        (kept, hidden, stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Severity};

    fn finding(line: usize, matched: &str) -> Finding {
        Finding {
            location: Location {
                path: "a.yml".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                start_byte: 0,
                end_byte: 1,
            },
            rule: "cloud-endpoint".into(),
            severity: Severity::Error,
            message: String::new(),
            snippet: String::new(),
            matched: matched.into(),
            related: Vec::new(),
            suppressed: None,
            mention: false,
            origin: crate::finding::Origin::Code,
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
        assert_eq!((kept.len(), hidden, stale), (1, 1, 0));
        assert_eq!(kept[0].location.line, 11);
        let (_, _, stale) = b.filter(Vec::new());
        assert_eq!(stale, 1);
    }
}
