//! One positive example and one scope example for each CI system in `ci.rs`.

use super::super::show_all;
use crate::kind::FileKind;

#[test]
fn circleci_runs_with_job_executor_and_step_env() {
    let text = r#"executors:
  node:
    docker:
      - image: node:12
        environment:
          E: "1"
jobs:
  deploy:
    executor: node
    working_directory: ~/repo
    environment:
      PRISMA_MANAGEMENT_API_SECRET: $SECRET
    steps:
      - checkout
      - run: npm install -g prisma
      - run:
          name: Deploy
          command: |
            prisma login --key ${CLOUD_KEY}
            prisma deploy --env-file .env.production
          working_directory: ~/repo/server
          environment:
            S: x
"#;
    assert_eq!(
        show_all(".circleci/config.yml", FileKind::Circleci, text),
        [
            r##"15:14-15:35 [npm install -g prisma] Job(job "deploy"):E=1,PRISMA_MANAGEMENT_API_SECRET=?"##,
            r#"19:13-19:44 cwd=server [prisma login --key ${CLOUD_KEY}] Step(step "Deploy"):S=x Job(job "deploy"):E=1,PRISMA_MANAGEMENT_API_SECRET=?"#,
            r#"20:13-20:53 cwd=server [prisma deploy --env-file .env.production] Step(step "Deploy"):S=x Job(job "deploy"):E=1,PRISMA_MANAGEMENT_API_SECRET=?"#,
        ]
    );
}

#[test]
fn circleci_deploy_without_secret() {
    let text = "version: 2.1\njobs:\n  d:\n    docker: [{image: node}]\n    steps:\n      - run: yarn prisma1 deploy\n";
    assert_eq!(
        show_all(".circleci/config.yml", FileKind::Circleci, text),
        ["6:14-6:33 [prisma1 deploy] w=yarn"]
    );
}

#[test]
fn travis_env_shapes_and_phases() {
    let text = r#"env:
  global:
    - PRISMA_CLOUD_SESSION_KEY=abc FOO="a b"
    - secure: xyz
before_script:
  - docker-compose up -d
script:
  - export X=1
  - ./node_modules/.bin/prisma deploy -e .env.staging
deploy:
  provider: script
  script: yarn setup:prisma
"#;
    assert_eq!(
        show_all(".travis.yml", FileKind::Travis, text),
        [
            "6:5-6:25 [docker-compose up -d] Global(build):FOO=a b,PRISMA_CLOUD_SESSION_KEY=abc",
            "8:5-8:15 [export X=1] Global(build):FOO=a b,PRISMA_CLOUD_SESSION_KEY=abc",
            "9:5-9:54 [prisma deploy -e .env.staging] w=node_modules/.bin Export(script):X=1 Global(build):FOO=a b,PRISMA_CLOUD_SESSION_KEY=abc",
            "12:11-12:28 [setup:prisma] w=yarn Export(script):X=1 Global(build):FOO=a b,PRISMA_CLOUD_SESSION_KEY=abc",
        ]
    );
}

#[test]
fn travis_include_jobs_have_their_own_env() {
    let text = "env: A=1\njobs:\n  include:\n    - name: Deploy\n      env: B=2\n      script: prisma1 deploy\n";
    let sites = super::super::extract(".travis.yml", FileKind::Travis, text);
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].source, "Travis CI job \"Deploy\"");
    assert_eq!(
        super::super::show(&sites[0]),
        r#"6:15-6:29 [prisma1 deploy] Job(job "Deploy"):B=2 Global(build):A=1"#
    );
}

#[test]
fn bitbucket_steps_in_every_section() {
    let text = r#"pipelines:
  default:
    - step:
        name: Build
        script:
          - npm ci
  branches:
    main:
      - parallel:
          - step:
              name: Deploy
              script:
                - export PRISMA_MANAGEMENT_API_SECRET=$S
                - prisma1 deploy
"#;
    let view = super::super::show_sourced("bitbucket-pipelines.yml", FileKind::Bitbucket, text);
    assert_eq!(
        view,
        [
            r#"Bitbucket Pipelines default step "Build" | 6:13-6:19 [npm ci]"#,
            r#"Bitbucket Pipelines branches "main" step "Deploy" | 13:19-13:57 [export PRISMA_MANAGEMENT_API_SECRET=$S]"#,
            r#"Bitbucket Pipelines branches "main" step "Deploy" | 14:19-14:33 [prisma1 deploy] Export(script):PRISMA_MANAGEMENT_API_SECRET=?"#,
        ]
    );
}

#[test]
fn azure_variables_steps_and_macros() {
    let text = r#"variables:
  - name: G
    value: g
  - group: secrets
stages:
  - stage: Deploy
    jobs:
      - job: prisma
        variables:
          PRISMA_MANAGEMENT_API_SECRET: $(secret)
        steps:
          - script: npx prisma deploy
            displayName: Deploy
            workingDirectory: $(System.DefaultWorkingDirectory)/api
            env:
              S: $(S)
steps:
  - bash: cd $(Build.SourcesDirectory) && prisma1 deploy
"#;
    assert_eq!(
        show_all("azure-pipelines.yml", FileKind::AzurePipelines, text),
        [
            r#"12:21-12:38 cwd=api [prisma deploy] w=npx Step(step "Deploy"):S=? Job(job "prisma"):PRISMA_MANAGEMENT_API_SECRET=? Global(pipeline):G=g"#,
            "18:11-18:39 [cd $(Build.SourcesDirectory)] Global(pipeline):G=g",
            "18:43-18:57 [prisma1 deploy] Global(pipeline):G=g",
        ]
    );
}

#[test]
fn bad_ci_yaml_gives_nothing() {
    for kind in [
        FileKind::Circleci,
        FileKind::Travis,
        FileKind::Bitbucket,
        FileKind::AzurePipelines,
        FileKind::GitlabCi,
    ] {
        assert!(show_all("x.yml", kind, "a: [\n  - b: {").is_empty());
        assert!(show_all("x.yml", kind, "- 1\n- 2\n").is_empty());
    }
}
