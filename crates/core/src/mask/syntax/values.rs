//! Reading a value once its key and operator are known: quoted (through
//! escapes, over lines), template literals, arrays, objects, YAML block
//! scalars and sequences, references, and bare words as each language ends
//! them.

use super::{
    default_start, find_ci, is_key_byte, is_space, is_word, trim_ascii, trim_end, Op, Scanner,
    MAX_LINES, MAX_VALUE,
};

impl Scanner<'_> {
    /// The value starting at `i` (after the operator and spaces). `key` is
    /// where its key starts (its column decides a YAML block's extent).
    pub(super) fn value(&mut self, i: usize, op: Op, key: usize) -> usize {
        let b = self.at(i);
        match b {
            b'"' | b'\'' => {
                let end = self.quoted(i, b);
                // Shell words go on after a closing quote: `K="a b"c`.
                if !self.d.yaml && !self.d.json && is_word(self.at(end)) {
                    let e = self.shell_word(end);
                    self.push(end, e);
                    return e;
                }
                end
            }
            b'`' => self.template(i),
            b'\\' if matches!(self.at(i + 1), b'"' | b'\'') => self.escaped_quote(i),
            b'[' => self.array(i),
            b'{' if self.at(i + 1) == b'{' => i + 2, // `{{ template }}`
            b'{' => self.object(i),
            b'$' => self.dollar(i, op, key),
            b'|' | b'>' if self.d.yaml && op == Op::Colon && self.block_header(i) => {
                self.block(i, key, true)
            }
            b'\n' | b'\r' | 0 => {
                if self.d.yaml && op == Op::Colon {
                    self.block(i, key, false)
                } else {
                    i
                }
            }
            b'#' if op != Op::Flag => i,
            _ => self.bare(i, op, key),
        }
    }

    /// Is `|`/`>` at `i` a block scalar header (`|`, `|-`, `>+2`, then a comment or the end)?
    fn block_header(&self, i: usize) -> bool {
        let mut j = i + 1;
        while matches!(self.at(j), b'-' | b'+' | b'0'..=b'9') {
            j += 1;
        }
        let j = self.skip_spaces(j);
        matches!(self.at(j), b'\n' | b'\r' | b'#' | 0)
    }

    /// The lines below a YAML key more indented than it: a block scalar, a
    /// multi-line plain scalar or a block sequence (each item cut). A nested
    /// mapping is left to its own keys.
    fn block(&mut self, i: usize, key: usize, scalar: bool) -> usize {
        let col = key - self.line_start(key);
        let mut ls = self.line_end(i) + 1;
        let mut last = i;
        let mut first = true;
        for _ in 0..MAX_LINES {
            if ls >= self.t.len() || ls - i > MAX_VALUE {
                break;
            }
            let le = self.line_end(ls);
            let line = &self.t[ls..le];
            let indent = line
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            let body = trim_ascii(line);
            if body.is_empty() {
                ls = le + 1;
                continue;
            }
            if indent <= col && !(!scalar && body.starts_with(b"- ") && indent == col && first) {
                break;
            }
            if !scalar && first && is_mapping_entry(body) {
                return i;
            }
            if !scalar && indent <= col && !body.starts_with(b"- ") {
                break;
            }
            first = false;
            let s = ls + indent;
            if scalar {
                self.push(s, ls + indent + body.len());
            } else {
                let item = if body.starts_with(b"- ") { 2 } else { 0 };
                let vs = self.skip_spaces(s + item);
                match self.at(vs) {
                    b'"' | b'\'' => {
                        self.quoted(vs, self.at(vs));
                    }
                    b'$' if !self.d.dollar_literal => {}
                    _ => {
                        let e = self.line_value_end(vs, le);
                        self.push(vs, e);
                    }
                }
            }
            last = le;
            ls = le + 1;
        }
        last
    }

    /// A quoted value opened at `i` by `q`: to the matching quote, through
    /// `\q` escapes, YAML `''` and shell `'\''`, over lines when the quote
    /// stays open (dotenv and YAML multi-line values).
    pub(super) fn quoted(&mut self, i: usize, q: u8) -> usize {
        let from = i + 1;
        let limit = (from + MAX_VALUE).min(self.t.len());
        let mut j = from;
        let mut lines = 0;
        while j < limit {
            let b = self.t[j];
            // Backslashes escape in double quotes, and in single quotes
            // only in code and JSON (shell, dotenv and YAML take them as is).
            if b == b'\\' && (q == b'"' || self.d.code || self.d.json) {
                j += 2;
                continue;
            }
            if b == b'\n' {
                lines += 1;
                if lines > MAX_LINES || self.d.json || self.d.code {
                    break;
                }
            }
            if b == q {
                if q == b'\'' && self.at(j + 1) == b'\'' {
                    j += 2; // YAML `''`
                    continue;
                }
                if q == b'\'' && self.starts(j + 1, b"\\''") {
                    j += 4; // shell `'\''`
                    continue;
                }
                if !self.is_reference(&self.t[from..j]) {
                    self.push(from, j);
                }
                return j + 1;
            }
            j += 1;
        }
        // Never closed: everything it may have held.
        let end = if self.d.json || self.d.code {
            self.line_end(from)
        } else {
            j.min(self.t.len())
        };
        self.push(from, end);
        end
    }

    /// A whole value that only refers to another (`$X`, `${X}`, `${{ x }}`,
    /// `$(cmd)`): not a secret, except in prisma.yml, where `$` is literal
    /// unless it opens `${`.
    fn is_reference(&self, v: &[u8]) -> bool {
        let Some(rest) = v.strip_prefix(b"$") else {
            return false;
        };
        if rest.starts_with(b"{{") {
            return v.ends_with(b"}}");
        }
        if rest.starts_with(b"{") {
            return v.ends_with(b"}") && !v[..v.len() - 1].contains(&b'}');
        }
        if self.d.dollar_literal {
            return false;
        }
        if rest.starts_with(b"(") {
            return v.ends_with(b")");
        }
        !rest.is_empty() && rest.iter().all(|&b| is_word(b))
    }

    /// `\"...\"`: a value quoted inside a JSON string (a package.json script).
    fn escaped_quote(&mut self, i: usize) -> usize {
        let q = self.at(i + 1);
        let from = i + 2;
        let le = self.line_end(from);
        let mut j = from;
        while j + 1 < le {
            if self.t[j] == b'\\' && self.t[j + 1] == q {
                if j > from && self.t[j - 1] == b'\\' {
                    j += 2;
                    continue;
                }
                self.push(from, j);
                return j + 2;
            }
            if self.t[j] == b'"' && q == b'"' {
                break; // the JSON string ends unclosed
            }
            j += 1;
        }
        self.push(from, j.min(le));
        j.min(le)
    }

    /// A JavaScript template literal (or shell backquotes): its literal
    /// text, not the `${...}` expressions in it (`\`Bearer ${token}\``
    /// holds no secret of its own).
    fn template(&mut self, i: usize) -> usize {
        let limit = (i + 1 + MAX_VALUE).min(self.t.len());
        let mut part = i + 1;
        let mut j = part;
        while j < limit {
            match self.t[j] {
                b'\\' => j += 2,
                b'$' if self.at(j + 1) == b'{' => {
                    self.literal_part(part, j);
                    let mut depth = 0usize;
                    while j < limit {
                        match self.t[j] {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    j += 1;
                    part = j;
                }
                b'`' => {
                    self.literal_part(part, j);
                    return j + 1;
                }
                _ => j += 1,
            }
        }
        self.literal_part(part, j.min(self.t.len()));
        j
    }

    /// A literal piece of a template: cut unless it is only spaces or an
    /// authorization scheme (`Bearer `).
    fn literal_part(&mut self, s: usize, e: usize) {
        let e = e.min(self.t.len());
        let piece = trim_ascii(&self.t[s.min(e)..e]);
        let scheme = ["bearer", "basic", "token", "digest"]
            .iter()
            .any(|w| piece.eq_ignore_ascii_case(w.as_bytes()));
        if !piece.is_empty() && !scheme {
            self.push(s, e);
        }
    }

    /// `[a, "b"]` under a secret key: every element, over lines.
    fn array(&mut self, i: usize) -> usize {
        let limit = (i + MAX_VALUE).min(self.t.len());
        let mut j = i + 1;
        while j < limit {
            let b = self.t[j];
            match b {
                b']' => return j + 1,
                b',' | b' ' | b'\t' | b'\n' | b'\r' => j += 1,
                b'"' | b'\'' => j = self.quoted(j, b),
                b'\\' if matches!(self.at(j + 1), b'"' | b'\'') => j = self.escaped_quote(j),
                b'{' | b'[' => j = self.skip_nested(j, limit),
                b'$' => {
                    while j < limit && !matches!(self.t[j], b',' | b']' | b'\n') {
                        j += 1;
                    }
                }
                _ => {
                    let s = j;
                    while j < limit && !matches!(self.t[j], b',' | b']' | b'\n' | b'\r') {
                        j += 1;
                    }
                    let e = s + trim_ascii(&self.t[s..j]).len();
                    if !self.d.code || !self.at(s).is_ascii_alphabetic() {
                        self.push(s, e);
                    }
                }
            }
        }
        j
    }

    fn skip_nested(&self, i: usize, limit: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        while j < limit {
            match self.t[j] {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        j
    }

    /// `{"value": "v", ...}` under a secret key (app.json): the `value`.
    fn object(&mut self, i: usize) -> usize {
        let limit = (i + 2048).min(self.t.len());
        let end = self.skip_nested(i, limit);
        let body = &self.t[i..end];
        let mut from = 0;
        while let Some(p) = find_ci(&body[from..], b"value") {
            let vk = i + from + p;
            from += p + 5;
            if vk > 0 && is_word(self.t[vk - 1]) {
                continue;
            }
            if self.value_key(vk, vk + 5).is_some() {
                break;
            }
        }
        end
    }

    /// A value starting with `$`: a reference (`$X`, `${X}`, `${{ x }}`,
    /// `$(cmd)`), except a default (`${X:-v}`) and prisma.yml's literal `$`.
    fn dollar(&mut self, i: usize, op: Op, key: usize) -> usize {
        let n = self.at(i + 1);
        if n == b'{' && self.at(i + 2) != b'{' {
            // `${OTHER:-default}`: the default is the secret's value.
            let Some(close) = self.close_brace(i + 2) else {
                return i + 2;
            };
            if let Some(from) = default_start(&self.t[i + 2..close]) {
                let from = i + 2 + from;
                if from < close && self.at(from) != b'$' {
                    self.push(from, close);
                }
            }
            return close + 1;
        }
        if self.d.dollar_literal && n != b'{' {
            return self.bare(i, op, key);
        }
        i + 1
    }

    /// An unquoted value.
    pub(super) fn bare(&mut self, i: usize, op: Op, key: usize) -> usize {
        // `Authorization: Bearer v`: the scheme stays, the credential goes.
        let scheme = ["bearer ", "basic ", "token ", "digest "]
            .iter()
            .find(|s| {
                self.t
                    .get(i..i + s.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(s.as_bytes()))
            })
            .map(|s| s.len());
        if let Some(n) = scheme {
            let v = self.skip_spaces(i + n);
            return self.token(v);
        }
        if self.d.code && op != Op::Flag && !self.at(i).is_ascii_digit() {
            return i; // an expression (`config.secret`), not a literal
        }
        // `KEY=v` in YAML is shell (a `run:` script, a `script:` item)
        // unless it is a compose environment entry (`- KEY=a b`).
        let list_item = || trim_ascii(self.before_on_line(key, 64)) == b"-";
        let line_value = match op {
            Op::Colon => !self.d.json,
            Op::Line => true,
            Op::Assign => self.d.line_assign || self.d.env_lists && list_item(),
            Op::Flag => false,
        };
        if line_value && !self.d.json {
            let le = self.line_end(i);
            let e = self.line_value_end(i, le);
            self.push(i, e);
            // make and Dockerfile continuations: `K = a \` + next line.
            if self.d.continued && trim_end(&self.t[i..le]).ends_with(b"\\") {
                let mut end = le;
                let mut lines = 0;
                while end < self.t.len()
                    && trim_end(&self.t[self.line_start(end)..end]).ends_with(b"\\")
                    && lines < MAX_LINES
                {
                    let ns = self.skip_spaces(end + 1);
                    let ne = self.line_end(ns);
                    self.push(ns, ns + trim_end(&self.t[ns..ne]).len());
                    end = ne;
                    lines += 1;
                }
                return end;
            }
            return e;
        }
        let e = self.shell_word(i);
        self.push(i, e);
        e
    }

    /// End of a value that runs to the end of its line `le`: before a ` #`
    /// comment, trailing spaces, and in a YAML flow collection before `,]}`.
    pub(super) fn line_value_end(&self, i: usize, le: usize) -> usize {
        let flow = self.d.yaml
            && self
                .before_on_line(i, 1024)
                .iter()
                .any(|&b| b == b'{' || b == b'[');
        let mut e = i;
        while e < le {
            let b = self.t[e];
            if b == b'#' && e > i && is_space(self.t[e - 1]) {
                break;
            }
            if flow && matches!(b, b',' | b']' | b'}') {
                break;
            }
            e += 1;
        }
        let mut v = &self.t[i..e];
        v = trim_end(v);
        if v.ends_with(b"\r") {
            v = &v[..v.len() - 1];
        }
        i + v.len()
    }

    /// One shell word: escapes (`a\ b`), quoted parts, `\`-newline.
    fn shell_word(&self, i: usize) -> usize {
        let limit = (i + MAX_VALUE).min(self.t.len());
        let mut j = i;
        while j < limit {
            let b = self.t[j];
            match b {
                b'\\' if self.d.json && matches!(self.at(j + 1), b'"' | b'\'') => {
                    let q = self.at(j + 1);
                    let le = self.line_end(j);
                    j += 2;
                    while j + 1 < le && !(self.t[j] == b'\\' && self.t[j + 1] == q) {
                        j += 1;
                    }
                    j = (j + 2).min(le);
                }
                b'\\' => j += 2,
                b'"' if self.d.json => break,
                b'"' | b'\'' => {
                    let le = self.line_end(j);
                    j = memchr::memchr(b, &self.t[j + 1..le]).map_or(le, |p| j + 1 + p + 1);
                }
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b')' | b'`' | b',' | b'}'
                | b']' => break,
                b'<' | b'>' if j > i => break,
                _ => j += 1,
            }
        }
        j.min(self.t.len())
    }
}

/// Does a YAML line start a mapping entry (`key:` then a space or the end)?
fn is_mapping_entry(body: &[u8]) -> bool {
    if body.starts_with(b"- ") || body.starts_with(b"\"") || body.starts_with(b"'") {
        return false;
    }
    let n = body.iter().take_while(|&&b| is_key_byte(b)).count();
    n > 0 && body.get(n) == Some(&b':') && body.get(n + 1).is_none_or(|b| is_space(*b))
}
