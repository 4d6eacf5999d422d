//! Unsafe fix for `missing-management-secret` in CI files: give the command
//! PRISMA_MANAGEMENT_API_SECRET in the narrowest scope that covers it, from
//! the CI system's own secret store, written the way the file already writes
//! things (its indentation, its newline).
//!
//! Where each CI system keeps it:
//! - GitHub Actions: the step's `env:`, from `${{ secrets.NAME }}` (secrets
//!   are not in the environment unless mapped).
//! - GitLab CI: the job's `variables:`, from `$NAME` (a CI/CD variable).
//! - Azure Pipelines: the step's `env:`, from `$(NAME)` (secret variables are
//!   not in the environment unless mapped).
//! - Travis CI: `env: global:`, `NAME=$NAME` (repository settings are
//!   exported before `.travis.yml` entries).
//! - CircleCI and Bitbucket Pipelines: an inline `NAME=$NAME` before the
//!   command. CircleCI does not expand variables in `environment:` (the value
//!   would be the literal text), and Bitbucket steps have no variables key;
//!   both already export project/repository variables, so the inline form
//!   only makes the dependency explicit and visible to the check.
//!
//! It is unsafe because the secret must exist in the CI settings.

use super::context::{newline, Ctx, Sources, SECRET_VAR};
use super::yaml_nav::{self, after_last_entry, indent_unit, insertion, line_end, locate};
use crate::finding::Finding;
use crate::finding::{Applicability, Edit, Fix};
use crate::kind::FileKind;
use crate::text::Text;
use crate::yaml::Node;

pub fn fix(f: &Finding, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    // A command a CI step runs through a script is reported on the script's
    // line with the step among its callers: the secret goes to that step.
    let ci = |p: &str| {
        ctx.kinds.get(p).is_some_and(|k| {
            matches!(
                k,
                FileKind::GithubActions
                    | FileKind::AzurePipelines
                    | FileKind::GitlabCi
                    | FileKind::Travis
                    | FileKind::Circleci
                    | FileKind::Bitbucket
            )
        })
    };
    let caller;
    let f = if ci(&f.location.path) {
        f
    } else {
        let r = f
            .related
            .iter()
            .find(|r| r.message.masked().starts_with("run by ") && ci(&r.location.path))?;
        caller = Finding {
            location: r.location.clone(),
            ..f.clone()
        };
        &caller
    };
    let path = f.location.path.as_ref();
    let kind = ctx.kinds.get(path).copied()?;
    let text = src.text(path)?;
    let docs = src.yaml(path)?;
    let site = super::login::site_at(ctx, f)?;
    let at = site.location.start_byte;
    let (edit, place, action) = match kind {
        FileKind::GithubActions => (
            step_env(&text, &docs, at, "jobs", &format!("${{{{ secrets.{SECRET_VAR} }}}}"))?,
            "the step's env",
            format!("create the repository (or environment) secret {SECRET_VAR} with the value of your Prisma server's managementApiSecret"),
        ),
        FileKind::AzurePipelines => (
            step_env(&text, &docs, at, "", &format!("$({SECRET_VAR})"))?,
            "the step's env",
            format!("add the secret pipeline variable {SECRET_VAR} with the value of your Prisma server's managementApiSecret"),
        ),
        FileKind::GitlabCi => (
            gitlab_job(&text, &docs, at)?,
            "the job's variables",
            format!("add the masked CI/CD variable {SECRET_VAR} (Settings > CI/CD > Variables) with the value of your Prisma server's managementApiSecret"),
        ),
        FileKind::Travis => (
            travis_global(&text, &docs)?,
            "env: global",
            format!("add the repository setting {SECRET_VAR} (hidden from the log) with the value of your Prisma server's managementApiSecret"),
        ),
        FileKind::Circleci | FileKind::Bitbucket => (
            inline(&text, at)?,
            "an inline assignment",
            format!(
                "add the {} {SECRET_VAR} with the value of your Prisma server's managementApiSecret",
                if kind == FileKind::Circleci {
                    "project environment variable (or context variable)"
                } else {
                    "secured repository variable"
                }
            ),
        ),
        _ => return None,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        description: Text::tool(format!("Give the command {SECRET_VAR} in {place}")),
        edits: vec![Edit {
            path: path.to_string(),
            ..edit
        }],
        action: Some(Text::tool(action)),
        diff: Text::default(),
    })
}

/// Adds `NAME: value` to the `env:` of the step (an item of a `steps:`
/// list) holding byte `at`; `root_key` is the top-level key the steps must
/// sit under (`jobs` for GitHub workflows; "" for any).
fn step_env(text: &str, docs: &[Node], at: usize, root_key: &str, value: &str) -> Option<Edit> {
    let doc = yaml_nav::doc_at(docs, at)?;
    let chain = locate(doc, at);
    if !root_key.is_empty() && chain.get(1)?.0?.as_str() != Some(root_key) {
        return None;
    }
    let i = chain.iter().rposition(|(k, n)| {
        k.and_then(Node::as_str) == Some("steps") && matches!(n, Node::Seq { .. })
    })?;
    let step = chain.get(i + 1)?.1;
    add_to_map(text, docs, step, "env", &format!("{SECRET_VAR}: {value}"))
}

/// Adds the variable to the `variables:` of the GitLab job holding byte `at`.
fn gitlab_job(text: &str, docs: &[Node], at: usize) -> Option<Edit> {
    let doc = yaml_nav::doc_at(docs, at)?;
    let chain = locate(doc, at);
    let (key, job) = chain.get(1).map(|(k, n)| (k.and_then(Node::as_str), *n))?;
    // Top-level keywords are not jobs.
    if matches!(
        key?,
        "variables" | "default" | "workflow" | "include" | "stages"
    ) {
        return None;
    }
    add_to_map(
        text,
        docs,
        job,
        "variables",
        &format!("{SECRET_VAR}: ${SECRET_VAR}"),
    )
}

/// Adds `- NAME=$NAME` to Travis's `env: global:` (creating it when the file
/// has no `env:`; a matrix `env:` list is left alone).
fn travis_global(text: &str, docs: &[Node]) -> Option<Edit> {
    let doc = docs.first()?;
    let nl = newline(text);
    let unit = indent_unit(docs);
    let item = format!("- {SECRET_VAR}=${SECRET_VAR}");
    match doc.entry("env") {
        None => {
            let first = &doc.entries().first()?.0;
            let at = yaml_nav::line_start(text, first.pos().byte);
            let lines = [
                "env:".to_string(),
                format!("{}global:", " ".repeat(unit)),
                format!("{}{item}", " ".repeat(2 * unit)),
            ];
            Some(insert(at, insertion(text, at, &lines, nl)))
        }
        Some((_, env)) => {
            let (gk, global) = env.entry("global")?;
            let first = global.items().first()?;
            let line = &text[yaml_nav::line_start(text, first.pos().byte)..];
            let dash = line.len() - line.trim_start_matches(' ').len();
            if !line[dash..].starts_with("- ") {
                return None;
            }
            let at = yaml_nav::entry_end(text, gk, global);
            let lines = [format!("{}{item}", " ".repeat(dash))];
            Some(insert(at, insertion(text, at, &lines, nl)))
        }
    }
}

/// `NAME=$NAME ` before the simple command that starts at byte `at`.
fn inline(text: &str, at: usize) -> Option<Edit> {
    text.is_char_boundary(at)
        .then(|| insert(at, format!("{SECRET_VAR}=${SECRET_VAR} ")))
}

/// Adds `entry` to the block mapping under `key` of `map`, creating `key:`
/// after the last entry of `map` when it is missing.
fn add_to_map(text: &str, docs: &[Node], map: &Node, key: &str, entry: &str) -> Option<Edit> {
    let nl = newline(text);
    let unit = indent_unit(docs);
    match map.entry(key) {
        Some((k, Node::Null { .. })) => {
            let at = line_end(text, k.pos().byte);
            let lines = [format!("{}{entry}", " ".repeat(k.pos().col + unit))];
            Some(insert(at, insertion(text, at, &lines, nl)))
        }
        Some((_, inner)) => {
            let (at, col) = after_last_entry(text, inner)?;
            let lines = [format!("{}{entry}", " ".repeat(col))];
            Some(insert(at, insertion(text, at, &lines, nl)))
        }
        None => {
            let (at, col) = after_last_entry(text, map)?;
            let lines = [
                format!("{}{key}:", " ".repeat(col)),
                format!("{}{entry}", " ".repeat(col + unit)),
            ];
            Some(insert(at, insertion(text, at, &lines, nl)))
        }
    }
}

fn insert(at: usize, replacement: String) -> Edit {
    Edit {
        path: String::new(),
        start: at,
        end: at,
        replacement,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn apply(text: &str, e: &Edit) -> String {
        format!("{}{}{}", &text[..e.start], e.replacement, &text[e.end..])
    }

    #[test]
    fn appends_to_an_existing_env_in_its_column() {
        let text = "jobs:\n  a:\n    steps:\n      -   run: prisma1 deploy\n          env:\n              X: 1\n";
        let e = step_env(
            text,
            &parse(text).unwrap(),
            text.find("prisma1").unwrap(),
            "jobs",
            "v",
        )
        .unwrap();
        assert_eq!(
            apply(text, &e),
            format!("{text}              {SECRET_VAR}: v\n")
        );
    }

    #[test]
    fn empty_env_gets_an_entry_and_flow_env_gets_no_fix() {
        let text = "jobs:\n  a:\n    steps:\n      - run: prisma1 deploy\n        env:\n";
        let e = step_env(
            text,
            &parse(text).unwrap(),
            text.find("prisma1").unwrap(),
            "jobs",
            "v",
        )
        .unwrap();
        assert!(
            apply(text, &e).ends_with("        env:\n          PRISMA_MANAGEMENT_API_SECRET: v\n")
        );
        let flow = "jobs:\n  a:\n    steps:\n      - run: prisma1 deploy\n        env: {X: 1}\n";
        assert!(step_env(
            flow,
            &parse(flow).unwrap(),
            flow.find("prisma1").unwrap(),
            "jobs",
            "v"
        )
        .is_none());
        let flow_step = "jobs:\n  a:\n    steps:\n      - {run: prisma1 deploy}\n";
        assert!(step_env(
            flow_step,
            &parse(flow_step).unwrap(),
            flow_step.find("prisma1").unwrap(),
            "jobs",
            "v"
        )
        .is_none());
    }

    #[test]
    fn a_file_without_a_final_newline_gets_one_first() {
        let text = "deploy:\n  script:\n    - prisma1 deploy";
        let e = gitlab_job(text, &parse(text).unwrap(), text.find("prisma1").unwrap()).unwrap();
        assert_eq!(
            apply(text, &e),
            format!("{text}\n  variables:\n    {SECRET_VAR}: ${SECRET_VAR}\n")
        );
    }
}
