//! The data every detector produces and every reporter consumes.
//!
//! Detection returns `Finding`s, never text. Positions are 1-based lines and
//! columns counted in Unicode scalar values; `end_column` is exclusive, as in
//! SARIF, so a one-character match at column 5 ends at column 6.

use serde::{Deserialize, Serialize};
use std::fmt;

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

/// A region of one file: byte offsets for slicing, lines and columns for people.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
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
            path: path.to_string(),
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
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&text[line_start..offset])
        .chars()
        .count()
        + 1;
    (line, column)
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

/// A second place that explains the first, such as the endpoint a command deploys to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
    /// The source line(s) of the related place, redacted.
    pub snippet: String,
}

/// Why a finding is not counted, though still reported in SARIF.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Suppression {
    /// `inSource` for a comment in the file, `external` for config or baseline.
    pub kind: String,
    pub justification: String,
}

/// One diagnostic: a rule matched at a place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub location: Location,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The source line(s) of the match, with secrets already redacted.
    pub snippet: String,
    /// The matched text, normalised and redacted: the content key used by
    /// baselines and fingerprints, so moving a line keeps its identity.
    pub matched: String,
    pub related: Vec<Related>,
    pub suppressed: Option<Suppression>,
    /// Found in a comment or in documentation rather than in live code or
    /// configuration (see the rule key `mentions`).
    pub mention: bool,
    /// `Docs` for a command that documentation tells people to run (a shell
    /// block in a README), `Code` for everything that runs or configures.
    pub origin: Origin,
}

pub use crate::facts::commands::Origin;

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Code => "code",
            Origin::Docs => "docs",
        }
    }
}

impl Finding {
    /// The order every output uses: path, line, column, rule, then the rest.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.location.path,
            self.location.line,
            self.location.column,
            &self.rule,
            &self.message,
        )
    }
}

/// Placeholder shown instead of a secret value, in every output format.
pub const REDACTED: &str = "«redacted»";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = 1\nab".as_bytes();
        assert_eq!(line_col(text, 0), (1, 1));
        // 'é' is two bytes; the space after it is column 2.
        assert_eq!(line_col(text, 2), (1, 2));
        assert_eq!(line_col(text, 7), (2, 1));
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
