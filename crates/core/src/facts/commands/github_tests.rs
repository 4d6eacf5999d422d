//! Tests of the commands read from GitHub Actions workflows, through the
//! whole extraction ([`show_all`](super::super::show_all)): a file of their
//! own, so that the extractor does not depend on the dispatcher that calls
//! it.

use super::super::show_all;
use crate::kind::FileKind;

fn gha(text: &str) -> Vec<String> {
    show_all(
        ".github/workflows/deploy.yml",
        FileKind::GithubActions,
        text,
    )
}

#[test]
fn run_blocks_are_split_with_file_lines() {
    let text = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Deploy\n        run: |\n          npm ci\n          npx prisma1 deploy\n";
    assert_eq!(
        gha(text),
        ["9:11-9:17 [npm ci]", "10:11-10:29 [prisma1 deploy] w=npx"]
    );
    let sites = super::super::extract(
        ".github/workflows/deploy.yml",
        FileKind::GithubActions,
        text,
    );
    assert_eq!(
        sites[1].source,
        "GitHub Actions job \"deploy\" step \"Deploy\""
    );
}

#[test]
fn workflow_job_and_step_env_are_scopes() {
    let text = r#"env:
  A: "1"
jobs:
  deploy:
    env:
      PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.PRISMA_MANAGEMENT_API_SECRET }}
    defaults:
      run:
        working-directory: server
    steps:
      - env:
          B: ${{ vars.B }}
        run: prisma deploy
      - run: prisma1 deploy
        working-directory: ./db
"#;
    assert_eq!(
        gha(text),
        [
            r##"13:14-13:27 cwd=server [prisma deploy] Step(step "#1"):B=? Job(job "deploy"):PRISMA_MANAGEMENT_API_SECRET=? Global(workflow):A=1"##,
            r##"14:14-14:28 cwd=db [prisma1 deploy] Job(job "deploy"):PRISMA_MANAGEMENT_API_SECRET=? Global(workflow):A=1"##,
        ]
    );
}

#[test]
fn prisma_actions_become_prisma_commands() {
    let text = "jobs:\n  d:\n    steps:\n      - uses: micaeldekleyn/prisma-github-action@v1\n        with:\n          args: deploy\n        env:\n          PRISMA_CLOUD_SESSION_KEY: ${{ secrets.K }}\n      - uses: bre7/prisma-action@master\n        with:\n          args: prisma deploy --force\n";
    assert_eq!(
        gha(text),
        [
            r##"6:17-6:23 [prisma deploy] w=action:micaeldekleyn/prisma-github-action Step(step "#1"):PRISMA_CLOUD_SESSION_KEY=?"##,
            "11:17-11:38 [prisma deploy --force] w=action:bre7/prisma-action",
        ]
    );
}

#[test]
fn job_containers_docker_steps_and_the_checkout_root() {
    let text = "jobs:\n  d:\n    container:\n      image: node:12\n      env:\n        PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n    steps:\n      - run: cd api && prisma1 deploy\n      - uses: docker://node:12\n        with:\n          entrypoint: npx\n          args: prisma1 deploy --force\n";
    assert_eq!(
            show_all("shop/.github/workflows/d.yml", FileKind::GithubActions, text),
            [
                "8:14-8:20 cwd=shop [cd api] in=DockerImage:node:12 Docker(job container):PRISMA_MANAGEMENT_API_SECRET=?",
                "8:24-8:38 cwd=shop/api [prisma1 deploy] in=DockerImage:node:12 Docker(job container):PRISMA_MANAGEMENT_API_SECRET=?",
                "11:23-12:39 @12:17-12:39 cwd=shop [prisma1 deploy --force] w=npx in=DockerImage:node:12 Docker(job container):PRISMA_MANAGEMENT_API_SECRET=?",
            ]
        );
}

#[test]
fn composite_actions_and_bad_yaml() {
    let text =
        "runs:\n  using: composite\n  steps:\n    - run: prisma1 deploy\n      shell: bash\n";
    assert_eq!(
        show_all("action.yml", FileKind::GithubActions, text),
        ["4:12-4:26 [prisma1 deploy]"]
    );
    assert!(gha("jobs: [\n").is_empty());
}
