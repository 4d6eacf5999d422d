//! Applies one `command:` matcher to every command of the repository, as the
//! commands run (see [`super::effective`]), and turns hits into findings.
//!
//! A script that callers in the repository run (a CI step running `npm run
//! deploy`, a Makefile running `./deploy.sh`) is judged through those
//! callers, with their environment and folder: each caller that lacks the
//! secret gets a finding (with the script's line as a related location), and
//! a script whose callers all provide it gets none. A script nobody in the
//! repository calls is judged alone.

use super::effective::{self, Effective};
use super::evidence::{judge_secret, Judgement};
use super::{classify, effective_cwd, find_project, is_unpinned_global_install, resolve_target};
use super::{talks_to, EnvView, Invocation, RepoContext, Target};
use crate::engine::ActiveRule;
use crate::facts::commands::{CommandSite, Origin};
use crate::facts::RepoFacts;
use crate::finding::{Confidence, Finding, Location, Related, Severity};
use crate::rules::CommandMatcher;
use std::collections::BTreeMap;

/// What one command site gives a command matcher, before it becomes a finding.
struct Hit {
    inv: Invocation,
    scopes: String,
    target: Option<Target>,
    judgement: Option<Judgement>,
}

/// Every file's command sites as they run ([`effective::sites`]), computed
/// once for all command rules: expanding callers is the costly part, and it
/// does not depend on the rule.
pub struct Expanded<'a> {
    files: Vec<(&'a str, Vec<Effective<'a>>)>,
}

impl<'a> Expanded<'a> {
    pub fn new(repo: &'a RepoFacts) -> Expanded<'a> {
        let files = repo
            .files
            .iter()
            .filter(|(_, f)| !f.commands.is_empty())
            .map(|(path, facts)| (path.as_str(), effective::sites(facts, repo)))
            .collect();
        Expanded { files }
    }
}

pub fn apply(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    expanded: &Expanded<'_>,
    repo: &RepoFacts,
    ctx: &RepoContext,
    out: &mut Vec<Finding>,
) {
    // Every site as it runs that hits, file by file (only hits are kept: a
    // repository's thousands of other commands cost no memory here).
    let mut runs: Vec<(&Effective<'_>, Option<Hit>)> = Vec::new();
    // Written sites that callers in the repository run.
    let mut called: std::collections::BTreeSet<*const CommandSite> = Default::default();
    for (path, sites) in &expanded.files {
        if !applies(ar, path) {
            continue;
        }
        called.extend(
            sites
                .iter()
                .filter_map(|e| e.base.map(|b| b as *const CommandSite)),
        );
        runs.extend(
            sites
                .iter()
                .enumerate()
                .map(|(i, eff)| {
                    let later = sites[i + 1..].iter().map(|e| e.site.as_ref());
                    (eff, evaluate(cm, eff, later, repo, ctx))
                })
                .filter(|(_, hit)| hit.is_some()),
        );
    }
    // Rules that only name commands (not judgements) keep one finding per
    // written site, on the caller only when the caller makes the difference.
    if cm.spec.missing_env.is_none() {
        let alone: BTreeMap<*const CommandSite, bool> = runs
            .iter()
            .filter(|(e, _)| e.base.is_none())
            .map(|(e, h)| (e.report_at as *const CommandSite, h.is_some()))
            .collect();
        let mut per_file = BTreeMap::new();
        for (eff, hit) in &runs {
            let Some(hit) = hit else { continue };
            if !within_cap(&mut per_file, &eff.report_at.word_location.path) {
                continue;
            }
            let dup = eff.base.is_some_and(|b| {
                applies(ar, &b.location.path)
                    && alone
                        .get(&(b as *const CommandSite))
                        .copied()
                        .unwrap_or(false)
            });
            if !dup {
                out.push(render(ar, cm, eff, hit, repo, ctx.docs_severity));
            }
        }
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut per_file = BTreeMap::new();
    for (eff, hit) in &runs {
        let Some(hit) = hit else { continue };
        // A caller that is itself run by another caller is judged through that one too.
        if called.contains(&(eff.report_at as *const CommandSite)) {
            continue;
        }
        let key = match eff.base {
            Some(base) => base as *const CommandSite,
            None => eff.report_at as *const CommandSite,
        };
        // One finding per place and script: two callers in one file reach the same line once.
        let at = &eff.report_at.word_location;
        if seen.insert((at.path.clone(), at.start_byte, at.end_byte, key))
            && within_cap(&mut per_file, &at.path)
        {
            out.push(render(ar, cm, eff, hit, repo, ctx.docs_severity));
        }
    }
}

/// Renders at most one finding past the per-file cap (so the cap's note is
/// written): a script of thousands of commands costs no more than the cap.
fn within_cap(count: &mut BTreeMap<String, usize>, path: &str) -> bool {
    let n = count.entry(path.to_string()).or_default();
    *n += 1;
    *n <= crate::engine::regex::MAX_PER_RULE_FILE + 1
}

fn applies(ar: &ActiveRule<'_>, path: &str) -> bool {
    ar.rule.files.kinds.is_empty()
        || ar
            .rule
            .files
            .applies(path, crate::kind::FileKind::from_path(path))
}

/// Decides whether `eff` matches; `later` are the commands that run after it.
fn evaluate<'l>(
    cm: &CommandMatcher,
    eff: &Effective<'_>,
    mut later: impl Iterator<Item = &'l CommandSite>,
    repo: &RepoFacts,
    ctx: &RepoContext,
) -> Option<Hit> {
    let site = eff.site.as_ref();
    let spec = &cm.spec;
    let inv = match spec.cli.as_str() {
        "npm-global-install" => {
            if !is_unpinned_global_install(site) {
                return None;
            }
            later.find_map(|s| {
                let i = classify(s, repo)?;
                (spec.followed_by.is_empty() || spec.followed_by.contains(&i.subcommand))
                    .then_some(i)
            })?
        }
        _ => eff.invocation(repo)?,
    };
    if spec.cli == "prisma1"
        && !spec.subcommands.is_empty()
        && !spec.subcommands.contains(&inv.subcommand)
    {
        return None;
    }
    if !spec.talks_to.is_empty() {
        let has_project = find_project(repo, &effective_cwd(site, repo), inv.project()).is_some();
        let talks = talks_to(&inv, has_project)?;
        if !spec.talks_to.iter().any(|t| t == talks.name()) {
            return None;
        }
    }
    if !spec
        .flags_all
        .iter()
        .all(|f| inv.has_flag(&f.split('|').collect::<Vec<_>>()))
    {
        return None;
    }
    if spec.flags_all.iter().any(|f| f.contains("--project")) && inv.project().is_none() {
        return None;
    }
    if spec.flags_all.iter().any(|f| f.contains("--env-file")) && inv.env_file().is_none() {
        return None;
    }
    if !spec.env_any.is_empty() && !spec.env_any.iter().any(|v| site.has_env(v)) {
        return None;
    }
    let env = EnvView::new(site, &inv, repo);
    let scopes = env.describe();
    let (target, judgement) = match &spec.missing_env {
        Some(var) => {
            let j = judge_secret(site, eff.report_at, &inv, repo, ctx, var);
            if j.provided_by.is_some() {
                return None;
            }
            (None, Some(j))
        }
        None if spec.endpoint.is_empty() => (None, None),
        None => (Some(resolve_target(site, &inv, &env, repo, ctx)), None),
    };
    let class = judgement
        .as_ref()
        .map(|j| &j.target)
        .or(target.as_ref())
        .map(|t| t.class.name());
    if let Some(class) = class {
        if !spec.endpoint.is_empty() && !spec.endpoint.iter().any(|c| c == class) {
            return None;
        }
    }
    Some(Hit {
        inv,
        scopes,
        target,
        judgement,
    })
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

/// The finding for a hit, placed on the outermost caller.
fn render(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    eff: &Effective<'_>,
    hit: &Hit,
    repo: &RepoFacts,
    docs_severity: Severity,
) -> Finding {
    let site = eff.site.as_ref();
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
    let snippet = |l: &Location| {
        repo.files
            .get(&l.path)
            .map(|f| f.snippet(l))
            .unwrap_or_default()
    };
    let mut related = Vec::new();
    if eff.report_at.location != site.location {
        let name = site.source.rsplit(" → ").next().unwrap_or_default();
        related.push(Related {
            snippet: snippet(&site.word_location),
            message: format!("runs {name}"),
            location: site.word_location.clone(),
        });
    }
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
    let at = &eff.report_at.word_location;
    let docs = eff.report_at.origin == Origin::Docs;
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
        origin: eff.report_at.origin,
        label,
        snippet_span: None,
        fix: None,
    }
}
