//! Fact and command extraction over every kind of file, suppression
//! comments, and both redaction layers, on one file's text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::{facts, finding, kind::FileKind, redact, suppress};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let path = common::name(selector);
    let mut buf = rest.to_vec();
    prisma1_lint::decode::normalise(&mut buf);
    let _lines = finding::LineIndexScope::new();
    let kind = FileKind::from_path(path).refine_with_content(&buf[..buf.len().min(8192)]);
    let text = String::from_utf8_lossy(&buf);
    let (file_facts, _) = facts::extract(path, kind, &text, true);
    let _ = suppress::parse(path, kind, &buf);
    let mut repo = facts::RepoFacts::default();
    repo.files.insert(path.to_string(), file_facts);
    let secrets = redact::Secrets::from_facts(&repo);
    for line in text.lines().take(2000) {
        let once = redact::scrub(line);
        // The backstop is idempotent: what it left is not a secret it knows.
        assert_eq!(
            redact::scrub(&once),
            once,
            "scrub is not idempotent on {line:?}"
        );
        let _ = secrets.redact(&once);
    }
});
