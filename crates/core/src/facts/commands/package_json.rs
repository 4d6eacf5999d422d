//! package.json `scripts`, and the environment that flows between them.
//!
//! `"deploy": "prisma deploy"` alone looks unauthenticated, but
//! `"deploy:prod": "dotenv -e .env.prod -- npm run deploy"` runs it with the
//! production secret. So every script's commands are recorded once as
//! themselves, and once more for every caller that adds environment (inline
//! variables, exports, env files), through `pre`/`post` hooks and
//! `npm-run-all` too, with the caller's scopes appended.

use super::out::{dir_of, Ctx, Out};
use super::peeled::SCRIPT_RUNNERS;
use super::shell;
use super::site::{CommandSite, EnvScope};
use super::text::{json_string, Snippet};
use jsonc_parser::ast::Value;
use std::collections::BTreeMap;

/// Calling chains longer than this are not followed.
const MAX_CHAIN: usize = 8;

/// Copies made through chains, at most: scripts that all call each other
/// must not multiply without end.
const MAX_COPIES: usize = 10_000;

pub(crate) fn extract(out: &mut Out) {
    let Ok(parsed) = jsonc_parser::parse_to_ast(out.file, &Default::default(), &Default::default())
    else {
        return;
    };
    let Some(Value::Object(root)) = parsed.value.as_ref() else {
        return;
    };
    let Some(Value::Object(scripts)) = root.get("scripts").map(|p| &p.value) else {
        return;
    };
    let dir = dir_of(out.path);
    let mut scripts_by_name: BTreeMap<String, Vec<CommandSite>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for prop in &scripts.properties {
        let Value::StringLit(lit) = &prop.value else {
            continue;
        };
        let name = prop.name.as_str().to_string();
        let raw = out
            .file
            .get(lit.range.start..lit.range.end)
            .unwrap_or_default();
        let snip = json_string(raw, lit.range.start)
            .unwrap_or_else(|| Snippet::whole(&lit.value, lit.range.start, lit.range.end));
        let mut one = out.scratch();
        shell::run(
            &mut one,
            &snip,
            &Ctx::new(format!("package.json script \"{name}\""), &dir),
        );
        if scripts_by_name.insert(name.clone(), one.sites).is_none() {
            order.push(name);
        }
    }
    let chains = Chains {
        scripts: &scripts_by_name,
        order: &order,
    };
    // Every site and copy first (the copies' cap counts them all), then
    // what the file keeps.
    let mut all: Vec<CommandSite> = Vec::new();
    for name in &order {
        all.extend(scripts_by_name.get(name).into_iter().flatten().cloned());
    }
    for name in &order {
        for site in scripts_by_name.get(name).into_iter().flatten() {
            if site.env.is_empty() && site.env_files.is_empty() {
                continue;
            }
            for callee in chains.calls(site) {
                let via = Via {
                    env: site.env.clone(),
                    env_files: site.env_files.clone(),
                    chain: vec![name.clone()],
                };
                chains.follow(&callee, &via, &mut all);
            }
        }
    }
    for site in all {
        out.push(site);
    }
}

struct Chains<'a> {
    scripts: &'a BTreeMap<String, Vec<CommandSite>>,
    order: &'a [String],
}

/// What a calling chain adds to the scripts it reaches.
struct Via {
    env: Vec<EnvScope>,
    env_files: Vec<String>,
    chain: Vec<String>,
}

impl Chains<'_> {
    /// Emits `name` (with its hooks) as reached through `via`, then what it calls in turn.
    fn follow(&self, name: &str, via: &Via, sites: &mut Vec<CommandSite>) {
        if via.chain.len() > MAX_CHAIN
            || via.chain.iter().any(|c| c == name)
            || sites.len() > MAX_COPIES
        {
            return;
        }
        let label: Vec<String> = via.chain.iter().map(|c| format!("\"{c}\"")).collect();
        for hook in [
            format!("pre{name}"),
            name.to_string(),
            format!("post{name}"),
        ] {
            for site in self.scripts.get(&hook).into_iter().flatten() {
                let mut copy = site.clone();
                copy.source = format!(
                    "package.json script \"{hook}\" (via {})",
                    label.join(" -> ")
                );
                copy.env.extend(via.env.iter().cloned());
                copy.env_files = via
                    .env_files
                    .iter()
                    .chain(&site.env_files)
                    .cloned()
                    .collect();
                for callee in self.calls(site) {
                    let mut chain = via.chain.clone();
                    chain.push(hook.clone());
                    let next = Via {
                        env: copy.env.clone(),
                        env_files: copy.env_files.clone(),
                        chain,
                    };
                    self.follow(&callee, &next, sites);
                }
                sites.push(copy);
            }
        }
    }

    /// The scripts of this file that `site` runs.
    fn calls(&self, site: &CommandSite) -> Vec<String> {
        let Some(program) = site.argv.first() else {
            return Vec::new();
        };
        let runner = site
            .wrappers
            .last()
            .is_some_and(|w| SCRIPT_RUNNERS.contains(&w.as_str()));
        if runner && self.scripts.contains_key(program) {
            return vec![program.clone()];
        }
        if !matches!(
            program.as_str(),
            "npm-run-all" | "npm-run-all2" | "run-s" | "run-p"
        ) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut args = site.argv.iter().skip(1);
        while let Some(arg) = args.next() {
            if matches!(arg.as_str(), "--npm-path" | "--max-parallel") {
                args.next();
            } else if !arg.starts_with('-') {
                out.extend(self.order.iter().filter(|n| glob(arg, n)).cloned());
            }
        }
        out
    }
}

/// npm-run-all patterns: `*` stays within a `:` segment, `**` crosses them.
fn glob(pattern: &str, name: &str) -> bool {
    // Backtracking is exponential in the stars; real patterns have one or two.
    if pattern.bytes().filter(|&b| b == b'*').count() > 4 {
        return false;
    }
    glob_at(pattern, name)
}

fn glob_at(pattern: &str, name: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("**") {
        return (0..=name.len()).any(|k| name.is_char_boundary(k) && glob_at(rest, &name[k..]));
    }
    if let Some(rest) = pattern.strip_prefix('*') {
        let seg = name.find(':').unwrap_or(name.len());
        return (0..=seg).any(|k| name.is_char_boundary(k) && glob_at(rest, &name[k..]));
    }
    match (pattern.chars().next(), name.chars().next()) {
        (None, None) => true,
        (Some(p), Some(n)) if p == n => glob_at(&pattern[p.len_utf8()..], &name[n.len_utf8()..]),
        _ => false,
    }
}

#[cfg(test)]
#[path = "package_json_tests.rs"]
mod tests;
