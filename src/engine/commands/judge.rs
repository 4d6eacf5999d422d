//! Applies one `command:` matcher to every command of the repository, as the
//! commands run (see [`super::effective`]), and turns hits into findings.
//!
//! A script that callers in the repository run (a CI step running `npm run
//! deploy`, a Makefile running `./deploy.sh`) is judged through those
//! callers, with their environment and folder. A judgement gives one finding
//! per written command, on the line of its command words, when any caller
//! runs it without the variable; those callers are its related locations. A
//! script whose callers all provide it gets none; a script nobody in the
//! repository calls is judged alone.

use super::classes::{talks_to, Talks};
use super::effective::{self, Effective};
use super::env::EnvView;
use super::evidence::judge_secret;
use super::invocation::{classify, is_unpinned_global_install, Invocation};
use super::render::{self, Hit, Reading};
use super::servers::RepoContext;
use super::target::{resolve_target, Target};
use crate::engine::active::ActiveRule;
use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;
use crate::finding::{Finding, Severity};
use crate::rules::CommandMatcher;
use crate::text::Text;
use std::collections::BTreeMap;

/// Every file's command sites as they run ([`effective::sites`]), computed
/// once for all command rules: expanding callers is the costly part, and it
/// does not depend on the rule.
pub struct Expanded<'a> {
    files: Vec<(&'a str, Vec<Effective<'a>>)>,
}

impl<'a> Expanded<'a> {
    /// Every file's sites as they run, on up to `threads` threads (each file
    /// is worked out on its own from the shared facts), in the files' order.
    pub fn new(repo: &'a RepoFacts, threads: usize) -> Expanded<'a> {
        let work: Vec<(&'a str, &'a crate::facts::FileFacts)> = repo
            .files
            .iter()
            .filter(|(_, f)| !f.commands.is_empty())
            .map(|(path, facts)| (path.as_str(), facts))
            .collect();
        // Below a few dozen files the threads cost more than they save.
        let threads = threads.min(work.len() / 32);
        let sites = crate::par::map_in_order(
            work.len(),
            threads,
            || (),
            |_, i| effective::sites(work[i].1, repo),
        );
        let files = work.iter().map(|&(path, _)| path).zip(sites).collect();
        Expanded { files }
    }
}

pub fn apply<'e, 'a>(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    expanded: &'e Expanded<'a>,
    repo: &RepoFacts,
    ctx: &RepoContext,
    out: &mut Vec<Finding>,
) {
    // Written sites that callers in the repository run.
    let called: std::collections::BTreeSet<*const CommandSite> = expanded
        .files
        .iter()
        .filter(|(path, _)| applies(ar, path))
        .flat_map(|(_, sites)| sites.iter())
        .filter_map(|e| e.base.map(|b| b as *const CommandSite))
        .collect();
    // Every site as it runs that hits, file by file (only hits are kept: a
    // repository's thousands of other commands cost no memory here), given
    // to `keep` as it is found.
    let each_hit = |keep: &mut dyn FnMut(&'e Effective<'a>, Hit)| {
        for (path, sites) in &expanded.files {
            if !applies(ar, path) {
                continue;
            }
            let mut next = next_relevant(cm, sites, repo);
            for (eff, next) in sites.iter().zip(next.iter_mut()) {
                if let Some(hit) = evaluate(cm, eff, next.take(), repo, ctx) {
                    keep(eff, hit);
                }
            }
        }
    };
    // Rules that only name commands (not judgements) keep one finding per
    // written site, on the caller only when the caller makes the difference.
    if cm.spec.missing_env.is_none() {
        // A written site's hit is rendered when found; a caller's waits
        // until every file is read, to know whether the site it runs hits
        // alone. The cap counts every hit in file order either way.
        let mut per_file = BTreeMap::new();
        let mut alone: std::collections::BTreeSet<*const CommandSite> = Default::default();
        let mut callers: Vec<(&Effective<'_>, Hit)> = Vec::new();
        each_hit(&mut |eff, hit| {
            // Past the cap or not, a site that hits alone makes its callers' hits copies.
            if eff.base.is_none() {
                alone.insert(eff.report_at as *const CommandSite);
            }
            if !within_cap(&mut per_file, &eff.report_at.word_location.path) {
                return;
            }
            match eff.base {
                None => out.push(render(ar, cm, eff, &hit, repo, ctx.docs_severity)),
                Some(_) => callers.push((eff, hit)),
            }
        });
        for (eff, hit) in &callers {
            let dup = eff.base.is_some_and(|b| {
                applies(ar, &b.location.path) && alone.contains(&(b as *const CommandSite))
            });
            if !dup {
                out.push(render(ar, cm, eff, hit, repo, ctx.docs_severity));
            }
        }
        return;
    }
    // Judgements: one finding per written command, on its own line, judged
    // through every caller that runs it (or alone when nothing does); the
    // callers that lack the variable are its related locations. Hits are
    // grouped as they are found: no list of every hit beside the groups.
    let mut order: Vec<*const CommandSite> = Vec::new();
    let mut groups: BTreeMap<*const CommandSite, Vec<(&Effective<'_>, Hit)>> = BTreeMap::new();
    each_hit(&mut |eff, hit| {
        // A caller that is itself run by another caller is judged through that
        // one too; a function body as written runs only where it is called.
        if called.contains(&(eff.report_at as *const CommandSite))
            || eff.report_at.in_function.is_some()
        {
            return;
        }
        let written = eff.base.unwrap_or(eff.report_at) as *const CommandSite;
        let group = groups.entry(written).or_default();
        if group.is_empty() {
            order.push(written);
        }
        group.push((eff, hit));
    });
    let mut per_file = BTreeMap::new();
    for key in order {
        let Some(group) = groups.get(&key) else {
            continue;
        };
        let Some(&(first, _)) = group.first() else {
            continue;
        };
        let written = first.base.unwrap_or(first.report_at);
        if !within_cap(&mut per_file, &written.word_location.path) {
            continue;
        }
        // The surest reading speaks for the command; ties keep file order.
        let best = group
            .iter()
            .enumerate()
            .max_by_key(|(i, (_, h))| (h.judgement().map(|j| j.confidence), usize::MAX - i))
            .map(|(_, (e, h))| (*e, h));
        let Some((eff, hit)) = best else { continue };
        let runs: Vec<&Effective<'_>> = group.iter().map(|(e, _)| *e).collect();
        out.push(render_judgement(
            ar,
            cm,
            written,
            eff,
            hit,
            &runs,
            repo,
            ctx.docs_severity,
        ));
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

/// For `npm-global-install`, the first relevant Prisma 1 command after each
/// unpinned install of `sites` (by index; `None` elsewhere), found in one
/// pass from the end: the nearest relevant command is remembered, so a file
/// of thousands of installs costs one classification per command, not one
/// walk over the rest of the file per install.
fn next_relevant(
    cm: &CommandMatcher,
    sites: &[Effective<'_>],
    repo: &RepoFacts,
) -> Vec<Option<Invocation>> {
    let mut out: Vec<Option<Invocation>> =
        std::iter::repeat_with(|| None).take(sites.len()).collect();
    let spec = &cm.spec;
    if spec.cli != "npm-global-install"
        || !sites.iter().any(|e| is_unpinned_global_install(&e.site))
    {
        return out;
    }
    let mut nearest: Option<Invocation> = None;
    for (eff, slot) in sites.iter().zip(out.iter_mut()).rev() {
        let site = eff.site.as_ref();
        if is_unpinned_global_install(site) {
            slot.clone_from(&nearest);
        } else if let Some(i) = classify(site, repo) {
            if spec.followed_by.is_empty() || spec.followed_by.contains(&i.subcommand) {
                nearest = Some(i);
            }
        }
    }
    out
}

/// Decides whether `eff` matches; for an install, `next` is the relevant
/// command that runs after it ([`next_relevant`]).
fn evaluate(
    cm: &CommandMatcher,
    eff: &Effective<'_>,
    next: Option<Invocation>,
    repo: &RepoFacts,
    ctx: &RepoContext,
) -> Option<Hit> {
    let site = eff.site.as_ref();
    let spec = &cm.spec;
    let inv = match spec.cli.as_str() {
        "npm-global-install" => next?,
        "prisma1-global-install" => {
            let packages = crate::facts::commands::global_install(&site.argv)?;
            let package = packages
                .into_iter()
                .find(|w| crate::facts::commands::prisma1_package(w))?;
            Invocation {
                subcommand: String::new(),
                program: package.to_string(),
                args: Vec::new(),
                stale: None,
            }
        }
        _ => eff.invocation(repo)?,
    };
    if spec.cli == "prisma1"
        && !spec.subcommands.is_empty()
        && !spec.subcommands.contains(&inv.subcommand)
    {
        return None;
    }
    let talks = talks_to(&inv);
    if !spec.talks_to.is_empty() {
        let name = talks?.name();
        if !spec.talks_to.iter().any(|t| t == name) {
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
    // A command the declared CLI cannot run needs no secret: it fails sooner.
    if inv.stale.is_some() && spec.missing_env.is_some() {
        return None;
    }
    let env = EnvView::new(site, &inv, repo, ctx);
    let scopes = env.describe();
    let reading = match &spec.missing_env {
        Some(var) => {
            let j = judge_secret(site, eff.report_at, &inv, repo, ctx, var);
            if j.provided_by.is_some() {
                return None;
            }
            Reading::Judgement(j)
        }
        None if spec.endpoint.is_empty() => Reading::None,
        None => Reading::Target(resolve_target(site, &inv, &env, repo, ctx)),
    };
    let hit = Hit {
        inv,
        scopes,
        reading,
    };
    let resolved = hit.target();
    // A command that only asks for a token never asks the Cloud for a server
    // the CLI counts as local (see `Talks::ManagementToken`).
    if talks == Some(Talks::ManagementToken) && resolved.is_some_and(Target::cli_local) {
        return None;
    }
    let class = resolved.map(|t| t.class.name());
    if let Some(class) = class {
        if !spec.endpoint.is_empty() && !spec.endpoint.iter().any(|c| c == class) {
            return None;
        }
    }
    Some(hit)
}

/// The finding for a hit of a rule that names commands: on the outermost
/// caller, with the command it runs as related when that is elsewhere.
fn render(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    eff: &Effective<'_>,
    hit: &Hit,
    repo: &RepoFacts,
    docs_severity: Severity,
) -> Finding {
    let site = eff.site.as_ref();
    let mut related = Vec::new();
    let at = match &eff.report_at.defined_at {
        Some(def) => {
            let source = &eff.report_at.source;
            let expansion = &eff.report_at.word_location;
            related.push(render::related(
                repo,
                expansion,
                Text::tool(format!("expanded in {source}")),
            ));
            def.clone()
        }
        None => eff.report_at.word_location.clone(),
    };
    if eff.report_at.location != site.location {
        let name = site.source.rsplit(" → ").next().unwrap_or_default();
        related.push(render::related(
            repo,
            &site.word_location,
            Text::tool(format!("runs {name}")),
        ));
    }
    let place = render::Placement {
        at,
        origin: eff.report_at.origin,
        related,
    };
    render::finding(ar, cm, site, hit, place, repo, docs_severity)
}

/// The finding of a judgement on the written command `written`: on the line
/// of its command words (or where a Makefile variable defines them), with
/// the callers of every run that lacks the variable as related locations.
#[allow(clippy::too_many_arguments)]
fn render_judgement(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    written: &CommandSite,
    eff: &Effective<'_>,
    hit: &Hit,
    runs: &[&Effective<'_>],
    repo: &RepoFacts,
    docs_severity: Severity,
) -> Finding {
    let mut related = Vec::new();
    let at = match &written.defined_at {
        Some(def) => {
            related.push(render::related(
                repo,
                &written.word_location,
                Text::tool(format!("expanded in {}", written.source)),
            ));
            def.clone()
        }
        None => written.word_location.clone(),
    };
    // Every caller chain that reaches the command without the variable, callers
    // first; a chain's callers in order, once each.
    for run in runs.iter().take(MAX_CALLER_CHAINS) {
        for caller in &run.callers {
            if caller.word_location == written.word_location
                || related.iter().any(|r| r.location == caller.word_location)
            {
                continue;
            }
            related.push(render::related(
                repo,
                &caller.word_location,
                Text::tool(format!("run by {}", caller.source)),
            ));
        }
    }
    let place = render::Placement {
        at,
        origin: written.origin,
        related,
    };
    render::finding(ar, cm, eff.site.as_ref(), hit, place, repo, docs_severity)
}

/// Caller chains named in one finding: the rest add nothing a reader needs.
const MAX_CALLER_CHAINS: usize = 8;
