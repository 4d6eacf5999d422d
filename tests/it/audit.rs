//! `prisma1-lint audit` on fixture repositories: verdicts, service rows,
//! snapshots of the Markdown and JSON reports, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .arg("audit")
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("run")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = audit(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn repo<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no repository {name}"))
}

/// `service/stage class endpoint [secret per usage]` per service.
fn services(r: &serde_json::Value) -> Vec<String> {
    r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let secrets: Vec<&str> = s["used_from"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["management_secret"].as_str().unwrap())
                .collect();
            format!(
                "{}/{} {} {} [{}]",
                s["name"].as_str().unwrap(),
                s["stage"].as_str().unwrap(),
                s["class"].as_str().unwrap(),
                s["endpoint"].as_str().unwrap(),
                secrets.join(",")
            )
        })
        .collect()
}

#[test]
fn verdicts_per_repository() {
    let v = json(&[
        "cloud-project",
        "self-hosted",
        "orm-project",
        "monorepo",
        "audit/custom-with-secret",
        "audit/local-docker",
        "audit/unresolved",
    ]);
    let verdict = |n: &str| {
        (
            repo(&v, n)["uses_prisma1"].as_bool().unwrap(),
            repo(&v, n)["uses_prisma1_cloud"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    assert_eq!(verdict("cloud-project"), (true, "yes".into()));
    assert_eq!(verdict("self-hosted"), (true, "no".into()));
    assert_eq!(verdict("orm-project"), (false, "no".into()));
    assert_eq!(verdict("monorepo"), (true, "yes".into()));
    assert_eq!(verdict("custom-with-secret"), (true, "no".into()));
    assert_eq!(verdict("local-docker"), (true, "no".into()));
    assert_eq!(verdict("unresolved"), (true, "cannot-tell".into()));
    assert_eq!(v["version"], 1);
    assert_eq!(v["totals"]["repositories"], 7);
    assert_eq!(v["totals"]["using_prisma1_cloud"], 2);
    assert_eq!(v["totals"]["cannot_tell"], 1);
}

#[test]
fn service_rows_and_secret_wiring() {
    let v = json(&[
        "cloud-project",
        "self-hosted",
        "audit/custom-with-secret",
        "audit/local-docker",
        "monorepo",
    ]);
    assert_eq!(
        services(repo(&v, "cloud-project")),
        vec![
            "shop/dev cloud-shared https://eu1.prisma.sh/jane-doe/shop/dev [no,no,no,not needed]",
            "shop/prod cloud-shared https://us1.prisma.sh/jane-doe/shop/prod []",
        ]
    );
    assert_eq!(
        services(repo(&v, "self-hosted")),
        vec!["blog/prod private https://prisma.example.com/blog/prod [unknown,no,yes,no]"]
    );
    assert_eq!(
        services(repo(&v, "custom-with-secret")),
        vec![
            "api/staging private https://prisma-staging.example.org/api/staging [yes,yes]",
            "api/prod private https://prisma.example.org/api/prod [yes]"
        ]
    );
    let staging = &repo(&v, "custom-with-secret")["services"][0];
    assert_eq!(staging["data_export"], true);
    let local = &repo(&v, "local-docker")["services"][0];
    assert_eq!(local["data_browser"], true);
    assert_eq!(
        services(repo(&v, "monorepo")),
        vec!["legacy/prod cloud-private https://legacy-cluster_acme.prisma.sh/legacy/prod [no,not needed]"]
    );
    let code = &repo(&v, "custom-with-secret")["code"];
    assert_eq!(code["datamodels"][0]["types"], 2);
}

#[test]
fn each_subdir_audits_a_folder_of_repositories() {
    let v = json(&["--each-subdir", "audit"]);
    let names: Vec<&str> = v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["custom-with-secret", "local-docker", "unresolved"]
    );
}

#[test]
fn markdown_report_snapshot() {
    let out = audit(&[
        "cloud-project",
        "self-hosted",
        "orm-project",
        "audit/unresolved",
    ]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn json_report_snapshot() {
    insta::assert_json_snapshot!(json(&[
        "monorepo",
        "audit/custom-with-secret",
        "audit/local-docker"
    ]));
}

#[test]
fn report_is_byte_identical_across_runs() {
    let a = audit(&["--format", "html", "--each-subdir", "."]);
    let b = audit(&["--format", "html", "--each-subdir", ".", "-j", "1"]);
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn audit_never_prints_secrets() {
    for format in ["markdown", "json", "html"] {
        let out = audit(&["--format", format, "self-hosted", "audit/local-docker"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("my-server-secret-123") && !text.contains("local-dev-only"),
            "{format} leaks a secret"
        );
    }
}

#[test]
fn exit_code_is_zero_unless_fail_on() {
    assert_eq!(audit(&["cloud-project"]).status.code(), Some(0));
    assert_eq!(
        audit(&["--fail-on", "error", "cloud-project"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        audit(&["--fail-on", "error", "orm-project"]).status.code(),
        Some(0)
    );
    assert_eq!(audit(&["no-such-folder"]).status.code(), Some(2));
}

#[test]
fn html_report_is_self_contained_with_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.html");
    let out = audit(&[
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
        "cloud-project",
        "audit/custom-with-secret",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<table class=\"sortable services\">"));
    assert!(html.contains("<svg"));
    for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(external), "external asset: {external}");
    }
}

#[test]
fn many_repositories_side_by_side_keep_their_order_and_every_error() {
    // Repositories are audited concurrently: the report lists them in
    // order whatever finishes first, and a bad config stops the run with
    // that repository's error, as a one-at-a-time audit would.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        let repo = dir.path().join(format!("r{i:02}"));
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(
            repo.join(".env"),
            format!("PRISMA_ENDPOINT=https://eu1.prisma.sh/ws{i}/svc/dev\n"),
        )
        .unwrap();
    }
    let run = |extra: &[&str]| {
        let mut args = vec!["audit", "--format", "json", "--each-subdir"];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
            .args(&args)
            .arg(dir.path())
            .output()
            .expect("run")
    };
    let one = run(&["-j", "1"]);
    let four = run(&["-j", "4"]);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, four.stdout);
    let v: serde_json::Value = serde_json::from_slice(&four.stdout).unwrap();
    let names: Vec<String> = v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = (0..12).map(|i| format!("r{i:02}")).collect();
    assert_eq!(names, want);
    // Two bad configs: both repositories fail, in order, and the others are
    // audited; the exit code is 2.
    std::fs::write(
        dir.path().join("r07/.prisma1-lint.yml"),
        "nonsense-key: 1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("r03/.prisma1-lint.yml"), "also-wrong: 1\n").unwrap();
    let mut outputs = Vec::new();
    for j in ["1", "4"] {
        let out = run(&["-j", j]);
        assert_eq!(out.status.code(), Some(2), "-j {j}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let (a, b) = (err.find("also-wrong"), err.find("nonsense-key"));
        assert!(a.is_some() && b.is_some() && a < b, "-j {j}: {err}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let failed: Vec<&str> = v["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["failed"].is_string())
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(failed, ["r03", "r07"], "-j {j}");
        assert_eq!(v["totals"]["using_prisma1_cloud"], 10, "-j {j}");
        outputs.push(out.stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
}
