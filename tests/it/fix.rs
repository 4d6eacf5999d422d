//! `prisma1-lint fix` on fixture repositories: the change each fix makes
//! (a snapshot of the tree's diff), that `--diff` previews exactly that and
//! writes nothing, that a second run changes nothing, that edited YAML still
//! parses, that line endings, BOMs and permissions survive, and that a Prisma
//! ORM project is left byte-identical.

use prisma1_lint::fix::diff::unified;
use prisma1_lint::kind::FileKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch copy of a fixture (permissions kept), so fixing it is harmless.
fn copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&from).unwrap();
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run prisma1-lint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file of a tree, by `/`-separated relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn tree_diff(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> String {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "fix must not add or remove files (no temporary file left behind)"
    );
    before
        .iter()
        .map(|(p, old)| {
            let new = &after[p];
            let spans = |b: &[u8]| {
                let kind = FileKind::from_path(p).refine_with_content(&b[..b.len().min(8192)]);
                prisma1_lint::mask::spans(kind, b)
            };
            unified(p, (old, &spans(old)), (new, &spans(new))).masked()
        })
        .collect()
}

/// Fixes a copy of `name` with `args` and returns the copy, after checking
/// preview, idempotence and YAML; `snapshot` gets the diff and the summary.
fn fix_fixture(name: &str, args: &[&'static str]) -> (tempfile::TempDir, String) {
    let dir = copy(name);
    let before = tree(dir.path());
    let with = |extra: &[&'static str]| {
        let mut v: Vec<&str> = vec!["fix"];
        v.extend_from_slice(extra);
        v.extend_from_slice(args);
        v.push(".");
        v
    };

    let preview = run(dir.path(), &with(&["--diff"]));
    assert_eq!(
        preview.status.code(),
        Some(1),
        "--diff exits 1 when there is something to fix"
    );
    assert_eq!(tree(dir.path()), before, "--diff writes nothing");

    let applied = run(dir.path(), &with(&[]));
    assert!(
        matches!(applied.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let after = tree(dir.path());
    let diff = tree_diff(&before, &after);
    assert!(!diff.is_empty(), "the fixture has something to fix");
    assert_eq!(
        stdout(&preview),
        diff,
        "--diff previews exactly what fix does"
    );

    // A second run with the same flags: nothing left to do. An endpoint
    // already replaced matches nothing, which `--replace-endpoint` refuses.
    let replaced = args.iter().any(|a| a.starts_with("--replace-endpoint"));
    let again = run(dir.path(), &with(&[]));
    if replaced {
        assert_eq!(again.status.code(), Some(2));
    } else {
        assert!(
            stdout(&again).starts_with("Nothing to fix."),
            "{}",
            stdout(&again)
        );
    }
    assert_eq!(tree(dir.path()), after, "a second fix changes nothing");
    let clean = run(dir.path(), &with(&["--diff"]));
    assert_eq!(clean.status.code(), Some(if replaced { 2 } else { 0 }));
    assert_eq!(stdout(&clean), "");

    for (path, bytes) in &after {
        if (path.ends_with(".yml") || path.ends_with(".yaml")) && before[path] != *bytes {
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(
                prisma1_lint::yaml::parse(&text).is_ok(),
                "{path} no longer parses:\n{text}"
            );
        }
    }
    let snapshot = format!("{diff}\n==== summary\n{}", stdout(&applied));
    (dir, snapshot)
}

fn check_json(dir: &Path, rule: &str) -> Vec<serde_json::Value> {
    let out = run(dir, &["check", "--format", "json", "--select", rule, "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

#[test]
fn rename_misnamed_secret_everywhere_at_once() {
    let (dir, snap) = fix_fixture("fix/rename", &[]);
    insta::assert_snapshot!("rename", snap);
    assert!(check_json(dir.path(), "misnamed-management-secret").is_empty());
}

#[test]
fn pin_global_install_to_the_projects_version() {
    let (_dir, snap) = fix_fixture("fix/pin", &[]);
    insta::assert_snapshot!("pin", snap);
}

#[test]
fn add_the_secret_in_every_ci_system_and_the_rescan_agrees() {
    let dir = copy("fix/ci-secret");
    let safe = run(dir.path(), &["fix", "--diff", "."]);
    assert_eq!(safe.status.code(), Some(0), "these fixes are unsafe only");
    let (dir, snap) = fix_fixture("fix/ci-secret", &["--unsafe"]);
    insta::assert_snapshot!("ci_secret", snap);
    assert_eq!(
        check_json(dir.path(), "missing-management-secret"),
        Vec::<serde_json::Value>::new()
    );
}

#[test]
fn remove_cloud_login_and_its_session_key() {
    let (dir, snap) = fix_fixture("fix/login", &["--unsafe"]);
    insta::assert_snapshot!("login", snap);
    let left: Vec<String> = check_json(dir.path(), "cloud-login")
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, Vec::<String>::new());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("scripts/deploy.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "an executable script stays executable");
    }
}

#[test]
fn replace_endpoint_rewrites_every_copy_and_only_that_service() {
    let arg = "--replace-endpoint=https://eu1.prisma.sh/jane-doe/shop/dev=https://prisma.example.com/shop/dev";
    let (dir, snap) = fix_fixture("fix/endpoint", &[arg]);
    insta::assert_snapshot!("endpoint", snap);
    let left: Vec<String> = check_json(dir.path(), "cloud-endpoint")
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("service admin"), "{left:?}");
}

#[test]
fn replace_endpoint_refuses_an_endpoint_that_is_not_there() {
    let dir = copy("fix/endpoint");
    let before = tree(dir.path());
    let out = run(
        dir.path(),
        &[
            "fix",
            "--replace-endpoint",
            "https://eu1.prisma.sh/jane-doe/other/dev=https://prisma.example.com/x/y",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--replace-endpoint") && err.contains("nothing"),
        "{err}"
    );
    let bad = run(
        dir.path(),
        &[
            "fix",
            "--replace-endpoint",
            "https://example.com/a=https://b.org",
            ".",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn prisma_orm_project_is_left_byte_identical() {
    let dir = copy("orm-project");
    let before = tree(dir.path());
    let preview = run(dir.path(), &["fix", "--diff", "--unsafe", "."]);
    assert_eq!(preview.status.code(), Some(0));
    assert_eq!(stdout(&preview), "");
    let out = run(dir.path(), &["fix", "--unsafe", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn select_and_ignore_choose_the_fixes() {
    let dir = copy("fix/pin");
    let before = tree(dir.path());
    let out = run(dir.path(), &["fix", "--ignore", "unpinned-global-cli", "."]);
    assert!(stdout(&out).starts_with("Nothing to fix."));
    assert_eq!(tree(dir.path()), before);
    let out = run(
        dir.path(),
        &["fix", "--select", "unpinned-global-cli", "Dockerfile"],
    );
    assert!(stdout(&out).contains("Fixed 1 finding"), "{}", stdout(&out));
    let after = tree(dir.path());
    assert_ne!(after["Dockerfile"], before["Dockerfile"]);
    assert_eq!(
        after[".circleci/config.yml"],
        before[".circleci/config.yml"]
    );
}

#[test]
fn crlf_and_bom_survive_the_edits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(
        root.join("prisma.yml"),
        "endpoint: https://prisma.example.com/shop/prod\r\ndatamodel: datamodel.prisma\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join("datamodel.prisma"),
        "type A {\r\n  id: ID! @id\r\n}\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join("package.json"),
        "{\"devDependencies\": {\"prisma1\": \"1.34.12\"}}\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".env"),
        "\u{feff}PRISMA_ENDPOINT=https://prisma.example.com/shop/prod\r\nPRISMA_MANAGEMENT_SECRET=s3cr3t\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".github/workflows/deploy.yml"),
        "on: push\r\njobs:\r\n  deploy:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: npx prisma1 deploy\r\n",
    )
    .unwrap();
    let out = run(root, &["fix", "--unsafe", "."]);
    assert!(stdout(&out).contains("Fixed"), "{}", stdout(&out));
    let env = std::fs::read_to_string(root.join(".env")).unwrap();
    assert_eq!(
        env,
        "\u{feff}PRISMA_ENDPOINT=https://prisma.example.com/shop/prod\r\nPRISMA_MANAGEMENT_API_SECRET=s3cr3t\r\n"
    );
    let wf = std::fs::read_to_string(root.join(".github/workflows/deploy.yml")).unwrap();
    assert!(wf.contains("        env:\r\n          PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.PRISMA_MANAGEMENT_API_SECRET }}\r\n"), "{wf:?}");
    assert_eq!(
        wf.matches('\n').count(),
        wf.matches("\r\n").count(),
        "{wf:?}"
    );
    assert!(!stdout(&out).contains("s3cr3t"), "no secret in the summary");
}

#[test]
fn never_follows_a_symlink_out_of_the_root() {
    #[cfg(unix)]
    {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let secret = "PRISMA_MANAGEMENT_SECRET=keep\n";
        std::fs::write(outer.path().join("shared.env"), secret).unwrap();
        std::os::unix::fs::symlink(outer.path().join("shared.env"), root.join(".env")).unwrap();
        std::fs::write(root.join("compose.env"), "PRISMA_MANAGEMENT_SECRET=x\n").unwrap();
        let out = run(&root, &["fix", "--unsafe", "."]);
        assert!(out.status.code().is_some());
        assert_eq!(
            std::fs::read_to_string(outer.path().join("shared.env")).unwrap(),
            secret
        );
        assert!(std::fs::symlink_metadata(root.join(".env"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[test]
fn unsafe_rename_when_the_value_comes_from_outside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  api:\n    image: node:18\n    environment:\n      - PRISMA_MANAGEMENT_SECRET=${PRISMA_MANAGEMENT_SECRET}\n",
    )
    .unwrap();
    let before = tree(dir.path());
    let safe = run(dir.path(), &["fix", "."]);
    assert!(
        stdout(&safe).starts_with("Nothing to fix."),
        "{}",
        stdout(&safe)
    );
    assert!(stdout(&safe).contains("unsafe fix"), "{}", stdout(&safe));
    assert_eq!(tree(dir.path()), before);
    let forced = run(dir.path(), &["fix", "--unsafe", "."]);
    let text = stdout(&forced);
    assert!(text.contains("comes from outside the repository"), "{text}");
    let compose = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    assert!(compose.contains("- PRISMA_MANAGEMENT_API_SECRET=${PRISMA_MANAGEMENT_API_SECRET}"));
}

#[test]
fn reports_carry_the_fix() {
    let dir = fixture("fix/pin");
    let json: serde_json::Value =
        serde_json::from_slice(&run(&dir, &["check", "--format", "json", "."]).stdout).unwrap();
    let fixed: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unpinned-global-cli")
        .collect();
    assert_eq!(fixed.len(), 2);
    let fix = &fixed[0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["replacement"], "prisma@1.30.1");
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&dir, &["check", "--format", "sarif", "."]).stdout).unwrap();
    let with_fix: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert_eq!(with_fix.len(), 2);
    let change = &with_fix[0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], ".circleci/config.yml");
    let rep = &change["replacements"][0];
    assert_eq!(rep["insertedContent"]["text"], "prisma@1.30.1");
    assert_eq!(rep["deletedRegion"]["byteLength"], 6);
    let text = std::fs::read_to_string(dir.join(".circleci/config.yml")).unwrap();
    let at = rep["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
    assert_eq!(&text[at..at + 6], "prisma");
    let md = stdout(&run(&dir, &["check", "--format", "markdown", "."]));
    assert!(
        md.contains("Suggested fix (safe): Pin the global install to prisma@1.30.1"),
        "{md}"
    );
    assert!(
        md.contains("+      - run: npm install -g prisma@1.30.1"),
        "{md}"
    );
}

#[test]
fn the_diff_is_a_patch_that_git_applies() {
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    let previewed = copy("fix/ci-secret");
    let patch = stdout(&run(previewed.path(), &["fix", "--diff", "--unsafe", "."]));
    let scratch = tempfile::tempdir().unwrap();
    let patch_file = scratch.path().join("fix.patch");
    std::fs::write(&patch_file, &patch).unwrap();
    let applied = Command::new("git")
        .args([
            "-c",
            "core.autocrlf=false",
            "apply",
            "-p1",
            "--whitespace=nowarn",
        ])
        .arg(&patch_file)
        .current_dir(previewed.path())
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "{}\n{patch}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let fixed = copy("fix/ci-secret");
    run(fixed.path(), &["fix", "--unsafe", "."]);
    assert_eq!(tree(previewed.path()), tree(fixed.path()));
}

#[test]
fn replace_endpoint_says_which_copies_it_could_not_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://eu1.prisma.sh/jane/shop/dev";
    std::fs::write(
        dir.path().join("prisma.yml"),
        format!("endpoint: {url}\ndatamodel: d.prisma\n"),
    )
    .unwrap();
    // Not UTF-8 (a Latin-1 `é`): read by the scan, never edited.
    let mut latin1 = b"caf\xe9 = '".to_vec();
    latin1.extend_from_slice(url.as_bytes());
    latin1.extend_from_slice(b"'\n");
    std::fs::write(dir.path().join("legacy.js"), &latin1).unwrap();
    let arg = format!("--replace-endpoint={url}=https://prisma.example.com/shop/dev");
    let out = run(dir.path(), &["fix", &arg, "."]);
    let text = stdout(&out);
    assert!(text.contains("Fixed 1 finding"), "{text}");
    assert!(
        text.contains(&format!("{url} is still reported at legacy.js:1:")),
        "{text}"
    );
    assert_eq!(std::fs::read(dir.path().join("legacy.js")).unwrap(), latin1);
    assert_eq!(out.status.code(), Some(1));
}
