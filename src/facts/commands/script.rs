//! Makefiles, Procfiles and Heroku `app.json`: line-oriented or small JSON
//! files whose commands run in the directory they sit in.

use super::text::{json_string, Snippet};
use super::{dir_of, shell, Ctx, Dialect, Out};
use crate::facts::commands::{EnvScope, EnvVar, ScopeKind, Vars};
use jsonc_parser::ast::{Object, Value};

/// Lines of `text` with their byte offsets, without terminators.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (at, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// What a Makefile's top level says about the environment of its recipes.
#[derive(Default)]
struct MakeVars {
    plain: Vars,
    exported: Vars,
    /// Bare `export`: every variable goes to the environment.
    export_all: bool,
    includes: Vec<String>,
}

pub(crate) fn makefile(out: &mut Out) {
    let dir = dir_of(out.path);
    let mut vars = MakeVars::default();
    let mut recipes: Vec<(String, Snippet)> = Vec::new();
    let mut target: Option<String> = None;
    let mut all = lines(out.file).peekable();
    while let Some((at, line)) = all.next() {
        // A logical line ends at a newline not preceded by a backslash.
        let mut end = at + line.len();
        let mut last = line;
        while last.ends_with('\\') {
            let Some((next_at, next)) = all.next() else {
                break;
            };
            end = next_at + next.len();
            last = next;
        }
        let logical = out.file.get(at..end).unwrap_or_default();
        if let (Some(t), Some(body)) = (&target, logical.strip_prefix('\t')) {
            let skip = body.len() - body.trim_start_matches(['@', '-', '+', ' ', '\t']).len();
            recipes.push((t.clone(), Snippet::verbatim(&body[skip..], at + 1 + skip)));
            continue;
        }
        let trimmed = logical.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        target = top_level(
            out,
            trimmed,
            at + (logical.len() - logical.trim_start().len()),
            &mut vars,
        );
    }
    let scope = make_scope(vars.exported_vars());
    let mut env_files = Vec::new();
    if vars.export_all {
        env_files.extend(vars.includes.iter().filter(|f| f.contains(".env")).cloned());
    }
    for (t, snip) in recipes {
        let mut ctx = Ctx::new(format!("Makefile target \"{t}\""), &dir)
            .with_env(scope.clone().into_iter().collect());
        ctx.dialect = Dialect::Make;
        ctx.env_files = env_files.clone();
        // Every recipe line runs in a shell of its own.
        shell::run(out, &snip, &ctx);
    }
}

impl MakeVars {
    fn exported_vars(&self) -> Vars {
        let mut vars = self.exported.clone();
        if self.export_all {
            for (k, v) in &self.plain {
                vars.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        vars
    }
}

fn make_scope(vars: Vars) -> Option<EnvScope> {
    (!vars.is_empty()).then(|| EnvScope {
        kind: ScopeKind::Makefile,
        label: "Makefile".into(),
        vars,
    })
}

/// Reads one top-level line; returns the rule target it opens, if any.
fn top_level(out: &Out, line: &str, at: usize, vars: &mut MakeVars) -> Option<String> {
    let (exported, rest) = match line.strip_prefix("export") {
        Some(r) if r.is_empty() || r.starts_with([' ', '\t']) => (true, r.trim_start()),
        _ => (false, line.strip_prefix("override ").unwrap_or(line)),
    };
    let loc = |name: &str| out.location((at, at + line.find(name).unwrap_or(0) + name.len()));
    if exported && rest.is_empty() {
        vars.export_all = true;
        return None;
    }
    if let Some(files) = rest
        .strip_prefix("include ")
        .or_else(|| rest.strip_prefix("-include "))
        .or_else(|| rest.strip_prefix("sinclude "))
    {
        vars.includes
            .extend(files.split_whitespace().map(str::to_string));
        return None;
    }
    if let Some((name, value)) = assignment(rest) {
        let var = EnvVar {
            value: (!value.contains('$')).then(|| value.to_string()),
            location: loc(name),
        };
        let map = if exported {
            &mut vars.exported
        } else {
            &mut vars.plain
        };
        map.insert(name.to_string(), var);
        return None;
    }
    if exported {
        for name in rest.split_whitespace() {
            let var = vars.plain.get(name).cloned().unwrap_or(EnvVar {
                value: None,
                location: loc(name),
            });
            vars.exported.insert(name.to_string(), var);
        }
        return None;
    }
    let (head, _) = rest.split_once(':')?;
    let first = [
        "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "define", "endef",
    ];
    if first.iter().any(|k| head.starts_with(k)) {
        return None;
    }
    Some(head.trim().to_string())
}

/// `NAME = v`, `NAME := v`, `NAME ?= v`, `NAME += v`, `NAME ::= v`.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let eq = line.find('=')?;
    let name = line[..eq].trim_end_matches([':', '?', '+', '!']).trim();
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    valid.then(|| (name, line[eq + 1..].trim()))
}

pub(crate) fn procfile(out: &mut Out) {
    let dir = dir_of(out.path);
    for (at, line) in lines(out.file) {
        let Some((name, command)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.starts_with('#') || name.contains(' ') {
            continue;
        }
        let start = at + name.len() + 1 + (command.len() - command.trim_start().len());
        let ctx = Ctx::new(format!("Procfile process \"{name}\""), &dir);
        shell::run(out, &Snippet::verbatim(command.trim(), start), &ctx);
    }
}

/// A JSON string value as a positioned snippet.
pub(crate) fn json_snippet(file: &str, value: &Value) -> Option<Snippet> {
    let Value::StringLit(lit) = value else {
        return None;
    };
    let raw = file.get(lit.range.start..lit.range.end)?;
    Some(
        json_string(raw, lit.range.start)
            .unwrap_or_else(|| Snippet::whole(&lit.value, lit.range.start, lit.range.end)),
    )
}

/// The object under `key`.
pub(crate) fn object<'a, 'b>(obj: &'b Object<'a>, key: &str) -> Option<&'b Object<'a>> {
    match obj.get(key).map(|p| &p.value) {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

/// A JSON object of `NAME: "value"` as a scope; `$` references have no known value.
pub(crate) fn json_scope(
    out: &Out,
    obj: Option<&Object>,
    kind: ScopeKind,
    label: &str,
) -> Option<EnvScope> {
    let mut vars = Vars::new();
    for prop in obj.map(|o| o.properties.as_slice()).unwrap_or_default() {
        let value = match &prop.value {
            Value::StringLit(s) => Some(s.value.to_string()),
            Value::NumberLit(n) => Some(n.value.to_string()),
            Value::BooleanLit(b) => Some(b.value.to_string()),
            Value::Object(o) => {
                let literal = o.get_string("value").map(|s| s.value.to_string());
                let required = matches!(o.get("required").map(|p| &p.value), Some(Value::BooleanLit(b)) if b.value);
                if literal.is_none() && !required && o.get("generator").is_none() {
                    continue;
                }
                literal
            }
            _ => continue,
        };
        let range = prop.range;
        let value = value.filter(|v| !v.contains('$'));
        vars.insert(
            prop.name.as_str().to_string(),
            EnvVar {
                value,
                location: out.location((range.start, range.end)),
            },
        );
    }
    (!vars.is_empty()).then(|| EnvScope {
        kind,
        label: label.to_string(),
        vars,
    })
}

pub(crate) fn heroku_app(out: &mut Out) {
    let Ok(parsed) = jsonc_parser::parse_to_ast(out.file, &Default::default(), &Default::default())
    else {
        return;
    };
    let Some(Value::Object(root)) = parsed.value.as_ref() else {
        return;
    };
    let env = json_scope(out, object(root, "env"), ScopeKind::Global, "app.json env");
    let dir = dir_of(out.path);
    for prop in object(root, "scripts")
        .map(|o| o.properties.as_slice())
        .unwrap_or_default()
    {
        let command = match &prop.value {
            Value::Object(o) => o.get("command").map(|p| &p.value),
            v => Some(v),
        };
        let Some(snip) = command.and_then(|c| json_snippet(out.file, c)) else {
            continue;
        };
        let ctx = Ctx::new(format!("app.json script \"{}\"", prop.name.as_str()), &dir)
            .with_env(env.clone().into_iter().collect());
        shell::run(out, &snip, &ctx);
    }
}

#[cfg(test)]
#[path = "script_tests.rs"]
mod tests;
