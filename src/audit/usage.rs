//! Where each service is used from: every Prisma 1 CLI command, attached to
//! the endpoint it really targets, with the same judgement on the management
//! secret that `missing-management-secret` makes.

use super::model::{Service, Usage};
use super::parts::{place, said, server_class, ServiceMap};
use crate::engine::commands::{judge_secret, talks_to, Invocation, RepoContext, Talks};
use crate::facts::endpoint::parse_endpoint;
use crate::facts::RepoFacts;
use crate::text::{RepoText, Text};

/// Attaches one command to the service it really targets: the endpoint the
/// check resolves in the command's own environment (an inline
/// `PRISMA_ENDPOINT=... prisma1 deploy` overrides `.env`), with the check's
/// answer on whether the management secret reaches it.
pub(super) fn attach(
    services: &mut ServiceMap,
    site: &crate::facts::commands::CommandSite,
    inv: &Invocation,
    project: &str,
    repo: &RepoFacts,
    ctx: &RepoContext,
    compose: &[String],
) {
    let j = judge_secret(site, site, inv, repo, ctx, "PRISMA_MANAGEMENT_API_SECRET");
    let talks = talks_to(inv);
    let (secret, reason) = match (&j.provided_by, talks) {
        (Some(by), _) => ("yes", format!("from {by}")),
        (None, Some(Talks::Management | Talks::ManagementToken)) if j.needed() => (
            if j.unless.is_empty() { "no" } else { "unknown" },
            format!("{}: {}", j.summary(), j.checked.join("; ")),
        ),
        (None, Some(Talks::Management | Talks::ManagementToken)) => ("no", j.summary()),
        (None, t) => (
            "not needed",
            format!(
                "`{}` talks to the {} API, not the management API",
                inv.display(),
                t.map_or("no", Talks::name)
            ),
        ),
    };
    let resolved = parse_endpoint(&j.target.url).filter(|_| !j.target.url.contains("${"));
    let chosen: Vec<String> = match &resolved {
        Some(e) => {
            let key = format!("{}/{}/{}/{}", e.host, e.workspace, e.service, e.stage);
            if !services.contains_key(&key) {
                let defined_in = j
                    .target
                    .defined_at
                    .iter()
                    .map(|l| place(l, said("endpoint ", RepoText::parsed(&e.url))))
                    .collect();
                let svc = Service {
                    name: e.service.clone(),
                    stage: e.stage.clone(),
                    workspace: e.workspace.clone(),
                    endpoint: Text::repo(RepoText::parsed(&e.url)),
                    host: e.host.clone(),
                    class: server_class(&e.host, compose).to_string(),
                    defined_in,
                    used_from: Vec::new(),
                    data_export: false,
                    data_browser: false,
                    schema_work: None,
                };
                services.insert(key.clone(), (svc, vec![(Some(project.to_string()), None)]));
            }
            vec![key]
        }
        // Unresolved: every reading of the project.
        None => services
            .iter()
            .filter(|(_, (_, o))| o.iter().any(|(p, _)| p.as_deref() == Some(project)))
            .map(|(k, _)| k.clone())
            .collect(),
    };
    for k in chosen {
        if let Some((s, _)) = services.get_mut(&k) {
            s.used_from.push(Usage {
                path: site.location.path.to_string(),
                line: site.word_location.line,
                command: Text::repo(RepoText::words(&site.argv)),
                source: Text::tool(site.source.as_str()),
                management_secret: secret.to_string(),
                secret_reason: Text::repo(RepoText::parsed(&reason)),
            });
            s.data_export |= matches!(inv.subcommand.as_str(), "export" | "import");
            s.data_browser |= matches!(inv.subcommand.as_str(), "admin" | "playground");
        }
    }
}
