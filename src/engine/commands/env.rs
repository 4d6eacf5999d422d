//! The environment as one command sees it: its scopes (inline, exports, CI
//! step/job/workflow env, compose, Dockerfile, Makefile, callers), the env
//! files the CLI's own dotenv call and any wrapper load, and what stands in
//! for the files the repository does not hold (a committed template).

use super::invocation::{effective_cwd, Invocation};
use super::servers::RepoContext;
use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;
use crate::finding::Location;
use crate::paths::join;

/// An env file the command loads that is not in the repository.
#[derive(Debug, Clone)]
pub struct Absent {
    pub path: String,
    /// A committed template beside it (`F.example`), read instead.
    pub template: Option<String>,
    /// Named on the command line or by a wrapper, not the CLI's default `.env`.
    pub explicit: bool,
}

pub struct EnvView<'a> {
    site: &'a CommandSite,
    repo: &'a RepoFacts,
    /// Env files the command loads that are in the repository.
    pub files: Vec<String>,
    /// Env files it loads that are not.
    pub absent: Vec<Absent>,
}

/// A shell script is read as starting in its own folder, but scripts are as
/// often run from the repository root (`bash scripts/deploy.sh`): the folder
/// of that reading, for an env file found only there.
fn root_reading(site: &CommandSite, cwd: &str) -> Option<String> {
    let source = site.source.rsplit(" → ").next().unwrap_or_default();
    if site.anchored || !source.starts_with("shell script") {
        return None;
    }
    let dir = crate::paths::parent(&site.location.path);
    if dir.is_empty() {
        return None;
    }
    let rest = cwd.strip_prefix(dir)?;
    Some(rest.trim_start_matches('/').to_string())
}

impl<'a> EnvView<'a> {
    pub fn new(
        site: &'a CommandSite,
        inv: &Invocation,
        repo: &'a RepoFacts,
        ctx: &RepoContext,
    ) -> EnvView<'a> {
        let cwd = effective_cwd(site, repo);
        let root_reading = root_reading(site, &cwd);
        let at = |f: &str| {
            let here = join(&cwd, f);
            match &root_reading {
                Some(r)
                    if repo.env_file(&here).is_none() && repo.env_file(&join(r, f)).is_some() =>
                {
                    join(r, f)
                }
                _ => here,
            }
        };
        let mut wanted: Vec<(String, bool)> =
            site.env_files.iter().map(|f| (at(f), true)).collect();
        // The CLI's own dotenv call: `-e F`, else `.env` in the cwd; never with `--project`.
        if inv.project().is_none() {
            match inv.env_file() {
                Some(f) => wanted.push((at(f), true)),
                None => wanted.push((join(&cwd, ".env"), false)),
            }
        }
        let mut files = Vec::new();
        let mut absent: Vec<Absent> = Vec::new();
        for (f, explicit) in wanted {
            if repo.env_file(&f).is_some() {
                if !files.contains(&f) {
                    files.push(f);
                }
            } else if !absent.iter().any(|a| a.path == f) {
                let template = ctx.template_of(&f, repo);
                absent.push(Absent {
                    path: f,
                    template,
                    explicit,
                });
            }
        }
        EnvView {
            site,
            repo,
            files,
            absent,
        }
    }

    /// Does anything the command sees define `var`? A template that defines it
    /// counts: the real file was made from it.
    pub fn provides(&self, var: &str) -> bool {
        self.site.has_env(var)
            || self.in_files(var)
            || self.absent.iter().any(|a| {
                a.template
                    .as_deref()
                    .and_then(|t| self.repo.env_file(t))
                    .is_some_and(|e| e.vars.contains_key(var))
            })
    }

    fn in_files(&self, var: &str) -> bool {
        self.files.iter().any(|f| {
            self.repo
                .env_file(f)
                .is_some_and(|e| e.vars.contains_key(var))
        })
    }

    /// Absent files with no template: what they hold cannot be seen.
    pub fn unseen(&self) -> impl Iterator<Item = &Absent> {
        self.absent.iter().filter(|a| a.template.is_none())
    }

    /// A literal value for `var`, and where it is defined: scopes, then files.
    pub fn value(&self, var: &str) -> Option<(String, Location)> {
        for s in &self.site.env {
            if let Some(v) = s.vars.get(var) {
                return v.value.clone().map(|val| (val, v.location.clone()));
            }
        }
        // Then the env files, and for absent ones the template they are made from.
        let templates = self.absent.iter().filter_map(|a| a.template.as_ref());
        self.files.iter().chain(templates).find_map(|f| {
            self.repo
                .env_file(f)?
                .vars
                .get(var)
                .filter(|e| !e.value.is_empty())
                .map(|e| (e.value.clone(), e.location.clone()))
        })
    }

    /// Does an env file the command loads (or its template) name `var`,
    /// whatever its value (an empty one, a placeholder)?
    pub fn names(&self, var: &str) -> bool {
        let templates = self.absent.iter().filter_map(|a| a.template.as_ref());
        self.files.iter().chain(templates).any(|f| {
            self.repo
                .env_file(f)
                .is_some_and(|e| e.vars.contains_key(var))
        })
    }

    /// For messages: every scope and env file that was looked at, in the
    /// order the CLI sees them (the process env, then dotenv files).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .site
            .env
            .iter()
            .map(|s| format!("{} ({})", s.kind.describe(), s.label))
            .collect();
        parts.extend(self.files.iter().map(|f| format!("env file {f}")));
        for a in &self.absent {
            parts.push(match &a.template {
                Some(t) => format!(
                    "env file {} (not in the repository; its template {t} read instead)",
                    a.path
                ),
                None => format!("env file {} (not in the repository, no template)", a.path),
            });
        }
        if parts.is_empty() {
            "no environment scopes were found".into()
        } else {
            parts.join(", ")
        }
    }
}
