//! Prisma 1 *server* configs: `PRISMA_CONFIG` in compose files and
//! Kubernetes manifests, Dockerfiles that build a server image, start-up
//! hooks that write the config (`printf ... >> $PRISMA_CONFIG_PATH` on
//! Heroku), and server-side prisma.yml/config.yml files. Each config records
//! the names and ports it answers on, so a CLI command's endpoint can be
//! linked to the server it really talks to.

use crate::finding::Location;
use crate::yaml::{self, Node};

/// What kind of file defines the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServerKind {
    Compose,
    Kubernetes,
    /// `FROM prismagraphql/prisma`: an image deployed elsewhere (Heroku, a VM).
    Dockerfile,
    /// A script that writes the config at start-up.
    Hook,
    /// A server-side prisma.yml/config.yml.
    ConfigFile,
}

/// One Prisma 1 server configuration found in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The `PRISMA_CONFIG` key, or the top of a server config file.
    pub location: Location,
    /// An uncommented, non-empty `managementApiSecret` is set.
    pub has_secret: bool,
    /// False when the config itself is elsewhere (`ENV PRISMA_CONFIG_PATH`):
    /// then `has_secret` says nothing and another config must decide.
    pub secret_known: bool,
    /// For people: `service prisma`, `deployment prisma`, the path.
    pub label: String,
    pub kind: ServerKind,
    /// Host names it answers to: compose service, `container_name`,
    /// `hostname`, Kubernetes workload and container names.
    pub names: Vec<String>,
    /// Ports it answers on: compose published ports, container ports.
    pub ports: Vec<u16>,
    /// Kubernetes pod labels, for Services that select it.
    pub labels: Vec<(String, String)>,
    /// The variable a compose file puts into `managementApiSecret`
    /// (`${PRISMA_MANAGEMENT_API_SECRET:?...}`): compose fills it from the
    /// environment it runs in and the `.env` of its folder.
    pub secret_var: Option<String>,
}

/// A Kubernetes Service: a name that routes to pods by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeService {
    pub name: String,
    pub ports: Vec<u16>,
    pub selector: Vec<(String, String)>,
}

/// Where a walk is: the compose service or Kubernetes workload around a node.
#[derive(Default, Clone)]
struct Owner {
    label: String,
    names: Vec<String>,
    ports: Vec<u16>,
    labels: Vec<(String, String)>,
    kind: Option<ServerKind>,
}

/// Server configs in a YAML document tree (compose, k8s, CI service definitions).
pub fn from_yaml(path: &str, text: &str, docs: &[Node]) -> Vec<ServerConfig> {
    let mut out = Vec::new();
    for d in docs {
        let owner = kube_owner(d).unwrap_or_default();
        walk(path, text, d, &owner, "", &mut out);
    }
    out
}

/// A Kubernetes workload document: its name and pod labels.
fn kube_owner(doc: &Node) -> Option<Owner> {
    doc.get("apiVersion")?;
    let kind = doc.get("kind").and_then(Node::as_str)?;
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or_default();
    let labels = doc
        .get("spec")
        .and_then(|s| s.get("template"))
        .and_then(|t| t.get("metadata"))
        .or_else(|| doc.get("metadata"))
        .and_then(|m| m.get("labels"))
        .map(pairs)
        .unwrap_or_default();
    Some(Owner {
        label: format!("{} {name}", kind.to_ascii_lowercase()),
        names: vec![name.to_string()],
        ports: Vec::new(),
        labels,
        kind: Some(ServerKind::Kubernetes),
    })
}

fn pairs(n: &Node) -> Vec<(String, String)> {
    n.entries()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect()
}

/// A compose service: its names and published ports.
fn compose_owner(name: &str, svc: &Node) -> Owner {
    let mut names = vec![name.to_string()];
    for key in ["container_name", "hostname"] {
        if let Some(n) = svc.get(key).and_then(Node::as_str) {
            names.push(n.to_string());
        }
    }
    let ports = svc
        .get("ports")
        .map(|p| p.items().iter().filter_map(published_port).collect())
        .unwrap_or_default();
    Owner {
        label: format!("service {name}"),
        names,
        ports,
        labels: Vec::new(),
        kind: Some(ServerKind::Compose),
    }
}

/// `"4467:4466"`, `"127.0.0.1:4467:4466"`, `4466`, `{published: 4467}`: the host port.
fn published_port(item: &Node) -> Option<u16> {
    if let Some(p) = item.get("published") {
        return p.as_str()?.parse().ok();
    }
    let s = item.as_str()?;
    let parts: Vec<&str> = s.split(':').collect();
    let host = if parts.len() >= 2 {
        parts[parts.len() - 2]
    } else {
        parts[0]
    };
    host.split('/').next()?.trim().parse().ok()
}

/// `parent` is the key whose value `node` is.
fn walk(
    path: &str,
    text: &str,
    node: &Node,
    owner: &Owner,
    parent: &str,
    out: &mut Vec<ServerConfig>,
) {
    match node {
        Node::Map { entries, .. } => {
            // Kubernetes style: `- name: PRISMA_CONFIG` / `value: |`.
            if node.get("name").and_then(Node::as_str) == Some("PRISMA_CONFIG") {
                if let Some(v) = node.get("value").and_then(Node::as_str) {
                    let at = node.get("name").map(Node::pos).unwrap_or_default().byte;
                    out.push(config(path, text, at, v, owner));
                }
            }
            for (k, v) in entries {
                let key = k.as_str().unwrap_or("");
                if key == "PRISMA_CONFIG" {
                    if let Some(s) = v.as_str() {
                        out.push(config(path, text, k.pos().byte, s, owner));
                    }
                    continue;
                }
                if parent == "services" && owner.kind != Some(ServerKind::Kubernetes) {
                    walk(path, text, v, &compose_owner(key, v), key, out);
                } else {
                    walk(path, text, v, owner, key, out);
                }
            }
        }
        Node::Seq { items, .. } => {
            for i in items {
                // compose list form: `- PRISMA_CONFIG=...` holds only one line; skip multi-line.
                if let Some(s) = i.as_str() {
                    if let Some(v) = s.strip_prefix("PRISMA_CONFIG=") {
                        out.push(config(path, text, i.pos().byte, v, owner));
                    }
                }
                let inner = match i.get("name").and_then(Node::as_str) {
                    Some(n) if parent == "containers" => {
                        let mut o = owner.clone();
                        o.names.push(n.to_string());
                        o.ports.extend(
                            i.get("ports")
                                .map(|p| {
                                    p.items()
                                        .iter()
                                        .filter_map(|p| {
                                            p.get("containerPort")?.as_str()?.parse().ok()
                                        })
                                        .collect::<Vec<u16>>()
                                })
                                .unwrap_or_default(),
                        );
                        if o.label.is_empty() {
                            o.label = format!("container {n}");
                        }
                        o
                    }
                    _ => owner.clone(),
                };
                walk(path, text, i, &inner, parent, out);
            }
        }
        _ => {}
    }
}

fn config(path: &str, text: &str, at: usize, value: &str, owner: &Owner) -> ServerConfig {
    let end = text[at..]
        .find(['\n', ':', '='])
        .map_or(text.len(), |i| at + i);
    let mut ports = owner.ports.clone();
    // Outside compose the config's own port is where the server listens.
    if owner.kind != Some(ServerKind::Compose) {
        ports.extend(inner_port(value));
    }
    ServerConfig {
        location: Location::from_bytes(path, text.as_bytes(), at, end),
        has_secret: inner_has_secret(value),
        secret_known: true,
        label: if owner.label.is_empty() {
            path.to_string()
        } else {
            owner.label.clone()
        },
        kind: owner.kind.unwrap_or(ServerKind::Compose),
        names: owner
            .names
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect(),
        ports,
        labels: owner.labels.clone(),
        secret_var: (owner.kind.unwrap_or(ServerKind::Compose) == ServerKind::Compose)
            .then(|| inner_secret_var(value))
            .flatten(),
    }
}

/// The variable `managementApiSecret: ${NAME}` (or `${NAME:?msg}`,
/// `${NAME:-x}`, `$NAME`) takes its value from, in a `PRISMA_CONFIG` text.
fn inner_secret_var(value: &str) -> Option<String> {
    let line = value.lines().find_map(|l| {
        l.trim_start()
            .trim_start_matches(['"', '\''])
            .strip_prefix("managementApiSecret:")
    })?;
    let v = line.trim().trim_matches(['"', '\'']);
    let name = match v.strip_prefix("${") {
        Some(r) => r.split(['}', ':', '-', '?']).next()?,
        None => v.strip_prefix('$')?,
    };
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| name.to_string())
}

/// `port:` of a `PRISMA_CONFIG` text (the container port, 4466 by default).
fn inner_port(value: &str) -> Option<u16> {
    value.lines().find_map(|l| {
        let v = l.trim_start().strip_prefix("port:")?;
        v.trim().trim_matches(['"', '\'']).parse().ok()
    })
}

/// Does a `PRISMA_CONFIG` YAML text set `managementApiSecret`?
pub fn inner_has_secret(value: &str) -> bool {
    match yaml::parse(value) {
        Ok(docs) => docs
            .first()
            .and_then(|d| d.get("managementApiSecret"))
            .and_then(Node::as_str)
            .is_some_and(|s| !s.trim().is_empty()),
        // Unparsable (templated) config: fall back to an uncommented line.
        Err(_) => lines_set_secret(value),
    }
}

/// An uncommented `managementApiSecret: <something>` line.
fn lines_set_secret(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start().trim_start_matches(['"', '\'']);
        t.starts_with("managementApiSecret:")
            && t.split_once(':').is_some_and(|(_, v)| {
                let v = v.trim().trim_end_matches(['"', '\'', '\\']).trim();
                !v.is_empty() && v != "''" && v != "\"\""
            })
    })
}

/// Kubernetes Services of a YAML stream.
pub fn kube_services(docs: &[Node]) -> Vec<KubeService> {
    docs.iter()
        .filter(|d| d.get("apiVersion").is_some())
        .filter(|d| d.get("kind").and_then(Node::as_str) == Some("Service"))
        .filter_map(|d| {
            let name = d.get("metadata")?.get("name")?.as_str()?.to_string();
            let spec = d.get("spec");
            let ports = spec
                .and_then(|s| s.get("ports"))
                .map(|p| {
                    p.items()
                        .iter()
                        .filter_map(|p| p.get("port")?.as_str()?.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            let selector = spec
                .and_then(|s| s.get("selector"))
                .map(pairs)
                .unwrap_or_default();
            Some(KubeService {
                name,
                ports,
                selector,
            })
        })
        .collect()
}

/// A Kubernetes Secret or ConfigMap: the keys `envFrom` would put in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeEnvSource {
    /// `Secret` or `ConfigMap`.
    pub kind: String,
    pub name: String,
    pub keys: Vec<String>,
}

/// Secrets and ConfigMaps of a YAML stream, with their keys (never their values).
pub fn kube_env_sources(docs: &[Node]) -> Vec<KubeEnvSource> {
    docs.iter()
        .filter(|d| d.get("apiVersion").is_some())
        .filter_map(|d| {
            let kind = d.get("kind")?.as_str()?;
            if kind != "Secret" && kind != "ConfigMap" {
                return None;
            }
            // A template leaves the name empty (`name:`); it still lists keys.
            let name = d
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string();
            let keys = ["data", "stringData"]
                .iter()
                .filter_map(|k| d.get(k))
                .flat_map(|m| m.entries().iter().filter_map(|(k, _)| k.as_str()))
                .map(str::to_string)
                .collect();
            Some(KubeEnvSource {
                kind: kind.to_string(),
                name,
                keys,
            })
        })
        .collect()
}

/// A Dockerfile that builds a Prisma 1 server image. With `ENV PRISMA_CONFIG`
/// inline the config is here; with `ENV PRISMA_CONFIG_PATH` (or neither) it is
/// written elsewhere, so another config (a hook, a server prisma.yml) decides.
pub fn from_dockerfile(path: &str, text: &str) -> Option<ServerConfig> {
    let from = text.lines().position(|l| {
        let t = l.trim_start();
        t.get(..4).is_some_and(|k| k.eq_ignore_ascii_case("FROM"))
            && t.contains("prismagraphql/prisma")
    })?;
    let at: usize = text.split_inclusive('\n').take(from).map(str::len).sum();
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let inline = text.contains("PRISMA_CONFIG") && !text.contains("PRISMA_CONFIG_PATH");
    Some(ServerConfig {
        location: Location::from_bytes(path, text.as_bytes(), at, end),
        has_secret: lines_set_secret(text),
        secret_known: inline || lines_set_secret(text),
        label: path.to_string(),
        kind: ServerKind::Dockerfile,
        names: Vec::new(),
        ports: Vec::new(),
        labels: Vec::new(),
        secret_var: None,
    })
}

/// A script that writes a server config at start-up: it names
/// `PRISMA_CONFIG`/`PRISMA_CONFIG_PATH` and holds config keys.
pub fn from_hook(path: &str, text: &str) -> Option<ServerConfig> {
    if !text.contains("PRISMA_CONFIG") {
        return None;
    }
    let keyed = |k: &str| text.lines().any(|l| l.trim_start().starts_with(k));
    if !(keyed("managementApiSecret:") || keyed("databases:") || keyed("port:")) {
        return None;
    }
    let at = text.find("PRISMA_CONFIG").unwrap_or(0);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Some(ServerConfig {
        location: Location::from_bytes(path, text.as_bytes(), line_start, end),
        has_secret: lines_set_secret(text),
        secret_known: true,
        label: path.to_string(),
        kind: ServerKind::Hook,
        names: Vec::new(),
        ports: Vec::new(),
        labels: Vec::new(),
        secret_var: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_prisma_config_with_and_without_secret() {
        let text = "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    container_name: p1\n    ports:\n      - \"4467:4466\"\n    environment:\n      PRISMA_CONFIG: |\n        port: 4466\n        # managementApiSecret: x\n        databases: {}\n";
        let docs = yaml::parse(text).unwrap_or_default();
        let found = from_yaml("docker-compose.yml", text, &docs);
        assert_eq!(found.len(), 1);
        assert!(!found[0].has_secret);
        assert_eq!(found[0].location.line, 8);
        assert_eq!(found[0].names, ["prisma", "p1"]);
        assert_eq!(found[0].ports, [4467]);
        assert!(inner_has_secret(
            "port: 4466\nmanagementApiSecret: ${SECRET}\n"
        ));
    }

    #[test]
    fn kubernetes_workloads_and_services() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prisma\nspec:\n  template:\n    metadata:\n      labels:\n        app: prisma\n    spec:\n      containers:\n        - name: server\n          ports:\n            - containerPort: 4466\n          env:\n            - name: PRISMA_CONFIG\n              value: |\n                port: 4466\n                managementApiSecret: x\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: prisma-svc\nspec:\n  selector:\n    app: prisma\n  ports:\n    - port: 80\n";
        let docs = yaml::parse(text).unwrap_or_default();
        let found = from_yaml("k8s/prisma.yaml", text, &docs);
        assert_eq!(found.len(), 1);
        assert!(found[0].has_secret);
        assert_eq!(found[0].kind, ServerKind::Kubernetes);
        assert_eq!(found[0].names, ["prisma", "server"]);
        assert_eq!(found[0].labels, [("app".to_string(), "prisma".to_string())]);
        let svcs = kube_services(&docs);
        assert_eq!(svcs.len(), 1);
        assert_eq!(
            (svcs[0].name.as_str(), svcs[0].ports.as_slice()),
            ("prisma-svc", &[80u16][..])
        );
    }

    #[test]
    fn dockerfiles_and_hooks() {
        let d = from_dockerfile(
            "Dockerfile",
            "FROM prismagraphql/prisma:1.34\nENV PRISMA_CONFIG_PATH /app/config.yml\n",
        );
        assert!(d.is_some_and(|d| !d.secret_known));
        assert!(from_dockerfile("Dockerfile", "FROM node:12\n").is_none());
        let hook = "printf \"\nport: ${PORT}\nmanagementApiSecret: ${MGMT_SECRET}\n\" >> ${PRISMA_CONFIG_PATH}\n";
        assert!(from_hook("prerun_hook.sh", hook).is_some_and(|h| h.has_secret));
        let open = "printf \"\nport: ${PORT}\ndatabases:\n\" >> ${PRISMA_CONFIG_PATH}\n";
        assert!(from_hook("prerun_hook.sh", open).is_some_and(|h| !h.has_secret));
        assert!(from_hook("run.sh", "echo $PRISMA_CONFIG\n").is_none());
    }
}
