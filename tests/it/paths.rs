//! Paths as a ruff or ripgrep user expects them: printed so they open from
//! the current folder, any file or folder accepted (rooted per argument),
//! and `--exclude` / `--extend-exclude` on the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"));
    c.env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().unwrap()
}

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `path:line:col` of every concise line.
fn locations(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning[") || l.contains(": note["))
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect()
}

#[test]
fn terminal_formats_print_paths_that_open_from_the_current_folder() {
    let dir = project();
    let concise = stdout(&run(
        &["check", "--format", "concise", "examples/cloud-app"],
        &dir,
    ));
    let locs = locations(&concise);
    assert!(
        locs.contains(&"examples/cloud-app/package.json:6:16".to_string()),
        "{concise}"
    );
    for l in &locs {
        let file = l.split(':').next().unwrap();
        assert!(
            dir.join(file).is_file(),
            "{file} does not open from the cwd"
        );
    }
    let human = stdout(&run(&["check", "examples/cloud-app"], &dir));
    assert!(
        human.contains("╭─[examples/cloud-app/prisma/prisma.yml:1:11]"),
        "{human}"
    );
    let github = stdout(&run(
        &["check", "--format", "github", "examples/cloud-app"],
        &dir,
    ));
    assert!(
        github.contains("file=examples/cloud-app/package.json,"),
        "{github}"
    );
    // `fix` names places the same way.
    let fix = run(&["fix", "--diff", "--unsafe", "examples/cloud-app"], &dir);
    let said = String::from_utf8_lossy(&fix.stderr);
    assert!(
        said.contains("  examples/cloud-app/.github/workflows/deploy.yml:11:14 cloud-login"),
        "{said}"
    );
    // JSON keeps repository-relative paths, with the root in its header.
    let json: serde_json::Value = serde_json::from_slice(
        &run(&["check", "--format", "json", "examples/cloud-app"], &dir).stdout,
    )
    .unwrap();
    assert_eq!(json["root"], "examples/cloud-app");
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"package.json"), "{paths:?}");
}

#[test]
fn a_file_outside_the_current_folder_is_scanned_from_its_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("app");
    std::fs::create_dir_all(repo.join("prisma")).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(
        repo.join("prisma/prisma.yml"),
        "endpoint: https://eu1.prisma.sh/w/s/dev\n",
    )
    .unwrap();
    let other = outer.path().join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let out = run(
        &["check", "--format", "concise", "../app/prisma/prisma.yml"],
        &other,
    );
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        locations(&text),
        vec!["../app/prisma/prisma.yml:1:11"],
        "{text}"
    );
    // JSON: relative to the repository found, which the header names.
    let v: serde_json::Value = serde_json::from_slice(
        &run(
            &["check", "--format", "json", "../app/prisma/prisma.yml"],
            &other,
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(v["root"], "../app");
    assert_eq!(v["findings"][0]["path"], "prisma/prisma.yml");

    // Two repositories in one run: one report, every path opening from here.
    let second = outer.path().join("api");
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(second.join("x.js"), "u = 'https://us1.prisma.sh/w/t/dev'\n").unwrap();
    let text = stdout(&run(
        &[
            "check",
            "--format",
            "concise",
            "../app/prisma/prisma.yml",
            "../api/x.js",
        ],
        &other,
    ));
    assert_eq!(
        locations(&text),
        vec!["../api/x.js:1:6", "../app/prisma/prisma.yml:1:11"],
        "{text}"
    );
}

#[test]
fn exclude_and_extend_exclude_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for (f, t) in [
        ("a/x.yml", "endpoint: https://eu1.prisma.sh/w/a/dev\n"),
        ("b/y.yml", "endpoint: https://eu1.prisma.sh/w/b/dev\n"),
        ("c/z.yml", "endpoint: https://eu1.prisma.sh/w/c/dev\n"),
        (".prisma1-lint.yml", "exclude: ['a/**']\n"),
    ] {
        std::fs::create_dir_all(dir.path().join(f).parent().unwrap()).unwrap();
        std::fs::write(dir.path().join(f), t).unwrap();
    }
    let files = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "--format", "concise"];
        a.extend_from_slice(args);
        locations(&stdout(&run(&a, dir.path())))
            .into_iter()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(&[]), vec!["b/y.yml", "c/z.yml"]);
    // --exclude replaces the config's list; --extend-exclude adds to it.
    assert_eq!(files(&["--exclude", "b/**"]), vec!["a/x.yml", "c/z.yml"]);
    assert_eq!(files(&["--extend-exclude", "b/**"]), vec!["c/z.yml"]);
    assert_eq!(
        files(&["--exclude", "b/**", "--extend-exclude", "c/**"]),
        vec!["a/x.yml"]
    );
    let out = run(&["check", "--exclude", "a/[", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
}
