//! Repository text (file names, quoted file content) on a line that people,
//! terminals and CI runners read: the one escaping every text format uses.
//!
//! A GitHub runner reads a step's output line by line (a line ends at LF, CR
//! or CRLF) and acts on two kinds of workflow commands: a line that starts,
//! after its leading whitespace, with `::name ...::` (`::stop-commands::`
//! turns every later annotation off, `::add-mask::`, `::error::`, ...), and,
//! anywhere in a line, the older `##[name ...]`. A terminal acts on ESC. So
//! repository text is shown with its control characters escaped as ripgrep
//! does (`\n`, `\r`, `\t`, `\x1B`), with `##[` broken as `##\[`, and, where it
//! would begin a line, with `./` before a leading `::`. The escapes change
//! what is shown only for text no ordinary file holds.

use std::borrow::Cow;

/// `text` on one line: control characters escaped and `##[` broken.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`printable`], but line feeds and tabs stay (a multi-line snippet,
/// a Makefile); a CR before a line feed goes, any other is escaped.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// A path (or any repository text) that begins a line: [`printable`], with
/// `./` in front when the runner would otherwise read a command.
pub fn line_start(text: &str) -> Cow<'_, str> {
    let p = printable(text);
    if p.trim_start().starts_with("::") {
        Cow::Owned(format!("./{p}"))
    } else {
        p
    }
}

/// A line of file text shown as written (a diff line in a code block), where
/// a `./` would read as part of it: [`printable`], and a leading `::` shown
/// as `\::`.
pub fn verbatim_line(line: &str) -> Cow<'_, str> {
    let p = printable(line);
    let body = p.trim_start();
    if body.starts_with("::") {
        let indent = p.len() - body.len();
        Cow::Owned(format!("{}\\{}", &p[..indent], body))
    } else {
        p
    }
}

/// True when the runner would read `line` (already split at line breaks) as
/// a workflow command in either form, whatever its name.
pub fn looks_like_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

/// Pretty JSON in which no string holds `##[`: it is written `#\u0023[`,
/// which every JSON reader reads back as `##[`. (JSON escapes every control
/// character, and a line of pretty JSON never starts with `::`.)
pub fn write_json_pretty<W: std::io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        NoOldCommands(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)
}

/// [`write_json_pretty`] into a string.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut buf = Vec::new();
    write_json_pretty(&mut buf, value)?;
    String::from_utf8(buf).map_err(serde::ser::Error::custom)
}

struct NoOldCommands<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for NoOldCommands<'_> {
    // A string's unescaped runs come here whole (`#` and `[` need no JSON
    // escape), so a `##[` is never split between two calls.
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Nearly every fragment has no `#` at all: one memchr, not a
        // substring searcher built for each.
        if memchr::memchr(b'#', fragment.as_bytes()).is_none() {
            return w.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some(i) = rest.find("##[") {
            w.write_all(&rest.as_bytes()[..i + 1])?;
            w.write_all(b"\\u0023[")?;
            rest = &rest[i + 3..];
        }
        w.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn needs_escape(text: &str) -> bool {
    text.chars().any(char::is_control) || text.contains("##[")
}

fn escape(text: &str, keep_lf: bool) -> Cow<'_, str> {
    if !needs_escape(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' if keep_lf => out.push(c),
            '\r' if keep_lf && chars.peek() == Some(&'\n') => {}
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            '[' if out.ends_with("##") => out.push_str("\\["),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("a\x1b[31mb\r\nc\u{85}\t.yml"),
            "a\\x1B[31mb\\r\\nc\\x85\\t.yml"
        );
        assert_eq!(printable("plain/é.yml"), "plain/é.yml");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_old_command_form_is_broken_anywhere() {
        assert_eq!(printable("a/##[error]x.yml"), "a/##\\[error]x.yml");
        assert_eq!(printable("###[x"), "###\\[x");
        assert_eq!(printable("#[x] ## [y]"), "#[x] ## [y]");
        // Escaping does not make a new one: an escaped control character
        // between `##` and `[` never yields `##[`.
        assert_eq!(printable("##\x07["), "##\\x07[");
    }

    #[test]
    fn lines_keep_their_line_feeds_only() {
        assert_eq!(
            printable_lines("a\r\nb\rc\n::d\te\x1b"),
            "a\nb\\rc\n::d\te\\x1B"
        );
    }

    #[test]
    fn a_leading_command_marker_gets_a_folder_prefix() {
        assert_eq!(
            line_start("::stop-commands::x/a.yml"),
            "./::stop-commands::x/a.yml"
        );
        assert_eq!(line_start(" \u{a0}::warning::x"), "./ \u{a0}::warning::x");
        assert_eq!(line_start("a::b"), "a::b");
        assert_eq!(line_start("\n::x"), "\\n::x");
        assert_eq!(verbatim_line(" ::x::y"), " \\::x::y");
        assert_eq!(verbatim_line("+a::b"), "+a::b");
    }

    #[test]
    fn json_strings_never_hold_the_old_command_form() {
        let v = serde_json::json!({"path": "a##[error]b\n##[x", "list": ["###[", "#[ok]"]});
        let text = json_pretty(&v).unwrap_or_default();
        assert!(!text.contains("##["), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, v);
        assert_eq!(
            text,
            serde_json::to_string_pretty(&v)
                .unwrap_or_default()
                .replace("##[", "#\\u0023[")
        );
    }

    /// Whatever the text, what [`line_start`] makes of it (and of it after
    /// any prefix a format puts before it) is never a command.
    #[test]
    fn no_text_becomes_a_command() {
        let pieces = [
            "::",
            "##",
            "[",
            "]",
            ":",
            "#",
            " ",
            "\t",
            "\r",
            "\n",
            "\x1b",
            "\u{85}",
            "\u{a0}",
            "stop-commands",
            "x",
            "error",
        ];
        let n = pieces.len();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in 0..n {
                        let text = [pieces[a], pieces[b], pieces[c], pieces[d]].concat();
                        let shown = line_start(&text);
                        assert!(!looks_like_command(&shown), "{text:?} -> {shown:?}");
                        let verbatim = verbatim_line(&text);
                        assert!(!looks_like_command(&verbatim), "{text:?} -> {verbatim:?}");
                        assert!(!shown.contains(['\r', '\n', '\x1b']), "{text:?}");
                        let inner = printable(&text);
                        assert!(!inner.contains("##["), "{text:?} -> {inner:?}");
                        let line = format!("x {inner} y");
                        assert!(!looks_like_command(&line), "{line:?}");
                    }
                }
            }
        }
    }
}
