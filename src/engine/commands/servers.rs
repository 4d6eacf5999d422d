//! Which Prisma 1 server a command's endpoint reaches, among the server
//! configs the repository defines, and whether that server asks for the
//! management secret. The CLI first sends an unauthenticated request; a
//! server without `managementApiSecret` answers it, so no secret is needed
//! (reference section 4, token choice step 1).

use super::recorded::Recorded;
use crate::facts::server::{KubeService, ServerConfig, ServerKind};
use crate::facts::RepoFacts;
use crate::finding::{Location, Severity};
use crate::paths::parent;

/// Repository-wide facts the command rules need, computed once.
pub struct RepoContext {
    /// Severity of command findings in documentation.
    pub docs_severity: Severity,
    pub compose_services: Vec<String>,
    /// Every Prisma 1 server config, with the folder of its file.
    pub servers: Vec<(String, ServerConfig)>,
    pub kube_services: Vec<KubeService>,
    /// The first command of a file that writes a variable where the CLI
    /// reads it, by file and variable: found once, so a script of
    /// thousands of deploys is not read again for each one.
    pub first_writes: FirstWrites,
    /// The env files compose reads variables from, by the folder of the
    /// compose file: its `.env`, and the files the repository's compose
    /// commands load (`--env-file F`, `env-cmd -f F docker-compose up`).
    pub compose_env: std::collections::BTreeMap<String, Vec<String>>,
    /// Committed env files (not templates), by folder.
    pub env_files: std::collections::BTreeMap<String, Vec<String>>,
    /// What the repository records of a project's endpoint, by project and
    /// raw endpoint: read once (see [`super::recorded`]).
    pub records: std::cell::RefCell<std::collections::HashMap<(String, String), Vec<Recorded>>>,
    /// Files that tell the operator to set the management secret by hand,
    /// in path order, with the first such line (see
    /// [`crate::facts::instructions`]): a handful, asked of every judgement.
    pub instructed: Vec<(String, usize)>,
    /// The committed template of each absent env file asked about (see
    /// [`crate::facts::env_file::find_template`]): the same few files are
    /// asked of thousands of commands.
    pub templates: std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
}

/// `(file, variable)` → the first writer's byte offset and description.
pub type FirstWrites =
    std::cell::RefCell<std::collections::HashMap<(String, String), Option<(usize, String)>>>;

impl Default for RepoContext {
    fn default() -> Self {
        RepoContext {
            docs_severity: super::invocation::DOCS_SEVERITY,
            compose_services: Vec::new(),
            servers: Vec::new(),
            kube_services: Vec::new(),
            first_writes: FirstWrites::default(),
            compose_env: Default::default(),
            env_files: Default::default(),
            records: Default::default(),
            instructed: Vec::new(),
            templates: Default::default(),
        }
    }
}

/// Whether the linked server needs the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Protected,
    Unprotected,
    /// Configs disagree, or the config is in a file the repository does not show.
    Unknown,
}

/// The server configs an endpoint was linked to, and how.
#[derive(Debug, Clone)]
pub struct Link {
    pub protection: Protection,
    /// For people: `compose service prisma (docker-compose.yml)`.
    pub via: String,
    pub at: Location,
    /// Every linked config is deployed elsewhere (image, hook, manifest), none is a
    /// compose file run next to the CLI.
    pub remote: bool,
    /// Every linked config is a compose file that takes its secret from the
    /// same variable: the variable, and the env files compose fills it from.
    pub secret_from: Option<(String, Vec<String>)>,
}

impl RepoContext {
    /// The committed template that stands for the absent env file `path`.
    pub fn template_of(&self, path: &str, repo: &RepoFacts) -> Option<String> {
        if let Some(t) = self.templates.borrow().get(path) {
            return t.clone();
        }
        let t = crate::facts::env_file::find_template(path, |t| repo.env_file(t).is_some());
        self.templates
            .borrow_mut()
            .insert(path.to_string(), t.clone());
        t
    }

    pub fn new(repo: &RepoFacts) -> RepoContext {
        let mut ctx = RepoContext::default();
        for (path, f) in &repo.files {
            if let Some(&line) = f.secret_instructions.first() {
                ctx.instructed.push((path.clone(), line));
            }
            ctx.compose_services
                .extend(f.compose_services.iter().cloned());
            ctx.kube_services.extend(f.kube_services.iter().cloned());
            for s in &f.servers {
                ctx.servers.push((parent(path).to_string(), s.clone()));
            }
            if f.env.is_some() && !crate::facts::env_file::is_template(path) {
                ctx.env_files
                    .entry(parent(path).to_string())
                    .or_default()
                    .push(path.clone());
            }
            for site in &f.commands {
                if let Some((folder, files)) = compose_env_files(site, repo) {
                    let known = ctx.compose_env.entry(folder).or_default();
                    for file in files {
                        if !known.contains(&file) {
                            known.push(file);
                        }
                    }
                }
            }
        }
        ctx
    }

    /// The variable and env files every config of `configs` takes its
    /// secret from, when they are compose files that agree on the variable.
    fn shared_secret(&self, configs: &[&ServerConfig]) -> Option<(String, Vec<String>)> {
        let var = configs.first()?.secret_var.clone()?;
        let mut files = Vec::new();
        for c in configs {
            if c.kind != ServerKind::Compose || c.secret_var.as_deref() != Some(var.as_str()) {
                return None;
            }
            let folder = self
                .servers
                .iter()
                .find(|(_, s)| std::ptr::eq(s, *c))
                .map(|(d, _)| d.as_str())?;
            files.push(crate::paths::join(folder, ".env"));
            files.extend(self.compose_env.get(folder).into_iter().flatten().cloned());
        }
        Some((var, files))
    }

    /// Links a resolved endpoint to server configs. `local` says the host is
    /// this machine (`localhost`); `scope` is the project's folder.
    pub fn link(&self, host: &str, port: Option<u16>, local: bool, scope: &str) -> Option<Link> {
        let short = host.split('.').next().unwrap_or(host);
        let kube_selected: Vec<&KubeService> = self
            .kube_services
            .iter()
            .filter(|k| k.name == host || (k.name == short && host.contains(".svc")))
            .collect();
        let by_name: Vec<&ServerConfig> = self
            .servers
            .iter()
            .map(|(_, s)| s)
            .filter(|s| {
                s.names
                    .iter()
                    .any(|n| n == host || (n == short && host.ends_with(".svc.cluster.local")))
                    || kube_selected.iter().any(|k| {
                        !k.selector.is_empty() && k.selector.iter().all(|l| s.labels.contains(l))
                    })
            })
            .collect();
        if !by_name.is_empty() {
            return Some(self.decide(&by_name, "by host name"));
        }
        let related: Vec<&ServerConfig> = self
            .servers
            .iter()
            .filter(|(d, _)| related(d, scope))
            .map(|(_, s)| s)
            .collect();
        let pool: Vec<&ServerConfig> = if related.is_empty() {
            self.servers.iter().map(|(_, s)| s).collect()
        } else {
            related
        };
        if local {
            let local_kinds: Vec<&ServerConfig> = pool
                .iter()
                .copied()
                .filter(|s| {
                    matches!(
                        s.kind,
                        ServerKind::Compose
                            | ServerKind::Dockerfile
                            | ServerKind::ConfigFile
                            | ServerKind::Hook
                    )
                })
                .collect();
            if let Some(p) = port {
                let by_port: Vec<&ServerConfig> = local_kinds
                    .iter()
                    .copied()
                    .filter(|s| s.ports.contains(&p))
                    .collect();
                if !by_port.is_empty() {
                    return Some(self.decide(&by_port, "by published port"));
                }
            }
            return (!local_kinds.is_empty())
                .then(|| self.decide(&local_kinds, "in the project's folder"));
        }
        // A remote host: the images and manifests the repository deploys elsewhere.
        let deployable: Vec<&ServerConfig> = pool
            .iter()
            .copied()
            .filter(|s| s.kind != ServerKind::Compose)
            .collect();
        (!deployable.is_empty()).then(|| self.decide(&deployable, "deployed from the repository"))
    }

    /// The committed env files (not templates) of folder `dir`.
    pub fn env_files_in(&self, dir: &str) -> &[String] {
        self.env_files.get(dir).map_or(&[], Vec::as_slice)
    }

    /// What the repository records of the endpoint `raw` of `project`, once per pair.
    pub fn recorded(&self, repo: &RepoFacts, project: &str, raw: &str) -> Vec<Recorded> {
        let key = (project.to_string(), raw.to_string());
        self.records
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| super::recorded::recorded(repo, project, raw))
            .clone()
    }

    /// Every server config that could be the target of a project in `scope`,
    /// for an endpoint the repository cannot resolve.
    pub fn any(&self, scope: &str) -> Option<Link> {
        let related: Vec<&ServerConfig> = self
            .servers
            .iter()
            .filter(|(d, _)| related(d, scope))
            .map(|(_, s)| s)
            .collect();
        let pool: Vec<&ServerConfig> = if related.is_empty() {
            self.servers.iter().map(|(_, s)| s).collect()
        } else {
            related
        };
        (!pool.is_empty()).then(|| self.decide(&pool, "the repository's server configs"))
    }
}

impl RepoContext {
    /// [`decide`], with the variable the configs share.
    fn decide(&self, configs: &[&ServerConfig], how: &str) -> Link {
        let mut link = decide(configs, how);
        link.secret_from = self.shared_secret(configs);
        link
    }
}

/// `docker-compose [-f F] [--env-file E] ...` or `docker compose ...`: the
/// folder of the compose file, and the env files it reads variables from
/// (those its wrappers load too), rooted.
fn compose_env_files(
    site: &crate::facts::commands::CommandSite,
    repo: &RepoFacts,
) -> Option<(String, Vec<String>)> {
    let argv = &site.argv;
    let rest = match argv.first().map(String::as_str) {
        Some("docker-compose") => &argv[1..],
        Some("docker") if argv.get(1).map(String::as_str) == Some("compose") => &argv[2..],
        _ => return None,
    };
    let cwd = &super::invocation::effective_cwd(site, repo);
    let mut folder = cwd.clone();
    let mut files: Vec<String> = site
        .env_files
        .iter()
        .map(|f| crate::paths::join(cwd, f))
        .collect();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-f" | "--file" => {
                if let Some(f) = it.next() {
                    folder = parent(&crate::paths::join(cwd, f)).to_string();
                }
            }
            "--env-file" => files.extend(it.next().map(|f| crate::paths::join(cwd, f))),
            a if a.starts_with("--env-file=") => {
                files.push(crate::paths::join(cwd, &a["--env-file=".len()..]))
            }
            _ => {}
        }
    }
    Some((folder, files))
}

/// Folders in one tree: a monorepo's other servers say nothing about this project.
fn related(dir: &str, scope: &str) -> bool {
    let inside = |a: &str, b: &str| a.is_empty() || a == b || b.starts_with(&format!("{a}/"));
    inside(dir, scope) || inside(scope, dir)
}

/// Protected when every config that can be the target sets the secret;
/// unprotected when none does; configs that only point at another file
/// (`ENV PRISMA_CONFIG_PATH`) defer to the ones that write it.
fn decide(configs: &[&ServerConfig], how: &str) -> Link {
    let known: Vec<&&ServerConfig> = configs.iter().filter(|s| s.secret_known).collect();
    let protection = if known.is_empty() {
        Protection::Unknown
    } else if known.iter().all(|s| s.has_secret) {
        Protection::Protected
    } else if known.iter().all(|s| !s.has_secret) {
        Protection::Unprotected
    } else {
        Protection::Unknown
    };
    let first = known.first().map(|s| **s).unwrap_or(configs[0]);
    let mut names: Vec<String> = configs
        .iter()
        .map(|s| {
            if *s.label == *s.location.path {
                s.label.clone()
            } else {
                format!("{} ({})", s.label, s.location.path)
            }
        })
        .collect();
    names.sort();
    names.dedup();
    let shown = if names.len() > 3 {
        format!("{} and {} more", names[..3].join(", "), names.len() - 3)
    } else {
        names.join(", ")
    };
    Link {
        protection,
        via: format!("{shown}, {how}"),
        at: first.location.clone(),
        remote: configs.iter().all(|s| s.kind != ServerKind::Compose),
        secret_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::server::ServerKind;

    fn server(kind: ServerKind, names: &[&str], ports: &[u16], secret: bool) -> ServerConfig {
        ServerConfig {
            location: Location::default(),
            has_secret: secret,
            secret_known: true,
            label: names.first().map_or("x".into(), |n| format!("service {n}")),
            kind,
            names: names.iter().map(|s| s.to_string()).collect(),
            ports: ports.to_vec(),
            labels: Vec::new(),
            secret_var: None,
        }
    }

    #[test]
    fn links_by_name_then_port_then_folder() {
        let ctx = RepoContext {
            servers: vec![
                (
                    "".into(),
                    server(ServerKind::Compose, &["prisma"], &[4466], false),
                ),
                (
                    "".into(),
                    server(ServerKind::Compose, &["prisma-prod"], &[4467], true),
                ),
            ],
            ..Default::default()
        };
        let by_name = ctx.link("prisma-prod", Some(4466), false, "");
        assert_eq!(by_name.map(|l| l.protection), Some(Protection::Protected));
        let by_port = ctx.link("localhost", Some(4466), true, "");
        assert_eq!(by_port.map(|l| l.protection), Some(Protection::Unprotected));
        let both = ctx.link("localhost", Some(9999), true, "");
        assert_eq!(both.map(|l| l.protection), Some(Protection::Unknown));
        // Compose files are not what a remote host runs.
        assert!(ctx.link("prisma.example.com", None, false, "").is_none());
    }

    #[test]
    fn only_the_projects_own_servers_decide() {
        let ctx = RepoContext {
            servers: vec![
                ("a".into(), server(ServerKind::Compose, &["p"], &[], true)),
                ("b".into(), server(ServerKind::Compose, &["q"], &[], false)),
            ],
            ..Default::default()
        };
        let at = |scope: &str| {
            ctx.link("localhost", Some(4466), true, scope)
                .map(|l| l.protection)
        };
        assert_eq!(at("a/prisma"), Some(Protection::Protected));
        assert_eq!(at("b"), Some(Protection::Unprotected));
        assert_eq!(at("c"), Some(Protection::Unknown));
        assert!(RepoContext::default()
            .link("localhost", None, true, "")
            .is_none());
    }
}
