//! Commands inside other commands, Makefiles as make reads them, file kinds
//! by name and content, documented commands and where findings point, each
//! through the whole pipeline (the binary on a generated repository).
//!
//! Every case is a small repository written here; each asserts the exact
//! `(rule, path, line)` findings, so a command that is missed, reported
//! twice or reported on the wrong line fails.

use std::path::Path;
use std::process::Command;

/// `(rule, path, line, origin)` of every finding, sorted.
type Found = Vec<(String, String, u64, String)>;

fn run(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run prisma1-lint");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn found(v: &serde_json::Value) -> Found {
    let mut f: Found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["origin"].as_str().unwrap_or("code").to_string(),
            )
        })
        .collect();
    f.sort();
    f
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn scan(files: &[(&str, &str)]) -> Found {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), files);
    found(&run(dir.path(), &["."]))
}

fn f(rule: &str, path: &str, line: u64) -> (String, String, u64, String) {
    (rule.into(), path.into(), line, "code".into())
}

const P1_YML: (&str, &str) = (
    "prisma.yml",
    "endpoint: https://prisma.example.com/shop/prod\ndatamodel: datamodel.prisma\n",
);
const P1_PKG: (&str, &str) = (
    "package.json",
    r#"{"devDependencies": {"prisma": "1.34.10"}}"#,
);
const ORM_PKG: (&str, &str) = (
    "package.json",
    r#"{"devDependencies": {"prisma": "^5.10.0"}, "dependencies": {"@prisma/client": "^5.10.0"}}"#,
);
const ORM_SCHEMA: (&str, &str) = (
    "prisma/schema.prisma",
    "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n",
);

#[test]
fn jenkins_docker_exec_sh_c_multi_line() {
    let jenkins = "pipeline {\n  agent any\n  stages {\n    stage('deploy') {\n      steps {\n        sh '''\n          docker exec -i api sh -c \"cd /app &&\n            npx prisma1 deploy --force\"\n        '''\n      }\n    }\n  }\n}\n";
    let got = scan(&[P1_YML, P1_PKG, ("Jenkinsfile", jenkins)]);
    assert!(got.contains(&f("prisma1-cli", "Jenkinsfile", 8)), "{got:?}");
}

#[test]
fn makefile_variable_is_a_compose_run() {
    let mk = "DOCKER = docker-compose run --rm\nCLI := $(DOCKER) node npx prisma\n\ndeploy:\n\t@$(CLI) deploy\n\ngenerate:\n\t$(DOCKER) node npx prisma migrate deploy\n";
    let got = scan(&[P1_YML, P1_PKG, ("Makefile", mk)]);
    let cli: Vec<_> = got.iter().filter(|x| x.0 == "prisma1-cli").collect();
    // `prisma migrate deploy` is Prisma ORM's: only the recipe of `deploy`.
    assert_eq!(cli, [&f("prisma1-cli", "Makefile", 5)], "{got:?}");
}

#[test]
fn a_container_does_not_inherit_the_job_environment() {
    let wf = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.S }}\n    steps:\n      - run: docker run --rm shop/api npx prisma1 deploy\n      - run: docker run --rm -e PRISMA_MANAGEMENT_API_SECRET shop/api npx prisma1 deploy\n";
    let got = scan(&[P1_YML, (".github/workflows/deploy.yml", wf)]);
    let mms: Vec<u64> = got
        .iter()
        .filter(|x| x.0 == "missing-management-secret")
        .map(|x| x.2)
        .collect();
    assert_eq!(
        mms,
        [8],
        "only the container without -e lacks the secret: {got:?}"
    );
}

#[test]
fn kubernetes_job_commands() {
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: shop/api\n          command: [\"npx\", \"prisma1\"]\n          args: [\"deploy\"]\n";
    let got = scan(&[P1_YML, ("deploy/k8s/migrate.yaml", job)]);
    assert!(
        got.contains(&f("prisma1-cli", "deploy/k8s/migrate.yaml", 11)),
        "{got:?}"
    );
}

#[test]
fn dockerfile_spellings_and_shell_extensions() {
    let files = [
        P1_YML,
        P1_PKG,
        (
            "docker/api.Dockerfile",
            "FROM node:12\nRUN npx prisma1 generate\n",
        ),
        (
            "Dockerfile-migrate",
            "FROM node:12\nCMD [\"npx\", \"prisma1\", \"deploy\"]\n",
        ),
        ("scripts/deploy.bash", "set -e\nprisma1 deploy\n"),
        ("build/release.mk", "release:\n\tprisma1 deploy\n"),
    ];
    let got = scan(&files);
    for (path, line) in [
        ("docker/api.Dockerfile", 2),
        ("Dockerfile-migrate", 2),
        ("scripts/deploy.bash", 2),
        ("build/release.mk", 2),
    ] {
        assert!(
            got.contains(&f("prisma1-cli", path, line)),
            "{path}: {got:?}"
        );
    }
}

#[test]
fn readme_shell_blocks_are_documented_commands() {
    let readme = "# Shop\n\nInline `prisma1 deploy` is prose.\n\n```bash\nyarn install\nyarn prisma1 deploy\n```\n\n```console\n$ prisma1 token\neyJhbGciOi...\n```\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[P1_YML, P1_PKG, ("README.md", readme)]);
    let v = run(dir.path(), &["."]);
    let docs: Vec<(String, u64, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "prisma1-cli")
        .map(|x| {
            (
                x["path"].as_str().unwrap().into(),
                x["line"].as_u64().unwrap(),
                x["severity"].as_str().unwrap().into(),
                x["origin"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            ("README.md".into(), 7, "note".into(), "docs".into()),
            ("README.md".into(), 11, "note".into(), "docs".into()),
        ]
    );
    let msg = v["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("documented command"), "{msg}");
}

#[test]
fn prisma_orm_look_alikes_stay_clean() {
    let files = [
        ORM_PKG,
        ORM_SCHEMA,
        (
            "Makefile",
            "PRISMA = npx prisma\nmigrate:\n\tdocker compose run app $(PRISMA) migrate deploy\n",
        ),
        ("README.md", "```sh\nnpx prisma db push\nnpx prisma generate\n```\n"),
        (
            "k8s/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: m}\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          command: [npx, prisma, migrate, deploy]\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker compose run --rm app npx prisma migrate deploy\n",
        ),
    ];
    assert_eq!(scan(&files), Vec::new());
}

#[test]
fn login_with_its_key_is_one_finding_on_the_command_line() {
    let sh = "#!/bin/sh\nPRISMA_ENDPOINT=https://prisma.example.com/shop/prod \\\n  npx prisma1 login \\\n  -k \"$PRISMA_CLOUD_SESSION_KEY\"\n";
    let got = scan(&[P1_YML, ("ci/login.sh", sh)]);
    assert_eq!(got, [f("cloud-login", "ci/login.sh", 3)], "{got:?}");
}

#[test]
fn a_folder_of_repositories_scans_like_each_one() {
    let repo = |name: &str| -> Vec<(String, String)> {
        vec![
            (format!("{name}/api/prisma.yml"), P1_YML.1.to_string()),
            (
                format!("{name}/.github/workflows/deploy.yml"),
                "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd api && npx prisma1 deploy\n".to_string(),
            ),
        ]
    };
    let dir = tempfile::tempdir().unwrap();
    let mut all = repo("shop");
    all.extend(repo("blog"));
    let files: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    write(dir.path(), &files);
    let whole = found(&run(dir.path(), &["."]));
    let one = found(&run(&dir.path().join("shop"), &["."]));
    let shop_in_whole: Found = whole
        .iter()
        .filter(|x| x.1.starts_with("shop/"))
        .map(|x| {
            (
                x.0.clone(),
                x.1["shop/".len()..].to_string(),
                x.2,
                x.3.clone(),
            )
        })
        .collect();
    assert!(!one.is_empty());
    assert!(
        one.iter().any(|x| x.0 == "missing-management-secret"),
        "{one:?}"
    );
    assert_eq!(shop_in_whole, one);
}

#[test]
fn console_service_urls_are_cloud_endpoints() {
    let got = scan(&[(
        "src/links.ts",
        "export const SERVICE = 'https://app.prisma.io/jane/services/prisma-eu1/shop/dev';\nexport const LOGIN = 'https://app.prisma.io/login';\n",
    )]);
    assert_eq!(
        got,
        [
            f("cloud-console", "src/links.ts", 2),
            f("cloud-endpoint", "src/links.ts", 1)
        ]
    );
}

#[test]
fn workspace_runners_run_in_the_workspace_package() {
    let root_pkg = "{\"private\": true, \"workspaces\": [\"packages/*\"], \"scripts\": {\n  \"api:gen\": \"yarn workspace @shop/api prisma generate\",\n  \"web:gen\": \"yarn workspace @shop/web prisma generate\",\n  \"gen\": \"npm run generate -w @shop/web\"\n}}\n";
    let api_pkg = r#"{"name": "@shop/api", "devDependencies": {"prisma": "1.34.10"}, "scripts": {"generate": "prisma generate"}}"#;
    let web_pkg = r#"{"name": "@shop/web", "devDependencies": {"prisma": "^5.10.0"}, "scripts": {"generate": "prisma generate"}}"#;
    let got = scan(&[
        ("package.json", root_pkg),
        ("packages/api/package.json", api_pkg),
        ("packages/api/prisma.yml", P1_YML.1),
        ("packages/web/package.json", web_pkg),
        ("packages/web/prisma/schema.prisma", ORM_SCHEMA.1),
    ]);
    let cli: Vec<_> = got.iter().filter(|x| x.0 == "prisma1-cli").collect();
    // `prisma generate` is Prisma 1 in @shop/api and Prisma ORM in @shop/web:
    // only the folder of the workspace package tells.
    assert_eq!(
        cli,
        [
            &f("prisma1-cli", "package.json", 2),
            &f("prisma1-cli", "packages/api/package.json", 1)
        ],
        "{got:?}"
    );
}

#[test]
fn config_raises_documented_commands() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            P1_YML,
            ("README.md", "```sh\nprisma1 deploy\n```\n"),
            (".prisma1-lint.yml", "documented-commands: warning\n"),
        ],
    );
    let v = run(dir.path(), &["."]);
    let sev: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "prisma1-cli")
        .map(|x| x["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, ["warning"]);
}

#[test]
fn compose_run_gets_the_services_environment() {
    let compose = |env: &str| {
        format!("services:\n  cli:\n    image: node:12\n    environment:\n      {env}\n  other:\n    image: node:12\n")
    };
    let wf = "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker compose run --rm cli npx prisma1 deploy\n";
    let mms = |found: &Found| -> Vec<u64> {
        found
            .iter()
            .filter(|x| x.0 == "missing-management-secret")
            .map(|x| x.2)
            .collect()
    };
    let with = compose("PRISMA_MANAGEMENT_API_SECRET: ${MGMT}");
    let got = scan(&[
        P1_YML,
        ("docker-compose.yml", &with),
        (".github/workflows/d.yml", wf),
    ]);
    assert_eq!(mms(&got), Vec::<u64>::new(), "{got:?}");
    let without = compose("NODE_ENV: production");
    let got = scan(&[
        P1_YML,
        ("docker-compose.yml", &without),
        (".github/workflows/d.yml", wf),
    ]);
    assert_eq!(mms(&got), [6], "{got:?}");
}

#[test]
fn a_pinned_global_install_makes_prisma_the_prisma1_cli() {
    let got = scan(&[
        (
            "Dockerfile",
            "FROM node:10\nRUN npm install -g prisma@1.34.10\nCOPY entrypoint.sh /\nENTRYPOINT [\"prisma\"]\n",
        ),
        ("entrypoint.sh", "#!/bin/sh\nset -e\nsh -c \"prisma $*\"\n"),
    ]);
    let cli: Vec<_> = got.iter().filter(|x| x.0 == "prisma1-cli").collect();
    assert_eq!(
        cli,
        [
            &f("prisma1-cli", "Dockerfile", 4),
            &f("prisma1-cli", "entrypoint.sh", 3)
        ],
        "{got:?}"
    );
    // A global install of Prisma ORM says the opposite.
    let orm = scan(&[
        (
            "Dockerfile",
            "FROM node:18\nRUN npm install -g prisma@5.10.0\nENTRYPOINT [\"prisma\"]\n",
        ),
        ("entrypoint.sh", "#!/bin/sh\nprisma generate\n"),
    ]);
    assert!(orm.iter().all(|x| x.0 != "prisma1-cli"), "{orm:?}");
}

#[test]
fn makefile_includes_bring_their_variables() {
    let got = scan(&[
        P1_YML,
        ("make/vars.mk", "DOCKER = docker-compose run --rm\nCLI := $(DOCKER) api npx prisma1\n"),
        (".env", "PRISMA_MANAGEMENT_API_SECRET=abc\nSTAGE=prod\n"),
        (
            "Makefile",
            "include make/vars.mk\n-include .env\nexport\n\ndeploy:\n\t$(CLI) deploy -e .env.$(STAGE)\n",
        ),
    ]);
    let cli: Vec<_> = got.iter().filter(|x| x.0 == "prisma1-cli").collect();
    assert_eq!(cli, [&f("prisma1-cli", "Makefile", 6)], "{got:?}");
}

#[test]
fn a_makefile_that_never_names_prisma_gets_its_cli_from_an_include() {
    // The Makefile alone says nothing of Prisma (the scan keeps only its
    // calls); read with its include it runs the Prisma 1 CLI, and the
    // finding quotes its line.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[
            P1_YML,
            P1_PKG,
            ("tools.mk", "CLI := npx prisma1\n"),
            (
                "Makefile",
                "include tools.mk\n\nbuild:\n\tcargo build\n\ndeploy:\n\t$(CLI) deploy\n",
            ),
        ],
    );
    let v = run(dir.path(), &["."]);
    let cli: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "prisma1-cli")
        .map(|x| {
            (
                x["path"].as_str().unwrap(),
                x["line"].as_u64().unwrap(),
                x["snippet"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(cli, [("Makefile", 7, "\t$(CLI) deploy")], "{v}");
}

#[test]
fn a_script_of_many_commands_is_capped_per_rule_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!("{}\n", "prisma1 token; ".repeat(1000));
    write(dir.path(), &[P1_YML, ("a.sh", &script)]);
    let v = run(dir.path(), &["."]);
    let cli = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "prisma1-cli")
        .count();
    assert_eq!(cli, 200);
    let noted = v["problems"].as_array().unwrap().iter().any(|p| {
        p["path"] == "a.sh"
            && p["message"]
                .as_str()
                .unwrap_or("")
                .contains("`prisma1-cli`")
    });
    assert!(noted, "{}", v["problems"]);
}
