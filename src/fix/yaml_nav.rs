//! Finding your way in a YAML file by position, to edit it as its author would:
//! which step or job holds a byte offset, where an entry ends, what
//! indentation the file uses. Built on the positioned tree of
//! `crate::yaml`; only block layouts are edited (a flow mapping
//! `{a: 1}` gives no fix rather than a guess).

use crate::yaml::Node;

/// The nodes from a document down to the one holding `offset`: each with the
/// key it sits under (`None` for documents and sequence items).
pub fn locate(doc: &Node, offset: usize) -> Vec<(Option<&Node>, &Node)> {
    let mut out = vec![(None, doc)];
    let mut node = doc;
    loop {
        let next = match node {
            Node::Map { entries, .. } => entries
                .iter()
                .filter(|(k, _)| k.pos().byte <= offset)
                .max_by_key(|(k, _)| k.pos().byte)
                .map(|(k, v)| (Some(k), v)),
            Node::Seq { items, .. } => items
                .iter()
                .filter(|i| i.pos().byte <= offset)
                .max_by_key(|i| i.pos().byte)
                .map(|i| (None, i)),
            _ => None,
        };
        match next {
            // Aliases and merge keys can point backwards; stop rather than loop.
            Some((_, n)) if n.pos().byte < node.pos().byte => break,
            Some((k, n)) => {
                out.push((k, n));
                node = n;
            }
            None => break,
        }
    }
    out
}

/// The document of `docs` that holds `offset`.
pub fn doc_at(docs: &[Node], offset: usize) -> Option<&Node> {
    docs.iter()
        .filter(|d| d.pos().byte <= offset)
        .max_by_key(|d| d.pos().byte)
}

/// The indentation step of the file: the smallest indent between a key and
/// the keys of the mapping under it (2 when nothing says).
pub fn indent_unit(docs: &[Node]) -> usize {
    fn walk(n: &Node, best: &mut usize) {
        for (k, v) in n.entries() {
            if let Some((ck, _)) = v.entries().first() {
                if ck.pos().line > k.pos().line && ck.pos().col > k.pos().col {
                    *best = (*best).min(ck.pos().col - k.pos().col);
                }
            }
            walk(v, best);
        }
        for i in n.items() {
            walk(i, best);
        }
    }
    let mut best = usize::MAX;
    for d in docs {
        walk(d, &mut best);
    }
    if best == usize::MAX || best == 0 || best > 8 {
        2
    } else {
        best
    }
}

/// Byte offset of the start of the line holding `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    memchr::memrchr(b'\n', &b[..at.min(b.len())]).map_or(0, |i| i + 1)
}

/// Byte offset just past the end of the line holding `at` (past its `\n`).
pub fn line_end(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let at = at.min(b.len());
    memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Where the entry whose key is `key` (its value `value`) ends: just past the
/// last line that belongs to it. Lines belong while they are indented deeper
/// than the key, or are `- ` items at the key's own column under a sequence
/// value; blank lines and comments after the last such line do not.
pub fn entry_end(text: &str, key: &Node, value: &Node) -> usize {
    let col = key.pos().col;
    let same_col_items = matches!(value, Node::Seq { .. });
    let mut end = line_end(text, key.pos().byte);
    let mut at = end;
    while at < text.len() {
        let next = line_end(text, at);
        let line = text[at..next].trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches(' ');
        if body.is_empty() || (body.starts_with('#') && indent(line) > col) {
            at = next;
            continue;
        }
        let deeper =
            indent(line) > col || (same_col_items && indent(line) == col && body.starts_with("- "));
        if !deeper {
            break;
        }
        end = next;
        at = next;
    }
    end
}

/// True when `map` is a block mapping whose keys each start a line (after
/// any `- ` of a sequence item), the only layout the fixers edit.
pub fn is_block_map(text: &str, map: &Node) -> bool {
    let Node::Map { entries, .. } = map else {
        return false;
    };
    !entries.is_empty()
        && entries.iter().all(|(k, _)| {
            let p = k.pos();
            let before = &text[line_start(text, p.byte)..p.byte.min(text.len())];
            before.chars().all(|c| c == ' ' || c == '-')
        })
}

/// Where to insert text after the last entry of block mapping `map`, and the
/// column of its keys. The insertion point is always at a line start.
pub fn after_last_entry(text: &str, map: &Node) -> Option<(usize, usize)> {
    if !is_block_map(text, map) {
        return None;
    }
    let (k, v) = map.entries().last()?;
    let col = map.entries().first()?.0.pos().col;
    Some((entry_end(text, k, v), col))
}

/// `text` as lines to insert at `at`: adds the missing newline before them
/// when `at` is the end of a file without a final newline.
pub fn insertion(text: &str, at: usize, lines: &[String], nl: &str) -> String {
    let mut s = String::new();
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        s.push_str(nl);
    }
    for l in lines {
        s.push_str(l);
        s.push_str(nl);
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    const WF: &str = "jobs:\n  deploy:\n    steps:\n      - uses: actions/checkout@v4\n      - name: Deploy\n        run: |\n          npm ci\n          npx prisma1 deploy\n\n      # last\n      - run: echo done\n";

    #[test]
    fn locate_finds_the_step_of_a_command() {
        let docs = parse(WF).unwrap();
        let at = WF.find("npx prisma1").unwrap();
        let chain = locate(&docs[0], at);
        let keys: Vec<&str> = chain
            .iter()
            .filter_map(|(k, _)| k.and_then(Node::as_str))
            .collect();
        assert_eq!(keys, ["jobs", "deploy", "steps", "run"]);
        let step = chain[4].1;
        assert_eq!(step.get("name").and_then(Node::as_str), Some("Deploy"));
    }

    #[test]
    fn entry_end_stops_before_blank_lines_comments_and_siblings() {
        let docs = parse(WF).unwrap();
        let at = WF.find("npx prisma1").unwrap();
        let chain = locate(&docs[0], at);
        let (end, col) = after_last_entry(WF, chain[4].1).unwrap();
        assert_eq!(col, 8);
        assert_eq!(&WF[..end], &WF[..WF.find("\n\n").unwrap() + 1]);
        assert_eq!(indent_unit(&docs), 2);
    }

    #[test]
    fn sequence_items_at_the_keys_column_belong_to_it() {
        let text = "deploy:\n  script:\n  - a\n  - b\nnext:\n  script: [c]\n";
        let docs = parse(text).unwrap();
        let job = docs[0].get("deploy").unwrap();
        let (end, col) = after_last_entry(text, job).unwrap();
        assert_eq!((end, col), (text.find("next").unwrap(), 2));
        assert!(!is_block_map(
            text,
            docs[0].get("next").unwrap().get("script").unwrap()
        ));
    }
}
