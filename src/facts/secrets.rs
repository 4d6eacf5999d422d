//! The secret values the facts hold (env files, prisma.yml `secret:` and
//! `managementApiSecret`, the environments of commands, `--key` arguments):
//! with the values the span scanner found, the input of the value backstop
//! ([`crate::mask::Backstop`]), which masks them wherever else they appear
//! in repository text, when they are secret-shaped.

use super::commands::{CommandSite, EnvVar, Vars};
use super::RepoFacts;
use crate::mask::is_secret_name;

/// Every secret value of `facts`.
pub fn values(facts: &RepoFacts) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: &str| out.push(v.trim().to_string());
    for f in facts.files.values() {
        if let Some(env) = &f.env {
            for (k, e) in &env.vars {
                if is_secret_name(k) {
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
    out
}

/// The values of secret-named variables in the environments of `sites`, and
/// their `--key` arguments.
pub fn command_secrets(sites: &[CommandSite], add: &mut impl FnMut(&str)) {
    // Sites share their scopes' maps (persistent maps): a map seen a
    // moment ago is not read again, and a map grown from the last one read
    // (`export A=1; export B=2; ...`) is read as its difference from it,
    // which skips their shared nodes. Otherwise 6,000 commands after 6,000
    // exports would be 36 million reads.
    use imbl::ordmap::DiffItem;
    let mut recent: Vec<&Vars> = Vec::new();
    for site in sites {
        for scope in &site.env {
            if recent.iter().any(|m| m.ptr_eq(&scope.vars)) {
                continue;
            }
            // Every entry of the last map read was harvested: only what
            // differs from it is new.
            let mut take = |k: &String, v: &EnvVar| {
                if let (true, Some(value)) = (is_secret_name(k), &v.value) {
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
}
