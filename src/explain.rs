//! `prisma1-lint rules` and `prisma1-lint explain RULE`.

use crate::app;
use crate::cli::{RuleSource, RulesArgs};
use crate::config::Config;
use crate::error::RunError;
use std::io::Write;

pub fn list(args: &RulesArgs) -> Result<(), RunError> {
    let set = app::settings::load_rules(&Config::default(), &args.rules.rule_dirs)?;
    let mut out = std::io::stdout().lock();
    if args.json || args.format == Some(crate::cli::RulesFormat::Json) {
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
    let set = app::settings::load_rules(&Config::default(), &src.rule_dirs)?;
    let Some(r) = set.get(id.trim()) else {
        return Err(RunError::Usage(crate::selection::unknown_rule(&set, id)));
    };
    let mut out = std::io::stdout().lock();
    out.write_all(render(r, crate::terminal::width()).as_bytes())?;
    Ok(())
}

/// The text of `explain`, wrapped to `width` at spaces (never inside a URL
/// or a path); `None` keeps each paragraph on one line, for pipes.
pub fn render(r: &crate::rules::Rule, width: Option<usize>) -> String {
    let mut s = format!("{} ({})\n{}\n\n", r.id, r.severity, r.title);
    for (heading, text) in [
        ("What it finds", &r.summary),
        ("Why it breaks", &r.why),
        ("What to do", &r.help),
    ] {
        s.push_str(&format!("{heading}\n{}\n\n", indent(text, width)));
    }
    // One matching and one non-matching example, as `ruff rule` shows them;
    // "Use instead" prefers the fixed version of the same file.
    let example = r.examples.matching.first();
    let instead = example
        .and_then(|e| r.examples.not_matching.iter().find(|n| n.file == e.file))
        .or_else(|| r.examples.not_matching.first());
    for (heading, e) in [("Example", example), ("Use instead", instead)] {
        if let Some(e) = e {
            s.push_str(&format!("{heading} ({})\n", e.file));
            for line in e.text.trim_end().lines() {
                s.push_str(&format!("    {line}\n"));
            }
            s.push('\n');
        }
    }
    if !r.references.is_empty() {
        s.push_str("References\n");
        for u in &r.references {
            s.push_str(&format!("  - {u}\n"));
        }
    }
    s
}

/// Each paragraph of `text` wrapped to `width` and indented by two spaces.
fn indent(text: &str, width: Option<usize>) -> String {
    let inner = width.map(|w| w.saturating_sub(2));
    text.trim()
        .split('\n')
        .flat_map(|p| {
            crate::report::human::wrap(p.trim(), inner, 0)
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_wraps_to_the_width_but_never_inside_a_url() {
        let set = crate::rules::RuleSet::builtin().ok();
        let rule = set.as_ref().and_then(|s| s.get("cloud-endpoint"));
        let Some(rule) = rule else {
            panic!("cloud-endpoint is a built-in rule");
        };
        let narrow = render(rule, Some(50));
        // The examples are files, shown as they are.
        let prose = narrow.split("\nExample (").next().unwrap_or("");
        for line in prose.lines() {
            assert!(
                !line.starts_with("    "),
                "continuation lines keep the indent: {line}"
            );
            let long_word = line.split(' ').any(|w| w.chars().count() > 48);
            assert!(line.chars().count() <= 50 || long_word, "{line}");
        }
        for u in &rule.references {
            assert!(narrow.contains(u.as_str()), "{u} was cut");
        }
        let piped = render(rule, None);
        let help = piped.lines().skip_while(|l| *l != "What to do").nth(1);
        assert!(
            help.is_some_and(|h| h.len() > 100),
            "piped output keeps a paragraph on one line: {help:?}"
        );
    }
}
