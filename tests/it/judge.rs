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
