//! The pre-commit shape: `check FILE...` reads the files given and then
//! only files it can find from them, never a listing of the whole
//! repository (see README, "Pre-commit").
//!
//! To a fixed point, starting from the given files:
//! - the folders that matter: each given file's folder, each folder a
//!   command runs in and each command's own folder, the folders a command
//!   names, and every folder above those up to the root. Each is listed one
//!   level deep with the scan's ignore rules, and the files a command in any
//!   folder may depend on are read ([`is_repo_fact_file`], package files;
//!   [`may_instruct`] files only in and above a command's folder);
//! - the CI configs at their fixed places (`.github/workflows/`, `.github/`,
//!   `.circleci/`) under each of those folders (a nested repository has its
//!   own); the others (`.gitlab-ci.yml`, `Jenkinsfile`, ...) are files of
//!   the folder itself;
//! - the files commands name (`./deploy.sh`, `-p api/prisma.yml`,
//!   `--env-file`, compose `-f`), and their folders as above.
//!
//! A caller elsewhere (a sibling folder's Makefile, a manifest in `k8s/`)
//! is seen by the full scan only. Env files git tracks although ignored are
//! asked of git by path, only when a listed folder has one on disk.

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

/// Is `name` (a file name) a package.json or a lockfile?
pub fn is_package_file(name: &str) -> bool {
    PACKAGE_FILES.contains(&name)
}

/// Adds `dir` and every folder above it up to the root (`""`).
pub fn with_ancestors(dir: &str, out: &mut BTreeSet<String>) {
    let mut d = dir.trim_matches('/');
    while out.insert(d.to_string()) && !d.is_empty() {
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

/// The env files git tracks (the walk skips those `.gitignore` names
/// although they are in every checkout, and the CLI reads them), under the
/// root-relative `paths` (files or folders; none: the whole index). Empty
/// outside git.
pub fn tracked_env_files(root: &Path, paths: &[&str]) -> Vec<String> {
    // Literal pathspecs: a folder named `*` names itself only.
    let specs: Vec<String> = paths.iter().map(|p| format!(":(literal){p}")).collect();
    let mut extra: Vec<&str> = Vec::with_capacity(specs.len() + 1);
    if !specs.is_empty() {
        extra.push("--");
        extra.extend(specs.iter().map(String::as_str));
    }
    let Some(files) = git_ls_files_with(root, &extra) else {
        return Vec::new();
    };
    files
        .into_iter()
        .filter(|p| {
            FileKind::from_path(p) == FileKind::Env || crate::facts::env_file::is_template(p)
        })
        .collect()
}

/// The tracked files `git ls-files --cached EXTRA` lists, outside skipped
/// folders. Git runs none of the repository's programs (no fsmonitor, no
/// hooks, no system config).
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
    fn ancestors_reach_the_root() {
        let mut out = BTreeSet::new();
        with_ancestors("apps/api/", &mut out);
        let got: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(got, ["", "apps", "apps/api"]);
        assert!(is_package_file("yarn.lock") && !is_package_file("package.json5"));
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
