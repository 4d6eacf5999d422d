//! Drives the walk and the rules: a parallel walk with per-thread buffers and
//! results, one merge, one sort. Bad files are counted and reported; the scan
//! goes on.

use crate::engine::{self, commands::RepoContext, Engine};
use crate::facts::{self, FileFacts, RepoFacts};
use crate::finding::Finding;
use crate::kind::FileKind;
use crate::paths::{is_under, relative};
use crate::rules::Matcher;
use globset::GlobSet;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use std::collections::BTreeSet;
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

impl Stats {
    /// Adds another scan's counts (several roots in one report).
    pub fn add(&mut self, o: &Stats) {
        self.files_scanned += o.files_scanned;
        self.skipped_binary += o.skipped_binary;
        self.skipped_large += o.skipped_large;
        self.skipped_reports += o.skipped_reports;
        self.bytes_scanned += o.bytes_scanned;
        self.internal_errors += o.internal_errors;
    }
}

/// The result of a scan, sorted.
#[derive(Debug, Default)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    pub facts: RepoFacts,
    pub problems: Vec<Problem>,
    pub stats: Stats,
    /// Kind of every file with a finding, a suppression or facts, for
    /// suppression comment syntax.
    pub kinds: std::collections::BTreeMap<String, FileKind>,
    pub suppressions: Vec<crate::suppress::InlineSuppression>,
    /// Secret values the span scanner found in the files it read, for the
    /// value backstop (with the facts' own, see `facts::secrets`).
    pub secret_values: Vec<String>,
    /// The value backstop of this repository (built by `app::analyse::analyse`).
    pub backstop: crate::mask::Backstop,
    /// `check FILE...` (the pre-commit shape): every root-relative file it
    /// handed to the scan, sorted (see [`crate::given`]). `None`: the whole
    /// walk ran.
    pub read: Option<Vec<String>>,
}

#[derive(Default)]
struct ThreadResult {
    findings: Vec<Finding>,
    facts: Vec<(String, FileFacts)>,
    problems: Vec<Problem>,
    stats: Stats,
    kinds: Vec<(String, FileKind)>,
    suppressions: Vec<crate::suppress::InlineSuppression>,
    secret_values: Vec<String>,
    /// The files handed over, when [`Shared::record`] is set.
    read: Vec<String>,
}

impl ThreadResult {
    /// Takes over another thread's results (the order of files does not
    /// matter: the scan sorts what it reports).
    fn append(&mut self, mut o: ThreadResult) {
        self.findings.append(&mut o.findings);
        self.facts.append(&mut o.facts);
        self.problems.append(&mut o.problems);
        self.stats.add(&o.stats);
        self.kinds.append(&mut o.kinds);
        self.suppressions.append(&mut o.suppressions);
        self.secret_values.append(&mut o.secret_values);
        self.read.append(&mut o.read);
    }
}

struct Shared<'a, 'r> {
    engine: &'a Engine<'r>,
    opts: &'a ScanOptions,
    results: Mutex<Vec<ThreadResult>>,
    /// Note every file handed over (`check FILE...`; the whole walk does not).
    record: std::sync::atomic::AtomicBool,
}

struct Visitor<'s, 'a, 'r> {
    shared: &'s Shared<'a, 'r>,
    buf: Vec<u8>,
    candidates: Vec<bool>,
    rel: String,
    /// Read every file handed over for its facts, whatever its kind (the
    /// files a given file depends on, chosen by name).
    facts_only: bool,
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

impl<'s, 'a, 'r> Builder<'s, 'a, 'r> {
    fn visitor(&self) -> Visitor<'s, 'a, 'r> {
        Visitor {
            shared: self.0,
            buf: Vec::with_capacity(64 * 1024),
            candidates: Vec::new(),
            rel: String::new(),
            facts_only: false,
            result: ThreadResult::default(),
        }
    }
}

impl<'s> ParallelVisitorBuilder<'s> for Builder<'s, '_, '_> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(self.visitor())
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
        // One path buffer per thread: most files end at the prefilter, and
        // they should not cost an allocation.
        let mut rel = std::mem::take(&mut self.rel);
        crate::paths::relative_into(&self.shared.opts.root, path, &mut rel);
        if self
            .shared
            .record
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            self.result.read.push(rel.clone());
        }
        self.scan_file(path, &rel);
        self.rel = rel;
    }

    fn scan_file(&mut self, path: &Path, rel: &str) {
        let opts = self.shared.opts;
        if opts.exclude.as_ref().is_some_and(|g| g.is_match(rel))
            || opts.skip.iter().any(|s| s == rel)
            || is_report(rel)
        {
            return;
        }
        let reported = opts.only.is_empty() || opts.only.iter().any(|o| is_under(rel, o));
        let kind = FileKind::from_path(rel);
        if !reported && !is_fact_kind(kind) && !self.facts_only {
            return;
        }
        if let Err(e) = self.read(path, opts.max_file_size) {
            match e {
                ReadError::TooLarge => self.result.stats.skipped_large += 1,
                ReadError::Io(msg) => self.result.problems.push(Problem {
                    path: rel.to_string(),
                    message: msg,
                }),
            }
            return;
        }
        crate::decode::normalise_encoding(&mut self.buf);
        // The buffer is final until this file is done: one line index for it.
        let _lines = crate::finding::LineIndexScope::new();
        let head = &self.buf[..self.buf.len().min(8192)];
        if memchr::memchr(0, head).is_some() {
            self.result.stats.skipped_binary += 1;
            return;
        }
        if crate::sniff::is_own_report(head) {
            self.result.stats.skipped_reports += 1;
            return;
        }
        let kind = kind.refine_with_content(head);
        crate::panics::trip_point(rel);
        self.result.stats.files_scanned += 1;
        self.result.stats.bytes_scanned += self.buf.len() as u64;
        let engine = self.shared.engine;
        let hints = engine.candidates(&self.buf, &mut self.candidates);
        // Where the file's secrets are, found the first time a finding or a
        // quoted line needs them.
        let spans = crate::mask::LazySpans::new(kind, &self.buf);
        let mut noted = false;
        let findings_from = self.result.findings.len();
        if reported {
            let before = self.result.findings.len();
            if self.candidates.iter().any(|&c| c) {
                let notes = engine.match_file(
                    rel,
                    kind,
                    &self.buf,
                    &spans,
                    &self.candidates,
                    &mut self.result.findings,
                );
                self.result
                    .problems
                    .extend(notes.into_iter().map(|message| Problem {
                        path: rel.to_string(),
                        message,
                    }));
            }
            if hints.suppressions {
                let before = self.result.suppressions.len();
                self.result
                    .suppressions
                    .extend(crate::suppress::parse(rel, kind, &self.buf));
                noted = self.result.suppressions.len() > before;
            }
            noted |= self.result.findings.len() > before;
        }
        // The path and the prefilter decide whether any extractor applies,
        // before the file is decoded at all.
        let wanted = facts::wanted(rel, kind, hints.mentions_prisma, &self.buf);
        // Only a file whose text is used is validated: the one pass both
        // borrows the text (nearly every file is UTF-8) and finds the first
        // invalid byte for the note.
        let checked = (wanted || noted).then(|| std::str::from_utf8(&self.buf));
        if let Some(Err(e)) = checked {
            let source = crate::decode::Source::Invalid {
                line: crate::decode::invalid_line(&self.buf, e),
            };
            if let Some(message) = source.note() {
                self.result.problems.push(Problem {
                    path: rel.to_string(),
                    message,
                });
            }
        }
        if let (true, Some(checked)) = (wanted, checked) {
            let text = match checked {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(&self.buf),
            };
            let _ = crate::yaml::take_overflow();
            let (facts, mut problem) =
                facts::extract_with(rel, kind, &text, hints.mentions_prisma, &spans);
            // Extractors that skip unreadable YAML still leave a budget overflow.
            if let Some(over) = crate::yaml::take_overflow() {
                problem.get_or_insert(over);
            }
            if let Some(message) = problem {
                self.result.problems.push(Problem {
                    path: rel.to_string(),
                    message,
                });
            }
            if reported {
                if let Some(pkg) = &facts.package_json {
                    let before = self.result.findings.len();
                    for ar in &engine.rules {
                        for m in &ar.rule.matchers {
                            if let Matcher::Dependency(dm) = m {
                                if ar.rule.files.applies(rel, kind) {
                                    engine::dependency::apply(
                                        ar,
                                        dm,
                                        pkg,
                                        &self.buf,
                                        spans.get(),
                                        &mut self.result.findings,
                                    );
                                }
                            }
                        }
                    }
                    noted |= self.result.findings.len() > before;
                }
            }
            if reported && kind.runs_commands() {
                // A variable set in one job is not seen by another job's commands.
                for ar in &engine.rules {
                    for m in &ar.rule.matchers {
                        if let Matcher::Regex(rm) = m {
                            engine::regex::scope_filter(
                                &ar.rule.id,
                                &rm.unless_scope_contains,
                                &facts.commands,
                                &mut self.result.findings,
                                findings_from,
                            );
                        }
                    }
                }
            }
            if !facts.is_empty() {
                noted = true;
                self.result.facts.push((rel.to_string(), facts));
            }
        }
        if noted {
            self.result.kinds.push((rel.to_string(), kind));
        }
        // Held until the report: without what building them over-allocated.
        self.result.findings[findings_from..]
            .iter_mut()
            .for_each(Finding::shrink_to_fit);
        self.result.secret_values.extend(spans.values());
    }

    fn read(&mut self, path: &Path, max: u64) -> Result<(), ReadError> {
        let io = |e: std::io::Error| ReadError::Io(format!("cannot read: {e}"));
        let file = std::fs::File::open(path).map_err(io)?;
        self.buf.clear();
        // No fstat: reading at most `max + 1` bytes finds a large file (or one
        // that grows while we read it) just as well, one syscall cheaper.
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

/// Scans the tree under `opts.root` with `engine`.
pub fn scan(engine: &Engine<'_>, opts: &ScanOptions) -> ScanOutput {
    let shared = Shared {
        engine,
        opts,
        results: Mutex::new(Vec::new()),
        record: std::sync::atomic::AtomicBool::new(false),
    };
    let given = scan_given(&shared);
    if !given {
        walker(opts, &opts.root)
            .build_parallel()
            .visit(&mut Builder(&shared));
        if !opts.no_ignore {
            tracked_ignored(&shared, &[]);
        }
    }
    let results = shared.results.into_inner().unwrap_or_default();
    let mut out = ScanOutput::default();
    let mut read: Vec<String> = Vec::new();
    // Each list once at its final size, not grown by doubling while the
    // threads' lists are joined (the findings are held until the report).
    out.findings
        .reserve_exact(results.iter().map(|r| r.findings.len()).sum());
    out.problems
        .reserve_exact(results.iter().map(|r| r.problems.len()).sum());
    out.suppressions
        .reserve_exact(results.iter().map(|r| r.suppressions.len()).sum());
    out.secret_values
        .reserve_exact(results.iter().map(|r| r.secret_values.len()).sum());
    for mut r in results {
        read.append(&mut r.read);
        out.findings.extend(r.findings);
        out.problems.extend(r.problems);
        out.facts.files.extend(r.facts);
        out.kinds.extend(r.kinds);
        out.suppressions.extend(r.suppressions);
        out.secret_values.extend(r.secret_values);
        out.stats.files_scanned += r.stats.files_scanned;
        out.stats.skipped_binary += r.stats.skipped_binary;
        out.stats.skipped_large += r.stats.skipped_large;
        out.stats.skipped_reports += r.stats.skipped_reports;
        out.stats.bytes_scanned += r.stats.bytes_scanned;
        out.stats.internal_errors += r.stats.internal_errors;
    }
    if given {
        read.sort();
        read.dedup();
        out.read = Some(read);
    }
    apply_repo_rules(engine, opts, &mut out);
    out.findings.sort();
    out.findings.dedup();
    out.problems.sort();
    out.suppressions.sort_by(|a, b| a.location.cmp(&b.location));
    out
}

/// The walk from `dir` with the scan's ignore rules (those of the folders
/// above it too).
fn walker(opts: &ScanOptions, dir: &Path) -> WalkBuilder {
    let mut wb = WalkBuilder::new(dir);
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
    wb
}

/// Env files git tracks that `.gitignore` hid from the walk, under the
/// root-relative `paths` (none: anywhere): in every checkout, and what the
/// CLI reads (see [`crate::given::tracked_env_files`]).
fn tracked_ignored(shared: &Shared<'_, '_>, paths: &[&str]) {
    let opts = shared.opts;
    let mut files = crate::given::tracked_env_files(&opts.root, paths);
    if files.is_empty() {
        return;
    }
    // Those the walk read already are done.
    if let Ok(results) = shared.results.lock() {
        let read: std::collections::HashSet<&str> = results
            .iter()
            .flat_map(|r| r.facts.iter().map(|(p, _)| p.as_str()))
            .collect();
        files.retain(|f| !read.contains(f.as_str()));
    }
    if files.is_empty() {
        return;
    }
    let Ok(canon_root) = std::fs::canonicalize(&opts.root) else {
        return;
    };
    let mut v = Builder(shared).visitor();
    for rel in files {
        let path = opts.root.join(&rel);
        // A regular file, reached through no symbolic link (as the walk sees files).
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file())
            && std::fs::canonicalize(&path).is_ok_and(|c| c == canon_root.join(&rel))
        {
            v.isolated(&path);
        }
    }
}

/// `check A B` (files or folders under the root, not the root itself):
/// scans those files and walks those folders, then reads only the files
/// their findings can depend on, found from them (see [`crate::given`]), on
/// this thread: the rest of the repository is neither listed nor read.
/// False when a path is the root or reached through a link: the whole walk
/// does it then.
fn scan_given(shared: &Shared<'_, '_>) -> bool {
    use crate::given::{is_package_file, is_repo_fact_file, may_instruct, with_ancestors};
    use crate::paths::{join, parent};
    let opts = shared.opts;
    // As the walk sees it: a regular file reached through no symbolic link
    // (a linked folder could lead out of the repository).
    let Ok(canon_root) = std::fs::canonicalize(&opts.root) else {
        return false;
    };
    let is_file = |rel: &str| {
        let path = opts.root.join(rel);
        std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file())
            && std::fs::canonicalize(&path).is_ok_and(|c| c == canon_root.join(rel))
    };
    let is_dir = |rel: &str| {
        let path = opts.root.join(rel);
        std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_dir())
            && std::fs::canonicalize(&path).is_ok_and(|c| c == canon_root.join(rel))
    };
    let mut folders: Vec<&str> = Vec::new();
    for o in &opts.only {
        if o.is_empty() {
            return false;
        }
        if is_dir(o) {
            folders.push(o);
        } else if !is_file(o) {
            return false;
        }
    }
    if opts.only.is_empty() {
        return false;
    }
    shared
        .record
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let mut v = Builder(shared).visitor();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // The folders to list, each with the folders above it.
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for o in &opts.only {
        with_ancestors(parent(o), &mut dirs);
        if folders.contains(&o.as_str()) {
            continue;
        }
        if seen.insert(o.clone()) && !crate::given::skipped_dir(o) {
            v.isolated(&opts.root.join(o));
        }
    }
    // The folders as the whole walk would see them, in parallel; their
    // results join the others at the end.
    let walked: Vec<ThreadResult> = {
        let dirs: Vec<PathBuf> = folders
            .iter()
            .filter(|f| !crate::given::skipped_dir(&format!("{f}/x")))
            .map(|f| opts.root.join(f))
            .collect();
        if let Some((first, rest)) = dirs.split_first() {
            let mut wb = walker(opts, first);
            for d in rest {
                wb.add(d);
            }
            wb.build_parallel().visit(&mut Builder(shared));
            // As the whole walk: env files git tracks though ignored.
            if !opts.no_ignore {
                tracked_ignored(shared, &folders);
            }
        }
        shared
            .results
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    };
    let in_folder = |rel: &str| folders.iter().any(|f| is_under(rel, f));
    let mut safe = crate::given::Inside::new(&opts.root);
    v.facts_only = true;
    let mut listed: BTreeSet<String> = BTreeSet::new();
    // Command folders and those above them: files there that may tell an
    // operator to set the secret are read for those commands.
    let mut command_dirs: BTreeSet<String> = BTreeSet::new();
    let mut docs: Vec<String> = Vec::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut done = 0;
    let mut first = true;
    loop {
        // The folders commands run in, also as a script's own folder would
        // see them (see `effective_cwd`), and what a command there may run
        // (`./x.sh`, `sh x.sh`, `make -C d`, `-p d/prisma.yml`).
        let walked_facts = walked.iter().filter(|_| first).flat_map(|r| r.facts.iter());
        for (_, f) in v.result.facts[done..].iter().chain(walked_facts) {
            for s in &f.commands {
                let own = parent(&s.location.path);
                let rest = s.cwd.strip_prefix(own).map(|r| r.trim_start_matches('/'));
                for d in [Some(s.cwd.as_str()), rest, Some(own)]
                    .into_iter()
                    .flatten()
                {
                    with_ancestors(d, &mut dirs);
                    with_ancestors(d, &mut command_dirs);
                }
                for d in [Some(s.cwd.as_str()), rest].into_iter().flatten() {
                    for w in s.argv.iter().take(8).filter(|w| !w.starts_with('-')) {
                        named.insert(join(d, w));
                    }
                }
            }
        }
        done = v.result.facts.len();
        first = false;
        // Only paths checked to be regular files inside the root.
        let mut read: BTreeSet<String> = BTreeSet::new();
        // A named file is read and its folder listed; a named folder listed.
        for p in std::mem::take(&mut named) {
            if seen.contains(&p) || crate::given::skipped_dir(&p) {
                continue;
            }
            match safe.entry(&p) {
                crate::given::Entry::File => {
                    with_ancestors(parent(&p), &mut dirs);
                    read.insert(p);
                }
                crate::given::Entry::Dir if !listed.contains(&p) => {
                    with_ancestors(&p, &mut dirs);
                }
                _ => {}
            }
        }
        let new_dirs: BTreeSet<String> = dirs
            .iter()
            .filter(|d| !listed.contains(*d) && !crate::given::skipped_dir(&format!("{d}/x")))
            .filter(|d| safe.dir(d))
            .cloned()
            .collect();
        listed.extend(dirs.iter().cloned());
        // The way to each new folder: the walk enters nothing else.
        let mut way: BTreeSet<String> = BTreeSet::new();
        for d in &new_dirs {
            with_ancestors(d, &mut way);
        }
        // Listed by a walk that follows no link, in folders checked above.
        let (files, hidden) = crate::given::list_folders(
            &opts.root,
            opts.no_ignore,
            walker(opts, &opts.root),
            &way,
            &new_dirs,
        );
        for f in files {
            let name = f.rsplit('/').next().unwrap_or(&f);
            if is_repo_fact_file(&f) || is_package_file(name) {
                read.insert(f);
            } else if may_instruct(&f) {
                docs.push(f);
            }
        }
        docs.retain(|p| {
            if command_dirs.contains(parent(p)) {
                read.insert(p.clone());
                return false;
            }
            true
        });
        // Env files git tracks though a listed folder's .gitignore hides
        // them: git is asked about those paths only.
        if !hidden.is_empty() {
            let paths: Vec<&str> = hidden.iter().map(String::as_str).collect();
            for f in crate::given::tracked_env_files(&opts.root, &paths) {
                if safe.file(&f) {
                    read.insert(f);
                }
            }
        }
        read.retain(|p| !seen.contains(p) && !in_folder(p));
        // Nothing new read: no new commands, so no new folder or name.
        if read.is_empty() {
            break;
        }
        let batch: Vec<String> = read.into_iter().collect();
        read_facts(shared, &mut v, &batch);
        seen.extend(batch);
    }
    if let Ok(mut r) = shared.results.lock() {
        r.extend(walked);
    }
    true
}

/// Scans root-relative `files` (checked already) for their facts, their
/// results joining `v`'s: side by side when there are enough of them that
/// the threads pay for themselves (a CI config is parsed as YAML, a
/// lockfile can be megabytes).
fn read_facts(shared: &Shared<'_, '_>, v: &mut Visitor<'_, '_, '_>, files: &[String]) {
    let root = &shared.opts.root;
    let threads = crate::par::threads(shared.opts.threads).min(files.len() / 8);
    if threads <= 1 {
        for f in files {
            v.isolated(&root.join(f));
        }
        return;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parts: Mutex<Vec<ThreadResult>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut w = Builder(shared).visitor();
                w.facts_only = true;
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    w.isolated(&root.join(f));
                }
                let r = std::mem::take(&mut w.result);
                if let Ok(mut p) = parts.lock() {
                    p.push(r);
                }
            });
        }
    });
    for r in parts.into_inner().unwrap_or_default() {
        v.result.append(r);
    }
}

/// Structured matchers that need the whole repository: commands and server
/// configs. Each matcher is judged on its own, so they share the scan's
/// threads; their findings are joined in rule order, as one thread would
/// make them.
fn apply_repo_rules(engine: &Engine<'_>, opts: &ScanOptions, out: &mut ScanOutput) {
    crate::facts::commands::link::link(&mut out.facts);
    let facts = &out.facts;
    let work: Vec<(&engine::active::ActiveRule<'_>, &Matcher)> = engine
        .rules
        .iter()
        .flat_map(|ar| ar.rule.matchers.iter().map(move |m| (ar, m)))
        .filter(|(_, m)| {
            matches!(
                m,
                Matcher::Command(_) | Matcher::ServerConfig(_) | Matcher::Datamodel(_)
            )
        })
        .collect();
    let cores = crate::par::threads(opts.threads);
    let expanded = work
        .iter()
        .any(|(_, m)| matches!(m, Matcher::Command(_)))
        .then(|| engine::commands::Expanded::new(facts, cores));
    // The upgrade's services, worked out once before the rules run side by
    // side, when a datamodel rule is selected.
    let services = work
        .iter()
        .any(|(_, m)| matches!(m, Matcher::Datamodel(_)))
        .then(|| crate::upgrade::service::collect(&opts.root, facts, None));
    let judge = |(ar, m): (&engine::active::ActiveRule<'_>, &Matcher), ctx: &RepoContext| {
        let mut found = Vec::new();
        match (m, &expanded) {
            (Matcher::Command(cm), Some(expanded)) => {
                engine::commands::apply(ar, cm, expanded, facts, ctx, &mut found)
            }
            (Matcher::ServerConfig(sm), _) => engine::server::apply(ar, sm, facts, &mut found),
            (Matcher::Datamodel(dm), _) => {
                if let Some(services) = &services {
                    engine::datamodel::apply(ar, dm, services, &mut found)
                }
            }
            _ => {}
        }
        found.iter_mut().for_each(Finding::shrink_to_fit);
        found.shrink_to_fit();
        found
    };
    let context = || {
        let mut ctx = RepoContext::new(facts);
        ctx.docs_severity = engine.docs_severity;
        ctx
    };
    let results =
        crate::par::map_in_order(work.len(), cores, context, |ctx, i| judge(work[i], ctx));
    drop(expanded);
    // One list at its final size; each rule's list is freed once moved.
    let mut found: Vec<Finding> = Vec::with_capacity(results.iter().map(Vec::len).sum());
    results.into_iter().for_each(|mut r| found.append(&mut r));
    engine::overlap::resolve(&engine.rules, &out.facts, &mut found, &mut out.findings);
    found.retain(|f| {
        opts.only.is_empty() || opts.only.iter().any(|o| is_under(&f.location.path, o))
    });
    out.findings.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_match_strip_prefix() {
        let cases = [
            (".", "./a/b.js", "a/b.js"),
            ("/r/repo", "/r/repo/a/b.js", "a/b.js"),
            ("/r/repo/", "/r/repo/a/b.js", "a/b.js"),
            ("", "a/b.js", "a/b.js"),
            ("", "./a/b.js", "a/b.js"),
            ("repo", "repo/.env", ".env"),
        ];
        for (root, path, want) in cases {
            assert_eq!(
                relative(Path::new(root), Path::new(path)),
                want,
                "{root} {path}"
            );
        }
        // A sibling that shares the prefix is not inside the root.
        assert_eq!(
            relative(Path::new("/r/repo"), Path::new("/r/repo2/a.js")),
            "/r/repo2/a.js"
        );
    }

    #[test]
    fn only_matches_whole_path_segments() {
        assert!(is_under("apps/api/x.ts", "apps/api"));
        assert!(is_under("apps/api", "apps/api"));
        assert!(is_under("x.ts", ""));
        assert!(!is_under("apps/api2/x.ts", "apps/api"));
    }
}
