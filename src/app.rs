//! One scan, from validated settings to an exit code: load config and rules,
//! walk, apply suppressions and filters, hand the report to the reporters.

use crate::cli::{CheckArgs, Color, FailOn, Format};
use crate::config::{self, Config};
use crate::diagnostic::FileError;
use crate::engine::Engine;
use crate::finding::{Finding, Location, Severity, Suppression};
use crate::report::{self, Report, Style};
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
    let outside = || {
        RunError::Usage(format!(
            "{} is outside the scan root {}; give a --root that holds every path (for example `--root .` from the repository's top folder)",
            p.display(),
            root.display()
        ))
    };
    let lexical = (!p.is_absolute() && !root.is_absolute())
        .then(|| p.strip_prefix(root).ok())
        .flatten()
        .filter(|r| {
            !r.components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        });
    let rel = match lexical {
        Some(r) => r.to_path_buf(),
        // `../x`, an absolute path, or a relative one not spelt under the root:
        // compare where they really are.
        None => {
            let (rc, pc) = (std::fs::canonicalize(root)?, std::fs::canonicalize(p)?);
            pc.strip_prefix(&rc)
                .map(Path::to_path_buf)
                .map_err(|_| outside())?
        }
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
                    findings.push(suppression_finding(ar, s));
                }
            }
        }
    }
    out.secrets = crate::redact::Secrets::from_facts(&out.facts);
    for f in &mut findings {
        // Where the region sits in the snippet once redacted: the redacted
        // text of everything before its start and its end (a secret cut by
        // the boundary only shifts the underline, it is never printed).
        let (start, end) = f
            .snippet_span
            .unwrap_or_else(|| column_span(&f.snippet, &f.location));
        let redacted_len = |upto: usize| {
            f.snippet
                .get(..upto)
                .map(|t| out.secrets.redact(&crate::redact::scrub(t)).len())
        };
        let span = redacted_len(start).zip(redacted_len(end));
        out.secrets.finding(f);
        crate::finding::bound_texts(f);
        f.snippet_span = span.map(|(s, e)| {
            let n = f.snippet.len();
            (s.min(n), e.clamp(s.min(n), n))
        });
    }
    findings.sort();
    cap_per_rule_and_file(&mut findings, &mut out.problems);
    Ok((out, findings))
}

/// At most [`crate::engine::regex::MAX_PER_RULE_FILE`] findings of one rule
/// in one file, whichever matcher made them (commands too); the rest are
/// counted in a note. `findings` is sorted by path first.
fn cap_per_rule_and_file(findings: &mut Vec<Finding>, problems: &mut Vec<scan::Problem>) {
    let max = crate::engine::regex::MAX_PER_RULE_FILE;
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    findings.retain(|f| {
        let n = count
            .entry((f.location.path.clone(), f.rule.clone()))
            .or_default();
        *n += 1;
        *n <= max
    });
    for ((path, rule), _) in count.into_iter().filter(|(_, n)| *n > max) {
        let message = format!(
            "more than {max} findings of `{rule}` in this file; only the first {max} are reported"
        );
        if !problems
            .iter()
            .any(|p| p.path == path && p.message.contains(&format!("`{rule}`")))
        {
            problems.push(scan::Problem { path, message });
        }
    }
    problems.sort();
}

/// Byte range of `loc`'s columns in `snippet`, whose first line is the
/// location's whole first line (the snippets of structured matchers).
fn column_span(snippet: &str, loc: &Location) -> (usize, usize) {
    let first = snippet.split('\n').next().unwrap_or("");
    let byte_at = |line: &str, col: usize| {
        line.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
    };
    let start = byte_at(first, loc.column);
    let end = if loc.is_single_line() {
        byte_at(first, loc.end_column)
    } else {
        // The last line of the region, counted from the snippet's start.
        let lines = loc.end_line - loc.line;
        let mut offset = 0;
        let mut last = first;
        for (i, l) in snippet.split('\n').enumerate() {
            if i == lines {
                last = l;
                break;
            }
            offset += l.len() + 1;
        }
        (offset + byte_at(last, loc.end_column)).min(snippet.len())
    };
    (start, end.max(start))
}

/// A finding about a suppression comment: the comment's line as its snippet,
/// and for a missing reason, the comment rewritten in the file's own syntax.
fn suppression_finding(
    ar: &crate::engine::ActiveRule<'_>,
    s: &crate::suppress::InlineSuppression,
) -> Finding {
    let ids = if s.rules.is_empty() {
        "every rule".to_string()
    } else {
        s.rules.join(", ")
    };
    // The comment starts at its leader (`#`, `//`, `/*`, `<!--`).
    let from = s
        .line
        .char_indices()
        .nth(s.location.column.saturating_sub(1))
        .map_or(s.line.len(), |(i, _)| i);
    let leader = ["<!--", "/*", "//", "#"]
        .into_iter()
        .find(|l| s.line[from..].starts_with(l))
        .unwrap_or("#");
    let closer = match leader {
        "<!--" => " -->",
        "/*" => " */",
        _ => "",
    };
    let bracket = if s.rules.is_empty() {
        String::new()
    } else {
        format!("[{}]", s.rules.join(","))
    };
    let example = format!("{leader} prisma1-lint: ignore{bracket} <reason>{closer}");
    let message = ar.rule.message.render(|n| match n {
        "rules" => Some(ids.as_str()),
        "example" => Some(example.as_str()),
        _ => None,
    });
    let label = ar.rule.label.render(|n| match n {
        "rules" => Some(ids.as_str()),
        "example" => Some(example.as_str()),
        _ => None,
    });
    // A hostile file may hold a megabyte line: quote from the comment on.
    let (snippet, span) = if s.line.len() > crate::engine::regex::MAX_SNIPPET {
        let mut end = (from + crate::engine::regex::MAX_SNIPPET).min(s.line.len());
        while !s.line.is_char_boundary(end) {
            end -= 1;
        }
        (s.line[from..end].to_string(), (0, end - from))
    } else {
        let end = s.line.trim_end().len().max(from);
        (s.line.clone(), (from, end))
    };
    Finding {
        location: s.location.clone(),
        rule: ar.rule.id.clone(),
        severity: ar.severity,
        message,
        snippet,
        matched: format!("suppression {ids}"),
        related: Vec::new(),
        suppressed: None,
        mention: false,
        confidence: None,
        origin: crate::finding::Origin::Code,
        label,
        snippet_span: Some(span),
        fix: None,
    }
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
    if args.statistics
        && !outputs
            .iter()
            .any(|(f, _)| matches!(f, Format::Human | Format::Concise))
    {
        return Err(RunError::Usage(
            "--statistics works with --format human or concise".into(),
        ));
    }
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
    // Fixes ride along on the findings for the JSON, SARIF and Markdown outputs.
    let fix_ctx = crate::fix::Ctx {
        facts: &out.facts,
        kinds: &out.kinds,
        opts: &crate::fix::FixOptions::default(),
    };
    crate::fix::attach(
        &mut findings,
        &fix_ctx,
        &mut crate::fix::Sources::new(&root),
    );
    let mut hidden = 0;
    let mut stale = Vec::new();
    let mut outside_diff = Vec::new();
    if let Some(path) = &args.write_baseline {
        let n = crate::baseline::write(path, &findings)?;
        let entries = if n == 1 { "entry" } else { "entries" };
        eprintln!("wrote {n} {entries} to {}", path.display());
        if out.stats.internal_errors > 0 {
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
            (Some(base), _) => crate::diff::from_git(&root, base).map_err(RunError::Usage)?,
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
        stale_baseline: stale.len(),
        hidden,
        outside_diff,
    };
    let sarif = sarif_options(args, &root, &report, &outputs, max_file_size)?;
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let style = Style {
        color,
        quiet: args.quiet,
        width: terminal_width(),
        statistics: args.statistics,
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
                let buf = out.secrets.redact_bytes(&buf);
                std::fs::write(path, buf).map_err(|e| {
                    RunError::Usage(format!("cannot write {}: {e}", path.display()))
                })?;
            }
            None => {
                // Through a buffer: the last redaction layer sees every byte.
                let mut buf = Vec::new();
                emit(*format, &report, &mut buf, &style, &sarif)?;
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                lock.write_all(&out.secrets.redact_bytes(&buf))?;
                lock.flush()?;
            }
        }
    }
    if !stale.is_empty() && !args.quiet {
        let note = crate::baseline::stale_note(&stale, |s| out.secrets.redact(s));
        std::io::stderr().lock().write_all(note.as_bytes())?;
    }
    if report.stats.internal_errors > 0 {
        return Ok(Outcome::InternalError);
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
        let format = Format::from_str(name, true).map_err(|_| RunError::Usage(format!("unknown output format `{name}` in --output {o}; expected human, concise, json, sarif, github or markdown")))?;
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
        Format::Json => report::json::write(report, out)?,
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

/// Columns to wrap terminal output to: `COLUMNS`, else the terminal's
/// width; `None` when standard output is not a terminal (never wrap).
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .map(|w| w.clamp(40, 400))
}

/// Where a location sits, for messages: `path:line:column`.
pub fn at(loc: &Location) -> String {
    format!("{}:{}:{}", loc.path, loc.line, loc.column)
}

/// The whole `check` of `root` with its defaults (its own config, every
/// rule), rendered in `formats` as `check` would write them, redaction
/// included. For the fuzzer's whole-pipeline target and hostile-input tests.
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
        outside_diff: Vec::new(),
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
        };
        emit(*format, &report, &mut buf, &style, &sarif)?;
        all.push(out.secrets.redact_bytes(&buf));
    }
    Ok(all)
}
