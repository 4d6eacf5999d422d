//! Tests of the commands read from Kubernetes manifests, through the whole
//! extraction ([`show_all`](super::super::show_all)): a file of their own, so
//! that the extractor does not depend on the dispatcher that calls it.

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
    let svc =
        "apiVersion: v1\nkind: Service\nmetadata: {name: prisma}\nspec:\n  ports: [{port: 4466}]\n";
    assert!(show_all("k8s/svc.yaml", FileKind::Kubernetes, svc).is_empty());
    let helm = "apiVersion: v1\nkind: Pod\n{{- if .Values.x }}\nspec: [\n";
    assert!(show_all("chart/templates/pod.yaml", FileKind::Kubernetes, helm).is_empty());
}
