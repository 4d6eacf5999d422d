//! The data every detector produces and every reporter consumes.
//!
//! Detection returns `Finding`s, never text. Positions are 1-based lines and
//! columns counted in Unicode scalar values; `end_column` is exclusive, as in
//! SARIF, so a one-character match at column 5 ends at column 6.

use crate::text::{RepoText, Text};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How bad a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `path` as a location holds it: the same allocation as the last path this
/// thread asked for when it is the same path (a file's locations are made
/// one after another), so thousands of locations in one file hold one copy.
pub fn shared_path(path: &str) -> Arc<str> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<Arc<str>>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some(p) if **p == *path => p.clone(),
            _ => {
                let p: Arc<str> = Arc::from(path);
                *last = Some(p.clone());
                p
            }
        }
    })
}

/// A region of one file: byte offsets for slicing, lines and columns for people.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Path relative to the scan root, with `/` separators.
    pub path: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range of the region in the file, for labels and suppression lookups.
    #[serde(skip)]
    pub start_byte: usize,
    #[serde(skip)]
    pub end_byte: usize,
}

impl Location {
    /// Builds a location from a byte range of `text` (the whole file).
    pub fn from_bytes(path: &str, text: &[u8], start: usize, end: usize) -> Location {
        let start = start.min(text.len());
        let end = end.clamp(start, text.len());
        let (line, column) = line_col(text, start);
        let (end_line, end_column) = line_col(text, end);
        Location {
            path: shared_path(path),
            line,
            column,
            end_line,
            end_column,
            start_byte: start,
            end_byte: end,
        }
    }

    /// True when the region starts and ends on the same line.
    pub fn is_single_line(&self) -> bool {
        self.line == self.end_line
    }
}

/// 1-based line and column (in chars) of byte `offset` in `text`.
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let hit = INDEX.with(|cell| {
        let mut slot = cell.borrow_mut();
        let idx = slot.as_mut()?;
        if !idx.active {
            return None;
        }
        if idx.key != (text.as_ptr() as usize, text.len()) {
            *idx = LineIndex::new(text);
        }
        Some(idx.line_col(text, offset))
    });
    hit.unwrap_or_else(|| slow_line_col(text, offset))
}

fn slow_line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, chars_in(&text[line_start..offset]) + 1)
}

/// Chars in `bytes` as a lossy decoding counts them: one per byte that does
/// not continue a UTF-8 sequence (exact for valid UTF-8).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Where the lines of one file start, built once per file so that a file with
/// thousands of findings costs one pass, not one pass per finding.
struct LineIndex {
    active: bool,
    /// Address and length of the text this index was built for. Only valid
    /// inside a [`LineIndexScope`], while that text is borrowed and unchanged.
    key: (usize, usize),
    starts: Vec<usize>,
    /// All ASCII: a column is a byte distance.
    ascii: bool,
    /// Otherwise, chars before each [`BLOCK`]-byte block of the text, built
    /// at the first column asked for: a column then costs at most two
    /// partial blocks, however long the line and in whatever order the
    /// offsets come (a one-line script of 20,000 commands stays linear).
    blocks: Vec<usize>,
}

const BLOCK: usize = 256;

impl LineIndex {
    fn new(text: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        LineIndex {
            active: true,
            key: (text.as_ptr() as usize, text.len()),
            starts,
            ascii: text.is_ascii(),
            blocks: Vec::new(),
        }
    }

    /// Chars in `text[..offset]`, as [`chars_in`] counts them.
    fn chars_before(&mut self, text: &[u8], offset: usize) -> usize {
        if self.blocks.is_empty() {
            let mut total = 0;
            self.blocks.push(0);
            for chunk in text.chunks(BLOCK) {
                total += chars_in(chunk);
                self.blocks.push(total);
            }
        }
        let block = offset / BLOCK;
        self.blocks[block] + chars_in(&text[block * BLOCK..offset])
    }

    fn line_col(&mut self, text: &[u8], offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        if self.ascii {
            return (line, offset - line_start + 1);
        }
        // Short lines are counted directly; long ones from the block table.
        let col = if offset - line_start <= 2 * BLOCK {
            chars_in(&text[line_start..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        };
        (line, col + 1)
    }
}

thread_local! {
    static INDEX: std::cell::RefCell<Option<LineIndex>> = const { std::cell::RefCell::new(None) };
}

/// While alive, positions in the file being processed on this thread come
/// from one line index. Create it after the file's text is final and drop it
/// before the buffer is reused.
pub struct LineIndexScope(());

impl LineIndexScope {
    pub fn new() -> LineIndexScope {
        INDEX.with(|c| {
            *c.borrow_mut() = Some(LineIndex {
                active: true,
                key: (0, usize::MAX),
                starts: Vec::new(),
                ascii: false,
                blocks: Vec::new(),
            })
        });
        LineIndexScope(())
    }
}

impl Default for LineIndexScope {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for LineIndexScope {
    fn drop(&mut self) {
        INDEX.with(|c| *c.borrow_mut() = None);
    }
}

/// Most chars of one snippet line, and most lines of one snippet.
pub const SNIPPET_LINE_CHARS: usize = 240;
pub const SNIPPET_LINES: usize = 12;

/// The snippet of `loc` from its numbered source lines: each line clipped
/// around the span, at most [`SNIPPET_LINES`] lines.
pub fn clip_snippet<'a>(
    lines: impl Iterator<Item = (usize, &'a RepoText)>,
    loc: &Location,
) -> RepoText {
    let mut out: Vec<RepoText> = Vec::new();
    for (n, text) in lines.take(SNIPPET_LINES) {
        let from = if n == loc.line {
            loc.column.saturating_sub(1)
        } else {
            0
        };
        let to = if n == loc.end_line {
            loc.end_column.saturating_sub(1)
        } else {
            from + SNIPPET_LINE_CHARS
        };
        out.push(text.clip(from, to, SNIPPET_LINE_CHARS));
    }
    RepoText::join(&out, "\n")
}

/// `line` cut to about `max` chars around chars `from..to` (0-based), with
/// `…` where it was cut. Snippets of facts and commands go through this, so a
/// 200 KiB one-line script does not put 200 KiB into every finding.
pub fn clip_line(line: &str, from: usize, to: usize, max: usize) -> String {
    if line.len() <= max {
        return line.to_string();
    }
    if line.is_ascii() {
        // Columns are bytes: slice, without walking the line char by char.
        let n = line.len();
        let to = to.clamp(from.min(n), n);
        let from = from.min(to);
        let room = max.saturating_sub((to - from).min(max)) / 2;
        let start = from.saturating_sub(room);
        let end = (to + room).min(n).max((start + max).min(n));
        let mut out = String::with_capacity(end - start + 6);
        if start > 0 {
            out.push('…');
        }
        out.push_str(&line[start..end]);
        if end < n {
            out.push('…');
        }
        return out;
    }
    let n = line.chars().count();
    if n <= max {
        return line.to_string();
    }
    let to = to.clamp(from, n);
    let room = max.saturating_sub((to - from).min(max)) / 2;
    let start = from.saturating_sub(room);
    let end = (to + room).min(n).max(start + max.min(n - start));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(start).take(end - start));
    if end < n {
        out.push('…');
    }
    out
}

/// Byte range of the line holding `offset`, without its line terminator.
pub fn line_bounds(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |i| i + 1);
    let mut end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |i| offset + i);
    if end > start && text[end - 1] == b'\r' {
        end -= 1;
    }
    (start, end)
}

/// How sure a judgement is, for rules that decide from what the repository
/// shows (zizmor's confidence levels; SARIF `properties.precision`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The repository does not show what the judgement depends on most (for
    /// the secret check: which server the command talks to).
    Low,
    /// Depends on a file or platform setting the repository does not show.
    Medium,
    /// The repository itself proves it.
    High,
}

impl Confidence {
    /// What `check` shows unless told otherwise (`--min-confidence`,
    /// `--persona`, config `min-confidence`): findings of this confidence and
    /// above. Measured on public Prisma 1 repositories, `low` findings (the
    /// repository does not show which server a command talks to) were mostly
    /// wrong or undecidable; see README "Confidence".
    pub const DEFAULT_MIN: Confidence = Confidence::Medium;

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A second place that explains the first, such as the endpoint a command deploys to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: Text,
    /// The source line(s) of the related place.
    pub snippet: RepoText,
}

/// Why a finding is not counted, though still reported in SARIF.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Suppression {
    /// `inSource` for a comment in the file, `external` for config or baseline.
    pub kind: String,
    pub justification: Text,
}

/// One diagnostic: a rule matched at a place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub location: Location,
    pub rule: String,
    pub severity: Severity,
    pub message: Text,
    /// The source line(s) of the match.
    pub snippet: RepoText,
    /// The matched text, whitespace-normalised: the content key (masked)
    /// used by baselines and fingerprints, so moving a line keeps its identity.
    pub matched: Text,
    pub related: Vec<Related>,
    pub suppressed: Option<Suppression>,
    /// Found in a comment or in documentation rather than in live code or
    /// configuration (see the rule key `mentions`).
    pub mention: bool,
    /// A mechanical fix for the finding, when one is known (the fixers are in
    /// `crate::fix`).
    pub fix: Option<Fix>,
    /// The short text shown under the match in human output (the rule's
    /// `label:`, rendered like the message).
    #[serde(skip)]
    pub label: Text,
    /// Byte range of the finding's region inside `snippet` (unmasked), where
    /// known: clipping moves text, so columns alone cannot place the
    /// underline on such lines.
    #[serde(skip)]
    pub snippet_span: Option<(usize, usize)>,
    /// Evidence level of a judgement; `None` for plain pattern matches.
    pub confidence: Option<Confidence>,
    /// The evidence behind the headline, one item each (what a judgement
    /// checked, what would make it wrong): shown under the snippet as
    /// rustc's `= note:` lines, and as `notes` in JSON and SARIF.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// `Docs` for a command that documentation tells people to run (a shell
    /// block in a README), `Code` for everything that runs or configures.
    pub origin: Origin,
}

/// A finding of `rule` at `path:line` (columns 1 to 2, bytes 0 to 1) with
/// no text, for tests to set what they look at (`Finding { message, ..}`).
#[cfg(any(test, feature = "test-util"))]
impl Finding {
    pub fn example(rule: &str, severity: Severity, path: &str, line: usize) -> Finding {
        Finding {
            location: Location {
                path: path.into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                start_byte: 0,
                end_byte: 1,
            },
            rule: rule.into(),
            severity,
            message: Default::default(),
            snippet: Default::default(),
            matched: Default::default(),
            related: Vec::new(),
            suppressed: None,
            mention: false,
            label: Default::default(),
            snippet_span: None,
            notes: Vec::new(),
            confidence: None,
            origin: Origin::Code,
            fix: None,
        }
    }
}

/// Where a command comes from: something that runs, or documentation that
/// tells a reader to run it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Code,
    /// A shell block in Markdown or reStructuredText.
    Docs,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Code => "code",
            Origin::Docs => "docs",
        }
    }
}

impl Finding {
    /// Gives back the spare capacity of its strings and lists: findings are
    /// held from the file that produced them until the report, so what
    /// building them over-allocated would be held as long.
    pub fn shrink_to_fit(&mut self) {
        self.rule.shrink_to_fit();
        self.message.shrink_to_fit();
        self.snippet.shrink_to_fit();
        self.matched.shrink_to_fit();
        self.label.shrink_to_fit();
        self.related.shrink_to_fit();
        for r in &mut self.related {
            r.message.shrink_to_fit();
            r.snippet.shrink_to_fit();
        }
        self.notes.shrink_to_fit();
        self.notes.iter_mut().for_each(Text::shrink_to_fit);
    }

    /// Masks the backstop's values in every repository text of the finding.
    pub fn mark(&mut self, backstop: &crate::mask::Backstop) {
        if backstop.is_empty() {
            return;
        }
        self.message.mark(backstop);
        self.snippet.mark(backstop);
        self.matched.mark(backstop);
        self.label.mark(backstop);
        for n in &mut self.notes {
            n.mark(backstop);
        }
        for r in &mut self.related {
            r.message.mark(backstop);
            r.snippet.mark(backstop);
        }
        if let Some(s) = &mut self.suppressed {
            s.justification.mark(backstop);
        }
        if let Some(fix) = &mut self.fix {
            fix.mark(backstop);
        }
    }
}

/// How much a fix can be trusted to keep the project working by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Nothing else to do: `fix` applies it by default.
    Safe,
    /// Works only once the user does something outside the repository (a
    /// secret to create, a CI variable to rename): `fix --unsafe`.
    Unsafe,
    /// Asked for on the command line (`--replace-endpoint`).
    Requested,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Requested => "requested",
        }
    }
}

/// One replacement: bytes `start..end` of `path` become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    /// Path relative to the scan root, `/`-separated.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// What settles a finding: edits plus, for unsafe fixes, what the user must do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// One line for people: "Rename PRISMA_MANAGEMENT_SECRET to ...".
    pub description: Text,
    /// Sorted by path, then start. The replacements are the tool's (names,
    /// references, versions), never a value read from a secret's place.
    pub edits: Vec<Edit>,
    /// Steps outside the repository the fix depends on.
    pub action: Option<Text>,
    /// The edits as a unified diff, for reports that show a suggestion.
    pub diff: Text,
}

impl Fix {
    /// Masks the backstop's values in its repository text.
    pub fn mark(&mut self, backstop: &crate::mask::Backstop) {
        self.description.mark(backstop);
        if let Some(a) = &mut self.action {
            a.mark(backstop);
        }
        self.diff.mark(backstop);
    }
}

/// A file name as a terminal, a CI log or a Markdown page may show it (see
/// [`crate::display`]).
pub use crate::display::printable;

/// Most chars of a message, a matched text and a snippet: whatever produced
/// them, output stays proportional to the number of findings.
const MAX_MESSAGE: usize = 2000;
const MAX_MATCHED: usize = 1000;
const MAX_NOTES: usize = 16;
const MAX_SNIPPET_TOTAL: usize = SNIPPET_LINE_CHARS * SNIPPET_LINES + 64;

/// Bounds every text of `f` (the last guard; producers clip first).
pub fn bound_texts(f: &mut Finding) {
    f.message.cut(MAX_MESSAGE);
    f.matched.cut(MAX_MATCHED);
    f.snippet.cut(MAX_SNIPPET_TOTAL);
    f.notes.truncate(MAX_NOTES);
    for n in &mut f.notes {
        n.cut(MAX_MESSAGE);
    }
    for r in &mut f.related {
        r.message.cut(MAX_MESSAGE);
        r.snippet.cut(MAX_SNIPPET_TOTAL);
    }
}

/// Placeholder shown instead of a secret value, in every output format.
pub const REDACTED: &str = crate::text::MASK;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_of_one_file_share_its_path_and_others_keep_theirs() {
        let text = b"one\ntwo\nthree\n";
        let paths = ["a/x.yml", "a/x.yml", "b/y.sh", "a/x.yml", "", "a/x.yml"];
        let made: Vec<Location> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| Location::from_bytes(p, text, i, i + 2))
            .collect();
        for (l, p) in made.iter().zip(paths) {
            assert_eq!(&*l.path, p);
        }
        // One after another, the same path is one allocation.
        assert!(Arc::ptr_eq(&made[0].path, &made[1].path));
        assert!(!Arc::ptr_eq(&made[1].path, &made[3].path));
        assert!(Arc::ptr_eq(
            &made[5].path,
            &Location::from_bytes("a/x.yml", text, 0, 1).path
        ));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = 1\nab".as_bytes();
        assert_eq!(line_col(text, 0), (1, 1));
        // 'é' is two bytes; the space after it is column 2.
        assert_eq!(line_col(text, 2), (1, 2));
        assert_eq!(line_col(text, 7), (2, 1));
    }

    #[test]
    fn the_line_index_agrees_with_counting() {
        let text = "ab\né = 1\n\nxyz é é\n".as_bytes();
        let slow: Vec<_> = (0..=text.len()).map(|o| slow_line_col(text, o)).collect();
        let _scope = LineIndexScope::new();
        let fast: Vec<_> = (0..=text.len()).map(|o| line_col(text, o)).collect();
        assert_eq!(fast, slow);
        // Out of order too.
        let back: Vec<_> = (0..=text.len()).rev().map(|o| line_col(text, o)).collect();
        assert_eq!(back.into_iter().rev().collect::<Vec<_>>(), slow);
    }

    #[test]
    fn long_non_ascii_lines_use_the_block_table_and_agree() {
        // Lines longer than two blocks, with multi-byte chars straddling
        // block edges, and a short line between them.
        let mut s = String::new();
        for i in 0..700 {
            s.push_str(if i % 3 == 0 { "é" } else { "a€" });
        }
        s.push_str("\nshort é\n");
        s.push_str(&"ü".repeat(900));
        let text = s.as_bytes();
        let slow: Vec<_> = (0..=text.len()).map(|o| slow_line_col(text, o)).collect();
        let _scope = LineIndexScope::new();
        // A scattered order: every 7th offset first, then the rest backwards.
        let mut order: Vec<usize> = (0..=text.len()).step_by(7).collect();
        order.extend((0..=text.len()).rev());
        for o in order {
            assert_eq!(line_col(text, o), slow[o], "offset {o}");
        }
    }

    #[test]
    fn long_lines_are_clipped_around_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(1000), "b".repeat(1000));
        let c = clip_line(&line, 1000, 1006, 40);
        assert!(c.contains("TARGET") && c.chars().count() <= 42, "{c}");
        assert_eq!(clip_line("short", 0, 1, 40), "short");
    }

    #[test]
    fn line_bounds_strip_crlf() {
        let text = b"one\r\ntwo";
        assert_eq!(line_bounds(text, 1), (0, 3));
        assert_eq!(line_bounds(text, 6), (5, 8));
    }

    #[test]
    fn severity_orders_by_badness() {
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Note);
    }
}
