//! What `fix` may write, and where: read-only files are refused, owners
//! and groups kept, a byte-order mark changes no fix, and
//! `--replace-endpoint` writes only a URL that is the same text in every
//! kind of file.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A file of every kind a fixer edits.
const FILES: &[(&str, &str)] = &[
    ("deploy.sh", "#!/bin/sh\nnpm install -g prisma\nprisma deploy\n"),
    (
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm install -g prisma\n      - run: prisma deploy\n",
    ),
    ("Makefile", "deploy:\n\tnpm install -g prisma\n\tprisma deploy\n"),
    (
        "Dockerfile",
        "FROM node:18\nRUN npm install -g prisma\nRUN prisma deploy\n",
    ),
    ("api/.env", "PRISMA_MANAGEMENT_SECRET=changeme\n"),
    (
        "api/prisma.yml",
        "endpoint: https://eu1.prisma.sh/jane/shop/dev\ndatamodel: dm.prisma\n",
    ),
    ("api/dm.prisma", "type A { id: ID! }\n"),
    (
        "src/client.js",
        "export const url = 'https://eu1.prisma.sh/jane/shop/dev';\n",
    ),
];

const BOM: &[u8] = b"\xEF\xBB\xBF";
const REPLACE: &str = "https://eu1.prisma.sh/jane/shop/dev=https://prisma.example.com/shop/dev";

/// (path, rule, has a fix) of every finding.
fn fixes(dir: &Path) -> Vec<(String, String, bool)> {
    let o = run(dir, &["check", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                !f["fix"].is_null(),
            )
        })
        .collect()
}

#[test]
fn a_byte_order_mark_changes_no_fix_in_any_kind_of_file() {
    let plain = tempfile::tempdir().unwrap();
    let bom = tempfile::tempdir().unwrap();
    for (rel, body) in FILES {
        write(plain.path(), rel, body.as_bytes());
        write(bom.path(), rel, &[BOM, body.as_bytes()].concat());
    }
    let offered = fixes(plain.path());
    assert!(offered.iter().filter(|f| f.2).count() >= 5, "{offered:?}");
    assert_eq!(fixes(bom.path()), offered);
    for dir in [&plain, &bom] {
        let o = run(
            dir.path(),
            &["fix", "--unsafe", "--replace-endpoint", REPLACE, "."],
        );
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", text(&o));
    }
    let (after_plain, after_bom) = (tree(plain.path()), tree(bom.path()));
    for (rel, body) in &after_plain {
        let want = [BOM, body.as_slice()].concat();
        assert_eq!(
            String::from_utf8_lossy(&after_bom[rel]),
            String::from_utf8_lossy(&want),
            "{rel}"
        );
    }
    assert_ne!(after_plain["deploy.sh"], FILES[0].1.as_bytes());
}

#[cfg(unix)]
#[test]
fn fix_refuses_a_read_only_file_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy.sh", FILES[0].1.as_bytes());
    write(dir.path(), "other.sh", FILES[0].1.as_bytes());
    let ro = dir.path().join("deploy.sh");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(dir.path(), &["fix", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("error: deploy.sh: read-only; not changed"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&ro).unwrap(), FILES[0].1.as_bytes());
    let mode = std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    // The writable one is fixed all the same.
    assert_ne!(
        std::fs::read(dir.path().join("other.sh")).unwrap(),
        FILES[0].1.as_bytes()
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_the_owner_and_group_of_another_users_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy.sh", FILES[0].1.as_bytes());
    let f = dir.path().join("deploy.sh");
    if std::os::unix::fs::chown(&f, Some(4321), Some(4322)).is_err() {
        // Not root: no file of another user can be made here.
        return;
    }
    let o = run(dir.path(), &["fix", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let m = std::fs::metadata(&f).unwrap();
    assert_eq!((m.uid(), m.gid()), (4321, 4322));
    assert_ne!(std::fs::read(&f).unwrap(), FILES[0].1.as_bytes());
}

#[test]
fn replace_endpoint_writes_only_a_plain_url() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, body) in FILES {
        write(dir.path(), rel, body.as_bytes());
    }
    let before = tree(dir.path());
    for new in [
        "https://x.org/a\\",
        "https://x.org/a\x1b[2J",
        "https://x.org/$(id)",
        "https://x.org/a'b",
        "https://x.org/a\"b",
        "https://x.org/a#b",
        "https://x.org/a b",
        "https://u:p@x.org/a",
        "https://x.org/a?b&c",
    ] {
        let arg = format!("https://eu1.prisma.sh/jane/shop/dev={new}");
        let o = run(dir.path(), &["fix", "--replace-endpoint", &arg, "."]);
        assert_eq!(o.status.code(), Some(2), "{new:?}: {}", text(&o));
        assert!(!text(&o).contains('\x1b'), "{new:?}");
        assert_eq!(tree(dir.path()), before, "{new:?} was written");
    }
    // OLD's host in capitals is the same Cloud endpoint.
    let arg = "https://EU1.PRISMA.SH/jane/shop/dev=https://prisma.example.com/shop/dev";
    let o = run(dir.path(), &["fix", "--replace-endpoint", arg, "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let after = tree(dir.path());
    assert_eq!(
        String::from_utf8_lossy(&after["src/client.js"]),
        "export const url = 'https://prisma.example.com/shop/dev';\n"
    );
}
