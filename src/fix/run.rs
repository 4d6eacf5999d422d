//! `prisma1-lint fix`: scan, apply the chosen fixes, rescan, repeat until a
//! round has nothing left to apply (at most [`MAX_ROUNDS`]), then say what was
//! fixed, what the user must still do for unsafe fixes, and what remains.
//! `--diff` runs the same rounds on a scratch copy of the scanned files and
//! prints the result as a unified diff; the repository is not written.

use super::context::{Ctx, FixOptions, Sources};
use super::replacement::Replacement;
use super::{plan, write};
use crate::app::{self, exit::Outcome};
use crate::cli::FixArgs;
use crate::display::{line_start, printable};
use crate::error::RunError;
use crate::finding::{Applicability, Edit};
use crate::finding::{Finding, Severity};
use crate::scan::ScanOptions;
use crate::text::Text;
use std::collections::BTreeSet;

/// Rounds before giving up on fixes that keep producing more.
pub const MAX_ROUNDS: usize = 4;

/// A fix applied (or, with `--diff`, that would be).
struct Applied {
    at: String,
    rule: String,
    description: Text,
    applicability: Applicability,
    action: Option<Text>,
}

/// What a run of rounds did.
#[derive(Default)]
struct Rounds {
    /// Each round's value backstop (the first round's too: a fix may
    /// delete the line that held a value).
    backstops: Vec<crate::mask::Backstop>,
    /// Files the scan could not handle because of a bug (exit 2, as `check`).
    internal_errors: usize,
    applied: Vec<Applied>,
    changed: BTreeSet<String>,
    errors: Vec<String>,
    remaining: Vec<Finding>,
    rounds: usize,
}

/// Everything a round needs besides the tree it works on.
struct Job<'a> {
    set: &'a crate::rules::RuleSet,
    active: &'a [(usize, Severity)],
    cfg: &'a crate::config::Config,
    fopts: &'a FixOptions,
    unsafe_fixes: bool,
}

pub fn run(args: &FixArgs) -> Result<Outcome, RunError> {
    let scan = app::settings::one_root(crate::roots::plan(&args.paths, None)?)?;
    let (root, only) = (scan.root, scan.only);
    // What is printed opens from the current folder, as `check` prints it.
    let prefix = scan.prefix;
    let cfg = app::settings::load_config(&root, args.config.as_deref(), args.no_config)?;
    let set = app::settings::load_rules(&cfg, &args.rules.rule_dirs)?;
    let active = crate::selection::select_rules(&set, &cfg, &args.select, &args.ignore)?;
    let endpoints = args
        .replace_endpoint
        .iter()
        .map(|a| Replacement::parse(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(RunError::Usage)?;
    if !endpoints.is_empty()
        && !active
            .iter()
            .any(|(i, _)| set.rules[*i].id == "cloud-endpoint")
    {
        return Err(RunError::Usage(
            "--replace-endpoint needs the cloud-endpoint rule, which is not selected".into(),
        ));
    }
    let fopts = FixOptions { endpoints };
    let opts = ScanOptions {
        root: root.clone(),
        only,
        no_ignore: args.no_ignore,
        max_file_size: match &args.max_file_size {
            Some(s) => crate::config::parse_size(s).map_err(RunError::Usage)?,
            None => cfg
                .max_file_size
                .unwrap_or(app::settings::DEFAULT_MAX_FILE_SIZE),
        },
        threads: args.threads.unwrap_or(0).min(app::settings::MAX_THREADS),
        exclude: cfg.exclude_set(),
        skip: Vec::new(),
    };
    let job = Job {
        set: &set,
        active: &active,
        cfg: &cfg,
        fopts: &fopts,
        unsafe_fixes: args.unsafe_fixes,
    };
    if args.diff {
        return preview(&job, opts, args, &prefix);
    }
    let done = rounds(&job, &opts, true)?;
    let mut text = Vec::new();
    summary(&mut text, args, &done, &prefix)?;
    print(&mut std::io::stdout().lock(), &text)?;
    if done.internal_errors > 0 {
        return Ok(Outcome::InternalError);
    }
    let threshold = match cfg.fail_on {
        Some(crate::cli::FailOn::Never) => None,
        Some(crate::cli::FailOn::Error) => Some(Severity::Error),
        Some(crate::cli::FailOn::Note) => Some(Severity::Note),
        _ => Some(Severity::Warning),
    };
    let failing = threshold.is_some_and(|t| {
        done.remaining
            .iter()
            .any(|f| f.suppressed.is_none() && f.severity >= t)
    });
    Ok(if failing || !done.errors.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// `--diff`: the same rounds on a copy of the scanned files, then the diff
/// of every changed file against the original. Nothing under the root is written.
fn preview(
    job: &Job<'_>,
    mut opts: ScanOptions,
    args: &FixArgs,
    prefix: &str,
) -> Result<Outcome, RunError> {
    let (mut out, _) = app::analyse::analyse(job.set, job.active, job.cfg, &opts)?;
    let original = std::mem::take(&mut out.backstop);
    let files: BTreeSet<&String> = out.kinds.keys().chain(out.facts.files.keys()).collect();
    let copy = tempfile::tempdir()?;
    for rel in files {
        let Ok(from) = write::checked_path(&opts.root, rel) else {
            continue;
        };
        let to = copy.path().join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(&from, &to)?;
    }
    let root = std::mem::replace(&mut opts.root, copy.path().to_path_buf());
    let mut done = rounds(job, &opts, false)?;
    done.backstops.push(original);
    let mut diff = crate::text::Text::default();
    for rel in &done.changed {
        let old = std::fs::read(root.join(rel))?;
        let new = std::fs::read(copy.path().join(rel))?;
        // Each side's secrets where that side has them, then the values
        // every round met.
        let kind = |b: &[u8]| {
            crate::kind::FileKind::from_path(rel).refine_with_content(&b[..b.len().min(8192)])
        };
        let (old_spans, new_spans) = (
            crate::mask::spans(kind(&old), &old),
            crate::mask::spans(kind(&new), &new),
        );
        diff.push(super::diff::unified(
            rel,
            (&old, &old_spans),
            (&new, &new_spans),
        ));
    }
    for b in &done.backstops {
        diff.mark(b);
    }
    print(&mut std::io::stdout().lock(), diff.masked().as_bytes())?;
    let mut text = Vec::new();
    summary(&mut text, args, &done, prefix)?;
    print(&mut std::io::stderr().lock(), &text)?;
    if done.internal_errors > 0 {
        return Ok(Outcome::InternalError);
    }
    Ok(if done.applied.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Scan, fix, rescan, until a round has nothing to apply.
fn rounds(job: &Job<'_>, opts: &ScanOptions, durable: bool) -> Result<Rounds, RunError> {
    let mut done = Rounds::default();
    loop {
        let (mut out, mut findings) = app::analyse::analyse(job.set, job.active, job.cfg, opts)?;
        let backstop = std::mem::take(&mut out.backstop);
        done.internal_errors = done.internal_errors.max(out.stats.internal_errors);
        let mut src = Sources::new(&opts.root);
        let ctx = Ctx {
            facts: &out.facts,
            kinds: &out.kinds,
            opts: job.fopts,
            backstop: &backstop,
        };
        super::attach(&mut findings, &ctx, &mut src);
        // Earlier rounds' values too: a fix may have removed their place.
        for f in &mut findings {
            for b in &done.backstops {
                f.mark(b);
            }
        }
        done.backstops.push(backstop);
        if done.rounds == 0 {
            refuse_unmatched(job.fopts, &findings)?;
        }
        let chosen: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| wanted(x.applicability, job.unsafe_fixes))
            })
            .collect();
        let fixes: Vec<&crate::finding::Fix> =
            chosen.iter().filter_map(|f| f.fix.as_ref()).collect();
        let (taken, _) = plan::choose(&fixes);
        if taken.is_empty() || done.rounds == MAX_ROUNDS {
            done.remaining = findings;
            return Ok(done);
        }
        done.rounds += 1;
        let mut edits: Vec<Edit> = Vec::new();
        let mut seen: std::collections::HashSet<&Vec<Edit>> = std::collections::HashSet::new();
        for &i in &taken {
            let f = chosen[i];
            let Some(fix) = f.fix.as_ref() else { continue };
            done.applied.push(Applied {
                at: app::at(&f.location),
                rule: f.rule.clone(),
                description: fix.description.clone(),
                applicability: fix.applicability,
                action: fix.action.clone(),
            });
            if seen.insert(&fix.edits) {
                edits.extend(fix.edits.iter().cloned());
            }
        }
        edits.sort();
        for (path, file_edits) in plan::by_file(&edits) {
            // The edits are in the file's own offsets (see `Sources`).
            let Some(old) = src.raw(path).map(<[u8]>::to_vec) else {
                done.errors
                    .push(format!("{path}: cannot be read or edited; skipped"));
                continue;
            };
            let Some(new) = plan::apply(&old, &file_edits) else {
                done.errors
                    .push(format!("{path}: the edits do not fit the file; skipped"));
                continue;
            };
            match write::replace(&opts.root, path, &new, durable) {
                Ok(()) => {
                    done.changed.insert(path.to_string());
                }
                Err(e) => done.errors.push(e),
            }
        }
    }
}

/// Writes `bytes` (built from masked text only).
fn print(out: &mut dyn std::io::Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(bytes)?;
    out.flush()
}

fn wanted(a: Applicability, unsafe_fixes: bool) -> bool {
    match a {
        Applicability::Safe | Applicability::Requested => true,
        Applicability::Unsafe => unsafe_fixes,
    }
}

/// `--replace-endpoint OLD=NEW` where OLD is nowhere to be found is a mistake.
fn refuse_unmatched(opts: &FixOptions, findings: &[Finding]) -> Result<(), RunError> {
    for r in &opts.endpoints {
        let found = findings.iter().any(|f| {
            f.fix.as_ref().is_some_and(|x| {
                x.applicability == Applicability::Requested
                    && x.description.masked().contains(&r.given)
            })
        });
        if !found {
            return Err(RunError::Usage(format!(
                "--replace-endpoint: {} matches nothing that the scan found (check the URL, or the paths given)",
                r.given
            )));
        }
    }
    Ok(())
}

fn summary(
    out: &mut dyn std::io::Write,
    args: &FixArgs,
    done: &Rounds,
    prefix: &str,
) -> std::io::Result<()> {
    let verb = if args.diff { "Would fix" } else { "Fixed" };
    if done.applied.is_empty() {
        writeln!(out, "Nothing to fix.")?;
    } else {
        let in_rounds = if done.rounds > 1 {
            format!(" in {} rounds", done.rounds)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{verb} {}{in_rounds}:",
            count(done.applied.len(), "finding")
        )?;
        for a in &done.applied {
            let tag = match a.applicability {
                Applicability::Unsafe => " (unsafe)",
                _ => "",
            };
            writeln!(
                out,
                "  {} {}: {}{tag}",
                line_start(&format!("{prefix}{}", a.at)),
                a.rule,
                printable(&a.description.masked())
            )?;
        }
        let files: Vec<&str> = done.changed.iter().map(String::as_str).collect();
        let label = if args.diff {
            "Files to change"
        } else {
            "Files changed"
        };
        writeln!(out, "{label} ({}):", files.len())?;
        for f in files {
            writeln!(out, "  {}", line_start(&format!("{prefix}{f}")))?;
        }
    }
    // Advice the run has just followed goes: a login removed from a file
    // whose commands this run gave the secret needs only its key deleted.
    let file_of = |at: &str| at.split(':').next().unwrap_or_default().to_string();
    let secret_given: BTreeSet<String> = done
        .applied
        .iter()
        .filter(|a| a.rule == "missing-management-secret")
        .map(|a| file_of(&a.at))
        .collect();
    let actions: BTreeSet<String> = done
        .applied
        .iter()
        .filter_map(|a| {
            let action = a.action.as_ref().map(Text::masked)?;
            Some(match secret_given.contains(&file_of(&a.at)) {
                true => action
                    .split_once("(see missing-management-secret), then ")
                    .map_or(action.clone(), |(_, rest)| rest.to_string()),
                false => action,
            })
        })
        .collect();
    // The rescan decides: a copy of OLD still reported was not replaced.
    for given in &args.replace_endpoint {
        let Ok(r) = Replacement::parse(given) else {
            continue;
        };
        let left: Vec<String> = done
            .remaining
            .iter()
            .filter(|f| f.rule == "cloud-endpoint" && !r.hits(&f.snippet.masked()).is_empty())
            .map(|f| printable(&format!("{prefix}{}", app::at(&f.location))).into_owned())
            .collect();
        if !left.is_empty() {
            writeln!(
                out,
                "{} is still reported at {} (a form `fix` does not rewrite): edit it by hand.",
                printable(&r.given),
                left.join(", ")
            )?;
        }
    }
    if !actions.is_empty() {
        writeln!(out, "You must also (the unsafe fixes depend on it):")?;
        for a in actions {
            writeln!(out, "  - {}", printable(&a))?;
        }
    }
    let color = crate::terminal::color(
        args.color,
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
        |k| std::env::var(k).ok(),
    );
    let error = if color {
        "\u{1b}[1;31merror\u{1b}[0m"
    } else {
        "error"
    };
    for e in &done.errors {
        // Paths and the tool's words.
        writeln!(out, "{error}: {}", printable(e))?;
    }
    let active: Vec<&Finding> = done
        .remaining
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let (problems, notes): (Vec<&Finding>, Vec<&Finding>) =
        active.iter().partition(|f| f.severity >= Severity::Warning);
    let unsafe_left = problems
        .iter()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Unsafe)
        })
        .count();
    if problems.is_empty() {
        writeln!(out, "No errors or warnings remain.")?;
    } else {
        let errors = problems
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let levels: Vec<String> = [(errors, "error"), (problems.len() - errors, "warning")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| count(n, w))
            .collect();
        write!(out, "Remaining: {}", levels.join(", "))?;
        if unsafe_left > 0 && !args.unsafe_fixes {
            write!(
                out,
                " ({unsafe_left} with an unsafe fix: `prisma1-lint fix --unsafe` applies it)"
            )?;
        }
        writeln!(out)?;
        for f in problems.iter().filter(|_| !args.quiet) {
            writeln!(
                out,
                "  {} {}: {}",
                line_start(&format!("{prefix}{}", app::at(&f.location))),
                f.rule,
                printable(&f.message.masked())
            )?;
        }
    }
    if !notes.is_empty() {
        writeln!(
            out,
            "{} (Prisma 1 still in use) not listed: `prisma1-lint check` shows them.",
            count(notes.len(), "note")
        )?;
    }
    Ok(())
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
