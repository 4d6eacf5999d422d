//! Procfiles and Heroku `app.json`: line-oriented or small JSON files whose
//! commands run in the directory they sit in. Makefiles are in `makefile.rs`.

use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::{json_string, Snippet};
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
