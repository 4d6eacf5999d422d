//! docker-compose files: each service's `entrypoint` and `command`, with its
//! `environment` and `env_file`s.

use super::lex::{lex, Tok};
use super::text::Snippet;
use super::yaml_util::{docs, scope};
use super::{dir_of, shell, Ctx, Dialect, Out};
use crate::facts::commands::{ContainerKind, EnvScope, ScopeKind};
use crate::facts::yaml::Node;

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
    let out = Out::new(path, text, super::Keep::All);
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

/// Gives every command run in a compose service (`docker compose run|exec
/// SERVICE cmd`) that service's environment, from the compose file of the
/// folder the command runs in (else any compose file that defines the
/// service).
pub fn link_services(repo: &mut crate::facts::RepoFacts) {
    let services: Vec<(String, ServiceEnv)> = repo
        .files
        .iter()
        .flat_map(|(path, f)| {
            f.compose_envs
                .iter()
                .map(move |s| (crate::paths::parent(path).to_string(), s.clone()))
        })
        .collect();
    if services.is_empty() {
        return;
    }
    for facts in repo.files.values_mut() {
        for site in &mut facts.commands {
            let Some(c) = site
                .container
                .as_ref()
                .filter(|c| c.kind == ContainerKind::ComposeService)
            else {
                continue;
            };
            let candidates = services.iter().filter(|(_, s)| s.name == c.name);
            let here = candidates.clone().find(|(dir, _)| *dir == site.cwd);
            let Some((dir, svc)) = here.or_else(|| candidates.clone().next()) else {
                continue;
            };
            if let Some(scope) = &svc.scope {
                site.env.push(scope.clone());
            }
            site.env_files.extend(
                svc.env_files
                    .iter()
                    .map(|f| format!("/{}", super::join_path(dir, f))),
            );
        }
    }
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
mod tests {
    use super::super::show_all;
    use crate::kind::FileKind;

    #[test]
    fn commands_with_environment_and_env_files() {
        let text = r#"services:
  prisma:
    image: prismagraphql/prisma:1.34
    environment:
      PRISMA_CONFIG: |
        port: 4466
  deploy:
    command: sh -c "npx prisma deploy"
    env_file: [.env, {path: .env.prod}]
    environment:
      - PRISMA_MANAGEMENT_API_SECRET=${SECRET}
      - PLAIN
  api:
    entrypoint: ["npx", "prisma1", "deploy"]
  migrate:
    entrypoint: ["/bin/sh", "-c"]
    command: ["cd db && prisma1 deploy"]
"#;
        assert_eq!(
            show_all("docker/docker-compose.yml", FileKind::Compose, text),
            [
                r#"8:21-8:38 cwd=docker [prisma deploy] w=sh -c,npx f=.env,.env.prod Compose(service "deploy"):PLAIN=?,PRISMA_MANAGEMENT_API_SECRET=?"#,
                "14:19-14:43 cwd=docker [prisma1 deploy] w=npx",
                "17:16-17:21 cwd=docker [cd db] w=sh -c",
                "17:25-17:39 cwd=docker/db [prisma1 deploy] w=sh -c",
            ]
        );
    }
}
