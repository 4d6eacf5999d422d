//! End-to-end tests of the `prisma1-lint` binary on fixture repositories:
//! exact findings (snapshots of the JSON output), exit codes, determinism,
//! and bad input that must not stop a scan.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"));
    c.env("NO_COLOR", "1");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run prisma1-lint")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// `rule path:line message` per finding: compact, reviewable snapshots.
fn summary(v: &serde_json::Value) -> String {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}:{} {}",
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["message"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A temporary repository holding `files` (path, text).
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

#[test]
fn cloud_project_findings() {
    let out = run(
        &["check", "--format", "json", "."],
        &fixture("cloud-project"),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!(summary(&json(&out)));
}

#[test]
fn self_hosted_project_findings() {
    let out = run(&["check", "--format", "json", "."], &fixture("self-hosted"));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("my-server-secret-123"),
        "secret leaked: {text}"
    );
    insta::assert_snapshot!(summary(&json(&out)));
}

#[test]
fn prisma_orm_project_is_clean() {
    let out = run(&["check", "--format", "json", "."], &fixture("orm-project"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(
        v["findings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        summary(&v)
    );
    assert!(v["summary"]["files_scanned"].as_u64().unwrap() >= 5);
}

#[test]
fn monorepo_flags_only_the_prisma1_package() {
    let out = run(&["check", "--format", "json", "."], &fixture("monorepo"));
    let v = json(&out);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths.iter().all(|p| p.starts_with("packages/legacy/")),
        "{paths:?}"
    );
    insta::assert_snapshot!(summary(&v));
}

#[test]
fn full_json_document_shape() {
    let out = run(
        &[
            "check",
            "--format",
            "json",
            "--select",
            "cloud-endpoint",
            "prisma",
        ],
        &fixture("cloud-project"),
    );
    insta::assert_json_snapshot!(json(&out));
}

#[test]
fn output_is_byte_identical_whatever_the_threads() {
    let dir = fixture("");
    let a = run(&["check", "--format", "json", "-j", "1", "."], &dir);
    let b = run(&["check", "--format", "json", "-j", "4", "."], &dir);
    let c = run(&["check", "--format", "json", "-j", "2", "."], &dir);
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout, c.stdout);
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = fixture("cloud-project");
    assert_eq!(
        run(&["check", "-q", "--fail-on", "never"], &dir)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "-q", "--fail-on", "error"], &dir)
            .status
            .code(),
        Some(1)
    );
    let notes_only = run(
        &[
            "check",
            "-q",
            "--select",
            "prisma1-server-image",
            "--fail-on",
            "warning",
        ],
        &fixture("self-hosted"),
    );
    assert_eq!(notes_only.status.code(), Some(0));
    let notes_fail = run(
        &[
            "check",
            "-q",
            "--select",
            "prisma1-server-image",
            "--fail-on",
            "note",
        ],
        &fixture("self-hosted"),
    );
    assert_eq!(notes_fail.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("cloud-project");
    assert_eq!(
        run(&["check", "--select", "no-such-rule"], &dir)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "does/not/exist"], &dir).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["explain", "no-such-rule"], &dir).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "yaml"], &dir).status.code(),
        Some(2)
    );
}

#[test]
fn bad_config_is_a_spanned_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".prisma1-lint.yml"),
        "select: [cloud-endpoint]\nfail-onn: error\n",
    )
    .unwrap();
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown key `fail-onn`") && err.contains(".prisma1-lint.yml:2"),
        "{err}"
    );

    std::fs::write(
        dir.path().join(".prisma1-lint.yml"),
        "severity:\n  cloud-endpont: note\n",
    )
    .unwrap();
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule id `cloud-endpont`"));
}

#[test]
fn bad_rule_file_is_a_spanned_error() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("my-rule.yml"),
        "id: my-rule\ntitle: x\nseverity: critical\n",
    )
    .unwrap();
    let out = run(&["check", "--rules", "rules", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("my-rule.yml:3") && err.contains("severity"),
        "{err}"
    );
}

#[test]
fn config_changes_severity_excludes_and_suppresses() {
    let dir = repo(&[
        ("prisma.yml", "endpoint: https://eu1.prisma.sh/w/s/dev\ndatamodel: d.prisma\n"),
        ("legacy/old.js", "const u = 'https://us1.prisma.sh/w/s/dev'\n"),
        ("package.json", "{\"dependencies\": {\"prisma-binding\": \"2.3.16\"}}\n"),
        (
            ".prisma1-lint.yml",
            "severity:\n  cloud-endpoint: note\nexclude: ['legacy/**']\nsuppress:\n  - rule: prisma1-dependency\n    paths: [package.json]\n    reason: removed in the upgrade PR\n",
        ),
    ]);
    let out = run(&["check", "--format", "json", "."], dir.path());
    let v = json(&out);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{}", summary(&v));
    assert_eq!(f[0]["rule"], "prisma1-dependency");
    assert_eq!(f[0]["suppressed"]["kind"], "external");
    assert_eq!(f[1]["severity"], "note");
    assert_eq!(
        out.status.code(),
        Some(0),
        "a note and a suppressed warning do not fail at the default threshold"
    );
}

#[test]
fn inline_suppressions_hide_findings_and_report_bad_ones() {
    let dir = repo(&[
        ("prisma.yml", "# prisma1-lint: ignore[cloud-endpoint] archived demo\nendpoint: https://eu1.prisma.sh/w/s/dev\n"),
        (
            "a.js",
            "const u = 'https://us1.prisma.sh/w/s/dev' // prisma1-lint: ignore[cloud-endpoint]\n// prisma1-lint: ignore[cloud-console] nothing here\nconst x = 1\n",
        ),
    ]);
    let out = run(&["check", "--format", "json", "."], dir.path());
    let v = json(&out);
    insta::assert_snapshot!(summary(&v));
}

#[test]
fn rules_and_explain_print_every_rule() {
    let out = run(&["rules"], &fixture(""));
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "cloud-endpoint",
        "cloud-console",
        "cloud-login",
        "prisma1-cli",
        "prisma1-dependency",
        "prisma1-server-image",
        "hardcoded-secret",
        "missing-management-secret",
    ] {
        assert!(text.contains(id), "{id} missing from `rules`");
    }
    let out = run(&["explain", "cloud-endpoint"], &fixture(""));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Why it breaks") && text.contains("2022-09-01") && text.contains("https://"),
        "{text}"
    );
}

#[test]
fn human_output_shows_source_help_and_summary() {
    let out = run(&["check", "prisma/prisma.yml"], &fixture("cloud-project"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cloud-endpoint"), "{text}");
    assert!(text.contains("prisma/prisma.yml:1:11"), "{text}");
    assert!(text.contains("endpoint: https://eu1.prisma.sh/jane-doe/shop/dev"));
    assert!(text.contains("help:"));
    assert!(
        text.contains(
            "1 error (prisma/prisma.yml:1), 1 warning, 0 notes (cloud-endpoint 1, prisma1-cli 1); "
        ),
        "{text}"
    );
    assert!(
        !text.contains("\u{1b}["),
        "NO_COLOR output must have no escape codes"
    );
}

#[test]
fn file_arguments_report_only_those_files_but_read_facts_from_the_root() {
    // The script's `prisma deploy` is Prisma 1 only because of the root package.json.
    let dir = fixture("self-hosted");
    let out = run(
        &[
            "check",
            "--format",
            "json",
            "--select",
            "prisma1-cli",
            "scripts/deploy.sh",
        ],
        &dir,
    );
    let v = json(&out);
    let f = v["findings"].as_array().unwrap();
    assert!(!f.is_empty(), "{}", summary(&v));
    assert!(
        f.iter().all(|x| x["path"] == "scripts/deploy.sh"),
        "{}",
        summary(&v)
    );
}

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("invalid-utf8.txt"),
        b"\xff\xfe endpoint https://eu1.prisma.sh/w/s/dev \xc3\x28\n",
    )
    .unwrap();
    std::fs::write(
        p.join("binary.bin"),
        b"\x00\x01\x02 https://eu1.prisma.sh/w/s/dev",
    )
    .unwrap();
    std::fs::write(
        p.join("package.json"),
        b"{\"dependencies\": {\"prisma-binding\": ",
    )
    .unwrap();
    std::fs::create_dir(p.join(".github")).unwrap();
    std::fs::create_dir(p.join(".github/workflows")).unwrap();
    std::fs::write(
        p.join(".github/workflows/ci.yml"),
        b"jobs: [unclosed\n  run: prisma1 deploy {\n",
    )
    .unwrap();
    let long = format!("x{} https://us1.prisma.sh/w/s/dev\n", "a".repeat(2_000_000));
    std::fs::write(p.join("long-line.js"), long).unwrap();
    std::fs::write(p.join("huge.txt"), vec![b'a'; 5 << 20]).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop-b", p.join("loop-a")).unwrap();
        std::os::unix::fs::symlink("loop-a", p.join("loop-b")).unwrap();
        std::os::unix::fs::symlink(".", p.join("self")).unwrap();
        let fifo = p.join("pipe");
        let status = Command::new("mkfifo").arg(&fifo).status();
        assert!(status.map(|s| s.success()).unwrap_or(true));
    }
    let out = run(&["check", "--format", "json", "."], p);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"invalid-utf8.txt"), "{paths:?}");
    assert!(paths.contains(&"long-line.js"), "{paths:?}");
    assert!(!paths.contains(&"binary.bin"));
    assert_eq!(v["summary"]["skipped_binary"], 1);
    assert_eq!(v["summary"]["skipped_large"], 1);
    let problems = v["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|x| x["path"] == "package.json"),
        "{problems:?}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn diff_base_reports_only_changed_lines() {
    let dir = repo(&[
        ("old.js", "const a = 'https://eu1.prisma.sh/w/old/dev'\n"),
        (
            "prisma.yml",
            "datamodel: d.prisma\nendpoint: https://eu1.prisma.sh/w/s/dev\n",
        ),
    ]);
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["add", "."]);
    git(p, &["commit", "-qm", "base"]);
    git(p, &["checkout", "-qb", "feature"]);
    // A new line above the old finding moves it; it must still not be reported.
    std::fs::write(
        p.join("prisma.yml"),
        "# moved\ndatamodel: d.prisma\nendpoint: https://eu1.prisma.sh/w/s/dev\n",
    )
    .unwrap();
    std::fs::write(
        p.join("new.js"),
        "const b = 1\nconst c = 'https://us1.prisma.sh/w/new/dev'\n",
    )
    .unwrap();
    git(p, &["add", "new.js"]);
    git(p, &["commit", "-qm", "head"]);
    let out = run(
        &["check", "--format", "json", "--diff-base", "main", "."],
        p,
    );
    let v = json(&out);
    assert_eq!(summary(&v), "error cloud-endpoint new.js:2:12 Prisma 1 Cloud endpoint on us1.prisma.sh: workspace w, service new, stage dev");
    assert_eq!(v["summary"]["hidden"], 2);
    // An untracked file counts as all new.
    std::fs::write(
        p.join("untracked.ts"),
        "x('https://eu1.prisma.sh/w/u/dev')\n",
    )
    .unwrap();
    let v = json(&run(
        &["check", "--format", "json", "--diff-base", "main", "."],
        p,
    ));
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        2,
        "{}",
        summary(&v)
    );
    assert_eq!(
        run(&["check", "--diff-base", "no-such-ref", "."], p)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn diff_file_filters_like_diff_base() {
    let dir = repo(&[
        ("a.js", "const a = 'https://eu1.prisma.sh/w/a/dev'\nconst b = 'https://eu1.prisma.sh/w/b/dev'\n"),
        ("change.patch", "--- a/a.js\n+++ b/a.js\n@@ -1,0 +2,1 @@\n+const b = 'https://eu1.prisma.sh/w/b/dev'\n"),
    ]);
    let p = dir.path();
    let v = json(&run(
        &["check", "--format", "json", "--diff", "change.patch", "."],
        p,
    ));
    assert_eq!(summary(&v), "error cloud-endpoint a.js:2:12 Prisma 1 Cloud endpoint on eu1.prisma.sh: workspace w, service b, stage dev");
}

#[test]
fn baseline_hides_known_findings_even_when_they_move() {
    let dir = repo(&[("a.js", "const a = 'https://eu1.prisma.sh/w/a/dev'\nconst gone = 'https://eu1.prisma.sh/w/gone/dev'\n")]);
    let p = dir.path();
    let out = run(&["check", "--write-baseline", "baseline.json", "."], p);
    assert_eq!(out.status.code(), Some(0), "writing a baseline exits 0");
    let b: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(b["entries"].as_array().unwrap().len(), 2);
    // Move the known finding down, drop one, add a new one.
    std::fs::write(p.join("a.js"), "// header\n\nconst a = 'https://eu1.prisma.sh/w/a/dev'\nconst n = 'https://us1.prisma.sh/w/new/dev'\n").unwrap();
    let out = run(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
        p,
    );
    let v = json(&out);
    assert_eq!(summary(&v), "error cloud-endpoint a.js:4:12 Prisma 1 Cloud endpoint on us1.prisma.sh: workspace w, service new, stage dev");
    assert_eq!(v["summary"]["hidden"], 1);
    assert_eq!(v["summary"]["stale_baseline"], 1);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn hidden_files_are_scanned_and_gitignore_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for (f, t) in [
        (
            ".env.staging",
            "PRISMA_ENDPOINT=https://eu1.prisma.sh/w/s/staging\n",
        ),
        (".circleci/config.yml", "# https://us1.prisma.sh/w/s/ci\n"),
        (".git/config", "url = https://eu1.prisma.sh/w/s/git\n"),
        (
            "node_modules/prisma1/x.js",
            "'https://eu1.prisma.sh/w/s/nm'\n",
        ),
        ("build/out.js", "'https://eu1.prisma.sh/w/s/build'\n"),
        (".gitignore", "build/\n"),
    ] {
        std::fs::create_dir_all(p.join(f).parent().unwrap()).unwrap();
        std::fs::write(p.join(f), t).unwrap();
    }
    let paths = |args: &[&str]| -> Vec<String> {
        let v = json(&run(args, p));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths(&["check", "--format", "json", "."]),
        vec![".circleci/config.yml", ".env.staging"]
    );
    assert_eq!(
        paths(&["check", "--format", "json", "--no-ignore", "."]),
        vec![".circleci/config.yml", ".env.staging", "build/out.js"]
    );
}
