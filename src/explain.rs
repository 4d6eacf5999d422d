//! `prisma1-lint rules` and `prisma1-lint explain RULE`.

use crate::app::{self, RunError};
use crate::cli::{RuleSource, RulesArgs};
use crate::config::Config;
use std::io::Write;

pub fn list(args: &RulesArgs) -> Result<(), RunError> {
    let set = app::load_rules(&Config::default(), &args.rules.rule_dirs)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = set
            .rules
            .iter()
            .map(|r| {
                let patterns: Vec<&str> = r
                    .matchers
                    .iter()
                    .filter_map(|m| match m {
                        crate::rules::Matcher::Regex(rm) => Some(rm.regex.as_str()),
                        _ => None,
                    })
                    .collect();
                serde_json::json!({
                    "id": r.id, "severity": r.severity.as_str(), "title": r.title, "tags": r.tags,
                    "keywords": r.keywords, "patterns": patterns,
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).map_err(std::io::Error::other)?
        )?;
        return Ok(());
    }
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &set.rules {
        writeln!(
            out,
            "{:width$}  {:7}  {}",
            r.id,
            r.severity.as_str(),
            r.title
        )?;
    }
    Ok(())
}

pub fn explain(id: &str, src: &RuleSource) -> Result<(), RunError> {
    let set = app::load_rules(&Config::default(), &src.rule_dirs)?;
    let Some(r) = set.get(id) else {
        return Err(RunError::Usage(format!(
            "unknown rule id `{id}` (see `prisma1-lint rules`)"
        )));
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} ({})\n{}\n", r.id, r.severity, r.title)?;
    writeln!(out, "What it finds\n  {}\n", indent(&r.summary))?;
    writeln!(out, "Why it breaks\n  {}\n", indent(&r.why))?;
    writeln!(out, "What to do\n  {}\n", indent(&r.help))?;
    if !r.references.is_empty() {
        writeln!(out, "References")?;
        for u in &r.references {
            writeln!(out, "  - {u}")?;
        }
    }
    Ok(())
}

fn indent(s: &str) -> String {
    s.trim().replace('\n', "\n  ")
}
