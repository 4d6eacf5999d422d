//! docker-compose files: each service's `entrypoint` and `command`, with its
//! `environment` and `env_file`s.

use super::lex::Dialect;
use super::lex::{lex, Tok};
use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::site::{EnvScope, ScopeKind};
use super::text::Snippet;
use super::yaml_util::{docs, scope};
use crate::yaml::Node;

pub(crate) fn extract(out: &mut Out) {
    let dir = dir_of(out.path);
    for doc in docs(out.file) {
        for (key, service) in doc.get("services").map(Node::entries).unwrap_or_default() {
            let name = key.as_str().unwrap_or_default();
            let env = scope(
                out,
                service.get("environment"),
                ScopeKind::Compose,
                &format!("service \"{name}\""),
            );
            let env_files = env_files(service.get("env_file"));
            if let (Some(ep), Some(cmd)) = (service.get("entrypoint"), service.get("command")) {
                // The container runs ENTRYPOINT with COMMAND as its arguments.
                let mut ctx = Ctx::new(format!("docker-compose service \"{name}\" command"), &dir)
                    .with_env(env.clone().into_iter().collect());
                ctx.env_files = env_files.clone();
                let mut all = argv_parts(ep, out.file);
                all.extend(argv_parts(cmd, out.file));
                shell::run_argv(out, &all, &ctx);
                continue;
            }
            for field in ["entrypoint", "command"] {
                let Some(node) = service.get(field) else {
                    continue;
                };
                let mut ctx = Ctx::new(format!("docker-compose service \"{name}\" {field}"), &dir)
                    .with_env(env.clone().into_iter().collect());
                ctx.env_files = env_files.clone();
                match node {
                    Node::Seq { items, .. } => {
                        let parts: Vec<Snippet> = items
                            .iter()
                            .filter_map(|n| Snippet::from_yaml(n, out.file))
                            .collect();
                        shell::run_argv(out, &parts, &ctx);
                    }
                    other => {
                        if let Some(snip) = Snippet::from_yaml(other, out.file) {
                            shell::run(out, &snip, &ctx);
                        }
                    }
                }
            }
        }
    }
}

/// Each service's environment (`environment` as a scope, `env_file`s as
/// written): what `docker compose run|exec SERVICE cmd` gives `cmd`.
pub fn service_envs(path: &str, text: &str) -> Vec<ServiceEnv> {
    let out = Out::new(path, text, super::keep::Keep::All);
    let mut found = Vec::new();
    for doc in docs(text) {
        for (key, service) in doc.get("services").map(Node::entries).unwrap_or_default() {
            let name = key.as_str().unwrap_or_default().to_string();
            let scope = scope(
                &out,
                service.get("environment"),
                ScopeKind::Compose,
                &format!("service \"{name}\""),
            );
            found.push(ServiceEnv {
                env_files: env_files(service.get("env_file")),
                name,
                scope,
            });
        }
    }
    found
}

/// The environment compose gives one service's containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEnv {
    pub name: String,
    pub scope: Option<EnvScope>,
    /// `env_file`s, relative to the compose file's folder.
    pub env_files: Vec<String>,
}

/// A compose `command`/`entrypoint` as arguments: a list as is, a string
/// split into words the way compose splits it (shell quoting, no shell).
pub(crate) fn argv_parts(node: &Node, file: &str) -> Vec<Snippet> {
    match node {
        Node::Seq { items, .. } => items
            .iter()
            .filter_map(|n| Snippet::from_yaml(n, file))
            .collect(),
        other => Snippet::from_yaml(other, file)
            .map(|snip| {
                lex(&snip.text, Dialect::Shell)
                    .into_iter()
                    .filter_map(|t| match t {
                        Tok::Word(w) => Some(snip.derive(&w.value, &w.idx)),
                        Tok::Op(_) | Tok::Heredoc(..) => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `env_file: F`, `env_file: [F, G]` or `env_file: [{path: F}]`, as written.
fn env_files(node: Option<&Node>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    let mut files: Vec<String> = node
        .strings()
        .into_iter()
        .map(|(s, _)| s.to_string())
        .collect();
    files.extend(
        node.items()
            .iter()
            .filter_map(|i| i.get("path").and_then(Node::as_str))
            .map(str::to_string),
    );
    files
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
