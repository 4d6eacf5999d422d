//! One scan, from validated settings to an exit code: load config and rules,
//! walk, apply suppressions and filters, hand the report to the reporters.

use crate::cli::{CheckArgs, Color, FailOn, Format};
use crate::config::{self, Config};
use crate::diagnostic::FileError;
use crate::engine::Engine;
use crate::finding::{Confidence, Finding, Location, Severity, Suppression};
use crate::report::{self, Report, Style};
use crate::rules::{Matcher, RuleSet, SuppressionProblem};
use crate::scan::{self, ScanOptions, ScanOutput};
use crate::text::{RepoText, Text};
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
    /// Shown through `display::printable`: it may name a file of the repository.
    #[error("{}", crate::display::printable(.0))]
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

/// Where the scan is rooted and which part of it is reported, for
/// commands that take paths of one repository (see [`crate::roots::plan`]).
pub fn resolve_paths(
    paths: &[PathBuf],
    root: Option<&Path>,
) -> Result<(PathBuf, Vec<String>), RunError> {
    let one = one_root(crate::roots::plan(paths, root)?)?;
    Ok((one.root, one.only))
}

/// The one root of `roots`, or an error naming them.
pub fn one_root(
    mut roots: Vec<crate::roots::ScanRoot>,
) -> Result<crate::roots::ScanRoot, RunError> {
    if roots.len() > 1 {
        let names: Vec<String> = roots.iter().map(|r| r.shown()).collect();
        return Err(RunError::Usage(format!(
            "the paths lie in several repositories ({}); give the paths of one at a time",
            names.join(", ")
        )));
    }
    roots
        .pop()
        .ok_or_else(|| RunError::Usage("nothing to scan".into()))
}

pub use crate::selection::select_rules;

/// Loads the config: `--config`, else `.prisma1-lint.yml` at the root, as
/// `check` and `fix` do on the user's own repository (see [`load_config_as`]).
pub fn load_config(
    root: &Path,
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<Config, RunError> {
    load_config_as(root, explicit, disabled, true)
}

/// [`load_config`]. With `own_repo` (`check`, `fix`; not `audit`, whose
/// repositories are anyone's), outside CI, the repository's config is the
/// user's own: its errors show the line they point at. A config that is a
/// symbolic link (to a `.env`, say) or read in CI echoes only the offending
/// token, whatever it is.
pub fn load_config_as(
    root: &Path,
    explicit: Option<&Path>,
    disabled: bool,
    own_repo: bool,
) -> Result<Config, RunError> {
    if disabled {
        return Ok(Config::default());
    }
    let users_own =
        |p: &Path| own_repo && !in_ci() && std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    match explicit {
        // A --config file inside the repository is the repository's (CI often
        // passes one); outside it, it is the user's own.
        Some(p) => {
            let repo = crate::fsread::inside(root, p).is_ok().then_some(root);
            Ok(Config::load_as(p, repo, users_own(p))?)
        }
        None => {
            let p = root.join(config::FILE_NAME);
            // symlink_metadata: a dangling link is still the repository's config.
            if std::fs::symlink_metadata(&p).is_ok() {
                Ok(Config::load_as(&p, Some(root), users_own(&p))?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// Running in CI (`CI` or `GITHUB_ACTIONS` set, not `false`): logs may be
/// public, so repository text stays out of error messages.
pub fn in_ci() -> bool {
    ["CI", "GITHUB_ACTIONS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false")))
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
    for ar in engine
        .rules
        .iter()
        .filter(|ar| !ar.rule.once_per_folder.is_empty())
    {
        crate::engine::once_per_folder(
            &ar.rule.id,
            &ar.rule.once_per_folder,
            &opts.root,
            &mut findings,
        );
    }
    let used = crate::suppress::apply(&mut findings, &out.suppressions);
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        if let Some(s) = cfg
            .suppress
            .iter()
            .find(|s| s.rule == f.rule && s.paths.is_match(&f.location.path))
        {
            f.suppressed = Some(Suppression {
                kind: "external".into(),
                justification: Text::repo(RepoText::parsed(&s.reason)),
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
    // The value backstop: every secret value the scan met, kept when
    // secret-shaped, masked wherever else it appears in repository text.
    let mut values = std::mem::take(&mut out.secret_values);
    values.extend(crate::facts::secrets::values(&out.facts));
    out.backstop = crate::mask::Backstop::new(values);
    for f in &mut findings {
        if f.snippet_span.is_none() {
            f.snippet_span = Some(column_span(&f.snippet, &f.location));
        }
        f.mark(&out.backstop);
        crate::finding::bound_texts(f);
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
fn column_span(snippet: &crate::text::RepoText, loc: &Location) -> (usize, usize) {
    let start = snippet.offset_of(0, loc.column);
    let end = if loc.is_single_line() {
        snippet.offset_of(0, loc.end_column)
    } else {
        // The last line of the region, counted from the snippet's start.
        snippet.offset_of(loc.end_line - loc.line, loc.end_column)
    };
    (start, end.max(start))
}

/// A finding about a suppression comment: the comment's line as its snippet,
/// and for a missing reason, the comment rewritten in the file's own syntax.
fn suppression_finding(
    ar: &crate::engine::ActiveRule<'_>,
    s: &crate::suppress::InlineSuppression,
) -> Finding {
    // The rule ids are the comment's: repository text.
    let ids = if s.rules.is_empty() {
        Text::tool("every rule")
    } else {
        Text::repo(RepoText::name(&s.rules.join(", ")))
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
    let mut example = Text::tool(format!("{leader} prisma1-lint: ignore"));
    if !s.rules.is_empty() {
        example.push_tool("[");
        example.push_repo(RepoText::name(&s.rules.join(",")));
        example.push_tool("]");
    }
    example.push_tool(&format!(" <reason>{closer}"));
    let lookup = |n: &str| match n {
        "rules" => Some(ids.clone()),
        "example" => Some(example.clone()),
        _ => None,
    };
    let message = ar.rule.message.render_text(lookup);
    let label = ar.rule.label.render_text(lookup);
    // A hostile file may hold a megabyte line: quote from the comment on.
    let (snippet, span) = if s.line.len() > crate::engine::regex::MAX_SNIPPET {
        let mut end = (from + crate::engine::regex::MAX_SNIPPET).min(s.line.len());
        while !s.line.is_char_boundary(end) {
            end -= 1;
        }
        let clipped = RepoText::parsed(&s.line[from..end]);
        (clipped, (0, end - from))
    } else {
        let end = s.line.trim_end().len().max(from);
        (RepoText::parsed(&s.line), (from, end))
    };
    let mut matched = Text::tool("suppression ");
    matched.push(ids.clone());
    Finding {
        location: s.location.clone(),
        rule: ar.rule.id.clone(),
        severity: ar.severity,
        message,
        snippet,
        matched,
        related: Vec::new(),
        suppressed: None,
        mention: false,
        confidence: None,
        origin: crate::finding::Origin::Code,
        label,
        snippet_span: Some(span),
        notes: Vec::new(),
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
    let color = crate::outputs::color(
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
    if report.stats.internal_errors > 0 {
        return Ok(Outcome::InternalError);
    }
    let fail_on = match args.exit_zero {
        true => FailOn::Never,
        false => args.fail_on.or(cfg.fail_on).unwrap_or(FailOn::Warning),
    };
    let threshold = fail_threshold(fail_on);
    let failing = threshold.is_some_and(|t| report.active_findings().any(|f| f.severity >= t));
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
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
    let fix_ctx = crate::fix::Ctx {
        facts: &out.facts,
        kinds: &out.kinds,
        opts: &crate::fix::FixOptions::default(),
        backstop: &out.backstop,
    };
    crate::fix::attach(
        &mut findings,
        &fix_ctx,
        &mut crate::fix::Sources::new(&root.root),
    );
    // The facts served the judgements and the fixes; the report needs none
    // of them, and it is made while they would still be held.
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

fn max_file_size(args: &CheckArgs, cfg: &Config) -> Result<u64, RunError> {
    match &args.max_file_size {
        Some(s) => config::parse_size(s).map_err(RunError::Usage),
        None => Ok(cfg.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)),
    }
}

/// The files never scanned: `--exclude` in place of the config's
/// `exclude:`, `--extend-exclude` on top of either (ruff's pair).
pub fn exclude_set(
    cfg: &Config,
    exclude: &[String],
    extend: &[String],
) -> Result<Option<globset::GlobSet>, RunError> {
    let base = if exclude.is_empty() {
        &cfg.exclude
    } else {
        exclude
    };
    if base.is_empty() && extend.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in base.iter().chain(extend) {
        let glob = globset::Glob::new(g.trim())
            .map_err(|e| RunError::Usage(format!("bad exclude glob `{g}`: {e}")))?;
        b.add(glob);
    }
    b.build()
        .map(Some)
        .map_err(|e| RunError::Usage(format!("bad exclude globs: {e}")))
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
        };
        emit(*format, &report, &mut buf, &style, &sarif)?;
        all.push(buf);
    }
    Ok(all)
}
