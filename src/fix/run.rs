//! `prisma1-lint fix`: scan, apply the chosen fixes, rescan, repeat until a
//! round has nothing left to apply (at most [`MAX_ROUNDS`]), then say what was
//! fixed, what the user must still do for unsafe fixes, and what remains.
//! `--diff` prints the first round as a unified diff and writes nothing.

use super::endpoint::Replacement;
use super::{plan, write, Applicability, Ctx, Edit, FixOptions, Sources};
use crate::app::{self, Outcome, RunError};
use crate::cli::FixArgs;
use crate::finding::{Finding, Severity};
use crate::scan::ScanOptions;
use std::collections::BTreeSet;
use std::io::Write as _;

/// Rounds before giving up on fixes that keep producing more.
pub const MAX_ROUNDS: usize = 4;

/// A fix applied (or, with `--diff`, that would be).
struct Applied {
    at: String,
    rule: String,
    description: String,
    applicability: Applicability,
    action: Option<String>,
}

pub fn run(args: &FixArgs) -> Result<Outcome, RunError> {
    let (root, only) = app::resolve_paths(&args.paths, None)?;
    let cfg = app::load_config(&root, args.config.as_deref(), args.no_config)?;
    let set = app::load_rules(&cfg, &args.rules.rule_dirs)?;
    let active = app::select_rules(&set, &cfg, &args.select, &args.ignore)?;
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
        max_file_size: cfg.max_file_size.unwrap_or(app::DEFAULT_MAX_FILE_SIZE),
        threads: args.threads.unwrap_or(0),
        exclude: cfg.exclude_set(),
        skip: Vec::new(),
    };
    let mut applied: Vec<Applied> = Vec::new();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    let mut errors: Vec<String> = Vec::new();
    let mut diff = String::new();
    let mut deferred = 0;
    let mut rounds = 0;
    let remaining = loop {
        let (out, mut findings) = app::analyse(&set, &active, &cfg, &opts)?;
        let mut src = Sources::new(&root);
        let ctx = Ctx {
            facts: &out.facts,
            kinds: &out.kinds,
            opts: &fopts,
        };
        super::attach(&mut findings, &ctx, &mut src);
        if rounds == 0 {
            refuse_unmatched(&fopts, &findings)?;
        }
        let chosen: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| wanted(x.applicability, args.unsafe_fixes))
            })
            .collect();
        let fixes: Vec<&super::Fix> = chosen.iter().filter_map(|f| f.fix.as_ref()).collect();
        let (taken, later) = plan::choose(&fixes);
        if taken.is_empty() || rounds == MAX_ROUNDS {
            break findings;
        }
        rounds += 1;
        deferred = later;
        let mut edits: Vec<Edit> = Vec::new();
        let mut seen: Vec<&Vec<Edit>> = Vec::new();
        for &i in &taken {
            let f = chosen[i];
            let Some(fix) = f.fix.as_ref() else { continue };
            applied.push(Applied {
                at: app::at(&f.location),
                rule: f.rule.clone(),
                description: fix.description.clone(),
                applicability: fix.applicability,
                action: fix.action.clone(),
            });
            if !seen.contains(&&fix.edits) {
                seen.push(&fix.edits);
                edits.extend(fix.edits.iter().cloned());
            }
        }
        edits.sort();
        for (path, file_edits) in plan::by_file(&edits) {
            let Some(old) = src.get(path).map(<[u8]>::to_vec) else {
                errors.push(format!("{path}: cannot be read or edited; skipped"));
                continue;
            };
            let Some(new) = plan::apply(&old, &file_edits) else {
                errors.push(format!("{path}: the edits do not fit the file; skipped"));
                continue;
            };
            if args.diff {
                diff.push_str(&super::diff::unified_edits(path, &old, &file_edits));
                changed.insert(path.to_string());
                continue;
            }
            match write::replace(&root, path, &new) {
                Ok(()) => {
                    changed.insert(path.to_string());
                }
                Err(e) => errors.push(e),
            }
        }
        if args.diff {
            break findings;
        }
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    if args.diff {
        lock.write_all(crate::redact::scrub(&diff).as_bytes())?;
        lock.flush()?;
        let mut err = std::io::stderr().lock();
        summary(
            &mut err, args, &applied, &changed, &errors, deferred, rounds, &remaining,
        )?;
        return Ok(if applied.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Findings
        });
    }
    summary(
        &mut lock, args, &applied, &changed, &errors, deferred, rounds, &remaining,
    )?;
    lock.flush()?;
    let threshold = match cfg.fail_on {
        Some(crate::cli::FailOn::Never) => None,
        Some(crate::cli::FailOn::Error) => Some(Severity::Error),
        Some(crate::cli::FailOn::Note) => Some(Severity::Note),
        _ => Some(Severity::Warning),
    };
    let failing = threshold.is_some_and(|t| {
        remaining
            .iter()
            .any(|f| f.suppressed.is_none() && f.severity >= t)
    });
    Ok(if failing || !errors.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
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
                x.applicability == Applicability::Requested && x.description.contains(&r.given)
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

#[allow(clippy::too_many_arguments)]
fn summary(
    out: &mut dyn std::io::Write,
    args: &FixArgs,
    applied: &[Applied],
    changed: &BTreeSet<String>,
    errors: &[String],
    deferred: usize,
    rounds: usize,
    remaining: &[Finding],
) -> std::io::Result<()> {
    let verb = if args.diff { "Would fix" } else { "Fixed" };
    if applied.is_empty() {
        writeln!(out, "Nothing to fix.")?;
    } else {
        let in_rounds = if rounds > 1 {
            format!(" in {rounds} rounds")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{verb} {}{in_rounds}:",
            count(applied.len(), "finding")
        )?;
        for a in applied {
            let tag = match a.applicability {
                Applicability::Unsafe => " (unsafe)",
                _ => "",
            };
            writeln!(out, "  {} {}: {}{tag}", a.at, a.rule, a.description)?;
        }
        let files: Vec<&str> = changed.iter().map(String::as_str).collect();
        let label = if args.diff {
            "Files to change"
        } else {
            "Files changed"
        };
        writeln!(out, "{label}: {}", files.join(", "))?;
    }
    if args.diff && deferred > 0 {
        writeln!(
            out,
            "{} more overlap these and would follow in a later round.",
            count(deferred, "fix")
        )?;
    }
    let actions: BTreeSet<&str> = applied.iter().filter_map(|a| a.action.as_deref()).collect();
    if !actions.is_empty() {
        writeln!(out, "You must also (the unsafe fixes depend on it):")?;
        for a in actions {
            writeln!(out, "  - {}", crate::redact::scrub(a))?;
        }
    }
    for e in errors {
        writeln!(out, "error: {}", crate::redact::scrub(e))?;
    }
    let active: Vec<&Finding> = remaining
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    if args.diff {
        return Ok(());
    }
    if active.is_empty() {
        writeln!(out, "No findings remain.")?;
        return Ok(());
    }
    let unsafe_left = active
        .iter()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Unsafe)
        })
        .count();
    write!(out, "Remaining: {}", count(active.len(), "finding"))?;
    if unsafe_left > 0 && !args.unsafe_fixes {
        write!(
            out,
            " ({unsafe_left} with an unsafe fix: `prisma1-lint fix --unsafe` applies it)"
        )?;
    }
    writeln!(out)?;
    for f in active {
        writeln!(out, "  {} {}: {}", app::at(&f.location), f.rule, f.message)?;
    }
    Ok(())
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if word.ends_with('x') {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}
