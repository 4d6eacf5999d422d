//! Errors in files the user gave us (rule files, the config file), shown the
//! way findings are: with the file, the line, and a label under the problem.

use crate::display::{printable, printable_lines};
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
        // What is shown goes through `display`: a file's name or text can
        // hold a CR, an ESC or a runner command like any other repository text.
        let (text, (start, len)) = shown_text(text, span);
        FileError(Box::new(FileErrorData {
            message: printable(&plain_io(&message.into())).into_owned(),
            src: NamedSource::new(printable(name), text.clone()),
            span: (start, len).into(),
            shown: (!text.is_empty()).then(|| (start, len).into()),
            label: printable(&label.into()).into_owned(),
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
            .or_else(|| unclosed_bracket(raw, text, at))
            .unwrap_or(line);
        let label = if span != line && raw.starts_with("did not find expected") {
            "this bracket is never closed".to_string()
        } else {
            label
        };
        // A misspelt key or value: the one meant, from serde's own list.
        let short = match did_you_mean(&plain_serde(raw)) {
            Some(s) => format!("{short}: did you mean `{s}`?"),
            None => short,
        };
        FileError::new(
            name,
            text,
            span,
            format!("invalid {what} {name}: {short}"),
            label,
        )
    }

    /// For a file that is the user's own (its text may be shown): the
    /// underline on the offending value rather than on its key.
    pub fn at_value(mut self) -> FileError {
        let Some(value) = backticked(&self.message)
            .filter(|_| self.message.contains("unknown value `"))
            .map(str::to_string)
        else {
            return self;
        };
        let text = self.src.inner().clone();
        let from = self.span.offset().min(text.len());
        let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
        let found = text[line_start..]
            .split_inclusive('\n')
            .take(50)
            .scan(line_start, |at, l| {
                let here = *at;
                *at += l.len();
                Some((here, l))
            })
            .find_map(|(at, l)| {
                let i = l.find(&format!(": {value}")).map(|i| i + 2).or_else(|| {
                    l.trim_start_matches([' ', '-'])
                        .starts_with(value.as_str())
                        .then(|| l.len() - l.trim_start_matches([' ', '-']).len())
                })?;
                Some(at + i)
            });
        if let Some(start) = found {
            let span: SourceSpan = (start, value.len()).into();
            self.0.span = span;
            self.0.shown = Some(span);
        }
        self
    }

    /// Refuses YAML nested [`MAX_DEPTH`] levels deep before serde's YAML
    /// library reads it: its time grows with the square of the depth (64,000
    /// nested `[` took 24 s, and a 1 MiB file holds 500,000). Text our own
    /// reader cannot follow is left to serde's error, unless it has brackets
    /// enough to nest deep.
    ///
    /// [`MAX_DEPTH`]: crate::yaml::MAX_DEPTH
    pub fn refuse_deep_yaml(name: &str, text: &str, what: &str) -> Result<(), FileError> {
        use crate::yaml::{too_deep, MAX_DEPTH};
        let (message, at) = match too_deep(text) {
            Ok(None) => return Ok(()),
            Ok(Some(at)) => (
                format!("nested {MAX_DEPTH} levels deep (configuration needs a few)"),
                at,
            ),
            Err(_)
                if memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count() <= 4 * MAX_DEPTH =>
            {
                return Ok(())
            }
            Err((reason, at)) => (reason, at),
        };
        Err(FileError::new(
            name,
            text,
            (at, 1),
            format!("invalid {what} {name}: {message}"),
            "here",
        ))
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

impl FileError {
    /// The error on one line, with where it is: `message (at FILE:LINE:COL)`.
    pub fn one_line(&self) -> String {
        let text = self.src.inner();
        let at = self.span.offset().min(text.len());
        let before = text.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        if text.is_empty() {
            format!("{} ({})", self.message, self.src.name())
        } else {
            format!("{} (at {}:{line}:{col})", self.message, self.src.name())
        }
    }
}

/// An error as the user sees it on standard error: wrapped to the terminal
/// at spaces only (never inside a path), not wrapped when redirected.
pub fn render_error(e: &dyn Diagnostic) -> String {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let color = crate::terminal::color(crate::cli::Color::Auto, tty, |k| std::env::var(k).ok());
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

/// `text` as [`printable_lines`] shows it, and `span` (start, length) moved
/// to match, clamped to the text and to character boundaries.
fn shown_text(text: &str, span: (usize, usize)) -> (String, (usize, usize)) {
    let mut start = span.0.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start + span.1.min(text.len() - start);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let shown = printable_lines(text);
    if shown == text {
        return (text.to_string(), (start, end - start));
    }
    let at = |i: usize| printable_lines(&text[..i]).len();
    let (s, e) = (at(start), at(end));
    (shown.into_owned(), (s, e - s))
}

/// `select` for "unknown key `selct`; expected one of: select, ignore, ...".
fn did_you_mean(plain: &str) -> Option<String> {
    let word = backticked(plain)?;
    let list = plain.split("expected one of: ").nth(1)?;
    let options = list.split(" (in `").next()?.split(", ").map(str::trim);
    crate::suggest::suggest(word, options)
        .filter(|s| *s != word)
        .map(str::to_string)
}

/// For "did not find expected ',' or ']'": the `[` or `{` still open where
/// the reader gave up (it notices only lines later), outside quotes and
/// comments; `None` when there is none.
fn unclosed_bracket(raw: &str, text: &str, at: usize) -> Option<(usize, usize)> {
    if !raw.starts_with("did not find expected") {
        return None;
    }
    let mut open: Vec<usize> = Vec::new();
    let (mut quote, mut comment, mut prev) = (None::<char>, false, '\n');
    for (i, c) in text[..at.min(text.len())].char_indices() {
        let starts_token = matches!(prev, '\n' | ' ' | '\t' | '[' | '{' | ',' | ':');
        prev = c;
        match (quote, c) {
            (_, '\n') => comment = false,
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            // A quote inside a plain word (`don't`) is not one.
            (None, '"' | '\'') if starts_token => quote = Some(c),
            (None, '#') => comment = true,
            (None, '[' | '{') => open.push(i),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().map(|&i| (i, 1))
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
                // The value stays quoted (serde's backticks or quotes), so a
                // confined error knows to leave it out.
                if let Some(v) = g.strip_prefix(from) {
                    return format!("{to}{v}");
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
    /// what the error is about when that is a key: the file may be a link to
    /// a `.env` or token file the CI job wrote, and its text must not reach a
    /// public log. Line and column stay right (every other char becomes a
    /// space). A value (a rule id under `select:`, a size, a glob, a token
    /// file's only line) is never shown, in the frame or in the message:
    /// quoted and backticked values leave the message, but for the format's
    /// own words.
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
        // A mapping key is what an unknown-key error is about; anything
        // else at the span is a value, shown as the mask when the parsers
        // know it for a secret's and as nothing otherwise.
        let after = text[start + token_len..].trim_start_matches(['"', '\'']);
        let key = (token_len > 0 && after.trim_start_matches([' ', '\t']).starts_with(':'))
            .then(|| &text[start..start + token_len]);
        let secret = key.is_none() && {
            let kind = crate::kind::FileKind::from_path(d.src.name());
            crate::mask::spans(kind, text.as_bytes())
                .iter()
                .any(|&(s, e)| s < start + token_len.max(1) && start < e)
        };
        let shown = match key {
            Some(k) => k,
            None if secret => crate::text::MASK,
            None => " ",
        };
        masked.push_str(shown);
        let shown = if key.is_none() && !secret {
            0
        } else {
            shown.len()
        };
        let mut e = FileError::new(
            d.src.name(),
            &masked,
            (new_start, shown.max(1)),
            one_line(&hide_values(&d.message, key)),
            one_line(&hide_values(&d.label, key)),
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

/// The words of the config and rule formats a confined message may name in
/// backticks: its keys, and the commands it points to.
const FORMAT_WORDS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "exclude",
    "rules-dirs",
    "fail-on",
    "max-file-size",
    "suppress",
    "documented-commands",
    "rule",
    "paths",
    "reason",
    "select:",
    "ignore:",
    "id",
    "title",
    "tags",
    "security-severity",
    "summary",
    "why",
    "help",
    "references",
    "files",
    "keywords",
    "message",
    "label",
    "redact",
    "mentions",
    "once-per-file",
    "supersedes",
    "match",
    "no-match",
    "examples",
    "kinds",
    "globs",
    "without-secret",
    "pattern",
    "not",
    "file-contains",
    "unless-file-contains",
    "captures-not",
    "span",
    "packages",
    "sections",
    "name",
    "below",
    "cli",
    "subcommands",
    "talks-to",
    "missing-env",
    "env-any",
    "flags-all",
    "endpoint",
    "followed-by",
    "file",
    "text",
    "with",
    "count",
    "regex",
    "dependency",
    "command",
    "server-config",
];

/// `s` without the values a file of the repository holds: serde quotes the
/// value it rejected (`invalid type: string "..."`), which can be a whole
/// file, and our messages backtick the values they name (`unknown rule id
/// \`x\``). Double-quoted text goes; a backticked word stays only when it
/// is `key` (the key the error is about), a word of the format, or one of
/// our commands.
fn hide_values(s: &str, key: Option<&str>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_quote = false;
    let mut escaped = false;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if in_quote {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_quote = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' => {
                in_quote = true;
                out.push_str("(value not shown)");
            }
            '`' => {
                let end = rest.find('`').unwrap_or(rest.len());
                let word = &rest[..end];
                // A rule id the message names (`rule \`r22\`: ...`): ids are
                // validated as lowercase words and dashes, and the user
                // needs to know which rule goes over its budget.
                let rule_id = out.ends_with("rule ")
                    && (1..=64).contains(&word.len())
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                let ours = Some(word) == key
                    || rule_id
                    || FORMAT_WORDS.contains(&word)
                    || word.starts_with("prisma1-lint ")
                    || word.starts_with("--");
                if ours {
                    out.push('`');
                    out.push_str(word);
                    out.push('`');
                } else {
                    out.push_str("(value not shown)");
                }
                rest = rest.get(end + 1..).unwrap_or("");
            }
            c => out.push(c),
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
