//! The Prisma 1 services of a repository, each with what the upgrade needs:
//! its prisma.yml, the service and stage its endpoint names (so the schema
//! `service$stage` or database `service@stage`), the connector, the
//! datamodel files read and parsed, the relations, the tables Prisma 1
//! created and the plan. What cannot be told is a note on the service.

use super::connector::{self, Resolution};
use super::datamodel::{Datamodel, Version};
use super::plan::{self, Plan};
use super::relations::{self, Relation};
use super::schema::{self, Connector, Table};
use crate::facts::RepoFacts;
use crate::paths::{join, parent};
use std::path::Path;

/// Largest datamodel file read.
pub const MAX_DATAMODEL: u64 = 4 << 20;

#[derive(Debug, Clone)]
pub struct Service {
    /// The prisma.yml of the project.
    pub project: String,
    /// The endpoint as resolved (`None` when the repository does not say).
    pub endpoint: Option<String>,
    pub service: Option<String>,
    pub stage: Option<String>,
    /// The PostgreSQL schema or MySQL database of the service.
    pub namespace: Option<String>,
    pub resolution: Resolution,
    pub datamodel: Datamodel,
    pub relations: Vec<Relation>,
    pub tables: Vec<Table>,
    pub plan: Plan,
    /// What could not be told about the service, for people.
    pub notes: Vec<String>,
}

impl Service {
    pub fn connector(&self) -> Option<Connector> {
        self.resolution.connector
    }
    pub fn version(&self) -> Version {
        self.datamodel.version()
    }
    /// `service/stage`, or what stands for them when they are unknown.
    pub fn label(&self) -> String {
        match (&self.service, &self.stage) {
            (Some(s), Some(t)) => format!("{s}/{t}"),
            _ => "(endpoint unresolved)".to_string(),
        }
    }
    /// The SQL for this service, when the connector is known.
    pub fn sql(&self) -> Option<Vec<String>> {
        let c = self.connector()?;
        Some(super::sql::render(
            c,
            self.namespace.as_deref(),
            &self.plan.ops,
        ))
    }
}

/// Every prisma.yml project with a datamodel, one service per distinct
/// endpoint it resolves to, sorted by project then service.
pub fn collect(root: &Path, repo: &RepoFacts, forced: Option<Connector>) -> Vec<Service> {
    let mut out = Vec::new();
    for (path, facts) in &repo.files {
        let Some(yml) = facts
            .prisma_yml
            .as_ref()
            .filter(|y| y.is_project() && !y.datamodel.is_empty())
        else {
            continue;
        };
        let mut dm = Datamodel::default();
        let mut notes = Vec::new();
        for file in &yml.datamodel {
            let rel = join(parent(path), file);
            match crate::fsread::read_inside(root, &root.join(&rel), MAX_DATAMODEL) {
                Ok(bytes) => dm.add_file(&rel, &crate::decode::decode(&bytes).text),
                Err(e) => notes.push(format!(
                    "datamodel {rel} cannot be read ({e}); the plan leaves it out"
                )),
            }
        }
        let (rels, rel_notes) = relations::infer(&dm);
        dm.notes.extend(rel_notes);
        let resolution = connector::resolve(root, repo, path, forced);
        if resolution.mongo {
            notes.push("the service runs on MongoDB, which the upgrade to Prisma ORM handles differently (no SQL); see Prisma's MongoDB upgrade guide".into());
        } else if resolution.connector.is_none() {
            notes.push(if resolution.evidence.is_empty() {
                "the repository does not say whether the database is PostgreSQL or MySQL; pass --database postgres|mysql for the SQL".to_string()
            } else {
                format!("the repository's server configs disagree on the database ({}); pass --database postgres|mysql for the SQL", resolution.evidence.join("; "))
            });
        }
        let tables = resolution
            .connector
            .map(|c| schema::tables(&dm, &rels, c))
            .unwrap_or_default();
        let plan = plan::plan(&dm, &rels, resolution.connector);
        let endpoints = endpoints(repo, path);
        if endpoints.is_empty() {
            notes.push("the service and stage cannot be told (no endpoint the repository resolves): the SQL names tables without a schema; set the search path (PostgreSQL) or database (MySQL) to the service's first".into());
        }
        let base = Service {
            project: path.clone(),
            endpoint: None,
            service: None,
            stage: None,
            namespace: None,
            resolution,
            datamodel: dm,
            relations: rels,
            tables,
            plan,
            notes,
        };
        if endpoints.is_empty() {
            out.push(base);
            continue;
        }
        for (url, workspace, service, stage) in endpoints {
            let mut s = base.clone();
            s.namespace = s.resolution.namespace.clone().or_else(|| {
                s.connector().map(|c| {
                    let ns = c.namespace(&service, &stage);
                    if workspace.is_empty() {
                        ns
                    } else {
                        format!("{workspace}~{ns}")
                    }
                })
            });
            s.endpoint = Some(url);
            s.service = Some(service);
            s.stage = Some(stage);
            out.push(s);
        }
    }
    out
}

/// Resolved endpoints of a project: `(url, workspace, service, stage)`.
/// `${env:X}` is looked up in the env files beside or above the project
/// (not templates), then its quoted fallback; pre-1.7 `service`/`stage` keys count.
fn endpoints(repo: &RepoFacts, project: &str) -> Vec<(String, String, String, String)> {
    let Some(yml) = repo.prisma_yml(project) else {
        return Vec::new();
    };
    let mut urls: Vec<String> = Vec::new();
    if let Some(e) = &yml.endpoint {
        let text = e.text.trim();
        match text.find("${") {
            None => urls.push(text.to_string()),
            Some(start) => {
                let inner = text[start + 2..].split('}').next().unwrap_or("");
                let (var, fallback) = match inner.split_once(',') {
                    Some((v, f)) => (v.trim(), Some(f.trim().trim_matches(['\'', '"']))),
                    None => (inner.trim(), None),
                };
                let var = var.strip_prefix("env:").unwrap_or(var).trim();
                let (prefix, suffix) = (
                    &text[..start],
                    text[start..].split_once('}').map_or("", |(_, s)| s),
                );
                let dir = parent(project);
                for (file, f) in &repo.files {
                    let Some(env) = &f.env else { continue };
                    let fdir = parent(file);
                    let near =
                        fdir.is_empty() || dir == fdir || dir.starts_with(&format!("{fdir}/"));
                    let template = [".example", ".sample", ".template", ".dist"]
                        .iter()
                        .any(|t| file.ends_with(t));
                    if !near || template {
                        continue;
                    }
                    if let Some(v) = env
                        .vars
                        .get(var)
                        .filter(|v| !v.value.is_empty() && !v.value.contains('$'))
                    {
                        urls.push(format!("{prefix}{}{suffix}", v.value));
                    }
                }
                if urls.is_empty() {
                    if let Some(f) = fallback.filter(|f| !f.is_empty()) {
                        urls.push(format!("{prefix}{f}{suffix}"));
                    }
                }
            }
        }
    } else if yml.service.is_some() || yml.stage.is_some() {
        let s = yml.service.as_ref().map_or("default", |v| v.text.as_str());
        let t = yml.stage.as_ref().map_or("default", |v| v.text.as_str());
        return vec![(
            format!("service: {s}, stage: {t}"),
            String::new(),
            s.to_string(),
            t.to_string(),
        )];
    }
    let mut out: Vec<(String, String, String, String)> = Vec::new();
    for u in urls {
        if u.contains("${") {
            continue;
        }
        if let Some(e) = crate::facts::endpoint::parse_endpoint(&u) {
            // Demo servers carry the workspace in the path; it is Cloud's, not the schema's.
            let ws = if e.host.ends_with(".prisma.sh") {
                String::new()
            } else {
                e.workspace
            };
            if !out
                .iter()
                .any(|o| o.2 == e.service && o.3 == e.stage && o.1 == ws)
            {
                out.push((e.url, ws, e.service, e.stage));
            }
        }
    }
    out
}
