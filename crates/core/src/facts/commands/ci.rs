//! CircleCI, Travis CI, Bitbucket Pipelines and Azure Pipelines: where each
//! keeps its commands, its working directories and its environment.

use super::lex::Dialect;
use super::lex::{lex, Tok};
use super::out::{Ctx, Out};
use super::peeled::is_assignment;
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;
use super::yaml_util::{ci_root, docs, repo_dir, run_node, scope, str_at};
use crate::yaml::Node;

fn items(node: Option<&Node>) -> &[Node] {
    node.map(Node::items).unwrap_or_default()
}

fn step_name(step: &Node, key: &str, i: usize) -> String {
    str_at(step, key).map_or_else(|| format!("#{}", i + 1), str::to_string)
}

/// Several scopes of one kind as one, later ones winning.
fn merge(scopes: impl IntoIterator<Item = EnvScope>) -> Option<EnvScope> {
    scopes.into_iter().reduce(|mut a, b| {
        a.vars.extend(b.vars);
        a
    })
}

pub(crate) fn circleci(out: &mut Out) {
    for doc in docs(out.file) {
        for (key, job) in doc.get("jobs").map(Node::entries).unwrap_or_default() {
            let name = key.as_str().unwrap_or_default();
            let label = format!("job \"{name}\"");
            let executor = match job.get("executor") {
                Some(Node::Map { .. }) => job.get("executor").and_then(|e| str_at(e, "name")),
                other => other.and_then(Node::as_str),
            };
            let executor = executor.and_then(|e| doc.get("executors").and_then(|x| x.get(e)));
            let mut env = Vec::new();
            for holder in executor.into_iter().chain(std::iter::once(job)) {
                env.extend(scope(
                    out,
                    holder.get("environment"),
                    ScopeKind::Job,
                    &label,
                ));
                for image in items(holder.get("docker")) {
                    env.extend(scope(out, image.get("environment"), ScopeKind::Job, &label));
                }
            }
            let source = format!("CircleCI job \"{name}\"");
            circle_steps(
                out,
                job.get("steps"),
                &source,
                merge(env),
                str_at(job, "working_directory"),
            );
        }
        for (key, command) in doc.get("commands").map(Node::entries).unwrap_or_default() {
            let source = format!("CircleCI command \"{}\"", key.as_str().unwrap_or_default());
            circle_steps(out, command.get("steps"), &source, None, None);
        }
    }
}

fn circle_steps(
    out: &mut Out,
    steps: Option<&Node>,
    source: &str,
    job_env: Option<EnvScope>,
    job_wd: Option<&str>,
) {
    for (i, step) in items(steps).iter().enumerate() {
        let Some(run) = step.get("run") else { continue };
        let (command, name, step_env, wd) = match run {
            Node::Map { .. } => (
                run.get("command"),
                step_name(run, "name", i),
                run.get("environment"),
                str_at(run, "working_directory"),
            ),
            _ => (Some(run), step_name(step, "name", i), None, None),
        };
        let step_scope = scope(out, step_env, ScopeKind::Step, &format!("step \"{name}\""));
        let env = step_scope.into_iter().chain(job_env.clone()).collect();
        let cwd = circle_dir(&ci_root(out.path), job_wd, wd);
        let ctx = Ctx::new(format!("{source} step \"{name}\""), &cwd).with_env(env);
        run_node(out, command, &ctx, &mut shell::State::new(&cwd));
    }
}

/// A step's directory: the job's `working_directory` is where the checkout lands.
fn circle_dir(root: &str, job: Option<&str>, step: Option<&str>) -> String {
    let Some(step) = step else {
        return root.to_string();
    };
    let job = job.unwrap_or("~/project").trim_end_matches('/');
    match step.strip_prefix(job) {
        Some("") => root.to_string(),
        Some(rest) if rest.starts_with('/') => repo_dir(root, &rest[1..]),
        _ => repo_dir(root, step),
    }
}

const TRAVIS_PHASES: [&str; 9] = [
    "before_install",
    "install",
    "before_script",
    "script",
    "after_success",
    "after_failure",
    "before_deploy",
    "after_deploy",
    "after_script",
];

pub(crate) fn travis(out: &mut Out) {
    for doc in docs(out.file) {
        let global = travis_env(out, doc.get("env"), ScopeKind::Global, "build");
        let root = ci_root(out.path);
        let ctx =
            Ctx::new("Travis CI".into(), &root).with_env(global.clone().into_iter().collect());
        travis_phases(out, &doc, &ctx);
        for holder in ["jobs", "matrix"] {
            for (i, job) in items(doc.get(holder).and_then(|j| j.get("include")))
                .iter()
                .enumerate()
            {
                let name = str_at(job, "name")
                    .or_else(|| str_at(job, "stage"))
                    .map_or_else(|| format!("#{}", i + 1), str::to_string);
                let job_env = travis_env(
                    out,
                    job.get("env"),
                    ScopeKind::Job,
                    &format!("job \"{name}\""),
                );
                let ctx = Ctx::new(format!("Travis CI job \"{name}\""), &root)
                    .with_env(job_env.into_iter().chain(global.clone()).collect());
                travis_phases(out, job, &ctx);
            }
        }
    }
}

fn travis_phases(out: &mut Out, holder: &Node, ctx: &Ctx) {
    // All phases of a Travis job run in one shell.
    let mut st = shell::State::new(&ctx.cwd);
    for phase in TRAVIS_PHASES {
        run_node(out, holder.get(phase), ctx, &mut st);
    }
    let deploys: Vec<&Node> = match holder.get("deploy") {
        Some(d @ Node::Map { .. }) => vec![d],
        Some(d) => d.items().iter().collect(),
        None => Vec::new(),
    };
    for deploy in deploys
        .into_iter()
        .filter(|d| str_at(d, "provider") == Some("script"))
    {
        run_node(out, deploy.get("script"), ctx, &mut st);
    }
}

/// Travis `env`: `A=1 B=2` strings, lists of them, or `global`/`jobs`/`matrix` groups.
fn travis_env(out: &Out, node: Option<&Node>, kind: ScopeKind, label: &str) -> Option<EnvScope> {
    let node = node?;
    let mut vars = Vars::new();
    let groups = ["global", "jobs", "matrix"]
        .into_iter()
        .filter_map(|k| node.get(k));
    let strings: Vec<&Node> = std::iter::once(node)
        .chain(groups)
        .flat_map(|n| n.strings())
        .map(|(_, s)| s)
        .collect();
    for s in strings {
        let Some(snip) = Snippet::from_yaml(s, out.file) else {
            continue;
        };
        for tok in lex(&snip.text, Dialect::Shell) {
            if let Tok::Word(w) = tok.clone() {
                if is_assignment(&w) {
                    let (name, value) = w.value.split_once('=').unwrap_or_default();
                    let value = w.literal.then(|| value.to_string());
                    vars.insert(
                        name.to_string(),
                        EnvVar {
                            value,
                            location: out.location(snip.span(w.start, w.end)),
                        },
                    );
                }
            }
        }
    }
    (!vars.is_empty()).then(|| EnvScope {
        kind,
        label: label.to_string(),
        vars,
    })
}

pub(crate) fn bitbucket(out: &mut Out) {
    for doc in docs(out.file) {
        let Some(pipelines) = doc.get("pipelines") else {
            continue;
        };
        for (key, section) in pipelines.entries() {
            let Some(kind) = key.as_str() else { continue };
            if kind == "default" {
                bitbucket_items(out, section.items(), "Bitbucket Pipelines default");
            } else {
                for (name, list) in section.entries() {
                    let source = format!(
                        "Bitbucket Pipelines {kind} \"{}\"",
                        name.as_str().unwrap_or_default()
                    );
                    bitbucket_items(out, list.items(), &source);
                }
            }
        }
    }
}

fn bitbucket_items(out: &mut Out, list: &[Node], source: &str) {
    for (i, item) in list.iter().enumerate() {
        if let Some(step) = item.get("step") {
            let root = ci_root(out.path);
            let ctx = Ctx::new(
                format!("{source} step \"{}\"", step_name(step, "name", i)),
                &root,
            );
            let mut st = shell::State::new(&root);
            run_node(out, step.get("script"), &ctx, &mut st);
            run_node(
                out,
                step.get("after-script"),
                &ctx,
                &mut shell::State::new(&root),
            );
        }
        for key in ["parallel", "stage"] {
            let Some(group) = item.get(key) else { continue };
            let nested = if group.get("steps").is_some() {
                items(group.get("steps"))
            } else {
                group.items()
            };
            bitbucket_items(out, nested, source);
        }
    }
}

pub(crate) fn azure(out: &mut Out) {
    for doc in docs(out.file) {
        let global = scope(out, doc.get("variables"), ScopeKind::Global, "pipeline");
        azure_steps(
            out,
            doc.get("steps"),
            "Azure Pipelines",
            &global.clone().into_iter().collect::<Vec<_>>(),
        );
        azure_jobs(out, items(doc.get("jobs")), None, global.as_ref());
        for stage in items(doc.get("stages")) {
            let label = format!("stage \"{}\"", str_at(stage, "stage").unwrap_or_default());
            let stage_scope = scope(out, stage.get("variables"), ScopeKind::Job, &label);
            azure_jobs(
                out,
                items(stage.get("jobs")),
                stage_scope.as_ref(),
                global.as_ref(),
            );
        }
    }
}

fn azure_jobs(out: &mut Out, jobs: &[Node], stage: Option<&EnvScope>, global: Option<&EnvScope>) {
    for (i, job) in jobs.iter().enumerate() {
        let name = str_at(job, "job")
            .or_else(|| str_at(job, "deployment"))
            .map_or_else(|| format!("#{}", i + 1), str::to_string);
        let job_scope = scope(
            out,
            job.get("variables"),
            ScopeKind::Job,
            &format!("job \"{name}\""),
        );
        let env: Vec<EnvScope> = job_scope
            .into_iter()
            .chain(stage.cloned())
            .chain(global.cloned())
            .collect();
        let deploy = job
            .get("strategy")
            .and_then(|s| s.get("runOnce"))
            .and_then(|r| r.get("deploy"));
        let steps = job
            .get("steps")
            .or_else(|| deploy.and_then(|d| d.get("steps")));
        azure_steps(out, steps, &format!("Azure Pipelines job \"{name}\""), &env);
    }
}

fn azure_steps(out: &mut Out, steps: Option<&Node>, source: &str, outer: &[EnvScope]) {
    for (i, step) in items(steps).iter().enumerate() {
        let Some(command) = step.get("script").or_else(|| step.get("bash")) else {
            continue;
        };
        let name = step_name(step, "displayName", i);
        let step_scope = scope(
            out,
            step.get("env"),
            ScopeKind::Step,
            &format!("step \"{name}\""),
        );
        let cwd = repo_dir(
            &ci_root(out.path),
            str_at(step, "workingDirectory").unwrap_or_default(),
        );
        let mut ctx = Ctx::new(format!("{source} step \"{name}\""), &cwd).with_env(
            step_scope
                .into_iter()
                .chain(outer.iter().cloned())
                .collect(),
        );
        ctx.dialect = Dialect::Azure;
        run_node(out, Some(command), &ctx, &mut shell::State::new(&cwd));
    }
}

#[cfg(test)]
#[path = "ci_tests.rs"]
mod tests;
