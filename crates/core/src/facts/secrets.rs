//! The secret values the facts hold (env files, prisma.yml `secret:` and
//! `managementApiSecret`, the environments of commands, `--key` arguments):
//! with the values the span scanner found, the input of the value backstop
//! ([`crate::mask::Backstop`]), which masks them wherever else they appear
//! in repository text, when they are secret-shaped.

use super::commands::command_secrets;
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
