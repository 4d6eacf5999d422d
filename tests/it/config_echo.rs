//! In CI, an error about the repository's own config shows what the error
//! is about (where, and a key it does not know), never a value that could be
//! a secret: the config may be a link to a token file the CI job wrote, and
//! the pull request may be an attacker's. The user's own config, given with
//! `--config` from outside the repository, shows its line in full (and so
//! does the repository's config on a person's machine: tests/it/messages.rs).

use std::path::Path;
use std::process::Command;

const TOKEN: &str = "ghp_cnry7Q2xVb9TokenValue";

fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .output()
        .unwrap();
    (
        o.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// Every way the config can hold a value the error is about.
fn configs() -> Vec<String> {
    [
        "{t}\n",
        "TOKEN={t}\n",
        "select: [{t}]\n",
        "ignore: [{t}]\n",
        "max-file-size: {t}\n",
        "max-file-size: 12{t}\n",
        "fail-on: {t}\n",
        "documented-commands: {t}\n",
        "rules-dirs: [{t}]\n",
        "rules-dirs: [/{t}]\n",
        "exclude: ['{t}[']\n",
        "suppress:\n  - rule: {t}\n    paths: ['*']\n    reason: r\n",
        "suppress:\n  - rule: cloud-endpoint\n    paths: ['{t}[']\n    reason: r\n",
        "select: 31415926535\n",
    ]
    .iter()
    .map(|c| c.replace("{t}", TOKEN))
    .collect()
}

#[test]
fn a_repository_config_error_never_shows_a_value() {
    let dir = tempfile::tempdir().unwrap();
    for text in configs() {
        // As the file itself, and as a link to a token file in the repository.
        for linked in [false, true] {
            let cfg = dir.path().join(".prisma1-lint.yml");
            let _ = std::fs::remove_file(&cfg);
            if linked {
                std::fs::write(dir.path().join("token.txt"), &text).unwrap();
                std::os::unix::fs::symlink("token.txt", &cfg).unwrap();
            } else {
                std::fs::write(&cfg, &text).unwrap();
            }
            let (code, out) = check(dir.path(), &["."]);
            assert_eq!(code, Some(2), "{text:?}: {out}");
            assert!(
                !out.contains("cnry") && !out.contains("31415926535"),
                "{text:?} (linked: {linked}) shows a value:\n{out}"
            );
            // Where it is, all the same.
            assert!(out.contains(".prisma1-lint.yml:"), "{text:?}: {out}");
        }
    }
}

#[test]
fn an_unknown_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".prisma1-lint.yml"),
        format!("fail_onn: {TOKEN}\n"),
    )
    .unwrap();
    let (code, out) = check(dir.path(), &["."]);
    assert_eq!(code, Some(2));
    assert!(out.contains("unknown key `fail_onn`"), "{out}");
    assert!(!out.contains("cnry"), "{out}");
}

#[test]
fn the_users_own_config_shows_its_line() {
    let repo = tempfile::tempdir().unwrap();
    let mine = tempfile::tempdir().unwrap();
    let cfg = mine.path().join("mine.yml");
    std::fs::write(&cfg, "select: [clod-endpoint]\n").unwrap();
    let (code, out) = check(repo.path(), &["--config", cfg.to_str().unwrap(), "."]);
    assert_eq!(code, Some(2));
    assert!(out.contains("unknown rule id `clod-endpoint`"), "{out}");
    assert!(out.contains("select: [clod-endpoint]"), "{out}");
}
