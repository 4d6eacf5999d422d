//! What a user sees in a terminal: snapshots of the human and concise output
//! of every fixture repository, and one test per thing that once read badly
//! (labels, underlines on redacted lines, repeated help, widths, errors,
//! baselines, our own saved reports).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"));
    c.env("NO_COLOR", "1").env_remove("COLUMNS");
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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The timing at the end of the summary line is the only varying text.
fn normalise(text: &str) -> String {
    let re = regex::Regex::new(r" in [0-9]+\.[0-9]{2}s$").unwrap();
    text.lines()
        .map(|l| re.replace(l, " in <time>").into_owned())
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

const FIXTURES: &[&str] = &[
    "cloud-project",
    "self-hosted",
    "orm-project",
    "monorepo",
    "commands/azure",
    "commands/bitbucket",
    "commands/circleci",
    "commands/github",
    "commands/gitlab",
    "commands/jenkins",
    "commands/platforms",
    "commands/travis",
    "audit/custom-with-secret",
    "audit/local-docker",
    "audit/unresolved",
];

#[test]
fn human_output_of_every_fixture() {
    for name in FIXTURES {
        let out = run(&["check", "--color", "never", "."], &fixture(name));
        let snap = format!("human__{}", name.replace('/', "__"));
        insta::assert_snapshot!(snap, normalise(&stdout(&out)));
    }
}

#[test]
fn concise_output_of_every_fixture() {
    for name in FIXTURES {
        let out = run(&["check", "--format", "concise", "."], &fixture(name));
        let snap = format!("concise__{}", name.replace('/', "__"));
        insta::assert_snapshot!(snap, normalise(&stdout(&out)));
    }
}

#[test]
fn labels_name_what_was_found() {
    let dir = repo(&[
        (
            "prisma.yml",
            "endpoint: https://eu1.prisma.sh/jane/shop/dev\n",
        ),
        (
            "package.json",
            r#"{"scripts": {"deploy": "prisma1 deploy"}, "devDependencies": {"prisma1": "1.34.10"}}"#,
        ),
    ]);
    let text = stdout(&run(&["check", "."], dir.path()));
    for label in [
        "╰── Prisma 1 Cloud endpoint (eu1.prisma.sh, workspace jane)",
        "╰── Prisma 1 CLI call",
        "╰── Prisma 1 package",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
    for bare in ["╰── error\n", "╰── warning\n", "╰── note\n"] {
        assert!(
            !text.contains(bare),
            "a label that only repeats the level:\n{text}"
        );
    }
    let dir = repo(&[
        (
            "prisma.yml",
            "endpoint: https://prisma.example.com/shop/dev\n",
        ),
        ("deploy.sh", "cd . && prisma1 deploy\n"),
    ]);
    let text = stdout(&run(&["check", "."], dir.path()));
    assert!(
        text.contains("╰── deploy without PRISMA_MANAGEMENT_API_SECRET"),
        "{text}"
    );
}

#[test]
fn a_label_placeholder_no_matcher_offers_is_a_rule_error() {
    let dir = repo(&[(
        "rules/my-rule.yml",
        "id: my-rule\ntitle: Mine\nseverity: note\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: m\nlabel: \"found {nothing}\"\nmatch:\n  - regex:\n      pattern: 'x(?P<word>y)'\nexamples:\n  match:\n    - {file: a.txt, text: xy}\n  no-match:\n    - {file: a.txt, text: z}\n",
    )]);
    let out = run(&["check", "--rules", "rules", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("label placeholder `nothing`"), "{err}");
    assert!(
        err.contains("word"),
        "the message lists what is offered: {err}"
    );
}

#[test]
fn rule_file_errors_name_the_key_and_underline_it() {
    let dir = repo(&[(
        "rules/my-rule.yml",
        "id: my-rule\ntitle: Mine\nseverity: note\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: m\nmatch:\n  - regex:\n      pattern: 'x'\n      patern: 'y'\nexamples:\n  match:\n    - {file: a.txt, text: x}\n  no-match:\n    - {file: a.txt, text: z}\n",
    )]);
    let out = run(&["check", "--rules", "rules", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown key `patern`"), "{err}");
    assert!(err.contains("(in `match[0].regex`)"), "{err}");
    assert!(!err.contains("field"), "serde's word: {err}");
    assert!(err.contains("my-rule.yml:13:7"), "points at the key: {err}");
    let out = run(&["check", "--baseline", "missing.json", "."], dir.path());
    let err = stderr(&out);
    assert!(err.contains("missing.json: no such file"), "{err}");
}

/// The text under the `─┬─` underline of the first frame, as columns.
fn underline(text: &str) -> (usize, usize) {
    let line = text
        .lines()
        .find(|l| l.contains('─') && l.contains('┬'))
        .unwrap_or_else(|| panic!("no underline in:\n{text}"));
    let chars: Vec<char> = line.chars().collect();
    let start = chars.iter().position(|c| *c == '─' || *c == '┬').unwrap();
    let end = chars.iter().rposition(|c| *c == '─' || *c == '┬').unwrap() + 1;
    (start, end)
}

/// The source line shown in the first frame (same columns as the underline).
fn source_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains(" │ ") && !l.contains('╭'))
        .unwrap_or_else(|| panic!("no source line in:\n{text}"));
    line.to_string()
}

#[test]
fn underlines_stay_on_the_match_on_lines_with_redacted_secrets() {
    let dir = repo(&[(
        "docker-compose.yml",
        "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_CONFIG: |\n        port: 4466\n        managementApiSecret: hunter2hunter2\n",
    )]);
    let out = run(&["check", "--select", "hardcoded-secret", "."], dir.path());
    let text = stdout(&out);
    assert!(!text.contains("hunter2"), "a secret was printed:\n{text}");
    let line = source_line(&text);
    let (s, e) = underline(&text);
    let under: String = line.chars().skip(s).take(e - s).collect();
    assert_eq!(under, "managementApiSecret: «redacted»", "{text}");

    // A URL after an inline secret: redaction moves the text, the underline follows.
    let dir = repo(&[(
        "deploy.sh",
        "PRISMA_MANAGEMENT_API_SECRET=hunter2hunter2 curl https://eu1.prisma.sh/a/b/c\n",
    )]);
    let text = stdout(&run(
        &["check", "--select", "cloud-endpoint", "."],
        dir.path(),
    ));
    assert!(!text.contains("hunter2"), "a secret was printed:\n{text}");
    let line = source_line(&text);
    let (s, e) = underline(&text);
    let under: String = line.chars().skip(s).take(e - s).collect();
    assert_eq!(under, "https://eu1.prisma.sh/a/b/c", "{text}");

    // A value known as a secret from an env file, cut wherever it appears.
    let dir = repo(&[
        (".env", "PRISMA_MANAGEMENT_API_SECRET=hunter2hunter2\n"),
        (
            "run.sh",
            "echo hunter2hunter2 && curl https://eu1.prisma.sh/a/b/c\n",
        ),
    ]);
    let text = stdout(&run(
        &["check", "--select", "cloud-endpoint", "."],
        dir.path(),
    ));
    assert!(!text.contains("hunter2"), "a secret was printed:\n{text}");
    let line = source_line(&text);
    let (s, e) = underline(&text);
    let under: String = line.chars().skip(s).take(e - s).collect();
    assert_eq!(under, "https://eu1.prisma.sh/a/b/c", "{text}");
}

#[test]
fn a_multi_line_command_is_shown_at_its_command_words() {
    let dir = repo(&[
        ("prisma.yml", "endpoint: https://prisma.example.com/a/b\n"),
        (
            ".github/workflows/d.yml",
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo start\n          PRISMA_MANAGEMENT_API_SECRET=hunter2hunter2 \\\n            npx prisma1 deploy \\\n            --force\n",
        ),
    ]);
    let text = stdout(&run(&["check", "--select", "prisma1-cli", "."], dir.path()));
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("╭─[.github/workflows/d.yml:9:13]"), "{text}");
    let line = source_line(&text);
    assert!(line.starts_with(" 9 │"), "{text}");
    let (s, e) = underline(&text);
    let under: String = line.chars().skip(s).take(e - s).collect();
    assert_eq!(under, "npx prisma1 deploy", "{text}");
}

#[test]
fn suppression_findings_show_their_comment() {
    let dir = repo(&[(
        "src/client.js",
        "// prisma1-lint: ignore[cloud-endpoint]\nconst u = 'https://eu1.prisma.sh/w/s/dev'\n// prisma1-lint: ignore[cloud-console] gone\nconst x = 1\n",
    )]);
    let out = run(&["check", "--format", "json", "."], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    for rule in ["suppression-without-reason", "unused-suppression"] {
        let f = findings.iter().find(|f| f["rule"] == rule).unwrap();
        let snippet = f["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("// prisma1-lint: ignore["),
            "{rule}: {snippet:?}"
        );
    }
    let text = stdout(&run(&["check", "."], dir.path()));
    assert!(
        text.contains("1 │ // prisma1-lint: ignore[cloud-endpoint]"),
        "{text}"
    );
    // The suggested fix is in the file's own comment syntax.
    assert!(
        text.contains("write `// prisma1-lint: ignore[cloud-endpoint] <reason>`"),
        "{text}"
    );
}

#[test]
fn each_rule_s_help_is_printed_once() {
    let dir = repo(&[
        ("a.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n"),
        ("b.yml", "endpoint: https://eu1.prisma.sh/d/e/f\n"),
        ("c.yml", "endpoint: https://us1.prisma.sh/g/h/i\n"),
    ]);
    let text = stdout(&run(
        &["check", "--select", "cloud-endpoint", "."],
        dir.path(),
    ));
    assert_eq!(
        text.matches("help: Export the service's data").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("or `prisma1-lint explain cloud-endpoint`")
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn concise_statistics_and_the_summary_count_per_rule() {
    let dir = fixture("cloud-project");
    let text = stdout(&run(&["check", "--format", "concise", "."], &dir));
    let line =
        regex::Regex::new(r"^[^:]+:\d+:\d+: (error|warning|note)\[[a-z0-9-]+\] .+$").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The summary, then the fixable count when there is one.
    let at = lines
        .iter()
        .position(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    let (findings, summary) = (&lines[..at], lines[at]);
    assert!(!findings.is_empty());
    for l in findings {
        assert!(
            line.is_match(l),
            "not path:line:col: level[rule] message: {l}"
        );
    }
    assert!(
        summary.starts_with(
            "5 errors (.env:1, .github/workflows/deploy.yml:9, .github/workflows/deploy.yml:13 and 2 more), 7 warnings, 1 note (prisma1-cli 4, cloud-endpoint 3, cloud-login 2, "
        ),
        "{summary}"
    );
    let stats = stdout(&run(&["check", "--statistics", "."], &dir));
    assert!(stats.contains("4  warning  prisma1-cli"), "{stats}");
    assert!(stats.contains("3  error    cloud-endpoint"), "{stats}");
    assert!(
        !stats.contains("╭─["),
        "statistics replace the findings: {stats}"
    );
    let out = run(&["check", "--statistics", "--format", "sarif", "."], &dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn piped_output_never_wraps() {
    let dir = repo(&[
        (
            "prisma.yml",
            "endpoint: https://prisma.example.com/a-rather-long-service-name/production-stage\n",
        ),
        (
            "scripts/deploy-to-the-production-cluster.sh",
            "cd . && prisma1 deploy --force\n",
        ),
    ]);
    let out = bin()
        .args(["check", "."])
        .env("COLUMNS", "50")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = stdout(&out);
    let message = text
        .lines()
        .find(|l| l.contains("needs PRISMA_MANAGEMENT_API_SECRET for"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        message.contains("(confidence ") && !message.contains("checked"),
        "the headline is one line, its evidence in notes: {text}"
    );
    let note = text
        .lines()
        .find(|l| l.contains("= note: checked (2) endpoint"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(note.len() > 100, "a note is one line when piped: {text}");
}

#[test]
fn config_errors_say_what_the_file_should_hold() {
    let dir = repo(&[
        ("list.yml", "- cloud-endpoint\n- prisma1-cli\n"),
        ("typo.yml", "select: [cloud-endpoint]\nfail_onn: error\n"),
    ]);
    let out = run(&["check", "--config", "list.yml", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("expected a mapping of settings"), "{err}");
    assert!(err.contains("got a list"), "{err}");
    for internal in ["prisma1_lint::", "RawConfig", "struct", "sequence"] {
        assert!(!err.contains(internal), "{internal} in: {err}");
    }

    let err = stderr(&run(&["check", "--config", "typo.yml", "."], dir.path()));
    assert!(err.contains("unknown key `fail_onn`"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    // Only the offending token of the file is echoed (the rest is blanked).
    let at = lines
        .iter()
        .position(|l| l.contains(" │ fail_onn"))
        .unwrap();
    let (line, under) = (lines[at], lines[at + 1]);
    // Columns in characters: the frame's `│` and `·` are wider than a byte.
    let key_col = line[..line.find("fail_onn").unwrap()].chars().count();
    let under: Vec<char> = under.chars().collect();
    let is_line = |c: &char| *c == '─' || *c == '┬';
    let under_start = under.iter().position(is_line).unwrap();
    let under_end = under.iter().rposition(is_line).unwrap() + 1;
    assert_eq!(
        (under_start, under_end - under_start),
        (key_col, "fail_onn".len()),
        "only the key is underlined: {err}"
    );

    let out = run(&["check", "--config", "missing.yml", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("missing.yml") && err.contains("no such file"),
        "{err}"
    );
    assert!(!err.contains("╭"), "no empty frame: {err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn a_path_outside_the_root_says_root_fixes_it() {
    let outer = repo(&[("a/x.yml", "k: v\n"), ("b/y.yml", "k: v\n")]);
    let out = run(&["check", "--root", "a", "b/y.yml"], outer.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("outside the scan root"), "{err}");
    assert!(err.contains("--root"), "{err}");
}

#[test]
fn our_own_saved_reports_are_skipped_and_counted() {
    let dir = repo(&[(
        "prisma.yml",
        "endpoint: https://eu1.prisma.sh/jane/shop/dev\n",
    )]);
    for (format, file) in [
        ("human", "out.txt"),
        ("concise", "out.log"),
        ("json", "report.json"),
        ("sarif", "results.sarif.json.bak"),
        ("markdown", "summary.md"),
    ] {
        let out = run(&["check", "--format", format, "."], dir.path());
        std::fs::write(dir.path().join(file), &out.stdout).unwrap();
    }
    let audit = run(&["audit", "--format", "json", "."], dir.path());
    std::fs::write(dir.path().join("audit.json"), &audit.stdout).unwrap();
    let out = run(&["check", "--format", "concise", "."], dir.path());
    let text = stdout(&out);
    let findings = text
        .lines()
        .filter(|l| l.contains("[cloud-endpoint]"))
        .count();
    assert_eq!(findings, 1, "only prisma.yml is reported:\n{text}");
    assert!(
        text.contains("skipped 6 of prisma1-lint's own reports"),
        "{text}"
    );
    let out = run(&["check", "--format", "json", "."], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["skipped_reports"], 6, "{v}");
}

#[test]
fn write_baseline_confirms_and_stale_entries_are_named_and_pruned() {
    let dir = repo(&[
        ("a.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n"),
        ("b.yml", "endpoint: https://us1.prisma.sh/d/e/f\n"),
    ]);
    let out = run(&["check", "--write-baseline", "base.json", "."], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "", "no report when writing a baseline");
    assert_eq!(stderr(&out).trim(), "wrote 2 entries to base.json");

    std::fs::write(
        dir.path().join("b.yml"),
        "endpoint: http://localhost:4466\n",
    )
    .unwrap();
    let out = run(&["check", "--baseline", "base.json", "."], dir.path());
    let err = stderr(&out);
    assert!(
        err.contains("1 baseline entry no longer matches anything"),
        "{err}"
    );
    assert!(
        err.contains("cloud-endpoint in b.yml: https://us1.prisma.sh/d/e/f"),
        "stale entries are named: {err}"
    );
    assert!(stdout(&out).contains("1 stale baseline entry"));

    let out = run(
        &["check", "--baseline", "base.json", "--update-baseline", "."],
        dir.path(),
    );
    assert!(stderr(&out).contains("removed 1 stale entry from base.json"));
    let kept = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(
        kept.contains("eu1.prisma.sh/a/b/c") && !kept.contains("us1"),
        "{kept}"
    );
    let out = run(&["check", "--baseline", "base.json", "."], dir.path());
    assert!(!stderr(&out).contains("stale"), "{}", stderr(&out));
}

#[test]
fn check_help_shows_defaults_and_the_readme_lists_every_flag() {
    let help = stdout(&run(&["check", "--help"], &fixture("")));
    // Help wraps to its own width: compare with whitespace collapsed.
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for default in [
        "[default: warning",
        "[default: 4MiB",
        "[default: human]",
        "[default: the number of CPUs]",
    ] {
        assert!(
            flat.contains(default),
            "{default} missing from check --help:\n{help}"
        );
    }
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let flag = regex::Regex::new(r"(?m)^\s+(?:-[a-zA-Z], )?(--[a-z-]+)").unwrap();
    let flags: Vec<&str> = flag
        .captures_iter(&help)
        .map(|c| c.get(1).unwrap().as_str())
        .filter(|f| *f != "--help")
        .collect();
    assert!(flags.len() > 15, "{flags:?}");
    for f in flags {
        assert!(
            readme.contains(&format!("`{f}")),
            "README's options table lacks {f}"
        );
    }
}

#[test]
fn the_html_audit_renders_plan_and_checklist_markdown() {
    let out = run(
        &["audit", "--format", "html", "."],
        &fixture("cloud-project"),
    );
    let html = stdout(&out);
    assert!(
        html.contains("<code>prisma1 export -p shop-dev.zip</code>"),
        "plan code spans"
    );
    assert!(
        html.contains("<input type=\"checkbox\" disabled>"),
        "checklist boxes"
    );
    assert!(!html.contains("<li>[ ]"), "a literal [ ] in the checklist");
    assert!(!html.contains("package(s)"), "counted nouns are spelt out");
}

/// The Usage section of the README shows real output: each `$ prisma1-lint ...`
/// block there is what that command prints on the cloud-project fixture.
#[test]
fn readme_usage_examples_are_real_output() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let usage = readme
        .split("## Usage\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    let mut checked = 0;
    for block in usage.split("```text\n$ prisma1-lint ").skip(1) {
        let block = block.split("\n```").next().unwrap();
        let (command, shown) = block.split_once('\n').unwrap();
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = run(&args, &fixture("cloud-project"));
        assert_eq!(
            normalise(shown),
            normalise(stdout(&out).trim_end()),
            "README's `prisma1-lint {command}` block is out of date; paste the new output"
        );
        checked += 1;
    }
    assert!(checked >= 3, "usage examples found: {checked}");
}
