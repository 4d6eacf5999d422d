//! The run: scan with the selected rules, then everything that turns what
//! the scan met into the findings a report shows (once-per-folder rules,
//! suppressions, the value backstop, bounds, order, the cap per file).

use crate::config::Config;
use crate::engine::Engine;
use crate::error::RunError;
use crate::finding::{Finding, Location, Severity, Suppression};
use crate::rules::{Matcher, RuleSet, SuppressionProblem};
use crate::scan::{self, ScanOptions, ScanOutput};
use crate::text::{RepoText, Text};
use std::collections::BTreeMap;

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
            .find(|s| s.rule == f.rule && s.paths.is_match(&*f.location.path))
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
    let finish = |part: &mut [Finding]| {
        for f in part {
            if f.snippet_span.is_none() {
                f.snippet_span = Some(column_span(&f.snippet, &f.location));
            }
            f.mark(&out.backstop);
            crate::finding::bound_texts(f);
        }
    };
    // Each finding on its own, so in parts on the scan's threads.
    let threads = if findings.len() < 128 {
        1
    } else {
        crate::par::threads(opts.threads)
    };
    let size = findings.len().div_ceil(threads).max(1);
    crate::par::each_part(findings.chunks_mut(size).collect(), finish);
    findings.sort();
    cap_per_rule_and_file(&mut findings, &mut out.problems);
    Ok((out, findings))
}

/// At most [`crate::engine::regex::MAX_PER_RULE_FILE`] findings of one rule
/// in one file, whichever matcher made them (commands too); the rest are
/// counted in a note. `findings` is sorted by path first.
fn cap_per_rule_and_file(findings: &mut Vec<Finding>, problems: &mut Vec<scan::Problem>) {
    let max = crate::engine::regex::MAX_PER_RULE_FILE;
    let mut count: BTreeMap<(std::sync::Arc<str>, String), usize> = BTreeMap::new();
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
            .any(|p| *p.path == *path && p.message.contains(&format!("`{rule}`")))
        {
            problems.push(scan::Problem {
                path: path.to_string(),
                message,
            });
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
    ar: &crate::engine::active::ActiveRule<'_>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panics::TRIP_FILE;

    #[test]
    fn a_panic_in_one_file_is_an_internal_error_and_the_scan_goes_on() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join(TRIP_FILE),
            "https://eu1.prisma.sh/w/s/dev\n",
        )?;
        std::fs::write(
            dir.path().join("ok.yml"),
            "endpoint: https://eu1.prisma.sh/w/s/dev\n",
        )?;
        let set = crate::rules::RuleSet::builtin().map_err(std::io::Error::other)?;
        let cfg = crate::config::Config::default();
        let active =
            crate::selection::select_rules(&set, &cfg, &[], &[]).map_err(std::io::Error::other)?;
        let opts = crate::scan::ScanOptions {
            root: dir.path().to_path_buf(),
            only: Vec::new(),
            no_ignore: false,
            max_file_size: 1 << 20,
            threads: 1,
            exclude: None,
            skip: Vec::new(),
        };
        let (out, findings) = analyse(&set, &active, &cfg, &opts).map_err(std::io::Error::other)?;
        assert_eq!(out.stats.internal_errors, 1);
        assert!(
            out.problems
                .iter()
                .any(|p| p.path == TRIP_FILE && p.message.contains("internal error")),
            "{:?}",
            out.problems
        );
        assert!(findings.iter().any(|f| &*f.location.path == "ok.yml"));
        assert!(!findings.iter().any(|f| &*f.location.path == TRIP_FILE));
        Ok(())
    }
}
