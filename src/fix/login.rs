//! Unsafe fix for `cloud-login`: remove the `prisma1 login` command (the whole
//! CI step when it is the step's only command, its line when it has one, or
//! its link in an `a && b` chain) and the session-key variables it used,
//! when their entries sit in the same file and nothing else reads them.
//!
//! It is unsafe because the commands that relied on the session now need
//! PRISMA_MANAGEMENT_API_SECRET (see `missing-management-secret`).

use super::context::{is_name_byte, Ctx, Sources};
use super::yaml_nav::{self, entry_end, line_end, line_start, locate};
use crate::facts::commands::CommandSite;
use crate::finding::Finding;
use crate::finding::{Applicability, Edit, Fix};
use crate::kind::FileKind;
use crate::text::{RepoText, Text};
use crate::yaml::Node;

const SESSION_VAR: &str = "PRISMA_CLOUD_SESSION_KEY";

/// The command site a finding points into (its whole command, or its words).
pub fn site_at<'a>(ctx: &Ctx<'a>, f: &Finding) -> Option<&'a CommandSite> {
    let l = &f.location;
    ctx.facts
        .files
        .get(&*l.path)?
        .commands
        .iter()
        .filter(|s| s.location.start_byte <= l.start_byte && l.end_byte <= s.location.end_byte)
        .min_by_key(|s| s.location.end_byte - s.location.start_byte)
}

pub fn fix(f: &Finding, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    let path = f.location.path.as_ref();
    let text = src.text(path)?;
    let site = site_at(ctx, f)?;
    if !site.argv.iter().any(|w| w == "login") {
        return None;
    }
    let (s, e) = (site.location.start_byte, site.location.end_byte);
    let kind = ctx.kinds.get(path).copied().unwrap_or(FileKind::Text);
    let docs = if is_yaml(kind) { src.yaml(path) } else { None };
    let docs: &[Node] = docs.as_deref().map_or(&[], Vec::as_slice);
    let (removed, what) = whole_step(&text, docs, kind, s, e)
        .map(|r| (r, "the step"))
        .or_else(|| {
            own_line(&text, s, e)
                .filter(|_| !only_item(docs, s))
                .map(|r| (r, "the line"))
        })
        .or_else(|| chain_link(&text, s, e).map(|r| (r, "the command")))?;
    let mut edits = vec![remove(path, removed)];
    let mut vars: Vec<String> = vec![SESSION_VAR.to_string()];
    for v in key_vars(&site.argv) {
        if !vars.contains(&v) {
            vars.push(v);
        }
    }
    let mut dropped = Vec::new();
    for name in &vars {
        let Some(var) = site.env.iter().find_map(|sc| sc.vars.get(name)) else {
            continue;
        };
        if &*var.location.path != path {
            continue;
        }
        let line = (
            line_start(&text, var.location.start_byte),
            line_end(&text, var.location.start_byte),
        );
        let inside = |r: (usize, usize)| removed.0 <= r.0 && r.1 <= removed.1;
        let alone = text[line.0..line.1]
            .trim_start()
            .trim_start_matches("- ")
            .starts_with(name.as_str());
        if inside(line) || !alone || read_elsewhere(&text, name, &[removed, line]) {
            continue;
        }
        edits.push(remove(
            path,
            yaml_entry_lines(&text, docs, var.location.start_byte).unwrap_or(line),
        ));
        dropped.push(name.clone());
    }
    let mut description = Text::tool(format!("Remove the Prisma 1 Cloud login ({what})"));
    if !dropped.is_empty() {
        description.push_tool(" and ");
        description.push_repo(RepoText::name(&dropped.join(", ")));
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        description,
        edits,
        action: Some({
            let mut a = Text::tool("give every Prisma 1 command of this pipeline PRISMA_MANAGEMENT_API_SECRET instead (see missing-management-secret), then delete the session-key secret (");
            a.push_repo(RepoText::name(&vars.join(", ")));
            a.push_tool(") from the CI settings");
            a
        }),
        diff: Text::default(),
    })
}

fn remove(path: &str, (start, end): (usize, usize)) -> Edit {
    Edit {
        path: path.to_string(),
        start,
        end,
        replacement: String::new(),
    }
}

/// A session-key entry (`KEY: value` in an env map, `KEY=value` in an env
/// file or list) that a regex finding points at: an unsafe fix removing it.
pub fn fix_variable(f: &Finding, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    let path = f.location.path.as_ref();
    let kind = ctx.kinds.get(path).copied()?;
    let text = src.text(path)?;
    let at = f.location.start_byte;
    let (ls, le) = (line_start(&text, at), line_end(&text, at));
    let line = text[ls..le].trim_start();
    let body = line.trim_start_matches("- ").trim_start_matches("export ");
    let name = text.get(at..f.location.end_byte)?;
    let defines = body
        .strip_prefix(name)
        .is_some_and(|r| r.starts_with('=') || r.starts_with(':'));
    if name != SESSION_VAR || !defines || kind == FileKind::Markdown || f.mention {
        return None;
    }
    let range = match src.yaml(path).filter(|_| is_yaml(kind)) {
        Some(docs) => yaml_entry_lines(&text, &docs, at).unwrap_or((ls, le)),
        None => (ls, le),
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        description: Text::tool(format!("Remove {SESSION_VAR}")),
        edits: vec![remove(path, range)],
        action: Some(Text::tool(format!(
            "give the Prisma 1 commands PRISMA_MANAGEMENT_API_SECRET instead (see missing-management-secret), then delete the secret behind {SESSION_VAR} from the CI settings"
        ))),
        diff: Text::default(),
    })
}

/// The lines of the YAML mapping entry at `at`, widened to its parent key
/// when it is that mapping's only entry (an `env:` left empty is removed too).
fn yaml_entry_lines(text: &str, docs: &[Node], at: usize) -> Option<(usize, usize)> {
    let chain = locate(yaml_nav::doc_at(docs, at)?, at);
    let n = chain.len();
    let (key, value) = chain.get(n.checked_sub(1)?).map(|(k, v)| (*k, *v))?;
    let key = key.filter(|k| k.pos().byte == at)?;
    let (parent_key, map) = chain.get(n.checked_sub(2)?).map(|(k, v)| (*k, *v))?;
    if !yaml_nav::is_block_map(text, map) {
        return None;
    }
    match parent_key {
        Some(pk) if map.entries().len() == 1 && pk.pos().line < key.pos().line => {
            let start = line_start(text, pk.pos().byte);
            text[start..pk.pos().byte]
                .trim()
                .is_empty()
                .then(|| (start, entry_end(text, pk, map)))
        }
        _ => Some((
            line_start(text, key.pos().byte),
            entry_end(text, key, value),
        )),
    }
}

/// Kinds whose files are YAML, where entries and steps are edited as YAML.
fn is_yaml(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::GithubActions
            | FileKind::GitlabCi
            | FileKind::Circleci
            | FileKind::Travis
            | FileKind::Bitbucket
            | FileKind::AzurePipelines
            | FileKind::Compose
            | FileKind::Yaml
            | FileKind::PrismaYml
    )
}

/// The variables named by `--key $X` / `-k ${X}` / `--key=$X`.
fn key_vars(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in argv.iter().enumerate() {
        let value = match a.as_str() {
            "-k" | "--key" => argv.get(i + 1).map(String::as_str),
            _ => a.strip_prefix("--key="),
        };
        if let Some(v) = value.and_then(|v| v.strip_prefix('$')) {
            let name: String = v
                .trim_start_matches('{')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Does `name` appear in `text` outside the `skip` ranges?
fn read_elsewhere(text: &str, name: &str, skip: &[(usize, usize)]) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, name.as_bytes()).any(|i| {
        let end = i + name.len();
        let word =
            (i == 0 || !is_name_byte(b[i - 1])) && b.get(end).is_none_or(|c| !is_name_byte(*c));
        word && !skip.iter().any(|(s, e)| *s <= i && end <= *e)
    })
}

/// The lines of the CI step whose only command is `s..e`.
fn whole_step(
    text: &str,
    docs: &[Node],
    kind: FileKind,
    s: usize,
    e: usize,
) -> Option<(usize, usize)> {
    if !matches!(
        kind,
        FileKind::GithubActions | FileKind::AzurePipelines | FileKind::Circleci
    ) {
        return None;
    }
    let chain = locate(yaml_nav::doc_at(docs, s)?, s);
    let i = chain.iter().rposition(|(k, n)| {
        k.and_then(Node::as_str) == Some("steps") && matches!(n, Node::Seq { .. })
    })?;
    let step = chain.get(i + 1)?.1;
    let script = chain.last()?.1.as_str()?;
    if script.trim() != text.get(s..e)?.trim() || !yaml_nav::is_block_map(text, step) {
        return None;
    }
    let (first, _) = step.entries().first()?;
    let start = line_start(text, first.pos().byte);
    if !text[start..first.pos().byte].trim_start().starts_with('-') {
        return None;
    }
    let (lk, lv) = step.entries().last()?;
    Some((start, entry_end(text, lk, lv)))
}

/// Is the YAML list item at `s` the only item of its list? Removing it would
/// leave an empty `script:`, which CI systems reject; such a job is left to
/// the user.
fn only_item(docs: &[Node], s: usize) -> bool {
    let Some(doc) = yaml_nav::doc_at(docs, s) else {
        return false;
    };
    let chain = locate(doc, s);
    chain.len() >= 2
        && matches!(chain[chain.len() - 2].1, Node::Seq { items, .. } if items.len() == 1)
}

/// The line `s..e` fills by itself (a script line, or a `- cmd` list item).
fn own_line(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let (ls, le) = (
        line_start(text, s),
        line_end(text, e.saturating_sub(1).max(s)),
    );
    let before = text[ls..s].trim();
    let after = text[e..le].trim();
    let ok_before = before.is_empty() || before == "-";
    (ok_before && after.is_empty() && !text[s..e].contains('\n')).then_some((ls, le))
}

/// `s..e` with the `&&`/`;` that links it to the next (or previous) command.
fn chain_link(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let (ls, le) = (line_start(text, s), line_end(text, e));
    let rest = &text[e..le];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    for op in ["&&", ";"] {
        if rest[gap..].starts_with(op) {
            let after = &rest[gap + op.len()..];
            let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
            return Some((s, e + gap + op.len() + ws));
        }
    }
    let head = &text[ls..s];
    let trimmed = head.trim_end_matches([' ', '\t']);
    for op in ["&&", ";"] {
        if let Some(before) = trimmed.strip_suffix(op) {
            let start = ls + before.trim_end_matches([' ', '\t']).len();
            return Some((start, e));
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn chain_links_take_their_operator() {
        let t = "prisma1 login --key $K && prisma1 deploy\n";
        assert_eq!(chain_link(t, 0, 22), Some((0, 26)));
        let t = "npm ci && prisma1 login\n";
        assert_eq!(chain_link(t, 10, 23), Some((6, 23)));
    }

    #[test]
    fn the_only_command_of_a_list_is_not_removed() {
        let one = "login:\n  script:\n    - prisma1 login --key $K\n";
        let s = one.find("prisma1").unwrap();
        assert!(only_item(&crate::yaml::parse(one).unwrap(), s));
        let two = "login:\n  script:\n    - npm ci\n    - prisma1 login --key $K\n";
        let s = two.find("prisma1").unwrap();
        assert!(!only_item(&crate::yaml::parse(two).unwrap(), s));
        assert_eq!(
            own_line(two, s, two.len() - 1).map(|r| &two[r.0..r.1]),
            Some("    - prisma1 login --key $K\n")
        );
    }

    #[test]
    fn key_variables_come_from_the_flag() {
        let argv: Vec<String> = ["prisma1", "login", "--key", "${CLOUD_KEY}"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(key_vars(&argv), ["CLOUD_KEY"]);
    }
}
