//! The top floor: `check`, from validated settings to an exit code. The
//! settings ([`settings`]), the run ([`analyse`](mod@analyse)) and the exit
//! decision ([`exit`]) are rooms of their own, shared with the other
//! commands; this file joins them for one or several roots and hands the
//! report to the reporters. See ARCHITECTURE.md for the floors below.

pub mod analyse;
pub mod exit;
pub mod settings;

use crate::cli::{CheckArgs, Color, FailOn, Format};
use crate::config::Config;
use crate::error::RunError;
use crate::finding::{Confidence, Finding, Location, Severity};
use crate::report::{self, Report, Style};
use crate::rules::RuleSet;
use crate::scan::{self, ScanOptions, ScanOutput};
use crate::selection::select_rules;
use analyse::analyse;
use exit::Outcome;
use settings::{
    exclude_set, load_config, load_rules, max_file_size, DEFAULT_MAX_FILE_SIZE, MAX_THREADS,
};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One root's scan, before the reports are made.
struct RootScan {
    root: crate::roots::ScanRoot,
    cfg: Config,
    set: RuleSet,
    active: Vec<(usize, Severity)>,
    out: ScanOutput,
    findings: Vec<Finding>,
}

/// `prisma1-lint check`.
pub fn check(args: &CheckArgs) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let roots = crate::roots::plan(&args.paths, args.root.as_deref())?;
    let outputs = crate::outputs::parse(args)?;
    if args.statistics
        && !outputs
            .iter()
            .any(|(f, _)| matches!(f, Format::Human | Format::Concise | Format::Json))
    {
        return Err(RunError::Usage(
            "--statistics works with --format human, concise or json".into(),
        ));
    }
    let several = roots.len() > 1;
    if several
        && (args.baseline.is_some()
            || args.write_baseline.is_some()
            || args.diff_base.is_some()
            || args.diff.is_some())
    {
        return Err(RunError::Usage(format!(
            "the paths lie in {} repositories; a baseline or a diff belongs to one: give the paths of one repository at a time (or one --root that holds them)",
            roots.len()
        )));
    }
    let mut scans = Vec::with_capacity(roots.len());
    for root in roots {
        scans.push(scan_root(args, root, &outputs)?);
    }
    // Several roots: one report whose paths open from the current folder.
    let prefix = match scans.as_slice() {
        [one] => one.root.prefix.clone(),
        _ => String::new(),
    };
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let mut stats = scan::Stats::default();
    let mut active_map: BTreeMap<String, Severity> = BTreeMap::new();
    for s in &mut scans {
        let (mut f, mut p) = (
            std::mem::take(&mut s.findings),
            std::mem::take(&mut s.out.problems),
        );
        if several {
            crate::roots::rebase(&mut f, &mut p, &s.root.prefix);
        }
        findings.extend(f);
        problems.extend(p);
        stats.add(&s.out.stats);
        for (i, sev) in &s.active {
            active_map.insert(s.set.rules[*i].id.clone(), *sev);
        }
    }
    findings.sort();
    problems.sort();
    let Some(first) = scans.first() else {
        return Err(RunError::Usage("nothing to scan".into()));
    };
    let (root, cfg, set) = (&first.root.root, &first.cfg, &first.set);
    let max_file_size = max_file_size(args, cfg)?;
    let mut hidden = 0;
    let mut stale = Vec::new();
    let mut outside_diff = Vec::new();
    if let Some(path) = &args.write_baseline {
        let n = crate::baseline::write(path, &findings)?;
        let entries = if n == 1 { "entry" } else { "entries" };
        eprintln!("wrote {n} {entries} to {}", path.display());
        if stats.internal_errors > 0 {
            return Ok(Outcome::InternalError);
        }
        return Ok(Outcome::Clean);
    }
    if let Some(path) = &args.baseline {
        let mut b = crate::baseline::Baseline::load(path)?;
        let (kept, h, s) = b.filter(findings);
        findings = kept;
        hidden += h;
        stale = s;
        if args.update_baseline {
            b.prune(&stale);
            b.save(path)?;
            let n = stale.len();
            let entries = if n == 1 { "entry" } else { "entries" };
            eprintln!("removed {n} stale {entries} from {}", path.display());
            stale.clear();
        }
    }
    if args.diff_base.is_some() || args.diff.is_some() {
        let changed = match (&args.diff_base, &args.diff) {
            (Some(base), _) => crate::diff::from_git(root, base).map_err(RunError::Usage)?,
            (None, Some(file)) => crate::diff::from_file(file).map_err(RunError::Usage)?,
            _ => crate::diff::ChangedLines::default(),
        };
        let (inside, outside): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| changed.touches(&f.location));
        findings = inside;
        hidden += outside.len();
        outside_diff = outside;
    }
    // Judgements below the confidence this run shows are counted, not shown.
    let min_confidence = match (args.min_confidence, args.persona) {
        (Some(m), _) => match m {
            crate::cli::MinConfidence::Low => Confidence::Low,
            crate::cli::MinConfidence::Medium => Confidence::Medium,
            crate::cli::MinConfidence::High => Confidence::High,
        },
        (None, Some(crate::cli::Persona::Auditor)) => Confidence::Low,
        (None, Some(crate::cli::Persona::Regular)) => Confidence::DEFAULT_MIN,
        (None, None) => cfg.min_confidence.unwrap_or(Confidence::DEFAULT_MIN),
    };
    let before = findings.len();
    findings.retain(|f| f.confidence.is_none_or(|c| c >= min_confidence));
    let below_confidence = (before - findings.len(), min_confidence);
    let report = Report {
        link_base: args.link_base.clone(),
        findings,
        rules: set,
        active: active_map,
        problems,
        stats,
        elapsed: started.elapsed(),
        stale_baseline: stale.len(),
        hidden,
        below_confidence,
        outside_diff,
        root: match scans.as_slice() {
            [one] => one.root.shown(),
            _ => ".".to_string(),
        },
        prefix,
    };
    let sarif_root = if several {
        Path::new(".")
    } else {
        root.as_path()
    };
    let sarif = sarif_options(args, sarif_root, &report, &outputs, max_file_size)?;
    let color = crate::terminal::color(
        if args.no_color {
            Color::Never
        } else {
            args.color
        },
        std::io::stdout().is_terminal(),
        |k| std::env::var(k).ok(),
    );
    let style = Style {
        color,
        quiet: args.quiet,
        width: crate::terminal::width(),
        statistics: args.statistics,
        threads: crate::par::threads(args.threads.unwrap_or(0).min(MAX_THREADS)),
    };
    for (format, file) in &outputs {
        match file {
            Some(path) => {
                let mut buf = Vec::new();
                let file_style = Style {
                    color: false,
                    width: None,
                    ..style
                };
                emit(*format, &report, &mut buf, &file_style, &sarif)?;
                std::fs::write(path, buf).map_err(|e| {
                    RunError::Usage(format!("cannot write {}: {e}", path.display()))
                })?;
            }
            None => {
                // Streamed: the report of a large tree is megabytes, and
                // holding it whole would make it the run's peak memory.
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
                emit(*format, &report, &mut out, &style, &sarif)?;
                out.flush()?;
            }
        }
    }
    if !stale.is_empty() && !args.quiet {
        let note = crate::baseline::stale_note(&stale, &first.out.backstop);
        std::io::stderr().lock().write_all(note.as_bytes())?;
    }
    let fail_on = match args.exit_zero {
        true => FailOn::Never,
        false => args.fail_on.or(cfg.fail_on).unwrap_or(FailOn::Warning),
    };
    Ok(exit::decide(&report, fail_on))
}

/// Config, rules and the scan of one root, fixes attached.
fn scan_root(
    args: &CheckArgs,
    root: crate::roots::ScanRoot,
    outputs: &[(Format, Option<PathBuf>)],
) -> Result<RootScan, RunError> {
    let cfg = load_config(&root.root, args.config.as_deref(), args.no_config)?;
    let set = load_rules(&cfg, &args.rules.rule_dirs)?;
    let active = select_rules(&set, &cfg, &args.select, &args.ignore)?;
    let opts = ScanOptions {
        root: root.root.clone(),
        only: root.only.clone(),
        no_ignore: args.no_ignore,
        max_file_size: max_file_size(args, &cfg)?,
        threads: args.threads.unwrap_or(0).min(MAX_THREADS),
        exclude: exclude_set(&cfg, &args.exclude, &args.extend_exclude)?,
        skip: own_files(&root.root, args, outputs),
    };
    let (out, mut findings) = analyse(&set, &active, &cfg, &opts)?;
    // Fixes ride along on the findings for the JSON, SARIF and Markdown outputs.
    let fix_ctx = crate::fix::context::Ctx {
        facts: &out.facts,
        kinds: &out.kinds,
        opts: &crate::fix::context::FixOptions::default(),
        backstop: &out.backstop,
    };
    crate::fix::attach_sorted(
        &mut findings,
        &fix_ctx,
        &root.root,
        crate::par::threads(opts.threads),
    );
    // The facts served the judgements and the fixes; the report needs none
    // of them, and it is made while they would still be held. (Freeing them
    // on a thread of its own while the report is written saved 10 ms on the
    // benchmark corpus and cost 1.8 MB of peak memory: the report could no
    // longer reuse their memory.)
    let out = ScanOutput {
        facts: Default::default(),
        kinds: Default::default(),
        ..out
    };
    Ok(RootScan {
        root,
        cfg,
        set,
        active,
        out,
        findings,
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
                .map(|r| crate::paths::relative(Path::new(""), r))
        })
        .collect()
}

/// SARIF settings; the files with findings are read again for UTF-16
/// columns only when a SARIF log is written.
fn sarif_options(
    args: &CheckArgs,
    root: &Path,
    report: &Report<'_>,
    outputs: &[(Format, Option<PathBuf>)],
    max_file_size: u64,
) -> Result<report::sarif::SarifOptions, RunError> {
    let category = match args.sarif_category.as_deref().map(str::trim) {
        Some("") => {
            return Err(RunError::Usage(
                "--sarif-category needs a name, such as prisma1-lint".into(),
            ))
        }
        other => other.map(str::to_string),
    };
    let mut opts = report::sarif::SarifOptions {
        include_suppressed: args.sarif_include_suppressed,
        category,
        ..Default::default()
    };
    if outputs.iter().any(|(f, _)| *f == Format::Sarif) {
        let locations = report
            .findings
            .iter()
            .chain(&report.outside_diff)
            .flat_map(|f| {
                std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location))
            });
        opts.columns = report::columns::Utf16Columns::read(root, locations, max_file_size);
    }
    Ok(opts)
}

fn emit(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn Write,
    style: &Style,
    sarif: &report::sarif::SarifOptions,
) -> Result<(), RunError> {
    match format {
        Format::Human => report::human::write(report, out, style)?,
        Format::Concise => report::concise::write(report, out, style)?,
        Format::Json if style.statistics => report::json::write_statistics(report, out)?,
        Format::Json => report::json::write(report, out, style.threads)?,
        Format::Sarif => {
            let written = report::sarif::write(report, sarif, out)?;
            if written.omitted > 0 {
                eprintln!(
                    "prisma1-lint: warning: SARIF log capped at {} results (GitHub's limit per run); {} less severe result(s) left out",
                    sarif.max_results, written.omitted
                );
            }
        }
        Format::Github => report::github::write(report, out)?,
        Format::Markdown => report::markdown::write(report, out)?,
    }
    Ok(())
}

/// Where a location sits, for messages: `path:line:column`.
pub fn at(loc: &Location) -> String {
    format!("{}:{}:{}", loc.path, loc.line, loc.column)
}

/// The whole `check` of `root` with its defaults (its own config, every
/// rule), rendered in `formats` as `check` would write them. For the fuzzer's whole-pipeline target and hostile-input tests.
pub fn check_outputs(root: &Path, formats: &[Format]) -> Result<Vec<Vec<u8>>, RunError> {
    let cfg = load_config(root, None, false)?;
    let set = load_rules(&cfg, &[])?;
    let active = select_rules(&set, &cfg, &[], &[])?;
    let opts = ScanOptions {
        root: root.to_path_buf(),
        only: Vec::new(),
        no_ignore: false,
        max_file_size: cfg.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        threads: 1,
        exclude: cfg.exclude_set(),
        skip: Vec::new(),
    };
    let (out, findings) = analyse(&set, &active, &cfg, &opts)?;
    let report = Report {
        link_base: None,
        findings,
        rules: &set,
        active: active
            .iter()
            .map(|(i, s)| (set.rules[*i].id.clone(), *s))
            .collect(),
        problems: out.problems,
        stats: out.stats,
        elapsed: std::time::Duration::ZERO,
        stale_baseline: 0,
        hidden: 0,
        below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
        outside_diff: Vec::new(),
        root: ".".into(),
        prefix: String::new(),
    };
    let sarif = report::sarif::SarifOptions::default();
    let mut all = Vec::new();
    for format in formats {
        let mut buf = Vec::new();
        let style = report::Style {
            color: false,
            quiet: false,
            width: None,
            statistics: false,
            threads: 1,
        };
        emit(*format, &report, &mut buf, &style, &sarif)?;
        all.push(buf);
    }
    Ok(all)
}
