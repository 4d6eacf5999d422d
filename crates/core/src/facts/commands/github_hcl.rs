//! GitHub Actions' first workflow format (HCL, `.github/main.workflow`,
//! 2018-2019, the years of Prisma 1): each `action` block's `runs` + `args`
//! is a command, run at the repository's top with the block's `env` and
//! `secrets` (named secrets are provided, their values not shown).

use super::lex::{lex, Tok};
use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;

/// Blocks and keys beyond these are not read: hostile files.
const MAX_BLOCKS: usize = 512;

/// A value of an action's key, with the byte range of each string in it.
#[derive(Debug)]
enum Value {
    Str(String, usize),
    List(Vec<(String, usize)>),
    Map(Vec<(String, String, usize)>),
}

pub(crate) fn extract(out: &mut Out) {
    let text = out.file;
    let dir = dir_of(out.path);
    // The repository's top: the folder holding `.github/`.
    let root = dir
        .strip_suffix(".github")
        .map(|d| d.trim_end_matches('/').to_string())
        .unwrap_or(dir);
    for (name, keys) in blocks(text).into_iter().take(MAX_BLOCKS) {
        let get = |k: &str| keys.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        let uses = match get("uses") {
            Some(Value::Str(s, _)) => s.as_str(),
            _ => "",
        };
        let mut vars = Vars::new();
        if let Some(Value::Map(env)) = get("env") {
            for (k, v, at) in env {
                vars.insert(
                    k.clone(),
                    EnvVar {
                        value: (!v.contains('$')).then(|| v.clone()),
                        location: out.location((*at, *at + v.len())),
                    },
                );
            }
        }
        if let Some(Value::List(secrets)) = get("secrets") {
            for (s, at) in secrets {
                vars.insert(
                    s.clone(),
                    EnvVar {
                        value: None,
                        location: out.location((*at, *at + s.len())),
                    },
                );
            }
        }
        let env: Vec<EnvScope> = (!vars.is_empty())
            .then(|| EnvScope {
                kind: ScopeKind::Step,
                label: format!("action \"{name}\""),
                vars,
            })
            .into_iter()
            .collect();
        let ctx = Ctx::new(
            format!("GitHub Actions (main.workflow) action \"{name}\""),
            &root,
        )
        .with_env(env);
        // `runs`, else what the action's image runs (`actions/npm` runs npm).
        let mut parts: Vec<Snippet> = match get("runs") {
            Some(Value::Str(s, at)) => words(s, *at),
            Some(Value::List(l)) => l.iter().map(|(s, at)| Snippet::verbatim(s, *at)).collect(),
            _ if uses.starts_with("actions/npm") => vec![Snippet::whole("npm", 0, 0)],
            _ => Vec::new(),
        };
        if parts.is_empty() {
            continue;
        }
        match get("args") {
            Some(Value::Str(s, at)) => parts.extend(words(s, *at)),
            Some(Value::List(l)) => parts.extend(l.iter().map(|(s, at)| Snippet::verbatim(s, *at))),
            _ => {}
        }
        shell::run_argv(out, &parts, &ctx);
    }
}

/// A string's words, each mapped to where it is written.
fn words(s: &str, at: usize) -> Vec<Snippet> {
    let snip = Snippet::verbatim(s, at);
    lex(s, super::lex::Dialect::Shell)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(snip.derive(&w.value, &w.idx)),
            _ => None,
        })
        .collect()
}

/// `action "NAME" { key = value ... }` blocks, read linearly: names, keys,
/// values (`"string"`, `["a", "b"]`, `{ K = "v" }`); anything else skipped.
fn blocks(text: &str) -> Vec<(String, Vec<(String, Value)>)> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() && out.len() < MAX_BLOCKS {
        skip_space(b, &mut i);
        let Some(word) = ident(text, &mut i) else {
            i += 1;
            continue;
        };
        skip_space(b, &mut i);
        let Some((name, _)) = string(text, &mut i) else {
            continue;
        };
        skip_space(b, &mut i);
        if b.get(i) != Some(&b'{') {
            continue;
        }
        i += 1;
        let keys = body(text, &mut i);
        if word == "action" {
            out.push((name, keys));
        }
    }
    out
}

/// `key = value` pairs up to the closing `}`.
fn body(text: &str, i: &mut usize) -> Vec<(String, Value)> {
    let b = text.as_bytes();
    let mut keys = Vec::new();
    loop {
        skip_space(b, i);
        match b.get(*i) {
            None => return keys,
            Some(b'}') => {
                *i += 1;
                return keys;
            }
            _ => {}
        }
        let Some(key) = ident(text, i).or_else(|| string(text, i).map(|(s, _)| s)) else {
            *i += 1;
            continue;
        };
        skip_space(b, i);
        if b.get(*i) != Some(&b'=') {
            continue;
        }
        *i += 1;
        skip_space(b, i);
        let value = match b.get(*i) {
            Some(b'"') => string(text, i).map(|(s, at)| Value::Str(s, at)),
            Some(b'[') => {
                *i += 1;
                let mut items = Vec::new();
                loop {
                    skip_space(b, i);
                    match b.get(*i) {
                        Some(b'"') => items.extend(string(text, i)),
                        Some(b',') => *i += 1,
                        Some(b']') | None => break,
                        _ => *i += 1,
                    }
                }
                *i += 1;
                Some(Value::List(items))
            }
            Some(b'{') => {
                *i += 1;
                let pairs = body(text, i)
                    .into_iter()
                    .filter_map(|(k, v)| match v {
                        Value::Str(s, at) => Some((k, s, at)),
                        _ => None,
                    })
                    .collect();
                Some(Value::Map(pairs))
            }
            _ => None,
        };
        if let Some(v) = value {
            keys.push((key, v));
        }
    }
}

fn skip_space(b: &[u8], i: &mut usize) {
    while let Some(&c) = b.get(*i) {
        if c.is_ascii_whitespace() {
            *i += 1;
        } else if c == b'#' || (c == b'/' && b.get(*i + 1) == Some(&b'/')) {
            while b.get(*i).is_some_and(|c| *c != b'\n') {
                *i += 1;
            }
        } else {
            break;
        }
    }
}

fn ident(text: &str, i: &mut usize) -> Option<String> {
    let b = text.as_bytes();
    let start = *i;
    while b
        .get(*i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
    {
        *i += 1;
    }
    (*i > start).then(|| text[start..*i].to_string())
}

/// A `"..."` string at `i` (escapes kept simple: `\"` and `\\`), and where
/// its content starts.
fn string(text: &str, i: &mut usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    if b.get(*i) != Some(&b'"') {
        return None;
    }
    let start = *i + 1;
    let mut j = start;
    while let Some(&c) = b.get(j) {
        match c {
            b'\\' => j += 2,
            b'"' => break,
            b'\n' => return None,
            _ => j += 1,
        }
    }
    let end = j.min(b.len());
    *i = (end + 1).min(b.len());
    Some((
        text.get(start..end)?
            .replace("\\\"", "\"")
            .replace("\\\\", "\\"),
        start,
    ))
}

#[cfg(test)]
#[path = "github_hcl_tests.rs"]
mod tests;
