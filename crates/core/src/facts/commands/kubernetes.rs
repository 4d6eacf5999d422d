//! Kubernetes manifests (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob; Helm templates where the YAML parses): each container's
//! `command` + `args`, joined the way the container runtime joins them
//! (`args` are appended to `command`; both are exec form, no shell), with
//! the container's `env` as a scope and its `envFrom` Secrets and ConfigMaps
//! as sources that may provide any variable.

use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, OpaqueEnv, OpaqueKind, ScopeKind, Vars};
use super::text::Snippet;
use super::yaml_util::{docs, node_span, str_at};
use crate::yaml::Node;

pub(crate) fn extract(out: &mut Out) {
    let dir = dir_of(out.path);
    for doc in docs(out.file) {
        let kind = str_at(&doc, "kind").unwrap_or_default().to_string();
        let name = doc
            .get("metadata")
            .and_then(|m| str_at(m, "name"))
            .unwrap_or_default()
            .to_string();
        let Some(pod) = pod_spec(&doc, &kind) else {
            continue;
        };
        for key in ["initContainers", "containers"] {
            for c in pod.get(key).map(Node::items).unwrap_or_default() {
                container(out, c, &format!("Kubernetes {kind} \"{name}\""), &dir);
            }
        }
    }
}

/// The pod template of a workload kind.
fn pod_spec<'a>(doc: &'a Node, kind: &str) -> Option<&'a Node> {
    let spec = doc.get("spec")?;
    let template = |s: &'a Node| s.get("template").and_then(|t| t.get("spec"));
    match kind {
        "Pod" => Some(spec),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => template(spec),
        "CronJob" => spec
            .get("jobTemplate")
            .and_then(|j| j.get("spec"))
            .and_then(template),
        _ => None,
    }
}

fn container(out: &mut Out, c: &Node, workload: &str, dir: &str) {
    let cname = str_at(c, "name").unwrap_or_default();
    let mut ctx = Ctx::new(format!("{workload} container \"{cname}\""), dir);
    ctx.env = env_scope(out, c.get("env"), cname).into_iter().collect();
    ctx.opaque_env = env_from(out, c.get("envFrom"));
    // The command runs in the container's image, not in a checkout.
    ctx.container = str_at(c, "image").map(|image| super::site::Container {
        kind: super::site::ContainerKind::DockerImage,
        name: image.to_string(),
    });
    let mut parts: Vec<Snippet> = Vec::new();
    for key in ["command", "args"] {
        match c.get(key) {
            Some(Node::Seq { items, .. }) => {
                parts.extend(items.iter().filter_map(|n| Snippet::from_yaml(n, out.file)));
            }
            // A plain string is one argument, as the runtime passes it.
            Some(n @ Node::Scalar { .. }) => parts.extend(Snippet::from_yaml(n, out.file)),
            _ => {}
        }
    }
    if !parts.is_empty() {
        shell::run_argv(out, &parts, &ctx);
    }
}

/// `env: [{name, value}]` and `{name, valueFrom: {secretKeyRef|configMapKeyRef|fieldRef}}`.
fn env_scope(out: &Out, node: Option<&Node>, container: &str) -> Option<EnvScope> {
    let mut vars = Vars::new();
    for item in node.map(Node::items).unwrap_or_default() {
        let Some(name) = item.get("name") else {
            continue;
        };
        let Some(name) = name.as_str() else { continue };
        // A value from a Secret, ConfigMap or field is provided, not known.
        let value = item
            .get("value")
            .and_then(Node::as_str)
            .filter(|v| !v.contains('$') && !v.contains("{{"))
            .map(str::to_string);
        vars.insert(
            name.to_string(),
            EnvVar {
                value,
                location: out.location(node_span(item.get("name").unwrap_or(item))),
            },
        );
    }
    (!vars.is_empty()).then(|| EnvScope {
        kind: ScopeKind::Kubernetes,
        label: format!("container \"{container}\""),
        vars,
    })
}

/// `envFrom: [{secretRef: {name}}, {configMapRef: {name}}]`.
fn env_from(out: &Out, node: Option<&Node>) -> Vec<OpaqueEnv> {
    let mut found = Vec::new();
    for item in node.map(Node::items).unwrap_or_default() {
        for (key, kind) in [
            ("secretRef", OpaqueKind::KubernetesSecret),
            ("configMapRef", OpaqueKind::KubernetesConfigMap),
        ] {
            let Some(r) = item.get(key) else { continue };
            let name = str_at(r, "name").unwrap_or_default();
            let at = r.get("name").unwrap_or(r);
            found.push(OpaqueEnv {
                kind,
                name: name.to_string(),
                location: out.location(node_span(at)),
            });
        }
    }
    found
}

#[cfg(test)]
#[path = "kubernetes_tests.rs"]
mod tests;
