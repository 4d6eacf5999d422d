//! Tests of the commands read from docker-compose files, through the whole
//! extraction ([`show_all`](super::super::show_all)): a file of their own, so
//! that the extractor does not depend on the dispatcher that calls it.

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
