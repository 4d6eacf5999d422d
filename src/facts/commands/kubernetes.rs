//! Kubernetes manifests (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob; Helm templates where the YAML parses): each container's
//! `command` + `args`, joined the way the container runtime joins them
//! (`args` are appended to `command`; both are exec form, no shell), with
//! the container's `env` as a scope and its `envFrom` Secrets and ConfigMaps
//! as sources that may provide any variable.

use super::text::Snippet;
use super::yaml_util::{docs, node_span, str_at};
use super::{dir_of, shell, Ctx, Out};
use crate::facts::commands::{EnvScope, EnvVar, OpaqueEnv, OpaqueKind, ScopeKind, Vars};
use crate::facts::yaml::Node;

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
    ctx.container = str_at(c, "image").map(|image| crate::facts::commands::Container {
        kind: crate::facts::commands::ContainerKind::DockerImage,
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
mod tests {
    use super::super::show_all;
    use crate::kind::FileKind;

    #[test]
    fn containers_run_command_plus_args_with_env_and_env_from() {
        let text = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      initContainers:
        - name: wait
          image: busybox
          command: ["sh", "-c", "until nc -z prisma 4466; do sleep 1; done"]
      containers:
        - name: deploy
          image: shop/api
          command: ["/bin/sh", "-c"]
          args:
            - |
              cd prisma
              npx prisma1 deploy --force
          env:
            - name: PRISMA_ENDPOINT
              value: http://prisma:4466/shop/prod
            - name: PRISMA_MANAGEMENT_API_SECRET
              valueFrom:
                secretKeyRef: {name: prisma, key: secret}
          envFrom:
            - secretRef:
                name: api-secrets
            - configMapRef:
                name: api-config
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: seed}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: seed
              command: [npx, prisma1, seed]
"#;
        assert_eq!(
            show_all("k8s/jobs.yaml", FileKind::Kubernetes, text),
            [
                "11:40-11:57 cwd=k8s [nc -z prisma 4466] w=sh -c in=DockerImage:busybox",
                "11:62-11:69 cwd=k8s [sleep 1] w=sh -c in=DockerImage:busybox",
                "18:15-18:24 cwd=k8s [cd prisma] w=sh -c in=DockerImage:shop/api o=KubernetesSecret:api-secrets o=KubernetesConfigMap:api-config Kubernetes(container \"deploy\"):PRISMA_ENDPOINT=http://prisma:4466/shop/prod,PRISMA_MANAGEMENT_API_SECRET=?",
                "19:15-19:41 cwd=k8s/prisma [prisma1 deploy --force] w=sh -c,npx in=DockerImage:shop/api o=KubernetesSecret:api-secrets o=KubernetesConfigMap:api-config Kubernetes(container \"deploy\"):PRISMA_ENDPOINT=http://prisma:4466/shop/prod,PRISMA_MANAGEMENT_API_SECRET=?",
                "42:25-42:43 cwd=k8s [prisma1 seed] w=npx",
            ]
        );
    }

    #[test]
    fn other_kinds_and_templates_that_do_not_parse_give_nothing() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: prisma}\nspec:\n  ports: [{port: 4466}]\n";
        assert!(show_all("k8s/svc.yaml", FileKind::Kubernetes, svc).is_empty());
        let helm = "apiVersion: v1\nkind: Pod\n{{- if .Values.x }}\nspec: [\n";
        assert!(show_all("chart/templates/pod.yaml", FileKind::Kubernetes, helm).is_empty());
    }
}
