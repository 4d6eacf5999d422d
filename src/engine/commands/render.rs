//! How a command hit becomes a finding: the message and label templates
//! filled from the hit, and the related locations (the endpoint's
//! definition, the server config it reaches) after those of the placement.

use super::judge::Hit;
use crate::engine::ActiveRule;
use crate::facts::commands::{CommandSite, Origin};
use crate::facts::RepoFacts;
use crate::finding::{Confidence, Finding, Location, Related, Severity};
use crate::rules::CommandMatcher;

/// Where a finding goes and what comes with the place.
pub(super) struct Placement {
    pub at: Location,
    pub origin: Origin,
    /// Related locations of the placement (callers, an expansion site).
    pub related: Vec<Related>,
}

/// A related location with its source line(s).
pub(super) fn related(repo: &RepoFacts, l: &Location, message: String) -> Related {
    Related {
        snippet: snippet(repo, l),
        message,
        location: l.clone(),
    }
}

fn snippet(repo: &RepoFacts, l: &Location) -> String {
    repo.files
        .get(&l.path)
        .map(|f| f.snippet(l))
        .unwrap_or_default()
}

/// Severity follows confidence unless the configuration set the rule's severity.
fn severity(ar: &ActiveRule<'_>, confidence: Option<Confidence>) -> Severity {
    match confidence {
        Some(Confidence::Medium) if ar.severity == ar.rule.severity => {
            ar.severity.min(Severity::Warning)
        }
        _ => ar.severity,
    }
}

/// The finding for `hit` of the command `site` as it runs, at `place`.
pub(super) fn finding(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    site: &CommandSite,
    hit: &Hit,
    place: Placement,
    repo: &RepoFacts,
    docs_severity: Severity,
) -> Finding {
    let inv = &hit.inv;
    let target = hit
        .judgement
        .as_ref()
        .map(|j| &j.target)
        .or(hit.target.as_ref());
    let template = cm.message.as_ref().unwrap_or(&ar.rule.message);
    let flags = inv
        .args
        .iter()
        .filter(|a| a.starts_with('-'))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let invocation = inv.display();
    let endpoint = target
        .map(|t| {
            if t.url.is_empty() {
                "(none found)".to_string()
            } else {
                t.url.clone()
            }
        })
        .unwrap_or_default();
    let class = target.map(|t| t.class.name()).unwrap_or("");
    let project = target.and_then(|t| t.project.clone()).unwrap_or_default();
    let env_var = cm
        .spec
        .missing_env
        .clone()
        .or_else(|| cm.spec.env_any.first().cloned())
        .unwrap_or_default();
    let confidence = hit.judgement.as_ref().map(|j| j.confidence);
    let checked = hit
        .judgement
        .as_ref()
        .map(|j| {
            j.checked
                .iter()
                .enumerate()
                .map(|(i, c)| format!("({}) {c}", i + 1))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let unless = hit
        .judgement
        .as_ref()
        .filter(|j| !j.unless.is_empty())
        .map(|j| format!(", unless {}", j.unless.join(" or ")))
        .unwrap_or_default();
    let conf = confidence.map(|c| c.as_str()).unwrap_or("");
    let lookup = |n: &str| match n {
        "subcommand" => Some(inv.subcommand.as_str()),
        "invocation" => Some(invocation.as_str()),
        "program" => Some(inv.program.as_str()),
        "source" => Some(site.source.as_str()),
        "endpoint" => Some(endpoint.as_str()),
        "endpoint_class" => Some(class),
        "scopes" => Some(hit.scopes.as_str()),
        "env_var" => Some(env_var.as_str()),
        "project" => Some(project.as_str()),
        "flags" => Some(flags.as_str()),
        "confidence" => Some(conf),
        "checked" => Some(checked.as_str()),
        "unless" => Some(unless.as_str()),
        _ => None,
    };
    let message = template.render(lookup);
    let label = cm.label.as_ref().unwrap_or(&ar.rule.label).render(lookup);
    // The evidence goes under the headline, one note per item.
    let mut notes = Vec::new();
    if let Some(j) = &hit.judgement {
        if !j.unless.is_empty() {
            notes.push(format!(
                "confidence {}: wrong if {}",
                j.confidence.as_str(),
                j.unless.join(" or ")
            ));
        }
        notes.extend(
            j.checked
                .iter()
                .enumerate()
                .map(|(i, c)| format!("checked ({}) {c}", i + 1)),
        );
    }
    let snippet = |l: &Location| snippet(repo, l);
    let mut related = place.related;
    if let Some(l) = target.and_then(|t| t.defined_at.as_ref()) {
        related.push(Related {
            snippet: snippet(l),
            message: format!("endpoint defined here ({class})"),
            location: l.clone(),
        });
    }
    if let Some(link) = target.and_then(|t| t.link.as_ref()) {
        related.push(Related {
            snippet: snippet(&link.at),
            message: format!("server config: {}", link.via),
            location: link.at.clone(),
        });
    }
    let at = &place.at;
    let docs = place.origin == Origin::Docs;
    // What documentation tells people to run is worth updating, not an outage.
    let (severity, message) = if docs {
        (
            severity(ar, confidence).min(docs_severity),
            format!("documented command: {message}"),
        )
    } else {
        (severity(ar, confidence), message)
    };
    Finding {
        location: at.clone(),
        rule: ar.rule.id.clone(),
        severity,
        message,
        snippet: snippet(at),
        matched: format!("{} {}", invocation, site.argv.join(" ")),
        related,
        suppressed: None,
        mention: docs,
        confidence,
        origin: place.origin,
        label,
        snippet_span: None,
        notes,
        fix: None,
    }
}
