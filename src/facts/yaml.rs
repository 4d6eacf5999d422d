//! A YAML tree that remembers where every node came from.
//!
//! serde-based YAML loses positions, but a finding in a CI file must point at
//! the exact line of a `run:` or an `env:` entry. This builds a small tree from
//! yaml-rust2's marked events: every node keeps its byte offset, line and
//! column, and block scalars keep their style so callers can map lines of a
//! `run: |` block back to file lines.

use std::cell::RefCell;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a node starts in the source: byte offset (in chars for yaml-rust2,
/// converted to bytes), 1-based line, 0-based column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub byte: usize,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar {
        value: String,
        pos: Pos,
        style: ScalarStyle,
    },
    Seq {
        items: Vec<Node>,
        pos: Pos,
    },
    Map {
        entries: Vec<(Node, Node)>,
        pos: Pos,
    },
    Null {
        pos: Pos,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
    /// `|` or `>`: the text starts on the line after `pos`.
    Block,
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar { pos, .. }
            | Node::Seq { pos, .. }
            | Node::Map { pos, .. }
            | Node::Null { pos } => *pos,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match self {
            Node::Map { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match self {
            Node::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq { items, .. } => items,
            _ => &[],
        }
    }

    /// The scalars of a sequence, or the one scalar itself.
    pub fn strings(&self) -> Vec<(&str, &Node)> {
        match self {
            Node::Scalar { value, .. } => vec![(value.as_str(), self)],
            Node::Seq { items, .. } => items
                .iter()
                .filter_map(|n| n.as_str().map(|s| (s, n)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Most nodes one document may hold once aliases are expanded. An alias
/// copies its anchor's subtree, so nine levels of nine aliases in 500 bytes
/// would be 387 million nodes; real files hold a few thousand.
pub const MAX_DOC_NODES: usize = 200_000;
/// Most nodes a whole file may hold (many documents).
pub const MAX_FILE_NODES: usize = 1_000_000;
/// Deepest nesting read; deeper YAML is not configuration.
pub const MAX_DEPTH: usize = 256;

thread_local! {
    static OVERFLOW: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The last budget overflow on this thread, cleared: the scan reports it as
/// a note on the file (callers that ignore parse errors still get it seen).
pub fn take_overflow() -> Option<String> {
    OVERFLOW.with(|o| o.borrow_mut().take())
}

/// Parses every document of `text`. Returns an error message on malformed YAML
/// or on YAML past the size budgets (alias bombs, deep nesting).
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut builder = Builder {
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        offsets: CharToByte::new(text),
        doc_nodes: 0,
        file_nodes: 0,
        skip: 0,
        overflow: None,
    };
    let mut parser = Parser::new_from_str(text);
    // Event by event: `Parser::load` recurses once per nesting level and
    // overflows the stack on 100,000 nested `- `; this loop stops early too.
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| e.to_string())?;
        let end = ev == Event::StreamEnd;
        builder.on_event(ev, mark);
        if end || builder.overflow.is_some() {
            break;
        }
    }
    if let Some(msg) = builder.overflow {
        OVERFLOW.with(|o| *o.borrow_mut() = Some(msg.clone()));
        return Err(msg);
    }
    Ok(builder.docs)
}

/// How `text` nests, read event by event without building anything and
/// stopping at the first collection [`MAX_DEPTH`] levels deep (yaml-rust2's
/// scanner stops there too, for flow collections): `Ok(Some(byte))` where
/// that collection starts, `Ok(None)` when the whole text is within it,
/// `Err((reason, byte))` where this parser stops on text it cannot read. For
/// files handed to a YAML library whose time grows with the square of the
/// depth (the config file and rule files).
pub fn too_deep(text: &str) -> Result<Option<usize>, (String, usize)> {
    let offsets = CharToByte::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut depth = 0usize;
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                if e.info() == "recursion limit exceeded" {
                    return Ok(Some(at));
                }
                return Err((e.info().to_string(), at));
            }
        };
        match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth >= MAX_DEPTH {
                    return Ok(Some(offsets.byte(mark.index())));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::StreamEnd => return Ok(None),
            _ => {}
        }
    }
}

/// yaml-rust2 marks positions in chars; findings need bytes.
struct CharToByte {
    /// Byte offset of every char, only built when the text is not ASCII.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharToByte {
            table,
            len: text.len(),
        }
    }
    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

enum Frame {
    Seq(Vec<Node>, Pos, usize),
    Map(Vec<(Node, Node)>, Option<Node>, Pos, usize),
}

struct Builder {
    stack: Vec<Frame>,
    docs: Vec<Node>,
    /// Anchored nodes with their size in nodes.
    anchors: HashMap<usize, (Node, usize)>,
    offsets: CharToByte,
    doc_nodes: usize,
    file_nodes: usize,
    /// Open collections being skipped (past the depth budget).
    skip: usize,
    overflow: Option<String>,
}

/// Nodes in `node`'s tree.
fn size(node: &Node) -> usize {
    match node {
        Node::Seq { items, .. } => 1 + items.iter().map(size).sum::<usize>(),
        Node::Map { entries, .. } => {
            1 + entries
                .iter()
                .map(|(k, v)| size(k) + size(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

impl Builder {
    /// Counts `n` more nodes; false (and the reason kept) past a budget.
    fn spend(&mut self, n: usize) -> bool {
        self.doc_nodes = self.doc_nodes.saturating_add(n);
        self.file_nodes = self.file_nodes.saturating_add(n);
        if self.overflow.is_none()
            && (self.doc_nodes > MAX_DOC_NODES || self.file_nodes > MAX_FILE_NODES)
        {
            self.overflow = Some(format!(
                "YAML too large once its aliases are expanded (over {MAX_DOC_NODES} nodes in a document); not read"
            ));
        }
        self.overflow.is_none()
    }

    fn pos(&self, mark: Marker) -> Pos {
        Pos {
            byte: self.offsets.byte(mark.index()),
            line: mark.line(),
            col: mark.col(),
        }
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq(items, _, _)) => items.push(node),
            Some(Frame::Map(entries, key, _, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // Past a budget nothing more is built; the parse ends in an error.
        if self.overflow.is_some() {
            return;
        }
        if self.skip > 0 {
            match ev {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skip += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skip -= 1,
                _ => {}
            }
            return;
        }
        let pos = self.pos(mark);
        match ev {
            Event::DocumentStart => self.doc_nodes = 0,
            Event::Scalar(value, style, anchor, tag) => {
                if !self.spend(1) {
                    return;
                }
                let style = match style {
                    TScalarStyle::Literal | TScalarStyle::Folded => ScalarStyle::Block,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => ScalarStyle::Quoted,
                    _ => ScalarStyle::Plain,
                };
                let is_null = style == ScalarStyle::Plain
                    && tag.is_none()
                    && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                let node = if is_null {
                    Node::Null { pos }
                } else {
                    Node::Scalar { value, pos, style }
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if self.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                self.skip = 1;
                self.overflow = Some(format!(
                    "YAML nested deeper than {MAX_DEPTH} levels; not read"
                ));
            }
            Event::SequenceStart(anchor, _) if self.spend(1) => {
                self.stack.push(Frame::Seq(Vec::new(), pos, anchor))
            }
            Event::MappingStart(anchor, _) if self.spend(1) => {
                self.stack.push(Frame::Map(Vec::new(), None, pos, anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, pos, a)) => (Node::Seq { items, pos }, a),
                    Some(Frame::Map(entries, _, pos, a)) => (
                        Node::Map {
                            entries: merge_keys(entries),
                            pos,
                        },
                        a,
                    ),
                    None => return,
                };
                if anchor > 0 {
                    let n = size(&node);
                    self.anchors.insert(anchor, (node.clone(), n));
                }
                self.push(node);
            }
            Event::Alias(id) => {
                let n = self.anchors.get(&id).map_or(1, |(_, n)| *n);
                if !self.spend(n) {
                    return;
                }
                let node = self
                    .anchors
                    .get(&id)
                    .map_or(Node::Null { pos }, |(node, _)| node.clone());
                self.push(node);
            }
            _ => {}
        }
    }
}

/// Applies `<<: *anchor` merges so `extends`-like YAML reuse is visible to callers.
fn merge_keys(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    if !entries.iter().any(|(k, _)| k.as_str() == Some("<<")) {
        return entries;
    }
    let mut out: Vec<(Node, Node)> = Vec::new();
    let mut merged: Vec<(Node, Node)> = Vec::new();
    for (k, v) in entries {
        if k.as_str() == Some("<<") {
            let sources: Vec<Node> = match v {
                Node::Seq { items, .. } => items,
                other => vec![other],
            };
            for src in sources {
                merged.extend(src.entries().iter().cloned());
            }
        } else {
            out.push((k, v));
        }
    }
    for (k, v) in merged {
        if !out
            .iter()
            .any(|(ok, _)| ok.as_str().is_some() && ok.as_str() == k.as_str())
        {
            out.push((k, v));
        }
    }
    out
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
    fn deep_nesting_is_refused_not_overflowing_the_stack() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = parse(&text);
        assert!(r.is_err());
        let text = format!("{}x", "- ".repeat(MAX_DEPTH - 1));
        assert!(parse(&text).is_ok());
        let text = format!("{}x", "- ".repeat(100_000));
        assert!(parse(&text).is_err_and(|e| e.contains("deeper")));
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

    #[test]
    fn malformed_yaml_is_an_error_not_a_panic() {
        assert!(parse("a: [1, 2\nb: {").is_err());
    }
}
