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

// No diagnostic code: the message says which file is wrong and how; an
// internal name such as `prisma1_lint::invalid_file` would tell a user nothing.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct FileErrorData {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    /// Where the problem is, in the file's text.
    pub span: SourceSpan,
    /// `span` as shown; `None` when there is no text to point into (the file
    /// could not be read), so no empty frame is drawn.
    #[label("{label}")]
    shown: Option<SourceSpan>,
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
            message: plain_io(&message.into()),
            src: NamedSource::new(name, text.to_string()),
            span: (start, len).into(),
            shown: (!text.is_empty()).then(|| (start, len).into()),
            label: label.into(),
            help: None,
        }))
    }

    /// From a serde_yaml_ng error, pointing at the line it names (or the whole
    /// first line when it names none).
    pub fn from_yaml(name: &str, text: &str, err: &serde_yaml_ng::Error, what: &str) -> Self {
        let msg = err.to_string();
        // serde_yaml_ng appends " at line X column Y"; the label shows that already.
        let whole = msg.split(" at line ").next().unwrap_or(&msg);
        // Nested errors start with the key path (`match[0].regex: ...`).
        let (place, raw) = match whole.split_once(": ") {
            Some((p, rest))
                if !p.is_empty()
                    && p.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')
                    }) =>
            {
                (Some(p), rest)
            }
            _ => (None, whole),
        };
        let short = match place {
            Some(p) => format!("{} (in `{p}`)", plain_serde(raw)),
            None => plain_serde(raw),
        };
        let at = err.location().map_or(0, |l| l.index());
        let line = line_span_at(text, at);
        // An unknown or misspelt key: underline the key, not its whole line.
        // The label is the short part ("unknown key `foo`"); the message has the rest.
        let label = plain_serde(raw)
            .split("; ")
            .next()
            .unwrap_or_default()
            .to_string();
        let span = backticked(raw)
            .filter(|_| raw.starts_with("unknown field") || raw.starts_with("duplicate field"))
            .and_then(|key| key_span(text, line, key))
            .unwrap_or(line);
        FileError::new(
            name,
            text,
            span,
            format!("invalid {what} {name}: {short}"),
            label,
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

/// An error as the user sees it on standard error: wrapped to the terminal
/// at spaces only (never inside a path), not wrapped when redirected.
pub fn render_error(e: &dyn Diagnostic) -> String {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let width = tty
        .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .flatten();
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width.unwrap_or(100_000))
        .with_wrap_lines(width.is_some())
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    if handler.render_report(&mut out, e).is_err() {
        out = format!("error: {e}");
    }
    out
}

/// The first `quoted` word of a serde message.
fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// The span of `key` as a mapping key on the line `line` (or the next lines:
/// serde may point at the start of the mapping that holds it).
fn key_span(text: &str, line: (usize, usize), key: &str) -> Option<(usize, usize)> {
    let mut offset = line.0;
    for l in text[line.0..].split_inclusive('\n').take(50) {
        let body = l.trim_start_matches([' ', '\t', '-']);
        let indent = l.len() - body.len();
        let unquoted = body.trim_start_matches(['"', '\'']);
        let quote = body.len() - unquoted.len();
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with(':') {
                return Some((offset + indent + quote, key.len()));
            }
        }
        offset += l.len();
    }
    None
}

/// Operating-system wording without its error number: "no such file".
pub fn plain_io(msg: &str) -> String {
    let mut m = msg.to_string();
    for (from, to) in [
        ("No such file or directory", "no such file"),
        ("Permission denied", "permission denied"),
        ("Is a directory", "a folder, not a file"),
        ("stream did not contain valid UTF-8", "not UTF-8 text"),
    ] {
        m = m.replace(from, to);
    }
    match m.find(" (os error ") {
        Some(i) if m.ends_with(')') => {
            let tail = m[i..].find(')').map_or(m.len(), |j| i + j + 1);
            format!("{}{}", &m[..i], &m[tail..])
        }
        _ => m,
    }
}

/// A serde message in the words of the file format: what the file should
/// hold, not the Rust type that reads it.
pub fn plain_serde(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((got, expected)) = rest.split_once(", expected ") {
            return format!(
                "expected {}, got {}",
                plain_expected(expected),
                plain_got(got)
            );
        }
    }
    for (from, to) in [
        ("unknown field", "unknown key"),
        ("duplicate field", "duplicate key"),
        ("missing field", "missing key"),
        ("unknown variant", "unknown value"),
    ] {
        if let Some(rest) = msg.strip_prefix(from) {
            // " `foo`, expected one of `a`, `b`", " `foo`, expected `a`" or " `foo`".
            let (name, expected) = match rest.split_once(", expected ") {
                Some((n, e)) => (n, Some(e)),
                None => (rest, None),
            };
            let mut out = format!("{to}{name}");
            if let Some(e) = expected {
                let e = match e.strip_prefix("one of ") {
                    Some(list) => format!("one of: {}", list.replace('`', "")),
                    None => e.replace('`', ""),
                };
                out.push_str(&format!("; expected {e}"));
            }
            return out;
        }
    }
    msg.to_string()
}

fn plain_expected(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "struct RawConfig" => "a mapping of settings (`select:`, `ignore:`, ...)".into(),
        "struct RawRule" => "a mapping of rule keys (`id:`, `title:`, `match:`, ...)".into(),
        "a sequence" => "a list".into(),
        "a string" => "text".into(),
        "a boolean" => "true or false".into(),
        "a map" => "a mapping".into(),
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => "a whole number".into(),
        _ if e.starts_with("struct ") || e.starts_with("a map") => "a mapping".into(),
        _ if e.starts_with("enum ") => "one of the allowed values".into(),
        _ => e.to_string(),
    }
}

fn plain_got(got: &str) -> String {
    let g = got.trim();
    match g {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        _ => {
            for (from, to) in [
                ("string ", "the text "),
                ("integer ", "the number "),
                ("floating point ", "the number "),
                ("boolean ", ""),
            ] {
                if let Some(v) = g.strip_prefix(from) {
                    return format!("{to}{}", v.trim_matches('`'));
                }
            }
            g.to_string()
        }
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
        let mut start = d.span.offset().min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let token_len = text[start..]
            .char_indices()
            .find(|&(i, c)| i >= 64 || !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
            .map_or(text.len() - start, |(i, _)| i);
        // Earlier lines become empty (line numbers stay right), the token's
        // line keeps spaces up to the token (the column stays right, up to a
        // bound) and nothing after it: the frame is as small as the token.
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let lines_before = text[..line_start].matches('\n').count();
        let pad = text[line_start..start].chars().count().min(MAX_PAD);
        let mut masked = "\n".repeat(lines_before);
        masked.push_str(&" ".repeat(pad));
        let new_start = masked.len();
        // A token that is (part of) a secret value is shown as the mask.
        let kind = crate::kind::FileKind::from_path(d.src.name());
        let secret = crate::mask::spans(kind, text.as_bytes())
            .iter()
            .any(|&(s, e)| s < start + token_len && start < e);
        let token_len = if secret {
            masked.push_str(crate::text::MASK);
            crate::text::MASK.len()
        } else {
            masked.push_str(&text[start..start + token_len]);
            token_len
        };
        let mut e = FileError::new(
            d.src.name(),
            &masked,
            (new_start, token_len),
            one_line(&strip_quoted(&d.message)),
            one_line(&strip_quoted(&d.label)),
        );
        e.0.help = d.help.clone();
        e
    }
}

/// A message on one bounded line: a key spanning many lines of a hostile
/// file must not come back as those lines.
fn one_line(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        if out.chars().count() + word.chars().count() > MAX_MESSAGE {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Most characters of a confined error's message.
const MAX_MESSAGE: usize = 240;

/// Most spaces before a token in a confined error frame.
const MAX_PAD: usize = 200;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_speak_of_the_file_not_of_rust_types() {
        assert_eq!(
            plain_serde("invalid type: sequence, expected struct RawConfig"),
            "expected a mapping of settings (`select:`, `ignore:`, ...), got a list"
        );
        assert_eq!(
            plain_serde("invalid type: string \"x\", expected a sequence"),
            "expected a list, got the text \"x\""
        );
        assert_eq!(
            plain_serde("unknown field `foo`, expected one of `select`, `ignore`"),
            "unknown key `foo`; expected one of: select, ignore"
        );
        assert_eq!(plain_serde("missing field `id`"), "missing key `id`");
    }

    #[test]
    fn io_messages_lose_their_error_numbers() {
        assert_eq!(
            plain_io("cannot read config file a.yml: No such file or directory (os error 2)"),
            "cannot read config file a.yml: no such file"
        );
    }

    #[test]
    fn a_confined_error_masks_a_token_that_is_a_secret() {
        let text = "PRISMA_SECRET=hunter2x\nother: 1\n";
        let e = FileError::new("ci.env", text, (14, 8), "bad value", "here").confined();
        let shown = format!("{:?}", miette::Report::new(e));
        assert!(!shown.contains("hunter2x"), "{shown}");
        assert!(shown.contains(crate::text::MASK), "{shown}");
        let e = FileError::new("ci.env", text, (23, 5), "bad key", "here").confined();
        let shown = format!("{:?}", miette::Report::new(e));
        assert!(shown.contains("other"), "{shown}");
    }

    #[test]
    fn unknown_keys_are_underlined_alone() {
        let text = "select: [a]\nfoo: 1\n";
        assert_eq!(key_span(text, (12, 18), "foo"), Some((12, 3)));
        let text = "suppress:\n  - rule: x\n    pathz: [a]\n";
        assert_eq!(key_span(text, (10, 21), "pathz"), Some((26, 5)));
    }
}
