//! GitHub Actions workflows and composite actions: `run:` steps in their
//! workflow, job and step `env`, and Prisma actions driven by `with: args:`.

use super::compose::argv_parts;
use super::out::{Ctx, Out};
use super::shell;
use super::site::{Container, ContainerKind, EnvScope, ScopeKind};
use super::yaml_util::{ci_root, docs, repo_dir, run_node, scope, str_at};
use crate::yaml::Node;

pub(crate) fn extract(out: &mut Out) {
    if out.path.ends_with(".workflow") {
        return super::github_hcl::extract(out);
    }
    for doc in docs(out.file) {
        let global = scope(out, doc.get("env"), ScopeKind::Global, "workflow");
        let wd = run_dir(&doc);
        for (key, job) in doc.get("jobs").map(Node::entries).unwrap_or_default() {
            let name = key.as_str().unwrap_or_default();
            let job_scope = scope(
                out,
                job.get("env"),
                ScopeKind::Job,
                &format!("job \"{name}\""),
            );
            // A job `container:` runs every `run:` step inside it, with its
            // `env` added to what the runner passes in.
            let (image, container_env) = match job.get("container") {
                Some(c @ Node::Map { .. }) => (
                    str_at(c, "image"),
                    scope(out, c.get("env"), ScopeKind::Docker, "job container"),
                ),
                Some(c) => (c.as_str(), None),
                None => (None, None),
            };
            let outer: Vec<EnvScope> = container_env
                .into_iter()
                .chain(job_scope)
                .chain(global.clone())
                .collect();
            let wd = run_dir(job).or(wd);
            let container = image.map(|i| Container {
                kind: ContainerKind::DockerImage,
                name: i.to_string(),
            });
            steps(
                out,
                job.get("steps"),
                &format!("GitHub Actions job \"{name}\""),
                &outer,
                wd,
                container,
            );
        }
        let composite = doc.get("runs").and_then(|r| r.get("steps"));
        steps(out, composite, "GitHub Action", &[], None, None);
    }
}

/// `defaults.run.working-directory` of a workflow or job.
fn run_dir(node: &Node) -> Option<&str> {
    node.get("defaults")
        .and_then(|d| d.get("run"))
        .and_then(|r| str_at(r, "working-directory"))
}

fn steps(
    out: &mut Out,
    steps: Option<&Node>,
    prefix: &str,
    outer: &[EnvScope],
    wd: Option<&str>,
    container: Option<Container>,
) {
    for (i, step) in steps
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let name = str_at(step, "name").map_or_else(|| format!("#{}", i + 1), str::to_string);
        let step_scope = scope(
            out,
            step.get("env"),
            ScopeKind::Step,
            &format!("step \"{name}\""),
        );
        let env = step_scope
            .into_iter()
            .chain(outer.iter().cloned())
            .collect();
        let cwd = repo_dir(
            &ci_root(out.path),
            str_at(step, "working-directory").or(wd).unwrap_or_default(),
        );
        let mut ctx = Ctx::new(format!("{prefix} step \"{name}\""), &cwd).with_env(env);
        ctx.container = container.clone();
        if step.get("run").is_some() {
            run_node(out, step.get("run"), &ctx, &mut shell::State::new(&cwd));
        } else if let Some(image) = str_at(step, "uses").and_then(|u| u.strip_prefix("docker://")) {
            docker_step(out, step, image, ctx);
        } else if let Some(uses) =
            str_at(step, "uses").filter(|u| u.to_ascii_lowercase().contains("prisma"))
        {
            action(out, step, uses, ctx);
        }
    }
}

/// `uses: docker://image` with `with: {entrypoint, args}`: the container runs
/// ENTRYPOINT with `args` split into words.
fn docker_step(out: &mut Out, step: &Node, image: &str, mut ctx: Ctx) {
    let with = step.get("with");
    let mut parts = Vec::new();
    if let Some(ep) = with.and_then(|w| w.get("entrypoint")) {
        parts.extend(argv_parts(ep, out.file));
    }
    if let Some(args) = with.and_then(|w| w.get("args")) {
        parts.extend(argv_parts(args, out.file));
    }
    if parts.is_empty() {
        return;
    }
    ctx.container = Some(Container {
        kind: ContainerKind::DockerImage,
        name: image.to_string(),
    });
    shell::run_argv(out, &parts, &ctx);
}

/// `uses: owner/prisma-action` with `with: args: deploy`: the action runs the Prisma CLI.
fn action(out: &mut Out, step: &Node, uses: &str, mut ctx: Ctx) {
    let args = step.get("with").and_then(|w| w.get("args"));
    let name = uses.split('@').next().unwrap_or(uses);
    ctx.wrappers = vec![format!("action:{name}")];
    let mut one = out.scratch();
    run_node(&mut one, args, &ctx, &mut shell::State::new(&ctx.cwd));
    for mut site in one.sites {
        if !site.argv.first().is_some_and(|p| p.starts_with("prisma")) {
            site.argv.insert(0, "prisma".into());
        }
        out.push(site);
    }
}

#[cfg(test)]
#[path = "github_tests.rs"]
mod tests;
