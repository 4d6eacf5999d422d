//! Where a Prisma 1 command's requests go and what it authenticates with:
//! the environment it sees (scopes and env files, as the CLI's own dotenv
//! call reads them) and the endpoint its prisma.yml resolves to.

use super::{effective_cwd, find_project, Invocation, RepoContext};
use crate::facts::commands::CommandSite;
use crate::facts::{join, RepoFacts};
use crate::finding::Location;

/// What an endpoint is, for the rules' `endpoint:` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointClass {
    Cloud,
    Private,
    Local,
    LocalProtected,
    Unknown,
    /// No prisma.yml and no PRISMA_MANAGEMENT_API_ENDPOINT: the command has
    /// no project here (it may be generated at run time), so nothing to judge.
    NoProject,
}

impl EndpointClass {
    pub fn name(self) -> &'static str {
        match self {
            EndpointClass::Cloud => "cloud",
            EndpointClass::Private => "private",
            EndpointClass::Local => "local",
            EndpointClass::LocalProtected => "local-protected",
            EndpointClass::Unknown => "unknown",
            EndpointClass::NoProject => "none",
        }
    }
}

/// Classifies an endpoint URL (already interpolated).
pub fn classify_url(url: &str, compose_services: &[String]) -> EndpointClass {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return EndpointClass::Unknown;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    if host.is_empty() || host.contains("${") || host.contains('$') {
        return EndpointClass::Unknown;
    }
    if is_cloud_host(&host) {
        return EndpointClass::Cloud;
    }
    if matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "prisma" | "0.0.0.0" | "[::1]"
    ) || compose_services.contains(&host)
    {
        return EndpointClass::Local;
    }
    EndpointClass::Private
}

/// `eu1.prisma.sh`, `us1.prisma.sh`, and Cloud-hosted private servers
/// (`cluster_workspace.prisma.sh`, `cluster.workspace.prisma.sh`), never the
/// API hosts or `binaries.prisma.sh`.
pub fn is_cloud_host(host: &str) -> bool {
    let Some(sub) = host.strip_suffix(".prisma.sh") else {
        return false;
    };
    if sub == "eu1" || sub == "us1" {
        return true;
    }
    if sub.ends_with(".cloud")
        || sub == "cloud"
        || sub == "binaries"
        || sub.starts_with("api")
        || sub == "app"
    {
        return false;
    }
    sub.contains('_') || sub.split('.').count() == 2
}

/// The environment as one command sees it: its scopes and the env files it loads.
pub struct EnvView<'a> {
    site: &'a CommandSite,
    repo: &'a RepoFacts,
    files: Vec<String>,
    /// Env files the command loads that are not in the repository.
    pub missing_files: Vec<String>,
    /// The `.env` the CLI reads by default, when the repository has none there.
    absent_default: Option<String>,
}

impl<'a> EnvView<'a> {
    pub fn new(site: &'a CommandSite, inv: &Invocation, repo: &'a RepoFacts) -> EnvView<'a> {
        let cwd = effective_cwd(site, repo);
        let mut wanted: Vec<String> = site.env_files.iter().map(|f| join(&cwd, f)).collect();
        // The CLI's own dotenv call: `-e F`, else `.env` in the cwd; never with `--project`.
        if inv.project().is_none() {
            match inv.env_file() {
                Some(f) => wanted.push(join(&cwd, f)),
                None => wanted.push(join(&cwd, ".env")),
            }
        }
        let explicit = |f: &String| {
            !(f.ends_with(".env")
                && inv.env_file().is_none()
                && !site.env_files.iter().any(|e| join(&cwd, e) == *f))
        };
        let (files, missing): (Vec<String>, Vec<String>) =
            wanted.into_iter().partition(|f| repo.env_file(f).is_some());
        let (missing_files, absent): (Vec<String>, Vec<String>) =
            missing.into_iter().partition(explicit);
        EnvView {
            site,
            repo,
            files,
            missing_files,
            absent_default: absent.into_iter().next(),
        }
    }

    pub fn provides(&self, var: &str) -> bool {
        self.site.has_env(var)
            || self.files.iter().any(|f| {
                self.repo
                    .env_file(f)
                    .is_some_and(|e| e.vars.contains_key(var))
            })
    }

    /// A literal value for `var`, and where it is defined.
    pub fn value(&self, var: &str) -> Option<(String, Location)> {
        for s in &self.site.env {
            if let Some(v) = s.vars.get(var) {
                return v.value.clone().map(|val| (val, v.location.clone()));
            }
        }
        self.files.iter().find_map(|f| {
            self.repo
                .env_file(f)?
                .vars
                .get(var)
                .map(|e| (e.value.clone(), e.location.clone()))
        })
    }

    /// For messages: every scope kind and env file that was looked at.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .site
            .env
            .iter()
            .map(|s| format!("{} ({})", s.kind.describe(), s.label))
            .collect();
        parts.extend(self.files.iter().map(|f| format!("env file {f}")));
        parts.extend(
            self.absent_default
                .iter()
                .map(|f| format!("env file {f} (not in the repository)")),
        );
        if parts.is_empty() {
            "no environment scopes were found".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The resolved target of an invocation.
pub struct Target {
    pub class: EndpointClass,
    pub url: String,
    pub project: Option<String>,
    pub defined_at: Option<Location>,
}

/// Finds the endpoint a Prisma 1 command talks to and classifies it.
pub fn resolve_target(
    site: &CommandSite,
    inv: &Invocation,
    env: &EnvView<'_>,
    ctx: &RepoContext,
) -> Target {
    let repo = env.repo;
    let project = find_project(repo, &effective_cwd(site, repo), inv.project());
    let yml = project.as_deref().and_then(|p| repo.prisma_yml(p));
    let (raw, mut at) = match yml.and_then(|y| y.endpoint.as_ref()) {
        Some(e) => (Some(e.text.clone()), Some(e.location.clone())),
        None => match env.value("PRISMA_MANAGEMENT_API_ENDPOINT") {
            Some((v, l)) => (Some(v), Some(l)),
            None => (None, None),
        },
    };
    let Some(raw) = raw else {
        return Target {
            class: if project.is_none() {
                EndpointClass::NoProject
            } else {
                EndpointClass::Unknown
            },
            url: String::new(),
            project,
            defined_at: at,
        };
    };
    let (url, from) = interpolate(&raw, env);
    if from.is_some() {
        at = from;
    }
    let mut class = match url {
        Some(ref u) => classify_url(u, &ctx.compose_services),
        None => EndpointClass::Unknown,
    };
    let scope = project.as_deref().map_or_else(
        || effective_cwd(site, repo),
        |p| crate::facts::parent(p).to_string(),
    );
    if class == EndpointClass::Local && ctx.local_server_protected(&scope) {
        class = EndpointClass::LocalProtected;
    }
    Target {
        class,
        url: url.unwrap_or(raw),
        project,
        defined_at: at,
    }
}

/// Resolves `${env:VAR}` and `${env:VAR, 'fallback'}` in a prisma.yml value.
fn interpolate(raw: &str, env: &EnvView<'_>) -> (Option<String>, Option<Location>) {
    let mut out = String::new();
    let mut rest = raw;
    let mut from = None;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            return (None, None);
        };
        let inner = &rest[i + 2..i + j];
        rest = &rest[i + j + 1..];
        let (var, fallback) = match inner.split_once(',') {
            Some((v, f)) => (
                v.trim(),
                Some(f.trim().trim_matches(['\'', '"']).to_string()),
            ),
            None => (inner.trim(), None),
        };
        let Some(name) = var.strip_prefix("env:") else {
            return (None, None);
        };
        match (env.value(name.trim()), fallback) {
            (Some((v, l)), _) => {
                out.push_str(&v);
                from = Some(l);
            }
            (None, Some(f)) => out.push_str(&f),
            (None, None) => return (None, None),
        }
    }
    out.push_str(rest);
    (Some(out), from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_hosts_exclude_api_and_binaries() {
        for h in [
            "eu1.prisma.sh",
            "us1.prisma.sh",
            "my-cluster_my-ws.prisma.sh",
            "cluster.ws.prisma.sh",
        ] {
            assert!(is_cloud_host(h), "{h}");
        }
        for h in [
            "binaries.prisma.sh",
            "api.cloud.prisma.sh",
            "api2.cloud.prisma.sh",
            "app.prisma.sh",
            "prisma.sh",
            "example.com",
        ] {
            assert!(!is_cloud_host(h), "{h}");
        }
    }

    #[test]
    fn urls_classify_by_host() {
        let services = vec!["prisma-server".to_string()];
        assert_eq!(
            classify_url("https://eu1.prisma.sh/w/s/dev", &services),
            EndpointClass::Cloud
        );
        assert_eq!(
            classify_url("http://localhost:4466", &services),
            EndpointClass::Local
        );
        assert_eq!(
            classify_url("http://prisma-server:4466/s/dev", &services),
            EndpointClass::Local
        );
        assert_eq!(
            classify_url("https://prisma.example.com/s/prod", &services),
            EndpointClass::Private
        );
        assert_eq!(classify_url("${env:X}", &services), EndpointClass::Unknown);
    }
}
