//! The secret spans of a text, found by the syntax that says a value is a
//! secret. One anchored pass: an Aho-Corasick search for the words that
//! start such a syntax (`secret`, `password`, `token`, `auth`, `://`,
//! `bearer`, `--key`, `-k`, ...), then a bounded parse at each hit that
//! reads the key, the operator and the value the way the file's language
//! writes it:
//!
//! - quoted values through their escapes: `"a\"b"`, YAML `'a''b'`, shell
//!   `'a'\''b'`, `\"...\"` inside a JSON string (a package.json script),
//!   JavaScript template literals;
//! - values over several lines: an unclosed quote (dotenv and YAML
//!   multi-line values), a trailing `\` (shell and make continuations),
//!   YAML block scalars (`secret: |`) and multi-line plain scalars, flow
//!   and block sequences and JSON arrays under a secret-named key;
//! - values in place of a secret: `{name: SECRET, value: v}` pairs
//!   (Kubernetes, ECS task definitions, app.json), `{"value": v}` objects,
//!   `${SECRET:-v}` defaults, `process.env.SECRET || 'v'`,
//!   `getenv("SECRET", "v")`, `<password>v</password>`;
//! - credentials without a key: URL userinfo (`https://user:v@host`),
//!   `Bearer v`, `--key v`/`-kv` of a Prisma command.
//!
//! References (`$X`, `${X}`, `${{ secrets.X }}`, `$(cmd)`) are not secrets
//! and are left alone. Every parse is bounded and the scan resumes after
//! the value it read, so the pass is linear in the text.

use super::secret::{is_secret_name, Span};
use crate::kind::FileKind;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::cell::OnceCell;
use std::sync::OnceLock;

/// Most bytes one value may span (an unclosed quote, a block scalar).
const MAX_VALUE: usize = 16 * 1024;
/// Most lines one value may span.
const MAX_LINES: usize = 200;
/// How far a `{name, value}` pair's halves may be apart.
const PAIR_WINDOW: usize = 512;

/// The words that start a secret's syntax, in the casings keys are written
/// in (`secret`, `Secret` of `managementApiSecret`, `SECRET`). Listed case
/// by case rather than searched case-insensitively: a case-sensitive set
/// keeps Aho-Corasick's SIMD searcher, so a file with few hits costs about
/// one memchr pass.
const ANCHORS: [&str; 36] = [
    "secret",
    "Secret",
    "SECRET",
    "pass",
    "Pass",
    "PASS",
    "pwd",
    "Pwd",
    "PWD",
    "token",
    "Token",
    "TOKEN",
    "api_key",
    "apikey",
    "apiKey",
    "ApiKey",
    "api-key",
    "Api-Key",
    "API_KEY",
    "API-KEY",
    "APIKEY",
    "private",
    "Private",
    "PRIVATE",
    "session",
    "Session",
    "SESSION",
    "credential",
    "Credential",
    "CREDENTIAL",
    "auth",
    "Auth",
    "AUTH",
    "://",
    "--key",
    "-k",
];

/// `Bearer` and `bearer`, found apart from the keys (a credential after it).
const BEARER: [&str; 3] = ["bearer", "Bearer", "BEARER"];

fn anchors() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(ANCHORS.iter().chain(&BEARER))
            .ok()
    })
    .as_ref()
}

/// What an anchor starts.
fn anchor_kind(pattern: usize) -> &'static str {
    match ANCHORS.get(pattern) {
        Some(&"://") => "://",
        Some(&"--key") => "--key",
        Some(&"-k") => "-k",
        Some(_) => "name",
        None => "bearer",
    }
}

/// How a file kind writes values.
#[derive(Debug, Clone, Copy)]
struct Dialect {
    /// YAML: `key:` values run to the end of the line, block scalars, `''`.
    yaml: bool,
    /// `key=value` runs to the end of the line (dotenv, make, properties).
    line_assign: bool,
    /// Inside JSON strings: `"` ends a value, `\"` quotes one.
    json: bool,
    /// Program code: a bare word after `=` or `:` is an expression, not a literal.
    code: bool,
    /// prisma.yml: `$word` is literal text (only `${env:X}` is a reference).
    dollar_literal: bool,
    /// make and Dockerfile: a value goes on after a trailing `\`.
    continued: bool,
    /// compose: `- KEY=a b` list items are environment entries, not shell.
    env_lists: bool,
}

fn dialect(kind: FileKind) -> Dialect {
    let yaml = kind.is_yaml() || matches!(kind, FileKind::PrismaYml | FileKind::GraphqlConfig);
    Dialect {
        yaml,
        line_assign: matches!(
            kind,
            FileKind::Env | FileKind::Makefile | FileKind::Text | FileKind::Netlify
        ),
        json: matches!(
            kind,
            FileKind::PackageJson
                | FileKind::Json
                | FileKind::HerokuApp
                | FileKind::Vercel
                | FileKind::Lockfile
        ),
        code: matches!(kind, FileKind::Script | FileKind::Jenkinsfile),
        dollar_literal: kind == FileKind::PrismaYml,
        continued: matches!(kind, FileKind::Makefile | FileKind::Dockerfile),
        env_lists: kind == FileKind::Compose,
    }
}

/// The spans of every secret value in `text`, sorted and disjoint.
pub fn spans(kind: FileKind, text: &[u8]) -> Vec<Span> {
    let Some(ac) = anchors() else {
        return Vec::new();
    };
    let mut s = Scanner {
        t: text,
        d: dialect(kind),
        out: Vec::new(),
        newlines: OnceCell::new(),
    };
    let mut at = 0;
    while at < text.len() {
        let Some(m) = ac.find(aho_corasick::Input::new(text).span(at..text.len())) else {
            break;
        };
        let next = s.hit(m.start(), m.end(), anchor_kind(m.pattern().as_usize()));
        at = next.max(m.start() + 1);
    }
    split_lines(text, merge(s.out))
}

/// Spans cut at newlines: a masked value over three lines leaves three
/// lines, so snippets keep their line numbers.
fn split_lines(text: &[u8], spans: Vec<Span>) -> Vec<Span> {
    let mut out = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        let mut from = s;
        for nl in memchr::memchr_iter(b'\n', &text[s..e]) {
            let mut to = s + nl;
            if to > from && text[to - 1] == b'\r' {
                to -= 1;
            }
            if to > from {
                out.push((from, to));
            }
            from = s + nl + 1;
        }
        if e > from {
            out.push((from, e));
        }
    }
    out
}

/// Sorts spans and joins those that overlap or touch.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|(s, e)| s < e);
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

struct Scanner<'a> {
    t: &'a [u8],
    d: Dialect,
    out: Vec<Span>,
    /// Positions of the text's newlines, found at the first need: every
    /// line lookup is then a binary search, however long the line.
    newlines: OnceCell<Vec<usize>>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_key_byte(b: u8) -> bool {
    is_word(b) || b == b'-' || b == b'.'
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> u8 {
        self.t.get(i).copied().unwrap_or(0)
    }

    fn starts(&self, i: usize, s: &[u8]) -> bool {
        self.t.get(i..i + s.len()).is_some_and(|w| w == s)
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while is_space(self.at(i)) {
            i += 1;
        }
        i
    }

    fn newlines(&self) -> &[usize] {
        self.newlines
            .get_or_init(|| memchr::memchr_iter(b'\n', self.t).collect())
    }

    fn line_start(&self, i: usize) -> usize {
        let nl = self.newlines();
        let k = nl.partition_point(|&p| p < i.min(self.t.len()));
        if k == 0 {
            0
        } else {
            nl[k - 1] + 1
        }
    }

    fn line_end(&self, i: usize) -> usize {
        let nl = self.newlines();
        let k = nl.partition_point(|&p| p < i.min(self.t.len()));
        nl.get(k).copied().unwrap_or(self.t.len())
    }

    /// The text of the line before `i`, at most `max` bytes of it.
    fn before_on_line(&self, i: usize, max: usize) -> &[u8] {
        let ls = self.line_start(i).max(i.saturating_sub(max));
        &self.t[ls..i]
    }

    fn push(&mut self, s: usize, e: usize) {
        let e = e.min(self.t.len());
        if s < e {
            self.out.push((s, e));
        }
    }

    /// Handles one anchor hit; returns where the search resumes.
    fn hit(&mut self, start: usize, end: usize, anchor: &str) -> usize {
        match anchor {
            "://" => self.userinfo(start),
            "bearer" => self.bearer(start, end),
            "--key" | "-k" => self.key_flag(start, end),
            _ => self.named(start),
        }
    }

    /// `scheme://user:password@host`: the password (or a token-shaped user).
    fn userinfo(&mut self, at: usize) -> usize {
        let from = at + 3;
        let mut end = from;
        while end < self.t.len() && end - from < 512 {
            let b = self.t[end];
            if b.is_ascii_whitespace()
                || b"/?#\"'`<>()[]{},;\\".contains(&b) && !(b == b'{' && self.at(end - 1) == b'$')
            {
                break;
            }
            end += 1;
        }
        let authority = &self.t[from..end];
        let Some(atsign) = memchr::memrchr(b'@', authority) else {
            return from;
        };
        let info = &authority[..atsign];
        match memchr::memchr(b':', info) {
            Some(colon) => {
                let pw = &info[colon + 1..];
                if !pw.is_empty() && !pw.starts_with(b"$") {
                    self.push(from + colon + 1, from + atsign);
                }
            }
            None => {
                let user = String::from_utf8_lossy(info);
                if super::shape::secret_shaped(&user) {
                    self.push(from, from + atsign);
                }
            }
        }
        end
    }

    /// `Bearer v` anywhere: the credential after the scheme.
    fn bearer(&mut self, start: usize, end: usize) -> usize {
        if start > 0 && is_word(self.at(start - 1)) || !is_space(self.at(end)) {
            return end;
        }
        let v = self.skip_spaces(end);
        self.token(v)
    }

    /// A credential token from `i`: up to whitespace, a quote or a separator.
    fn token(&mut self, i: usize) -> usize {
        let b = self.at(i);
        if b == b'$' || b == b'{' || b == b'<' || b == b'+' {
            return i;
        }
        let mut e = i;
        while e < self.t.len() && e - i < 4096 {
            let c = self.t[e];
            if c.is_ascii_whitespace() || b"\"'`,;)<\\".contains(&c) {
                break;
            }
            e += 1;
        }
        self.push(i, e);
        e
    }

    /// `--key V`, `--key=V`, `-k V`, `-kV`, and the exec form `"--key", "V"`.
    fn key_flag(&mut self, start: usize, end: usize) -> usize {
        let before = start.checked_sub(1).map_or(b' ', |i| self.t[i]);
        if !(before.is_ascii_whitespace() || b"\"'[,=(".contains(&before)) {
            return end;
        }
        let ls = self.line_start(start);
        let prisma = contains_ci(self.before_on_line(start, 1024), b"prisma")
            || ls >= 2
                && self.at(ls - 2) == b'\\'
                && contains_ci(self.before_on_line(ls - 1, 1024), b"prisma");
        let short = end - start == 2;
        if short && !prisma {
            return end;
        }
        let mut i = end;
        let next = self.at(i);
        if short && (is_word(next) || next == b'=') {
            // `-kVALUE`, `-k=VALUE`.
            if next == b'=' {
                i += 1;
            }
            return self.value(i, Op::Flag, start);
        }
        if !short && is_key_byte(next) {
            return end; // `--keyfile`
        }
        match next {
            b'=' => self.value(i + 1, Op::Flag, start),
            b' ' | b'\t' => self.value(self.skip_spaces(i), Op::Flag, start),
            b'\\' if self.at(i + 1) == b'\n' => {
                let j = self.skip_spaces(i + 2);
                self.value(j, Op::Flag, start)
            }
            b'"' | b'\'' => {
                // `["prisma", "login", "--key", "V"]`
                i = self.skip_spaces(i + 1);
                if self.at(i) != b',' {
                    return i;
                }
                i = self.skip_spaces(i + 1);
                self.value(i, Op::Flag, start)
            }
            _ => end,
        }
    }

    /// A hit inside a word: if the word is a secret name, what follows it.
    fn named(&mut self, hit: usize) -> usize {
        let mut ks = hit;
        while ks > 0 && is_key_byte(self.t[ks - 1]) && hit - ks < 128 {
            ks -= 1;
        }
        let mut ke = hit;
        while ke < self.t.len() && is_key_byte(self.t[ke]) && ke - hit < 128 {
            ke += 1;
        }
        while ks < ke && matches!(self.t[ks], b'-' | b'.') {
            ks += 1;
        }
        // Key bytes are ASCII: no decoding, no copy.
        let key = std::str::from_utf8(&self.t[ks..ke]).unwrap_or("");
        if !is_secret_name(key) {
            return ke;
        }
        if let Some(next) = self.pair(ks, ke) {
            return next;
        }
        if let Some(next) = self.default_value(ks, ke) {
            return next;
        }
        // `<password>v</password>`
        if ks > 0 && self.t[ks - 1] == b'<' && self.at(ke) == b'>' {
            let from = ke + 1;
            let le = self.line_end(from);
            let end = memchr::memchr(b'<', &self.t[from..le]).map_or(le, |p| from + p);
            self.push(from, end);
            return end;
        }
        // After the key: its closing quote (`"KEY":`, `\"KEY\":`), `]` of
        // `env["KEY"]`, then the operator.
        let mut i = ke;
        if self.at(i) == b'\\' && matches!(self.at(i + 1), b'"' | b'\'') {
            i += 2;
        } else if matches!(self.at(i), b'"' | b'\'' | b'`') {
            i += 1;
        }
        if self.at(i) == b']' {
            i += 1;
        }
        let j = self.skip_spaces(i);
        let op = match (self.at(j), self.at(j + 1), self.at(j + 2)) {
            (b':', b':', b'=') => Some((Op::Assign, 3)),
            (b':', b'=', _) | (b'?', b'=', _) | (b'+', b'=', _) | (b'!', b'=', _) => {
                Some((Op::Assign, 2))
            }
            (b'=', b'=', b'=') => Some((Op::Assign, 3)),
            (b'=', b'=', _) | (b'=', b'>', _) => Some((Op::Assign, 2)),
            (b'=', _, _) => Some((Op::Assign, 1)),
            (b':', b':', _) => None,
            (b':', _, _) => Some((Op::Colon, 1)),
            _ => None,
        };
        match op {
            Some((op, n)) => {
                let v = self.skip_spaces(j + n);
                self.value(v, op, ks)
            }
            None if j > ke && self.space_assignment(ks) => self.value(j, Op::Line, ks),
            None => ke,
        }
    }

    /// Dockerfile `ENV KEY value`, csh `setenv KEY value`.
    fn space_assignment(&self, ks: usize) -> bool {
        let head = trim_ascii(self.before_on_line(ks, 16));
        head.eq_ignore_ascii_case(b"env") || head == b"setenv"
    }

    /// `name: SECRET` followed (or preceded) by `value: v` in the same
    /// object or list item: the value is the secret.
    fn pair(&mut self, ks: usize, ke: usize) -> Option<usize> {
        // Back from the word: its opening quote, the operator, the key.
        let mut i = ks;
        if i > 0 && matches!(self.t[i - 1], b'"' | b'\'') {
            i -= 1;
            if i > 0 && self.t[i - 1] == b'\\' {
                i -= 1;
            }
        }
        while i > 0 && is_space(self.t[i - 1]) {
            i -= 1;
        }
        if i == 0 || !matches!(self.t[i - 1], b':' | b'=') {
            return None;
        }
        i -= 1;
        while i > 0 && (is_space(self.t[i - 1]) || matches!(self.t[i - 1], b'"' | b'\'' | b'\\')) {
            i -= 1;
        }
        let mut k = i;
        while k > 0 && is_word(self.t[k - 1]) && i - k < 32 {
            k -= 1;
        }
        let name = &self.t[k..i];
        const NAMES: [&[u8]; 6] = [
            b"name",
            b"key",
            b"parameterkey",
            b"variable",
            b"optionname",
            b"env_var",
        ];
        if !NAMES.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            return None;
        }
        // Forward to the pair's `value` key, not past the next `name`.
        let end = (ke + PAIR_WINDOW).min(self.t.len());
        let mut j = ke;
        while j < end {
            let Some(p) = find_ci(&self.t[j..end], b"value") else {
                break;
            };
            let vk = j + p;
            let vke = vk + 5;
            j = vke;
            if vk > 0 && is_word(self.t[vk - 1]) && !self.t[vk - 1].is_ascii_lowercase() {
                continue;
            }
            let before = &self.t[ke..vk];
            let next_name =
                find_ci(before, b"name").is_some_and(|p| p == 0 || !is_word(before[p - 1]));
            if before.contains(&b'}') || next_name {
                break;
            }
            if let Some(next) = self.value_key(vk, vke) {
                return Some(next.max(ke));
            }
        }
        // Back to the object's `{`: `{"value": "v", "name": "SECRET"}`.
        let lo = k.saturating_sub(PAIR_WINDOW);
        if let Some(brace) = memchr::memrchr(b'{', &self.t[lo..k]) {
            let from = lo + brace;
            if let Some(p) = find_ci(&self.t[from..k], b"value") {
                let vk = from + p;
                if self.value_key(vk, vk + 5).is_some() {
                    return Some(ke);
                }
            }
        }
        Some(ke)
    }

    /// `value` (or `ParameterValue`) as a key at `vk..vke`: masks its value.
    fn value_key(&mut self, vk: usize, vke: usize) -> Option<usize> {
        if is_key_byte(self.at(vke)) {
            return None; // `valueFrom`
        }
        let mut i = vke;
        if self.at(i) == b'\\' && matches!(self.at(i + 1), b'"' | b'\'') {
            i += 2;
        } else if matches!(self.at(i), b'"' | b'\'') {
            i += 1;
        }
        let j = self.skip_spaces(i);
        let op = match self.at(j) {
            b':' => Op::Colon,
            b'=' => Op::Assign,
            _ => return None,
        };
        let v = self.skip_spaces(j + 1);
        Some(self.value(v, op, vk))
    }

    /// `${SECRET:-v}`, `process.env.SECRET || 'v'`, `getenv("SECRET", "v")`.
    fn default_value(&mut self, ks: usize, ke: usize) -> Option<usize> {
        let before = |n: usize| self.t.get(ks.saturating_sub(n)..ks).unwrap_or(b"");
        if before(2) == b"${" {
            let end = self.close_brace(ks)?;
            let from = ks + default_start(&self.t[ks..end])?;
            if !matches!(self.at(from), b'$') {
                self.push(from, end);
            }
            return Some(end);
        }
        let mut i = ke;
        if matches!(self.at(i), b'"' | b'\'') {
            i += 1;
        }
        while matches!(self.at(i), b']' | b')') {
            i += 1;
        }
        let j = self.skip_spaces(i);
        let quoted_arg =
            matches!(before(1), b"\"" | b"'") && matches!(before(2).first(), Some(b'('));
        if self.starts(j, b"||") || self.starts(j, b"??") || self.starts(j, b"or ") {
            let n = if self.at(j) == b'o' { 3 } else { 2 };
            let v = self.skip_spaces(j + n);
            if matches!(self.at(v), b'"' | b'\'' | b'`') {
                return Some(self.value(v, Op::Assign, ks));
            }
            return None;
        }
        if quoted_arg && self.at(j) == b',' {
            let v = self.skip_spaces(j + 1);
            if matches!(self.at(v), b'"' | b'\'') {
                return Some(self.value(v, Op::Assign, ks));
            }
        }
        None
    }

    /// The `}` closing a `${...}` whose body starts at `from`, on its line.
    fn close_brace(&self, from: usize) -> Option<usize> {
        let le = self.line_end(from).min(from + 4096);
        let mut depth = 0usize;
        for (k, &b) in self.t[from..le].iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 => return Some(from + k),
                b'}' => depth -= 1,
                _ => {}
            }
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `key: v`
    Colon,
    /// `KEY=v`, `KEY := v`, `key => v`
    Assign,
    /// `ENV KEY v`: the rest of the line.
    Line,
    /// The argument of `--key`/`-k`.
    Flag,
}

/// Where the default of a `${NAME:-default}` body starts (`:-`, `-`,
/// `:=`, `=`), if it has one.
fn default_start(body: &[u8]) -> Option<usize> {
    let n = body.iter().take_while(|&&b| is_word(b)).count();
    if n == 0 || body[0].is_ascii_digit() {
        return None;
    }
    let mut i = n;
    if body.get(i) == Some(&b':') {
        i += 1;
    }
    matches!(body.get(i), Some(b'-' | b'=')).then_some(i + 1)
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let s = trim_end(s);
    let start = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[start..]
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    &s[..s.len() - n]
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    find_ci(hay, needle).is_some()
}

mod values;

#[cfg(test)]
#[path = "syntax_tests.rs"]
mod tests;
