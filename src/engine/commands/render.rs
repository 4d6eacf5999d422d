//! How a command hit becomes a finding: the message and label templates
//! filled from the hit, and the related locations (the endpoint's
//! definition, the server config it reaches) after those of the placement.

use super::evidence::Judgement;
use super::invocation::Invocation;
use super::target::Target;
use crate::engine::active::ActiveRule;
use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;
use crate::finding::Origin;
use crate::finding::{Confidence, Finding, Location, Related, Severity};
use crate::rules::CommandMatcher;
use crate::text::{RepoText, Text};

/// What one command site gives a command matcher, before it becomes a finding.
/// (Held for every hit of a rule until the rule is judged: one of the two
/// readings, not room for both.)
pub(super) struct Hit {
    pub inv: Invocation,
    pub scopes: String,
    pub reading: Reading,
}

/// What a hit says of the command's endpoint.
pub(super) enum Reading {
    /// The rule asks nothing of the endpoint.
    None,
    /// The endpoint the command talks to.
    Target(Target),
    /// The secret judgement, which holds the endpoint it judged.
    Judgement(Judgement),
}

impl Hit {
    pub fn judgement(&self) -> Option<&Judgement> {
        match &self.reading {
            Reading::Judgement(j) => Some(j),
            _ => None,
        }
    }

    /// The endpoint, whichever reading found it.
    pub fn target(&self) -> Option<&Target> {
        match &self.reading {
            Reading::None => None,
            Reading::Target(t) => Some(t),
            Reading::Judgement(j) => Some(&j.target),
        }
    }
}

/// Where a finding goes and what comes with the place.
pub(super) struct Placement {
    pub at: Location,
    pub origin: Origin,
    /// Related locations of the placement (callers, an expansion site).
    pub related: Vec<Related>,
}

/// A related location with its source line(s).
/// Its message names a command by its source, a label the tool builds of
/// paths and names (`package.json script "deploy"`): the tool's words.
pub(super) fn related(repo: &RepoFacts, l: &Location, message: Text) -> Related {
    Related {
        snippet: snippet(repo, l),
        message,
        location: l.clone(),
    }
}

fn snippet(repo: &RepoFacts, l: &Location) -> RepoText {
    repo.files
        .get(&*l.path)
        .map(|f| f.snippet(l))
        .unwrap_or_default()
}

/// Severity follows confidence unless the configuration set the rule's severity.
fn severity(ar: &ActiveRule<'_>, confidence: Option<Confidence>) -> Severity {
    match confidence {
        Some(Confidence::Medium | Confidence::Low) if ar.severity == ar.rule.severity => {
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
    let target = hit.target();
    let template = cm.message.as_ref().unwrap_or(&ar.rule.message);
    let flags: Vec<String> = inv
        .args
        .iter()
        .filter(|a| a.starts_with('-'))
        .cloned()
        .collect();
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
    let confidence = hit.judgement().map(|j| j.confidence);
    let checked = hit
        .judgement()
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
        .judgement()
        .filter(|j| !j.unless.is_empty())
        .map(|j| format!(", unless {}", j.unless.join(" or ")))
        .unwrap_or_default();
    let conf = confidence.map(|c| c.as_str()).unwrap_or("");
    // `; package.json declares prisma ^3.1.0, which cannot run it`: the
    // path is the tool's word, the range the repository's.
    let stale = inv.stale.as_ref().map(|(path, range)| {
        let mut t = Text::tool(format!("; {path} declares prisma "));
        t.push_repo(RepoText::parsed(range));
        t.push_tool(", which cannot run it");
        t
    });
    // The rule's and the judgement's own words are the tool's; what the
    // repository wrote (commands, labels, URLs) is repository text.
    let lookup = |n: &str| {
        Some(match n {
            "subcommand" => Text::repo(RepoText::name(&inv.subcommand)),
            "invocation" => Text::repo(RepoText::name(&invocation)),
            "program" => Text::repo(RepoText::name(&inv.program)),
            // Labels the tool builds of paths and names (`package.json
            // script "deploy"`, `GitHub Actions job "x"`): its own words.
            "source" => Text::tool(site.source.as_str()),
            "endpoint" if target.is_some_and(|t| t.url.is_empty()) => Text::tool(endpoint.as_str()),
            "endpoint" => Text::repo(RepoText::parsed(&endpoint)),
            "endpoint_class" => Text::tool(class),
            "scopes" => Text::tool(hit.scopes.as_str()),
            "env_var" => Text::tool(env_var.as_str()),
            "project" => Text::repo(RepoText::name(&project)),
            "flags" => Text::repo(RepoText::prisma_args(&flags)),
            "confidence" => Text::tool(conf),
            "checked" => Text::repo(RepoText::parsed(&checked)),
            "unless" => Text::repo(RepoText::parsed(&unless)),
            "stale" => stale.clone().unwrap_or_default(),
            _ => return None,
        })
    };
    let message = template.render_text(lookup);
    let label = cm
        .label
        .as_ref()
        .unwrap_or(&ar.rule.label)
        .render_text(lookup);
    // The evidence goes under the headline, one note per item.
    let mut notes = Vec::new();
    if let Some(j) = hit.judgement() {
        if !j.unless.is_empty() {
            // What the judgement checked quotes the repository.
            let mut note = Text::tool(format!("confidence {}: wrong if ", j.confidence.as_str()));
            note.push_repo(RepoText::parsed(&j.unless.join(" or ")));
            notes.push(note);
        }
        notes.extend(j.checked.iter().enumerate().map(|(i, c)| {
            let mut note = Text::tool(format!("checked ({}) ", i + 1));
            note.push_repo(RepoText::parsed(c));
            note
        }));
    }
    let snippet = |l: &Location| snippet(repo, l);
    let mut related = place.related;
    if let Some(l) = target.and_then(|t| t.defined_at.as_ref()) {
        related.push(Related {
            snippet: snippet(l),
            message: Text::tool(format!("endpoint defined here ({class})")),
            location: l.clone(),
        });
    }
    if let Some(link) = target.and_then(|t| t.link.as_ref()) {
        let mut message = Text::tool("server config: ");
        message.push_repo(RepoText::parsed(&link.via));
        related.push(Related {
            snippet: snippet(&link.at),
            message,
            location: link.at.clone(),
        });
    }
    let at = &place.at;
    let docs = place.origin == Origin::Docs;
    // What documentation tells people to run is worth updating, not an outage.
    let (severity, message) = if docs {
        let mut m = Text::tool("documented command: ");
        m.push(message);
        (severity(ar, confidence).min(docs_severity), m)
    } else {
        (severity(ar, confidence), message)
    };
    let mut matched = Text::repo(RepoText::name(&invocation));
    matched.push_tool(" ");
    matched.push_repo(RepoText::words(&site.argv));
    Finding {
        location: at.clone(),
        rule: ar.rule.id.clone(),
        severity,
        message,
        snippet: snippet(at),
        matched,
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
