//! Drives the walk and the rules: a parallel walk with per-thread buffers and
//! results, one merge, one sort. Bad files are counted and reported; the scan
//! goes on.

use crate::engine::{self, commands::RepoContext, Engine};
use crate::facts::{self, FileFacts, RepoFacts};
use crate::finding::Finding;
use crate::kind::FileKind;
use crate::rules::Matcher;
use globset::GlobSet;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What to scan and how.
pub struct ScanOptions {
    /// Relative paths in output are relative to this folder.
    pub root: PathBuf,
    /// Report only findings under these root-relative paths ("" = everything).
    pub only: Vec<String>,
    pub no_ignore: bool,
    pub max_file_size: u64,
    pub threads: usize,
    pub exclude: Option<GlobSet>,
    /// Root-relative files never scanned: the tool's own baseline and report files.
    pub skip: Vec<String>,
}

/// A file that could not be scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub files_scanned: usize,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    /// prisma1-lint's own reports (JSON, SARIF, human, concise, Markdown
    /// output saved into the tree): they quote findings, so they are skipped.
    pub skipped_reports: usize,
    pub bytes_scanned: u64,
    /// Files whose scan hit a bug (a caught panic): the run exits with 2.
    pub internal_errors: usize,
}

/// The result of a scan, sorted.
#[derive(Debug, Default)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    pub facts: RepoFacts,
    pub problems: Vec<Problem>,
    pub stats: Stats,
    /// Kind of every scanned file, for suppression comment syntax.
    pub kinds: std::collections::BTreeMap<String, FileKind>,
    pub suppressions: Vec<crate::suppress::InlineSuppression>,
    /// Secret values the facts hold, cut out of every output.
    pub secrets: crate::redact::Secrets,
}

#[derive(Default)]
struct ThreadResult {
    findings: Vec<Finding>,
    facts: Vec<(String, FileFacts)>,
    problems: Vec<Problem>,
    stats: Stats,
    kinds: Vec<(String, FileKind)>,
    suppressions: Vec<crate::suppress::InlineSuppression>,
}

struct Shared<'a, 'r> {
    engine: &'a Engine<'r>,
    opts: &'a ScanOptions,
    results: Mutex<Vec<ThreadResult>>,
}

struct Visitor<'s, 'a, 'r> {
    shared: &'s Shared<'a, 'r>,
    buf: Vec<u8>,
    candidates: Vec<bool>,
    result: ThreadResult,
}

impl Drop for Visitor<'_, '_, '_> {
    fn drop(&mut self) {
        let r = std::mem::take(&mut self.result);
        if let Ok(mut all) = self.shared.results.lock() {
            all.push(r);
        }
    }
}

struct Builder<'s, 'a, 'r>(&'s Shared<'a, 'r>);

impl<'s> ParallelVisitorBuilder<'s> for Builder<'s, '_, '_> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            shared: self.0,
            buf: Vec::with_capacity(64 * 1024),
            candidates: Vec::new(),
            result: ThreadResult::default(),
        })
    }
}

impl ParallelVisitor for Visitor<'_, '_, '_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(e) => {
                if e.file_type().is_some_and(|t| t.is_file()) {
                    self.isolated(e.path());
                }
            }
            Err(err) => {
                let (path, message) = walk_error(&self.shared.opts.root, &err);
                self.result.problems.push(Problem { path, message });
            }
        }
        WalkState::Continue
    }
}

impl Visitor<'_, '_, '_> {
    fn rel(&self, path: &Path) -> String {
        relative(&self.shared.opts.root, path)
    }

    /// Scans one file; a bug (panic) in it becomes an internal error of that
    /// file, its partial results are dropped, and the walk goes on.
    fn isolated(&mut self, path: &Path) {
        let r = &self.result;
        let lens = (
            r.findings.len(),
            r.facts.len(),
            r.problems.len(),
            r.kinds.len(),
            r.suppressions.len(),
        );
        let outcome = crate::panics::quietly(|| self.file(path));
        if let Err(at) = outcome {
            let r = &mut self.result;
            r.findings.truncate(lens.0);
            r.facts.truncate(lens.1);
            r.problems.truncate(lens.2);
            r.kinds.truncate(lens.3);
            r.suppressions.truncate(lens.4);
            r.stats.internal_errors += 1;
            let path = self.rel(path);
            self.result.problems.push(Problem {
                path,
                message: format!(
                    "internal error while scanning this file (panic at {at}); the scan went on without it. Please report this bug"
                ),
            });
        }
    }

    fn file(&mut self, path: &Path) {
        let opts = self.shared.opts;
        let rel = self.rel(path);
        if opts.exclude.as_ref().is_some_and(|g| g.is_match(&rel))
            || opts.skip.contains(&rel)
            || is_report(&rel)
        {
            return;
        }
        let reported = opts.only.is_empty()
            || opts
                .only
                .iter()
                .any(|o| o.is_empty() || rel == *o || rel.starts_with(&format!("{o}/")));
        let kind = FileKind::from_path(&rel);
        if !reported && !is_fact_kind(kind) {
            return;
        }
        if let Err(e) = self.read(path, opts.max_file_size) {
            match e {
                ReadError::TooLarge => self.result.stats.skipped_large += 1,
                ReadError::Io(msg) => self.result.problems.push(Problem {
                    path: rel,
                    message: msg,
                }),
            }
            return;
        }
        let source = crate::decode::normalise(&mut self.buf);
        // The buffer is final until this file is done: one line index for it.
        let _lines = crate::finding::LineIndexScope::new();
        let head = &self.buf[..self.buf.len().min(8192)];
        if memchr::memchr(0, head).is_some() {
            self.result.stats.skipped_binary += 1;
            return;
        }
        if crate::report::sniff::is_own_report(head) {
            self.result.stats.skipped_reports += 1;
            return;
        }
        if let Some(message) = source.note() {
            self.result.problems.push(Problem {
                path: rel.clone(),
                message,
            });
        }
        let kind = kind.refine_with_content(head);
        crate::panics::trip_point(&rel);
        self.result.stats.files_scanned += 1;
        self.result.stats.bytes_scanned += self.buf.len() as u64;
        let engine = self.shared.engine;
        let hints = engine.candidates(&self.buf, &mut self.candidates);
        if reported {
            let notes = engine.match_file(
                &rel,
                kind,
                &self.buf,
                &self.candidates,
                &mut self.result.findings,
            );
            self.result
                .problems
                .extend(notes.into_iter().map(|message| Problem {
                    path: rel.clone(),
                    message,
                }));
            self.result.kinds.push((rel.clone(), kind));
            if hints.suppressions {
                self.result
                    .suppressions
                    .extend(crate::suppress::parse(&rel, kind, &self.buf));
            }
        }
        // Callers (Makefiles, shell scripts, CI files) matter even when they never
        // say "prisma": `make deploy` may run the script that does. Env-file
        // templates are evidence of what an uncommitted env file holds.
        if hints.mentions_prisma
            || matches!(
                kind,
                FileKind::Env
                    | FileKind::PrismaYml
                    | FileKind::Makefile
                    | FileKind::Shell
                    | FileKind::GithubActions
                    | FileKind::GitlabCi
                    | FileKind::Circleci
                    | FileKind::Travis
                    | FileKind::Bitbucket
                    | FileKind::AzurePipelines
                    | FileKind::Jenkinsfile
                    | FileKind::Dockerfile
                    | FileKind::Compose
                    | FileKind::Procfile
                    | FileKind::Kubernetes
            )
            || facts::env_file::is_template(&rel)
        {
            let text = String::from_utf8_lossy(&self.buf);
            let _ = facts::yaml::take_overflow();
            let (facts, mut problem) = facts::extract(&rel, kind, &text);
            // Extractors that skip unreadable YAML still leave a budget overflow.
            if let Some(over) = facts::yaml::take_overflow() {
                problem.get_or_insert(over);
            }
            if let Some(message) = problem {
                self.result.problems.push(Problem {
                    path: rel.clone(),
                    message,
                });
            }
            if reported {
                if let Some(pkg) = &facts.package_json {
                    for ar in &engine.rules {
                        for m in &ar.rule.matchers {
                            if let Matcher::Dependency(dm) = m {
                                if ar.rule.files.applies(&rel, kind) {
                                    engine::dependency::apply(
                                        ar,
                                        dm,
                                        pkg,
                                        &self.buf,
                                        &mut self.result.findings,
                                    );
                                }
                            }
                        }
                    }
                }
            }
            if !facts.is_empty() {
                self.result.facts.push((rel, facts));
            }
        }
    }

    fn read(&mut self, path: &Path, max: u64) -> Result<(), ReadError> {
        let io = |e: std::io::Error| ReadError::Io(format!("cannot read: {e}"));
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len > max {
            return Err(ReadError::TooLarge);
        }
        self.buf.clear();
        // `take` guards against files that grow while we read them.
        file.take(max.saturating_add(1))
            .read_to_end(&mut self.buf)
            .map_err(io)?;
        if self.buf.len() as u64 > max {
            return Err(ReadError::TooLarge);
        }
        Ok(())
    }
}

enum ReadError {
    TooLarge,
    Io(String),
}

/// SARIF logs (ours or another tool's) quote the findings they report;
/// scanning them would report every finding twice.
fn is_report(rel: &str) -> bool {
    rel.ends_with(".sarif") || rel.ends_with(".sarif.json")
}

/// Kinds whose facts matter to findings in other files.
fn is_fact_kind(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::PackageJson
            | FileKind::PrismaYml
            | FileKind::Env
            | FileKind::Lockfile
            | FileKind::Compose
            | FileKind::GraphqlConfig
    )
}

/// A walk error with its root-relative path, and a message that does not
/// repeat the (absolute) path.
fn walk_error(root: &Path, err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => (relative(root, path), err.to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(root, err)
        }
        ignore::Error::Loop { child, .. } => (
            relative(root, child),
            "symbolic link loop; not followed".to_string(),
        ),
        ignore::Error::Io(e) => (String::new(), e.to_string()),
        other => (String::new(), other.to_string()),
    }
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    // `\` is a separator on Windows only; elsewhere it is part of a name.
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    s.trim_start_matches("./").to_string()
}

/// Scans the tree under `opts.root` with `engine`.
pub fn scan(engine: &Engine<'_>, opts: &ScanOptions) -> ScanOutput {
    let shared = Shared {
        engine,
        opts,
        results: Mutex::new(Vec::new()),
    };
    let mut wb = WalkBuilder::new(&opts.root);
    wb.hidden(false)
        .parents(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .require_git(false)
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(|e| {
            let name = e.file_name();
            !(e.file_type().is_some_and(|t| t.is_dir())
                && (name == ".git" || name == "node_modules"))
        });
    wb.build_parallel().visit(&mut Builder(&shared));
    let results = shared.results.into_inner().unwrap_or_default();
    let mut out = ScanOutput::default();
    for r in results {
        out.findings.extend(r.findings);
        out.problems.extend(r.problems);
        out.facts.files.extend(r.facts);
        out.kinds.extend(r.kinds);
        out.suppressions.extend(r.suppressions);
        out.stats.files_scanned += r.stats.files_scanned;
        out.stats.skipped_binary += r.stats.skipped_binary;
        out.stats.skipped_large += r.stats.skipped_large;
        out.stats.skipped_reports += r.stats.skipped_reports;
        out.stats.bytes_scanned += r.stats.bytes_scanned;
        out.stats.internal_errors += r.stats.internal_errors;
    }
    apply_repo_rules(engine, opts, &mut out);
    out.findings.sort();
    out.findings.dedup();
    out.problems.sort();
    out.suppressions.sort_by(|a, b| a.location.cmp(&b.location));
    out
}

/// Structured matchers that need the whole repository: commands and server configs.
fn apply_repo_rules(engine: &Engine<'_>, opts: &ScanOptions, out: &mut ScanOutput) {
    crate::facts::commands::link(&mut out.facts);
    let mut ctx = RepoContext::new(&out.facts);
    ctx.docs_severity = engine.docs_severity;
    let mut found = Vec::new();
    for ar in &engine.rules {
        for m in &ar.rule.matchers {
            match m {
                Matcher::Command(cm) => {
                    engine::commands::apply(ar, cm, &out.facts, &ctx, &mut found)
                }
                Matcher::ServerConfig(sm) => engine::server::apply(ar, sm, &out.facts, &mut found),
                _ => {}
            }
        }
    }
    engine::overlap::resolve(&engine.rules, &out.facts, &mut found, &mut out.findings);
    found.retain(|f| {
        opts.only.is_empty()
            || opts.only.iter().any(|o| {
                o.is_empty()
                    || f.location.path == *o
                    || f.location.path.starts_with(&format!("{o}/"))
            })
    });
    out.findings.extend(found);
}
