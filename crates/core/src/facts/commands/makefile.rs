//! Makefiles as make reads them: variables (`=`, `:=`, `::=`, `?=`, `+=`,
//! `override`, `define ... endef`, target-specific `target: VAR = v`), their
//! expansion in recipes (`$(VAR)`, `${VAR}`, nested `$(A_$(B))`, `$@`),
//! `export` into the recipe environment, recipe prefixes (`@`, `-`, `+`) and
//! `.ONESHELL`. A recipe `$(DOCKER) node prisma deploy` with
//! `DOCKER = docker-compose run --rm` is then the compose run it really is.
//!
//! Expansion keeps positions: every byte a variable's value brings into a
//! recipe maps to the `$(VAR)` reference in the file, so a finding on an
//! expanded command points at the recipe line that holds it.

use super::lex::Dialect;
use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;
use std::collections::BTreeMap;

/// Expansion deeper than this (or a variable that refers to itself) stops.
const MAX_EXPANSION_DEPTH: usize = 16;
/// An expanded recipe line longer than this is cut: hostile input cannot blow it up.
const MAX_EXPANDED: usize = 64 * 1024;

/// One make variable as defined.
#[derive(Debug, Clone)]
struct MakeVar {
    /// The value as written (recursive variables are expanded at use).
    value: String,
    /// File range of the definition, for the environment scope.
    at: (usize, usize),
    exported: bool,
}

#[derive(Debug, Default)]
struct Makefile {
    vars: BTreeMap<String, MakeVar>,
    /// Target-specific variables: target -> name -> variable.
    target_vars: BTreeMap<String, BTreeMap<String, MakeVar>>,
    export_all: bool,
    oneshell: bool,
    includes: Vec<String>,
    recipes: Vec<Recipe>,
}

#[derive(Debug)]
struct Recipe {
    target: String,
    /// File ranges of recipe lines (after the tab), in order.
    lines: Vec<(usize, usize)>,
    /// Variables a guard prerequisite requires (`deploy: env-SECRET`,
    /// `guard-SECRET`, `check-env-SECRET`): make stops unless they are set,
    /// so the recipe runs with them. With the file range of the prerequisite.
    required: Vec<(String, (usize, usize))>,
}

/// Logical lines: `(start, end)` byte ranges with backslash continuations joined.
fn logical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        let line = &bytes[i..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let continued = line.ends_with(b"\\") && end < bytes.len();
        if !continued {
            let mut e = end;
            if e > start && bytes.get(e - 1) == Some(&b'\r') {
                e -= 1;
            }
            out.push((start, e));
            start = end + 1;
        }
        i = end + 1;
    }
    out
}

pub(crate) fn extract(out: &mut Out) {
    extract_with(out, &Included::default());
}

/// Variables that `include`d files define, by name: `(value, exported)`.
#[derive(Debug, Default, Clone)]
pub struct Included {
    pub vars: BTreeMap<String, (String, bool)>,
}

/// The `include`/`-include`/`sinclude` files of a Makefile, as written.
pub fn includes(text: &str) -> Vec<String> {
    parse(text).includes
}

/// The variables a makefile (or an env file read by `include`) defines.
pub fn defined_vars(text: &str) -> Included {
    let mk = parse(text);
    Included {
        vars: mk
            .vars
            .into_iter()
            .map(|(k, v)| (k, (v.value, v.exported)))
            .collect(),
    }
}

/// Extracts a Makefile whose `include`d files define `included` (they are
/// read before the Makefile's own lines, which win).
pub(crate) fn extract_with(out: &mut Out, included: &Included) {
    let mut mk = parse(out.file);
    for (name, (value, exported)) in &included.vars {
        mk.vars.entry(name.clone()).or_insert_with(|| MakeVar {
            value: value.clone(),
            at: (0, 0),
            exported: *exported || mk.export_all,
        });
    }
    let dir = dir_of(out.path);
    let mut env_files = Vec::new();
    if mk.export_all {
        env_files.extend(mk.includes.iter().filter(|f| f.contains(".env")).cloned());
    }
    for recipe in &mk.recipes {
        let exp = Expander {
            file: out.file,
            mk: &mk,
            target: &recipe.target,
            expanded: Default::default(),
        };
        let mut scope = exp.environment(out);
        if !recipe.required.is_empty() {
            let s = scope.get_or_insert_with(|| EnvScope {
                kind: ScopeKind::Makefile,
                label: "Makefile".into(),
                vars: Vars::new(),
            });
            for (name, at) in &recipe.required {
                s.vars.insert(
                    name.clone(),
                    EnvVar {
                        value: None,
                        location: out.location(*at),
                    },
                );
            }
        }
        let mut ctx = Ctx::new(format!("Makefile target \"{}\"", recipe.target), &dir)
            .with_env(scope.into_iter().collect());
        ctx.dialect = Dialect::Make;
        ctx.env_files = env_files.clone();
        // Only the recipe lines' own references place commands.
        exp.expanded.borrow_mut().clear();
        let from = out.sites.len();
        // Each line expanded as it is run: a recipe of many lines holds one
        // line's text at a time.
        let mut st = shell::State::new(&dir);
        for &(a, b) in &recipe.lines {
            let snip = exp.recipe_line(a, b);
            if mk.oneshell {
                // One shell for the whole recipe: `cd` and `export` carry over.
                shell::run_in(out, &snip, &ctx, &mut st);
            } else {
                shell::run(out, &snip, &ctx);
            }
        }
        exp.place_defined(out, from);
    }
}

fn parse(text: &str) -> Makefile {
    let mut mk = Makefile::default();
    // The recipes (indexes into `mk.recipes`) the next tab-indented lines belong to.
    let mut target: Option<Vec<usize>> = None;
    let mut lines = logical_lines(text).into_iter();
    while let Some((a, b)) = lines.next() {
        let line = &text[a..b];
        if let Some(open) = &target {
            if line.starts_with('\t') {
                for &r in open {
                    if let Some(recipe) = mk.recipes.get_mut(r) {
                        recipe.lines.push((a + 1, b));
                    }
                }
                continue;
            }
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(rest) = directive(trimmed, "define") {
            let name = define_name(rest);
            let mut body: Option<(usize, usize)> = None;
            for (la, lb) in lines.by_ref() {
                if text[la..lb].trim() == "endef" {
                    break;
                }
                body = Some(body.map_or((la, lb), |(s, _)| (s, lb)));
            }
            let value = body.map_or(String::new(), |(s, e)| text[s..e].to_string());
            let exported = mk.export_all;
            mk.vars.insert(
                name.to_string(),
                MakeVar {
                    value,
                    at: (a, b),
                    exported,
                },
            );
            target = None;
            continue;
        }
        target = top_level(&mut mk, trimmed, a + indent, target.take());
    }
    if mk.export_all {
        for v in mk.vars.values_mut() {
            v.exported = true;
        }
    }
    mk
}

/// The rest of a line after `keyword` and a space.
fn directive<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(keyword)?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// `define NAME`, `define NAME =`, `define NAME :=`.
fn define_name(rest: &str) -> &str {
    rest.split(|c: char| c.is_whitespace() || matches!(c, '=' | ':' | '?' | '+'))
        .next()
        .unwrap_or(rest)
}

/// Reads a top-level line; returns the targets of a rule it opens, if any.
fn top_level(
    mk: &mut Makefile,
    line: &str,
    at: usize,
    previous: Option<Vec<usize>>,
) -> Option<Vec<usize>> {
    if line == ".ONESHELL:" || line.starts_with(".ONESHELL:") {
        mk.oneshell = true;
        return None;
    }
    for kw in ["ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "endef"] {
        if directive(line, kw).is_some() {
            // Conditionals do not end a rule's recipe.
            return previous;
        }
    }
    for kw in ["include", "-include", "sinclude"] {
        if let Some(files) = directive(line, kw) {
            mk.includes
                .extend(files.split_whitespace().map(str::to_string));
            return None;
        }
    }
    if let Some(names) = directive(line, "unexport") {
        for n in names.split_whitespace() {
            if let Some(v) = mk.vars.get_mut(n) {
                v.exported = false;
            }
        }
        return None;
    }
    let (exported, rest) = match directive(line, "export") {
        Some(r) => (true, r),
        None => (false, directive(line, "override").unwrap_or(line)),
    };
    // `export` alone, or `export $(shell sed 's/=.*//' .env)` next to
    // `include .env`: every variable (those of the env file too) is exported.
    if exported && (rest.is_empty() || rest.starts_with("$(shell")) {
        mk.export_all = true;
        return None;
    }
    if let Some((name, op, value)) = assignment(rest) {
        let var = define(
            mk.vars.get(name),
            op,
            value,
            (at, at + line.len()),
            exported,
        );
        mk.vars.insert(name.to_string(), var);
        return None;
    }
    if exported {
        for name in rest.split_whitespace() {
            let var = mk.vars.entry(name.to_string()).or_insert(MakeVar {
                value: String::new(),
                at: (at, at + line.len()),
                exported: true,
            });
            var.exported = true;
        }
        return None;
    }
    let (head, tail) = split_rule(rest)?;
    let targets: Vec<String> = head.split_whitespace().map(str::to_string).collect();
    if targets.is_empty() {
        return None;
    }
    // `target: VAR = value` and `target: export VAR = value` are target-specific.
    let tail_t = tail.trim();
    let (t_export, t_rest) = match directive(tail_t, "export") {
        Some(r) => (true, r),
        None => (false, directive(tail_t, "override").unwrap_or(tail_t)),
    };
    if let Some((name, op, value)) = assignment(t_rest) {
        for t in &targets {
            let vars = mk.target_vars.entry(t.clone()).or_default();
            let var = define(vars.get(name), op, value, (at, at + line.len()), t_export);
            vars.insert(name.to_string(), var);
        }
        return previous;
    }
    // `target: prereqs ; command` has a first recipe line on the rule line.
    let inline_recipe = tail.find(';').map(|k| {
        let cmd_start = head.len() + 1 + k + 1;
        let off = line.len() - rest.len();
        (at + off + cmd_start, at + line.len())
    });
    let mut open = Vec::new();
    for t in &targets {
        if t.starts_with('.')
            && t.chars()
                .skip(1)
                .all(|c| c.is_ascii_uppercase() || c == '_')
        {
            // Special targets (`.PHONY`, `.SILENT`) have no recipes worth reading.
            continue;
        }
        open.push(mk.recipes.len());
        let prereqs = tail.split(';').next().unwrap_or_default();
        let required = prereqs
            .split_whitespace()
            .filter_map(|p| {
                let name = ["env-", "guard-", "check-env-", "require-"]
                    .iter()
                    .find_map(|g| p.strip_prefix(g))?;
                let valid = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                let k = line.find(p).unwrap_or(0);
                valid.then(|| (name.to_string(), (at + k, at + k + p.len())))
            })
            .collect();
        mk.recipes.push(Recipe {
            target: t.clone(),
            lines: inline_recipe.into_iter().collect(),
            required,
        });
    }
    Some(open)
}

/// Splits `targets: prereqs` at the rule colon (not `:=` or `::=`).
fn split_rule(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let open = bytes[i + 1];
                i = super::lex::find_close(bytes, i + 2, open) + 1;
                continue;
            }
            b':' if bytes.get(i + 1) != Some(&b'=') => {
                let tail_at = if bytes.get(i + 1) == Some(&b':') {
                    i + 2
                } else {
                    i + 1
                };
                return Some((&line[..i], &line[tail_at.min(line.len())..]));
            }
            b'=' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// `NAME = v`, `NAME := v`, `NAME ::= v`, `NAME ?= v`, `NAME += v`, `NAME != v`.
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let eq = line.find('=')?;
    let before = &line[..eq];
    let op_len = before.len() - before.trim_end_matches([':', '?', '+', '!']).len();
    let name = before[..before.len() - op_len].trim();
    let op = &before[before.len() - op_len..];
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    // make ends the value at a `#` (a comment), unless it is escaped.
    let value = &line[eq + 1..];
    let value = value
        .match_indices('#')
        .find(|(i, _)| !value[..*i].ends_with('\\'))
        .map_or(value, |(i, _)| &value[..i]);
    valid.then(|| (name, op, value.trim()))
}

fn define(
    old: Option<&MakeVar>,
    op: &str,
    value: &str,
    at: (usize, usize),
    exported: bool,
) -> MakeVar {
    let exported = exported || old.is_some_and(|o| o.exported);
    match (op, old) {
        ("?", Some(o)) => o.clone(),
        ("+", Some(o)) if !o.value.is_empty() => MakeVar {
            value: format!("{} {value}", o.value),
            at,
            exported,
        },
        // `!=` runs a shell command at parse time: the value is unknown.
        ("!", _) => MakeVar {
            value: "$(shell)".into(),
            at,
            exported,
        },
        _ => MakeVar {
            value: value.to_string(),
            at,
            exported,
        },
    }
}

/// Expands variable references of one recipe's lines.
struct Expander<'a> {
    file: &'a str,
    mk: &'a Makefile,
    target: &'a str,
    /// Variables a recipe line expands at its top level: the reference's
    /// file range, the definition's value range, and the expanded words.
    expanded: std::cell::RefCell<Vec<Expansion>>,
}

/// One `$(VAR)` a recipe expands, for placing the command it holds.
struct Expansion {
    reference: (usize, usize),
    definition: (usize, usize),
    words: Vec<String>,
}

impl Expander<'_> {
    /// A command whose words (program and sub-command) all come from one
    /// variable is written where the variable is defined: its sites from
    /// `from` on get that place as `defined_at`.
    fn place_defined(&self, out: &mut Out, from: usize) {
        let expanded = self.expanded.borrow();
        if expanded.is_empty() {
            return;
        }
        for i in from..out.sites.len() {
            let site = &out.sites[i];
            let start = site.word_location.start_byte;
            let Some(e) = expanded.iter().find(|e| e.reference.0 == start) else {
                continue;
            };
            let sub = site.argv.iter().skip(1).find(|a| !a.starts_with('-'));
            if sub.is_none_or(|s| e.words.contains(s)) {
                let at = out.location(e.definition);
                out.sites[i].defined_at = Some(at);
            }
        }
    }

    /// The file range of `v`'s value where it is written in this file.
    fn definition(&self, v: &MakeVar) -> Option<(usize, usize)> {
        let (a, b) = v.at;
        if (a, b) == (0, 0) || v.value.is_empty() {
            return None;
        }
        let line = self.file.get(a..b)?;
        Some(match line.rfind(v.value.as_str()) {
            Some(k) => (a + k, a + k + v.value.len()),
            None => (a, b),
        })
    }

    fn lookup(&self, name: &str) -> Option<&MakeVar> {
        self.mk
            .target_vars
            .get(self.target)
            .and_then(|t| t.get(name))
            .or_else(|| self.mk.vars.get(name))
    }

    /// The recipe line at `a..b` with its prefixes removed and variables expanded.
    fn recipe_line(&self, a: usize, b: usize) -> Snippet {
        let line = &self.file[a..b];
        let skip = line.len() - line.trim_start_matches(['@', '-', '+', ' ', '\t']).len();
        let (text, map) = self.expand_at(a + skip, b);
        Snippet::mapped(text, map)
    }

    /// Expands the file text `a..b`; each output byte maps to a file range.
    fn expand_at(&self, a: usize, b: usize) -> (String, Vec<(usize, usize)>) {
        let mut text = String::new();
        let mut map = Vec::new();
        let src = &self.file[a..b];
        self.expand_into(src, a, &mut text, &mut map, 0, None);
        (text, map)
    }

    /// Appends the expansion of `src` (file offset `base` when `origin` is
    /// None, else every byte maps to `origin`).
    fn expand_into(
        &self,
        src: &str,
        base: usize,
        text: &mut String,
        map: &mut Vec<(usize, usize)>,
        depth: usize,
        origin: Option<(usize, usize)>,
    ) {
        let bytes = src.as_bytes();
        let place = |i: usize, j: usize| origin.unwrap_or((base + i, base + j));
        let mut i = 0;
        while i < bytes.len() {
            if text.len() > MAX_EXPANDED {
                return;
            }
            if bytes[i] != b'$' {
                let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
                text.push_str(&src[i..i + ch_len]);
                for k in 0..ch_len {
                    map.push(place(i + k, i + k + 1));
                }
                i += ch_len;
                continue;
            }
            match bytes.get(i + 1) {
                Some(b'$') => {
                    // `$$` stays for the make-dialect lexer, which reads it as one shell `$`.
                    text.push_str("$$");
                    map.push(place(i, i + 1));
                    map.push(place(i + 1, i + 2));
                    i += 2;
                }
                Some(&open @ (b'(' | b'{')) => {
                    let close = super::lex::find_close(bytes, i + 2, open);
                    let end = (close + 1).min(bytes.len());
                    let reference = place(i, end);
                    let inner = &src[(i + 2).min(close)..close.min(bytes.len())];
                    self.reference(inner, &src[i..end], reference, text, map, depth);
                    i = end;
                }
                Some(b'@') => {
                    text.push_str(self.target);
                    map.extend(std::iter::repeat_n(place(i, i + 2), self.target.len()));
                    i += 2;
                }
                _ => {
                    text.push('$');
                    map.push(place(i, i + 1));
                    i += 1;
                }
            }
        }
    }

    /// Expands one `$(inner)` reference written as `raw`.
    fn reference(
        &self,
        inner: &str,
        raw: &str,
        at: (usize, usize),
        text: &mut String,
        map: &mut Vec<(usize, usize)>,
        depth: usize,
    ) {
        let keep = |text: &mut String, map: &mut Vec<(usize, usize)>| {
            text.push_str(raw);
            map.extend(std::iter::repeat_n(at, raw.len()));
        };
        if depth >= MAX_EXPANSION_DEPTH {
            return keep(text, map);
        }
        // A computed name (`$(A_$(B))`): expand the name first.
        let name = if inner.contains('$') {
            let mut t = String::new();
            let mut m = Vec::new();
            self.expand_into(inner, 0, &mut t, &mut m, depth + 1, Some(at));
            t
        } else {
            inner.to_string()
        };
        let name = name.trim();
        if name == "MAKE" {
            text.push_str("make");
            map.extend(std::iter::repeat_n(at, 4));
            return;
        }
        if name.contains([' ', ',', ':']) {
            // A function call (`$(shell ...)`, `$(subst ...)`) or substitution reference.
            return keep(text, map);
        }
        match self.lookup(name) {
            Some(v) => {
                let before = text.len();
                self.expand_into(&v.value, 0, text, map, depth + 1, Some(at));
                if depth == 0 {
                    if let Some(definition) = self.definition(v) {
                        let words = text[before..]
                            .split_whitespace()
                            .map(str::to_string)
                            .collect();
                        self.expanded.borrow_mut().push(Expansion {
                            reference: at,
                            definition,
                            words,
                        });
                    }
                }
            }
            // Undefined: make expands it to nothing, but it may come from the
            // environment or the command line; keep it opaque.
            None => keep(text, map),
        }
    }

    /// The exported variables (global and this target's), expanded.
    fn environment(&self, out: &Out) -> Option<EnvScope> {
        let mut vars = Vars::new();
        let globals = self.mk.vars.iter();
        let locals = self.mk.target_vars.get(self.target).into_iter().flatten();
        for (name, v) in globals.chain(locals) {
            if !v.exported {
                vars.remove(name);
                continue;
            }
            let mut t = String::new();
            let mut m = Vec::new();
            self.expand_into(&v.value, 0, &mut t, &mut m, 0, Some(v.at));
            let known = !t.contains('$') && !v.value.is_empty();
            vars.insert(
                name.clone(),
                EnvVar {
                    value: known.then_some(t),
                    location: out.location(v.at),
                },
            );
        }
        (!vars.is_empty()).then(|| EnvScope {
            kind: ScopeKind::Makefile,
            label: "Makefile".into(),
            vars,
        })
    }
}
