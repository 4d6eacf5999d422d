//! Commands as they run, not only as they are written. A CI step, Dockerfile
//! `RUN`, Makefile recipe or shell script line such as `npm run deploy` or
//! `yarn setup:prisma` runs a package.json script: the script's commands then
//! run in the package's folder with the caller's environment around them.
//! So `PRISMA_MANAGEMENT_API_SECRET` set in a CI job reaches the
//! `prisma1 deploy` that the job starts through `npm run`.
//!
//! Every such copy remembers the script's own site (its *base*). A rule
//! reports a copy only when the base alone does not already give that
//! finding, so one problem in a script is one finding however many callers
//! reach it, and a caller is only named when it is what makes the difference.

use super::effective_cwd;
use crate::facts::commands::{CommandSite, SCRIPT_RUNNERS};
use crate::facts::{join, FileFacts, RepoFacts};
use std::borrow::Cow;

/// Calling chains longer than this are not followed.
const MAX_DEPTH: usize = 8;

/// Copies one file may produce at most: scripts calling each other must not multiply without end.
const MAX_COPIES: usize = 10_000;

/// One command as it runs.
#[derive(Debug)]
pub struct Effective<'a> {
    /// What runs, with the environment, folder and source it runs with.
    pub site: Cow<'a, CommandSite>,
    /// Where a finding goes: the site itself, or the outermost caller.
    pub report_at: &'a CommandSite,
    /// The written site this one copies, when it is a copy.
    pub base: Option<&'a CommandSite>,
}

/// The sites of one file as they run, in file order; each script a site
/// calls in another file follows right after it.
pub fn sites<'a>(facts: &'a FileFacts, repo: &'a RepoFacts) -> Vec<Effective<'a>> {
    let mut out = Vec::new();
    for site in &facts.commands {
        out.push(Effective {
            site: Cow::Borrowed(site),
            report_at: site,
            base: in_file_base(site, facts),
        });
        let mut chain = Vec::new();
        let before = out.len();
        expand(site, site, repo, true, &mut chain, &mut out);
        if out.len() - before > MAX_COPIES {
            out.truncate(before + MAX_COPIES);
        }
    }
    out
}

/// package.json scripts reached through a calling script in the same file
/// are recorded once more with the caller's environment (`(via "x")`); their
/// base is the script's own site at the same place.
fn in_file_base<'a>(site: &CommandSite, facts: &'a FileFacts) -> Option<&'a CommandSite> {
    if !site.source.contains(" (via ") {
        return None;
    }
    facts.commands.iter().find(|s| {
        s.location.start_byte == site.location.start_byte
            && s.location.end_byte == site.location.end_byte
            && !s.source.contains(" (via ")
    })
}

/// The package.json script `site` runs, if it runs one: the folder of the
/// package, its file facts and the script name.
fn called_script<'a>(
    site: &CommandSite,
    repo: &'a RepoFacts,
) -> Option<(&'a str, &'a FileFacts, String)> {
    let runner = site
        .wrappers
        .last()
        .is_some_and(|w| SCRIPT_RUNNERS.contains(&w.as_str()));
    let name = site.argv.first().filter(|_| runner)?;
    let (path, _) = repo.nearest_package(&effective_cwd(site, repo))?;
    let (path, facts) = repo.files.get_key_value(path)?;
    let source = script_source(name);
    facts
        .commands
        .iter()
        .any(|s| s.source == source)
        .then(|| (path.as_str(), facts, name.clone()))
}

fn script_source(name: &str) -> String {
    format!("package.json script \"{name}\"")
}

/// Adds the sites of the script `caller` runs (with its `pre`/`post` hooks),
/// then what those run in turn. At the top, scripts of the caller's own
/// package.json are left to the package.json extractor, which follows them.
fn expand<'a>(
    caller: &CommandSite,
    top: &'a CommandSite,
    repo: &'a RepoFacts,
    top_level: bool,
    chain: &mut Vec<(String, String)>,
    out: &mut Vec<Effective<'a>>,
) {
    let Some((pkg, facts, name)) = called_script(caller, repo) else {
        return;
    };
    if (top_level && pkg == caller.location.path)
        || chain.len() >= MAX_DEPTH
        || chain.iter().any(|(p, n)| p == pkg && *n == name)
    {
        return;
    }
    chain.push((pkg.to_string(), name.clone()));
    let caller_cwd = effective_cwd(caller, repo);
    // The caller's env files are relative to where the caller runs; anchor them at the root.
    let caller_files: Vec<String> = caller
        .env_files
        .iter()
        .map(|f| format!("/{}", join(&caller_cwd, f)))
        .collect();
    for hook in [format!("pre{name}"), name.clone(), format!("post{name}")] {
        let source = script_source(&hook);
        for base in facts.commands.iter().filter(|s| s.source == source) {
            let mut copy = base.clone();
            copy.source = format!("{} → {}", caller.source, base.source);
            copy.env.extend(caller.env.iter().cloned());
            copy.env_files = caller_files
                .iter()
                .chain(&base.env_files)
                .cloned()
                .collect();
            let next = copy.clone();
            out.push(Effective {
                site: Cow::Owned(copy),
                report_at: top,
                base: Some(base),
            });
            if out.len() > MAX_COPIES {
                break;
            }
            expand(&next, top, repo, false, chain, out);
        }
    }
    chain.pop();
}
