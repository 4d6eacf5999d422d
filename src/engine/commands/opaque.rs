//! Sources that may provide any variable: Kubernetes `envFrom`, secret
//! runners (`doppler run --`, `chamber exec`, `op run`), platforms that run
//! the command with their config vars (`heroku run`, `kubectl exec`). When
//! the source is a Secret or ConfigMap manifest in the repository, its keys
//! decide; otherwise it counts as providing the variable.

use crate::facts::commands::{CommandSite, OpaqueKind};
use crate::facts::RepoFacts;

/// Where an opaque source around `site` provides `var`, if one does.
pub fn provides(site: &CommandSite, repo: &RepoFacts, var: &str) -> Option<String> {
    site.opaque_env.iter().find_map(|o| {
        let kind = match o.kind {
            OpaqueKind::KubernetesSecret => "Secret",
            OpaqueKind::KubernetesConfigMap => "ConfigMap",
            OpaqueKind::SecretRunner => return Some(format!("secret runner {}", o.name)),
            OpaqueKind::Platform => return Some(format!("{} config vars", o.name)),
        };
        let manifest = repo.files.iter().find_map(|(path, f)| {
            f.kube_env_sources
                .iter()
                .find(|s| s.kind == kind && s.name == o.name && !o.name.is_empty())
                .map(|s| (path, s))
        });
        match manifest {
            Some((path, s)) if s.keys.iter().any(|k| k == var) => {
                Some(format!("envFrom {kind} {} ({path})", o.name))
            }
            // The manifest is here and lacks the key: it does not provide it.
            Some(_) => None,
            None => match template(repo, kind, var) {
                // The real one is made from a template of the repository: its keys decide.
                Some((path, true)) => Some(format!(
                    "envFrom {kind} {}, made from its template {path}",
                    o.name
                )),
                Some((_, false)) => None,
                None => Some(format!(
                    "envFrom {kind} {} (not in the repository; it may hold any key)",
                    o.name
                )),
            },
        }
    })
}

/// A template manifest of `kind` (`config.example.yaml`, or one whose name is
/// left empty): its path, and whether one lists `var` (then that one's path).
fn template(repo: &RepoFacts, kind: &str, var: &str) -> Option<(String, bool)> {
    let is_template = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        ["example", "sample", "template", "tmpl"]
            .iter()
            .any(|t| name.contains(t))
    };
    let mut found: Option<(String, bool)> = None;
    for (path, f) in &repo.files {
        for s in f.kube_env_sources.iter().filter(|s| s.kind == kind) {
            if !(s.name.is_empty() || is_template(path)) {
                continue;
            }
            if s.keys.iter().any(|k| k == var) {
                return Some((path.clone(), true));
            }
            found.get_or_insert((path.clone(), false));
        }
    }
    found
}
