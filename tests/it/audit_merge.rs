//! `audit --merge`: audit JSON files from separate runs (the shards of an
//! organisation-wide audit) combine into the report one run over the same
//! repositories writes, byte for byte, in every format.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

const REPOS: &[&str] = &[
    "cloud-project",
    "self-hosted",
    "audit/custom-with-secret",
    "audit/local-docker",
    "audit/unresolved",
];

#[test]
fn merged_shards_are_byte_identical_to_one_run() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let scratch = tempfile::tempdir().unwrap();
    // Shard sizes, in order: every split must give the same report.
    for split in [&[5][..], &[1, 1, 1, 1, 1], &[2, 3], &[4, 1]] {
        let mut files = Vec::new();
        let mut at = 0;
        for (i, n) in split.iter().enumerate() {
            let mut args = vec!["audit", "--format", "json"];
            args.extend_from_slice(&REPOS[at..at + n]);
            let out = run(&args, &fixtures);
            assert_eq!(out.status.code(), Some(0));
            let file = scratch.path().join(format!("shard-{i}.json"));
            std::fs::write(&file, &out.stdout).unwrap();
            files.push(file.to_string_lossy().into_owned());
            at += n;
        }
        for format in ["json", "markdown", "html"] {
            let mut one = vec!["audit", "--format", format];
            one.extend_from_slice(REPOS);
            let whole = run(&one, &fixtures);
            let mut merge = vec!["audit", "--merge", "--format", format];
            merge.extend(files.iter().map(String::as_str));
            let merged = run(&merge, &fixtures);
            assert_eq!(
                merged.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&merged.stderr)
            );
            assert!(!whole.stdout.is_empty());
            assert!(
                whole.stdout == merged.stdout,
                "{format} of split {split:?} differs from one run"
            );
        }
    }
    // --fail-on reads the merged counts as one run does.
    let one = run(&["audit", "--format", "json", "cloud-project"], &fixtures);
    let file = scratch.path().join("cloud.json");
    std::fs::write(&file, &one.stdout).unwrap();
    let f = file.to_string_lossy();
    let out = run(&["audit", "--merge", "--fail-on", "error", &f], &fixtures);
    assert_eq!(out.status.code(), Some(1));
    // Not an audit: a usage error that names the file.
    let bad = scratch.path().join("bad.json");
    std::fs::write(&bad, "{\"version\": 1}").unwrap();
    let out = run(&["audit", "--merge", &bad.to_string_lossy()], &fixtures);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
}
