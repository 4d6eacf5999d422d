//! The secret values a command site holds (secret-named variables of its
//! environment, `--key` arguments): what redaction needs of every site,
//! kept or dropped.

use super::site::{CommandSite, EnvVar, Vars};
use crate::mask::is_secret_name;

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
