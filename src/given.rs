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
use std::collections::{BTreeSet, HashMap};
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

/// Which root-relative paths are reached through no symbolic link (as the
/// walk, which follows none, sees files): each folder is asked once.
pub struct Inside<'a> {
    root: &'a Path,
    dirs: HashMap<String, bool>,
}

impl<'a> Inside<'a> {
    pub fn new(root: &'a Path) -> Self {
        Inside {
            root,
            dirs: HashMap::new(),
        }
    }

    /// A plain path: no empty, `.` or `..` segment, not absolute.
    fn plain(rel: &str) -> bool {
        rel.split('/').all(|s| !matches!(s, "" | "." | ".."))
    }

    /// Is `rel` ("" the root) a folder whose every segment is a folder, not a link?
    pub fn dir(&mut self, rel: &str) -> bool {
        if rel.is_empty() {
            return true;
        }
        if let Some(&known) = self.dirs.get(rel) {
            return known;
        }
        let ok = Self::plain(rel)
            && self.dir(crate::paths::parent(rel))
            && std::fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| m.is_dir());
        self.dirs.insert(rel.to_string(), ok);
        ok
    }

    /// What `rel` is, with one look at the file system: a regular file or
    /// a folder in such folders, or neither (absent, a link, anything else).
    /// A command's words are probed this way, and most name nothing.
    pub fn entry(&mut self, rel: &str) -> Entry {
        if rel.is_empty() || self.dirs.get(rel) == Some(&true) {
            return Entry::Dir;
        }
        if !Self::plain(rel) {
            return Entry::Neither;
        }
        let what = match std::fs::symlink_metadata(self.root.join(rel)) {
            Ok(m) if m.is_file() => Entry::File,
            Ok(m) if m.is_dir() => Entry::Dir,
            _ => return Entry::Neither,
        };
        let inside = self.dir(crate::paths::parent(rel));
        if what == Entry::Dir {
            self.dirs.insert(rel.to_string(), inside);
        }
        if inside {
            what
        } else {
            Entry::Neither
        }
    }

    /// Is `rel` a regular file in such a folder?
    pub fn file(&mut self, rel: &str) -> bool {
        !rel.is_empty()
            && Self::plain(rel)
            && std::fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| m.is_file())
            && self.dir(crate::paths::parent(rel))
    }
}

/// What [`Inside::entry`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    File,
    Dir,
    Neither,
}

/// The folder whose CI config folder (`.github/`, `.github/workflows/`,
/// `.circleci/`) root-relative `rel` is, if it is one.
fn ci_folder_of(rel: &str) -> Option<&str> {
    let (up, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    match name {
        ".github" | ".circleci" => Some(up),
        "workflows" => {
            let (top, gh) = up.rsplit_once('/').unwrap_or(("", up));
            (gh == ".github").then_some(top)
        }
        _ => None,
    }
}

/// The files directly in the root-relative folders `new` (checked with
/// [`Inside::dir`]), and in the CI config folders under them (`.github/`,
/// `.github/workflows/`, `.circleci/`), as the walk would see them; and the
/// env files on disk there that the ignore rules hide (git may still track
/// them). One walk from the root enters only the folders of `all` (which
/// holds `new` and every folder above each), so each ignore file on the way
/// is read once; no other folder is opened. `walker` is the scan's walk
/// from the root, with its ignore rules.
pub fn list_folders(
    root: &Path,
    no_ignore: bool,
    mut walker: ignore::WalkBuilder,
    all: &BTreeSet<String>,
    new: &BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    if new.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let listed = |rel: &str, new: &BTreeSet<String>| {
        new.contains(rel) || ci_folder_of(rel).is_some_and(|of| new.contains(of))
    };
    let enter = std::sync::Arc::new((all.clone(), new.clone(), root.to_path_buf()));
    let filter = enter.clone();
    // The parallel walk opens a folder only once the filter let it through.
    walker.filter_entry(move |e| {
        if !e.file_type().is_some_and(|t| t.is_dir()) || e.depth() == 0 {
            return true;
        }
        let (all, new, root) = &*filter;
        let rel = crate::paths::relative(root, e.path());
        all.contains(&rel) || listed(&rel, new)
    });
    let found: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    walker.build_parallel().run(|| {
        let found = &found;
        let enter = &enter;
        Box::new(move |e| {
            // Not following links: a link is not a file here.
            if let Ok(e) = e {
                if e.file_type().is_some_and(|t| t.is_file()) {
                    let rel = crate::paths::relative(&enter.2, e.path());
                    if listed(crate::paths::parent(&rel), &enter.1) {
                        if let Ok(mut f) = found.lock() {
                            f.push(rel);
                        }
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    files.dedup();
    let mut hidden = Vec::new();
    if no_ignore {
        return (files, hidden);
    }
    for d in new {
        let Ok(entries) = std::fs::read_dir(root.join(d)) else {
            continue;
        };
        for e in entries.flatten() {
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                continue;
            };
            let rel = crate::paths::join(d, &name);
            if (FileKind::from_path(&rel) == FileKind::Env
                || crate::facts::env_file::is_template(&rel))
                && e.file_type().is_ok_and(|t| t.is_file())
                && files.binary_search(&rel).is_err()
            {
                hidden.push(rel);
            }
        }
    }
    (files, hidden)
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

    /// Only plain paths through real folders count as inside: no `..`, no
    /// link on the way, whatever the link points at.
    #[cfg(unix)]
    #[test]
    #[allow(clippy::unwrap_used)]
    fn inside_follows_no_link() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("package.json"), "{}").unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("api/src")).unwrap();
        std::fs::write(root.join("api/src/a.ts"), "").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(root.join("api/src/a.ts"), root.join("api/b.ts")).unwrap();
        let mut inside = Inside::new(root);
        assert!(inside.dir("") && inside.dir("api/src"));
        assert!(inside.file("api/src/a.ts"));
        for no in [
            "linked/package.json",
            "api/b.ts",
            "api/../api/src/a.ts",
            "/api/src/a.ts",
            "api//src/a.ts",
            "api/src",
        ] {
            assert!(!inside.file(no), "{no}");
        }
        assert!(!inside.dir("linked") && !inside.dir("api/src/a.ts") && !inside.dir("./api"));
        // One look answers what the two questions answer, for every path,
        // whatever was asked before (folders are remembered).
        for rel in [
            "",
            "api",
            "api/src",
            "api/src/a.ts",
            "api/b.ts",
            "linked",
            "linked/package.json",
            "./api",
            "api/../api",
            "absent",
            "api/absent",
            "api/src/a.ts/x",
        ] {
            let mut asked = Inside::new(inside.root);
            let want = if asked.file(rel) {
                Entry::File
            } else if asked.dir(rel) {
                Entry::Dir
            } else {
                Entry::Neither
            };
            assert_eq!(Inside::new(inside.root).entry(rel), want, "{rel}");
            assert_eq!(asked.entry(rel), want, "{rel} (after file and dir)");
            let mut dir_first = Inside::new(inside.root);
            dir_first.dir(rel);
            assert_eq!(dir_first.entry(rel), want, "{rel} (after dir)");
        }
    }

    #[test]
    fn ci_folders_belong_to_the_folder_above() {
        assert_eq!(ci_folder_of(".github"), Some(""));
        assert_eq!(ci_folder_of("web/.github/workflows"), Some("web"));
        assert_eq!(ci_folder_of("web/.circleci"), Some("web"));
        assert_eq!(ci_folder_of("web/workflows"), None);
        assert_eq!(ci_folder_of("web/src"), None);
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
