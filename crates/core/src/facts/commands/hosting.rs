//! Hosting build settings: netlify.toml `command`s and vercel.json / now.json
//! `buildCommand`, `installCommand`, `devCommand`, with their environments.
//!
//! netlify.toml needs only tables, `key = "string"` pairs and inline tables,
//! so a few lines of reading replace a TOML dependency.

use super::out::{dir_of, join_path, Ctx, Out};
use super::script::{json_scope, json_snippet, object};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::{json_string, Snippet};
use jsonc_parser::ast::Value;
use std::collections::BTreeMap;

/// One `key = value` of a TOML table, the value as a positioned string.
struct Pair {
    table: String,
    key: String,
    value: Snippet,
    at: (usize, usize),
}

pub(crate) fn netlify(out: &mut Out) {
    let pairs = toml_pairs(out.file);
    let mut envs: BTreeMap<String, Vars> = BTreeMap::new();
    for p in pairs.iter().filter(|p| p.table.ends_with("environment")) {
        let context = p
            .table
            .trim_end_matches("environment")
            .trim_end_matches('.')
            .to_string();
        let value = (!p.value.text.contains('$')).then(|| p.value.text.clone());
        envs.entry(context).or_default().insert(
            p.key.clone(),
            EnvVar {
                value,
                location: out.location(p.at),
            },
        );
    }
    let scope = |context: &str, kind, label: String| {
        envs.get(context)
            .filter(|v| !v.is_empty())
            .map(|vars| EnvScope {
                kind,
                label,
                vars: vars.clone(),
            })
    };
    let base = pairs
        .iter()
        .find(|p| p.table == "build" && p.key == "base")
        .map(|p| p.value.text.clone());
    let cwd = join_path(&dir_of(out.path), base.as_deref().unwrap_or_default());
    let build_env = scope("build", ScopeKind::Global, "build.environment".into());
    for p in pairs.iter().filter(|p| p.key == "command") {
        let mut env: Vec<EnvScope> = Vec::new();
        if p.table != "build" && p.table != "dev" {
            env.extend(scope(
                &p.table,
                ScopeKind::Job,
                format!("{}.environment", p.table),
            ));
        }
        env.extend(build_env.clone());
        let ctx = Ctx::new(format!("netlify.toml [{}] command", p.table), &cwd).with_env(env);
        shell::run(out, &p.value, &ctx);
    }
}

/// Every string-valued pair, in file order; inline tables become dotted tables.
fn toml_pairs(text: &str) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut table = String::new();
    let mut at = 0;
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        let trimmed = line.trim();
        if let Some(header) = trimmed.strip_prefix('[') {
            let header = header
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default();
            table = header
                .split('.')
                .map(|s| s.trim().trim_matches('"'))
                .collect::<Vec<_>>()
                .join(".");
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        read_pairs(text, start + indent, trimmed, &table, &mut pairs);
    }
    pairs
}

/// Reads `key = "v"` or `key = { a = "1", b = "2" }` from `line` at file offset `at`.
fn read_pairs(file: &str, at: usize, line: &str, table: &str, pairs: &mut Vec<Pair>) {
    let Some((key, rest)) = line.split_once('=') else {
        return;
    };
    let key = key.trim().trim_matches('"').to_string();
    let value_at = at + line.len() - rest.trim_start().len();
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('{') {
        let inner = inner.split('}').next().unwrap_or_default();
        let mut offset = value_at + 1;
        for part in inner.split(',') {
            let lead = part.len() - part.trim_start().len();
            read_pairs(
                file,
                offset + lead,
                part.trim(),
                &format!("{table}.{key}"),
                pairs,
            );
            offset += part.len() + 1;
        }
        return;
    }
    let value = match rest.as_bytes().first() {
        Some(b'"') => json_string(rest, value_at),
        Some(b'\'') => rest[1..]
            .split('\'')
            .next()
            .map(|v| Snippet::verbatim(v, value_at + 1)),
        _ => None,
    };
    if let Some(value) = value {
        let end = value_at + rest.trim_end().len();
        pairs.push(Pair {
            table: table.to_string(),
            key,
            value,
            at: (at, end.min(file.len())),
        });
    }
}

pub(crate) fn vercel(out: &mut Out) {
    let Ok(parsed) = jsonc_parser::parse_to_ast(out.file, &Default::default(), &Default::default())
    else {
        return;
    };
    let Some(Value::Object(root)) = parsed.value.as_ref() else {
        return;
    };
    let mut env: Option<EnvScope> = json_scope(out, object(root, "env"), ScopeKind::Global, "env");
    if let Some(build) = json_scope(
        out,
        object(root, "build").and_then(|b| object(b, "env")),
        ScopeKind::Global,
        "build.env",
    ) {
        match env.as_mut() {
            Some(e) => e.vars.extend(build.vars),
            None => env = Some(build),
        }
    }
    let dir = dir_of(out.path);
    for key in ["installCommand", "buildCommand", "devCommand"] {
        let Some(snip) = root.get(key).and_then(|p| json_snippet(out.file, &p.value)) else {
            continue;
        };
        let name = out.path.rsplit('/').next().unwrap_or(out.path);
        let ctx =
            Ctx::new(format!("{name} {key}"), &dir).with_env(env.clone().into_iter().collect());
        shell::run(out, &snip, &ctx);
    }
}

/// The variables a hosting config gives its deployments, with literal
/// values: vercel.json / now.json `env` and `build.env`, app.json `env`.
pub fn hosting_env(
    path: &str,
    kind: crate::kind::FileKind,
    text: &str,
) -> Vec<(String, String, crate::finding::Location)> {
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return Vec::new();
    };
    let Some(Value::Object(root)) = parsed.value.as_ref() else {
        return Vec::new();
    };
    let out = Out::new(path, text, super::keep::Keep::All);
    let objects = match kind {
        crate::kind::FileKind::Vercel => vec![
            object(root, "env"),
            object(root, "build").and_then(|b| object(b, "env")),
        ],
        crate::kind::FileKind::HerokuApp => vec![object(root, "env")],
        _ => Vec::new(),
    };
    objects
        .into_iter()
        .filter_map(|o| json_scope(&out, o, ScopeKind::Global, "env"))
        .flat_map(|s| s.vars.into_iter())
        .filter_map(|(k, v)| Some((k, v.value?, v.location)))
        .collect()
}

#[cfg(test)]
#[path = "hosting_tests.rs"]
mod tests;
