//! `check FILE...` reads the given files and only what it can find from
//! them (see `prisma1_lint::given`). Two invariants over every file and
//! folder of every fixture repository, listed from the git index (the
//! checkout is a git work tree) and by a walk (a copy outside git):
//! (a) it judges exactly as a full scan of a copy holding only the files it
//!     read; (b) where every file with facts (commands, endpoints, ...) is
//!     among those, it has exactly the full scan's findings.

use prisma1_lint::app;
use prisma1_lint::config::Config;
use prisma1_lint::finding::Finding;
use prisma1_lint::rules::RuleSet;
use prisma1_lint::scan::{ScanOptions, ScanOutput};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture repository: each folder of `tests/fixtures` holding files
/// of its own, else each folder in it (`audit/`, `commands/`, `judge/`, ...).
fn repositories() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        let has_files = std::fs::read_dir(&p)
            .unwrap()
            .any(|e| e.unwrap().path().is_file());
        if has_files {
            out.push(p);
        } else {
            for s in std::fs::read_dir(&p).unwrap() {
                out.push(s.unwrap().path());
            }
        }
    }
    out.sort();
    out
}

fn files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.push(prisma1_lint::paths::relative(root, e.path()));
        }
    }
    out.sort();
    out
}

/// Every folder holding a file, below the root.
fn folders(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = files(root)
        .iter()
        .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d.to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn scan(
    set: &RuleSet,
    root: &Path,
    only: Vec<String>,
    no_ignore: bool,
) -> (ScanOutput, Vec<Finding>) {
    let cfg = Config::default();
    let active = prisma1_lint::selection::select_rules(set, &cfg, &[], &[]).unwrap();
    let opts = ScanOptions {
        root: root.to_path_buf(),
        only,
        no_ignore,
        max_file_size: app::settings::DEFAULT_MAX_FILE_SIZE,
        threads: 1,
        exclude: None,
        skip: Vec::new(),
    };
    app::analyse::analyse(set, &active, &cfg, &opts).unwrap()
}

fn findings(set: &RuleSet, root: &Path, only: Vec<String>) -> Vec<Finding> {
    scan(set, root, only, false).1
}

fn under<'a>(all: &'a [Finding], given: &str) -> Vec<&'a Finding> {
    all.iter()
        .filter(|x| prisma1_lint::paths::is_under(&x.location.path, given))
        .collect()
}

/// Findings compared under (a) and under (b), and the given paths (b) held for.
#[derive(Default)]
struct Tally {
    a: usize,
    b: usize,
    b_paths: usize,
    b_skipped: usize,
}

/// Both invariants for every file and folder of `root`, each given alone.
fn compare(set: &RuleSet, root: &Path, tally: &mut Tally) {
    let (full_out, full) = scan(set, root, Vec::new(), false);
    // Every file whose facts another file's judgement can use.
    let with_facts: Vec<&String> = full_out.facts.files.keys().collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut given: Vec<String> = files(root);
    given.extend(folders(root));
    for (i, g) in given.iter().enumerate() {
        let (out, got) = scan(set, root, vec![g.clone()], false);
        let read = out
            .read
            .unwrap_or_else(|| panic!("{} {g}: the whole walk ran", root.display()));
        // (a) A copy of exactly what was read (with the fixture's folder
        // name: a compose project is named after it), scanned whole and
        // with no ignore file (an env file git tracks though ignored was read).
        let copy = tmp
            .path()
            .join(i.to_string())
            .join(root.file_name().unwrap());
        std::fs::create_dir_all(&copy).unwrap();
        for f in &read {
            let to = copy.join(f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(root.join(f), to).unwrap();
        }
        let same_evidence = scan(set, &copy, Vec::new(), true).1;
        let want = under(&same_evidence, g);
        assert_eq!(
            got.iter().collect::<Vec<_>>(),
            want,
            "(a) {} {g}, read {read:?}",
            root.display()
        );
        tally.a += want.len();
        // (b) Nothing with facts was left unread: the full scan's findings.
        if with_facts.iter().all(|f| read.binary_search(f).is_ok()) {
            let want = under(&full, g);
            assert_eq!(
                got.iter().collect::<Vec<_>>(),
                want,
                "(b) {} {g}, read {read:?}",
                root.display()
            );
            tally.b += want.len();
            tally.b_paths += 1;
        } else {
            tally.b_skipped += 1;
        }
    }
}

fn check_tally(t: &Tally) {
    // The fixtures have findings, and most given paths meet (b)'s
    // condition: neither comparison is vacuous.
    assert!(t.a > 100, "(a) compared {} findings", t.a);
    assert!(t.b > 100, "(b) compared {} findings", t.b);
    assert!(
        t.b_paths > t.b_skipped,
        "(b) held for {} paths, not for {}",
        t.b_paths,
        t.b_skipped
    );
}

#[test]
fn given_paths_judge_as_a_full_scan_of_what_they_read() {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let mut tally = Tally::default();
    for r in repositories() {
        compare(&set, &r, &mut tally);
    }
    eprintln!(
        "(a) {} (b) {} over {} paths, {} not",
        tally.a, tally.b, tally.b_paths, tally.b_skipped
    );
    check_tally(&tally);
}

#[test]
fn given_paths_outside_git_judge_as_a_full_scan_of_what_they_read() {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut tally = Tally::default();
    for (i, r) in repositories().iter().enumerate() {
        let copy = tmp.path().join(i.to_string()).join(r.file_name().unwrap());
        for f in files(r) {
            let to = copy.join(&f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(r.join(&f), to).unwrap();
        }
        compare(&set, &copy, &mut tally);
    }
    check_tally(&tally);
}

#[test]
fn a_command_in_a_given_file_sees_the_package_of_its_folder() {
    // A workflow step runs `prisma generate` in `api/`: whether that is the
    // Prisma 1 CLI is in api/package.json, neither given nor above the workflow.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let w = |p: &str, t: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    w(
        "api/package.json",
        r#"{"name":"api","devDependencies":{"prisma":"1.34.10"}}"#,
    );
    w(
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma generate\n        working-directory: api\n",
    );
    w("src/a.ts", "export const a = 1\n");
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let full = findings(&set, root, Vec::new());
    let given = [".github/workflows/deploy.yml", "src/a.ts"];
    let want: Vec<&Finding> = full
        .iter()
        .filter(|f| given.contains(&f.location.path.as_ref()))
        .collect();
    assert!(!want.is_empty(), "the workflow has findings: {full:?}");
    let got = findings(&set, root, given.iter().map(|s| s.to_string()).collect());
    assert_eq!(got.iter().collect::<Vec<_>>(), want);
}

#[cfg(unix)]
#[test]
fn a_linked_folder_is_not_followed_for_facts() {
    // `api` links to a folder outside the repository: its package.json is
    // not the repository's, and the walk would not enter it either.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("package.json"),
        r#"{"devDependencies":{"prisma":"1.34.10"}}"#,
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::os::unix::fs::symlink(outside.path(), root.join("api")).unwrap();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(
        root.join(".github/workflows/ci.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx prisma generate\n        working-directory: api\n",
    )
    .unwrap();
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let full = findings(&set, root, Vec::new());
    let got = findings(&set, root, vec![".github/workflows/ci.yml".into()]);
    assert_eq!(got, full);
    assert!(got.iter().all(|f| f.rule != "prisma1-cli"), "{got:?}");
}

fn judged(all: &[Finding]) -> Vec<String> {
    all.iter()
        .filter(|f| f.rule == "missing-management-secret")
        .map(|f| format!("{}:{}", f.location.path, f.location.line))
        .collect()
}

/// The hook's contract, both ways: a caller in a sibling folder (which
/// passes the secret) is seen by the full scan only, so the hook reports
/// what the full scan does not; a caller in a CI config above the given
/// file is seen by both.
#[test]
fn a_caller_in_a_sibling_folder_is_seen_by_the_full_scan_only() {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let given = || vec!["api/package.json".to_string()];
    let root = fixtures().join("hook/sibling-caller");
    assert!(judged(&findings(&set, &root, Vec::new())).is_empty());
    let (out, hook) = scan(&set, &root, given(), false);
    assert_eq!(judged(&hook), ["api/package.json:3"]);
    let read = out.read.unwrap();
    assert!(!read.iter().any(|f| f.starts_with("ops/")), "{read:?}");

    let root = fixtures().join("hook/ancestor-caller");
    assert!(judged(&findings(&set, &root, Vec::new())).is_empty());
    let (out, hook) = scan(&set, &root, given(), false);
    assert!(judged(&hook).is_empty(), "{hook:?}");
    let read = out.read.unwrap();
    assert!(
        read.contains(&".github/workflows/deploy.yml".to_string()),
        "{read:?}"
    );
}

/// A large repository is not listed: beside the given files, only the
/// files of their folders and the folders above them (and what those name)
/// are read, never a file of the many unrelated packages, inside git (an
/// ignored env file git tracks is asked of git by path) and outside.
#[test]
fn unrelated_folders_are_not_read() {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    for in_git in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let w = |p: &str, t: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        let package =
            r#"{"scripts":{"migrate":"prisma1 deploy"},"devDependencies":{"prisma1":"1.34.12"}}"#;
        for i in 0..150 {
            let d = format!("packages/p{i}");
            w(&format!("{d}/package.json"), package);
            w(&format!("{d}/Makefile"), "deploy:\n\tnpm run migrate\n");
            w(&format!("{d}/deploy.sh"), "#!/bin/sh\nnpx prisma1 deploy\n");
            w(&format!("{d}/.env"), "PRISMA_MANAGEMENT_API_SECRET=x\n");
            w(
                &format!("{d}/prisma.yml"),
                "endpoint: https://eu1.prisma.sh/a/b/dev\n",
            );
            w(&format!("{d}/README.md"), "Run `npx prisma1 deploy`.\n");
            w(
                &format!("{d}/k8s/job.yaml"),
                "apiVersion: batch/v1\nkind: Job\n",
            );
            w(
                &format!("{d}/src/index.ts"),
                "import { Prisma } from 'prisma-binding'\n",
            );
        }
        w(".gitignore", ".env\n");
        w("package.json", r#"{"private":true}"#);
        w(".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run migrate\n        working-directory: apps/api\n");
        w("apps/api/package.json", package);
        w(
            "apps/api/.env",
            "PRISMA_ENDPOINT=https://eu1.prisma.sh/a/b/dev\n",
        );
        w("apps/api/prisma.yml", "endpoint: ${env:PRISMA_ENDPOINT}\n");
        w(
            "apps/api/src/db.ts",
            "import { Prisma } from 'prisma-binding'\n",
        );
        let git = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .current_dir(root)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "git {args:?}");
        };
        if in_git {
            git(&["init", "-q"]);
            git(&["add", "-A"]);
            // Tracked though ignored: in every checkout, read by the CLI.
            git(&["add", "-f", "apps/api/.env", "packages/p7/.env"]);
        }
        let given = vec![
            "apps/api/src/db.ts".to_string(),
            "apps/api/package.json".to_string(),
        ];
        let (out, _) = scan(&set, root, given, false);
        let read = out.read.unwrap();
        assert!(read.iter().all(|f| !f.starts_with("packages/")), "{read:?}");
        assert!(
            read.contains(&".github/workflows/ci.yml".to_string()),
            "{read:?}"
        );
        assert!(
            read.contains(&"apps/api/prisma.yml".to_string()),
            "{read:?}"
        );
        assert_eq!(
            read.contains(&"apps/api/.env".to_string()),
            in_git,
            "{read:?}"
        );
        assert!(read.len() <= 8, "{read:?}");
    }
}
