//! Command text that remembers where each byte came from in the file.
//!
//! A command rarely sits in the file as written: YAML strips a block
//! scalar's indentation, JSON and Groovy strings carry escapes. Findings must
//! still point at the exact column, so every piece of command text is a
//! [`Snippet`]: the text a shell would see, plus a map from each of its bytes
//! back to the file bytes it was decoded from.

use crate::yaml::{Node, ScalarStyle};

/// Text plus, for every byte, the file byte range it came from.
#[derive(Debug, Clone)]
pub(crate) struct Snippet {
    pub text: String,
    map: SpanMap,
}

#[derive(Debug, Clone)]
enum SpanMap {
    /// Text found verbatim at this file offset: byte `i` is `start + i`.
    /// What [`SpanMap::Exact`] would say, without 16 bytes per text byte.
    Verbatim(usize),
    /// One file range per text byte.
    Exact(Vec<(usize, usize)>),
    /// The decoding could not be followed: every range is the whole value.
    Whole(usize, usize),
}

impl Snippet {
    /// Text that appears verbatim in the file at `start`.
    pub fn verbatim(text: &str, start: usize) -> Snippet {
        Snippet {
            text: text.to_string(),
            map: SpanMap::Verbatim(start),
        }
    }

    /// Text whose file origin is only known as a whole.
    pub fn whole(text: &str, start: usize, end: usize) -> Snippet {
        Snippet {
            text: text.to_string(),
            map: SpanMap::Whole(start, end.max(start)),
        }
    }

    /// Text with a file range for each of its bytes (`map.len() == text.len()`).
    pub fn mapped(text: String, map: Vec<(usize, usize)>) -> Snippet {
        if map.len() == text.len() {
            Snippet {
                text,
                map: SpanMap::Exact(map),
            }
        } else {
            let (s, e) = (
                map.first().map_or(0, |r| r.0),
                map.last().map_or(0, |r| r.1),
            );
            Snippet {
                text,
                map: SpanMap::Whole(s, e),
            }
        }
    }

    /// Pieces joined by single spaces, each keeping its origin; returns the
    /// text offset where each piece starts, so they can become words.
    pub fn concat(parts: &[Snippet]) -> (Snippet, Vec<usize>) {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut starts = Vec::new();
        for part in parts {
            if !text.is_empty() {
                text.push(' ');
                map.push(map.last().copied().unwrap_or_default());
            }
            starts.push(text.len());
            text.push_str(&part.text);
            map.extend((0..part.text.len()).map(|i| part.span(i, i + 1)));
        }
        (Snippet::mapped(text, map), starts)
    }

    /// File byte range of text bytes `a..b`.
    pub fn span(&self, a: usize, b: usize) -> (usize, usize) {
        match &self.map {
            SpanMap::Whole(s, e) => (*s, *e),
            SpanMap::Verbatim(_) if self.text.is_empty() => (0, 0),
            SpanMap::Verbatim(s) => {
                // As `Exact` computes it for `(s + i, s + i + 1)`.
                let last = self.text.len() - 1;
                let start = a.min(last);
                let end = b.saturating_sub(1).clamp(start, last) + 1;
                (s + start, s + end)
            }
            SpanMap::Exact(m) if m.is_empty() => (0, 0),
            SpanMap::Exact(m) => {
                let last = m.len() - 1;
                let start = m[a.min(last)].0;
                let end = m[b.saturating_sub(1).clamp(a.min(last), last)].1;
                (start, end.max(start))
            }
        }
    }

    /// The part `a..b` of this text, keeping its map.
    pub fn slice(&self, a: usize, b: usize) -> Snippet {
        let b = b.min(self.text.len());
        let a = a.min(b);
        let text = self.text.get(a..b).unwrap_or_default().to_string();
        let map = match &self.map {
            SpanMap::Verbatim(s) => SpanMap::Verbatim(s + a),
            SpanMap::Exact(m) => SpanMap::Exact(m[a..b].to_vec()),
            SpanMap::Whole(s, e) => SpanMap::Whole(*s, *e),
        };
        Snippet { text, map }
    }

    /// New text derived from this one, where byte `i` of `text` came from byte `idx[i]`.
    pub fn derive(&self, text: &str, idx: &[usize]) -> Snippet {
        let map = match &self.map {
            SpanMap::Verbatim(s) if idx.len() == text.len() && !self.text.is_empty() => {
                let last = self.text.len() - 1;
                SpanMap::Exact(
                    idx.iter()
                        .map(|&i| (s + i.min(last), s + i.min(last) + 1))
                        .collect(),
                )
            }
            SpanMap::Verbatim(s) => {
                let e = if self.text.is_empty() {
                    0
                } else {
                    s + self.text.len()
                };
                SpanMap::Whole(if self.text.is_empty() { 0 } else { *s }, e)
            }
            SpanMap::Exact(m) if idx.len() == text.len() && !m.is_empty() => {
                let last = m.len() - 1;
                SpanMap::Exact(idx.iter().map(|&i| m[i.min(last)]).collect())
            }
            SpanMap::Exact(m) => {
                let (s, e) = (m.first().map_or(0, |r| r.0), m.last().map_or(0, |r| r.1));
                SpanMap::Whole(s, e)
            }
            SpanMap::Whole(s, e) => SpanMap::Whole(*s, *e),
        };
        Snippet {
            text: text.to_string(),
            map,
        }
    }

    /// `value` as decoded from the file starting at `start`, found by walking both
    /// texts and skipping what decoding removes (indentation, quotes, escapes).
    pub fn aligned(value: &str, file: &str, start: usize, end_hint: usize) -> Snippet {
        match align(value.as_bytes(), file.as_bytes(), start) {
            Some(map) => Snippet {
                text: value.to_string(),
                map: SpanMap::Exact(map),
            },
            None => Snippet::whole(value, start, end_hint),
        }
    }

    /// The text of a YAML scalar node with its file positions.
    pub fn from_yaml(node: &Node, file: &str) -> Option<Snippet> {
        let Node::Scalar { value, pos, style } = node else {
            return None;
        };
        let bytes = file.as_bytes();
        let line_end = memchr::memchr(b'\n', bytes.get(pos.byte..).unwrap_or_default())
            .map_or(bytes.len(), |i| pos.byte + i);
        let start = match style {
            // Depending on the parser, a block scalar is marked at its `|` or at its first line.
            ScalarStyle::Block if matches!(bytes.get(pos.byte), Some(b'|' | b'>')) => {
                (line_end + 1).min(bytes.len())
            }
            ScalarStyle::Quoted => pos.byte + 1,
            ScalarStyle::Plain | ScalarStyle::Block => pos.byte,
        };
        Some(Snippet::aligned(value, file, start, line_end))
    }
}

/// Maps each byte of `value` to a byte of `file` at or after `start`.
fn align(value: &[u8], file: &[u8], start: usize) -> Option<Vec<(usize, usize)>> {
    let mut map = Vec::with_capacity(value.len());
    let mut c = start;
    for &b in value {
        loop {
            let f = *file.get(c)?;
            if f == b {
                map.push((c, c + 1));
                c += 1;
                break;
            }
            let after_escape = c > 0 && file[c - 1] == b'\\' && f.is_ascii_alphanumeric();
            if matches!(f, b' ' | b'\t' | b'\r' | b'\n' | b'\\' | b'"' | b'\'') || after_escape {
                c += 1;
            } else if b.is_ascii_whitespace() {
                // Folding turned a line break into a space that the file does not hold here.
                map.push((c, c));
                break;
            } else {
                return None;
            }
        }
    }
    Some(map)
}

/// Decodes a JSON (or single-quoted JSONC) string literal `raw`, quotes
/// included, found at file offset `start`. Every decoded byte maps to its escape.
pub(crate) fn json_string(raw: &str, start: usize) -> Option<Snippet> {
    let bytes = raw.as_bytes();
    let quote = *bytes.first()?;
    let mut text = String::new();
    let mut map = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == quote {
            return Some(Snippet {
                text,
                map: SpanMap::Exact(map),
            });
        }
        let (ch, len) = if b == b'\\' {
            json_escape(raw, i)?
        } else {
            (raw[i..].chars().next()?, 0)
        };
        let width = if len == 0 { ch.len_utf8() } else { len };
        if len == 0 {
            for k in 0..width {
                map.push((start + i + k, start + i + k + 1));
            }
        } else {
            map.extend(std::iter::repeat_n(
                (start + i, start + i + width),
                ch.len_utf8(),
            ));
        }
        text.push(ch);
        i += width;
    }
    None
}

/// The char an escape at `i` stands for and the escape's length in bytes.
fn json_escape(raw: &str, i: usize) -> Option<(char, usize)> {
    let next = *raw.as_bytes().get(i + 1)?;
    let simple = match next {
        b'n' => Some('\n'),
        b't' => Some('\t'),
        b'r' => Some('\r'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'u' => None,
        // Invalid JSON (`\é`): keep the whole char after the backslash, so the
        // length stays on a char boundary.
        _ => {
            let c = raw.get(i + 1..)?.chars().next()?;
            return Some((c, 1 + c.len_utf8()));
        }
    };
    if let Some(c) = simple {
        return Some((c, 2));
    }
    let hi = u32::from_str_radix(raw.get(i + 2..i + 6)?, 16).ok()?;
    if (0xD800..0xDC00).contains(&hi) && raw.get(i + 6..i + 8) == Some("\\u") {
        let lo = u32::from_str_radix(raw.get(i + 8..i + 12)?, 16).ok()?;
        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
        return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), 12));
    }
    Some((char::from_u32(hi).unwrap_or('\u{FFFD}'), 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_spans_are_the_exact_map_of_a_verbatim_text() {
        let exact = |text: &str, start: usize| {
            Snippet::mapped(
                text.to_string(),
                (0..text.len())
                    .map(|i| (start + i, start + i + 1))
                    .collect(),
            )
        };
        for text in ["", "a", "ab", "echo hi", "x=1 y"] {
            let (v, e) = (Snippet::verbatim(text, 7), exact(text, 7));
            for a in 0..text.len() + 2 {
                for b in 0..text.len() + 2 {
                    assert_eq!(v.span(a, b), e.span(a, b), "{text:?} span {a}..{b}");
                    if a <= b && b <= text.len() {
                        let (vs, es) = (v.slice(a, b), e.slice(a, b));
                        assert_eq!(vs.span(0, b - a), es.span(0, b - a), "{text:?} slice");
                    }
                }
            }
            let idx: Vec<usize> = (0..text.len()).rev().collect();
            for (t, idx) in [(text, idx.as_slice()), ("zz", &[9, 0][..])] {
                let (vd, ed) = (v.derive(t, idx), e.derive(t, idx));
                for a in 0..t.len() + 1 {
                    assert_eq!(
                        vd.span(a, a + 1),
                        ed.span(a, a + 1),
                        "{text:?} derive {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn json_escapes_map_to_their_source() {
        let raw = r#""a \"b\" \u00e9c""#;
        let s = json_string(raw, 10).unwrap_or_else(|| Snippet::whole("", 0, 0));
        assert_eq!(s.text, "a \"b\" éc");
        // `b` sits after `a \"` in the file: offset 10 + 1 (quote) + 4.
        assert_eq!(s.span(3, 4), (15, 16));
        let c = s.text.find('c').unwrap_or(0);
        assert_eq!(
            s.span(c, c + 1),
            (
                10 + raw.find('c').unwrap_or(0),
                11 + raw.find('c').unwrap_or(0)
            )
        );
    }

    #[test]
    fn escape_before_a_multibyte_char_does_not_split_it() {
        let raw = "\"\\é x\"";
        let s = json_string(raw, 0).map(|s| s.text);
        assert_eq!(s.as_deref(), Some("é x"));
    }

    #[test]
    fn block_scalar_lines_align_with_file_lines() {
        let file = "run: |\n    echo a\n    prisma1 deploy\n";
        let s = Snippet::aligned("echo a\nprisma1 deploy\n", file, 7, 7);
        let p = s.text.find("prisma1").unwrap_or(0);
        assert_eq!(
            s.span(p, p + 7),
            (
                file.find("prisma1").unwrap_or(0),
                file.find("prisma1").unwrap_or(0) + 7
            )
        );
    }

    #[test]
    fn unalignable_text_spans_the_whole_value() {
        let s = Snippet::aligned("xyz", "abc", 0, 3);
        assert_eq!(s.span(1, 2), (0, 3));
    }
}
