//! Tests of reading YAML nested past the depth budget.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::super::{parse, take_overflow};
use super::*;

fn steps(docs: &[Node]) -> Vec<String> {
    docs[0]
        .get("jobs")
        .and_then(|j| j.get("d"))
        .and_then(|d| d.get("steps"))
        .map(|s| {
            s.items()
                .iter()
                .filter_map(|i| i.get("run").and_then(Node::as_str).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

const JOBS: &str = "jobs:\n  d:\n    steps:\n      - run: prisma1 deploy\n";

#[test]
fn deep_flow_before_jobs_is_left_out_and_jobs_are_read() {
    for n in [300, 100_000] {
        let text = format!("x: {}b{}\n{JOBS}", "{a: ".repeat(n), "}".repeat(n));
        let _ = take_overflow();
        let docs = parse(&text).unwrap();
        assert_eq!(steps(&docs), ["prisma1 deploy"]);
        assert!(docs[0]
            .get("x")
            .is_some_and(|x| matches!(x, Node::Null { .. })));
        let note = take_overflow().unwrap();
        assert!(
            note.contains("not read: line 1; the rest was read"),
            "{note}"
        );
        // Positions after the part left out are those of the file.
        let steps = docs[0]
            .get("jobs")
            .and_then(|j| j.get("d"))
            .and_then(|d| d.get("steps"));
        let run = steps.and_then(|s| s.items()[0].get("run")).unwrap();
        assert_eq!(run.pos().line, 5);
        assert_eq!(&text[run.pos().byte..run.pos().byte + 7], "prisma1");
    }
}

#[test]
fn deep_flow_over_many_lines_and_deep_blocks_are_left_out() {
    let n = 400;
    let multi = format!(
        "x:\n  - [\n{}\n    ]\n  - y\n{JOBS}",
        "    [\n".repeat(n) + &"    ]\n".repeat(n)
    );
    let _ = take_overflow();
    let docs = parse(&multi).unwrap();
    assert_eq!(steps(&docs), ["prisma1 deploy"]);
    assert!(take_overflow().unwrap().contains("not read: lines 2-"));
    let block = format!("x:\n{}z\n{JOBS}", "- ".repeat(1000));
    let docs = parse(&block).unwrap();
    assert_eq!(steps(&docs), ["prisma1 deploy"]);
    assert!(take_overflow().unwrap().contains("not read: line 2;"));
}

#[test]
fn more_deep_parts_than_the_budget_give_the_file_up_with_a_note() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let text: String = (0..MAX_LEFT_OUT + 1)
        .map(|i| format!("k{i}: {deep}\n"))
        .collect();
    let _ = take_overflow();
    assert!(parse(&text).is_err());
    assert!(take_overflow().unwrap().contains("in more than 8 places"));
    let text: String = (0..MAX_LEFT_OUT)
        .map(|i| format!("k{i}: {deep}\n"))
        .collect();
    assert_eq!(parse(&text).unwrap()[0].entries().len(), MAX_LEFT_OUT);
}

#[test]
fn blanking_keeps_bytes_and_lines() {
    let text = "a: é[\n  b\nc: d\n";
    let out = blank(text, 3, 11);
    assert_eq!(out, "a:    \n   \nc: d\n");
    assert_eq!(out.len(), text.len());
    assert_eq!(lines(text, 3, 11), (1, 2));
}

#[test]
fn too_deep_finds_the_first_collection_past_the_budget() {
    let n = 100_000;
    let text = format!("select: {}{}\n", "[".repeat(n), "]".repeat(n));
    let at = too_deep(&text).ok().flatten().unwrap_or(0);
    assert!((8 + MAX_DEPTH - 4..8 + MAX_DEPTH + 1).contains(&at), "{at}");
    let text = format!("{}x", "- ".repeat(n));
    assert_eq!(too_deep(&text), Ok(Some(2 * (MAX_DEPTH - 1))));
    let text = format!("a: {}{}", "{a: ".repeat(n), "}".repeat(n));
    assert!(matches!(too_deep(&text), Ok(Some(_))));
    // One mapping and the sequences in it: just within.
    let text = format!(
        "é: {}x{}",
        "[".repeat(MAX_DEPTH - 2),
        "]".repeat(MAX_DEPTH - 2)
    );
    assert_eq!(too_deep(&text), Ok(None));
    let stopped = too_deep("a: b\nc: [d\n").err().map(|(_, at)| at);
    assert!(stopped.is_some_and(|at| at <= 12), "{stopped:?}");
}
