//! Secrets planted in every assignment form of every file kind never appear
//! in any output: each check format, the baseline file, each audit format.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run prisma1-lint")
}

/// Every planted value contains `cnry`; no output may contain it.
const FILES: &[(&str, &str)] = &[
    (
        "Makefile",
        "PRISMA_SECRET ?= cnryMake1\nPRISMA_MANAGEMENT_API_SECRET := cnryMake2\nPRISMA_CLOUD_SESSION_KEY += cnryMake3\nENDPOINT = https://eu1.prisma.sh/a/b/c\ndeploy:\n\tprisma1 deploy\n\tprisma1 login --key cnryMakeKey\n",
    ),
    (
        "Dockerfile",
        "FROM node:14\nENV PRISMA_MANAGEMENT_API_SECRET cnryDocker1\nENV PRISMA_SECRET=\"cnryDocker2 cnryDocker3\"\nRUN prisma1 deploy --endpoint https://eu1.prisma.sh/a/b/c\n",
    ),
    (
        "app.json",
        r#"{"env": {"PRISMA_MANAGEMENT_API_SECRET": {"value": "cnryApp1"}, "PRISMA_ENDPOINT": {"value": "https://eu1.prisma.sh/a/b/c"}}, "scripts": {"postdeploy": "prisma1 deploy"}}"#,
    ),
    (
        "config/prisma.json",
        "{\n  \"endpoint\": \"https://eu1.prisma.sh/a/b/c\", \"secret\": \"cnryJson1\"\n}\n",
    ),
    (
        "src/db.js",
        "const endpoint = 'https://eu1.prisma.sh/a/b/c'; const secret = 'cnryJs1';\nexport const client = { endpoint: 'https://eu1.prisma.sh/a/b/c', secret: \"cnryJs2 cnryJs3\" };\n",
    ),
    (
        "scripts/login.sh",
        "#!/bin/sh\nprisma1 login -kcnryGlued1\nprisma1 login --key=cnryKey2\nprisma1 login -k cnryKey3\nPRISMA_MANAGEMENT_API_SECRET='cnrySh1 cnrySh2' prisma1 deploy\n",
    ),
    (
        "prisma/prisma.yml",
        "endpoint: https://eu1.prisma.sh/a/b/c\ndatamodel: datamodel.graphql\nsecret: \"cnryYml1 cnryYml2 cnryYml3\"\n",
    ),
    ("prisma/datamodel.graphql", "type User { id: ID! }\n"),
    (
        ".env",
        "PRISMA_MANAGEMENT_API_SECRET=\"cnryEnv1 with cnryEnv2\"\nPRISMA_ENDPOINT=https://eu1.prisma.sh/a/b/c\nPRISMA_CLOUD_SESSION_KEY=cnryEnv3\n",
    ),
    (
        "package.json",
        r#"{"dependencies": {"prisma": "1.34.10", "prisma-binding": "2.0.0"}, "scripts": {"deploy": "PRISMA_MANAGEMENT_API_SECRET=cnryPkg1 prisma1 deploy", "login": "prisma1 login -k cnryPkg2"}}"#,
    ),
    (
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: cnryGh1\n      PRISMA_SECRET: 'cnryGh2 cnryGh3'\n    steps:\n      - run: prisma1 deploy\n",
    ),
    (
        "docker-compose.yml",
        "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_MANAGEMENT_API_SECRET: cnryCompose1\n      PRISMA_CONFIG: |\n        port: 4466\n        managementApiSecret: \"cnryCompose2 cnryCompose3\"\n",
    ),
];

fn plant(dir: &Path) {
    for (path, text) in FILES {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.contains("cnry"),
        "{what} prints a planted secret:\n{}",
        text.lines()
            .filter(|l| l.contains("cnry"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn no_planted_secret_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    plant(dir.path());
    let mut findings = 0;
    for format in ["human", "json", "sarif", "github", "markdown"] {
        let out = run(&["check", "--format", format, "."], dir.path());
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(format, &out.stdout);
        assert_clean(format, &out.stderr);
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            findings = v["findings"].as_array().map_or(0, Vec::len);
        }
    }
    // Findings come from every planted file: the redaction hides values, not findings.
    assert!(findings >= 10, "only {findings} findings");
    let baseline = dir.path().join("..").join(format!(
        "{}-baseline.json",
        dir.path().file_name().unwrap().to_string_lossy()
    ));
    let out = run(
        &["check", "--write-baseline", baseline.to_str().unwrap(), "."],
        dir.path(),
    );
    assert_clean("check --write-baseline", &out.stdout);
    let written = std::fs::read(&baseline).unwrap_or_default();
    let _ = std::fs::remove_file(&baseline);
    assert!(!written.is_empty(), "no baseline written");
    assert_clean("the baseline file", &written);
    for format in ["markdown", "json", "html"] {
        let out = run(&["audit", "--format", format, "."], dir.path());
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "audit {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&format!("audit {format}"), &out.stdout);
    }
}

#[test]
fn a_quoted_secret_is_hidden_whole_not_up_to_its_first_space() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("prisma")).unwrap();
    std::fs::write(
        dir.path().join("prisma/prisma.yml"),
        "endpoint: https://eu1.prisma.sh/a/b/c\nsecret: \"cnryA cnryB cnryC\"\n",
    )
    .unwrap();
    let out = run(&["check", "--format", "json", "."], dir.path());
    assert_clean("json", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("hardcoded-secret"), "{text}");
}
