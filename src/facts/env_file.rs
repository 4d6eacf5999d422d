//! `.env` files: `KEY=value` lines, as dotenv reads them.

use crate::finding::Location;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub value: String,
    /// The whole `KEY=value` line.
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    pub vars: BTreeMap<String, EnvEntry>,
}

impl EnvFile {
    pub fn parse(path: &str, text: &str) -> EnvFile {
        let mut vars = BTreeMap::new();
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') {
                continue;
            }
            let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
            let Some((key, value)) = body.split_once('=') else {
                continue;
            };
            let key = key.trim();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let value = unquote(value.trim());
            let lead = line.len() - trimmed.len();
            let location =
                Location::from_bytes(path, text.as_bytes(), start + lead, start + line.len());
            vars.insert(key.to_string(), EnvEntry { value, location });
        }
        EnvFile { vars }
    }
}

/// Suffixes and prefixes that make a committed template of an env file.
const TEMPLATE_SUFFIXES: [&str; 9] = [
    ".example",
    ".sample",
    ".template",
    ".dist",
    ".local.example",
    "_example",
    "-example",
    "_sample",
    "-sample",
];

/// Is `path` a template of an env file (`variables.env.example`, `example.env`)?
pub fn is_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Every template's name holds `env`; this runs for nearly every file.
    if !name.as_bytes().windows(3).any(|w| w == b"env") {
        return false;
    }
    let base = TEMPLATE_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .or_else(|| name.strip_prefix("example."))
        .or_else(|| name.strip_prefix("sample."));
    base.is_some_and(|b| {
        b == ".env"
            || b == "env"
            || b.starts_with(".env.")
            || b.ends_with(".env")
            || b.ends_with(".env.local")
    })
}

/// The committed templates that may stand for the env file at `path`, in the
/// order they are looked for: `F.example`, `F.sample`, `F.template`, `F.dist`,
/// `F_example` (and `-example`, `_sample`, `-sample`), `example.F`,
/// `F.local.example`, then the folder's own template of its env files
/// (`.env.example`, `.env.sample`, `example.env`, `sample.env`, `env.example`).
pub fn template_candidates(path: &str) -> Vec<String> {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), path),
    };
    let mut out: Vec<String> = [
        ".example",
        ".sample",
        ".template",
        ".dist",
        "_example",
        "-example",
        "_sample",
        "-sample",
    ]
    .iter()
    .map(|s| format!("{dir}{name}{s}"))
    .collect();
    out.push(format!("{dir}example.{}", name.trim_start_matches('.')));
    out.push(format!("{dir}example{name}"));
    out.push(format!("{dir}{name}.local.example"));
    if name.starts_with(".env") || name.ends_with(".env") {
        for t in [
            ".env.example",
            ".env.sample",
            "example.env",
            "sample.env",
            "env.example",
        ] {
            let t = format!("{dir}{t}");
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    // A quoted value ends at its closing quote (`\"` inside double quotes
    // is not one); a comment may follow it.
    for q in ['"', '\''] {
        let Some(rest) = v.strip_prefix(q) else {
            continue;
        };
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            if c == q && !escaped {
                return rest[..i].to_string();
            }
            escaped = q == '"' && c == '\\' && !escaped;
        }
        return rest.to_string();
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_of_env_files() {
        assert!(is_template("variables.env.example"));
        assert!(is_template("api/.env.sample"));
        assert!(is_template("example.env"));
        assert!(!is_template("README.example"));
        let c = template_candidates("api/.env.prod");
        assert!(c.contains(&"api/.env.prod.example".to_string()));
        assert!(c.contains(&"api/.env.example".to_string()));
        assert!(template_candidates("variables.env").contains(&"example.variables.env".to_string()));
    }

    #[test]
    fn reads_keys_values_and_lines() {
        let env = EnvFile::parse(".env", "# c\nPRISMA_ENDPOINT=\"http://x:4466\"\nexport PRISMA_MANAGEMENT_API_SECRET=abc # note\nK=\"a \\\" b\" # note\n");
        assert_eq!(
            env.vars.get("K").map(|e| e.value.as_str()),
            Some("a \\\" b")
        );
        assert_eq!(
            env.vars.get("PRISMA_ENDPOINT").map(|e| e.value.as_str()),
            Some("http://x:4466")
        );
        let s = env.vars.get("PRISMA_MANAGEMENT_API_SECRET");
        assert_eq!(
            s.map(|e| (e.value.as_str(), e.location.line)),
            Some(("abc", 3))
        );
    }
}
