//! What the findings say: one-line headlines with their evidence in notes,
//! fixable markers and counts, where the errors are, `explain` examples, the
//! audit's details, and README claims that must stay true.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

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
fn judgement_headlines_are_one_short_line_and_the_evidence_is_notes() {
    let dir = fixture("self-hosted");
    let concise = stdout(&run(
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "missing-management-secret",
            ".",
        ],
        &dir,
    ));
    let lines: Vec<&str> = concise
        .lines()
        .filter(|l| l.contains("[missing-management-secret]"))
        .collect();
    assert!(!lines.is_empty(), "{concise}");
    for l in &lines {
        assert!(
            l.chars().count() < 260,
            "a headline of {} chars: {l}",
            l.chars().count()
        );
        assert!(!l.contains("checked, in order"), "{l}");
    }
    let human = stdout(&run(
        &["check", "--select", "missing-management-secret", "."],
        &dir,
    ));
    assert!(
        human.contains("  = note: checked (1) command `prisma deploy` uses the management API"),
        "{human}"
    );
    let v: serde_json::Value = serde_json::from_slice(
        &run(
            &[
                "check",
                "--format",
                "json",
                "--select",
                "missing-management-secret",
                ".",
            ],
            &dir,
        )
        .stdout,
    )
    .unwrap();
    let notes = v["findings"][0]["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("checked (1)")),
        "{notes:?}"
    );
    let sarif: serde_json::Value = serde_json::from_slice(
        &run(
            &[
                "check",
                "--format",
                "sarif",
                "--select",
                "missing-management-secret",
                ".",
            ],
            &dir,
        )
        .stdout,
    )
    .unwrap();
    let props = &sarif["runs"][0]["results"][0]["properties"];
    assert!(
        props["notes"].as_array().is_some_and(|n| !n.is_empty()),
        "{props}"
    );
}

#[test]
fn fixable_findings_are_marked_and_counted_and_fix_counts_by_level() {
    let dir = fixture("self-hosted");
    let text = stdout(&run(&["check", "--format", "concise", "."], &dir));
    assert!(
        text.contains("warning[misnamed-management-secret] [*] PRISMA_MANAGEMENT_SECRET"),
        "{text}"
    );
    assert!(
        text.contains("[*] 1 fixable with `prisma1-lint fix` (1 more with `--unsafe`)"),
        "{text}"
    );
    let human = stdout(&run(&["check", "."], &dir));
    assert!(
        human.contains("[*] 1 fixable with `prisma1-lint fix`"),
        "{human}"
    );
    let out = run(&["fix", "--diff", "."], &dir);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(!summary.contains("errors or warnings"), "{summary}");
    assert!(
        regex::Regex::new(r"Remaining: \d+ errors?, \d+ warnings?")
            .unwrap()
            .is_match(&summary),
        "{summary}"
    );
}

#[test]
fn the_summary_names_where_the_errors_are() {
    let dir = repo(&[
        ("a.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n"),
        ("b/c.yml", "endpoint: https://eu1.prisma.sh/d/e/f\n"),
        ("d.yml", "endpoint: https://us1.prisma.sh/g/h/i\n"),
        ("e.yml", "endpoint: https://us1.prisma.sh/j/k/l\n"),
    ]);
    for format in ["human", "concise"] {
        let text = stdout(&run(
            &[
                "check",
                "--format",
                format,
                "--select",
                "cloud-endpoint",
                ".",
            ],
            dir.path(),
        ));
        let last = text.lines().last().unwrap();
        assert!(
            last.starts_with("4 errors (a.yml:1, b/c.yml:1, d.yml:1 and 1 more), 0 warnings"),
            "{format}: {last}"
        );
    }
}

#[test]
fn explain_shows_an_example_and_what_to_use_instead() {
    let text = stdout(&run(&["explain", "cloud-endpoint"], &fixture("")));
    let example = text
        .split("Example (")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let instead = text
        .split("Use instead (")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        example.contains("eu1.prisma.sh") || example.contains("us1.prisma.sh"),
        "{text}"
    );
    let first = instead.lines().nth(1).unwrap();
    assert!(!first.contains(".prisma.sh/"), "{text}");
}

#[test]
fn audit_details_read_right() {
    let dir = repo(&[
        (
            "prisma.yml",
            "endpoint: __PRISMA_ENDPOINT__\ndatamodel: datamodel.prisma\n",
        ),
        ("datamodel.prisma", "type User { id: ID! @id }\n"),
        (
            "package.json",
            r#"{"dependencies": {"prisma-binding": "2.3.16"}, "devDependencies": {"prisma-binding": "2.3.16", "prisma1": "1.34.10"}, "scripts": {"deploy": "prisma1 deploy"}}"#,
        ),
    ]);
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["audit", "--format", "json", "."], dir.path()).stdout)
            .unwrap();
    let r = &v["repositories"][0];
    assert!(
        r["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"] != "?"),
        "a placeholder is not a service: {}",
        r["services"]
    );
    let packages: Vec<&str> = r["code"]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    let mut unique = packages.clone();
    unique.dedup();
    assert_eq!(packages, unique, "a package listed twice");
    // Evidence code spans render in HTML.
    let html = stdout(&run(
        &["audit", "--format", "html", "."],
        &fixture("cloud-project"),
    ));
    let evidence = html
        .split("<p>Evidence:</p>")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        evidence.contains("<code>prisma1 login</code>") || !evidence.contains('`'),
        "{evidence}"
    );
    // --each-subdir over one project warns.
    let out = run(&["audit", "--each-subdir", "."], &fixture("cloud-project"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("looks like one repository"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn readme_claims_hold() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for false_claim in [
        "the first run takes a minute or two",
        "findings are sorted by path, line, column and rule, and",
        "Hidden files and folders that matter are scanned",
        "so a URL or a path is never cut;",
        "on a narrow terminal the terminal cuts them",
        "interface: they do not change",
    ] {
        assert!(
            !readme.contains(false_claim),
            "README still says: {false_claim}"
        );
    }
    // "Hidden files and folders are scanned like any others".
    let dir = repo(&[(".deploy/x.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n")]);
    let text = stdout(&run(&["check", "--format", "concise", "."], dir.path()));
    assert!(text.contains(".deploy/x.yml:1:11"), "{text}");
}

/// The error output of `check --config FILE .` in a folder holding `text`
/// as FILE, with `ci` saying whether the run is in CI.
fn config_error(text: &str, ci: bool) -> String {
    let dir = repo(&[("my.yml", text)]);
    let mut c = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"));
    c.env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS");
    if ci {
        c.env("CI", "true");
    }
    let out = c
        .args(["check", "--config", "my.yml", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The column (in chars) where the underline under the frame's source line starts.
fn underline_start(err: &str, source: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| l.contains(source))?;
    let under: Vec<char> = lines.get(at + 1)?.chars().collect();
    let start = under.iter().position(|c| *c == '─' || *c == '┬')?;
    let line = lines[at];
    let byte = line.find(source.split(": ").last()?)?;
    Some((start, line[..byte].chars().count()))
}

#[test]
fn the_users_own_config_errors_show_the_line_underline_the_value_and_suggest() {
    let err = config_error("select: [cloud-endpoint]\nfail-on: eror\n", false);
    assert!(err.contains("2 │ fail-on: eror"), "{err}");
    let (under, value) = underline_start(&err, "fail-on: eror").unwrap();
    assert_eq!(under, value, "the underline is on the value: {err}");
    assert!(err.contains("did you mean `error`?"), "{err}");
    let err = config_error("selct: [cloud-endpoint]\n", false);
    assert!(err.contains("did you mean `select`?"), "{err}");
    // An unclosed bracket: the line that opens it.
    let err = config_error(
        "select: [cloud-endpoint,\n  prisma1-cli\nignore: []\n",
        false,
    );
    assert!(err.contains("my.yml:1:9]"), "{err}");
    assert!(err.contains("never closed"), "{err}");
    // In CI the file's text stays out of the log: only the key.
    let err = config_error("select: [cloud-endpoint]\nfail-on: eror\n", true);
    assert!(
        !err.contains("│ fail-on: eror") && !err.contains("cloud-endpoint]"),
        "{err}"
    );
}

#[test]
fn fix_drops_advice_it_has_just_followed() {
    let dir = repo(&[
        ("prisma.yml", "endpoint: https://prisma.example.com/shop/prod\ndatamodel: datamodel.prisma\n"),
        (
            ".github/workflows/deploy.yml",
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma1 login --key \"$PRISMA_CLOUD_KEY\"\n        env:\n          PRISMA_CLOUD_KEY: ${{ secrets.PRISMA_CLOUD_KEY }}\n      - name: Deploy\n        run: npx prisma1 deploy\n",
        ),
    ]);
    let text = stdout(&run(&["fix", "--unsafe", "."], dir.path()));
    assert!(
        text.contains("missing-management-secret: Give the command"),
        "{text}"
    );
    assert!(
        !text.contains("give every Prisma 1 command of this pipeline"),
        "the secret was just given: {text}"
    );
    assert!(text.contains("delete the session-key secret"), "{text}");
}

#[test]
fn audit_used_from_lines_are_the_lines_check_reports() {
    let dir = repo(&[
        (
            "prisma.yml",
            "endpoint: https://prisma.example.com/shop/prod\ndatamodel: d.prisma\n",
        ),
        (
            "deploy.sh",
            "#!/bin/sh\nPRISMA_MANAGEMENT_API_SECRET=x \\\n  npx prisma1 deploy\n",
        ),
    ]);
    let check = stdout(&run(
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "prisma1-cli",
            ".",
        ],
        dir.path(),
    ));
    assert!(check.starts_with("deploy.sh:3:"), "{check}");
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["audit", "--format", "json", "."], dir.path()).stdout)
            .unwrap();
    let used = &v["repositories"][0]["services"][0]["used_from"][0];
    assert_eq!(used["line"], 3, "{used}");
}
