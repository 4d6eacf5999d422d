//! PR mode: which lines a change adds or modifies, from `git diff` against
//! the merge base or from a unified diff file.

use crate::finding::Location;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

#[derive(Debug, Default)]
pub struct ChangedLines {
    files: BTreeMap<String, BTreeSet<usize>>,
    /// New files not yet known to git: every line counts as added.
    whole: BTreeSet<String>,
}

impl ChangedLines {
    /// True when any line of `loc` was added or changed.
    pub fn touches(&self, loc: &Location) -> bool {
        self.whole.contains(&loc.path)
            || self.files.get(&loc.path).is_some_and(|lines| {
                (loc.line..=loc.end_line.max(loc.line)).any(|l| lines.contains(&l))
            })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.whole.is_empty()
    }
}

/// Parses a unified diff: `+++ b/path` headers and `@@ -a,b +c,d @@` hunks.
pub fn parse(text: &str) -> ChangedLines {
    let mut out = ChangedLines::default();
    let mut file: Option<String> = None;
    let mut line = 0usize;
    for l in text.lines() {
        if let Some(p) = l.strip_prefix("+++ ") {
            let p = p.split('\t').next().unwrap_or(p).trim();
            file = if p == "/dev/null" {
                None
            } else {
                Some(p.strip_prefix("b/").unwrap_or(p).to_string())
            };
            continue;
        }
        if l.starts_with("--- ") || l.starts_with("diff ") || l.starts_with("index ") {
            continue;
        }
        if let Some(h) = l.strip_prefix("@@ ") {
            // `-a,b +c,d @@`: new-side lines start at c.
            line = h
                .split_whitespace()
                .find_map(|w| w.strip_prefix('+'))
                .and_then(|w| w.split(',').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            continue;
        }
        let Some(f) = &file else { continue };
        if l.starts_with('+') {
            out.files.entry(f.clone()).or_default().insert(line);
            line += 1;
        } else if l.starts_with(' ') || l.is_empty() {
            line += 1;
        }
    }
    out
}

pub fn from_file(path: &Path) -> Result<ChangedLines, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read diff {}: {e}", path.display()))?;
    Ok(parse(&text))
}

/// Lines changed in the working tree since the merge base of HEAD and `base`,
/// with paths relative to `root`. Git runs with external diff drivers and
/// text conversion off, so nothing from the repository is executed.
pub fn from_git(root: &Path, base: &str) -> Result<ChangedLines, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "core.fsmonitor=false", "-c", "diff.external="])
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mb = git(&["merge-base", "HEAD", base])?;
    let mb = mb.trim();
    let diff = git(&[
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "-U0",
        "--relative",
        mb,
        "--",
    ])?;
    let mut changed = parse(&diff);
    // Untracked files are all new lines.
    let untracked = git(&["ls-files", "--others", "--exclude-standard"])?;
    changed.whole.extend(
        untracked
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_new_side_lines() {
        let d = "diff --git a/x.yml b/x.yml\n--- a/x.yml\n+++ b/x.yml\n@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,0 +12,1 @@\n+d\n";
        let c = parse(d);
        let loc = |line| Location {
            path: "x.yml".into(),
            line,
            end_line: line,
            ..Default::default()
        };
        assert!(c.touches(&loc(2)) && c.touches(&loc(12)));
        assert!(!c.touches(&loc(1)) && !c.touches(&loc(3)));
    }
}
