//! Where each path on the command line is scanned from, and how its
//! findings' paths are printed. A scan has a root (cross-file facts and the
//! config are read there; JSON and SARIF paths are relative to it); the
//! terminal formats print paths that open from the current folder, as ruff,
//! rustc and ripgrep do, so each root also has the prefix that leads to it.

use crate::error::RunError;
use crate::scan;
use std::path::{Component, Path, PathBuf};

/// One scan: a root, the root-relative paths to report ("" or empty =
/// everything), and the root as the user reaches it from the current folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRoot {
    pub root: PathBuf,
    pub only: Vec<String>,
    /// `examples/cloud-app/`, `../other/`, or empty for the current folder:
    /// put before a root-relative path, it opens from the current folder.
    pub prefix: String,
}

impl ScanRoot {
    /// The root as the JSON header names it: `.` for the current folder.
    pub fn shown(&self) -> String {
        match self.prefix.trim_end_matches('/') {
            "" => ".".to_string(),
            p => p.to_string(),
        }
    }
}

/// The scans the paths need. With `--root`, one scan there, every path
/// inside it. Otherwise one folder is its own root; paths under the current
/// folder share it as their root (what pre-commit gives); a path outside it
/// is rooted at its own folder, or for a file, at the top of the git
/// repository that holds it (else its folder). Paths with one root share a
/// scan, in the order first given.
pub fn plan(paths: &[PathBuf], root: Option<&Path>) -> Result<Vec<ScanRoot>, RunError> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(RunError::Usage(format!(
                "no such file or folder: {}",
                p.display()
            )));
        }
    }
    let one = |root: PathBuf, only: Vec<String>| -> Result<Vec<ScanRoot>, RunError> {
        if !root.is_dir() {
            return Err(RunError::Usage(format!(
                "scan root is not a folder: {}",
                root.display()
            )));
        }
        Ok(vec![ScanRoot {
            prefix: prefix_of(&root),
            root,
            only,
        }])
    };
    match (root, paths) {
        (Some(r), _) => {
            let mut only = paths
                .iter()
                .map(|p| normalise_under(r, p))
                .collect::<Result<Vec<_>, _>>()?;
            if only.iter().any(String::is_empty) {
                only.clear();
            }
            return one(r.to_path_buf(), only);
        }
        (None, []) => return one(PathBuf::from("."), Vec::new()),
        (None, [p]) if p.is_dir() => return one(p.clone(), Vec::new()),
        _ => {}
    }
    let cwd = Path::new(".");
    let mut out: Vec<ScanRoot> = Vec::new();
    for p in paths {
        let (root, rel) = match normalise_under(cwd, p) {
            Ok(rel) => (cwd.to_path_buf(), rel),
            Err(_) => {
                let root = if p.is_dir() {
                    p.clone()
                } else {
                    repository_of(p)
                };
                let rel = normalise_under(&root, p)?;
                (root, rel)
            }
        };
        let key = std::fs::canonicalize(&root)?;
        let existing = out
            .iter_mut()
            .find(|s| std::fs::canonicalize(&s.root).is_ok_and(|c| c == key));
        match existing {
            Some(s) => s.only.push(rel),
            None => out.push(ScanRoot {
                prefix: prefix_of(&root),
                root,
                only: vec![rel],
            }),
        }
    }
    // A folder that is its root is reported whole.
    for s in &mut out {
        if s.only.iter().any(String::is_empty) {
            s.only.clear();
        }
    }
    Ok(out)
}

/// The folder a file outside the current folder is scanned from: the top of
/// its git repository, else its own folder. Spelt from the path as given
/// (`../app/src/x.js` -> `../app`) while that can be done by dropping
/// names, else absolute.
fn repository_of(file: &Path) -> PathBuf {
    let parent = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let Ok(canon) = std::fs::canonicalize(&parent) else {
        return parent;
    };
    let Some(levels) = canon.ancestors().position(|a| a.join(".git").exists()) else {
        return parent;
    };
    let mut spelt = parent.clone();
    for _ in 0..levels {
        match spelt.components().next_back() {
            Some(Component::Normal(_)) => {
                spelt.pop();
            }
            _ => {
                return canon
                    .ancestors()
                    .nth(levels)
                    .map_or(parent, Path::to_path_buf)
            }
        }
    }
    if spelt.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        spelt
    }
}

/// `examples/cloud-app/` for the root `./examples/cloud-app/`; empty for `.`.
pub fn prefix_of(root: &Path) -> String {
    let mut s = String::new();
    for c in root.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => s.push('/'),
            Component::Prefix(p) => s.push_str(&p.as_os_str().to_string_lossy()),
            other => {
                s.push_str(&other.as_os_str().to_string_lossy());
                s.push('/');
            }
        }
    }
    s
}

/// `p` as a path relative to `root` ("" for the root itself), or an error
/// saying it is outside.
pub fn normalise_under(root: &Path, p: &Path) -> Result<String, RunError> {
    let outside = || {
        RunError::Usage(format!(
            "{} is outside the scan root {}; give a --root that holds every path (for example `--root .` from the repository's top folder), or no --root",
            p.display(),
            root.display()
        ))
    };
    let lexical = (!p.is_absolute() && !root.is_absolute())
        .then(|| p.strip_prefix(root).ok())
        .flatten()
        .filter(|r| !r.components().any(|c| matches!(c, Component::ParentDir)));
    let rel = match lexical {
        Some(r) => r.to_path_buf(),
        // `../x`, an absolute path, or a relative one not spelt under the root:
        // compare where they really are.
        None => {
            let (rc, pc) = (std::fs::canonicalize(root)?, std::fs::canonicalize(p)?);
            pc.strip_prefix(&rc)
                .map(Path::to_path_buf)
                .map_err(|_| outside())?
        }
    };
    let s = crate::paths::relative(Path::new(""), &rel);
    Ok(if s == "." {
        String::new()
    } else {
        s.trim_end_matches('/').to_string()
    })
}

/// Puts `prefix` before every path of `findings` and `problems`, so that
/// the findings of several roots can share one report.
pub fn rebase(
    findings: &mut [crate::finding::Finding],
    problems: &mut [scan::Problem],
    prefix: &str,
) {
    if prefix.is_empty() {
        return;
    }
    let add = |p: &mut String| p.insert_str(0, prefix);
    let add_shared = |p: &mut std::sync::Arc<str>| *p = format!("{prefix}{p}").into();
    for f in findings {
        add_shared(&mut f.location.path);
        for r in &mut f.related {
            add_shared(&mut r.location.path);
        }
        if let Some(fix) = &mut f.fix {
            for e in &mut fix.edits {
                add(&mut e.path);
            }
        }
    }
    for p in problems {
        add(&mut p.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_lead_from_the_current_folder() {
        assert_eq!(prefix_of(Path::new(".")), "");
        assert_eq!(
            prefix_of(Path::new("./examples/cloud-app/")),
            "examples/cloud-app/"
        );
        assert_eq!(prefix_of(Path::new("../other")), "../other/");
        assert_eq!(prefix_of(Path::new("/abs/repo")), "/abs/repo/");
    }
}
