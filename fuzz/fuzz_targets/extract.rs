//! Fact and command extraction over every kind of file, suppression
//! comments, the secret span scanner and the value backstop, on one file's
//! text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::{facts, finding, kind::FileKind, mask, suppress, text::RepoText};

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
    let backstop = mask::Backstop::new(facts::secrets::values(&repo));
    // Spans are sorted, disjoint, inside the text and never cross a line.
    let spans = mask::spans(kind, &buf);
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlapping spans {w:?}");
    }
    for &(s, e) in &spans {
        assert!(s < e && e <= buf.len(), "span {s}..{e} of {}", buf.len());
        assert!(!buf[s..e].contains(&b'\n'), "span {s}..{e} crosses a line");
    }
    let whole = RepoText::from_file(&buf, 0, buf.len(), &spans);
    let _ = whole.masked();
    for line in text.lines().take(2000) {
        let mut r = RepoText::parsed(line);
        r.mark(&backstop);
        let _ = r.masked();
    }
});
