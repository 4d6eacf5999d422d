//! Flags as ruff and gitleaks users type them: `-o`, `--output-format`,
//! `--exit-zero`, `--no-color` and the colour variables, selectors with
//! prefixes, tags and `ALL`, outputs that are never dropped, and the same
//! options on `audit`, `fix` and `rules`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"));
    c.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    c
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the cloud-project fixture to write files into.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("cloud-project");
    for e in walk(&src) {
        let rel = e.strip_prefix(&src).unwrap();
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&e, &to).unwrap();
    }
    dir
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn output_file_writes_the_format_and_a_file_given_to_output_is_explained() {
    let dir = scratch();
    let out = run(
        &["check", "--output-format", "json", "-o", "report.json", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "the report went to the file");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert!(!v["findings"].as_array().unwrap().is_empty());
    let out = run(&["check", "--output", "out.json", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `--output json=out.json` or `-o out.json`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn exit_zero_no_color_and_the_colour_variables() {
    let dir = fixture("cloud-project");
    assert_eq!(
        run(&["check", "--exit-zero", "-q", "."], &dir)
            .status
            .code(),
        Some(0)
    );
    let forced = bin()
        .args(["check", "--format", "concise", "."])
        .env("FORCE_COLOR", "1")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        stdout(&forced).contains("\u{1b}[1;31merror"),
        "concise is coloured"
    );
    let forced = bin()
        .args(["check", "."])
        .env("CLICOLOR_FORCE", "1")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(stdout(&forced).contains("\u{1b}["), "human is coloured");
    let plain = bin()
        .args(["check", "--no-color", "."])
        .env("FORCE_COLOR", "1")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!stdout(&plain).contains("\u{1b}["), "--no-color wins");
    let no = bin()
        .args(["check", "--format", "concise", "."])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!stdout(&no).contains("\u{1b}["), "NO_COLOR wins");
}

/// Rule ids of the concise lines.
fn rules(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.split_once("]").map(|(a, _)| a))
        .filter_map(|a| a.rsplit_once('[').map(|(_, r)| r.to_string()))
        .collect()
}

#[test]
fn selectors_take_prefixes_tags_all_and_spaces_and_suggest_ids() {
    let dir = fixture("cloud-project");
    let sel = |args: &[&str]| {
        let mut a = vec!["check", "--format", "concise", "--exit-zero"];
        a.extend_from_slice(args);
        a.push(".");
        rules(&stdout(&run(&a, &dir)))
    };
    let all = sel(&[]);
    assert_eq!(sel(&["--select", "ALL"]), all);
    let cloud = sel(&["--select", "cloud"]);
    assert!(
        !cloud.is_empty() && cloud.iter().all(|r| r.starts_with("cloud-")),
        "{cloud:?}"
    );
    let no_p1 = sel(&["--ignore", "prisma1-"]);
    assert!(
        no_p1.iter().all(|r| !r.starts_with("prisma1-")),
        "{no_p1:?}"
    );
    assert!(all.iter().any(|r| r.starts_with("prisma1-")));
    assert_eq!(
        sel(&["--select", " cloud-endpoint , cloud-login "]).len(),
        2
    );
    let tag = sel(&["--select", "prisma1-cloud"]);
    assert!(
        tag.contains("cloud-endpoint") && !tag.contains("prisma1-cli"),
        "{tag:?}"
    );

    for args in [
        vec!["check", "--select", "cloud-endpont", "."],
        vec!["explain", "cloud-endpont"],
    ] {
        let out = run(&args, &dir);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("did you mean `cloud-endpoint`?"),
            "{}",
            stderr(&out)
        );
    }
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(
        cfg.path().join(".prisma1-lint.yml"),
        "ignore: [prisma1-clii]\n",
    )
    .unwrap();
    // On a person's machine, where the repository's config is theirs (in CI
    // its values are not shown, see `config_echo`).
    let out = bin()
        .args(["check", "."])
        .current_dir(cfg.path())
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `prisma1-cli`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_output_is_dropped_and_statistics_come_as_json() {
    let dir = fixture("cloud-project");
    let text = stdout(&run(
        &[
            "check",
            "--format",
            "concise",
            "--output",
            "json",
            "--select",
            "cloud-endpoint",
            ".",
        ],
        &dir,
    ));
    assert!(
        text.contains("error[cloud-endpoint]"),
        "the concise output: {text}"
    );
    assert!(text.contains("\"findings\""), "the JSON output: {text}");
    let stats: serde_json::Value = serde_json::from_slice(
        &run(&["check", "--statistics", "--format", "json", "."], &dir).stdout,
    )
    .unwrap();
    assert_eq!(stats[0]["rule"], "prisma1-cli");
    assert_eq!(stats[0]["count"], 4);
    // -q drops the header as well as the summary.
    let quiet = stdout(&run(&["check", "-q", "."], &dir));
    assert!(!quiet.starts_with("prisma1-lint "), "{quiet}");
    assert!(!quiet.contains(" scanned in "), "{quiet}");
    // A clean run says so in one short line.
    let clean = stdout(&run(&["check", "."], &fixture("orm-project")));
    assert_eq!(clean.lines().count(), 1, "{clean}");
    assert!(clean.starts_with("No findings; "), "{clean}");
}

#[test]
fn audit_fix_and_rules_take_the_same_options() {
    let dir = scratch();
    let out = run(
        &[
            "audit",
            "--select",
            "cloud",
            "--ignore",
            "cloud-login",
            "--max-file-size",
            "1MiB",
            "--no-config",
            "-q",
            "--color",
            "never",
            "--format",
            "json",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&String> = v["repositories"][0]["findings"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert!(
        rules
            .iter()
            .all(|r| r.starts_with("cloud-") && *r != "cloud-login"),
        "{rules:?}"
    );
    std::fs::write(dir.path().join("c.yml"), "ignore: [cloud-console]\n").unwrap();
    let out = run(
        &[
            "audit",
            "--config",
            "c.yml",
            "-o",
            "audit.html",
            "--format",
            "html",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim(), "wrote audit.html: 1 repository");
    let out = run(
        &[
            "fix",
            "--diff",
            "--select",
            "prisma1-",
            "--config",
            "c.yml",
            "--max-file-size",
            "1MiB",
            "-q",
            "--color",
            "never",
            ".",
        ],
        dir.path(),
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = run(&["rules", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().is_some_and(|a| a.len() > 10));
}
