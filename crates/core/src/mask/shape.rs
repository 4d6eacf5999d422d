//! The value backstop: a secret found at one place is cut wherever the same
//! value appears in repository text, if it is secret-shaped.
//!
//! gitleaks decides whether a generic match is a secret by its shape: a
//! minimum length, Shannon entropy, and allowlists of stop words and
//! placeholder patterns. The same test here decides which parsed values are
//! also looked for elsewhere. A value is secret-shaped when it has at least
//! [`MIN_LEN`] characters, mixes two kinds of characters (lower case, upper
//! case, digits, others) unless it has [`ONE_KIND_LEN`] or more, and is none
//! of: a reference (`$X`, `${...}`, `{{...}}`, `<...>`, `%X%`), a run of one
//! character (`xxxxxxxx`), ALL-CAPS words (`YOUR_API_KEY`), or made only of
//! placeholder words (`prisma`, `secret`, `password`, `changeme`, `root`,
//! `deploy`, `true`, ...) with separators and digits (`my-secret-123`). A
//! single word (`postgres`, `keystone`, `undefined`) is a placeholder or a
//! name far more often than a secret, and cutting it elsewhere would cut
//! paths and words. At its own place a value is cut whatever its shape; only
//! the search elsewhere needs it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::BTreeSet;

/// Shortest value looked for elsewhere.
pub const MIN_LEN: usize = 8;
/// Shortest value of one kind of character (`abcdefghijklmnop`) looked for elsewhere.
pub const ONE_KIND_LEN: usize = 16;

/// Words placeholders are made of.
const PLACEHOLDER_WORDS: [&str; 44] = [
    "prisma",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "pw",
    "changeme",
    "change",
    "me",
    "root",
    "deploy",
    "true",
    "false",
    "null",
    "none",
    "admin",
    "example",
    "test",
    "default",
    "token",
    "key",
    "api",
    "my",
    "your",
    "the",
    "here",
    "replace",
    "this",
    "value",
    "dev",
    "prod",
    "local",
    "staging",
    "dummy",
    "placeholder",
    "todo",
    "xxx",
    "foo",
    "bar",
    "management",
    "mgmt",
    "session",
    "redacted",
];

/// Is `v` shaped like a real secret (see the module doc)?
pub fn secret_shaped(v: &str) -> bool {
    let v = core(v);
    if v.chars().count() < MIN_LEN || v.len() > 4096 {
        return false;
    }
    let first = v.chars().next().unwrap_or(' ');
    if v.contains("${")
        || v.contains("{{")
        || v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || v.starts_with('<') && v.ends_with('>')
        || v.starts_with('%') && v.ends_with('%')
        || v.chars().all(|c| c == first)
        || v.chars().all(|c| c.is_ascii_digit())
        || v.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
    {
        return false;
    }
    let kinds = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 && v.chars().count() < ONE_KIND_LEN {
        return false;
    }
    // Made only of placeholder words, separators and digits?
    let lower = v.to_ascii_lowercase();
    let words = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty());
    let mut any = false;
    for w in words {
        any = true;
        if !PLACEHOLDER_WORDS.contains(&w) && !concatenated(w) {
            return true;
        }
    }
    !any && v
        .chars()
        .any(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation())
}

/// A value without the syntax around it: spaces and punctuation at its
/// edges (`undefined,`, `(x)`).
fn core(v: &str) -> &str {
    v.trim()
        .trim_matches(|c: char| ",;:()[]{}'\"`".contains(c))
        .trim()
}

/// `mysecret`, `changeme`, `secretpassword`: placeholder words run together.
fn concatenated(w: &str) -> bool {
    if w.is_empty() {
        return true;
    }
    PLACEHOLDER_WORDS
        .iter()
        .any(|p| w.strip_prefix(p).is_some_and(concatenated))
}

/// The secret-shaped values of one repository, found wherever repository
/// text is shown.
#[derive(Debug, Default)]
pub struct Backstop {
    finder: Option<AhoCorasick>,
}

impl Backstop {
    /// A backstop for the secret-shaped ones of `values`, in the forms a
    /// repository writes them (as is, and escaped inside a JSON string).
    pub fn new(values: impl IntoIterator<Item = String>) -> Backstop {
        let mut all: BTreeSet<String> = BTreeSet::new();
        for v in values {
            let v = core(&v);
            if !secret_shaped(v) {
                continue;
            }
            if let Ok(j) = serde_json::to_string(v) {
                all.insert(j[1..j.len() - 1].to_string());
            }
            all.insert(v.to_string());
        }
        let finder = (!all.is_empty())
            .then(|| {
                // A contiguous NFA: building the DFA the default picks for a
                // few hundred long values costs more (about 30 million
                // instructions on a large repository, on the one thread
                // that runs between the walk and the report) than the
                // searches of finding texts it would speed up.
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&all)
                    .ok()
            })
            .flatten();
        Backstop { finder }
    }

    pub fn is_empty(&self) -> bool {
        self.finder.is_none()
    }

    /// Byte spans of the known values in `text`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        match &self.finder {
            Some(f) => f.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_secret_shaped() {
        for v in [
            "prisma",
            "secret",
            "deploy",
            "password",
            "root",
            "true",
            "1234",
            "changeme",
            "mysecret",
            "my-secret-123",
            "secretpassword",
            "YOUR_API_KEY",
            "CHANGE_ME",
            "${PRISMA_SECRET}",
            "$PRISMA_MANAGEMENT_API_SECRET",
            "${{ secrets.X }}",
            "<your-secret>",
            "xxxxxxxxxxxx",
            "********",
            "12345678",
            "prisma-deploy",
            "postgres",
            "keystone",
            "authentication",
            "undefined",
            "undefined,",
            "(postgres);",
        ] {
            assert!(!secret_shaped(v), "{v}");
        }
        for v in [
            "hunter2hunter2",
            "cnryZ8q7Lm",
            "s3cr3t-Value-9",
            "eyJhbGciOiJIUzI1NiJ9.abc",
            "AKIAIOSFODNN7EXAMPLE",
            "correct horse battery staple",
        ] {
            assert!(secret_shaped(v), "{v}");
        }
    }

    #[test]
    fn the_backstop_finds_shaped_values_only() {
        let b = Backstop::new(["prisma".to_string(), "cnryZ8q7Lm\"x".to_string()]);
        assert!(b.find("prisma deploy").is_empty());
        assert_eq!(b.find("a cnryZ8q7Lm\"x b"), [(2, 14)]);
        assert_eq!(b.find(r#"a cnryZ8q7Lm\"x b"#), [(2, 15)]);
    }
}
