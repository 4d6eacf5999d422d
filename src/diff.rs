//! PR mode: which lines a change adds or modifies, from `git diff` against
//! the merge base or from a unified diff file.
//!
//! The repository being scanned is hostile input, and git will run programs
//! its configuration names (clean/process filters selected by
//! `.gitattributes`, diff drivers, textconv, fsmonitor, hooks). Every git call
//! goes through [`Git`], which turns each of them off and pins the output
//! format, so a user's `diff.*` settings cannot hide findings either.

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
        self.whole.contains(&*loc.path)
            || self.files.get(&*loc.path).is_some_and(|lines| {
                (loc.line..=loc.end_line.max(loc.line)).any(|l| lines.contains(&l))
            })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.whole.is_empty()
    }
}

/// The path of a `+++ ` header: C-style quoted when git had to (tabs,
/// quotes, backslashes, control characters), else up to the tab some tools
/// append; `None` for `/dev/null` (a deleted file).
fn header_path(rest: &str) -> Option<String> {
    let p = if rest.starts_with('"') {
        unquote(rest)
    } else {
        rest.split('\t')
            .next()
            .unwrap_or(rest)
            .trim_end()
            .to_string()
    };
    if p == "/dev/null" {
        return None;
    }
    Some(p.strip_prefix("b/").unwrap_or(&p).to_string())
}

/// Undoes git's C-style quoting (`"a\tb\303\251"`): the escapes of
/// `quote_c_style`, octal bytes included. Invalid UTF-8 is decoded lossily,
/// as the walk does for file names.
fn unquote(s: &str) -> String {
    let body = s.strip_prefix('"').unwrap_or(s);
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut bytes = body.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => break,
            b'\\' => match bytes.next() {
                Some(b'a') => out.push(0x07),
                Some(b'b') => out.push(0x08),
                Some(b't') => out.push(b'\t'),
                Some(b'n') => out.push(b'\n'),
                Some(b'v') => out.push(0x0b),
                Some(b'f') => out.push(0x0c),
                Some(b'r') => out.push(b'\r'),
                Some(d @ b'0'..=b'7') => {
                    let mut v = u32::from(d - b'0');
                    for _ in 0..2 {
                        match bytes.peek() {
                            Some(&o @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(o - b'0');
                                bytes.next();
                            }
                            _ => break,
                        }
                    }
                    out.push((v & 0xff) as u8);
                }
                Some(other) => out.push(other),
                None => out.push(b'\\'),
            },
            other => out.push(other),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a unified diff: `+++ b/path` headers and `@@ -a,b +c,d @@` hunks.
pub fn parse(text: &str) -> ChangedLines {
    let mut out = ChangedLines::default();
    let mut file: Option<String> = None;
    let mut line = 0usize;
    for l in text.lines() {
        if let Some(p) = l.strip_prefix("+++ ") {
            file = header_path(p);
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

/// Reads a patch file. Bytes that are not UTF-8 (a Latin-1 line in one file)
/// are decoded lossily, as git's output is, rather than rejecting the patch.
pub fn from_file(path: &Path) -> Result<ChangedLines, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read diff {}: {e}", path.display()))?;
    Ok(parse(&String::from_utf8_lossy(&bytes)))
}

/// Settings passed with `-c` on every call: nothing the repository configures
/// may run, and the output keeps the one shape [`parse`] reads.
const OVERRIDES: &[&str] = &[
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.quotePath=false",
    "core.pager=cat",
    "diff.external=",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "color.ui=false",
];

/// Keys of a filter driver that name a program.
const FILTER_KEYS: &[(&str, &str)] = &[
    ("clean", ""),
    ("smudge", ""),
    ("process", ""),
    ("required", "false"),
];

/// One repository's git, with everything that could execute repository
/// programs turned off.
struct Git<'a> {
    root: &'a Path,
    /// `filter.<name>.*` overrides, as `GIT_CONFIG_KEY_n`/`VALUE_n` pairs
    /// (the environment takes any name, where `-c` would split at `=`).
    filters: Vec<(String, String)>,
}

impl<'a> Git<'a> {
    fn new(root: &'a Path) -> Result<Git<'a>, String> {
        let mut git = Git {
            root,
            filters: Vec::new(),
        };
        git.run(&["rev-parse", "--git-dir"]).map_err(|e| {
            format!(
                "--diff-base needs a git repository at {}: {e}",
                root.display()
            )
        })?;
        // Exit status 1 means "no such key": no filters configured.
        let listed = git.run_status(&["config", "-z", "--get-regexp", r"^filter\."])?;
        let names: BTreeSet<String> = listed
            .split('\0')
            .filter_map(|entry| entry.split('\n').next())
            .filter_map(|key| {
                let rest = key.strip_prefix("filter.")?;
                let (name, _) = rest.rsplit_once('.')?;
                Some(name.to_string())
            })
            .collect();
        for name in names {
            for (key, value) in FILTER_KEYS {
                git.filters
                    .push((format!("filter.{name}.{key}"), (*value).to_string()));
            }
        }
        Ok(git)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.arg("--no-pager").arg("-C").arg(self.root);
        for o in OVERRIDES {
            c.args(["-c", o]);
        }
        c.args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_PAGER", "cat")
            .env("GIT_TERMINAL_PROMPT", "0")
            // Never write the index or take its lock as a side effect.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env_remove("GIT_EXTERNAL_DIFF");
        // Appended after any the caller's environment already sets.
        let first: usize = std::env::var("GIT_CONFIG_COUNT")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        for (i, (key, value)) in self.filters.iter().enumerate() {
            c.env(format!("GIT_CONFIG_KEY_{}", first + i), key)
                .env(format!("GIT_CONFIG_VALUE_{}", first + i), value);
        }
        if !self.filters.is_empty() {
            c.env("GIT_CONFIG_COUNT", (first + self.filters.len()).to_string());
        }
        c
    }

    /// Runs git; exit status 1 with no stderr reads as empty output.
    fn run_status(&self, args: &[&str]) -> Result<String, String> {
        let out = self
            .command(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() || (out.status.code() == Some(1) && out.stderr.is_empty()) {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        Err(failure(args, &out.stderr))
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self
            .command(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        Err(failure(args, &out.stderr))
    }
}

fn failure(args: &[&str], stderr: &[u8]) -> String {
    let why = String::from_utf8_lossy(stderr).trim().to_string();
    let why = if why.is_empty() {
        "no message".to_string()
    } else {
        why
    };
    format!("git {} failed: {why}", args.first().copied().unwrap_or(""))
}

/// Lines changed in the working tree since the merge base of HEAD and `base`,
/// with paths relative to `root`.
pub fn from_git(root: &Path, base: &str) -> Result<ChangedLines, String> {
    if base.is_empty() || base.starts_with('-') {
        return Err(format!(
            "--diff-base `{base}` is not a git ref; give one such as origin/main"
        ));
    }
    let git = Git::new(root)?;
    let mb = merge_base(&git, base)?;
    let diff = git.run(&[
        "diff-index",
        "-p",
        "-U0",
        "--inter-hunk-context=0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--find-renames",
        "--ignore-submodules=all",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--relative",
        "--end-of-options",
        &mb,
        "--",
    ])?;
    let mut changed = parse(&diff);
    // Untracked files are all new lines; `-z` keeps names unquoted.
    let untracked = git.run(&["ls-files", "-z", "--others", "--exclude-standard"])?;
    changed.whole.extend(
        untracked
            .split('\0')
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
    Ok(changed)
}

/// The merge base of HEAD and `base`, or a reason that says what to do.
fn merge_base(git: &Git<'_>, base: &str) -> Result<String, String> {
    let spec = format!("{base}^{{commit}}");
    if git
        .run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])
        .is_err()
    {
        return Err(format!(
            "--diff-base {base}: not a commit in this repository (fetch it first, for example `git fetch origin {}`)",
            base.strip_prefix("origin/").unwrap_or(base)
        ));
    }
    let mb = git.run_status(&["merge-base", "--end-of-options", "HEAD", base])?;
    let mb = mb.trim();
    if !mb.is_empty() {
        return Ok(mb.to_string());
    }
    let shallow = git
        .run(&["rev-parse", "--is-shallow-repository"])
        .is_ok_and(|s| s.trim() == "true");
    Err(if shallow {
        format!(
            "--diff-base {base}: no merge base with HEAD in this shallow clone; fetch more history \
             (`git fetch --deepen=200 origin`, or `fetch-depth: 0` with actions/checkout)"
        )
    } else {
        format!("--diff-base {base}: HEAD and {base} have no common history")
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn loc(path: &str, line: usize) -> Location {
        Location {
            path: path.into(),
            line,
            end_line: line,
            ..Default::default()
        }
    }

    #[test]
    fn hunks_give_new_side_lines() {
        let d = "diff --git a/x.yml b/x.yml\n--- a/x.yml\n+++ b/x.yml\n@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,0 +12,1 @@\n+d\n";
        let c = parse(d);
        assert!(c.touches(&loc("x.yml", 2)) && c.touches(&loc("x.yml", 12)));
        assert!(!c.touches(&loc("x.yml", 1)) && !c.touches(&loc("x.yml", 3)));
    }

    #[test]
    fn quoted_and_tab_terminated_headers_give_the_path() {
        let d = "+++ \"b/t\\tab \\\"q\\\" \\303\\274.js\"\n@@ -0,0 +1 @@\n+x\n+++ b/with space.js\t\n@@ -0,0 +4 @@\n+y\n";
        let c = parse(d);
        assert!(c.touches(&loc("t\tab \"q\" ü.js", 1)), "{c:?}");
        assert!(c.touches(&loc("with space.js", 4)), "{c:?}");
    }

    #[test]
    fn deleted_files_count_nothing() {
        let c = parse("--- a/x.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n");
        assert!(c.is_empty());
    }

    #[test]
    fn unquote_handles_every_escape_and_bad_octal() {
        assert_eq!(
            unquote(r#""a\a\b\t\n\v\f\r\\\"z""#),
            "a\x07\x08\t\n\x0b\x0c\r\\\"z"
        );
        assert_eq!(unquote(r#""\377x""#), "\u{fffd}x");
        assert_eq!(unquote(r#""end\"#), "end\\");
    }

    #[test]
    fn a_patch_with_a_latin1_byte_still_parses() {
        let dir = std::env::temp_dir().join(format!("p1l-diff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.patch");
        let mut bytes = b"+++ b/a.js\n@@ -0,0 +1,2 @@\n+caf".to_vec();
        bytes.push(0xe9);
        bytes.extend_from_slice(b"\n+ok\n");
        std::fs::write(&file, bytes).unwrap();
        let c = from_file(&file).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(c.touches(&loc("a.js", 1)) && c.touches(&loc("a.js", 2)));
    }
}
