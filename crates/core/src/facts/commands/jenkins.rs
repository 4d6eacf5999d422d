//! Jenkinsfiles: `sh` steps with the `environment { }` blocks and
//! `withEnv([...]) { }` wrappers around them.
//!
//! A Groovy parser would be heavy for this; a scanner that knows strings,
//! comments and braces finds the few shapes that matter.

use super::out::{Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;

#[derive(Debug, Clone)]
enum Tok {
    Ident(String, usize),
    /// A string literal: whole range, and its decoded text with positions.
    Str(usize, usize, Snippet),
    Punct(u8, usize),
}

/// Variables that apply to the `sh` steps inside a byte range.
struct Scoped {
    range: (usize, usize),
    scope: EnvScope,
}

pub(crate) fn extract(out: &mut Out) {
    let toks = tokens(out.file);
    let blocks = blocks(&toks, out.file.len());
    let mut scopes: Vec<Scoped> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Ident(name, at) if name == "environment" && is_punct(toks.get(i + 1), b'{') => {
                let inner = block_at(&blocks, *at);
                let outer = blocks
                    .iter()
                    .filter(|b| b.0 < inner.0 && b.1 > inner.1)
                    .count();
                let (kind, label) = if outer == 0 {
                    (ScopeKind::Global, "pipeline")
                } else {
                    (ScopeKind::Job, "stage")
                };
                let vars = environment_vars(out, &toks[i + 2..]);
                scopes.push(Scoped {
                    range: inner,
                    scope: EnvScope {
                        kind,
                        label: label.into(),
                        vars,
                    },
                });
            }
            Tok::Ident(name, _) if name == "withEnv" => {
                if let Some((vars, open)) = with_env(out, &toks[i + 1..]) {
                    let range = blocks
                        .iter()
                        .find(|b| b.0 == open)
                        .copied()
                        .unwrap_or((open, open));
                    scopes.push(Scoped {
                        range,
                        scope: EnvScope {
                            kind: ScopeKind::Step,
                            label: "withEnv".into(),
                            vars,
                        },
                    });
                }
            }
            _ => {}
        }
    }
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Ident(name, at) = tok else { continue };
        if name != "sh" || matches!(toks.get(i.wrapping_sub(1)), Some(Tok::Punct(b'.', _))) {
            continue;
        }
        let Some(snip) = sh_script(&toks[i + 1..]) else {
            continue;
        };
        let mut around: Vec<&Scoped> = scopes
            .iter()
            .filter(|s| s.range.0 <= *at && *at <= s.range.1)
            .collect();
        around.sort_by_key(|s| std::cmp::Reverse(s.range.0));
        let env = around
            .into_iter()
            .filter(|s| !s.scope.vars.is_empty())
            .map(|s| s.scope.clone())
            .collect();
        shell::run(
            out,
            &snip,
            &Ctx::new("Jenkinsfile sh".into(), &super::out::dir_of(out.path)).with_env(env),
        );
    }
}

fn is_punct(tok: Option<&Tok>, c: u8) -> bool {
    matches!(tok, Some(Tok::Punct(p, _)) if *p == c)
}

/// The innermost block that contains `at`, or the whole file.
fn block_at(blocks: &[(usize, usize)], at: usize) -> (usize, usize) {
    blocks
        .iter()
        .filter(|b| b.0 <= at && at <= b.1)
        .max_by_key(|b| b.0)
        .copied()
        .unwrap_or((0, usize::MAX))
}

/// `sh 'x'`, `sh "x"`, `sh('x')`, `sh(script: 'x')`, `sh script: 'x'`, and
/// named arguments in any order: `sh label: 'seed', returnStatus: true, script: 'x'`.
fn sh_script(rest: &[Tok]) -> Option<Snippet> {
    let mut k = 0;
    if is_punct(rest.get(k), b'(') {
        k += 1;
    }
    if let Some(Tok::Str(_, _, s)) = rest.get(k) {
        return Some(s.clone());
    }
    // Named arguments: `name: value` pairs separated by commas.
    while let (Some(Tok::Ident(name, _)), true) = (rest.get(k), is_punct(rest.get(k + 1), b':')) {
        if name == "script" {
            return match rest.get(k + 2) {
                Some(Tok::Str(_, _, s)) => Some(s.clone()),
                _ => None,
            };
        }
        // Skip the value (one token) and the comma after it.
        k += 3;
        if is_punct(rest.get(k), b',') {
            k += 1;
        } else {
            return None;
        }
    }
    None
}

/// `K = 'v'` and `K = credentials('id')` up to the block's `}`.
fn environment_vars(out: &Out, toks: &[Tok]) -> Vars {
    let mut vars = Vars::new();
    let mut k = 0;
    while k + 2 < toks.len() {
        if is_punct(toks.get(k), b'}') {
            break;
        }
        if let (Tok::Ident(name, at), true) = (&toks[k], is_punct(toks.get(k + 1), b'=')) {
            let value = match &toks[k + 2] {
                Tok::Str(_, _, s) if !s.text.contains('$') => Some(s.text.clone()),
                _ => None,
            };
            vars.insert(
                name.clone(),
                EnvVar {
                    value,
                    location: out.location((*at, at + name.len())),
                },
            );
            k += 3;
            continue;
        }
        k += 1;
    }
    vars
}

/// `(['K=v', ...]) {`: the variables and the offset of the `{`.
fn with_env(out: &Out, toks: &[Tok]) -> Option<(Vars, usize)> {
    let mut vars = Vars::new();
    for tok in toks.iter().take(256) {
        match tok {
            Tok::Str(a, b, s) => {
                let (name, value) = s.text.split_once('=').unwrap_or((&s.text, ""));
                let value = (!value.contains('$')).then(|| value.to_string());
                vars.insert(
                    name.to_string(),
                    EnvVar {
                        value,
                        location: out.location((*a, *b)),
                    },
                );
            }
            Tok::Punct(b'{', at) => return Some((vars, *at)),
            _ => {}
        }
    }
    None
}

/// Matching `{ }` pairs.
fn blocks(toks: &[Tok], len: usize) -> Vec<(usize, usize)> {
    let mut open = Vec::new();
    let mut pairs = Vec::new();
    for tok in toks {
        match tok {
            Tok::Punct(b'{', at) => open.push(*at),
            Tok::Punct(b'}', at) => pairs.extend(open.pop().map(|o| (o, *at))),
            _ => {}
        }
    }
    pairs.extend(open.into_iter().map(|o| (o, len)));
    pairs
}

/// Identifiers, punctuation and decoded strings; comments dropped.
fn tokens(text: &str) -> Vec<Tok> {
    let s = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if s[i..].starts_with(b"//") {
            i = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k);
        } else if s[i..].starts_with(b"/*") {
            i = s[i + 2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(s.len(), |k| i + 2 + k + 2);
        } else if c == b'\'' || c == b'"' {
            let (end, snip) = string(text, i);
            toks.push(Tok::Str(i, end, snip));
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let len = s[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            toks.push(Tok::Ident(text[i..i + len].to_string(), i));
            i += len;
        } else {
            if !c.is_ascii_whitespace() {
                toks.push(Tok::Punct(c, i));
            }
            i += 1;
        }
    }
    toks
}

/// A Groovy string starting at `i` (`'`, `"`, `'''` or `"""`): its end and decoded text.
fn string(text: &str, i: usize) -> (usize, Snippet) {
    let s = text.as_bytes();
    let q = s[i];
    let triple = s.get(i..i + 3).is_some_and(|t| t.iter().all(|&b| b == q));
    let open = if triple { 3 } else { 1 };
    let mut out = String::new();
    let mut map = Vec::new();
    let mut k = i + open;
    while k < s.len() {
        let closes = if triple {
            s[k..].starts_with(&[q, q, q])
        } else {
            s[k] == q || s[k] == b'\n'
        };
        if closes {
            let end = if s[k] == b'\n' && !triple {
                k
            } else {
                k + open
            };
            return (end, Snippet::mapped(out, map));
        }
        let (ch, width) = match (s[k], s.get(k + 1)) {
            (b'\\', Some(b'n')) => ('\n', 2),
            (b'\\', Some(b't')) => ('\t', 2),
            (b'\\', Some(b'\n')) => {
                k += 2;
                continue;
            }
            (b'\\', Some(_)) => (
                text[k + 1..].chars().next().unwrap_or(' '),
                1 + text[k + 1..].chars().next().map_or(1, char::len_utf8),
            ),
            _ => {
                let ch = text[k..].chars().next().unwrap_or(' ');
                (ch, ch.len_utf8())
            }
        };
        let raw = width == ch.len_utf8() && s[k] != b'\\';
        for b in 0..ch.len_utf8() {
            map.push(if raw {
                (k + b, k + b + 1)
            } else {
                (k, k + width)
            });
        }
        out.push(ch);
        k += width;
    }
    (s.len(), Snippet::mapped(out, map))
}

#[cfg(test)]
#[path = "jenkins_tests.rs"]
mod tests;
