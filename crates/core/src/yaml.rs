//! A YAML tree that remembers where every node came from.
//!
//! serde-based YAML loses positions, but a finding in a CI file must point at
//! the exact line of a `run:` or an `env:` entry. This builds a small tree from
//! yaml-rust2's marked events: every node keeps its byte offset, line and
//! column, and block scalars keep their style so callers can map lines of a
//! `run: |` block back to file lines.
//!
//! Facts and fixes read repository YAML through it, and config and rule
//! files go through its depth check before serde reads them; bounded in
//! nodes and depth, it sits on the floor of the other readers of untrusted
//! bytes (see ARCHITECTURE.md).

mod depth;
mod read;

pub use depth::too_deep;
pub use read::{take_overflow, Node, Pos, ScalarStyle, MAX_DEPTH, MAX_DOC_NODES, MAX_FILE_NODES};

/// Parses every document of `text`. Returns an error message on malformed YAML
/// or on YAML past the node budget (alias bombs). A part nested deeper than
/// [`MAX_DEPTH`] is left out and the rest read ([`depth::parse_around`]);
/// either way the budget's note is kept for [`take_overflow`].
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    depth::parse_around(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_of_nested_values() {
        let docs =
            parse("jobs:\n  build:\n    steps:\n      - run: prisma1 deploy\n").unwrap_or_default();
        let run = docs[0]
            .get("jobs")
            .and_then(|j| j.get("build"))
            .and_then(|b| b.get("steps"));
        let step = &run.map(|s| s.items()).unwrap_or_default()[0];
        let value = step.get("run").map(|n| (n.as_str(), n.pos().line));
        assert_eq!(value, Some((Some("prisma1 deploy"), 4)));
    }

    #[test]
    fn byte_offsets_survive_non_ascii() {
        let text = "a: é\nb: x\n";
        let docs = parse(text).unwrap_or_default();
        let b = docs[0].get("b").map(|n| n.pos().byte);
        assert_eq!(b, Some(text.find('x').unwrap_or(0)));
    }

    #[test]
    fn merge_keys_and_aliases_resolve() {
        let docs = parse("base: &b\n  x: 1\njob:\n  <<: *b\n  y: 2\n").unwrap_or_default();
        let job = docs[0].get("job");
        assert_eq!(
            job.and_then(|j| j.get("x")).and_then(Node::as_str),
            Some("1")
        );
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let list = [prev.as_str(); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        let r = parse(&text);
        assert!(
            r.as_ref().is_err_and(|e| e.contains("aliases")),
            "{:?}",
            r.map(|d| d.len())
        );
        assert!(take_overflow().is_some());
        assert!(take_overflow().is_none());
    }

    #[test]
    fn deep_nesting_is_left_out_not_overflowing_the_stack() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let _ = take_overflow();
        let docs = parse(&text);
        assert!(docs.is_ok_and(|d| d.iter().all(|n| matches!(n, Node::Null { .. }))));
        assert!(take_overflow().is_some_and(|e| e.contains("deeper")));
        let text = format!("{}x", "- ".repeat(MAX_DEPTH - 1));
        assert!(parse(&text).is_ok());
        assert!(take_overflow().is_none());
        let text = format!("{}x", "- ".repeat(100_000));
        assert!(parse(&text).is_ok());
        assert!(take_overflow().is_some_and(|e| e.contains("deeper")));
    }

    #[test]
    fn malformed_yaml_is_an_error_not_a_panic() {
        assert!(parse("a: [1, 2\nb: {").is_err());
    }
}
