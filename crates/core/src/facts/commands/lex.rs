//! Splits shell text into words and operators the way a POSIX shell does.
//!
//! `shell-words` splits argument strings but knows no operators (`&&`, `|`,
//! `;`, redirections), no `$( )` subshells and no here-documents, and it
//! drops positions. This lexer does quote removal like it, but keeps, for
//! every byte of a word's value, the byte of the text it came from, and it
//! records the bodies of `$( )` and backtick substitutions so their commands
//! can be found too.

/// Which layer of `$` syntax sits above the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Plain shell.
    Shell,
    /// Makefile recipe: `$(VAR)` and `${VAR}` are make's, `$$` is the shell's `$`.
    Make,
    /// Azure Pipelines: `$(name)` is a macro the agent replaces before the shell runs.
    Azure,
}

/// One shell word after quote removal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Word {
    pub value: String,
    /// Text index of every byte of `value`.
    pub idx: Vec<usize>,
    /// Text range of the word as written.
    pub start: usize,
    pub end: usize,
    /// Text ranges of the bodies of `$( )` and backtick substitutions.
    pub subs: Vec<(usize, usize)>,
    /// False when the word holds an expansion (`$X`, `$( )`, backticks).
    pub literal: bool,
    /// True when any part was quoted or escaped: keywords must be bare.
    pub quoted: bool,
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Semi,
    /// `;;`, which ends a `case` item.
    CaseEnd,
    Pipe,
    Amp,
    Newline,
    Open,
    Close,
    /// `>`, `2>&1`, `<`, `<<EOF`: the next word is a target, not an argument.
    Redirect,
}

#[derive(Debug, Clone)]
pub(crate) enum Tok {
    Word(Word),
    Op(Op),
    /// The text range of a here-document body, after the line that opened it.
    Heredoc(usize, usize),
}

/// Splits `text` into tokens.
pub(crate) fn lex(text: &str, dialect: Dialect) -> Vec<Tok> {
    tokens(text, dialect).collect()
}

/// The tokens of `text` as they are read: a parser that takes them one at
/// a time holds one command's words, not the whole script's.
pub(crate) fn tokens(text: &str, dialect: Dialect) -> impl Iterator<Item = Tok> + '_ {
    Lexer {
        s: text.as_bytes(),
        i: 0,
        dialect,
        word: None,
        buf: Vec::new(),
        toks: std::collections::VecDeque::new(),
        heredocs: Vec::new(),
        heredoc_next: None,
        done: false,
    }
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    dialect: Dialect,
    word: Option<Word>,
    /// Value bytes of the word being built.
    buf: Vec<u8>,
    /// Tokens read and not yet taken.
    toks: std::collections::VecDeque<Tok>,
    /// The text is read to its end.
    done: bool,
    /// Here-document delimiters waiting for the end of the line, and whether tabs are stripped.
    heredocs: Vec<(String, bool)>,
    /// The next word is a here-document delimiter.
    heredoc_next: Option<bool>,
}

impl Iterator for Lexer<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        loop {
            if let Some(t) = self.toks.pop_front() {
                return Some(t);
            }
            if self.i < self.s.len() {
                self.step();
            } else if !self.done {
                self.flush();
                self.done = true;
            } else {
                return None;
            }
        }
    }
}

impl Lexer<'_> {
    /// Reads one character or construct, queueing what it ends.
    fn step(&mut self) {
        {
            let c = self.s[self.i];
            match c {
                b' ' | b'\t' | b'\r' => {
                    self.flush();
                    self.i += 1;
                }
                b'\n' => {
                    self.flush();
                    self.toks.push_back(Tok::Op(Op::Newline));
                    self.i += 1;
                    self.skip_heredocs();
                }
                b'\\' => self.backslash(),
                b'#' if self.word.is_none() => self.comment(),
                b'\'' => self.single_quoted(),
                b'"' => self.double_quoted(),
                b'`' => self.backtick(),
                b'$' => self.dollar(),
                b'&' | b'|' | b';' | b'(' | b')' => self.operator(c),
                b'<' | b'>' => self.redirect(),
                _ => {
                    self.push(c, self.i);
                    self.i += 1;
                }
            }
        }
    }

    fn word(&mut self) -> &mut Word {
        let start = self.i;
        self.word.get_or_insert_with(|| Word {
            start,
            end: start,
            literal: true,
            // Most words are short: one allocation, not one per doubling.
            idx: Vec::with_capacity(16),
            ..Word::default()
        })
    }

    fn push(&mut self, b: u8, at: usize) {
        self.word().idx.push(at);
        self.buf.push(b);
    }

    /// Pushes the raw text bytes `a..b`.
    fn push_raw(&mut self, a: usize, b: usize) {
        self.word().idx.extend(a..b);
        self.buf.extend_from_slice(&self.s[a..b]);
    }

    fn flush(&mut self) {
        let end = self.i.min(self.s.len());
        if let Some(mut w) = self.word.take() {
            w.end = end;
            // Words only break at ASCII bytes, so the value stays valid UTF-8.
            w.value = String::from_utf8_lossy(&self.buf).into_owned();
            self.buf.clear();
            if let Some(strip) = self.heredoc_next.take() {
                self.heredocs.push((w.value.clone(), strip));
            }
            self.toks.push_back(Tok::Word(w));
        }
    }

    fn backslash(&mut self) {
        match self.s.get(self.i + 1) {
            Some(b'\n') => self.i += 2,
            Some(b'\r') if self.s.get(self.i + 2) == Some(&b'\n') => self.i += 3,
            Some(&n) => {
                self.word().quoted = true;
                self.push(n, self.i + 1);
                self.i += 2;
            }
            None => self.i += 1,
        }
    }

    fn comment(&mut self) {
        while self.i < self.s.len() && self.s[self.i] != b'\n' {
            self.i += 1;
        }
    }

    fn single_quoted(&mut self) {
        self.word().quoted = true;
        let close = find_byte(self.s, self.i + 1, b'\'');
        for k in self.i + 1..close {
            self.push(self.s[k], k);
        }
        self.i = close + 1;
    }

    fn double_quoted(&mut self) {
        self.word().quoted = true;
        self.i += 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => match self.s.get(self.i + 1) {
                    Some(b'\n') => self.i += 2,
                    Some(&n @ (b'"' | b'\\' | b'$' | b'`')) => {
                        self.push(n, self.i + 1);
                        self.i += 2;
                    }
                    _ => {
                        self.push(b'\\', self.i);
                        self.i += 1;
                    }
                },
                b'$' => self.dollar(),
                b'`' => self.backtick(),
                c => {
                    self.push(c, self.i);
                    self.i += 1;
                }
            }
        }
    }

    fn backtick(&mut self) {
        let mut k = self.i + 1;
        while k < self.s.len() && self.s[k] != b'`' {
            k += if self.s[k] == b'\\' { 2 } else { 1 };
        }
        let close = k.min(self.s.len());
        self.word().literal = false;
        let body = (self.i + 1, close);
        self.word().subs.push(body);
        self.push_raw(self.i, (close + 1).min(self.s.len()));
        self.i = close + 1;
    }

    fn dollar(&mut self) {
        let next = self.s.get(self.i + 1).copied();
        match (self.dialect, next) {
            (Dialect::Make, Some(b'$')) => {
                // `$$` is one shell `$`; what follows is shell syntax.
                self.i += 1;
                self.shell_dollar();
            }
            (Dialect::Make, Some(open @ (b'(' | b'{'))) => self.opaque(open),
            (Dialect::Azure, Some(b'(')) if self.is_azure_macro() => self.opaque(b'('),
            _ => self.shell_dollar(),
        }
    }

    fn is_azure_macro(&self) -> bool {
        let rest = &self.s[self.i + 2..];
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            .count();
        let name = &rest[..len];
        // `$(pwd)` is a command; `$(Build.SourcesDirectory)` and `$(DB_URL)` are variables.
        let variable_like = name
            .iter()
            .any(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'.'));
        variable_like && rest.get(len) == Some(&b')')
    }

    /// Copies a `$(...)`/`${...}` whose meaning belongs to another layer.
    fn opaque(&mut self, open: u8) {
        let close = find_close(self.s, self.i + 2, open);
        self.word().literal = false;
        self.push_raw(self.i, (close + 1).min(self.s.len()));
        self.i = close + 1;
    }

    fn shell_dollar(&mut self) {
        let start = self.i;
        match self.s.get(self.i + 1).copied() {
            Some(b'(') if self.s.get(self.i + 2) == Some(&b'(') => {
                let close = find_close(self.s, self.i + 3, b'(');
                let close = find_close(self.s, close + 1, b'(').min(self.s.len());
                self.word().literal = false;
                self.push_raw(start, (close + 1).min(self.s.len()));
                self.i = close + 1;
            }
            Some(b'(') => {
                let close = find_close(self.s, self.i + 2, b'(');
                self.word().literal = false;
                let body = (start + 2, close.min(self.s.len()));
                self.word().subs.push(body);
                self.push_raw(start, (close + 1).min(self.s.len()));
                self.i = close + 1;
            }
            Some(b'{') => self.opaque(b'{'),
            Some(b'\'') => {
                self.i += 1;
                self.single_quoted();
            }
            _ => {
                self.word().literal = false;
                self.push(b'$', start);
                self.i += 1;
            }
        }
    }

    fn operator(&mut self, c: u8) {
        self.flush();
        let next = self.s.get(self.i + 1).copied();
        let (op, len) = match (c, next) {
            (b'&', Some(b'&')) => (Op::And, 2),
            (b'&', Some(b'>')) => {
                self.i += 1;
                return self.redirect();
            }
            (b'&', _) => (Op::Amp, 1),
            (b'|', Some(b'|')) => (Op::Or, 2),
            (b'|', Some(b'&')) => (Op::Pipe, 2),
            (b'|', _) => (Op::Pipe, 1),
            (b';', Some(b';')) => (Op::CaseEnd, 2),
            (b';', _) => (Op::Semi, 1),
            (b'(', _) => (Op::Open, 1),
            _ => (Op::Close, 1),
        };
        self.toks.push_back(Tok::Op(op));
        self.i += len;
    }

    fn redirect(&mut self) {
        // `2>` names a file descriptor: the digits are not a word.
        let fd = self.word.as_ref().is_some_and(|w| !w.quoted)
            && !self.buf.is_empty()
            && self.buf.iter().all(u8::is_ascii_digit);
        if fd {
            self.word = None;
            self.buf.clear();
        }
        self.flush();
        let rest = &self.s[self.i..];
        let len = if rest.starts_with(b"<<<") {
            3
        } else if rest.starts_with(b"<<-") {
            self.heredoc_next = Some(true);
            3
        } else if rest.starts_with(b"<<") {
            self.heredoc_next = Some(false);
            2
        } else if rest.len() > 1 && matches!(rest[1], b'>' | b'&' | b'|') || rest.starts_with(b"<>")
        {
            2
        } else {
            1
        };
        self.toks.push_back(Tok::Op(Op::Redirect));
        self.i += len;
    }

    /// After a newline, skips the bodies of pending here-documents.
    fn skip_heredocs(&mut self) {
        for (delim, strip_tabs) in std::mem::take(&mut self.heredocs) {
            let body_start = self.i;
            let mut body_end = self.i;
            while self.i < self.s.len() {
                let end = find_byte(self.s, self.i, b'\n');
                let line = String::from_utf8_lossy(&self.s[self.i..end.min(self.s.len())]);
                let line = line.trim_end_matches('\r');
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                let line_start = self.i;
                self.i = (end + 1).min(self.s.len());
                if line == delim {
                    body_end = line_start;
                    break;
                }
                body_end = self.i;
            }
            self.toks.push_back(Tok::Heredoc(body_start, body_end));
        }
    }
}

/// Index of the next `b` at or after `from`, or the text length.
fn find_byte(s: &[u8], from: usize, b: u8) -> usize {
    s.get(from..)
        .and_then(|r| memchr::memchr(b, r))
        .map_or(s.len(), |k| from + k)
}

/// Index of the bracket closing an `open` whose body starts at `from`, or the text length.
pub(crate) fn find_close(s: &[u8], from: usize, open: u8) -> usize {
    let close = if open == b'(' { b')' } else { b'}' };
    let mut depth = 0usize;
    let mut k = from;
    while k < s.len() {
        match s[k] {
            b'\\' => k += 1,
            b'\'' if open == b'(' => k = find_byte(s, k + 1, b'\''),
            b'"' => {
                k += 1;
                while k < s.len() && s[k] != b'"' {
                    k += if s[k] == b'\\' { 2 } else { 1 };
                }
            }
            c if c == open => depth += 1,
            c if c == close => {
                if depth == 0 {
                    return k;
                }
                depth -= 1;
            }
            _ => {}
        }
        k += 1;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        lex(text, Dialect::Shell)
            .into_iter()
            .map(|t| match t {
                Tok::Word(w) => w.value,
                Tok::Op(op) => format!("<{op:?}>"),
                Tok::Heredoc(a, b) => format!("<Heredoc {a}..{b}>"),
            })
            .collect()
    }

    #[test]
    fn quotes_are_removed_and_operators_split() {
        assert_eq!(
            words(r#"a "b c"&&d 'e f'|g;h"#),
            ["a", "b c", "<And>", "d", "e f", "<Pipe>", "g", "<Semi>", "h"]
        );
    }

    #[test]
    fn continuations_join_and_comments_vanish() {
        assert_eq!(
            words("a \\\n  b # c d\ne#f"),
            ["a", "b", "<Newline>", "e#f"]
        );
    }

    #[test]
    fn redirections_and_heredocs_are_not_words() {
        assert_eq!(
            words("a 2>&1 >out <<EOF\nx y\nEOF\nb"),
            [
                "a",
                "<Redirect>",
                "1",
                "<Redirect>",
                "out",
                "<Redirect>",
                "EOF",
                "<Newline>",
                "<Heredoc 18..22>",
                "b"
            ]
        );
    }

    #[test]
    fn substitutions_are_recorded() {
        let toks = lex("echo \"$(prisma1 token)\" `x`", Dialect::Shell);
        let Some(Tok::Word(w)) = toks.get(1) else {
            panic!("no word")
        };
        assert_eq!(w.value, "$(prisma1 token)");
        assert_eq!(w.subs, vec![(8, 21)]);
        assert!(!w.literal);
    }

    #[test]
    fn make_and_azure_dollars_are_opaque() {
        // How many command substitutions each word holds.
        let subs = |text: &str, dialect| -> Vec<usize> {
            lex(text, dialect)
                .iter()
                .filter_map(|t| match t {
                    Tok::Word(w) => Some(w.subs.len()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(subs("$(PRISMA) deploy $$(pwd)", Dialect::Make), [0, 0, 1]);
        assert_eq!(
            subs("cd $(Build.SourcesDirectory) $(ls)", Dialect::Azure),
            [0, 0, 1]
        );
    }

    #[test]
    fn unicode_survives() {
        assert_eq!(words("echo 'héllo' wörld"), ["echo", "héllo", "wörld"]);
    }
}
