//! `prisma1-lint audit`: the migration inventory and plan for one repository
//! or many. An audit is another view of the same scan `check` runs (same
//! rules, findings and facts), never a second scanner.

pub mod build;
pub mod html;
pub mod markdown;
pub mod model;
mod parts;
pub mod plan;
mod progress;
mod usage;

use crate::app;
use crate::cli::{AuditArgs, AuditFormat, FailOn};
use crate::config::Config;
use crate::error::RunError;
use crate::finding::Severity;
use crate::scan::ScanOptions;
use model::{Audit, Totals, Verdict};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The repositories to audit: the paths themselves, or with `--each-subdir`
/// every folder directly inside them, sorted.
pub fn repositories(paths: &[PathBuf], each_subdir: bool) -> Result<Vec<PathBuf>, RunError> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for p in &paths {
        if !p.is_dir() {
            return Err(RunError::Usage(format!("not a folder: {}", p.display())));
        }
        if each_subdir {
            if let Some(marker) = [".git", "package.json", "prisma.yml", "prisma/prisma.yml"]
                .into_iter()
                .find(|m| p.join(m).exists())
            {
                eprintln!(
                    "prisma1-lint: warning: {} looks like one repository (it has {marker}); --each-subdir audits each folder inside it as a repository of its own",
                    p.display()
                );
            }
            let mut subs: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect();
            subs.sort();
            out.extend(subs);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn display_name(p: &Path) -> String {
    let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Runs the audit and writes the report. Exit status follows `--fail-on` only.
pub fn run(args: &AuditArgs) -> Result<app::exit::Outcome, RunError> {
    if args.merge {
        return merge(args);
    }
    let repos = repositories(&args.paths, args.each_subdir)?;
    let progress = (repos.len() > 1 && !args.quiet && std::io::stderr().is_terminal())
        .then(|| progress::Progress::new(repos.len() as u64));
    // Configs first, and one compiled rule set for every repository without
    // rule folders of its own (compiling costs more than scanning a small one).
    // With many repositories, one that cannot be audited (a bad config, its
    // own rules) is reported as failed and the others are audited: a hostile
    // repository in the folder cannot hide the rest.
    let many = repos.len() > 1;
    let mut cfgs = Vec::with_capacity(repos.len());
    for repo in &repos {
        // Each repository's config is its own, not the user's (see
        // load_config_as); a --config file outside them is the user's.
        let cfg =
            app::settings::load_config_as(repo, args.config.as_deref(), args.no_config, false);
        cfgs.push(match cfg {
            Err(e) if !many => return Err(e),
            c => c,
        });
    }
    let shared = match cfgs
        .iter()
        .any(|c| c.as_ref().is_ok_and(|c| c.rules_dirs.is_empty()))
    {
        true => Some(app::settings::load_rules(
            &Config::default(),
            &args.rules.rule_dirs,
        )?),
        false => None,
    };
    let threads = args.threads.unwrap_or(0).min(app::settings::MAX_THREADS);
    let audit_one = |repo: &PathBuf, cfg: &Config| -> Result<Audited, RunError> {
        if let Some(b) = &progress {
            b.set_message(crate::display::printable(&repo.display().to_string()).into_owned());
        }
        let own;
        let set = match shared.as_ref().filter(|_| cfg.rules_dirs.is_empty()) {
            Some(s) => s,
            None => {
                own = app::settings::load_rules(cfg, &args.rules.rule_dirs)?;
                &own
            }
        };
        let active = crate::selection::select_rules(set, cfg, &args.select, &args.ignore)?;
        let max_file_size = match &args.max_file_size {
            Some(s) => crate::config::parse_size(s).map_err(RunError::Usage)?,
            None => cfg
                .max_file_size
                .unwrap_or(app::settings::DEFAULT_MAX_FILE_SIZE),
        };
        let opts = ScanOptions {
            root: repo.clone(),
            only: Vec::new(),
            no_ignore: args.no_ignore,
            max_file_size,
            threads,
            exclude: cfg.exclude_set(),
            skip: Vec::new(),
        };
        let (out, findings) = app::analyse::analyse(set, &active, cfg, &opts)?;
        let worst = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .map(|f| f.severity)
            .max();
        // This repository's values are masked in this repository's report only.
        let audit = build::repo_audit(
            &display_name(repo),
            &repo.display().to_string(),
            repo,
            &out,
            &findings,
        );
        if let Some(b) = &progress {
            b.inc();
        }
        Ok(Audited {
            internal_errors: out.stats.internal_errors,
            worst,
            audit,
        })
    };
    // Repositories are audited side by side (each scan is parallel too): a
    // small repository's serial steps (config, linking, judging) leave the
    // other cores idle. Results keep the repositories' order.
    let workers = crate::par::threads(threads).clamp(1, repos.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Audited, RunError>>> = Vec::new();
    results.resize_with(repos.len(), || None);
    let done = std::sync::Mutex::new(results);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(repo) = repos.get(i) else { break };
                let Ok(cfg) = &cfgs[i] else { continue };
                let r = audit_one(repo, cfg);
                let failed = r.is_err();
                if let Ok(mut d) = done.lock() {
                    d[i] = Some(r);
                }
                if failed && !many {
                    break;
                }
            });
        }
    });
    let results = done
        .into_inner()
        .map_err(|_| RunError::Usage("an audit worker stopped".to_string()))?;
    let mut audits = Vec::new();
    let mut worst: Option<Severity> = None;
    let mut internal_errors = 0;
    for ((r, cfg), repo) in results.into_iter().zip(cfgs).zip(&repos) {
        let r = match (r, cfg) {
            (Some(r), _) => r,
            (None, Err(e)) => Err(e),
            (None, Ok(_)) => continue,
        };
        let a = match r {
            Ok(a) => a,
            Err(e) if !many => return Err(e),
            Err(e) => {
                // The whole error on standard error, one line in the report.
                eprintln!("{}", crate::diagnostic::render_error(&e));
                internal_errors += 1;
                audits.push(model::RepoAudit::failed(
                    &display_name(repo),
                    &repo.display().to_string(),
                    failure(&e),
                ));
                continue;
            }
        };
        internal_errors += a.internal_errors;
        worst = worst.max(a.worst);
        audits.push(a.audit);
    }
    if let Some(b) = progress {
        b.finish_and_clear();
    }
    finish(args, audits, worst, internal_errors)
}

/// `audit --merge`: the repositories of audit JSON files, in the order given.
fn merge(args: &AuditArgs) -> Result<app::exit::Outcome, RunError> {
    if args.paths.is_empty() {
        return Err(RunError::Usage(
            "--merge needs the audit JSON files to combine".into(),
        ));
    }
    let mut audits = Vec::new();
    for p in &args.paths {
        let bytes = crate::fsread::read_text(p, MAX_SHARD)
            .map_err(|e| RunError::Usage(format!("cannot read audit {}: {e}", p.display())))?;
        let shard: Audit = serde_json::from_str(&bytes).map_err(|e| {
            RunError::Usage(format!(
                "{} is not an audit JSON file (`audit --format json`): {e}",
                p.display()
            ))
        })?;
        if shard.version != model::VERSION {
            return Err(RunError::Usage(format!(
                "{} is audit JSON version {}; this prisma1-lint reads version {}",
                p.display(),
                shard.version,
                model::VERSION
            )));
        }
        audits.extend(shard.repositories);
    }
    let worst = audits
        .iter()
        .map(|r| {
            if r.errors > 0 {
                Some(Severity::Error)
            } else if r.warnings > 0 {
                Some(Severity::Warning)
            } else if r.notes > 0 {
                Some(Severity::Note)
            } else {
                None
            }
        })
        .max()
        .flatten();
    // The shards were masked when they were written.
    finish(args, audits, worst, 0)
}

/// Largest audit JSON file `--merge` reads.
const MAX_SHARD: u64 = 256 << 20;

/// Renders the audit of `audits`, writes it, and decides the exit status.
fn finish(
    args: &AuditArgs,
    audits: Vec<model::RepoAudit>,
    worst: Option<Severity>,
    internal_errors: usize,
) -> Result<app::exit::Outcome, RunError> {
    let audit = Audit {
        version: model::VERSION,
        tool: format!("prisma1-lint {}", env!("CARGO_PKG_VERSION")),
        totals: totals(&audits),
        repositories: audits,
    };
    // Every repository text in the audit renders masked: nothing to cut here.
    let text = match args.format {
        AuditFormat::Markdown => markdown::render(&audit),
        AuditFormat::Json => {
            crate::display::json_pretty(&audit).map_err(std::io::Error::other)? + "\n"
        }
        AuditFormat::Html => html::render(&audit),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| RunError::Usage(format!("cannot write {}: {e}", path.display())))?;
            if !args.quiet {
                let n = audit.repositories.len();
                let what = if n == 1 { "repository" } else { "repositories" };
                eprintln!("wrote {}: {n} {what}", path.display());
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    let threshold = match args.fail_on {
        None | Some(FailOn::Never) => None,
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Note) => Some(Severity::Note),
    };
    Ok(match (threshold, worst) {
        _ if internal_errors > 0 => app::exit::Outcome::InternalError,
        (Some(t), Some(w)) if w >= t => app::exit::Outcome::Findings,
        _ => app::exit::Outcome::Clean,
    })
}

/// Why a repository could not be audited, on one line: the error, and where
/// in which file when it is about a file.
fn failure(e: &RunError) -> String {
    match e {
        RunError::File(f) => f.one_line(),
        e => crate::display::printable(&e.to_string()).into_owned(),
    }
}

/// One repository's audit and what the run needs of its scan.
struct Audited {
    internal_errors: usize,
    worst: Option<Severity>,
    audit: model::RepoAudit,
}

fn totals(repos: &[model::RepoAudit]) -> Totals {
    Totals {
        repositories: repos.len(),
        using_prisma1: repos.iter().filter(|r| r.uses_prisma1).count(),
        using_prisma1_cloud: repos
            .iter()
            .filter(|r| r.uses_prisma1_cloud == Verdict::Yes)
            .count(),
        cannot_tell: repos
            .iter()
            .filter(|r| r.uses_prisma1_cloud == Verdict::CannotTell)
            .count(),
        services: repos.iter().map(|r| r.services.len()).sum(),
        cloud_services: repos
            .iter()
            .flat_map(|r| &r.services)
            .filter(|s| s.class.starts_with("cloud"))
            .count(),
        errors: repos.iter().map(|r| r.errors).sum(),
        warnings: repos.iter().map(|r| r.warnings).sum(),
        notes: repos.iter().map(|r| r.notes).sum(),
        failed: repos.iter().filter(|r| r.failed.is_some()).count(),
    }
}
