//! Dockerfiles: `RUN`, `CMD` and `ENTRYPOINT` in shell and exec form, with
//! the `ENV`/`ARG` of their stage and the `WORKDIR` they run in.

use super::lex::{lex, Tok};
use super::out::{dir_of, join_path, Ctx, Out};
use super::peeled::is_assignment;
use super::script::json_snippet;
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;
use jsonc_parser::ast::Value;

/// What a stage has set up so far.
struct Stage {
    cwd: String,
    vars: Vars,
    index: usize,
}

/// The image the Dockerfile's last stage builds, as far as it holds files
/// of the build context.
pub(crate) fn image_layout(text: &str) -> super::image::ImageLayout {
    super::image::layout(instructions(text).into_iter().filter_map(|(a, b)| {
        let t = text.get(a..b)?;
        let k = t.find(|c: char| c.is_whitespace()).unwrap_or(t.len());
        Some((t[..k].to_ascii_uppercase(), t[k..].trim().to_string()))
    }))
}

pub(crate) fn extract(out: &mut Out) {
    let dir = dir_of(out.path);
    let layout = image_layout(out.file);
    let mut workdir = "/".to_string();
    let mut stage = Stage {
        cwd: dir.clone(),
        vars: Vars::new(),
        index: 0,
    };
    for (start, end) in instructions(out.file) {
        let text = out.file.get(start..end).unwrap_or_default();
        let keyword_len = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
        let keyword = text[..keyword_len].to_ascii_uppercase();
        let rest = &text[keyword_len..];
        let args_at = start + keyword_len + (rest.len() - rest.trim_start().len());
        let args = Snippet::verbatim(rest.trim_start(), args_at);
        match keyword.as_str() {
            "FROM" => {
                workdir = "/".to_string();
                stage = Stage {
                    cwd: dir.clone(),
                    vars: Vars::new(),
                    index: stage.index + 1,
                }
            }
            "ENV" | "ARG" => define(out, &args, keyword == "ENV", &mut stage.vars),
            "WORKDIR" => {
                let target = args.text.trim().trim_matches('"');
                if !target.contains('$') {
                    workdir = format!("/{}", join_path(workdir.trim_start_matches('/'), target));
                }
                // Where the image holds a copy of the build context (`COPY . .`),
                // its commands run in the repository's own folder.
                stage.cwd = match layout.context_folder(&workdir) {
                    Some(f) => join_path(&dir, &f),
                    None if target.starts_with('/') || target.starts_with('$') => dir.clone(),
                    None => join_path(&stage.cwd, target),
                };
            }
            "RUN" | "CMD" | "ENTRYPOINT" => command(out, &args, &keyword, &stage),
            _ => {}
        }
    }
}

/// Byte ranges of instructions, continuation lines joined and comment lines skipped.
fn instructions(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending: Option<String> = None;
    let mut at = 0;
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        let body = line.trim_end_matches('\r');
        let trimmed = body.trim_start();
        if current.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(delim) = pending.as_deref() {
            // The body of a BuildKit here-document belongs to its instruction.
            if body.trim() == delim {
                pending = None;
                if let Some(begin) = current.take() {
                    out.push((begin, start + body.len()));
                }
            }
            continue;
        }
        let begin = *current.get_or_insert(start + (body.len() - trimmed.len()));
        if trimmed.starts_with('#') || body.trim_end().ends_with('\\') {
            continue;
        }
        if let Some(delim) = heredoc_delimiter(&text[begin..start + body.len()]) {
            pending = Some(delim);
            continue;
        }
        out.push((begin, start + body.len()));
        current = None;
    }
    if let Some(begin) = current {
        out.push((begin, text.len()));
    }
    out
}

/// The delimiter of a BuildKit here-document (`RUN <<EOF`, `RUN <<-"EOT" bash`)
/// that an instruction opens, if any.
fn heredoc_delimiter(instruction: &str) -> Option<String> {
    let k = instruction.find("<<")?;
    let rest = instruction[k + 2..].trim_start_matches('-');
    let rest = rest.trim_start_matches(['"', '\'']);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `ENV K=V K2=V2`, the legacy `ENV K V`, and `ARG K[=V]`.
fn define(out: &Out, args: &Snippet, env: bool, vars: &mut Vars) {
    let words: Vec<_> = lex(&args.text, super::lex::Dialect::Shell)
        .into_iter()
        .filter_map(|t| if let Tok::Word(w) = t { Some(w) } else { None })
        .collect();
    if env && words.len() >= 2 && !is_assignment(&words[0]) {
        let value = args.text.get(words[0].end..).unwrap_or_default().trim();
        let value = (!value.contains('$')).then(|| value.to_string());
        vars.insert(
            words[0].value.clone(),
            EnvVar {
                value,
                location: out.location(args.span(0, args.text.len())),
            },
        );
        return;
    }
    for w in words {
        let (name, value) = match w.value.split_once('=') {
            Some((n, v)) => (n.to_string(), w.literal.then(|| v.to_string())),
            None => (w.value.clone(), None),
        };
        vars.insert(
            name,
            EnvVar {
                value,
                location: out.location(args.span(w.start, w.end)),
            },
        );
    }
}

fn command(out: &mut Out, args: &Snippet, keyword: &str, stage: &Stage) {
    let scope = EnvScope {
        kind: ScopeKind::Dockerfile,
        label: format!("stage {}", stage.index.max(1)),
        vars: stage.vars.clone(),
    };
    let env = if stage.vars.is_empty() {
        Vec::new()
    } else {
        vec![scope]
    };
    let ctx = Ctx::new(format!("Dockerfile {keyword}"), &stage.cwd).with_env(env);
    // `RUN --mount=type=cache,target=/x cmd`: flags of the instruction, not of the command.
    let mut skip = 0;
    while args.text[skip..].starts_with("--") {
        let flag_end = args.text[skip..]
            .find(char::is_whitespace)
            .map_or(args.text.len(), |k| skip + k);
        skip = flag_end + (args.text[flag_end..].len() - args.text[flag_end..].trim_start().len());
    }
    let body = args.slice(skip, args.text.len());
    if body.text.starts_with("<<") {
        // `RUN <<EOF`: the here-document is the script.
        let first_nl = body.text.find('\n').unwrap_or(body.text.len());
        let last_nl = body
            .text
            .rfind('\n')
            .unwrap_or(body.text.len())
            .max(first_nl);
        let script = body.slice((first_nl + 1).min(last_nl), last_nl);
        shell::run(out, &script, &ctx);
        return;
    }
    if body.text.starts_with('[') {
        if let Some(parts) = exec_form(&body) {
            shell::run_argv(out, &parts, &ctx);
            return;
        }
    }
    shell::run(out, &body, &ctx);
}

/// `["prisma", "deploy"]` as one snippet per argument.
fn exec_form(body: &Snippet) -> Option<Vec<Snippet>> {
    let parsed =
        jsonc_parser::parse_to_ast(&body.text, &Default::default(), &Default::default()).ok()?;
    let Some(Value::Array(items)) = parsed.value.as_ref() else {
        return None;
    };
    let mut parts = Vec::new();
    for item in &items.elements {
        let local = json_snippet(&body.text, item)?;
        let map: Vec<(usize, usize)> = (0..local.text.len())
            .map(|i| {
                let (a, b) = local.span(i, i + 1);
                (body.span(a, a + 1).0, body.span(b.saturating_sub(1), b).1)
            })
            .collect();
        parts.push(Snippet::mapped(local.text, map));
    }
    Some(parts)
}

#[cfg(test)]
#[path = "dockerfile_tests.rs"]
mod tests;
