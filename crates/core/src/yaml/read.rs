//! One reading of a YAML text into a tree of [`Node`]s, under the node and
//! depth budgets: it stops at the first collection nested too deep and says
//! where ([`Stop::TooDeep`]), for [`super::depth`] to read around it.

use std::cell::RefCell;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The scanner's error for flow collections nested past its own limit.
pub(super) const SCANNER_LIMIT: &str = "recursion limit exceeded";

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

pub(super) fn set_overflow(msg: &str) {
    OVERFLOW.with(|o| *o.borrow_mut() = Some(msg.to_string()));
}

/// Why one reading of a text stopped.
pub(super) enum Stop {
    /// Malformed YAML.
    Syntax(String),
    /// Past the node budget.
    Budget(String),
    /// A collection [`MAX_DEPTH`] levels deep, at this byte.
    TooDeep(usize),
}

pub(super) fn parse_once(text: &str) -> Result<Vec<Node>, Stop> {
    let mut builder = Builder {
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        offsets: CharToByte::new(text),
        doc_nodes: 0,
        file_nodes: 0,
        overflow: None,
        too_deep: None,
    };
    let mut parser = Parser::new_from_str(text);
    // Event by event: `Parser::load` recurses once per nesting level and
    // overflows the stack on 100,000 nested `- `; this loop stops early too.
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(next) => next,
            // The scanner's own limit on flow nesting (255 levels).
            Err(e) if e.info() == SCANNER_LIMIT => {
                return Err(Stop::TooDeep(builder.offsets.byte(e.marker().index())));
            }
            Err(e) => return Err(Stop::Syntax(e.to_string())),
        };
        let end = ev == Event::StreamEnd;
        builder.on_event(ev, mark);
        if let Some(at) = builder.too_deep {
            return Err(Stop::TooDeep(at));
        }
        if end || builder.overflow.is_some() {
            break;
        }
    }
    match builder.overflow {
        Some(msg) => Err(Stop::Budget(msg)),
        None => Ok(builder.docs),
    }
}

/// yaml-rust2 marks positions in chars; findings need bytes.
pub(super) struct CharToByte {
    /// Byte offset of every char, only built when the text is not ASCII.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharToByte {
    pub(super) fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharToByte {
            table,
            len: text.len(),
        }
    }
    pub(super) fn byte(&self, char_index: usize) -> usize {
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
    overflow: Option<String>,
    /// Where a collection [`MAX_DEPTH`] levels deep starts.
    too_deep: Option<usize>,
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
        if self.overflow.is_some() || self.too_deep.is_some() {
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
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.too_deep = Some(pos.byte);
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
