//! Errors in files the user gave us (rule files, the config file), shown the
//! way findings are: with the file, the line, and a label under the problem.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A problem at a place in a YAML file we were asked to load. Exit code 2.
/// Boxed so that `Result<_, FileError>` stays small on the happy path.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct FileError(Box<FileErrorData>);

impl std::ops::Deref for FileError {
    type Target = FileErrorData;
    fn deref(&self) -> &FileErrorData {
        &self.0
    }
}

#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(prisma1_lint::invalid_file))]
pub struct FileErrorData {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl FileError {
    pub fn new(
        name: &str,
        text: &str,
        span: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let start = span.0.min(text.len());
        let len = span.1.min(text.len() - start);
        FileError(Box::new(FileErrorData {
            message: message.into(),
            src: NamedSource::new(name, text.to_string()),
            span: (start, len).into(),
            label: label.into(),
            help: None,
        }))
    }

    /// From a serde_yaml_ng error, pointing at the line it names (or the whole
    /// first line when it names none).
    pub fn from_yaml(name: &str, text: &str, err: &serde_yaml_ng::Error, what: &str) -> Self {
        let span = match err.location() {
            Some(loc) => line_span_at(text, loc.index()),
            None => line_span_at(text, 0),
        };
        let msg = err.to_string();
        // serde_yaml_ng appends " at line X column Y"; the label shows that already.
        let short = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        FileError::new(
            name,
            text,
            span,
            format!("invalid {what} {name}: {short}"),
            short,
        )
    }

    /// Points at the first line of `text` holding `needle` (after `key:` when given).
    pub fn at_text(
        name: &str,
        text: &str,
        key: &str,
        needle: &str,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        FileError::new(name, text, find_span(text, key, needle), message, label)
    }
}

/// Byte span of the line around `offset`, without its newline.
pub fn line_span_at(text: &str, offset: usize) -> (usize, usize) {
    let (s, e) = crate::finding::line_bounds(text.as_bytes(), offset);
    (s, e - s)
}

/// Span of `needle` in `text`, preferring an occurrence on a line that has `key`.
/// Falls back to the line of `key`, then to the first line.
pub fn find_span(text: &str, key: &str, needle: &str) -> (usize, usize) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if (key.is_empty() || line.contains(key)) && !needle.is_empty() {
            if let Some(i) = line.find(needle) {
                return (offset + i, needle.len());
            }
        }
        offset += line.len();
    }
    if !needle.is_empty() {
        if let Some(i) = text.find(needle) {
            return (i, needle.len());
        }
    }
    if !key.is_empty() {
        if let Some(i) = text.find(key) {
            return line_span_at(text, i);
        }
    }
    line_span_at(text, 0)
}

impl FileError {
    /// The same error, echoing nothing of a file the repository supplied but
    /// the offending token: the file may be a link to a `.env` the CI job
    /// wrote, and its text must not reach a public log. Line and column stay
    /// right (every other char becomes a space); quoted values leave the
    /// message.
    pub fn confined(self) -> FileError {
        let d = &self.0;
        let text = d.src.inner();
        let start = d.span.offset().min(text.len());
        let token_len = text[start..]
            .char_indices()
            .find(|&(i, c)| i >= 64 || !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
            .map_or(text.len() - start, |(i, _)| i);
        let mut masked = String::with_capacity(text.len());
        let mut new_start = 0;
        for (i, c) in text.char_indices() {
            if i == start {
                new_start = masked.len();
            }
            if (start..start + token_len).contains(&i) || c == '\n' {
                masked.push(c);
            } else {
                masked.push(' ');
            }
        }
        if start >= text.len() {
            new_start = masked.len();
        }
        let mut e = FileError::new(
            d.src.name(),
            &masked,
            (new_start, token_len),
            strip_quoted(&d.message),
            strip_quoted(&d.label),
        );
        e.0.help = d.help.clone();
        e
    }
}

/// serde quotes the value it rejected (`invalid type: string "..."`): that
/// can be a whole file. Keep short backticked names (field names), drop
/// quoted values.
fn strip_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_quote = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_quote {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_quote = false,
                _ => escaped = false,
            }
            continue;
        }
        if c == '"' {
            in_quote = true;
            out.push_str("(value not shown)");
        } else {
            out.push(c);
        }
    }
    if out.chars().count() > 300 {
        out = out.chars().take(300).collect::<String>() + "…";
    }
    out
}
