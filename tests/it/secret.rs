//! `missing-management-secret` end to end on small repositories in
//! `tests/fixtures/secret/<case>/`: which deploys are reported, where, at
//! which severity and confidence, and which commands and servers are left alone.

use std::path::Path;
use std::process::Command;

/// `rule path:line severity confidence` of every finding of `rules`.
fn check(case: &str, rules: &[&str]) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/secret")
        .join(case);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(&dir)
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| rules.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            format!(
                "{} {}:{} {} {}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"],
                f["severity"].as_str().unwrap(),
                f["confidence"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

/// `path:line message` of the related locations of the first finding of the rule.
fn related(case: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/secret")
        .join(case);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(&dir)
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == MMS)
        .expect("a finding");
    f["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["message"].as_str().unwrap().starts_with("run by"))
        .map(|r| {
            format!(
                "{}:{} {}",
                r["path"].as_str().unwrap(),
                r["line"],
                r["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The rule's headline and notes (its evidence), one per line.
fn message(case: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/secret")
        .join(case);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(&dir)
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-management-secret")
        // The headline and the evidence in its notes.
        .map(|f| {
            let notes: Vec<&str> = f["notes"]
                .as_array()
                .map(|n| n.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            format!("{} {}", f["message"].as_str().unwrap(), notes.join("; "))
        })
        .unwrap_or_default()
}

const MMS: &str = "missing-management-secret";

#[test]
fn a_heroku_server_whose_hook_sets_the_secret_is_protected() {
    assert_eq!(
        check("heroku-protected", &[MMS, "unprotected-server"]),
        [format!("{MMS} .github/workflows/deploy.yml:7 error high")]
    );
    assert!(message("heroku-protected")
        .contains("protected endpoint https://shop-prisma.herokuapp.com"));
}

#[test]
fn a_template_stands_for_the_uncommitted_env_file() {
    assert_eq!(
        check("template", &[MMS]),
        [format!("{MMS} package.json:1 error high")]
    );
    let m = message("template");
    assert!(
        m.contains("its template variables.env.example lacks PRISMA_MANAGEMENT_API_SECRET too"),
        "{m}"
    );
    assert!(
        m.contains("remote endpoint https://prisma.example.com/shop/prod"),
        "{m}"
    );
}

#[test]
fn an_uncommitted_env_file_without_template_is_a_medium_warning() {
    assert_eq!(
        check("no-template", &[MMS]),
        [format!("{MMS} package.json:1 warning medium")]
    );
    assert!(message("no-template").contains(
        "variables.env (not in the repository, no template) defines PRISMA_MANAGEMENT_API_SECRET"
    ));
}

#[test]
fn an_unprotected_target_needs_no_secret() {
    assert_eq!(
        check("unprotected-compose", &[MMS, "unprotected-server"]),
        ["unprotected-server docker-compose.yml:5 warning -"]
    );
}

#[test]
fn service_api_and_local_commands_never_need_it() {
    assert_eq!(check("service-commands", &[MMS]), Vec::<String>::new());
    assert_eq!(check("service-commands", &["prisma1-cli"]).len(), 4);
}

#[test]
fn callers_carry_the_secret_across_files() {
    // `make deploy` runs the script without the secret; `make release` gives it
    // inline. The finding is on the command, the caller that lacks it related.
    assert_eq!(
        check("make-chain", &[MMS]),
        [format!("{MMS} scripts/deploy.sh:3 error high")]
    );
    assert_eq!(
        related("make-chain"),
        ["Makefile:2 run by Makefile target \"deploy\""]
    );
    assert!(message("make-chain")
        .contains("(Makefile target \"deploy\" → shell script scripts/deploy.sh)"));
}

#[test]
fn callers_that_never_mention_prisma_are_still_followed() {
    // The workflow and the Makefile say nothing of Prisma: the scan keeps only
    // their commands that run other files, and the chain still reaches the deploy.
    assert_eq!(
        check("unmentioned-callers", &[MMS]),
        [format!("{MMS} scripts/deploy.sh:3 error high")]
    );
    assert_eq!(
        related("unmentioned-callers"),
        [
            ".github/workflows/release.yml:12 run by GitHub Actions job \"release\" step \"#4\"",
            "Makefile:4 run by Makefile target \"deploy\"",
        ]
    );
    assert!(message("unmentioned-callers").contains(
        "(GitHub Actions job \"release\" step \"#4\" → Makefile target \"deploy\" → shell script scripts/deploy.sh)"
    ));
}

#[test]
fn pre_1_7_projects_get_the_upgrade_note_instead() {
    assert_eq!(
        check("legacy", &[MMS, "legacy-prisma1-cli"]),
        [
            "legacy-prisma1-cli package.json:1 note -",
            "legacy-prisma1-cli prisma.yml:1 note -",
        ]
    );
}

#[test]
fn a_configured_severity_wins_over_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secret/no-template");
    for f in ["package.json", "prisma.yml"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join(".prisma1-lint.yml"),
        "severity:\n  missing-management-secret: note\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == MMS)
        .cloned()
        .unwrap();
    assert_eq!(
        (f["severity"].as_str(), f["confidence"].as_str()),
        (Some("note"), Some("medium"))
    );
}

/// The audit gives a verdict for a repository that only runs a self-hosted server image.
#[test]
fn a_server_image_alone_is_not_the_cloud() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secret");
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["audit", "--format", "json", "image-only"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["repositories"][0]["uses_prisma1_cloud"], "no", "{v}");
}

/// The audit puts each command on the endpoint it really targets, with the check's answer:
/// an inline `PRISMA_ENDPOINT=...` overrides `.env`.
#[test]
fn the_audit_attributes_commands_to_their_real_target() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secret");
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["audit", "--format", "json", "inline-endpoint"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<String> = v["repositories"][0]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let uses: Vec<String> = s["used_from"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| format!("{}:{}", u["line"], u["management_secret"].as_str().unwrap()))
                .collect();
            format!("{} [{}]", s["endpoint"].as_str().unwrap(), uses.join(","))
        })
        .collect();
    assert_eq!(
        rows,
        [
            "https://prisma.example.com/shop/prod [4:no]",
            "http://localhost:4466/shop/dev [3:no]",
        ]
    );
    assert_eq!(
        check("inline-endpoint", &[MMS]),
        [format!("{MMS} package.json:4 error high")]
    );
}
