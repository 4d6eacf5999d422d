//! `check FILE...` reads only what the given files depend on; its findings
//! must be exactly a full scan's findings in those files. Compared on every
//! file of every fixture repository, listed from the git index (when the
//! checkout is a git work tree) and by a walk (a copy outside git).

use prisma1_lint::app;
use prisma1_lint::config::Config;
use prisma1_lint::finding::Finding;
use prisma1_lint::rules::RuleSet;
use prisma1_lint::scan::ScanOptions;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture repository: the folders holding a package.json, prisma.yml
/// or CI config at their top, and the repositories of `audit/` and `commands/`.
fn repositories() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        if ["audit", "commands"].iter().any(|n| p.ends_with(n)) {
            for s in std::fs::read_dir(&p).unwrap() {
                out.push(s.unwrap().path());
            }
        } else {
            out.push(p);
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

fn findings(set: &RuleSet, root: &Path, only: Vec<String>) -> Vec<Finding> {
    let cfg = Config::default();
    let active = prisma1_lint::selection::select_rules(set, &cfg, &[], &[]).unwrap();
    let opts = ScanOptions {
        root: root.to_path_buf(),
        only,
        no_ignore: false,
        max_file_size: app::settings::DEFAULT_MAX_FILE_SIZE,
        threads: 1,
        exclude: None,
        skip: Vec::new(),
    };
    app::analyse::analyse(set, &active, &cfg, &opts).unwrap().1
}

fn compare(root: &Path) -> usize {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let full = findings(&set, root, Vec::new());
    let mut compared = 0;
    for f in files(root) {
        let want: Vec<&Finding> = full.iter().filter(|x| x.location.path == f).collect();
        let got = findings(&set, root, vec![f.clone()]);
        let got: Vec<&Finding> = got.iter().collect();
        assert_eq!(got, want, "{} {f}", root.display());
        compared += want.len();
    }
    compared
}

#[test]
fn given_files_have_the_findings_of_a_full_scan() {
    let compared: usize = repositories().iter().map(|r| compare(r)).sum();
    // The fixtures have findings: the comparison is not vacuous.
    assert!(compared > 20, "{compared}");
}

#[test]
fn given_files_outside_git_have_the_findings_of_a_full_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for (i, r) in repositories().iter().enumerate() {
        let copy = tmp.path().join(i.to_string());
        for f in files(r) {
            let to = copy.join(&f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(r.join(&f), to).unwrap();
        }
        compared += compare(&copy);
    }
    assert!(compared > 20, "{compared}");
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
        .filter(|f| given.contains(&f.location.path.as_str()))
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

/// Every folder of a repository, given alone (`check FOLDER`), has the
/// findings of a full scan under it: the folder is walked and only what its
/// files depend on is read besides.
#[test]
fn given_folders_have_the_findings_of_a_full_scan() {
    let set = app::settings::load_rules(&Config::default(), &[]).unwrap();
    let mut compared = 0;
    for root in repositories() {
        let full = findings(&set, &root, Vec::new());
        let mut folders: Vec<String> = files(&root)
            .iter()
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d.to_string()))
            .collect();
        folders.sort();
        folders.dedup();
        for d in folders {
            let under = |p: &str| {
                p.strip_prefix(d.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            };
            let want: Vec<&Finding> = full.iter().filter(|x| under(&x.location.path)).collect();
            let got = findings(&set, &root, vec![d.clone()]);
            assert_eq!(
                got.iter().collect::<Vec<_>>(),
                want,
                "{} {d}",
                root.display()
            );
            compared += want.len();
        }
    }
    assert!(compared > 20, "{compared}");
}
