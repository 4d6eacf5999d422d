//! GitLab CI: each job's `before_script`, `script` and `after_script`, with
//! pipeline and job `variables`, following `extends:` into hidden templates
//! and falling back to `default:` and top-level scripts like GitLab does.

use super::out::{Ctx, Out};
use super::shell;
use super::site::{EnvScope, ScopeKind};
use super::yaml_util::{docs, run_node, scope};
use crate::yaml::Node;

/// Top-level keys that configure the pipeline rather than name a job.
const NOT_JOBS: [&str; 11] = [
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
];

/// GitLab itself stops at this many levels of `extends`.
const MAX_EXTENDS: usize = 11;

pub(crate) fn extract(out: &mut Out) {
    let root = super::out::dir_of(out.path);
    for doc in docs(out.file) {
        let global = scope(out, doc.get("variables"), ScopeKind::Global, "pipeline");
        let default = doc.get("default");
        for (key, job) in doc.entries() {
            let Some(name) = key.as_str() else { continue };
            if NOT_JOBS.contains(&name) || name.starts_with('.') || !matches!(job, Node::Map { .. })
            {
                continue;
            }
            let mut chain = Vec::new();
            templates(&doc, job, 0, &mut chain);
            let find = |k: &str| chain.iter().find_map(|j| j.get(k));
            let fallback = |k: &str| {
                find(k)
                    .or_else(|| default.and_then(|d| d.get(k)))
                    .or_else(|| doc.get(k))
            };
            let env: Vec<EnvScope> = job_scope(out, &chain, name)
                .into_iter()
                .chain(global.clone())
                .collect();
            let ctx = Ctx::new(format!("GitLab CI job \"{name}\""), &root).with_env(env);
            // before_script and script run in one shell; after_script in a fresh one.
            let mut st = shell::State::new(&root);
            run_node(out, fallback("before_script"), &ctx, &mut st);
            run_node(out, find("script"), &ctx, &mut st);
            run_node(
                out,
                fallback("after_script"),
                &ctx,
                &mut shell::State::new(&root),
            );
        }
    }
}

/// `job` followed by what it extends, highest priority first.
fn templates<'d>(doc: &'d Node, job: &'d Node, depth: usize, chain: &mut Vec<&'d Node>) {
    // Templates reached twice (diamonds, cycles) add nothing new.
    if depth > MAX_EXTENDS || chain.len() > 64 || chain.iter().any(|j| std::ptr::eq(*j, job)) {
        return;
    }
    chain.push(job);
    let bases = job.get("extends").map(Node::strings).unwrap_or_default();
    // With `extends: [.a, .b]`, `.b` wins over `.a`.
    for (base, _) in bases.iter().rev() {
        if let Some(template) = doc.get(base) {
            templates(doc, template, depth + 1, chain);
        }
    }
}

/// Job variables merged over the templates they extend.
fn job_scope(out: &Out, chain: &[&Node], name: &str) -> Option<EnvScope> {
    let label = format!("job \"{name}\"");
    let mut merged: Option<EnvScope> = None;
    for job in chain.iter().rev() {
        if let Some(s) = scope(out, job.get("variables"), ScopeKind::Job, &label) {
            match merged.as_mut() {
                Some(m) => m.vars.extend(s.vars),
                None => merged = Some(s),
            }
        }
    }
    merged
}

#[cfg(test)]
#[path = "gitlab_tests.rs"]
mod tests;
