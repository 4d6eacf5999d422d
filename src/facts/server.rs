//! Prisma 1 *server* configs: `PRISMA_CONFIG` in compose files and
//! Kubernetes manifests, and server-side prisma.yml/config.yml files.

use super::yaml::{self, Node};
use crate::finding::Location;

/// One Prisma 1 server configuration found in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The `PRISMA_CONFIG` key, or the top of a server config file.
    pub location: Location,
    /// An uncommented, non-empty `managementApiSecret` is set.
    pub has_secret: bool,
    /// Host port mapped to 4466 or the configured port, if visible.
    pub label: String,
}

/// Server configs in a YAML document tree (compose, k8s, CI service definitions).
pub fn from_yaml(path: &str, text: &str, docs: &[Node]) -> Vec<ServerConfig> {
    let mut out = Vec::new();
    for d in docs {
        walk(path, text, d, "", "", &mut out);
    }
    out
}

/// `owner` names the compose service (or manifest container) being walked;
/// `parent` is the key whose value `node` is.
fn walk(
    path: &str,
    text: &str,
    node: &Node,
    owner: &str,
    parent: &str,
    out: &mut Vec<ServerConfig>,
) {
    match node {
        Node::Map { entries, .. } => {
            // Kubernetes style: `- name: PRISMA_CONFIG` / `value: |`.
            if node.get("name").and_then(Node::as_str) == Some("PRISMA_CONFIG") {
                if let Some(v) = node.get("value").and_then(Node::as_str) {
                    out.push(config(
                        path,
                        text,
                        node.get("name").map(Node::pos).unwrap_or_default().byte,
                        v,
                        owner,
                    ));
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
                let owner = if parent == "services" { key } else { owner };
                walk(path, text, v, owner, key, out);
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
                let owner = match i.get("name").and_then(Node::as_str) {
                    Some(n) if parent == "containers" => n,
                    _ => owner,
                };
                walk(path, text, i, owner, parent, out);
            }
        }
        _ => {}
    }
}

fn config(path: &str, text: &str, at: usize, value: &str, owner: &str) -> ServerConfig {
    let end = text[at..]
        .find(['\n', ':', '='])
        .map_or(text.len(), |i| at + i);
    ServerConfig {
        location: Location::from_bytes(path, text.as_bytes(), at, end),
        has_secret: inner_has_secret(value),
        label: if owner.is_empty() {
            path.to_string()
        } else {
            format!("service {owner}")
        },
    }
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
        Err(_) => value.lines().any(|l| {
            l.trim_start().starts_with("managementApiSecret:")
                && l.split_once(':').is_some_and(|(_, v)| !v.trim().is_empty())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_prisma_config_with_and_without_secret() {
        let text = "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_CONFIG: |\n        port: 4466\n        # managementApiSecret: x\n        databases: {}\n";
        let docs = yaml::parse(text).unwrap_or_default();
        let found = from_yaml("docker-compose.yml", text, &docs);
        assert_eq!(found.len(), 1);
        assert!(!found[0].has_secret);
        assert_eq!(found[0].location.line, 5);
        assert!(inner_has_secret(
            "port: 4466\nmanagementApiSecret: ${SECRET}\n"
        ));
    }
}
