//! Secrets never leave the tool. Two layers:
//!
//! 1. [`Secrets`]: the values the fact extractors parsed out of secret-holding
//!    places (env files, prisma.yml `secret:`, environment scopes of commands
//!    in every file kind, `--key`/`-k` arguments). Whatever the syntax, the
//!    parsed value is known exactly, spaces and all, so it is cut out of every
//!    finding and, last, out of the bytes every reporter writes.
//! 2. [`scrub`]: a line-level backstop for files no extractor reads (a JS
//!    file's `secret: "..."`): the assignment syntaxes of every file kind we
//!    scan (`KEY=v`, `KEY: v`, Makefile `?=`/`:=`/`+=`, Dockerfile
//!    `ENV KEY v`, app.json `"KEY": {"value": "v"}`, quoted values with
//!    spaces, `--key v`, `-kv`).

use crate::facts::RepoFacts;
use crate::finding::{Finding, REDACTED};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Names of variables and keys whose values are secrets.
const SECRET_NAME: &str = r"(?i:[A-Za-z0-9_]*(?:secret|session_?key|password|passwd|token|api_?key|private_?key)[A-Za-z0-9_]*)";

fn pattern() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let key = format!(
            r#"(?x)
            (?P<key>
                # KEY=v, KEY: v, "KEY": "v", Makefile KEY ?= v / := / += / ::= / !=
                (?-u:\b){SECRET_NAME} ["']? [\t\x20]* (?: \?= | :{{1,2}}= | \+= | != | = | : ) [\t\x20]*
                  (?: \{{ [\t\x20]* ["']value["'] [\t\x20]* : [\t\x20]* )?
              # Dockerfile ENV KEY v
              | (?-u:\b)(?i:ENV) [\t\x20]+ {SECRET_NAME} [\t\x20]+
              # --key v, -k v, --key=v
              | (?:^|\s)(?:--key|-k)(?:[\t\x20]*=[\t\x20]*|[\t\x20]+)
            )
            (?:
                "(?P<dq>[^"\n]*)"?
              | '(?P<sq>[^'\n]*)'?
              | (?P<bare>[^\s"'`$\{{\}}\#,;<(«*][^\s"',;\}}]*)
            )
            # -kVALUE, glued
            | (?P<kkey>(?:^|\s)-k)(?P<kv>[A-Za-z0-9._~+/=-]{{4,}})
            "#
        );
        let r = Regex::new(&key);
        #[cfg(test)]
        if let Err(e) = &r {
            eprintln!("{e}");
        }
        r.ok()
    })
    .as_ref()
}

/// Replaces secret values in `text`; references such as `${env:X}`,
/// `$X` and `${{ secrets.X }}` are kept, since they are not secrets.
pub fn scrub(text: &str) -> String {
    let Some(re) = pattern() else {
        return text.to_string();
    };
    if !text.contains(['=', ':', '-', ' ', '\t']) {
        return text.to_string();
    }
    re.replace_all(text, |c: &regex::Captures<'_>| {
        if let (Some(k), Some(_)) = (c.name("kkey"), c.name("kv")) {
            return format!("{}{REDACTED}", k.as_str());
        }
        let key = c.name("key").map_or("", |m| m.as_str());
        let (value, open, close) = match (c.name("dq"), c.name("sq"), c.name("bare")) {
            (Some(v), _, _) => (
                v.as_str(),
                "\"",
                c[0].ends_with('"') && c[0].len() > key.len() + 1,
            ),
            (_, Some(v), _) => (
                v.as_str(),
                "'",
                c[0].ends_with('\'') && c[0].len() > key.len() + 1,
            ),
            (_, _, Some(v)) => (v.as_str(), "", false),
            _ => return c[0].to_string(),
        };
        let reference = value.trim_start().starts_with('$') || value.trim().is_empty();
        // A value already cut (`«redacted»`) is kept, also when a second
        // pass reads the operator as part of it (`K:=«redacted»` as `K:` and
        // `=«redacted»`); a quoted one cut only up to its first space
        // (`"«redacted» b c"`) is cut whole.
        if reference
            || value.trim_start_matches(['=', ':']) == REDACTED
            || (open.is_empty() && value.starts_with('«'))
        {
            return c[0].to_string();
        }
        let close = if close { open } else { "" };
        format!("{key}{open}{REDACTED}{close}")
    })
    .into_owned()
}

/// Shortest parsed value treated as a secret: shorter ones (`1`, `dev`)
/// would blank ordinary words everywhere; the backstop still covers them
/// where their syntax is known.
const MIN_SECRET: usize = 4;

/// Secret values the repository's facts hold, cut out of everything printed.
#[derive(Debug, Default)]
pub struct Secrets {
    finder: Option<AhoCorasick>,
    count: usize,
}

impl Secrets {
    /// The secret values of `facts`.
    pub fn from_facts(facts: &RepoFacts) -> Secrets {
        let mut values = BTreeSet::new();
        let mut add = |v: &str| {
            let v = v.trim();
            if v.len() >= MIN_SECRET && !v.starts_with('$') && !v.contains(REDACTED) {
                values.insert(v.to_string());
            }
        };
        for f in facts.files.values() {
            if let Some(env) = &f.env {
                for (k, e) in &env.vars {
                    if secret_name(k) {
                        add(&e.value);
                    }
                }
            }
            if let Some(y) = &f.prisma_yml {
                for v in [&y.secret, &y.management_api_secret].into_iter().flatten() {
                    add(&v.text);
                }
            }
            command_secrets(&f.commands, &mut add);
            for v in &f.dropped_secrets {
                add(v);
            }
        }
        Secrets::new(values.into_iter().collect())
    }

    pub fn new(values: Vec<String>) -> Secrets {
        // Escaped forms too: JSON, SARIF and HTML write `"` and `<` escaped.
        let mut all: BTreeSet<String> = BTreeSet::new();
        for v in values {
            if let Ok(j) = serde_json::to_string(&v) {
                all.insert(j.trim_matches('"').to_string());
            }
            // As the text formats show repository text (`display`).
            if let Ok(j) = crate::display::json_pretty(&v) {
                all.insert(j.trim_matches('"').to_string());
            }
            all.insert(crate::display::printable(&v).into_owned());
            all.insert(
                v.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;"),
            );
            all.insert(v);
        }
        let count = all.len();
        let finder = (count > 0)
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&all)
                    .ok()
            })
            .flatten();
        Secrets { finder, count }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `text` with every known secret value replaced.
    pub fn redact(&self, text: &str) -> String {
        match &self.finder {
            Some(f) if f.is_match(text) => f.replace_all(text, &vec![REDACTED; self.count]),
            _ => text.to_string(),
        }
    }

    /// Bytes a reporter wrote, with every known secret value replaced.
    pub fn redact_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        match &self.finder {
            Some(f) if f.is_match(bytes) => {
                f.replace_all_bytes(bytes, &vec![REDACTED.as_bytes(); self.count])
            }
            _ => bytes.to_vec(),
        }
    }

    /// Every text of `f` through both layers.
    pub fn finding(&self, f: &mut Finding) {
        for t in [&mut f.message, &mut f.snippet, &mut f.matched] {
            *t = self.redact(&scrub(t));
        }
        for r in &mut f.related {
            r.message = self.redact(&scrub(&r.message));
            r.snippet = self.redact(&scrub(&r.snippet));
        }
        if let Some(s) = &mut f.suppressed {
            s.justification = self.redact(&scrub(&s.justification));
        }
    }
}

/// Whether a variable's name says it holds a secret (`API_TOKEN`, `DB_PASSWORD`).
fn secret_name(name: &str) -> bool {
    static NAME: OnceLock<Option<Regex>> = OnceLock::new();
    NAME.get_or_init(|| Regex::new(&format!("^{SECRET_NAME}$")).ok())
        .as_ref()
        .is_some_and(|r| r.is_match(name))
}

/// The values of secret-named variables in the environments of `sites`, and
/// their `--key` arguments.
pub fn command_secrets(sites: &[crate::facts::commands::CommandSite], add: &mut impl FnMut(&str)) {
    // Sites share their scopes' maps (persistent maps): a map seen a
    // moment ago is not read again, and a map grown from the last one read
    // (`export A=1; export B=2; ...`) is read as its difference from it,
    // which skips their shared nodes. Otherwise 6,000 commands after 6,000
    // exports would be 36 million reads.
    use imbl::ordmap::DiffItem;
    let mut recent: Vec<&crate::facts::commands::Vars> = Vec::new();
    for site in sites {
        for scope in &site.env {
            if recent.iter().any(|m| m.ptr_eq(&scope.vars)) {
                continue;
            }
            // Every entry of the last map read was harvested: only what
            // differs from it is new.
            let mut take = |k: &String, v: &crate::facts::commands::EnvVar| {
                if let (true, Some(value)) = (secret_name(k), &v.value) {
                    add(value);
                }
            };
            match recent.last() {
                Some(last) => {
                    for d in last.diff(&scope.vars) {
                        match d {
                            DiffItem::Add(k, v) | DiffItem::Update { new: (k, v), .. } => {
                                take(k, v)
                            }
                            DiffItem::Remove(..) => {}
                        }
                    }
                }
                None => scope.vars.iter().for_each(|(k, v)| take(k, v)),
            }
            if recent.len() == 16 {
                recent.remove(0);
            }
            recent.push(&scope.vars);
        }
        key_arguments(&site.argv, add);
    }
}

/// `--key V`, `--key=V`, `-k V`, `-kV` of Prisma commands.
fn key_arguments(argv: &[String], add: &mut impl FnMut(&str)) {
    if !argv.iter().any(|a| a.contains("prisma")) {
        return;
    }
    let mut it = argv.iter().peekable();
    while let Some(a) = it.next() {
        if a == "--key" || a == "-k" {
            if let Some(v) = it.peek() {
                add(v);
            }
        } else if let Some(v) = a.strip_prefix("--key=") {
            add(v);
        } else if let Some(v) = a.strip_prefix("-k").filter(|v| !v.is_empty()) {
            add(v.trim_start_matches('='));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_literal_secrets() {
        for (input, gone) in [
            (
                "PRISMA_MANAGEMENT_API_SECRET=hunter2 prisma1 deploy",
                "hunter2",
            ),
            ("  managementApiSecret: 'my-secret-123'", "my-secret-123"),
            ("secret: mysecret42", "mysecret42"),
            ("prisma login --key eyJhbGciOi.abc", "eyJhbGciOi"),
            ("PRISMA_CLOUD_SESSION_KEY: abcdef", "abcdef"),
            ("PRISMA_SECRET ?= canary-make-1", "canary-make-1"),
            ("PRISMA_SECRET := canary-make-2", "canary-make-2"),
            ("PRISMA_SECRET += canary-make-3", "canary-make-3"),
            (
                "ENV PRISMA_MANAGEMENT_API_SECRET canary-docker",
                "canary-docker",
            ),
            (
                r#""PRISMA_MANAGEMENT_API_SECRET": {"value": "canary-app"}"#,
                "canary-app",
            ),
            (r#"  "secret": "canary-json","#, "canary-json"),
            ("const secret = 'canary-js';", "canary-js"),
            ("prisma1 login -kcanary-glued", "canary-glued"),
            (r#"secret: "canary a b c""#, "b c"),
        ] {
            let out = scrub(input);
            assert!(!out.contains(gone), "{input} -> {out}");
            assert!(out.contains(REDACTED), "{input} -> {out}");
        }
    }

    #[test]
    fn scrub_is_idempotent_when_the_operator_can_be_read_two_ways() {
        // Found by fuzzing: `:=` is one operator, or `:` then a value `=…`.
        for line in [
            "PRISM_SECRETsteps:=SUPE\u{FFFD}SEC8\0\0\0RET2019",
            "API_TOKEN:=abc123",
            "API_TOKEN::=abc123",
            "API_TOKEN?=abc123",
        ] {
            let once = scrub(line);
            assert!(once.contains(REDACTED), "{line:?} -> {once:?}");
            assert_eq!(scrub(&once), once, "{line:?}");
        }
        // A value that only looks cut is still cut.
        assert_eq!(scrub("API_TOKEN:=«abc123"), format!("API_TOKEN:{REDACTED}"));
    }

    #[test]
    fn keeps_references() {
        for input in [
            "secret: ${env:PRISMA_SECRET}",
            "PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.X }}",
            "PRISMA_MANAGEMENT_API_SECRET=$SECRET",
            r#"PRISMA_SECRET="$SECRET""#,
            "deploy without PRISMA_MANAGEMENT_API_SECRET",
        ] {
            assert_eq!(scrub(input), input);
        }
    }

    #[test]
    fn every_value_of_growing_environments_is_harvested() {
        // Scopes grow one export at a time (read as differences from the
        // last map), one value is replaced, and a separate scope starts over.
        let text = "export API_TOKEN=aaaa1111\nprisma1 deploy\nexport DB_PASSWORD=bbbb2222\nprisma1 deploy\nexport API_TOKEN=cccc3333\nprisma1 deploy\n(export NPM_TOKEN=dddd4444; prisma1 deploy)\nOTHER=eeee5555 prisma1 deploy\n";
        let sites = crate::facts::commands::extract("run.sh", crate::kind::FileKind::Shell, text);
        let mut got = Vec::new();
        command_secrets(&sites, &mut |v| got.push(v.to_string()));
        got.sort();
        got.dedup();
        assert_eq!(got, ["aaaa1111", "bbbb2222", "cccc3333", "dddd4444"]);
    }

    #[test]
    fn parsed_values_are_cut_in_every_escaped_form() {
        let s = Secrets::new(vec![r#"a "b" <c>"#.to_string()]);
        for text in [
            r#"x a "b" <c> y"#,
            r#"x a \"b\" <c> y"#,
            "x a &quot;b&quot; &lt;c&gt; y",
        ] {
            let out = s.redact(text);
            assert_eq!(out, format!("x {REDACTED} y"), "{text}");
        }
    }
}
#[cfg(test)]
mod compile_check {
    #[test]
    fn pattern_compiles() {
        assert!(super::pattern().is_some());
    }
}
