//! The audit says what it could not do: a datamodel it refused to read, and,
//! with many repositories, one that could not be audited at all (a bad
//! config) while the others are.

use std::path::Path;
use std::process::Command;

fn audit(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .arg("audit")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const PRISMA_YML: &str = "endpoint: https://eu1.prisma.sh/jane/shop/dev\n";

#[test]
fn a_refused_datamodel_says_why() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "dm.graphql", "type A { id: ID! }\n");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
    write(
        dir.path(),
        "prisma.yml",
        &format!(
            "{PRISMA_YML}datamodel:\n  - linked/dm.graphql\n  - gone.graphql\n  - here.graphql\n"
        ),
    );
    write(
        dir.path(),
        "here.graphql",
        "type B { id: ID! }\ntype C { id: ID! }\n",
    );
    let (code, out, err) = audit(dir.path(), &["--format", "json", "."]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let repo = &v["repositories"][0];
    let dms = repo["code"]["datamodels"].as_array().unwrap();
    let by_path = |p: &str| dms.iter().find(|d| d["path"] == p).unwrap();
    assert_eq!(by_path("here.graphql")["types"], 2);
    assert!(by_path("here.graphql").get("note").is_none());
    for (refused, why) in [
        ("linked/dm.graphql", "is outside the repository"),
        ("gone.graphql", "cannot be read: no such file;"),
    ] {
        let d = by_path(refused);
        assert_eq!(d["types"], 0);
        let note = d["note"].as_str().unwrap_or_default();
        assert!(note.contains(why), "{refused}: {d}");
        assert!(
            repo["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["path"] == refused && p["text"] == note),
            "{refused}: {}",
            repo["problems"]
        );
    }
    let (_, md, _) = audit(dir.path(), &["."]);
    assert!(
        md.contains(
            "- Datamodel `linked/dm.graphql`: not read (the datamodel is outside the repository"
        ),
        "{md}"
    );
}

#[test]
fn one_bad_config_fails_its_repository_and_the_rest_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c", "d"] {
        write(dir.path(), &format!("{name}/prisma.yml"), PRISMA_YML);
    }
    write(
        dir.path(),
        "b/.prisma1-lint.yml",
        "select: [no-such-rule]\n",
    );
    write(dir.path(), "d/.prisma1-lint.yml", "rules-dirs: [missing]\n");
    for format in ["json", "markdown", "html"] {
        let (code, out, err) = audit(dir.path(), &["--format", format, "--each-subdir", "."]);
        assert_eq!(code, Some(2), "{format}: {err}");
        assert!(err.contains("unknown rule id"), "{format}: {err}");
        if format != "json" {
            assert_eq!(
                out.matches("not audited").count(),
                2 + 2 * 2,
                "{format}: {out}"
            );
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let repos = v["repositories"].as_array().unwrap();
        let names: Vec<&str> = repos.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        for r in repos {
            let failed = r["failed"].as_str();
            match r["name"].as_str().unwrap() {
                "b" => assert!(failed.unwrap_or("").contains("unknown rule id"), "{r}"),
                "d" => assert!(failed.unwrap_or("").contains("rules-dirs"), "{r}"),
                _ => {
                    assert!(failed.is_none(), "{r}");
                    assert_eq!(r["uses_prisma1_cloud"], "yes", "{r}");
                }
            }
        }
        assert_eq!(v["totals"]["failed"], 2);
        assert_eq!(v["totals"]["using_prisma1_cloud"], 2);
    }
    // One repository: its bad config is the run's error, as before.
    let (code, out, err) = audit(&dir.path().join("b"), &["."]);
    assert_eq!(code, Some(2));
    assert!(
        out.is_empty() && err.contains("unknown rule id"),
        "{out}{err}"
    );
}
