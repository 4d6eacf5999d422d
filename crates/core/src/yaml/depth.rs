//! YAML nested deeper than the budget. Nothing real is nested 256 levels
//! deep, but a hostile file can put 300 levels of `{a:` before `jobs:` so
//! that a reader which gives up on the whole file loses the `run:` steps
//! after it, silently. Here the part that is too deep is left out (blanked
//! to spaces, so every other byte, line and column stays where it was), the
//! rest is read again, and the file gets a note naming the lines left out.

use super::read::{parse_once, set_overflow, CharToByte, Node, Stop, MAX_DEPTH, SCANNER_LIMIT};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Scanner, Token, TokenType};

/// Most parts of one file left out before the whole file is given up: each
/// costs one more reading of the file.
const MAX_LEFT_OUT: usize = 8;

/// Parses `text`, leaving out each part nested too deep (see the module doc).
pub(super) fn parse_around(text: &str) -> Result<Vec<Node>, String> {
    let mut blanked: Option<String> = None;
    let mut left_out: Vec<(usize, usize)> = Vec::new();
    loop {
        let current = blanked.as_deref().unwrap_or(text);
        let stop = match parse_once(current) {
            Ok(docs) => {
                if !left_out.is_empty() {
                    set_overflow(&note(&left_out, "the rest was read"));
                }
                return Ok(docs);
            }
            Err(stop) => stop,
        };
        let msg = match stop {
            Stop::TooDeep(at) if left_out.len() < MAX_LEFT_OUT => {
                let (start, end) = region(current, at);
                left_out.push(lines(current, start, end));
                blanked = Some(blank(current, start, end));
                continue;
            }
            Stop::TooDeep(_) => format!(
                "YAML nested deeper than {MAX_DEPTH} levels in more than {MAX_LEFT_OUT} places; not read"
            ),
            Stop::Budget(msg) => msg,
            // Malformed once the deep part is left out: say what was left out.
            Stop::Syntax(msg) if !left_out.is_empty() => {
                note(&left_out, &format!("the rest could not be read ({msg})"))
            }
            Stop::Syntax(msg) => return Err(msg),
        };
        set_overflow(&msg);
        return Err(msg);
    }
}

/// The note for the parts left out, as 1-based line ranges.
fn note(left_out: &[(usize, usize)], rest: &str) -> String {
    let parts: Vec<String> = left_out
        .iter()
        .map(|&(a, b)| {
            if a == b {
                format!("line {a}")
            } else {
                format!("lines {a}-{b}")
            }
        })
        .collect();
    format!(
        "YAML nested deeper than {MAX_DEPTH} levels; not read: {}; {rest}",
        parts.join(", ")
    )
}

/// The bytes to leave out for a collection too deep at `at`: from the
/// outermost flow collection open there (a flow collection is one value,
/// left out whole), else from the collection that went too deep, to the next
/// line indented no more than the line that part starts on (where the next
/// entry of the block collection around it, or whatever follows, starts).
fn region(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = outermost_flow(text, at).unwrap_or(at).min(at);
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let limit = indent(&bytes[line_start..]);
    let mut line = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
    while line < bytes.len() {
        let next = memchr::memchr(b'\n', &bytes[line..]).map_or(bytes.len(), |i| line + i + 1);
        let body = &bytes[line..next];
        let rest = &body[indent(body)..];
        let empty = rest.iter().all(u8::is_ascii_whitespace) || rest.starts_with(b"#");
        if !empty && indent(body) <= limit {
            return (start, line);
        }
        line = next;
    }
    (start, bytes.len())
}

fn indent(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

/// Where the outermost flow collection open at byte `at` starts, from the
/// scanner's tokens (which know quotes and comments); `None` in block
/// context. The text is cut at `at`: the scanner holds tokens back while a
/// key may follow and drops them when it stops on its nesting limit, but
/// hands them all over at the end of the text.
fn outermost_flow(text: &str, at: usize) -> Option<usize> {
    let before = text.get(..at)?;
    let offsets = CharToByte::new(before);
    let mut level = 0usize;
    let mut outer = None;
    for Token(mark, kind) in Scanner::new(before.chars()) {
        let byte = offsets.byte(mark.index());
        match kind {
            TokenType::FlowSequenceStart | TokenType::FlowMappingStart => {
                if level == 0 {
                    outer = Some(byte);
                }
                level += 1;
            }
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => {
                level = level.saturating_sub(1);
            }
            _ => {}
        }
    }
    outer.filter(|_| level > 0)
}

/// `text` with `start..end` turned to spaces, line breaks kept.
fn blank(text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    for c in text[start..end].chars() {
        match c {
            '\n' | '\r' => out.push(c),
            c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out.push_str(&text[end..]);
    out
}

/// The 1-based lines `start..end` covers.
fn lines(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let first = memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1;
    let last_byte = end.saturating_sub(1).max(start);
    let last = memchr::memchr_iter(b'\n', &bytes[..last_byte.min(bytes.len())]).count() + 1;
    (first, last.max(first))
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
                if e.info() == SCANNER_LIMIT {
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

#[cfg(test)]
#[path = "depth_tests.rs"]
mod tests;
