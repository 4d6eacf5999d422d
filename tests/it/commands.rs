//! The command model end to end, one small repository per case: for every CI
//! system and file kind, a Prisma 1 deploy to a private endpoint without
//! PRISMA_MANAGEMENT_API_SECRET gives exactly one `missing-management-secret`
//! finding on the deploy line; the same deploy with the secret in each kind of
//! scope gives none (while `prisma1-cli` still sees it, so the command was
//! read); and Prisma ORM commands that look alike give no finding at all.
//!
//! Most repositories are written into a temporary folder from the tables
//! below; `tests/fixtures/commands/<system>/` holds one on-disk repository per
//! CI system, mixing a failing job with passing ones.

use std::path::Path;
use std::process::Command;

const MMS: &str = "missing-management-secret";
const CLI: &str = "prisma1-cli";

/// The Prisma 1 project every case deploys: a self-hosted server, not local.
const PRISMA_YML: (&str, &str) = (
    "prisma.yml",
    "endpoint: https://prisma.example.com/shop/prod\ndatamodel: datamodel.prisma\n",
);
const ENV_PROD: (&str, &str) = (".env.prod", "PRISMA_MANAGEMENT_API_SECRET=${MGMT_SECRET}\n");

/// `(rule, path, line)` of every unsuppressed finding, sorted.
type Found = Vec<(String, String, u64)>;

fn scan_dir(dir: &Path) -> Found {
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found: Found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

fn scan(files: &[(&str, &str)]) -> Found {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    scan_dir(dir.path())
}

/// `(path, line)` of the related locations of the first `missing-management-secret` finding.
fn related_of(files: &[(&str, &str)]) -> Vec<(String, u64)> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path())
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == MMS)
        .map(|f| {
            f["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["path"].as_str().unwrap().to_string(),
                        r["line"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn of(found: &Found, rule: &str) -> Vec<(String, u64)> {
    found
        .iter()
        .filter(|f| f.0 == rule)
        .map(|f| (f.1.clone(), f.2))
        .collect()
}

/// The 1-based line of the only line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{needle:?} must be on exactly one line of {text}"
    );
    hits[0] as u64
}

/// One generated repository: `file` holds the deploy, on the line holding `at`.
struct Case {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    at: &'static str,
    with: &'static [(&'static str, &'static str)],
}

const fn case(name: &'static str, file: &'static str, text: &'static str) -> Case {
    Case {
        name,
        file,
        text,
        at: "prisma1 deploy",
        with: &[],
    }
}

impl Case {
    const fn with(mut self, files: &'static [(&'static str, &'static str)]) -> Case {
        self.with = files;
        self
    }
    const fn at(mut self, needle: &'static str) -> Case {
        self.at = needle;
        self
    }

    fn run(&self) -> (Found, u64) {
        let mut files = vec![PRISMA_YML, (self.file, self.text)];
        files.extend(self.with.iter().copied());
        (scan(&files), line_of(self.text, self.at))
    }
}

/// Deploys with no secret anywhere: one finding, on the deploy line.
const MISSING: &[Case] = &[
    case(
        "github",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "gitlab",
        ".gitlab-ci.yml",
        "variables:\n  NODE_ENV: production\ndeploy:\n  image: node:12\n  script:\n    - npm ci\n    - npx prisma1 deploy\n",
    ),
    case(
        "gitlab extends without the secret",
        ".gitlab-ci.yml",
        ".node:\n  image: node:12\n  variables:\n    NODE_ENV: production\ndeploy:\n  extends: .node\n  script: npx prisma1 deploy\n",
    ),
    case(
        "circleci",
        ".circleci/config.yml",
        "version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/node:12.22\n    steps:\n      - checkout\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "travis",
        ".travis.yml",
        "language: node_js\nnode_js: 12\nscript:\n  - npm test\n  - ./node_modules/.bin/prisma1 deploy\n",
    ),
    case(
        "bitbucket",
        "bitbucket-pipelines.yml",
        "pipelines:\n  branches:\n    main:\n      - step:\n          name: Deploy\n          script:\n            - npm ci\n            - npx prisma1 deploy\n",
    ),
    case(
        "azure",
        "azure-pipelines.yml",
        "trigger: [main]\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: npm ci\n  - script: npx prisma1 deploy\n    displayName: Deploy\n",
    ),
    case(
        "jenkins",
        "Jenkinsfile",
        "pipeline {\n  agent any\n  stages {\n    stage('Deploy') {\n      steps {\n        sh 'npx prisma1 deploy'\n      }\n    }\n  }\n}\n",
    ),
    case(
        "netlify",
        "netlify.toml",
        "[build]\n  command = \"npx prisma1 deploy && npm run build\"\n  publish = \"dist\"\n",
    ),
    case(
        "vercel",
        "vercel.json",
        "{\n  \"buildCommand\": \"npx prisma1 deploy && next build\"\n}\n",
    ),
    case(
        "package.json",
        "package.json",
        "{\n  \"scripts\": {\n    \"deploy\": \"prisma1 deploy\"\n  },\n  \"devDependencies\": {\"prisma1\": \"1.34.12\"}\n}\n",
    ),
    case(
        "package.json prisma 1.x",
        "package.json",
        "{\n  \"scripts\": {\n    \"deploy\": \"prisma deploy --force\"\n  },\n  \"devDependencies\": {\"prisma\": \"1.34.10\"}\n}\n",
    )
    .at("prisma deploy"),
    case(
        "shell script",
        "scripts/deploy.sh",
        "#!/bin/sh\nset -e\nnpm ci\nnpx prisma1 deploy\n",
    ),
    case(
        "Makefile",
        "Makefile",
        "NODE_ENV := production\n\ndeploy:\n\tnpx prisma1 deploy\n",
    ),
    case(
        "Dockerfile",
        "Dockerfile",
        "FROM node:12\nWORKDIR /app\nCOPY . .\nRUN npm ci && npx prisma1 deploy\n",
    ),
    case(
        "docker-compose",
        "docker-compose.yml",
        "services:\n  migrate:\n    image: node:12\n    working_dir: /app\n    command: npx prisma1 deploy\n",
    ),
    case("Procfile", "Procfile", "web: node src/index.js\nrelease: npx prisma1 deploy\n"),
    case(
        "Heroku app.json",
        "app.json",
        "{\n  \"name\": \"shop\",\n  \"scripts\": {\"postdeploy\": \"npx prisma1 deploy\"}\n}\n",
    ),
    case(
        "the secret under a name the CLI ignores",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_SECRET: ${{ secrets.S }}\n    steps:\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "an env file ignored because of --project",
        "package.json",
        "{\"scripts\": {\n  \"deploy\": \"prisma1 deploy -p prisma.yml -e .env.prod\"\n}}\n",
    )
    .with(&[ENV_PROD]),
    case(
        "the secret in a later step",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 deploy\n      - run: npx prisma1 token\n        env:\n          PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n",
    ),
];

#[test]
fn a_deploy_without_the_secret_is_one_finding_on_its_line() {
    let mut failures = Vec::new();
    for c in MISSING {
        let (found, line) = c.run();
        let want = vec![(c.file.to_string(), line)];
        if of(&found, MMS) != want {
            failures.push(format!("{}: want {MMS} at {want:?}, got {found:?}", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same deploys with the secret provided, one scope kind each.
const PROVIDED: &[Case] = &[
    case(
        "github step env",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 deploy\n        env:\n          PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n",
    ),
    case(
        "github job env",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n    steps:\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "github workflow env",
        ".github/workflows/deploy.yml",
        "on: push\nenv:\n  PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "github inline",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: PRISMA_MANAGEMENT_API_SECRET=${{ secrets.S }} npx prisma1 deploy\n",
    ),
    case(
        "github export",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          export PRISMA_MANAGEMENT_API_SECRET=\"${{ secrets.S }}\"\n          npx prisma1 deploy\n",
    ),
    case(
        "github env file via -e",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 deploy -e .env.prod\n",
    )
    .with(&[ENV_PROD]),
    case(
        "github dotenv wrapper",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx dotenv -e .env.prod -- npx prisma1 deploy\n",
    )
    .with(&[ENV_PROD]),
    case(
        "github env-cmd wrapper",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx env-cmd -f .env.prod prisma1 deploy\n",
    )
    .with(&[ENV_PROD]),
    case(
        "github .env in the working directory",
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: api\n    steps:\n      - run: npx prisma1 deploy\n",
    )
    .with(&[
        ("api/prisma.yml", "endpoint: https://prisma.example.com/api/prod\ndatamodel: d.prisma\n"),
        ("api/.env", "PRISMA_MANAGEMENT_API_SECRET=${MGMT}\n"),
    ]),
    case(
        "gitlab job variables",
        ".gitlab-ci.yml",
        "deploy:\n  variables:\n    PRISMA_MANAGEMENT_API_SECRET: $MGMT_SECRET\n  script:\n    - npx prisma1 deploy\n",
    ),
    case(
        "gitlab global variables",
        ".gitlab-ci.yml",
        "variables:\n  PRISMA_MANAGEMENT_API_SECRET: $MGMT_SECRET\ndeploy:\n  script:\n    - npx prisma1 deploy\n",
    ),
    case(
        "gitlab extends",
        ".gitlab-ci.yml",
        ".prisma:\n  variables:\n    PRISMA_MANAGEMENT_API_SECRET: $MGMT_SECRET\ndeploy:\n  extends: .prisma\n  script:\n    - npx prisma1 deploy\n",
    ),
    case(
        "gitlab export in before_script",
        ".gitlab-ci.yml",
        "deploy:\n  before_script:\n    - export PRISMA_MANAGEMENT_API_SECRET=$MGMT_SECRET\n  script:\n    - npx prisma1 deploy\n",
    ),
    case(
        "circleci job environment",
        ".circleci/config.yml",
        "version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/node:12.22\n    environment:\n      PRISMA_MANAGEMENT_API_SECRET: $MGMT_SECRET\n    steps:\n      - run: npx prisma1 deploy\n",
    ),
    case(
        "circleci step environment",
        ".circleci/config.yml",
        "version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/node:12.22\n    steps:\n      - run:\n          name: Deploy\n          command: npx prisma1 deploy\n          environment:\n            PRISMA_MANAGEMENT_API_SECRET: $MGMT_SECRET\n",
    ),
    case(
        "travis global env",
        ".travis.yml",
        "env:\n  global:\n    - PRISMA_MANAGEMENT_API_SECRET=$MGMT_SECRET\nscript:\n  - npx prisma1 deploy\n",
    ),
    case(
        "travis job env",
        ".travis.yml",
        "jobs:\n  include:\n    - name: Deploy\n      env: PRISMA_MANAGEMENT_API_SECRET=$MGMT_SECRET\n      script: npx prisma1 deploy\n",
    ),
    case(
        "bitbucket export",
        "bitbucket-pipelines.yml",
        "pipelines:\n  default:\n    - step:\n        script:\n          - export PRISMA_MANAGEMENT_API_SECRET=$MGMT_SECRET\n          - npx prisma1 deploy\n",
    ),
    case(
        "bitbucket inline",
        "bitbucket-pipelines.yml",
        "pipelines:\n  default:\n    - step:\n        script:\n          - PRISMA_MANAGEMENT_API_SECRET=$MGMT_SECRET npx prisma1 deploy\n",
    ),
    case(
        "azure pipeline variables",
        "azure-pipelines.yml",
        "variables:\n  PRISMA_MANAGEMENT_API_SECRET: $(mgmtSecret)\nsteps:\n  - script: npx prisma1 deploy\n",
    ),
    case(
        "azure step env",
        "azure-pipelines.yml",
        "steps:\n  - script: npx prisma1 deploy\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: $(mgmtSecret)\n",
    ),
    case(
        "jenkins environment block",
        "Jenkinsfile",
        "pipeline {\n  agent any\n  environment {\n    PRISMA_MANAGEMENT_API_SECRET = credentials('prisma-mgmt')\n  }\n  stages {\n    stage('Deploy') {\n      steps {\n        sh 'npx prisma1 deploy'\n      }\n    }\n  }\n}\n",
    ),
    case(
        "jenkins withEnv",
        "Jenkinsfile",
        "node {\n  withEnv(['PRISMA_MANAGEMENT_API_SECRET=' + env.MGMT]) {\n    sh 'npx prisma1 deploy'\n  }\n}\n",
    ),
    case(
        "netlify build environment",
        "netlify.toml",
        "[build]\n  command = \"npx prisma1 deploy\"\n[build.environment]\n  PRISMA_MANAGEMENT_API_SECRET = \"$MGMT\"\n",
    ),
    case(
        "vercel build env",
        "vercel.json",
        "{\n  \"buildCommand\": \"npx prisma1 deploy\",\n  \"build\": {\"env\": {\"PRISMA_MANAGEMENT_API_SECRET\": \"@mgmt-secret\"}}\n}\n",
    ),
    case(
        "package.json inline",
        "package.json",
        "{\"scripts\": {\n  \"deploy\": \"PRISMA_MANAGEMENT_API_SECRET=$MGMT prisma1 deploy\"\n}}\n",
    ),
    case(
        "package.json -e",
        "package.json",
        "{\"scripts\": {\n  \"deploy\": \"prisma1 deploy -e .env.prod\"\n}}\n",
    )
    .with(&[ENV_PROD]),
    case(
        "package.json dotenv",
        "package.json",
        "{\"scripts\": {\n  \"deploy\": \"dotenv -e .env.prod -- prisma1 deploy\"\n}}\n",
    )
    .with(&[ENV_PROD]),
    case(
        "package.json cross-env",
        "package.json",
        "{\"scripts\": {\n  \"deploy\": \"cross-env PRISMA_MANAGEMENT_API_SECRET=$MGMT prisma1 deploy\"\n}}\n",
    ),
    case(
        "shell export",
        "scripts/deploy.sh",
        "#!/bin/sh\nexport PRISMA_MANAGEMENT_API_SECRET=\"$MGMT\"\nnpx prisma1 deploy\n",
    ),
    case(
        "shell inline",
        "scripts/deploy.sh",
        "#!/bin/sh\nPRISMA_MANAGEMENT_API_SECRET=\"$MGMT\" npx prisma1 deploy\n",
    ),
    case(
        "shell -e from the repository root",
        "scripts/deploy.sh",
        "#!/bin/sh\nnpx prisma1 deploy -e .env.prod\n",
    )
    .with(&[ENV_PROD]),
    case(
        "Makefile export",
        "Makefile",
        "export PRISMA_MANAGEMENT_API_SECRET ?= $(MGMT)\n\ndeploy:\n\tnpx prisma1 deploy\n",
    ),
    case(
        "Makefile inline",
        "Makefile",
        "deploy:\n\tPRISMA_MANAGEMENT_API_SECRET=$(MGMT) npx prisma1 deploy\n",
    ),
    case(
        "Dockerfile ENV",
        "Dockerfile",
        "FROM node:12\nENV PRISMA_MANAGEMENT_API_SECRET=changeme\nRUN npx prisma1 deploy\n",
    ),
    case(
        "Dockerfile ARG",
        "Dockerfile",
        "FROM node:12\nARG PRISMA_MANAGEMENT_API_SECRET\nRUN npx prisma1 deploy\n",
    ),
    case(
        "compose environment",
        "docker-compose.yml",
        "services:\n  migrate:\n    image: node:12\n    command: npx prisma1 deploy\n    environment:\n      PRISMA_MANAGEMENT_API_SECRET: ${MGMT}\n",
    ),
    case(
        "compose env_file",
        "docker-compose.yml",
        "services:\n  migrate:\n    image: node:12\n    command: npx prisma1 deploy\n    env_file: .env.prod\n",
    )
    .with(&[ENV_PROD]),
    case(
        "Procfile inline",
        "Procfile",
        "release: PRISMA_MANAGEMENT_API_SECRET=$MGMT npx prisma1 deploy\n",
    ),
    case(
        "Heroku app.json env",
        "app.json",
        "{\n  \"env\": {\"PRISMA_MANAGEMENT_API_SECRET\": {\"required\": true}},\n  \"scripts\": {\"postdeploy\": \"npx prisma1 deploy\"}\n}\n",
    ),
];

#[test]
fn the_secret_in_any_scope_clears_the_deploy() {
    let mut failures = Vec::new();
    for c in PROVIDED {
        let (found, line) = c.run();
        let seen = of(&found, CLI).contains(&(c.file.to_string(), line));
        if !seen || !of(&found, MMS).is_empty() {
            failures.push(format!(
                "{}: want {CLI} at line {line} and no {MMS}, got {found:?}",
                c.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Endpoints and env files that decide whether the secret is needed.
#[test]
fn endpoint_classes_decide_whether_the_secret_is_needed() {
    let gha = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 deploy\n";
    let wf = ".github/workflows/deploy.yml";
    let project = |endpoint: &str| format!("endpoint: {endpoint}\ndatamodel: datamodel.prisma\n");
    let server = "services:\n  prisma-server:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_CONFIG: |\n        port: 4466\n        managementApiSecret: ${MGMT}\n        databases:\n          default:\n            connector: postgres\n";
    let open_server = "services:\n  prisma-server:\n    image: prismagraphql/prisma:1.34\n";
    // (case, files besides the workflow, whether the deploy is reported)
    type EndpointCase<'a> = (&'a str, Vec<(&'a str, String)>, bool);
    let cases: Vec<EndpointCase> = vec![
        (
            "localhost",
            vec![("prisma.yml", project("http://localhost:4466/shop/dev"))],
            false,
        ),
        (
            "127.0.0.1",
            vec![("prisma.yml", project("http://127.0.0.1:4466"))],
            false,
        ),
        (
            "host `prisma`",
            vec![("prisma.yml", project("http://prisma:4466/shop/dev"))],
            false,
        ),
        (
            "a compose service name",
            vec![
                ("prisma.yml", project("http://prisma-server:4466/shop/dev")),
                ("docker-compose.yml", open_server.to_string()),
            ],
            false,
        ),
        (
            "a local server whose config sets managementApiSecret",
            vec![
                ("prisma.yml", project("http://prisma-server:4466/shop/dev")),
                ("docker-compose.yml", server.to_string()),
            ],
            true,
        ),
        (
            "localhost with a protected server in the repository",
            vec![
                ("prisma.yml", project("http://localhost:4466")),
                ("docker-compose.yml", server.to_string()),
            ],
            true,
        ),
        (
            // Nothing shows the server: confidence low, hidden by default.
            "an endpoint from the environment that cannot be resolved",
            vec![("prisma.yml", project("${env:PRISMA_ENDPOINT}"))],
            false,
        ),
        (
            "a fallback endpoint on localhost",
            vec![(
                "prisma.yml",
                project("${env:PRISMA_ENDPOINT, 'http://localhost:4466'}"),
            )],
            false,
        ),
        (
            "an endpoint set in .env",
            vec![
                ("prisma.yml", project("${env:PRISMA_ENDPOINT}")),
                (
                    ".env",
                    "PRISMA_ENDPOINT=https://prisma.example.com/shop/prod\n".to_string(),
                ),
            ],
            true,
        ),
        (
            "a private IP",
            vec![("prisma.yml", project("http://10.0.0.5:4466/shop/prod"))],
            true,
        ),
    ];
    let mut failures = Vec::new();
    for (name, mut files, flagged) in cases {
        files.push((wf, gha.to_string()));
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let found = scan(&refs);
        let want = if flagged {
            vec![(wf.to_string(), 6)]
        } else {
            vec![]
        };
        if of(&found, MMS) != want || !of(&found, CLI).contains(&(wf.to_string(), 6)) {
            failures.push(format!("{name}: want {MMS} {want:?}, got {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An env file that is not committed and has no template: the secret can only
/// come from a file nobody can see, so a medium-confidence warning names it.
#[test]
fn an_env_file_missing_from_the_repository_is_a_medium_warning() {
    for run in [
        "npx prisma1 deploy -e .env.prod",
        "npx dotenv -e .env.prod -- prisma1 deploy",
        "npx env-cmd -f .env.prod prisma1 deploy",
    ] {
        let gha = format!(
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"
        );
        let found = scan(&[PRISMA_YML, (".github/workflows/d.yml", &gha)]);
        assert_eq!(
            of(&found, MMS),
            vec![(".github/workflows/d.yml".into(), 6)],
            "{run}: {found:?}"
        );
        assert_eq!(
            of(&found, CLI),
            vec![(".github/workflows/d.yml".into(), 6)],
            "{run}"
        );
    }
}

#[test]
fn a_demo_endpoint_is_left_to_cloud_endpoint() {
    let found = scan(&[
        (
            "prisma.yml",
            "endpoint: https://eu1.prisma.sh/jane/shop/dev\ndatamodel: d.prisma\n",
        ),
        (
            "package.json",
            "{\"scripts\": {\"deploy\": \"prisma1 deploy\"}}\n",
        ),
    ]);
    assert_eq!(of(&found, MMS), vec![]);
    assert_eq!(of(&found, "cloud-endpoint"), vec![("prisma.yml".into(), 1)]);
}

/// Prisma ORM look-alikes in every file kind: no rule may report anything.
#[test]
fn prisma_orm_commands_are_left_alone() {
    const PKG: &str = "{\n  \"scripts\": {\"generate\": \"prisma generate\", \"migrate\": \"prisma migrate deploy\", \"seed\": \"prisma db seed\"},\n  \"devDependencies\": {\"prisma\": \"^5.10.0\"},\n  \"dependencies\": {\"@prisma/client\": \"^5.10.0\"}\n}\n";
    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\ngenerator client {\n  provider = \"prisma-client-js\"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n";
    let files: &[(&str, &str)] = &[
        (".github/workflows/ci.yml", "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      DATABASE_URL: ${{ secrets.DATABASE_URL }}\n    steps:\n      - run: npx prisma generate\n      - run: npx prisma migrate deploy\n      - run: npm run migrate\n"),
        (".gitlab-ci.yml", "deploy:\n  extends: .db\n  script:\n    - npx prisma migrate deploy\n.db:\n  variables:\n    DATABASE_URL: $DB\n"),
        (".circleci/config.yml", "version: 2.1\njobs:\n  d:\n    docker: [{image: node}]\n    steps:\n      - run: yarn prisma migrate deploy\n      - run: yarn prisma generate\n"),
        (".travis.yml", "script:\n  - npx prisma migrate deploy\n  - yarn generate\n"),
        ("bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        script:\n          - npx prisma migrate deploy\n"),
        ("azure-pipelines.yml", "steps:\n  - script: npx prisma migrate deploy\n"),
        ("Jenkinsfile", "node {\n  sh 'npx prisma migrate deploy'\n}\n"),
        ("netlify.toml", "[build]\n  command = \"npx prisma generate && npm run build\"\n"),
        ("vercel.json", "{\"buildCommand\": \"prisma generate && next build\"}\n"),
        ("package.json", PKG),
        ("prisma/schema.prisma", SCHEMA),
        ("scripts/deploy.sh", "#!/bin/sh\nnpx prisma migrate deploy\nnpx prisma db seed\n"),
        ("Makefile", "migrate:\n\tnpx prisma migrate deploy\n"),
        ("Dockerfile", "FROM node:20\nCOPY . .\nRUN npx prisma generate\nCMD npx prisma migrate deploy && node dist/main.js\n"),
        ("docker-compose.yml", "services:\n  migrate:\n    image: node:20\n    command: npx prisma migrate deploy\n"),
        ("Procfile", "release: npx prisma migrate deploy\nweb: node dist/main.js\n"),
        ("app.json", "{\"scripts\": {\"postdeploy\": \"npx prisma db seed\"}}\n"),
    ];
    assert_eq!(scan(files), vec![]);
    // One kind at a time too, so one file's facts cannot hide another's problem.
    for (path, text) in files.iter().filter(|(p, _)| *p != "package.json") {
        let found = scan(&[
            ("package.json", PKG),
            ("prisma/schema.prisma", SCHEMA),
            (path, text),
        ]);
        assert_eq!(found, vec![], "{path}");
    }
}

/// CI and other callers of package.json scripts: the script runs with the caller's environment.
#[test]
fn script_calls_carry_the_callers_environment() {
    let pkg = "{\n  \"scripts\": {\n    \"predeploy\": \"prisma1 generate\",\n    \"deploy\": \"prisma1 deploy\",\n    \"setup:prisma\": \"npm run deploy\"\n  },\n  \"devDependencies\": {\"prisma1\": \"1.34.12\"}\n}\n";
    let own = ("package.json".to_string(), 4);
    let callers: &[(&str, &str, &str)] = &[
        (".github/workflows/d.yml", "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n    steps:\n      - run: npm run deploy\n", "npm run deploy"),
        (".travis.yml", "env:\n  global:\n    - PRISMA_MANAGEMENT_API_SECRET=$S\nscript:\n  - yarn setup:prisma\n", "yarn setup:prisma"),
        ("Dockerfile", "FROM node:12\nARG PRISMA_MANAGEMENT_API_SECRET\nRUN pnpm run deploy\n", "pnpm run deploy"),
        ("Makefile", "export PRISMA_MANAGEMENT_API_SECRET ?= $(S)\ndeploy:\n\tyarn run deploy\n", "yarn run deploy"),
        ("deploy.sh", "#!/bin/sh\nexport PRISMA_MANAGEMENT_API_SECRET=$S\nbun run deploy\n", "bun run deploy"),
    ];
    for (path, text, _) in callers {
        // The script is judged through its caller, which provides the secret.
        let found = scan(&[PRISMA_YML, ("package.json", pkg), (path, text)]);
        assert_eq!(of(&found, MMS), vec![], "{path}: {found:?}");
        assert_eq!(
            of(&found, CLI),
            vec![("package.json".into(), 3), own.clone()],
            "{path}: each script once, not once per caller"
        );
    }
    // With the secret in the script's environment nothing is reported; without it anywhere,
    // the caller that runs the script without it.
    let secret_pkg = pkg.replace("\"prisma1 deploy\"", "\"prisma1 deploy -e .env.prod\"");
    for (path, text, call) in callers {
        let found = scan(&[
            PRISMA_YML,
            ENV_PROD,
            ("package.json", &secret_pkg),
            (path, text),
        ]);
        assert_eq!(of(&found, MMS), vec![], "{path}: {found:?}");
        let bare: String = text
            .lines()
            .filter(|l| !l.contains("PRISMA_MANAGEMENT_API_SECRET"))
            .map(|l| format!("{l}\n"))
            .collect();
        let found = scan(&[PRISMA_YML, ("package.json", pkg), (path, &bare)]);
        let line = bare.lines().position(|l| l.contains(call)).unwrap() as u64 + 1;
        // On the command, with the caller that runs it without the secret related.
        assert_eq!(
            of(&found, MMS),
            vec![own.clone()],
            "{path} without secret: {found:?}"
        );
        let callers = related_of(&[PRISMA_YML, ("package.json", pkg), (path, &bare)]);
        assert!(
            callers.contains(&(path.to_string(), line)),
            "{path} without secret: {callers:?}"
        );
    }
}

#[test]
fn a_caller_that_changes_the_target_is_reported_on_its_own_line() {
    // Alone the script deploys to localhost; the CI job points it at a private server.
    let yml = "endpoint: ${env:PRISMA_ENDPOINT, 'http://localhost:4466'}\ndatamodel: d.prisma\n";
    let pkg = "{\"scripts\": {\n  \"deploy\": \"prisma1 deploy\"\n}}\n";
    let gha = "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_ENDPOINT: https://prisma.example.com/shop/prod\n    steps:\n      - run: npm run deploy\n";
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in [
        ("prisma.yml", yml),
        ("package.json", pkg),
        (".github/workflows/d.yml", gha),
    ] {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    let found = scan_dir(dir.path());
    assert_eq!(
        of(&found, MMS),
        vec![("package.json".into(), 2)],
        "{found:?}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == MMS)
        .unwrap();
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("GitHub Actions job \"d\" step \"#1\" → package.json script \"deploy\""),
        "{msg}"
    );
    assert!(
        msg.contains("https://prisma.example.com/shop/prod"),
        "{msg}"
    );
    let related: Vec<(String, u64)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        vec![
            (".github/workflows/d.yml".into(), 8),
            (".github/workflows/d.yml".into(), 6)
        ]
    );
}

#[test]
fn prisma_yml_hooks_are_commands() {
    let yml = "endpoint: https://prisma.example.com/shop/prod\ndatamodel: datamodel.prisma\nhooks:\n  post-deploy:\n    - graphql get-schema -p prisma\n    - prisma1 generate\nseed:\n  run: prisma1 seed\n";
    let found = scan(&[("prisma.yml", yml)]);
    assert_eq!(
        of(&found, CLI),
        vec![("prisma.yml".into(), 6), ("prisma.yml".into(), 8)]
    );
    assert_eq!(of(&found, MMS), vec![("prisma.yml".into(), 8)]);
    let single = "endpoint: http://localhost:4466\ndatamodel: d.prisma\nhooks:\n  post-deploy: npx prisma1 generate\n";
    assert_eq!(
        of(&scan(&[("prisma.yml", single)]), CLI),
        vec![("prisma.yml".into(), 4)]
    );
}

/// `prisma <cmd>` with a range that allows both CLIs: the lockfile decides.
#[test]
fn lockfiles_decide_ambiguous_ranges() {
    let npm_v2 = |v: &str| {
        format!("{{\n  \"name\": \"api\",\n  \"lockfileVersion\": 2,\n  \"packages\": {{\n    \"\": {{\"devDependencies\": {{\"prisma\": \">=1\"}}}},\n    \"node_modules/prisma\": {{\n      \"version\": \"{v}\",\n      \"resolved\": \"https://registry.npmjs.org/prisma/-/prisma-{v}.tgz\"\n    }}\n  }},\n  \"dependencies\": {{\n    \"prisma\": {{\n      \"version\": \"{v}\"\n    }}\n  }}\n}}\n")
    };
    let npm_v3 = |v: &str| {
        format!("{{\n  \"lockfileVersion\": 3,\n  \"packages\": {{\n    \"node_modules/@prisma/engines\": {{\"version\": \"5.10.0\"}},\n    \"node_modules/prisma\": {{\n      \"version\": \"{v}\"\n    }}\n  }}\n}}\n")
    };
    let yarn = |v: &str| {
        format!("# yarn lockfile v1\n\n\nprisma-client-lib@^1.34.10:\n  version \"1.34.10\"\n\nprisma@*, prisma@>=1:\n  version \"{v}\"\n  resolved \"https://registry.yarnpkg.com/prisma/-/prisma-{v}.tgz\"\n")
    };
    let pnpm6 = |v: &str| {
        format!("lockfileVersion: 5.4\n\npackages:\n\n  /prisma@{v}:\n    resolution: {{integrity: sha512-x}}\n    hasBin: true\n")
    };
    let pnpm9 = |v: &str| {
        format!("lockfileVersion: '9.0'\n\nimporters:\n  .:\n    devDependencies:\n      prisma:\n        specifier: '*'\n        version: {v}\n\npackages:\n\n  prisma@{v}:\n    resolution: {{integrity: sha512-x}}\n")
    };
    let pnpm5 = |v: &str| {
        format!("lockfileVersion: 5.3\n\npackages:\n\n  /prisma/{v}:\n    resolution: {{integrity: sha512-x}}\n")
    };
    type Lock = fn(&str) -> String;
    let locks: [(&str, Lock); 6] = [
        ("package-lock.json", npm_v2),
        ("package-lock.json", npm_v3),
        ("yarn.lock", yarn),
        ("pnpm-lock.yaml", pnpm6),
        ("pnpm-lock.yaml", pnpm9),
        ("pnpm-lock.yaml", pnpm5),
    ];
    for range in [">=1", "*"] {
        let pkg = format!("{{\n  \"scripts\": {{\n    \"gen\": \"prisma generate\"\n  }},\n  \"devDependencies\": {{\"prisma\": \"{range}\"}}\n}}\n");
        for (i, (name, lock)) in locks.iter().enumerate() {
            let p1 = scan(&[
                ("api/package.json", &pkg),
                (&format!("api/{name}"), &lock("1.34.10")),
            ]);
            assert_eq!(
                of(&p1, CLI),
                vec![("api/package.json".into(), 3)],
                "{range} {name} #{i}: {p1:?}"
            );
            let orm = scan(&[
                ("api/package.json", &pkg),
                (&format!("api/{name}"), &lock("5.10.0")),
            ]);
            assert_eq!(of(&orm, CLI), vec![], "{range} {name} #{i} 5.x: {orm:?}");
        }
        // No lockfile and no prisma.yml: `generate` is in both CLIs, so nothing is claimed.
        assert_eq!(
            of(&scan(&[("api/package.json", &pkg)]), CLI),
            vec![],
            "{range}"
        );
    }
}

/// The on-disk repositories: `(folder, missing-management-secret lines, prisma1-cli lines)`.
#[test]
fn on_disk_fixtures_per_ci_system() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commands");
    type Lines = &'static [(&'static str, u64)];
    let cases: &[(&str, Lines, Lines)] = &FIXTURES;
    let mut seen: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    seen.sort();
    let mut listed: Vec<String> = cases.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(seen, listed, "every fixture folder is checked");
    let mut failures = Vec::new();
    for (name, mms, cli) in cases {
        let found = scan_dir(&root.join(name));
        let want = |l: Lines| -> Vec<(String, u64)> {
            l.iter().map(|(p, n)| (p.to_string(), *n)).collect()
        };
        if of(&found, MMS) != want(mms) || of(&found, CLI) != want(cli) {
            failures.push(format!(
                "{name}: want {MMS} {mms:?} and {CLI} {cli:?}, got {found:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

type Fixture = (
    &'static str,
    &'static [(&'static str, u64)],
    &'static [(&'static str, u64)],
);

const FIXTURES: [Fixture; 8] = [
    (
        "github",
        // package.json "deploy" is run by the production job, which provides the secret.
        &[(".github/workflows/deploy.yml", 14)],
        &[
            (".github/workflows/deploy.yml", 14),
            (".github/workflows/deploy.yml", 24),
            ("package.json", 5),
            ("package.json", 6),
        ],
    ),
    (
        "gitlab",
        &[(".gitlab-ci.yml", 20), (".gitlab-ci.yml", 24)],
        &[
            (".gitlab-ci.yml", 14),
            (".gitlab-ci.yml", 20),
            (".gitlab-ci.yml", 24),
        ],
    ),
    (
        "circleci",
        &[(".circleci/config.yml", 15)],
        &[(".circleci/config.yml", 15), (".circleci/config.yml", 22)],
    ),
    (
        "travis",
        // "setup:prisma" is run by the Release job, which provides the secret.
        &[(".travis.yml", 9)],
        &[(".travis.yml", 9), ("package.json", 4)],
    ),
    (
        "bitbucket",
        &[("bitbucket-pipelines.yml", 23)],
        &[
            ("bitbucket-pipelines.yml", 17),
            ("bitbucket-pipelines.yml", 23),
        ],
    ),
    (
        "azure",
        &[("azure-pipelines.yml", 18)],
        &[("azure-pipelines.yml", 14), ("azure-pipelines.yml", 18)],
    ),
    (
        "jenkins",
        &[("Jenkinsfile", 19)],
        &[("Jenkinsfile", 14), ("Jenkinsfile", 19)],
    ),
    (
        "platforms",
        &[
            ("Dockerfile", 7),
            ("Procfile", 2),
            ("netlify.toml", 7),
            ("scripts/deploy.sh", 3),
        ],
        &[
            ("Dockerfile", 5),
            ("Dockerfile", 7),
            ("Makefile", 4),
            ("Procfile", 2),
            ("docker-compose.yml", 6),
            ("netlify.toml", 4),
            ("netlify.toml", 7),
            ("scripts/deploy.sh", 3),
            ("vercel.json", 2),
        ],
    ),
];

#[test]
fn a_global_install_followed_by_a_script_call_is_an_unpinned_cli() {
    let ci = "version: 2.1\njobs:\n  d:\n    docker: [{image: node}]\n    steps:\n      - run: npm install -g prisma\n      - run: npm run deploy\n";
    let pkg = "{\"scripts\": {\"deploy\": \"prisma deploy -e .env.prod\"}}\n";
    let found = scan(&[
        PRISMA_YML,
        ENV_PROD,
        ("package.json", pkg),
        (".circleci/config.yml", ci),
    ]);
    assert_eq!(
        of(&found, "unpinned-global-cli"),
        vec![(".circleci/config.yml".into(), 6)]
    );
    assert_eq!(of(&found, MMS), vec![]);
    // An ORM script after the install is what the install is for.
    let orm = "{\"scripts\": {\"deploy\": \"prisma migrate deploy\"}}\n";
    let found = scan(&[("package.json", orm), (".circleci/config.yml", ci)]);
    assert_eq!(found, vec![]);
}
