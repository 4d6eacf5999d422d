//! The datamodel matcher: the schema incompatibilities of the upgrade to
//! Prisma ORM (`crate::upgrade::plan`), one finding per rule and datamodel
//! place, however many services share the datamodel.

use super::active::ActiveRule;
use crate::finding::{Finding, Origin};
use crate::rules::DatamodelMatcher;
use crate::text::{RepoText, Text};
use crate::upgrade::service::Service;
use std::collections::BTreeSet;

pub fn apply(
    ar: &ActiveRule<'_>,
    dm: &DatamodelMatcher,
    services: &[Service],
    out: &mut Vec<Finding>,
) {
    let template = dm.message.as_ref().unwrap_or(&ar.rule.message);
    let label_template = dm.label.as_ref().unwrap_or(&ar.rule.label);
    let mut seen: BTreeSet<(String, usize, usize)> = BTreeSet::new();
    for s in services {
        let service = s.label();
        for inc in s
            .plan
            .incompatibilities
            .iter()
            .filter(|i| i.problem == dm.problem)
        {
            // The same field can carry one problem twice (a hidden 1.0 column
            // and a declared one never do; a cascade on both sides can).
            if !seen.insert((inc.at.path.to_string(), inc.at.start_byte, inc.at.end_byte)) {
                continue;
            }
            // Names the datamodel gives, and a detail that may quote one of
            // its values: repository text.
            let name = |s: &str| Text::repo(RepoText::name(s));
            let lookup = |n: &str| -> Option<Text> {
                match n {
                    "model" => Some(name(&inc.model)),
                    "field" => inc.field.as_deref().map(name),
                    "table" => Some(name(&inc.table)),
                    "column" => inc.column.as_deref().map(name),
                    "detail" => Some(Text::repo(RepoText::parsed(&inc.detail))),
                    "service" => Some(name(&service)),
                    _ => None,
                }
            };
            let message = template.render_text(lookup);
            let label = label_template.render_text(lookup);
            // Findings point at the field's first line (its name), not at a
            // multi-line directive list.
            let mut location = inc.at.clone();
            if location.end_line > location.line {
                location.end_line = location.line;
                location.end_column =
                    location.column + inc.field.as_deref().unwrap_or(&inc.model).chars().count();
                location.end_byte =
                    location.start_byte + inc.field.as_deref().unwrap_or(&inc.model).len();
            }
            out.push(Finding {
                snippet: s.datamodel.snippet(&location),
                location,
                rule: ar.rule.id.clone(),
                severity: ar.severity,
                message,
                matched: Text::tool(format!("datamodel {}", dm.problem.as_str())),
                related: Vec::new(),
                suppressed: None,
                mention: false,
                label,
                snippet_span: None,
                confidence: None,
                origin: Origin::Code,
                notes: Vec::new(),
                fix: None,
            });
        }
    }
}
