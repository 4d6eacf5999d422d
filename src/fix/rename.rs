//! Fix for `misnamed-management-secret`: rename `PRISMA_MANAGEMENT_SECRET` /
//! `PRISMA_API_MANAGEMENT_SECRET` to PRISMA_MANAGEMENT_API_SECRET everywhere
//! the repository names it, as one fix.
//!
//! Every occurrence of the old name (as a whole word) in a scanned file is
//! one of: a *definition* (`NAME=...`, `NAME: ...`, `- NAME` in compose), a
//! *read* (`$NAME`, `${NAME}`, `process.env.NAME`, `${env:NAME}`, a string),
//! or a reference to a secret of that name in the CI system (`secrets.NAME`,
//! `vars.NAME`), which is left as it is: the secret's own name does not matter.
//!
//! The rename is **safe** when the repository holds the value's source: some
//! definition gives a value other than the same name read from outside, and
//! no copy lives in an env template (`.env.example`, whose real counterpart
//! is uncommitted). Otherwise it is **unsafe**: the outside source (a shell,
//! CI settings, an uncommitted `.env`) must be renamed too.

use super::context::{is_name_byte, Ctx, Sources, SECRET_VAR};
use crate::finding::Finding;
use crate::finding::{Applicability, Edit, Fix};
use crate::kind::FileKind;
use crate::text::Text;
use std::collections::{BTreeMap, BTreeSet};

pub const OLD_NAMES: [&str; 2] = ["PRISMA_MANAGEMENT_SECRET", "PRISMA_API_MANAGEMENT_SECRET"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Defines the variable with a value of its own.
    Source,
    /// Defines it from the same name outside (`NAME=${NAME}`, compose `- NAME`).
    PassThrough,
    Read,
    /// `secrets.NAME` / `vars.NAME`: the CI store's name, not the variable.
    Store,
}

/// The rename fix for each old name found, keyed by the files whose findings get it.
pub fn fixes(
    findings: &[Finding],
    ctx: &Ctx<'_>,
    src: &mut Sources,
) -> BTreeMap<String, Vec<(String, Fix)>> {
    let mut out: BTreeMap<String, Vec<(String, Fix)>> = BTreeMap::new();
    let wanted: BTreeSet<&str> = OLD_NAMES
        .iter()
        .copied()
        .filter(|n| {
            findings.iter().any(|f| {
                f.rule == "misnamed-management-secret"
                    && f.suppressed.is_none()
                    && f.matched.masked().contains(n)
            })
        })
        .collect();
    if wanted.is_empty() {
        return out;
    }
    let files: BTreeSet<&String> = ctx.kinds.keys().chain(ctx.facts.files.keys()).collect();
    for name in wanted {
        let Some(fix) = rename(name, &files, ctx, src) else {
            continue;
        };
        for f in findings
            .iter()
            .filter(|f| f.rule == "misnamed-management-secret" && f.matched.masked().contains(name))
        {
            out.entry(f.location.path.to_string())
                .or_default()
                .push((name.to_string(), fix.clone()));
        }
    }
    out
}

fn rename(name: &str, files: &BTreeSet<&String>, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    let mut edits = Vec::new();
    let mut roles = Vec::new();
    let mut templates = BTreeSet::new();
    let mut clashes = BTreeSet::new();
    let mut unreadable = BTreeSet::new();
    for path in files {
        let Some(text) = src.text(path) else {
            // A copy we cannot edit (not UTF-8) would be left behind.
            if src
                .get(path)
                .is_some_and(|b| memchr::memmem::find(b, name.as_bytes()).is_some())
            {
                unreadable.insert(path.to_string());
            }
            continue;
        };
        let hits = occurrences(&text, name);
        if hits.is_empty() {
            continue;
        }
        let kind = ctx.kinds.get(*path).copied().unwrap_or(FileKind::Text);
        let mut edited = false;
        for (at, role) in hits {
            roles.push(role);
            if role == Role::Store {
                continue;
            }
            edited = true;
            edits.push(Edit {
                path: path.to_string(),
                start: at,
                end: at + name.len(),
                replacement: SECRET_VAR.to_string(),
            });
        }
        if edited && kind == FileKind::Env && is_template(path) {
            templates.insert(path.to_string());
        }
        if edited && !occurrences(&text, SECRET_VAR).is_empty() {
            clashes.insert(path.to_string());
        }
    }
    if edits.is_empty() {
        return None;
    }
    let has_source = roles.contains(&Role::Source);
    let outside = roles
        .iter()
        .any(|r| matches!(r, Role::PassThrough | Role::Read));
    let files: BTreeSet<&str> = edits.iter().map(|e| e.path.as_str()).collect();
    let (applicability, action) = if !unreadable.is_empty() {
        (
            Applicability::Unsafe,
            Some(format!(
                "rename {name} by hand in {} (not UTF-8 text, so not edited)",
                join(unreadable.iter().map(String::as_str))
            )),
        )
    } else if !clashes.is_empty() {
        (
            Applicability::Unsafe,
            Some(format!(
                "{} already set {SECRET_VAR}: keep one value and remove the duplicate after the rename",
                join(clashes.iter().map(String::as_str))
            )),
        )
    } else if !templates.is_empty() {
        (
            Applicability::Unsafe,
            Some(format!(
                "rename {name} to {SECRET_VAR} in the uncommitted env files made from {} too",
                join(templates.iter().map(String::as_str))
            )),
        )
    } else if outside && !has_source {
        (
            Applicability::Unsafe,
            Some(format!(
                "{name} comes from outside the repository: set {SECRET_VAR} there instead (shell, CI settings, hosting platform)"
            )),
        )
    } else {
        (Applicability::Safe, None)
    };
    Some(Fix {
        applicability,
        // The name is one the rule recognises; the rest are paths.
        description: Text::tool(format!(
            "Rename {name} to {SECRET_VAR} in {}",
            join(files.iter().copied())
        )),
        edits,
        action: action.map(Text::tool),
        diff: Text::default(),
    })
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`.
fn is_template(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["example", "sample", "template", "dist", "tmpl"]
        .iter()
        .any(|w| file.contains(w))
}

/// Every whole-word occurrence of `name` with its role.
fn occurrences(text: &str, name: &str) -> Vec<(usize, Role)> {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, name.as_bytes())
        .filter(|&i| {
            let end = i + name.len();
            (i == 0 || !is_name_byte(b[i - 1])) && b.get(end).is_none_or(|c| !is_name_byte(*c))
        })
        .map(|i| (i, role(text, i, name)))
        .collect()
}

fn role(text: &str, at: usize, name: &str) -> Role {
    // Windows around the name, not whole lines: a minified file can hold
    // one long line with many copies, and the role shows near the name.
    const BEFORE: usize = 80;
    const AFTER: usize = 400;
    let b = text.as_bytes();
    let mut from = at.saturating_sub(BEFORE);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let line_start = memchr::memrchr(b'\n', &b[from..at]).map_or(from, |i| from + i + 1);
    let end = at + name.len();
    let mut to = (end + AFTER).min(b.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let line_end = memchr::memchr(b'\n', &b[end..to]).map_or(to, |i| end + i);
    let before = &text[line_start..at];
    let after = &text[end..line_end];
    // A line that starts before the window cannot be a bare `- NAME` item.
    let whole_line = line_start > from || from == 0;
    if before.ends_with("secrets.") || before.ends_with("vars.") {
        return Role::Store;
    }
    if before.ends_with('$')
        || before.ends_with("${")
        || before.ends_with("env:")
        || before.ends_with("env.")
    {
        return Role::Read;
    }
    let rest = after.trim_start_matches(['"', '\'']).trim_start();
    let value = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix(':').filter(|r| !r.starts_with(':')));
    match value {
        Some(v) => {
            let v = v.trim();
            if v.is_empty() || occurrences(v, name).iter().any(|(_, r)| *r != Role::Store) {
                Role::PassThrough
            } else {
                Role::Source
            }
        }
        // `- NAME` in a compose `environment:` list passes the host's value on.
        None if whole_line && before.trim() == "-" && after.trim().is_empty() => Role::PassThrough,
        None => Role::Read,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const N: &str = "PRISMA_MANAGEMENT_SECRET";

    fn roles(text: &str) -> Vec<Role> {
        occurrences(text, N).into_iter().map(|(_, r)| r).collect()
    }

    #[test]
    fn roles_of_occurrences() {
        assert_eq!(roles("PRISMA_MANAGEMENT_SECRET=abc\n"), [Role::Source]);
        assert_eq!(
            roles("  PRISMA_MANAGEMENT_SECRET: ${{ secrets.PRISMA_MANAGEMENT_SECRET }}\n"),
            [Role::Source, Role::Store]
        );
        assert_eq!(
            roles("  PRISMA_MANAGEMENT_SECRET: ${{ secrets.MGMT }}\n"),
            [Role::Source]
        );
        assert_eq!(roles("- PRISMA_MANAGEMENT_SECRET\n"), [Role::PassThrough]);
        assert_eq!(
            roles("PRISMA_MANAGEMENT_SECRET=${PRISMA_MANAGEMENT_SECRET}\n"),
            [Role::PassThrough, Role::Read]
        );
        assert_eq!(
            roles("s = process.env.PRISMA_MANAGEMENT_SECRET\n"),
            [Role::Read]
        );
        assert_eq!(roles("x: ${PRISMA_MANAGEMENT_SECRET}\n"), [Role::Read]);
        // A copy deep in a long line is still classified, quickly.
        let long = format!(
            "{}x = '{N}'; y = $PRISMA_MANAGEMENT_SECRET\n",
            "a".repeat(10_000)
        );
        assert_eq!(roles(&long), [Role::Read, Role::Read]);
        // Longer names are other variables.
        assert!(roles("PRISMA_MANAGEMENT_SECRET_X=1 XPRISMA_MANAGEMENT_SECRET=2").is_empty());
    }
}
