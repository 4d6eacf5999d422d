//! The pre-commit shape: `check FILE...` reads the files given and only the
//! files whose facts findings in them can depend on, instead of walking the
//! whole repository.
//!
//! What a finding in a given file can depend on, found by name:
//! - the `package.json` and lockfiles of every folder a command runs in, and
//!   of its parents (`npm run x` runs the nearest package's script, whose
//!   commands may run elsewhere again: followed to a fixed point), and the
//!   scripts and makefiles a command names (`./deploy.sh`, `make -C api`);
//! - when any command is involved: every `prisma.yml`, `.graphqlconfig*`,
//!   env file and compose file of the repository, YAML files with `prisma`
//!   in their path (server configs), and every caller (CI config, Makefile,
//!   shell script, Dockerfile, Procfile): which prisma.yml or env file a
//!   command loads, which compose service names count as local, and which
//!   environment a caller passes to the script it runs depend on them;
//! - documents and code in a command's folder and the folders above it,
//!   which may tell whoever runs it to set the management secret
//!   ([`may_instruct`]).
//!
//! Those are listed from the git index (`git ls-files`, milliseconds) when
//! the root is in a git work tree, else by a walk that reads no file. Files
//! that only the walk would see (untracked) or only the index lists (tracked
//! but ignored) are the one way this can differ from a full scan.

use crate::kind::FileKind;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// Lockfiles read next to a package.json.
const PACKAGE_FILES: [&str; 5] = [
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// Root-relative `package.json` and lockfile paths of `dir` and its parents.
pub fn package_files_up(dir: &str, out: &mut BTreeSet<String>) {
    let mut d = dir.trim_matches('/');
    loop {
        for f in PACKAGE_FILES {
            out.insert(if d.is_empty() {
                f.to_string()
            } else {
                format!("{d}/{f}")
            });
        }
        if d.is_empty() {
            return;
        }
        d = crate::paths::parent(d);
    }
}

/// Is `rel` a file whose facts a command anywhere in the repository may
/// read, or a caller (CI config, Makefile, shell script, Dockerfile,
/// Procfile, compose file) whose environment reaches the scripts it runs?
pub fn is_repo_fact_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    // One pass over the name first: this runs on every path of the index.
    static HINTS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let hints = HINTS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                ".y",
                ".env",
                "graphqlconfig",
                "sh",
                "makefile",
                ".mk",
                ".mak",
                "dockerfile",
                "containerfile",
                "procfile",
                "jenkinsfile",
                ".workflow",
            ])
            .ok()
    });
    // Records of a service's endpoint (see `facts::hints`): hosting configs,
    // generated clients and downloaded schemas of a Prisma project.
    if matches!(name, "now.json" | "vercel.json" | "app.json") {
        return true;
    }
    let in_prisma = || {
        rel.as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"prisma"))
    };
    if (name.ends_with(".graphql") || name.starts_with("index.")) && in_prisma() {
        return true;
    }
    // A README's shell blocks build the images a Kubernetes Job runs
    // (`docker build -t NAME -f FILE`, see `commands::image`).
    if name.len() >= 6
        && name.as_bytes()[..6].eq_ignore_ascii_case(b"readme")
        && FileKind::from_path(rel) == FileKind::Markdown
    {
        return true;
    }
    if hints.as_ref().is_some_and(|h| !h.is_match(name)) {
        return false;
    }
    match FileKind::from_path(rel) {
        k if k.runs_commands()
            || matches!(
                k,
                FileKind::PrismaYml | FileKind::GraphqlConfig | FileKind::Env
            ) =>
        {
            true
        }
        _ if crate::facts::env_file::is_template(rel) => true,
        // Any YAML may be a Kubernetes manifest (told by its content) whose
        // Job runs a script of the repository with the Job's environment.
        k if k.is_yaml() => true,
        _ => false,
    }
}

/// Could `rel` tell whoever runs a command to set the management secret
/// (see [`crate::facts::instructions`])? Such a file matters to the
/// commands of its own folder and the folders below it only.
pub fn may_instruct(rel: &str) -> bool {
    matches!(
        FileKind::from_path(rel),
        FileKind::Markdown | FileKind::Text | FileKind::Script
    )
}

/// Every root-relative file path under `root`, unclassified (the caller
/// sorts them with [`is_repo_fact_file`] and, only for the folders it needs,
/// [`may_instruct`]): from the git index when there is one, else by a walk
/// with the scan's ignore rules.
pub fn repo_files(root: &Path, no_ignore: bool) -> Vec<String> {
    match git_ls_files_with(root, &[]) {
        Some(v) => v,
        None => walk_names(root, no_ignore),
    }
}

/// The env files git tracks (listing the index is cheap; asking git which
/// of them `.gitignore` names is not): the walk skips those `.gitignore`
/// names although they are in every checkout, and the CLI reads them. Empty
/// outside git.
pub fn tracked_env_files(root: &Path) -> Vec<String> {
    let Some(files) = git_ls_files_with(root, &[]) else {
        return Vec::new();
    };
    files
        .into_iter()
        .filter(|p| {
            FileKind::from_path(p) == FileKind::Env || crate::facts::env_file::is_template(p)
        })
        .collect()
}

/// The tracked files `git ls-files --cached EXTRA` lists, outside skipped folders.
fn git_ls_files_with(root: &Path, extra: &[&str]) -> Option<Vec<String>> {
    let out = Command::new("git")
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "ls-files",
            "-z",
            "--cached",
        ])
        .args(extra)
        .current_dir(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    // Nothing tracked here (not committed yet, or an ignored folder of an
    // outer repository): the index says nothing, so walk.
    if !out.status.success() || out.stdout.is_empty() {
        return None;
    }
    // A 91k-file index is megabytes of NUL-separated paths: split with
    // memchr, not a byte-by-byte predicate.
    let mut files: Vec<String> = Vec::new();
    let mut start = 0;
    let bytes = &out.stdout;
    for end in memchr::memchr_iter(0, bytes).chain(std::iter::once(bytes.len())) {
        let p = &bytes[start..end];
        start = end + 1;
        if let Ok(p) = std::str::from_utf8(p) {
            if !p.is_empty() && !skipped_dir(p) {
                files.push(p.to_string());
            }
        }
    }
    files.dedup();
    Some(files)
}

/// A walk that reads no file, for roots outside git.
fn walk_names(root: &Path, no_ignore: bool) -> Vec<String> {
    let mut wb = ignore::WalkBuilder::new(root);
    wb.hidden(false)
        .parents(!no_ignore)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name();
            !(e.file_type().is_some_and(|t| t.is_dir())
                && (name == ".git" || name == "node_modules"))
        });
    let mut out = Vec::new();
    for e in wb.build().flatten() {
        if e.file_type().is_some_and(|t| t.is_file()) {
            let rel = crate::paths::relative(root, e.path());
            out.push(rel);
        }
    }
    out.sort();
    out
}

/// Paths the walk never enters.
pub fn skipped_dir(rel: &str) -> bool {
    // Nearly every path names neither: one search each rules them out.
    let b = rel.as_bytes();
    if memchr::memmem::find(b, b".git").is_none()
        && memchr::memmem::find(b, b"node_modules").is_none()
    {
        return false;
    }
    rel.split('/')
        .rev()
        .skip(1)
        .any(|c| c == ".git" || c == "node_modules")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search that rules most paths out decides as the split does.
    #[test]
    fn skipped_dir_quick_answer_matches_the_split() {
        let slow = |rel: &str| {
            rel.split('/')
                .rev()
                .skip(1)
                .any(|c| c == ".git" || c == "node_modules")
        };
        let segs = [
            "a",
            ".git",
            "node_modules",
            "x.git",
            ".github",
            "node_modules.env",
            ".gitignore",
            "",
        ];
        for x in segs {
            for y in segs {
                for z in segs {
                    for rel in [x.to_string(), format!("{x}/{y}"), format!("{x}/{y}/{z}")] {
                        assert_eq!(skipped_dir(&rel), slow(&rel), "{rel:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn package_files_cover_every_parent() {
        let mut out = BTreeSet::new();
        package_files_up("apps/api", &mut out);
        assert!(out.contains("apps/api/package.json"));
        assert!(out.contains("apps/yarn.lock"));
        assert!(out.contains("package.json"));
        assert_eq!(out.len(), 15);
    }

    #[test]
    fn repo_fact_files_by_name() {
        for yes in [
            "api/prisma.yml",
            ".env",
            "api/.env.production",
            "deploy/prod.env",
            "docker-compose.yml",
            "ops/compose.prod.yaml",
            ".graphqlconfig.yml",
            "k8s/prisma-server.yaml",
            "prisma/k8s/deployment.yml",
            "k8s/migrate-job.yaml",
            "ops/cronjob.yml",
            "scripts/deploy.sh",
            ".github/workflows/ci.yml",
            "Makefile",
            "api/Dockerfile",
            "k8s/web.yaml",
            "src/generated/prisma-client/index.js",
            "now.json",
            "deploy/README.md",
        ] {
            assert!(is_repo_fact_file(yes), "{yes}");
        }
        for no in [
            "src/index.ts",
            "package.json",
            "src/shell.ts",
            "src/index.js",
            "docs/env.md",
            "src/prisma.ts",
        ] {
            assert!(!is_repo_fact_file(no), "{no}");
        }
        assert!(skipped_dir("web/node_modules/x/.env"));
        assert!(!skipped_dir("node_modules.env"));
    }
}
