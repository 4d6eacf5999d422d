//! How `missing-management-secret` judges, one on-disk repository per case
//! under `tests/fixtures/judge/`: each mechanism has a repository where the
//! rule must speak (and where) and one where it must stay silent.

use std::path::Path;
use std::process::Command;

const RULE: &str = "missing-management-secret";

/// `path:line confidence` of every finding of the rule, sorted, at every confidence.
fn judged(fixture: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/judge")
        .join(fixture);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "--no-config", "--select", RULE])
        .arg(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == RULE)
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["confidence"].as_str().unwrap_or("-")
            )
        })
        .collect();
    found.sort();
    found
}

/// `seed` asks for a management token first: the Cloud is asked for one
/// for a protected server the CLI counts as private, never for a local one.
#[test]
fn seed_needs_the_secret_only_where_the_token_request_goes_to_the_cloud() {
    assert_eq!(judged("seed-private"), ["package.json:3 high"]);
    assert!(judged("seed-local").is_empty());
}

/// `path:line message` of the related locations of the rule's finding at `at`.
fn related(fixture: &str, at: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/judge")
        .join(fixture);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "--no-config", "--select", RULE])
        .arg(&dir)
        .output()
        .expect("run prisma1-lint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]) == at)
        .unwrap_or_else(|| panic!("no finding at {at}"));
    f["related"]
        .as_array()
        .unwrap()
        .iter()
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

/// The finding is on the line of the command words, the callers that run it
/// without the secret related, outermost first; a caller that exports the
/// secret silences it.
#[test]
fn a_finding_sits_on_the_command_with_its_callers_related() {
    assert_eq!(judged("placement-chain"), ["api/package.json:3 medium"]);
    assert_eq!(
        related("placement-chain", "api/package.json:3"),
        [
            "package.json:4 run by package.json script \"release:prisma\"",
            "api/Makefile:2 run by Makefile target \"deploy\"",
            "api/prisma.yml:1 endpoint defined here (remote)",
        ]
    );
    assert!(judged("placement-chain-secret").is_empty());
}

/// A command kept in a Makefile variable is reported where the variable is
/// defined, with the recipe line that expands it related.
#[test]
fn a_command_in_a_makefile_variable_is_reported_at_its_definition() {
    assert_eq!(judged("placement-makevar"), ["Makefile:1 medium"]);
    assert_eq!(
        related("placement-makevar", "Makefile:1")[0],
        "Makefile:4 expanded in Makefile target \"release\""
    );
    assert!(judged("placement-makevar-secret").is_empty());
}
