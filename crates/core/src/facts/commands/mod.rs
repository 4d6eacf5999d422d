//! Shell commands in context: every command line a repository runs, where it
//! runs, and with which environment.
//!
//! Extractors turn each file kind (package.json scripts, shell scripts,
//! Makefiles, Dockerfiles, compose files, Procfiles, CI configs) into
//! [`CommandSite`]s. A site is one *simple command* after shell splitting
//! (`a && b` gives two sites) with wrappers (`npx`, `dotenv -e F --`, `env
//! VAR=x`) already peeled off into [`CommandSite::wrappers`] and
//! [`CommandSite::env_files`]. Deciding what a command means (is `prisma` the
//! Prisma 1 CLI?) is the engine's job, not the extractor's.
//!
//! The rooms, lowest first: [`site`] (the data), `lex` and the word
//! helpers, [`keep`] (which sites are kept), `out` (where extractors put
//! sites), one extractor per file kind, this file (which extractor reads
//! which kind), and `link` (what needs the whole repository).

mod ci;
mod compose;
mod containers;
mod dockerfile;
mod docs;
mod github;
mod github_hcl;
mod gitlab;
mod harvest;
mod hosting;
pub mod image;
mod jenkins;
pub mod keep;
mod kubernetes;
mod lex;
pub mod link;
mod makefile;
mod out;
mod package_json;
mod peeled;
mod script;
mod shell;
pub mod site;
mod text;
mod wrappers;
mod yaml_util;

pub use compose::{service_envs, ServiceEnv};
pub(crate) use dockerfile::image_layout;
pub use harvest::command_secrets;
pub use hosting::hosting_env;
pub use keep::{
    may_name_function, read_anyway, repo_call, Keep, RepoCall, FACTS_KEYWORDS, MAX_KEPT_SITES,
    WRITERS,
};
pub use out::Extracted;
pub use peeled::SCRIPT_RUNNERS;
pub use site::{CommandSite, ContainerKind, OpaqueKind};

use crate::kind::FileKind;
use out::{dir_of, Ctx, Out};

/// The packages of a global install, flags in any position: `npm i -g X`,
/// `npm install X --global`, `npm -g install X`, `yarn global add X`,
/// `pnpm add -g X`, `bun add -g X`.
pub fn global_install(argv: &[String]) -> Option<Vec<&str>> {
    let (program, rest) = argv.split_first()?;
    let words: Vec<&str> = rest.iter().map(String::as_str).collect();
    let flag = |w: &&str| w.starts_with('-');
    let global = words
        .iter()
        .any(|w| matches!(*w, "-g" | "--global" | "--location=global"));
    let mut plain = words.iter().copied().filter(|w| !flag(w));
    let found: Vec<&str> = match program.as_str() {
        "npm" | "pnpm" | "bun" => {
            let verb = plain.next()?;
            let verbs: &[&str] = if program == "npm" {
                &["i", "install", "add", "isntall"]
            } else {
                &["add", "i", "install"]
            };
            if !verbs.contains(&verb) || !global {
                return None;
            }
            plain.collect()
        }
        "yarn" => {
            if plain.next()? != "global" || plain.next()? != "add" {
                return None;
            }
            plain.collect()
        }
        _ => return None,
    };
    Some(found)
}

/// `npm i -g prisma@1.34.10`, `yarn global add prisma@^1.30`, `pnpm add -g prisma@1`,
/// `npm install prisma@1.32 -g`.
pub fn global_prisma1_install(argv: &[String]) -> bool {
    global_install(argv).is_some_and(|p| p.iter().any(|w| prisma1_package(w)))
}

/// `prisma@1.x` (`^1`, `~1.30`, `=1.34.10`) or `prisma1[@...]`.
pub fn prisma1_package(word: &str) -> bool {
    word.strip_prefix("prisma@")
        .is_some_and(|v| v.trim_start_matches(['^', '~', '=', 'v']).starts_with('1'))
        || word == "prisma1"
        || word.starts_with("prisma1@")
}

/// Every simple command `text` (the whole file at `path`) runs, in file order.
/// Malformed files give no commands rather than an error: other facts report those.
pub fn extract(path: &str, kind: FileKind, text: &str) -> Vec<CommandSite> {
    extract_kept(path, kind, text, Keep::All).sites
}

/// [`extract`], keeping only what `keep` says can matter later: a site that
/// cannot is dropped as soon as it is read, so a file's memory is bounded
/// by its kept commands, not by how many it has.
pub fn extract_kept(path: &str, kind: FileKind, text: &str, keep: Keep) -> Extracted {
    let mut out = Out::new(path, text, keep);
    let dir = dir_of(path);
    match kind {
        FileKind::Shell => {
            let mut ctx = Ctx::new(format!("shell script {path}"), &dir);
            ctx.script_dir = Some(dir.clone());
            shell::run(&mut out, &text::Snippet::verbatim(text, 0), &ctx);
        }
        FileKind::PackageJson => package_json::extract(&mut out),
        FileKind::GithubActions => github::extract(&mut out),
        FileKind::Makefile => makefile::extract(&mut out),
        FileKind::Procfile => script::procfile(&mut out),
        FileKind::HerokuApp => script::heroku_app(&mut out),
        FileKind::Dockerfile => dockerfile::extract(&mut out),
        FileKind::Compose => compose::extract(&mut out),
        FileKind::Kubernetes => kubernetes::extract(&mut out),
        FileKind::Markdown => docs::extract(&mut out),
        FileKind::Jenkinsfile => jenkins::extract(&mut out),
        FileKind::Netlify => hosting::netlify(&mut out),
        FileKind::Vercel => hosting::vercel(&mut out),
        FileKind::GitlabCi => gitlab::extract(&mut out),
        FileKind::Circleci => ci::circleci(&mut out),
        FileKind::Travis => ci::travis(&mut out),
        FileKind::Bitbucket => ci::bitbucket(&mut out),
        FileKind::AzurePipelines => ci::azure(&mut out),
        _ => {}
    }
    let mut done = out.finish();
    // Stable: copies of one command (package.json chains) keep their emission order.
    done.sites
        .sort_by_key(|s| (s.location.start_byte, s.location.end_byte));
    done
}

/// The commands of YAML strings (one scalar or a list), each run in a shell
/// of its own, for files where commands are one key among other facts
/// (prisma.yml `hooks.post-deploy`, `seed.run`).
pub(crate) fn from_yaml_strings(
    path: &str,
    text: &str,
    node: &crate::yaml::Node,
    source: &str,
    cwd: &str,
) -> Vec<CommandSite> {
    let mut out = Out::new(path, text, Keep::All);
    for (_, item) in node.strings() {
        if let Some(snip) = text::Snippet::from_yaml(item, text) {
            shell::run(&mut out, &snip, &Ctx::new(source.to_string(), cwd));
        }
    }
    out.finish().sites
}

#[cfg(test)]
mod robust_tests;
#[cfg(test)]
mod shell_tests;

/// A one-line picture of a site for tests: position, cwd, argv, wrappers, env files, scopes.
#[cfg(test)]
pub(crate) fn show(s: &CommandSite) -> String {
    let scopes: Vec<String> = s
        .env
        .iter()
        .map(|e| {
            let vars: Vec<String> = e
                .vars
                .iter()
                .map(|(k, v)| format!("{k}={}", v.value.as_deref().unwrap_or("?")))
                .collect();
            format!("{:?}({}):{}", e.kind, e.label, vars.join(","))
        })
        .collect();
    let mut parts = vec![format!(
        "{}:{}-{}:{}",
        s.location.line, s.location.column, s.location.end_line, s.location.end_column
    )];
    let w = &s.word_location;
    if (w.line, w.column, w.end_line, w.end_column)
        != (
            s.location.line,
            s.location.column,
            s.location.end_line,
            s.location.end_column,
        )
    {
        parts.push(format!(
            "@{}:{}-{}:{}",
            w.line, w.column, w.end_line, w.end_column
        ));
    }
    if !s.cwd.is_empty() {
        parts.push(format!("cwd={}", s.cwd));
    }
    if let Some(w) = &s.workspace {
        parts.push(format!("ws={w}"));
    }

    parts.push(format!("[{}]", s.argv.join(" ")));
    if !s.wrappers.is_empty() {
        parts.push(format!("w={}", s.wrappers.join(",")));
    }
    if !s.env_files.is_empty() {
        parts.push(format!("f={}", s.env_files.join(",")));
    }
    if let Some(c) = &s.container {
        parts.push(format!("in={:?}:{}", c.kind, c.name));
    }
    for o in &s.opaque_env {
        parts.push(format!("o={:?}:{}", o.kind, o.name));
    }
    if s.origin == crate::finding::Origin::Docs {
        parts.push("docs".into());
    }
    if let Some(f) = &s.in_function {
        parts.push(format!("fn={f}"));
    }
    if s.anchored {
        parts.push("anchored".into());
    }
    if !scopes.is_empty() {
        parts.push(scopes.join(" "));
    }
    parts.join(" ")
}

/// [`show`] for every site of a file.
#[cfg(test)]
pub(crate) fn show_all(path: &str, kind: FileKind, text: &str) -> Vec<String> {
    extract(path, kind, text).iter().map(show).collect()
}

/// [`show_all`] with each site's source in front: `source | picture`.
#[cfg(test)]
pub(crate) fn show_sourced(path: &str, kind: FileKind, text: &str) -> Vec<String> {
    extract(path, kind, text)
        .iter()
        .map(|s| format!("{} | {}", s.source, show(s)))
        .collect()
}
