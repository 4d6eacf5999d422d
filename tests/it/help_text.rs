//! Our own help text is never redacted: redaction is for values found in
//! scanned files. A repository where `missing-management-secret` fires (its
//! help quotes `PRISMA_MANAGEMENT_API_SECRET=... prisma1 deploy`, which looks
//! like an assignment) is scanned in every format that prints help.

use std::process::Command;

const QUOTED: &str = "PRISMA_MANAGEMENT_API_SECRET=... prisma1 deploy";

fn scan(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("prisma.yml"),
        "endpoint: https://prisma.example.com/app/dev\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"scripts": {"deploy": "prisma1 deploy"}}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", ".", "--format", format, "--color", "never"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "10000")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_of_missing_management_secret_is_printed_as_written_in_every_format() {
    for format in ["github", "json", "sarif"] {
        let text = scan(format);
        let text = if format == "github" {
            text
        } else {
            // Compared on the re-serialised document, so pretty-printing
            // does not matter.
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap()
                .to_string()
        };
        assert!(text.contains(QUOTED), "{format}: help missing or altered");
    }
    let human = scan("human");
    let flat = human.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(QUOTED),
        "human: help missing or altered: {human}"
    );
}
