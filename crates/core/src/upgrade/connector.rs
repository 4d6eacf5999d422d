//! Which database a Prisma 1 service ran on, told from the repository: the
//! server config's `connector:` (in `PRISMA_CONFIG` of a compose file or
//! manifest, a start-up hook, a server-side prisma.yml), else a database
//! image next to it (`postgres:`, `mysql:`, `mariadb:`, `mongo:`), else
//! `databaseType: document` in the project (MongoDB). Configs and images in
//! the project's own folder tree are asked first. When they disagree, or
//! say nothing, the answer is "unknown" with what was seen: never a guess.

use super::schema::Connector;
use crate::facts::RepoFacts;
use crate::kind::FileKind;
use crate::paths::parent;
use std::collections::BTreeSet;
use std::path::Path;

/// What the repository says about one project's database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    pub connector: Option<Connector>,
    /// The service runs on MongoDB, which the upgrade does not cover.
    pub mongo: bool,
    /// What was seen, for people: `connector: postgres (docker-compose.yml:12)`.
    pub evidence: Vec<String>,
    /// A server config's `schema:` (PostgreSQL) or `database:` (MySQL) that
    /// overrides the `service$stage` name.
    pub namespace: Option<String>,
}

/// Largest file re-read for its server config.
const MAX_CONFIG: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    /// 0: a server config's `connector:`; 1: a database image.
    strength: u8,
    value: String,
    path: String,
    line: usize,
    namespace: Option<String>,
}

/// Resolves the connector of the project whose prisma.yml is `project`.
/// `forced` (`--database`) wins and is said to.
pub fn resolve(
    root: &Path,
    repo: &RepoFacts,
    project: &str,
    forced: Option<Connector>,
) -> Resolution {
    if let Some(c) = forced {
        return Resolution {
            connector: Some(c),
            evidence: vec![format!("--database {}", c.as_str())],
            ..Resolution::default()
        };
    }
    let scope = parent(project);
    let mut seen: BTreeSet<Seen> = BTreeSet::new();
    for (path, facts) in &repo.files {
        let is_config = !facts.servers.is_empty()
            || facts
                .prisma_yml
                .as_ref()
                .is_some_and(|y| y.is_server_config);
        let is_compose = FileKind::from_path(path) == FileKind::Compose;
        if !is_config && !is_compose {
            continue;
        }
        let Some(text) = read(root, path) else {
            continue;
        };
        scan(path, &text, is_config, &mut seen);
    }
    if let Some(text) = read(root, project) {
        if text
            .lines()
            .any(|l| l.trim_start().starts_with("databaseType:") && l.contains("document"))
        {
            return Resolution {
                mongo: true,
                evidence: vec![format!("databaseType: document ({project})")],
                ..Resolution::default()
            };
        }
    }
    let related = |p: &str| {
        let d = parent(p);
        let inside = |a: &str, b: &str| a.is_empty() || a == b || b.starts_with(&format!("{a}/"));
        inside(d, scope) || inside(scope, d)
    };
    let near: Vec<&Seen> = seen.iter().filter(|s| related(&s.path)).collect();
    let pool: Vec<&Seen> = if near.is_empty() {
        seen.iter().collect()
    } else {
        near
    };
    // Server configs decide when they say anything; images only otherwise.
    let strongest = pool.iter().map(|s| s.strength).min();
    let chosen: Vec<&Seen> = pool
        .into_iter()
        .filter(|s| Some(s.strength) == strongest)
        .collect();
    let evidence: Vec<String> = chosen
        .iter()
        .map(|s| {
            format!(
                "{} {} ({}:{})",
                if s.strength == 0 {
                    "connector:"
                } else {
                    "database image"
                },
                s.value,
                s.path,
                s.line
            )
        })
        .collect();
    let values: BTreeSet<&str> = chosen.iter().map(|s| s.value.as_str()).collect();
    let namespaces: BTreeSet<&String> =
        chosen.iter().filter_map(|s| s.namespace.as_ref()).collect();
    let mut out = Resolution {
        evidence,
        ..Resolution::default()
    };
    if values.len() == 1 {
        match values.iter().next().copied() {
            Some("postgres") => out.connector = Some(Connector::Postgres),
            Some("mysql") => out.connector = Some(Connector::Mysql),
            Some("mongo") => out.mongo = true,
            _ => {}
        }
        if namespaces.len() == 1 {
            out.namespace = namespaces.into_iter().next().cloned();
        }
    }
    out
}

fn read(root: &Path, rel: &str) -> Option<String> {
    let bytes = crate::fsread::read_inside(root, &root.join(rel), MAX_CONFIG).ok()?;
    Some(crate::decode::decode(&bytes).text.into_owned())
}

/// `connector: X` lines of server configs (with a `schema:`/`database:` that
/// follows in the same block), and database images of compose files.
fn scan(path: &str, text: &str, is_config: bool, seen: &mut BTreeSet<Seen>) {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start().trim_start_matches(['-', ' ']);
        if is_config {
            if let Some(v) = t.strip_prefix("connector:") {
                let v = v.trim().trim_matches(['"', '\'']);
                if matches!(v, "postgres" | "mysql" | "mongo") {
                    seen.insert(Seen {
                        strength: 0,
                        value: v.to_string(),
                        path: path.to_string(),
                        line: i + 1,
                        namespace: namespace(&lines, i, v),
                    });
                }
            }
        }
        if let Some(image) = t.strip_prefix("image:") {
            let image = image.trim().trim_matches(['"', '\'']);
            let name = image.rsplit('/').next().unwrap_or(image);
            let name = name.split([':', '@']).next().unwrap_or(name);
            let value = match name {
                "postgres" | "postgis" => "postgres",
                "mysql" | "mariadb" => "mysql",
                "mongo" => "mongo",
                _ => continue,
            };
            seen.insert(Seen {
                strength: 1,
                value: value.to_string(),
                path: path.to_string(),
                line: i + 1,
                namespace: None,
            });
        }
    }
}

/// The `schema:` (PostgreSQL, with `database:`) or `database:` (MySQL) key
/// beside a `connector:` line, at the same indentation.
fn namespace(lines: &[&str], at: usize, connector: &str) -> Option<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(lines[at]);
    let start = (0..at)
        .rev()
        .take_while(|&j| indent(lines[j]) >= own && !lines[j].trim().is_empty())
        .last()
        .unwrap_or(at);
    let key = if connector == "postgres" {
        "schema:"
    } else {
        "database:"
    };
    lines[start..]
        .iter()
        .take(40)
        .take_while(|l| l.trim().is_empty() || indent(l) >= own)
        .filter(|l| indent(l) == own)
        .find_map(|l| l.trim().strip_prefix(key))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty() && !v.contains('$') && v.len() <= 63)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_connectors_images_and_schema_overrides() {
        let mut seen = BTreeSet::new();
        let compose = "services:\n  prisma:\n    environment:\n      PRISMA_CONFIG: |\n        databases:\n          default:\n            connector: postgres\n            host: db\n            database: prisma\n            schema: app\n  db:\n    image: postgres:10.3\n";
        scan("docker-compose.yml", compose, true, &mut seen);
        let v: Vec<(u8, &str, usize, Option<&str>)> = seen
            .iter()
            .map(|s| (s.strength, s.value.as_str(), s.line, s.namespace.as_deref()))
            .collect();
        assert_eq!(
            v,
            [(0, "postgres", 7, Some("app")), (1, "postgres", 12, None)]
        );
        let mut seen = BTreeSet::new();
        scan("docker-compose.yml", "services:\n  db:\n    image: \"docker.io/library/mariadb:10\"\n  cache:\n    image: redis\n", false, &mut seen);
        assert_eq!(
            seen.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
            ["mysql"]
        );
    }
}
