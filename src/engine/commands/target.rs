//! Where a Prisma 1 command's requests go: the endpoint its prisma.yml (or
//! `PRISMA_MANAGEMENT_API_ENDPOINT`) resolves to in the command's environment,
//! and the server config in the repository that endpoint reaches.

use super::env::EnvView;
use super::invocation::{effective_cwd, find_project, Invocation};
use super::servers::{Link, Protection, RepoContext};
use super::url::{host_port, interpolate_with, usable};
use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;
use crate::finding::Location;

/// What an endpoint is, for the rules' `endpoint:` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointClass {
    /// A Prisma 1 Cloud host (demo or Cloud-hosted private server).
    Cloud,
    /// Linked to server configs that all set `managementApiSecret`.
    Protected,
    /// Linked to server configs that set none: no secret is needed.
    Unprotected,
    /// A self-hosted remote host with no (deciding) config in the repository:
    /// the secret is expected there.
    Remote,
    /// This machine or a compose service, with no config in the repository.
    Local,
    /// The endpoint cannot be resolved, or its configs disagree.
    Unknown,
    /// No prisma.yml and no PRISMA_MANAGEMENT_API_ENDPOINT: the command has
    /// no project here (it may be generated at run time), so nothing to judge.
    NoProject,
    /// A pre-1.7 project (`cluster`/`service`/`stage`, or CLI < 1.7): it
    /// authenticates with `~/.prisma/config.yml` clusters, not the variable.
    Legacy,
}

impl EndpointClass {
    pub fn name(self) -> &'static str {
        match self {
            EndpointClass::Cloud => "cloud",
            EndpointClass::Protected => "protected",
            EndpointClass::Unprotected => "unprotected",
            EndpointClass::Remote => "remote",
            EndpointClass::Local => "local",
            EndpointClass::Unknown => "unknown",
            EndpointClass::NoProject => "none",
            EndpointClass::Legacy => "legacy",
        }
    }
}

/// Is `host` this machine, as the command sees it?
fn is_loopback(host: &str) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "::1"
    )
}

/// Classifies an endpoint URL by its host alone (already interpolated).
pub fn classify_url(url: &str, compose_services: &[String]) -> EndpointClass {
    let Some((host, _)) = host_port(url) else {
        return EndpointClass::Unknown;
    };
    if is_cloud_host(&host) {
        return EndpointClass::Cloud;
    }
    if is_loopback(&host) || host == "prisma" || compose_services.contains(&host) {
        return EndpointClass::Local;
    }
    EndpointClass::Remote
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

/// The resolved target of an invocation.
pub struct Target {
    pub class: EndpointClass,
    pub url: String,
    pub project: Option<String>,
    pub defined_at: Option<Location>,
    /// The server configs the endpoint reaches, when the repository has them.
    pub link: Option<Link>,
    /// The command's environment does not resolve the endpoint: the URL is
    /// what the repository records of it, here (`env file .env`).
    pub recorded: Option<String>,
}

impl Target {
    /// Is the endpoint's host one the CLI counts as local (no Cloud token request)?
    pub fn cli_local(&self) -> bool {
        host_port(&self.url).is_some_and(|(h, _)| super::classes::cli_local_host(&h))
    }
}

/// Finds the endpoint a Prisma 1 command talks to and classifies it.
pub fn resolve_target(
    site: &CommandSite,
    inv: &Invocation,
    env: &EnvView<'_>,
    repo: &RepoFacts,
    ctx: &RepoContext,
) -> Target {
    let project = find_project(repo, &effective_cwd(site, repo), inv.project());
    let yml = project.as_deref().and_then(|p| repo.prisma_yml(p));
    let scope = project.as_deref().map_or_else(
        || effective_cwd(site, repo),
        |p| crate::paths::parent(p).to_string(),
    );
    let legacy = yml.is_some_and(|y| y.endpoint.is_none() && y.cluster.is_some())
        || repo
            .nearest_package(&scope)
            .and_then(|(_, p)| p.dependency("prisma"))
            .is_some_and(|d| {
                crate::facts::package_json::only_below(
                    &d.range,
                    &nodejs_semver::Version::from((1, 7, 0)),
                )
            });
    let (raw, mut at) = match yml.and_then(|y| y.endpoint.as_ref()) {
        Some(e) => (Some(e.text.clone()), Some(e.location.clone())),
        None => match env.value("PRISMA_MANAGEMENT_API_ENDPOINT") {
            Some((v, l)) => (Some(v), Some(l)),
            None => (
                None,
                yml.and_then(|y| y.cluster.as_ref())
                    .map(|c| c.location.clone()),
            ),
        },
    };
    let mut target = Target {
        class: EndpointClass::Unknown,
        url: String::new(),
        project,
        defined_at: at.clone(),
        link: None,
        recorded: None,
    };
    if legacy {
        target.class = EndpointClass::Legacy;
        return target;
    }
    let Some(raw) = raw else {
        if target.project.is_none() {
            target.class = EndpointClass::NoProject;
        } else {
            unresolved(&mut target, None, repo, ctx, &scope);
        }
        return target;
    };
    let (url, from) = interpolate(&raw, env);
    if from.is_some() {
        at = from;
    }
    target.defined_at = at;
    // Unresolved, or resolved to a placeholder (`yougottafillthisout`).
    let Some(url) = url.filter(|u| usable(u)) else {
        target.url = raw.clone();
        unresolved(&mut target, Some((&raw, env)), repo, ctx, &scope);
        return target;
    };
    let (class, link) = classify_in(&url, ctx, &scope);
    target.url = url;
    target.class = class;
    target.link = link;
    target
}

/// The class of a resolved URL, and the server configs it reaches.
fn classify_in(url: &str, ctx: &RepoContext, scope: &str) -> (EndpointClass, Option<Link>) {
    let Some((host, port)) = host_port(url) else {
        return (EndpointClass::Unknown, None);
    };
    if is_cloud_host(&host) {
        return (EndpointClass::Cloud, None);
    }
    let local = is_loopback(&host);
    let named_local = host == "prisma" || ctx.compose_services.contains(&host);
    let link = ctx.link(&host, port, local, scope);
    let class = match link.as_ref().map(|l| l.protection) {
        Some(Protection::Protected) => EndpointClass::Protected,
        Some(Protection::Unprotected) => EndpointClass::Unprotected,
        Some(Protection::Unknown) => EndpointClass::Unknown,
        None if local || named_local => EndpointClass::Local,
        None => EndpointClass::Remote,
    };
    (class, link)
}

/// An endpoint the command's environment does not resolve: what the
/// repository records of the project's endpoint decides (every value a
/// Cloud server: `cloud`; one a protected or self-hosted remote server: that
/// one, as recorded); with no record, the server configs that can be the
/// target do (every one without a secret: `unprotected`).
fn unresolved(
    target: &mut Target,
    raw: Option<(&str, &EnvView<'_>)>,
    repo: &RepoFacts,
    ctx: &RepoContext,
    scope: &str,
) {
    let mut records = match (raw, target.project.as_deref()) {
        (Some((raw, _)), Some(project)) => ctx.recorded(repo, project, raw),
        _ => Vec::new(),
    };
    // The command loads an env file that names the endpoint's variable but
    // leaves it unfilled: the repository's other env files are other stages.
    if let Some((raw, env)) = raw {
        if env_vars(raw).any(|v| env.names(v)) {
            records.retain(|r| !r.via.starts_with("env "));
        }
    }
    let classes: Vec<(EndpointClass, Option<Link>)> = records
        .iter()
        .map(|r| classify_in(&r.url, ctx, scope))
        .collect();
    let needs = |c: EndpointClass| matches!(c, EndpointClass::Protected | EndpointClass::Remote);
    let chosen = classes
        .iter()
        .position(|(c, _)| needs(*c))
        .or_else(|| classes.iter().position(|(c, _)| *c != EndpointClass::Cloud))
        .or_else(|| (!classes.is_empty()).then_some(0));
    let Some(i) = chosen else {
        target.link = ctx.any(scope);
        if target.link.as_ref().map(|l| l.protection) == Some(Protection::Unprotected) {
            target.class = EndpointClass::Unprotected;
        }
        return;
    };
    let (class, link) = classes[i].clone();
    target.class = class;
    target.link = link;
    target.url = records[i].url.clone();
    target.defined_at = Some(records[i].at.clone());
    target.recorded = Some(records[i].via.clone());
}

/// The variables `${env:VAR}` of a prisma.yml value.
fn env_vars(raw: &str) -> impl Iterator<Item = &str> {
    raw.split("${env:")
        .skip(1)
        .filter_map(|r| r.split(['}', ',']).next())
        .map(str::trim)
}

/// Resolves `${env:VAR}` and `${env:VAR, 'fallback'}` in a prisma.yml value.
fn interpolate(raw: &str, env: &EnvView<'_>) -> (Option<String>, Option<Location>) {
    interpolate_with(raw, &|name: &str| env.value(name))
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
            EndpointClass::Remote
        );
        assert_eq!(
            host_port("http://[::1]:4466/a"),
            Some(("[::1]".into(), Some(4466)))
        );
        assert_eq!(
            host_port("https://u:p@h.example.com/a"),
            Some(("h.example.com".into(), None))
        );
        assert_eq!(classify_url("${env:X}", &services), EndpointClass::Unknown);
    }
}
