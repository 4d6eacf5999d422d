//! Text a report shows, typed by where it came from.
//!
//! [`RepoText`] is text read from a scanned file (a snippet, a captured
//! value, a command line, a diff's context) together with the spans of the
//! secrets in it, found by the parsers that know a value is a secret
//! ([`crate::mask`]). Its characters cannot be read back: the only ways out
//! are [`RepoText::masked`], `Display` and `Serialize`, which replace every
//! secret span with [`MASK`]. A reporter therefore cannot print repository
//! text unmasked; the compiler sees to it.
//!
//! [`Text`] is what a message is made of: the tool's own words (rule
//! wording, rule ids, paths, hosts the rules recognise) as plain strings
//! that masking never sees, and repository text as [`RepoText`].

use crate::mask::{self, Backstop, Span};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// What every output shows in place of a secret.
pub const MASK: &str = "«redacted»";

/// Text from a scanned file, with the byte spans of its secrets (sorted,
/// disjoint, on char boundaries, never across a newline).
#[derive(Debug, Clone, Default)]
pub struct RepoText {
    text: String,
    secrets: Vec<Span>,
}

impl RepoText {
    /// Gives back the spare capacity of its buffers (text held until the
    /// report is written: see [`Text::shrink_to_fit`]).
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.secrets.shrink_to_fit();
    }

    fn new(text: String, secrets: Vec<Span>) -> RepoText {
        let secrets = secrets
            .into_iter()
            .map(|(s, e)| {
                let e = e.min(text.len());
                (floor(&text, s.min(e)), ceil(&text, e))
            })
            .collect();
        let secrets = split_at_newlines(&text, mask::syntax::merge(secrets));
        RepoText { text, secrets }
    }

    /// Bytes `start..end` of a file whose secret spans are `spans` (file
    /// offsets; those that reach into the range are kept, cut to it).
    pub fn from_file(file: &[u8], start: usize, end: usize, spans: &[Span]) -> RepoText {
        let end = end.min(file.len());
        let start = start.min(end);
        let slice = &file[start..end];
        let rel: Vec<Span> = mask::syntax::merge(
            spans
                .iter()
                .filter(|(s, e)| *e > start && *s < end)
                .map(|&(s, e)| (s.max(start) - start, e.min(end) - start))
                .collect(),
        );
        if let Ok(t) = std::str::from_utf8(slice) {
            return RepoText::new(t.to_string(), rel);
        }
        // Invalid UTF-8 changes lengths when replaced: decode piece by piece.
        let mut text = String::with_capacity(slice.len());
        let mut secrets = Vec::with_capacity(rel.len());
        let mut at = 0;
        for (s, e) in rel {
            text.push_str(&String::from_utf8_lossy(&slice[at..s]));
            let from = text.len();
            text.push_str(&String::from_utf8_lossy(&slice[s..e]));
            secrets.push((from, text.len()));
            at = e;
        }
        text.push_str(&String::from_utf8_lossy(&slice[at..]));
        RepoText::new(text, secrets)
    }

    /// Text derived from a file (a value a parser read, a label it built),
    /// its secrets found by the same syntax scanner that reads files.
    pub fn parsed(s: &str) -> RepoText {
        let spans = mask::spans(crate::kind::FileKind::Text, s.as_bytes());
        RepoText::new(s.to_string(), spans)
    }

    /// A command's words joined by spaces, `--key` arguments and secret
    /// assignments cut whole (see [`mask::word_spans`]).
    pub fn words(words: &[String]) -> RepoText {
        let prisma = words.iter().any(|w| w.contains("prisma"));
        let (text, spans) = mask::word_spans(words, prisma);
        RepoText::new(text, spans)
    }

    /// Arguments of a Prisma command (its flags): as [`RepoText::words`],
    /// `--key`/`-k` being the CLI's.
    pub fn prisma_args(words: &[String]) -> RepoText {
        let (text, spans) = mask::word_spans(words, true);
        RepoText::new(text, spans)
    }

    /// A value known to be a secret: all of it is masked.
    pub fn secret(s: &str) -> RepoText {
        RepoText::new(s.to_string(), vec![(0, s.len())])
    }

    /// A name from the repository (a package, a key, a rule id in a
    /// comment): no syntax to scan, still subject to the value backstop.
    pub fn name(s: &str) -> RepoText {
        RepoText::new(s.to_string(), Vec::new())
    }

    /// Text an earlier run of the tool wrote (an audit shard that
    /// `audit --merge` reads): masked when it was written, read as it is.
    pub fn written(s: String) -> RepoText {
        RepoText {
            text: s,
            secrets: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The same characters as `other`, secrets included (to tell a change
    /// inside a secret from none; nothing is revealed).
    pub fn same_as(&self, other: &RepoText) -> bool {
        self.text == other.text
    }

    /// Does it hold secrets (known spans)?
    pub fn has_secrets(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// The text with every secret replaced by [`MASK`].
    pub fn masked(&self) -> String {
        if self.secrets.is_empty() {
            return self.text.clone();
        }
        let mut out = String::with_capacity(self.text.len() + 8 * self.secrets.len());
        let mut at = 0;
        for &(s, e) in &self.secrets {
            out.push_str(&self.text[at..s]);
            out.push_str(MASK);
            at = e;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// Where raw byte range `start..end` lies in [`RepoText::masked`]: a
    /// bound inside a secret moves to the mask's edge.
    pub fn masked_range(&self, (start, end): (usize, usize)) -> (usize, usize) {
        let map = |raw: usize, is_end: bool| {
            let mut shift: isize = 0;
            for &(s, e) in &self.secrets {
                if raw <= s {
                    break;
                }
                if raw < e {
                    let at = (s as isize + shift) as usize;
                    return if is_end { at + MASK.len() } else { at };
                }
                shift += MASK.len() as isize - (e - s) as isize;
            }
            (raw as isize + shift).max(0) as usize
        };
        let s = map(start, false);
        (s, map(end, true).max(s))
    }

    /// Without leading and trailing whitespace.
    pub fn trim(&self) -> RepoText {
        let start = self.text.len() - self.text.trim_start().len();
        let end = start + self.text[start..].trim_end().len();
        self.slice(start, end)
    }

    /// Bytes `start..end` (on char boundaries) with their secrets.
    fn slice(&self, start: usize, end: usize) -> RepoText {
        let secrets = self
            .secrets
            .iter()
            .filter(|(s, e)| *e > start && *s < end)
            .map(|&(s, e)| (s.max(start) - start, e.min(end) - start))
            .collect();
        RepoText {
            text: self.text[start..end].to_string(),
            secrets,
        }
    }

    /// The lines, each with its secrets.
    pub fn lines(&self) -> Vec<RepoText> {
        let mut out = Vec::new();
        let mut at = 0;
        for (i, _) in self.text.match_indices('\n') {
            let end = if i > at && self.text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(self.slice(at, end));
            at = i + 1;
        }
        out.push(self.slice(at, self.text.len()));
        out
    }

    /// Byte offset of 1-based char column `col` on line `line` (0-based) of
    /// the text, clamped to that line (the text's end past its last line).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let mut start = 0;
        for _ in 0..line {
            match self.text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.text.len(),
            }
        }
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.text[start..end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(end, |(i, _)| start + i)
    }

    /// The length in chars of line `line` (0-based).
    pub fn line_chars(&self, line: usize) -> usize {
        self.text
            .split('\n')
            .nth(line)
            .map_or(0, |l| l.chars().count())
    }

    /// Whitespace runs as one space, none at the ends (a content key that
    /// survives reformatting); a secret stays one masked span.
    pub fn collapse_whitespace(&self) -> RepoText {
        let mut text = String::with_capacity(self.text.len());
        let mut map = vec![0usize; self.text.len() + 1];
        let mut pending = false;
        for (i, c) in self.text.char_indices() {
            if c.is_whitespace() {
                pending = !text.is_empty();
                map[i] = text.len();
                continue;
            }
            if std::mem::take(&mut pending) {
                text.push(' ');
            }
            map[i] = text.len();
            text.push(c);
        }
        map[self.text.len()] = text.len();
        let secrets = self
            .secrets
            .iter()
            .map(|&(s, e)| (map[s], map[e]))
            .collect();
        RepoText::new(text, secrets)
    }

    /// Appends `other`.
    pub fn push(&mut self, other: &RepoText) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.secrets
            .extend(other.secrets.iter().map(|&(s, e)| (s + base, e + base)));
    }

    /// Appends text that holds no secret (a separator, `…`).
    pub fn push_plain(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// `parts` joined by `sep`.
    pub fn join(parts: &[RepoText], sep: &str) -> RepoText {
        let mut out = RepoText::default();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push_plain(sep);
            }
            out.push(p);
        }
        out
    }

    /// Chars `from..to` (0-based) of a one-line text with about `max` chars
    /// around them, `…` where it was cut (as [`crate::finding::clip_line`]).
    pub fn clip(&self, from: usize, to: usize, max: usize) -> RepoText {
        if self.text.len() <= max {
            return self.clone();
        }
        let n = self.text.chars().count();
        if n <= max {
            return self.clone();
        }
        let to = to.clamp(from.min(n), n);
        let from = from.min(to);
        let room = max.saturating_sub((to - from).min(max)) / 2;
        let start = from.saturating_sub(room);
        let end = (to + room).min(n).max(start + max.min(n - start));
        let byte = |c: usize| {
            self.text
                .char_indices()
                .nth(c)
                .map_or(self.text.len(), |(i, _)| i)
        };
        let (bs, be) = (byte(start), byte(end));
        let mut out = RepoText::default();
        if start > 0 {
            out.push_plain("…");
        }
        out.push(&self.slice(bs, be));
        if end < n {
            out.push_plain("…");
        }
        out
    }

    /// Cut to at most `max` chars, with `…` when it was longer.
    pub fn cut(&mut self, max: usize) {
        if let Some((i, _)) = self.text.char_indices().nth(max) {
            *self = self.slice(0, i);
            self.push_plain("…");
        }
    }

    /// Also masks every value of `backstop` found in the text.
    pub fn mark(&mut self, backstop: &Backstop) {
        if backstop.is_empty() {
            return;
        }
        let found = backstop.find(&self.text);
        if found.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.secrets);
        all.extend(found);
        *self = RepoText::new(std::mem::take(&mut self.text), all);
    }
}

impl fmt::Display for RepoText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for RepoText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}

// What is read back is what a run wrote: the masked text.
impl<'de> Deserialize<'de> for RepoText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RepoText, D::Error> {
        String::deserialize(d).map(RepoText::written)
    }
}

// Compared as shown: two texts that differ only in a secret are the same
// text to every output, and sort the same whatever the secret.
impl PartialEq for RepoText {
    fn eq(&self, other: &Self) -> bool {
        self.masked() == other.masked()
    }
}
impl Eq for RepoText {}
impl PartialOrd for RepoText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for RepoText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.masked().cmp(&other.masked())
    }
}
impl std::hash::Hash for RepoText {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.masked().hash(h)
    }
}

/// Text shown to people: the tool's words and repository text, in order.
#[derive(Debug, Clone, Default)]
pub struct Text {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    /// The tool's own words: never masked.
    Tool(String),
    Repo(RepoText),
}

impl Text {
    /// The tool's own words (wording, rule ids, paths, recognised hosts).
    pub fn tool(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            parts: if s.is_empty() {
                Vec::new()
            } else {
                vec![Part::Tool(s)]
            },
        }
    }

    /// Text an earlier run of the tool wrote (see [`RepoText::written`]).
    pub fn written(s: String) -> Text {
        Text::repo(RepoText::written(s))
    }

    pub fn repo(r: RepoText) -> Text {
        Text {
            parts: if r.is_empty() {
                Vec::new()
            } else {
                vec![Part::Repo(r)]
            },
        }
    }

    /// Appends the tool's words, to the last part when it is the tool's too:
    /// a message of many template pieces is then a few parts, not dozens
    /// (every finding's texts are held until the report).
    pub fn push_tool(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some(Part::Tool(last)) => last.push_str(s),
            _ => self.parts.push(Part::Tool(s.to_string())),
        }
    }

    /// Gives back the spare capacity that appending left in its parts: a
    /// message grown piece by piece holds up to twice its length, and every
    /// finding's texts are held until the report.
    pub fn shrink_to_fit(&mut self) {
        self.parts.shrink_to_fit();
        for p in &mut self.parts {
            match p {
                Part::Tool(s) => s.shrink_to_fit(),
                Part::Repo(r) => r.shrink_to_fit(),
            }
        }
    }

    pub fn push_repo(&mut self, r: RepoText) {
        if !r.is_empty() {
            self.parts.push(Part::Repo(r));
        }
    }

    pub fn push(&mut self, t: Text) {
        let mut rest = t.parts.into_iter();
        match (self.parts.last_mut(), rest.next()) {
            (Some(Part::Tool(last)), Some(Part::Tool(first))) => last.push_str(&first),
            (_, Some(first)) => self.parts.push(first),
            (_, None) => {}
        }
        self.parts.extend(rest);
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The text with every secret in its repository parts masked.
    pub fn masked(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Tool(s) => out.push_str(s),
                Part::Repo(r) => out.push_str(&r.masked()),
            }
        }
        out
    }

    /// Masks the backstop's values in the repository parts.
    pub fn mark(&mut self, backstop: &Backstop) {
        for p in &mut self.parts {
            if let Part::Repo(r) = p {
                r.mark(backstop);
            }
        }
    }

    /// Cut to at most `max` chars (of the unmasked text), `…` when longer.
    pub fn cut(&mut self, max: usize) {
        let mut left = max;
        let mut keep = 0;
        for p in &mut self.parts {
            let n = match p {
                Part::Tool(s) => s.chars().count(),
                Part::Repo(r) => r.text.chars().count(),
            };
            if n <= left {
                left -= n;
                keep += 1;
                continue;
            }
            match p {
                Part::Tool(s) => {
                    let i = s.char_indices().nth(left).map_or(s.len(), |(i, _)| i);
                    s.truncate(i);
                    s.push('…');
                }
                Part::Repo(r) => r.cut(left),
            }
            keep += 1;
            self.parts.truncate(keep);
            return;
        }
    }
}

// Test fixtures build texts from literals, as repository text.
#[cfg(any(test, feature = "test-util"))]
impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::repo(RepoText::parsed(s))
    }
}
#[cfg(any(test, feature = "test-util"))]
impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::repo(RepoText::parsed(&s))
    }
}
#[cfg(any(test, feature = "test-util"))]
impl From<&str> for RepoText {
    fn from(s: &str) -> RepoText {
        RepoText::parsed(s)
    }
}
#[cfg(any(test, feature = "test-util"))]
impl From<String> for RepoText {
    fn from(s: String) -> RepoText {
        RepoText::parsed(&s)
    }
}

impl From<RepoText> for Text {
    fn from(r: RepoText) -> Text {
        Text::repo(r)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::written)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.masked() == other.masked()
    }
}
impl Eq for Text {}
impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    fn cmp(&self, other: &Self) -> Ordering {
        self.masked().cmp(&other.masked())
    }
}
impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.masked().hash(h)
    }
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn split_at_newlines(text: &str, spans: Vec<Span>) -> Vec<Span> {
    let mut out = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        let mut from = s;
        for (i, _) in text[s..e].match_indices('\n') {
            let mut to = s + i;
            if to > from && text.as_bytes()[to - 1] == b'\r' {
                to -= 1;
            }
            if to > from {
                out.push((from, to));
            }
            from = s + i + 1;
        }
        if e > from {
            out.push((from, e));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_words_pieced_together_are_one_part_and_read_as_one() {
        let pieces = || {
            let mut t = Text::tool("ab");
            t.push_tool("cd");
            t.push(Text::tool("ef"));
            t.push_repo(RepoText::parsed("gh"));
            t.push_tool("ij");
            let mut tail = Text::tool("kl");
            tail.push_repo(RepoText::parsed("mn"));
            t.push(tail);
            t
        };
        let whole = || {
            let mut t = Text::tool("abcdef");
            t.push_repo(RepoText::parsed("gh"));
            t.push_tool("ijkl");
            t.push_repo(RepoText::parsed("mn"));
            t
        };
        assert_eq!(pieces().parts.len(), 4);
        for max in 0..16 {
            let (mut a, mut b) = (pieces(), whole());
            a.cut(max);
            b.cut(max);
            assert_eq!(a.masked(), b.masked(), "{max}");
        }
    }

    #[test]
    fn only_secrets_are_masked_and_the_tool_words_never() {
        let file = b"secret: a b\nendpoint: https://eu1.prisma.sh/x\n";
        let spans = mask::spans(crate::kind::FileKind::PrismaYml, file);
        let snippet = RepoText::from_file(file, 0, file.len(), &spans);
        assert_eq!(
            snippet.masked(),
            format!("secret: {MASK}\nendpoint: https://eu1.prisma.sh/x\n")
        );
        let mut t = Text::tool("prisma1-cli: ");
        t.push_repo(RepoText::parsed("prisma login --key hunter22"));
        t.mark(&Backstop::new(["prisma1-cli".to_string()]));
        assert_eq!(
            t.to_string(),
            format!("prisma1-cli: prisma login --key {MASK}")
        );
    }

    #[test]
    fn ranges_map_around_masks() {
        let r = RepoText::parsed("prisma login --key abc and more");
        assert_eq!(r.masked(), format!("prisma login --key {MASK} and more"));
        let shown = r.masked();
        let (s, e) = r.masked_range((27, 31));
        assert_eq!(&shown[s..e], "more");
        let (s, e) = r.masked_range((20, 21));
        assert_eq!(&shown[s..e], MASK);
    }

    #[test]
    fn clipping_keeps_secrets_masked() {
        let line = format!("{} secret: hunter22 # {}", "a".repeat(300), "b".repeat(300));
        let r = RepoText::parsed(&line);
        let c = r.clip(300, 306, 40);
        assert!(!c.masked().contains("hunter"), "{}", c.masked());
        assert!(c.masked().contains(MASK));
        let mut cut = RepoText::parsed("secret: hunter22");
        cut.cut(12);
        assert_eq!(cut.masked(), format!("secret: {MASK}…"));
    }
}
