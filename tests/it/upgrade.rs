//! `prisma1-lint upgrade` on fixture repositories (datamodel 1.1 on
//! PostgreSQL, 1.0 on MySQL, and one the repository cannot place): the SQL
//! and Prisma schema as snapshots, the JSON's invariants, determinism, and
//! the upgrade rules staying out of `check` unless selected.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upgrade")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    // From the fixtures' folder, with relative paths, as a user runs it:
    // the paths printed open from there.
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(args)
        .current_dir(fixture(""))
        .env("NO_COLOR", "1")
        .output()
        .expect("run")
}

fn upgrade(name: &str, extra: &[&str]) -> String {
    let mut args = vec!["upgrade", name];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(name: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&upgrade(name, &args)).expect("json")
}

#[test]
fn sql_postgres_datamodel_1_1() {
    insta::assert_snapshot!(upgrade("postgres-1.1", &["--format", "sql"]));
}

#[test]
fn sql_mysql_datamodel_1_0() {
    insta::assert_snapshot!(upgrade("mysql-1.0", &["--format", "sql"]));
}

#[test]
fn prisma_schema_postgres_datamodel_1_1() {
    insta::assert_snapshot!(upgrade("postgres-1.1", &["--format", "prisma"]));
}

#[test]
fn prisma_schema_mysql_datamodel_1_0() {
    insta::assert_snapshot!(upgrade("mysql-1.0", &["--format", "prisma"]));
}

#[test]
fn human_summary_of_an_unplaceable_service_says_what_is_unknown() {
    let text = upgrade("unknown", &["--color", "never"]);
    insta::assert_snapshot!(text);
    assert!(text.contains("no SQL (connector unknown)"));
    assert!(text.contains("service and stage cannot be told"));
    assert!(text.contains("@embedded"));
    // With the connector given, the same service gets SQL without a schema name.
    let sql = upgrade("unknown", &["--format", "sql", "--database", "postgres"]);
    assert!(
        sql.contains("ALTER TABLE \"Note\" ALTER COLUMN \"pinned\" SET DEFAULT false;"),
        "{sql}"
    );
}

#[test]
fn every_upgrade_rule_fires_on_the_fixtures_in_both_versions_and_connectors() {
    let rules = run(&["rules", "--json"]);
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).expect("rules json");
    let all: std::collections::BTreeSet<String> = rules
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| id.starts_with("upgrade-"))
        .map(str::to_string)
        .collect();
    assert_eq!(all.len(), 11);
    let mut fired = std::collections::BTreeSet::new();
    for (name, version, connector) in [
        ("postgres-1.1", "1.1", "postgres"),
        ("mysql-1.0", "1.0", "mysql"),
    ] {
        let v = json(name, &[]);
        let s = &v["services"][0];
        assert_eq!(
            (s["datamodel_version"].as_str(), s["connector"].as_str()),
            (Some(version), Some(connector))
        );
        for f in v["findings"].as_array().expect("findings") {
            fired.insert(f["rule"].as_str().expect("rule").to_string());
        }
    }
    assert_eq!(fired, all);
}

#[test]
fn json_places_point_at_datamodel_lines_and_counts_agree() {
    for name in ["postgres-1.1", "mysql-1.0"] {
        let v = json(name, &[]);
        assert_eq!(v["version"], 1);
        for s in v["services"].as_array().expect("services") {
            let sql: Vec<&str> = s["sql"]
                .as_array()
                .expect("sql")
                .iter()
                .filter_map(|q| q.as_str())
                .collect();
            let statements = sql.iter().filter(|q| !q.starts_with("--")).count();
            assert_eq!(s["statements"].as_u64(), Some(statements as u64));
            for inc in s["incompatibilities"]
                .as_array()
                .expect("incompatibilities")
            {
                let path = fixture(name).join(inc["path"].as_str().expect("path"));
                let text = std::fs::read_to_string(&path).expect("datamodel");
                let line = text
                    .lines()
                    .nth(inc["line"].as_u64().expect("line") as usize - 1)
                    .expect("line exists");
                let needle = inc["field"]
                    .as_str()
                    .or(inc["model"].as_str())
                    .expect("name");
                assert!(line.contains(needle), "{name}: {inc} points at {line:?}");
            }
        }
    }
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    for name in ["postgres-1.1", "mysql-1.0", "unknown"] {
        for format in ["human", "json", "sql", "prisma"] {
            let a = upgrade(name, &["--format", format, "-j", "1", "--color", "never"]);
            let b = upgrade(name, &["--format", format, "-j", "4", "--color", "never"]);
            assert_eq!(a, b, "{name} {format}");
        }
    }
}

#[test]
fn check_runs_the_upgrade_rules_only_when_selected() {
    let path = fixture("postgres-1.1");
    let p = path.to_str().expect("utf-8");
    let plain = run(&["check", p, "--format", "json"]);
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("json");
    let ids: Vec<&str> = plain["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(!ids.iter().any(|r| r.starts_with("upgrade-")), "{ids:?}");
    let selected = run(&[
        "check",
        p,
        "--format",
        "json",
        "--select",
        "upgrade-json-column",
    ]);
    let selected: serde_json::Value = serde_json::from_slice(&selected.stdout).expect("json");
    let ids: Vec<&str> = selected["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(ids, ["upgrade-json-column"]);
}

#[test]
fn hostile_datamodels_are_notes_not_crashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let yml = "endpoint: http://localhost:4466/a/b\ndatamodel:\n  - deep.graphql\n  - ../outside.graphql\n  - missing.graphql\n  - quotes.graphql\n  - link.graphql\n";
    std::fs::write(root.join("prisma.yml"), yml).expect("write");
    let deep = format!(
        "type A {{ id: ID! @id\n f: {}Int{} }}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    std::fs::write(root.join("deep.graphql"), deep).expect("write");
    let quotes = "type B {\n  id: ID! @id\n  s: String! @default(value: \"x'); DROP TABLE b; --\\n\")\n  `x: Int\n}\n";
    std::fs::write(root.join("quotes.graphql"), quotes).expect("write");
    // A link out of the repository is never followed.
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.graphql"),
        "type Leak { id: ID! @id }\n",
    )
    .expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.graphql"),
        root.join("link.graphql"),
    )
    .expect("symlink");
    let out = run(&[
        "upgrade",
        root.to_str().expect("utf-8"),
        "--format",
        "json",
        "--database",
        "postgres",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let notes = v["services"][0]["notes"].to_string();
    // `..` stays inside the repository: the path is resolved against its root.
    assert!(
        notes.contains("datamodel outside.graphql cannot be read"),
        "{notes}"
    );
    assert!(notes.contains("missing.graphql cannot be read"), "{notes}");
    assert!(
        notes.contains("deep.graphql:2: the datamodel is not valid GraphQL SDL"),
        "{notes}"
    );
    assert!(notes.contains("quotes.graphql:4"), "{notes}");
    #[cfg(unix)]
    assert!(notes.contains("link.graphql cannot be read"), "{notes}");
    assert!(!v.to_string().contains("Leak"));
}

#[test]
fn defaults_are_escaped_literals_in_sql() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("prisma.yml"),
        "endpoint: http://localhost:4466/a/b\ndatamodel: d.graphql\n",
    )
    .expect("write");
    std::fs::write(root.join("d.graphql"), "type B {\n  id: ID! @id\n  s: String! @default(value: \"x'); DROP TABLE b; --\\nnext\")\n  n: Int! @default(value: \"1; DROP TABLE b\")\n}\n").expect("write");
    for db in ["postgres", "mysql"] {
        let out = run(&[
            "upgrade",
            root.to_str().expect("utf-8"),
            "--format",
            "sql",
            "--database",
            db,
        ]);
        let sql = String::from_utf8(out.stdout).expect("utf-8");
        let statements: Vec<&str> = sql.lines().filter(|l| !l.starts_with("--")).collect();
        assert!(
            statements
                .iter()
                .all(|l| !l.contains("DROP TABLE b;") || l.contains("''")),
            "{db}: {sql}"
        );
        assert!(!sql.contains("1; DROP"), "{db}: {sql}");
        assert!(sql.lines().all(|l| !l.starts_with("next")), "{db}: {sql}");
    }
}
