//! Builds a [`RepoAudit`] from one scan: findings for evidence and secrets,
//! facts (prisma.yml projects, env files, command sites) for services,
//! servers and where each service is deployed from.

use super::model::*;
use super::parts::{place, said, server_class, ServiceMap};
use crate::engine::commands::{classify, effective_cwd, find_project, RepoContext};
use crate::facts::endpoint::parse_endpoint;
use crate::facts::RepoFacts;
use crate::finding::{Finding, Severity};
use crate::paths::parent;
use crate::scan::ScanOutput;
use crate::text::{RepoText, Text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Rules whose findings mean Prisma 1 Cloud is (still) used.
const CLOUD_RULES: &[&str] = &["cloud-endpoint", "cloud-login", "cloud-console"];
/// Rules whose findings mean Prisma 1 is used at all.
const PRISMA1_RULES: &[&str] = &[
    "cloud-endpoint",
    "cloud-login",
    "cloud-console",
    "prisma1-cli",
    "prisma1-dependency",
    "prisma1-server-image",
    "prisma1-generated-client",
    "missing-management-secret",
    "unprotected-server",
    "hardcoded-secret",
];
/// Largest datamodel file read to count its types.
const MAX_DATAMODEL: u64 = 4 << 20;

/// A recorded endpoint as the audit shows it: the URL (repository text)
/// and, in the tool's words, the record it was read from.
fn recorded_text(r: &crate::engine::commands::Recorded) -> Text {
    let mut t = Text::repo(RepoText::parsed(&r.url));
    t.push_tool(&format!(" ({})", r.via));
    t
}

/// The pre-1.7 `cluster: [workspace/]prisma-eu1` form, as the URL CLI 1.7 rewrote it to.
fn legacy_endpoint(cluster: &str, service: &str, stage: &str) -> Option<String> {
    let (ws, region) = match cluster.split_once('/') {
        Some((w, r)) => (w, r),
        None => ("", cluster),
    };
    // `cluster: local` was the CLI's local Docker server (`prisma local start`).
    if ws.is_empty() && region == "local" {
        return Some(format!("http://localhost:4466/{service}/{stage}"));
    }
    let region = region
        .strip_prefix("prisma-")
        .filter(|r| *r == "eu1" || *r == "us1")?;
    let path: Vec<&str> = [ws, service, stage]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    Some(format!("https://{region}.prisma.sh/{}", path.join("/")))
}

struct Candidate {
    endpoint: String,
    defined_in: Vec<Place>,
    project: Option<String>,
    env_file: Option<String>,
}

/// Every endpoint a prisma.yml project can resolve to, with where it is defined.
fn project_candidates(path: &str, repo: &RepoFacts) -> Vec<Candidate> {
    let Some(yml) = repo.prisma_yml(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let raw = match (&yml.endpoint, &yml.cluster) {
        (Some(e), _) => (
            e.text.clone(),
            place(&e.location, said("endpoint: ", RepoText::parsed(&e.text))),
        ),
        (None, Some(c)) => {
            let service = yml.service.as_ref().map_or("default", |v| v.text.as_str());
            let stage = yml.stage.as_ref().map_or("default", |v| v.text.as_str());
            match legacy_endpoint(&c.text, service, stage) {
                Some(url) => (
                    url,
                    place(&c.location, said("cluster: ", RepoText::parsed(&c.text))),
                ),
                None => return out,
            }
        }
        (None, None) => return out,
    };
    let (text, at) = raw;
    let Some(start) = text.find("${") else {
        out.push(Candidate {
            endpoint: text,
            defined_in: vec![at],
            project: Some(path.to_string()),
            env_file: None,
        });
        return out;
    };
    let inner = text[start + 2..].split('}').next().unwrap_or("");
    let fallback = inner
        .split_once(',')
        .map(|(_, f)| f.trim().trim_matches(['\'', '"']).to_string());
    let prefix = &text[..start];
    let suffix = text[start..].split_once('}').map_or("", |(_, s)| s);
    // The same records the secret check reads: env files of the project (a
    // root `.env`), hosting env, generated clients, downloaded schemas,
    // `.graphqlconfig`, templates with real values.
    for r in crate::engine::commands::recorded(repo, path, &text) {
        let env_file = r.via.strip_prefix("env file ").map(str::to_string);
        out.push(Candidate {
            endpoint: r.url.clone(),
            defined_in: vec![at.clone(), place(&r.at, recorded_text(&r))],
            project: Some(path.to_string()),
            env_file,
        });
    }
    if out.is_empty() {
        match fallback {
            Some(f) => out.push(Candidate {
                endpoint: format!("{prefix}{f}{suffix}"),
                defined_in: vec![at],
                project: Some(path.to_string()),
                env_file: None,
            }),
            None => out.push(Candidate {
                endpoint: text.clone(),
                defined_in: vec![at],
                project: Some(path.to_string()),
                env_file: None,
            }),
        }
    }
    out
}

/// Builds the audit of one scanned repository.
pub fn repo_audit(
    name: &str,
    path: &str,
    root: &Path,
    out: &ScanOutput,
    findings: &[Finding],
) -> RepoAudit {
    let repo = &out.facts;
    let active: Vec<&Finding> = findings.iter().filter(|f| f.suppressed.is_none()).collect();
    let compose: Vec<String> = repo
        .files
        .values()
        .flat_map(|f| f.compose_services.iter().cloned())
        .collect();

    // Services from prisma.yml projects, then Cloud URLs found anywhere else.
    let mut candidates: Vec<Candidate> = Vec::new();
    for (p, f) in &repo.files {
        if f.prisma_yml.as_ref().is_some_and(|y| y.is_project()) {
            candidates.extend(project_candidates(p, repo));
        }
    }
    for f in active.iter().filter(|f| f.rule == "cloud-endpoint") {
        // Masked already: a URL's userinfo is `«redacted»` here.
        let matched = f.matched.masked();
        if let Some(url) = matched.split_whitespace().find(|w| w.contains("://")) {
            candidates.push(Candidate {
                endpoint: url.to_string(),
                defined_in: vec![place(&f.location, Text::repo(f.snippet.trim()))],
                project: None,
                env_file: None,
            });
        }
    }
    let mut services: ServiceMap = BTreeMap::new();
    for c in candidates {
        // `__PRISMA_ENDPOINT__`, `PRISMA_ENDPOINT`: a placeholder a deploy
        // script fills in, not a service of its own.
        if is_placeholder(&c.endpoint) {
            continue;
        }
        let parsed = parse_endpoint(&c.endpoint).filter(|_| !c.endpoint.contains("${"));
        let key = parsed.as_ref().map_or(c.endpoint.clone(), |e| {
            format!("{}/{}/{}/{}", e.host, e.workspace, e.service, e.stage)
        });
        let entry = services.entry(key).or_insert_with(|| {
            let s = match &parsed {
                Some(e) => Service {
                    name: e.service.clone(),
                    stage: e.stage.clone(),
                    workspace: e.workspace.clone(),
                    endpoint: Text::repo(RepoText::parsed(&e.url)),
                    host: e.host.clone(),
                    class: server_class(&e.host, &compose).to_string(),
                    defined_in: Vec::new(),
                    used_from: Vec::new(),
                    data_export: false,
                    data_browser: false,
                    schema_work: None,
                },
                None => Service {
                    name: "?".into(),
                    stage: "?".into(),
                    workspace: String::new(),
                    endpoint: Text::repo(RepoText::parsed(&c.endpoint)),
                    host: String::new(),
                    class: "unknown".into(),
                    defined_in: Vec::new(),
                    used_from: Vec::new(),
                    data_export: false,
                    data_browser: false,
                    schema_work: None,
                },
            };
            (s, Vec::new())
        });
        for d in c.defined_in {
            if !entry.0.defined_in.contains(&d) {
                entry.0.defined_in.push(d);
            }
        }
        entry.1.push((c.project, c.env_file));
    }

    // Where each service is used from: Prisma 1 CLI commands and their environment.
    let ctx = RepoContext::new(repo);
    let mut cli_invocations = 0;
    for facts in repo.files.values() {
        for site in &facts.commands {
            let Some(inv) = classify(site, repo) else {
                continue;
            };
            cli_invocations += 1;
            // Account commands talk to the Cloud, not to a service.
            if matches!(
                inv.subcommand.as_str(),
                "login" | "logout" | "console" | "account" | "init" | "" | "help" | "version"
            ) {
                continue;
            }
            let Some(project) = find_project(repo, &effective_cwd(site, repo), inv.project())
            else {
                continue;
            };
            super::usage::attach(&mut services, site, &inv, &project, repo, &ctx, &compose);
        }
    }
    let mut services: Vec<Service> = services
        .into_values()
        .map(|(mut s, _)| {
            s.defined_in.sort();
            s.used_from.sort();
            s.used_from.dedup();
            s
        })
        .collect();
    services.sort_by(|a, b| {
        (class_rank(&a.class), &a.host, &a.name, &a.stage).cmp(&(
            class_rank(&b.class),
            &b.host,
            &b.name,
            &b.stage,
        ))
    });

    attach_schema_work(root, repo, &mut services);

    let mut servers: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for s in &services {
        let host = if s.host.is_empty() {
            "(unresolved)".to_string()
        } else {
            s.host.clone()
        };
        servers
            .entry((host, s.class.clone()))
            .or_default()
            .insert(format!("{}/{}", s.name, s.stage));
    }
    let servers: Vec<Server> = servers
        .into_iter()
        .map(|((host, class), svcs)| Server {
            host,
            class,
            services: svcs.into_iter().collect(),
        })
        .collect();

    let code = code_surface(root, repo, &active, cli_invocations);
    let secrets: Vec<Place> = active
        .iter()
        .filter(|f| f.rule == "hardcoded-secret")
        .map(|f| place(&f.location, f.message.clone()))
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in &active {
        *counts.entry(f.rule.clone()).or_default() += 1;
    }
    let uses_prisma1 = active
        .iter()
        .any(|f| PRISMA1_RULES.contains(&f.rule.as_str()))
        || !services.is_empty()
        || !code.datamodels.is_empty();
    // Mentions in comments and docs do not decide the verdict; live text does.
    let cloud: Vec<&&Finding> = active
        .iter()
        .filter(|f| CLOUD_RULES.contains(&f.rule.as_str()) && !f.mention)
        .collect();
    let (verdict, evidence) = if !cloud.is_empty() {
        (
            Verdict::Yes,
            cloud
                .iter()
                .take(25)
                .map(|f| {
                    let mut t = Text::tool(format!("{}: ", f.rule));
                    t.push(f.message.clone());
                    place(&f.location, t)
                })
                .collect(),
        )
    } else if !uses_prisma1 {
        (Verdict::No, Vec::new())
    } else if services.is_empty() && !ctx.servers.is_empty() {
        // Only a self-hosted server image, no endpoint: whatever talks to it, it is not the Cloud.
        (
            Verdict::No,
            ctx.servers
                .iter()
                .take(5)
                .map(|(_, s)| {
                    let t = format!(
                        "self-hosted Prisma 1 server ({}), no endpoint found",
                        s.label
                    );
                    place(&s.location, Text::tool(t))
                })
                .collect(),
        )
    } else if services.iter().any(|s| s.class == "unknown") || services.is_empty() {
        let ev: Vec<Place> = services
            .iter()
            .filter(|s| s.class == "unknown")
            .flat_map(|s| {
                s.defined_in.iter().take(1).map(|p| {
                    let mut text = Text::tool("endpoint ");
                    text.push(s.endpoint.clone());
                    text.push_tool(" cannot be resolved from the repository");
                    Place { text, ..p.clone() }
                })
            })
            .collect();
        let ev = if ev.is_empty() {
            active
                .iter()
                .filter(|f| PRISMA1_RULES.contains(&f.rule.as_str()))
                .take(5)
                .map(|f| {
                    let mut t = Text::tool(format!("{}: ", f.rule));
                    t.push(f.message.clone());
                    t.push_tool(" (no endpoint found)");
                    place(&f.location, t)
                })
                .collect()
        } else {
            ev
        };
        (Verdict::CannotTell, ev)
    } else {
        let ev = services
            .iter()
            .flat_map(|s| {
                s.defined_in.iter().take(1).map(|p| Place {
                    text: Text::tool(format!(
                        "{} server {} (not Prisma 1 Cloud)",
                        s.class, s.host
                    )),
                    ..p.clone()
                })
            })
            .collect();
        (Verdict::No, ev)
    };
    let mut problems: Vec<Place> = out
        .problems
        .iter()
        .map(|p| Place {
            path: p.path.clone(),
            line: 0,
            text: Text::tool(p.message.as_str()),
        })
        .collect();
    problems.extend(code.datamodels.iter().filter_map(|d| {
        d.note.as_ref().map(|n| Place {
            path: d.path.clone(),
            line: 0,
            text: Text::tool(n.as_str()),
        })
    }));
    problems.sort();
    let mut audit = RepoAudit {
        name: name.to_string(),
        path: path.to_string(),
        uses_prisma1,
        uses_prisma1_cloud: verdict,
        evidence,
        servers,
        services,
        code,
        secrets,
        errors: active
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        warnings: active
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
        notes: active
            .iter()
            .filter(|f| f.severity == Severity::Note)
            .count(),
        findings: counts,
        plan: Vec::new(),
        checklist: Vec::new(),
        problems,
        failed: None,
    };
    // The plan quotes the services' texts: they are masked first.
    audit.mark(&out.backstop);
    audit.plan = super::plan::plan(
        &audit.services,
        &audit.code,
        &audit.secrets,
        &audit.findings,
    );
    audit.checklist = super::plan::checklist(&audit.services, &audit.findings, verdict);
    audit
}

/// Each service's schema work, from `prisma1-lint upgrade`'s view of the
/// same repository: the upgrade service with the same service and stage
/// whose prisma.yml defines it (or, unresolved, whose prisma.yml it is).
fn attach_schema_work(root: &Path, repo: &RepoFacts, services: &mut [Service]) {
    let upgrade = crate::upgrade::service::collect(root, repo, None);
    for s in services.iter_mut() {
        let defined = |p: &str| s.defined_in.iter().any(|d| d.path == p);
        let found = upgrade.iter().find(|u| {
            defined(&u.project)
                && match (&u.service, &u.stage) {
                    (Some(n), Some(t)) => *n == s.name && *t == s.stage,
                    _ => s.class == "unknown",
                }
        });
        let Some(u) = found else { continue };
        let mut by_kind = BTreeMap::new();
        for i in &u.plan.incompatibilities {
            *by_kind.entry(i.problem.as_str().to_string()).or_insert(0) += 1;
        }
        s.schema_work = Some(SchemaWork {
            project: u.project.clone(),
            connector: u.connector().map(|c| c.as_str().to_string()),
            datamodel_version: u.version().as_str().to_string(),
            incompatibilities: u.plan.incompatibilities.len(),
            statements: u
                .sql()
                .map(|q| crate::upgrade::command::statement_count(&q)),
            by_kind,
        });
    }
}

/// A template token where an endpoint URL will be (`__X__`, `X_Y`, `<x>`).
fn is_placeholder(endpoint: &str) -> bool {
    let t = endpoint.trim().trim_matches(['"', '\'']);
    !t.contains("://")
        && (t.starts_with('<') && t.ends_with('>')
            || t.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && t.chars().any(|c| c.is_ascii_uppercase()))
}

fn class_rank(class: &str) -> usize {
    [
        "cloud-shared",
        "cloud-private",
        "private",
        "local",
        "unknown",
    ]
    .iter()
    .position(|c| *c == class)
    .unwrap_or(9)
}

fn code_surface(
    root: &Path,
    repo: &RepoFacts,
    active: &[&Finding],
    cli_invocations: usize,
) -> CodeSurface {
    let mut code = CodeSurface {
        cli_invocations,
        ..Default::default()
    };
    for f in active.iter().filter(|f| f.rule == "prisma1-dependency") {
        if f.location.path.ends_with("package.json") {
            let matched = f.matched.masked();
            let mut parts = matched.split_whitespace().skip(1);
            let (name, range) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            code.packages.push(place(
                &f.location,
                Text::repo(RepoText::name(&format!("{name}@{range}"))),
            ));
        } else {
            code.binding_imports += 1;
        }
    }
    for f in active
        .iter()
        .filter(|f| f.rule == "prisma1-generated-client")
    {
        code.generated_clients
            .push(place(&f.location, f.message.clone()));
    }
    let type_re = regex::Regex::new(r"(?m)^\s*type\s+[A-Za-z_][A-Za-z0-9_]*").ok();
    let mut seen = BTreeSet::new();
    for (p, f) in &repo.files {
        let Some(yml) = &f.prisma_yml else { continue };
        for dm in &yml.datamodel {
            let rel = crate::paths::join(parent(p), dm);
            if !seen.insert(rel.clone()) {
                continue;
            }
            let full = root.join(&rel);
            // Read only regular files that resolve inside the repository,
            // bounded; one that is not read says why.
            let (types, note) = match crate::fsread::read_inside(root, &full, MAX_DATAMODEL) {
                Ok(b) => {
                    let t = crate::decode::decode(&b).text.into_owned();
                    (
                        type_re.as_ref().map_or(0, |r| r.find_iter(&t).count()),
                        None,
                    )
                }
                Err(e) => (
                    0,
                    Some(format!(
                        "the datamodel {}; its types are not counted",
                        crate::diagnostic::plain_io(&e.to_string())
                    )),
                ),
            };
            code.datamodels.push(Datamodel {
                path: rel,
                types,
                note,
            });
        }
    }
    code.packages.sort();
    // One package.json may name a package twice (dependencies and
    // devDependencies, an override): list it once.
    code.packages
        .dedup_by(|a, b| a.path == b.path && a.text == b.text);
    code.generated_clients.sort();
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_clusters_become_demo_urls() {
        assert_eq!(
            legacy_endpoint("public-x/prisma-eu1", "shop", "dev").as_deref(),
            Some("https://eu1.prisma.sh/public-x/shop/dev")
        );
        assert_eq!(
            legacy_endpoint("local", "shop", "dev").as_deref(),
            Some("http://localhost:4466/shop/dev")
        );
        assert_eq!(legacy_endpoint("my-vm", "shop", "dev"), None);
    }
}
