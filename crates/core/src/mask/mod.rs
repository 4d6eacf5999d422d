//! Where the secrets in repository text are, so that they can be cut out
//! exactly there (see [`crate::text`], the only way repository text reaches
//! an output).
//!
//! - [`syntax`]: the parsers that know a value is a secret. Given a file's
//!   text, they return the byte spans of the values of secret-named keys
//!   (env and CI assignments, prisma.yml `secret:`, `managementApiSecret`,
//!   JSON `{name, value}` pairs, `.npmrc` tokens, docker `auth`, XML
//!   `<password>`), of `--key`/`-k` arguments, URL userinfo and
//!   `Authorization`/`Bearer` credentials, through quotes, escapes, line
//!   continuations, YAML block scalars and multi-line values.
//! - [`secret`]: what the parsers look for: a span of text, a name whose
//!   value is a secret.
//! - [`shape`]: the value backstop. A secret found at one place is also cut
//!   where the same value appears elsewhere in repository text, but only
//!   when the value is secret-shaped (long enough, not a placeholder word):
//!   a compose file's `MYSQL_ROOT_PASSWORD: prisma` must not blank the word
//!   `prisma` in every snippet.
//!
//! Nothing here ever sees the tool's own words (rule ids, paths, hosts,
//! help): those are plain strings in [`crate::text::Text`].

pub mod secret;
pub mod shape;
pub mod syntax;

pub use secret::{is_secret_name, Span};
pub use shape::{secret_shaped, Backstop};
pub use syntax::spans;

use crate::kind::FileKind;
use std::cell::OnceCell;

/// The secret spans of one file, computed the first time a finding, a fact
/// or a fix needs them: most files never show a line in any output.
pub struct LazySpans<'a> {
    kind: FileKind,
    text: &'a [u8],
    spans: OnceCell<Vec<Span>>,
}

impl<'a> LazySpans<'a> {
    pub fn new(kind: FileKind, text: &'a [u8]) -> LazySpans<'a> {
        LazySpans {
            kind,
            text,
            spans: OnceCell::new(),
        }
    }

    pub fn get(&self) -> &[Span] {
        self.spans.get_or_init(|| spans(self.kind, self.text))
    }

    /// The secret values found, when the spans were needed (for the
    /// backstop); nothing when no output quotes the file.
    pub fn values(&self) -> Vec<String> {
        match self.spans.get() {
            Some(s) => values(self.text, s),
            None => Vec::new(),
        }
    }
}

/// The values of `spans` in `text`, as written and unescaped (`a\"b` is
/// also `a"b`): what the backstop looks for elsewhere.
pub fn values(text: &[u8], spans: &[Span]) -> Vec<String> {
    let mut out = Vec::new();
    for &(s, e) in spans {
        let Some(raw) = text.get(s..e) else { continue };
        let v = String::from_utf8_lossy(raw);
        let v = v.trim();
        if v.contains('\\') {
            let mut plain = String::with_capacity(v.len());
            let mut escaped = false;
            for c in v.chars() {
                if c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                escaped = false;
                plain.push(c);
            }
            out.push(plain);
        }
        out.push(v.to_string());
    }
    out
}

/// The spans of the secrets in a command's words joined by spaces: the word
/// after `--key`/`-k` (and `--key=V`, `-kV`) of a Prisma command, the value
/// of a `NAME=value` word with a secret name, and whatever the syntax
/// scanner finds in each word (URL userinfo, `Authorization: Bearer ...`).
/// The words are the shell's: `--key "a b"` is one word, `a b`, cut whole.
/// `prisma` says the words are (arguments of) a Prisma command.
pub fn word_spans(words: &[String], prisma: bool) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut out = Vec::new();
    let mut next_is_key = false;
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let at = text.len();
        text.push_str(w);
        let whole = (at, at + w.len());
        if std::mem::take(&mut next_is_key) && !w.is_empty() && !w.starts_with('$') {
            out.push(whole);
            continue;
        }
        if prisma && (w == "--key" || w == "-k") {
            next_is_key = true;
            continue;
        }
        let value_from = if let Some(v) = w.strip_prefix("--key=") {
            (prisma).then_some(w.len() - v.len())
        } else if let Some(v) = w.strip_prefix("-k").filter(|v| !v.is_empty() && prisma) {
            Some(w.len() - v.trim_start_matches('=').len())
        } else {
            match w.split_once('=') {
                Some((name, _)) if is_secret_name(name) && !name.contains(' ') => {
                    Some(name.len() + 1)
                }
                _ => None,
            }
        };
        if let Some(from) = value_from {
            let value = &w[from..];
            if !value.is_empty() && !value.starts_with('$') {
                out.push((at + from, whole.1));
                continue;
            }
        }
        for (s, e) in spans(FileKind::Text, w.as_bytes()) {
            out.push((at + s, at + e));
        }
    }
    (text, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "PRISMA_MANAGEMENT_API_SECRET",
            "managementApiSecret",
            "secret",
            "PRISMA_CLOUD_SESSION_KEY",
            "cloudSessionKey",
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "DB_PASS",
            "MYSQL_PWD",
            "_authToken",
            "auth",
            "_auth",
            "Authorization",
            "NPM_TOKEN",
            "x-api-key",
            "AWS_SECRET_ACCESS_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PRISMA_ENDPOINT",
            "author",
            "passenger",
            "secretName",
            "TOKEN_URL",
            "PASSWORD_FILE",
            "keyword",
            "monkey",
            "oauth_redirect",
            "secrets.PRISMA_ENDPOINT_URL",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn words_cut_whole_arguments() {
        let argv: Vec<String> = ["prisma1", "login", "--key", "a b", "--key=c d", "-ke f"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (text, spans) = word_spans(&argv, argv.iter().any(|w| w.contains("prisma")));
        let cut: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(cut, ["a b", "c d", "e f"]);
        let argv: Vec<String> = ["env", "PRISMA_SECRET=x y", "curl", "-k", "https://a:pw@h/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (text, spans) = word_spans(&argv, argv.iter().any(|w| w.contains("prisma")));
        let cut: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(cut, ["x y", "pw"]);
    }
}
