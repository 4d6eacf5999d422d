//! Which rules run: `select`/`ignore` from the config and the command line,
//! as ruff reads them (an id, an id prefix such as `cloud` or `prisma1-`, a
//! tag, or `ALL`), and the did-you-mean for a selector that matches nothing.

use crate::config::Config;
use crate::error::RunError;
use crate::finding::Severity;
use crate::rules::{Rule, RuleSet};
use crate::suggest::suggest;

/// Whether `selector` (already trimmed) picks `rule`.
pub fn matches(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("all")
        || rule.id == selector
        || rule.tags.iter().any(|t| t == selector)
        || (!selector.is_empty() && rule.id.starts_with(selector))
}

/// `unknown rule id `x` (did you mean `y`?)`, or the pointer to `rules`.
pub fn unknown_rule(set: &RuleSet, id: &str) -> String {
    match suggest(id, set.rules.iter().map(|r| r.id.as_str())) {
        Some(s) => {
            format!("unknown rule id `{id}`: did you mean `{s}`? (see `prisma1-lint rules`)")
        }
        None => format!("unknown rule id `{id}` (see `prisma1-lint rules`)"),
    }
}

/// Rules plus the active selection with effective severities.
pub fn select_rules(
    set: &RuleSet,
    cfg: &Config,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<(usize, Severity)>, RunError> {
    let trimmed = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let (cfg_select, cfg_ignore) = (trimmed(&cfg.select), trimmed(&cfg.ignore));
    let (select, ignore) = (trimmed(select), trimmed(ignore));
    let error = |id: &str, from_config: bool| -> RunError {
        let msg = unknown_rule(set, id);
        match (from_config, cfg.error_at(id, msg.clone())) {
            (true, Some(e)) => RunError::File(e),
            _ => RunError::Usage(msg),
        }
    };
    for (list, from_config) in [
        (&cfg_select, true),
        (&cfg_ignore, true),
        (&select, false),
        (&ignore, false),
    ] {
        if let Some(s) = list
            .iter()
            .find(|s| !set.rules.iter().any(|r| matches(s, r)))
        {
            return Err(error(s, from_config));
        }
    }
    // Severities and suppressions name one rule each.
    let named = cfg
        .severity
        .keys()
        .chain(cfg.suppress.iter().map(|s| &s.rule));
    for id in named {
        if set.get(id).is_none() {
            return Err(error(id, true));
        }
    }
    let chosen = |r: &Rule, list: &[String]| list.is_empty() || list.iter().any(|s| matches(s, r));
    let dropped = |r: &Rule, list: &[String]| list.iter().any(|s| matches(s, r));
    Ok(set
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| chosen(r, &cfg_select) && chosen(r, &select))
        .filter(|(_, r)| !dropped(r, &cfg_ignore) && !dropped(r, &ignore))
        // The upgrade's schema rules belong to `prisma1-lint upgrade`;
        // elsewhere they run only when named by their id.
        .filter(|(_, r)| !r.is_upgrade() || select.contains(&r.id) || cfg_select.contains(&r.id))
        .map(|(i, r)| (i, cfg.severity.get(&r.id).copied().unwrap_or(r.severity)))
        .collect())
}
