//! The part of Rust's lexical grammar the circle check needs.

/// What the checker needs of Rust's lexical grammar: comments, string and
/// char literals are consumed whole, so a path in a doc comment or a message
/// is never an import.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Ident(String),
    Str(String),
    /// `::`
    Sep,
    Punct(char),
}

pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let ident_start = |ch: char| ch.is_alphabetic() || ch == '_';
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (ch == 'r' && matches!(at(i + 1), '"' | '#'))
            || (ch == 'b' && at(i + 1) == 'r' && matches!(at(i + 2), '"' | '#'))
        {
            // a raw string, or a raw identifier (`r#type`)
            let mut j = i + if ch == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                let start = j;
                while ident_char(at(j)) {
                    j += 1;
                }
                out.push(Token::Ident(c[start..j].iter().collect()));
                i = j;
                continue;
            }
            j += 1;
            let start = j;
            while j < c.len() && !(c[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#')) {
                j += 1;
            }
            out.push(Token::Str(c[start..j.min(c.len())].iter().collect()));
            i = j + 1 + hashes;
        } else if ch == '"' || (ch == 'b' && at(i + 1) == '"') {
            let mut j = i + if ch == 'b' { 2 } else { 1 };
            let start = j;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            out.push(Token::Str(c[start..j.min(c.len())].iter().collect()));
            i = j + 1;
        } else if ch == '\'' || (ch == 'b' && at(i + 1) == '\'') {
            // a char literal ('x', '\n', '\u{..}', b'x'); a lifetime has no
            // closing quote and is skipped like one
            let mut j = i + if ch == 'b' { 2 } else { 1 };
            if at(j) == '\\' {
                j += 2;
                while j < c.len() && c[j] != '\'' && j - i < 14 {
                    j += 1;
                }
                i = j + 1;
            } else if at(j + 1) == '\'' {
                i = j + 2;
            } else {
                while ident_char(at(j)) {
                    j += 1;
                }
                i = j;
            }
        } else if ident_start(ch) {
            let start = i;
            while ident_char(at(i)) {
                i += 1;
            }
            out.push(Token::Ident(c[start..i].iter().collect()));
        } else if ch.is_ascii_digit() {
            while ident_char(at(i)) {
                i += 1;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(Token::Sep);
            i += 2;
        } else {
            out.push(Token::Punct(ch));
            i += 1;
        }
    }
    out
}

pub(crate) fn is_ident(t: Option<&Token>) -> bool {
    matches!(t, Some(Token::Ident(_)))
}
