//! One scan, from validated settings to an exit code: load config and rules,
//! walk, apply suppressions and filters, hand the report to the reporters.

use crate::cli::{CheckArgs, Color, FailOn, Format};
use crate::config::{self, Config};
use crate::diagnostic::FileError;
use crate::engine::Engine;
use crate::finding::{Finding, Location, Severity, Suppression};
use crate::report::{self, Report};
use crate::rules::{Matcher, RuleSet, SuppressionProblem};
use crate::scan::{self, ScanOptions, ScanOutput};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Default for `--max-file-size`: larger files are generated or data.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 << 20;

/// An error that ends the run with exit code 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}

/// Exit status of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    /// A bug while scanning some file (reported with its path): exit code 2.
    InternalError,
}

/// Most worker threads: more only costs memory (each owns its buffers).
pub const MAX_THREADS: usize = 256;

/// Where the scan is rooted and which part of it is reported.
pub fn resolve_paths(
    paths: &[PathBuf],
    root: Option<&Path>,
) -> Result<(PathBuf, Vec<String>), RunError> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(RunError::Usage(format!(
                "no such file or folder: {}",
                p.display()
            )));
        }
    }
    let root = match (root, paths) {
        (Some(r), _) => r.to_path_buf(),
        (None, [one]) if one.is_dir() => one.clone(),
        _ => PathBuf::from("."),
    };
    if !root.is_dir() {
        return Err(RunError::Usage(format!(
            "scan root is not a folder: {}",
            root.display()
        )));
    }
    let only = if paths.len() == 1 && paths[0] == root {
        Vec::new()
    } else {
        paths
            .iter()
            .map(|p| normalise_under(&root, p))
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok((root, only))
}

fn normalise_under(root: &Path, p: &Path) -> Result<String, RunError> {
    let rel = if p.is_absolute() || root.is_absolute() {
        let (rc, pc) = (std::fs::canonicalize(root)?, std::fs::canonicalize(p)?);
        pc.strip_prefix(&rc).map(Path::to_path_buf).map_err(|_| {
            RunError::Usage(format!(
                "{} is outside the scan root {}",
                p.display(),
                root.display()
            ))
        })?
    } else {
        p.strip_prefix(root).unwrap_or(p).to_path_buf()
    };
    let s = scan::relative(Path::new(""), &rel);
    Ok(if s == "." {
        String::new()
    } else {
        s.trim_end_matches('/').to_string()
    })
}

/// Rules plus the active selection with effective severities.
pub fn select_rules(
    set: &RuleSet,
    cfg: &Config,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<(usize, Severity)>, RunError> {
    let check = |ids: &[String], from_config: bool| -> Result<(), RunError> {
        for id in ids {
            if set.get(id).is_none() {
                let msg = format!("unknown rule id `{id}` (see `prisma1-lint rules`)");
                return Err(match (from_config, cfg.error_at(id, msg.clone())) {
                    (true, Some(e)) => RunError::File(e),
                    _ => RunError::Usage(msg),
                });
            }
        }
        Ok(())
    };
    check(&cfg.select, true)?;
    check(&cfg.ignore, true)?;
    check(&cfg.severity.keys().cloned().collect::<Vec<_>>(), true)?;
    check(
        &cfg.suppress
            .iter()
            .map(|s| s.rule.clone())
            .collect::<Vec<_>>(),
        true,
    )?;
    check(select, false)?;
    check(ignore, false)?;
    let chosen = |id: &str, list: &[String]| list.is_empty() || list.iter().any(|s| s == id);
    Ok(set
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| chosen(&r.id, &cfg.select) && chosen(&r.id, select))
        .filter(|(_, r)| !cfg.ignore.contains(&r.id) && !ignore.contains(&r.id))
        .map(|(i, r)| (i, cfg.severity.get(&r.id).copied().unwrap_or(r.severity)))
        .collect())
}

/// Loads the config: `--config`, else `.prisma1-lint.yml` at the root.
pub fn load_config(
    root: &Path,
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<Config, RunError> {
    if disabled {
        return Ok(Config::default());
    }
    match explicit {
        // A --config file inside the repository is the repository's (CI often
        // passes one); outside it, it is the user's own.
        Some(p) => {
            let repo = crate::fsread::inside(root, p).is_ok().then_some(root);
            Ok(Config::load(p, repo)?)
        }
        None => {
            let p = root.join(config::FILE_NAME);
            // symlink_metadata: a dangling link is still the repository's config.
            if std::fs::symlink_metadata(&p).is_ok() {
                Ok(Config::load(&p, Some(root))?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// Loads built-in rules, then config and command-line rule folders.
pub fn load_rules(cfg: &Config, dirs: &[PathBuf]) -> Result<RuleSet, RunError> {
    let mut set = RuleSet::builtin()?;
    // A repository's rule files get the same care as its config.
    for d in &cfg.rules_dirs {
        set.load_dir(d, cfg.is_confined())?;
    }
    for d in dirs {
        set.load_dir(d, false)?;
    }
    Ok(set)
}

/// Scans and post-processes: the findings a report shows, in order.
pub fn analyse(
    set: &RuleSet,
    active: &[(usize, Severity)],
    cfg: &Config,
    opts: &ScanOptions,
) -> Result<(ScanOutput, Vec<Finding>), RunError> {
    let mut engine = Engine::new(set, active.to_vec()).map_err(RunError::Usage)?;
    if let Some(s) = cfg.documented_commands {
        engine.docs_severity = s;
    }
    let mut out = scan::scan(&engine, opts);
    let mut findings = std::mem::take(&mut out.findings);
    let used = crate::suppress::apply(&mut findings, &out.suppressions);
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        if let Some(s) = cfg
            .suppress
            .iter()
            .find(|s| s.rule == f.rule && s.paths.is_match(&f.location.path))
        {
            f.suppressed = Some(Suppression {
                kind: "external".into(),
                justification: s.reason.clone(),
            });
        }
    }
    // Problems with suppression comments are findings of their own rules.
    for ar in &engine.rules {
        for m in &ar.rule.matchers {
            let Matcher::Suppression(problem) = m else {
                continue;
            };
            for (s, used) in out.suppressions.iter().zip(&used) {
                // A suppression for a rule that did not run is not known to be unused.
                let names_inactive = s
                    .rules
                    .iter()
                    .any(|r| !engine.rules.iter().any(|a| a.rule.id == *r));
                let hit = match problem {
                    SuppressionProblem::Unused => !used && !names_inactive,
                    SuppressionProblem::NoReason => s.reason.is_empty(),
                };
                if hit {
                    let ids = if s.rules.is_empty() {
                        "every rule".to_string()
                    } else {
                        s.rules.join(", ")
                    };
                    findings.push(Finding {
                        location: s.location.clone(),
                        rule: ar.rule.id.clone(),
                        severity: ar.severity,
                        message: ar
                            .rule
                            .message
                            .render(|n| (n == "rules").then_some(ids.as_str())),
                        snippet: String::new(),
                        matched: format!("suppression {ids}"),
                        related: Vec::new(),
                        suppressed: None,
                        mention: false,
                        origin: crate::finding::Origin::Code,
                    });
                }
            }
        }
    }
    out.secrets = crate::redact::Secrets::from_facts(&out.facts);
    for f in &mut findings {
        out.secrets.finding(f);
        crate::finding::bound_texts(f);
    }
    findings.sort();
    Ok((out, findings))
}

fn fail_threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    }
}

/// `prisma1-lint check`.
pub fn check(args: &CheckArgs) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let (root, only) = resolve_paths(&args.paths, args.root.as_deref())?;
    let cfg = load_config(&root, args.config.as_deref(), args.no_config)?;
    let set = load_rules(&cfg, &args.rules.rule_dirs)?;
    let active = select_rules(&set, &cfg, &args.select, &args.ignore)?;
    let outputs = parse_outputs(args)?;
    let max_file_size = match &args.max_file_size {
        Some(s) => config::parse_size(s).map_err(RunError::Usage)?,
        None => cfg.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
    };
    let opts = ScanOptions {
        root: root.clone(),
        only,
        no_ignore: args.no_ignore,
        max_file_size,
        threads: args.threads.unwrap_or(0).min(MAX_THREADS),
        exclude: cfg.exclude_set(),
        skip: own_files(&root, args, &outputs),
    };
    let (out, mut findings) = analyse(&set, &active, &cfg, &opts)?;
    let mut hidden = 0;
    let mut stale = 0;
    if let Some(path) = &args.write_baseline {
        crate::baseline::write(path, &findings)?;
    }
    if let Some(path) = &args.baseline {
        let b = crate::baseline::Baseline::load(path)?;
        let (kept, h, s) = b.filter(findings);
        findings = kept;
        hidden += h;
        stale = s;
    }
    if args.diff_base.is_some() || args.diff.is_some() {
        let changed = match (&args.diff_base, &args.diff) {
            (Some(base), _) => crate::diff::from_git(&root, base).map_err(RunError::Usage)?,
            (None, Some(file)) => crate::diff::from_file(file).map_err(RunError::Usage)?,
            _ => crate::diff::ChangedLines::default(),
        };
        let before = findings.len();
        findings.retain(|f| changed.touches(&f.location));
        hidden += before - findings.len();
    }
    let active_map: BTreeMap<String, Severity> = active
        .iter()
        .map(|(i, s)| (set.rules[*i].id.clone(), *s))
        .collect();
    let report = Report {
        link_base: args.link_base.clone(),
        findings,
        rules: &set,
        active: active_map,
        problems: out.problems,
        stats: out.stats,
        elapsed: started.elapsed(),
        stale_baseline: stale,
        hidden,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    for (format, file) in &outputs {
        match file {
            Some(path) => {
                let mut buf = Vec::new();
                emit(*format, &report, &mut buf, false, args.quiet)?;
                let buf = out.secrets.redact_bytes(&buf);
                std::fs::write(path, buf).map_err(|e| {
                    RunError::Usage(format!("cannot write {}: {e}", path.display()))
                })?;
            }
            None => {
                // Through a buffer: the last redaction layer sees every byte.
                let mut buf = Vec::new();
                emit(*format, &report, &mut buf, color, args.quiet)?;
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                lock.write_all(&out.secrets.redact_bytes(&buf))?;
                lock.flush()?;
            }
        }
    }
    if report.stats.internal_errors > 0 {
        return Ok(Outcome::InternalError);
    }
    if args.write_baseline.is_some() {
        return Ok(Outcome::Clean);
    }
    let threshold = fail_threshold(args.fail_on.or(cfg.fail_on).unwrap_or(FailOn::Warning));
    let failing = threshold.is_some_and(|t| report.active_findings().any(|f| f.severity >= t));
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Files this run reads or writes (baselines, reports) that sit under the
/// root: scanning them would report the findings they quote.
fn own_files(root: &Path, args: &CheckArgs, outputs: &[(Format, Option<PathBuf>)]) -> Vec<String> {
    let Ok(root) = std::fs::canonicalize(root) else {
        return Vec::new();
    };
    let files = outputs
        .iter()
        .filter_map(|(_, f)| f.as_ref())
        .chain(args.baseline.iter())
        .chain(args.write_baseline.iter());
    files
        .filter_map(|f| {
            let dir = f
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let abs = std::fs::canonicalize(dir).ok()?.join(f.file_name()?);
            abs.strip_prefix(&root)
                .ok()
                .map(|r| scan::relative(Path::new(""), r))
        })
        .collect()
}

/// `--format` plus every `--output FORMAT[=FILE]`, with at most one on stdout.
fn parse_outputs(args: &CheckArgs) -> Result<Vec<(Format, Option<PathBuf>)>, RunError> {
    use clap::ValueEnum;
    let mut outs: Vec<(Format, Option<PathBuf>)> = Vec::new();
    for o in &args.outputs {
        let (name, file) = match o.split_once('=') {
            Some((n, f)) => (n, Some(PathBuf::from(f))),
            None => (o.as_str(), None),
        };
        let format = Format::from_str(name, true).map_err(|_| RunError::Usage(format!("unknown output format `{name}` in --output {o}; expected human, json, sarif, github or markdown")))?;
        outs.push((format, file));
    }
    let on_stdout = outs.iter().filter(|(_, f)| f.is_none()).count();
    if on_stdout > 1 {
        return Err(RunError::Usage(
            "only one output can go to standard output; give the others a file (FORMAT=FILE)"
                .into(),
        ));
    }
    if on_stdout == 0 {
        outs.insert(0, (args.format, None));
    }
    Ok(outs)
}

fn emit(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn Write,
    color: bool,
    quiet: bool,
) -> Result<(), RunError> {
    match format {
        Format::Human => report::human::write(report, out, color, quiet)?,
        Format::Json => report::json::write(report, out)?,
        Format::Sarif => report::sarif::write(report, out)?,
        Format::Github => report::github::write(report, out)?,
        Format::Markdown => report::markdown::write(report, out)?,
    }
    Ok(())
}

/// Where a location sits, for messages: `path:line:column`.
pub fn at(loc: &Location) -> String {
    format!("{}:{}:{}", loc.path, loc.line, loc.column)
}
