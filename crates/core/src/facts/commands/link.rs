//! Facts that need the whole repository, settled once after the walk, above
//! every file's facts ([`RepoFacts`]): compose services' environments reach
//! the commands run in them, makefiles are read again with what they
//! include, and what the repository declares of Prisma is noted.

use super::compose::ServiceEnv;
use super::keep::{may_run_repo_file, names_prisma, read_anyway, Keep};
use super::out::{dir_of, join_path, Extracted, Out};
use super::site::ContainerKind;
use super::{global_prisma1_install, image, makefile};
use crate::facts::package_json::PrismaCli;
use crate::facts::RepoFacts;

/// Facts that need the whole repository, settled once after the walk:
/// compose services' environments reach commands run in them, and a pinned
/// global install of the Prisma 1 CLI is noted.
pub fn link(repo: &mut RepoFacts) {
    link_services(repo);
    link_makefiles(repo);
    repo.global_prisma1 = repo
        .files
        .values()
        .flat_map(|f| &f.commands)
        .find(|s| global_prisma1_install(&s.argv))
        .cloned();
    let mut images: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (tags, dockerfile) in repo
        .files
        .values()
        .flat_map(|f| &f.commands)
        .filter_map(image::docker_build)
    {
        for t in tags {
            let known = images.entry(t).or_default();
            if !known.contains(&dockerfile) && known.len() < 16 {
                known.push(dockerfile.clone());
            }
        }
    }
    repo.images = images;
    repo.declared_prisma = declared_prisma(repo);
}

/// What the repository's package.json files, taken together, say of Prisma
/// (see [`RepoFacts::declared_prisma`]).
fn declared_prisma(repo: &RepoFacts) -> Option<PrismaCli> {
    let (mut p1, mut orm) = (false, false);
    for p in repo.files.values().filter_map(|f| f.package_json.as_ref()) {
        match p.prisma_cli() {
            Some(PrismaCli::Prisma1) => p1 = true,
            Some(PrismaCli::Orm) => orm = true,
            Some(PrismaCli::Ambiguous) => return None,
            None => {}
        }
        p1 |= ["prisma1", "prisma-client-lib", "prisma-binding"]
            .iter()
            .any(|n| p.dependency(n).is_some());
        orm |= p.dependency("@prisma/client").is_some();
    }
    match (p1, orm) {
        (true, false) => Some(PrismaCli::Prisma1),
        (false, true) => Some(PrismaCli::Orm),
        _ => None,
    }
}

/// Makefiles that `include` other makefiles or env files of the repository
/// are read again with the variables those files define, so `$(PRISMA)
/// deploy` with `PRISMA := npx prisma1` in `vars.mk` is the command it is.
fn link_makefiles(repo: &mut RepoFacts) {
    let mut redo: Vec<(String, Extracted)> = Vec::new();
    for (path, facts) in &repo.files {
        let Some(text) = facts.make_source.as_deref() else {
            continue;
        };
        let mut included = makefile::Included::default();
        let mut seen = Vec::new();
        collect_includes(repo, path, text, &mut included, &mut seen, 0);
        if included.vars.is_empty() {
            continue;
        }
        // A file that never mentions Prisma may now name it through an
        // included variable: its sites are filtered below instead.
        let keep = if facts.callers_only {
            Keep::All
        } else {
            Keep::Relevant
        };
        let mut out = Out::new(path, text, keep);
        makefile::extract_with(&mut out, &included);
        let mut done = out.finish();
        done.sites
            .sort_by_key(|s| (s.location.start_byte, s.location.end_byte));
        redo.push((path.clone(), done));
    }
    for (path, done) in redo {
        if let Some(f) = repo.files.get_mut(&path) {
            let mut sites = done.sites;
            if f.callers_only {
                sites.retain(|s| may_run_repo_file(s) || names_prisma(s) || read_anyway(&s.argv));
            }
            for v in done.dropped_secrets {
                if !f.dropped_secrets.contains(&v) {
                    f.dropped_secrets.push(v);
                }
            }
            f.commands = sites;
            // The new sites' lines, for their findings' snippets.
            if let Some(text) = f.make_source.take() {
                let spans =
                    crate::mask::LazySpans::new(crate::kind::FileKind::Makefile, text.as_bytes());
                f.remember_lines(&text, &spans);
                f.make_source = Some(text);
            }
        }
    }
}

/// Variables of the files `text` (at `path`) includes, nested includes first.
fn collect_includes(
    repo: &RepoFacts,
    path: &str,
    text: &str,
    into: &mut makefile::Included,
    seen: &mut Vec<String>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let dir = dir_of(path);
    for inc in makefile::includes(text) {
        if inc.contains('$') {
            continue;
        }
        let target = join_path(&dir, &inc);
        if seen.contains(&target) {
            continue;
        }
        seen.push(target.clone());
        let Some(f) = repo.files.get(&target) else {
            continue;
        };
        if let Some(t) = f.make_source.as_deref() {
            collect_includes(repo, &target, t, into, seen, depth + 1);
            for (k, v) in makefile::defined_vars(t).vars {
                into.vars.insert(k, v);
            }
        } else if let Some(env) = &f.env {
            // `include .env`: each KEY=VALUE line is a make variable.
            for (k, e) in &env.vars {
                into.vars.insert(k.clone(), (e.value.clone(), false));
            }
        }
    }
}

/// Gives every command run in a compose service (`docker compose run|exec
/// SERVICE cmd`) that service's environment, from the compose file of the
/// folder the command runs in (else any compose file that defines the
/// service).
fn link_services(repo: &mut RepoFacts) {
    let services: Vec<(String, ServiceEnv)> = repo
        .files
        .iter()
        .flat_map(|(path, f)| {
            f.compose_envs
                .iter()
                .map(move |s| (crate::paths::parent(path).to_string(), s.clone()))
        })
        .collect();
    if services.is_empty() {
        return;
    }
    for facts in repo.files.values_mut() {
        for site in &mut facts.commands {
            let Some(c) = site
                .container
                .as_ref()
                .filter(|c| c.kind == ContainerKind::ComposeService)
            else {
                continue;
            };
            let candidates = services.iter().filter(|(_, s)| s.name == c.name);
            let here = candidates.clone().find(|(dir, _)| *dir == site.cwd);
            let Some((dir, svc)) = here.or_else(|| candidates.clone().next()) else {
                continue;
            };
            if let Some(scope) = &svc.scope {
                site.env.push(scope.clone());
            }
            site.env_files.extend(
                svc.env_files
                    .iter()
                    .map(|f| format!("/{}", join_path(dir, f))),
            );
        }
    }
}
