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
    let mut out: Vec<String> = Vec::new();
    each_template(path, &mut |t| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
        false
    });
    out
}

/// The first of [`template_candidates`] that `exists`, found without making
/// the whole list: the judgement asks this of every command's absent env
/// file, and nearly always none exists.
pub fn find_template(path: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let mut found = None;
    each_template(path, &mut |t| {
        let hit = exists(t);
        if hit {
            found = Some(t.to_string());
        }
        hit
    });
    found
}

/// Calls `f` with each template candidate of `path` in order (a folder
/// template may repeat an earlier one), built in one buffer, until `f` says
/// stop.
fn each_template(path: &str, f: &mut dyn FnMut(&str) -> bool) {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (&path[..d.len() + 1], n),
        None => ("", path),
    };
    let mut buf = String::with_capacity(path.len() + 24);
    let mut try_one = |parts: [&str; 3]| {
        buf.clear();
        buf.push_str(dir);
        for p in parts {
            buf.push_str(p);
        }
        f(&buf)
    };
    for s in [
        ".example",
        ".sample",
        ".template",
        ".dist",
        "_example",
        "-example",
        "_sample",
        "-sample",
    ] {
        if try_one([name, s, ""]) {
            return;
        }
    }
    if try_one(["example.", name.trim_start_matches('.'), ""])
        || try_one(["example", name, ""])
        || try_one([name, ".local.example", ""])
    {
        return;
    }
    if name.starts_with(".env") || name.ends_with(".env") {
        for t in [
            ".env.example",
            ".env.sample",
            "example.env",
            "sample.env",
            "env.example",
        ] {
            if try_one([t, "", ""]) {
                return;
            }
        }
    }
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
        // The full list, in order, as the judgement looks for them.
        assert_eq!(
            template_candidates(".env"),
            [
                ".env.example",
                ".env.sample",
                ".env.template",
                ".env.dist",
                ".env_example",
                ".env-example",
                ".env_sample",
                ".env-sample",
                "example.env",
                ".env.local.example",
                "sample.env",
                "env.example",
            ]
            .map(String::from)
        );
    }

    #[test]
    fn the_first_existing_template_is_the_first_of_the_list_that_exists() {
        for path in [
            ".env",
            "api/.env.prod",
            "variables.env",
            "a/b/prod.env",
            "x",
        ] {
            let all = template_candidates(path);
            assert_eq!(find_template(path, |_| false), None, "{path}");
            // Whichever candidates exist, the first of them in list order.
            for (i, t) in all.iter().enumerate() {
                let later: Vec<&String> = all[i..].iter().step_by(2).collect();
                let found = find_template(path, |c| later.iter().any(|l| *l == c));
                assert_eq!(found.as_ref(), Some(t), "{path}");
            }
        }
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
