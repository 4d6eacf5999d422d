//! What the repository records of a project's endpoint beyond the command's
//! own environment, for an endpoint that environment cannot resolve
//! (`${env:PRISMA_ENDPOINT}` with the env file absent, or a template's
//! placeholder): committed env files of the project (a root `.env`), the
//! env of hosting configs (now.json, vercel.json, app.json), committed
//! generated clients, the `# source:` banner of a downloaded schema,
//! `.graphqlconfig` endpoints, and env templates with real values, in that
//! order. The audit lists the same values as the project's services.

use super::url::{interpolate_with, usable};
use crate::facts::env_file::is_template;
use crate::facts::hints::HintKind;
use crate::facts::RepoFacts;
use crate::finding::Location;
use crate::paths::{join, parent};

/// One value the repository records for the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub url: String,
    /// Where the value is written.
    pub at: Location,
    /// For people: `env file .env`, `generated client src/generated/prisma-client/index.js`.
    pub via: String,
}

/// Values the repository records for the endpoint `raw` of the project
/// `project` (a prisma.yml path), in evidence order, each URL once.
pub fn recorded(repo: &RepoFacts, project: &str, raw: &str) -> Vec<Recorded> {
    let dir = parent(project);
    let home = repo
        .nearest_package(dir)
        .map_or_else(|| parent(dir).to_string(), |(p, _)| parent(p).to_string());
    let projects = repo
        .files
        .values()
        .filter(|f| f.prisma_yml.as_ref().is_some_and(|y| y.is_project()))
        .count();
    let outputs: Vec<String> = repo
        .prisma_yml(project)
        .map(|y| y.generate_outputs.iter().map(|o| join(dir, o)).collect())
        .unwrap_or_default();
    // A monorepo's other apps say nothing of this project.
    let relevant = |path: &str| {
        let at = parent(path);
        projects <= 1
            || related(at, home.as_str())
            || related(at, dir)
            || outputs.iter().any(|o| related(at, o))
    };
    let mut out: Vec<Recorded> = Vec::new();
    let push = |out: &mut Vec<Recorded>, url: Option<String>, at: Option<Location>, via: String| {
        if let (Some(url), Some(at)) = (url, at) {
            if usable(&url) && !out.iter().any(|r| r.url == url) {
                out.push(Recorded { url, at, via });
            }
        }
    };
    // Env files of the repository (not templates), then hosting env.
    for template in [false, true] {
        // Templates speak only when nothing else records a value.
        if template && !out.is_empty() {
            break;
        }
        for (path, f) in repo.files.iter().filter(|(p, _)| relevant(p)) {
            let Some(env) = &f.env else { continue };
            if is_template(path) != template {
                continue;
            }
            let (url, at) = interpolate_with(raw, &|n: &str| {
                env.vars
                    .get(n)
                    .filter(|e| !e.value.is_empty() && !e.value.contains('$'))
                    .map(|e| (e.value.clone(), e.location.clone()))
            });
            let kind = if template { "env template" } else { "env file" };
            push(&mut out, url, at, format!("{kind} {path}"));
        }
        if template {
            break;
        }
        for (path, f) in repo.files.iter().filter(|(p, _)| relevant(p)) {
            let vars: Vec<_> = f
                .endpoint_hints
                .iter()
                .filter(|h| h.kind == HintKind::Hosting)
                .collect();
            if vars.is_empty() {
                continue;
            }
            let (url, at) = interpolate_with(raw, &|n: &str| {
                vars.iter()
                    .find(|h| h.var.as_deref() == Some(n))
                    .map(|h| (h.value.clone(), h.location.clone()))
            });
            push(&mut out, url, at, format!("hosting env {path}"));
        }
        // Whole URLs: generated clients, downloaded schemas, .graphqlconfig.
        for kind in [
            HintKind::GeneratedClient,
            HintKind::SchemaSource,
            HintKind::GraphqlConfig,
        ] {
            for (path, f) in repo.files.iter().filter(|(p, _)| relevant(p)) {
                for h in f.endpoint_hints.iter().filter(|h| h.kind == kind) {
                    let url = h.value.trim_end_matches('/').to_string();
                    push(
                        &mut out,
                        Some(url),
                        Some(h.location.clone()),
                        format!("{} {path}", kind.describe()),
                    );
                }
            }
        }
    }
    out
}

/// Folders in one tree (one is the other or holds it).
fn related(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| x.is_empty() || x == y || y.starts_with(&format!("{x}/"));
    inside(a, b) || inside(b, a)
}
