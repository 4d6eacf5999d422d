//! Whether the management secret reaches one command, and how sure the
//! repository lets us be. The check (`missing-management-secret`) and the
//! audit's services table both ask this, so they give the same answer.
//!
//! `high` means the repository proves it: the target needs the secret and
//! every place it could come from is visible and lacks it. `medium` means it
//! depends on something the repository does not show: an env file that is
//! not committed and has no template, variables a CI platform injects from
//! its settings, an endpoint that cannot be resolved.

use super::classes::{talks_to, Talks};
use super::env::EnvView;
use super::invocation::Invocation;
use super::servers::{Protection, RepoContext};
use super::target::{resolve_target, EndpointClass, Target};
use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;
use crate::finding::Confidence;
use crate::kind::FileKind;

/// The answer for one command.
pub struct Judgement {
    /// Where the secret comes from, when something provides it.
    pub provided_by: Option<String>,
    pub target: Target,
    pub confidence: Confidence,
    /// What was checked, in order, for the message.
    pub checked: Vec<String>,
    /// What would make the finding wrong, when confidence is medium.
    pub unless: Vec<String>,
}

impl Judgement {
    /// Does the target need the secret (so its absence is a problem)?
    pub fn needed(&self) -> bool {
        matches!(
            self.target.class,
            EndpointClass::Protected | EndpointClass::Remote | EndpointClass::Unknown
        )
    }

    /// For the audit's services table: `yes (step env …)`, `no (high)`, `not needed (…)`.
    pub fn summary(&self) -> String {
        match (&self.provided_by, self.needed()) {
            (Some(by), _) => format!("yes ({by})"),
            (None, false) => format!("not needed ({} endpoint)", self.target.class.name()),
            (None, true) if self.unless.is_empty() => "no (confidence high)".to_string(),
            (None, true) => format!("no (confidence medium: unless {})", self.unless.join("; ")),
        }
    }
}

/// Who runs a command, judged from the file of its outermost caller.
enum Runner {
    /// Every variable the command gets is written in the repository.
    Visible(&'static str),
    /// A platform adds variables from its settings, which the repository does not show.
    Platform(&'static str),
    /// A developer's shell: its own exports are invisible, but a committed env file is not.
    Shell,
}

fn runner(caller: &CommandSite) -> Runner {
    // Manifests are told by their content, which their source names.
    if caller.source.starts_with("Kubernetes ") {
        return Runner::Visible("Kubernetes (the manifest's env and envFrom)");
    }
    match FileKind::from_path(&caller.location.path) {
        FileKind::GithubActions => {
            Runner::Visible("GitHub Actions (variables come only from the workflow)")
        }
        FileKind::Compose => Runner::Visible("docker compose"),
        FileKind::Dockerfile => Runner::Visible("docker build"),
        FileKind::GitlabCi => Runner::Platform("the GitLab CI/CD variables of the project"),
        FileKind::Circleci => Runner::Platform("CircleCI project or context variables"),
        FileKind::Travis => Runner::Platform("the Travis CI repository variables"),
        FileKind::Bitbucket => Runner::Platform("Bitbucket repository variables"),
        FileKind::AzurePipelines => Runner::Platform("Azure Pipelines variables"),
        FileKind::Jenkinsfile => Runner::Platform("the Jenkins job's environment variables"),
        FileKind::Netlify => Runner::Platform("Netlify site environment variables"),
        FileKind::Vercel => Runner::Platform("Vercel project environment variables"),
        FileKind::Procfile | FileKind::HerokuApp => Runner::Platform("Heroku config vars"),
        _ => Runner::Shell,
    }
}

/// Decides whether `var` reaches `site` (reported at a caller in `report_path`).
pub fn judge_secret(
    site: &CommandSite,
    report_at: &CommandSite,
    inv: &Invocation,
    repo: &RepoFacts,
    ctx: &RepoContext,
    var: &str,
) -> Judgement {
    let env = EnvView::new(site, inv, repo, ctx);
    let target = resolve_target(site, inv, &env, repo, ctx);
    let mut checked = vec![match talks_to(inv) {
        Some(Talks::ManagementToken) => format!(
            "command `{}` asks for a management token (from Prisma 1 Cloud for a server that is not local), then uses the service API",
            inv.display()
        ),
        _ => format!("command `{}` uses the management API", inv.display()),
    }];
    checked.push(describe_target(&target));
    checked.push(format!("environment: {}", env.describe()));
    let provided_by = provenance(site, report_at, &env, repo, ctx, var)
        .or_else(|| same_source(&target, &env, repo, var));
    let mut unless = Vec::new();
    let mut medium = false;
    let mut low = false;
    let protected = |remote: bool| {
        target
            .link
            .as_ref()
            .is_some_and(|l| l.protection == Protection::Protected && (l.remote || !remote))
    };
    match target.class {
        // An unresolved endpoint is proven only when the repository deploys its
        // server elsewhere and protects it; a compose server run next to the
        // CLI says little of a server the repository does not name.
        EndpointClass::Unknown if !protected(true) => {
            low = true;
            unless.push("the endpoint is a server that needs no secret".to_string());
        }
        _ => {}
    }
    if let Some(via) = &target.recorded {
        medium = true;
        unless.push(format!(
            "the command talks to another server than {} ({via})",
            target.url
        ));
    }
    for a in env.unseen().filter(|a| a.explicit) {
        // Its committed siblings (`config/dev.env` beside an absent
        // `config/prod.env`) set the variable: the absent one likely does too.
        let siblings = sibling_env_files(repo, ctx, &a.path, var);
        if !siblings.is_empty() {
            low = true;
            unless.push(format!(
                "{} (not in the repository) defines {var}, like {} beside it",
                a.path,
                siblings.join(", ")
            ));
        } else {
            medium = true;
            unless.push(format!(
                "{} (not in the repository, no template) defines {var}",
                a.path
            ));
        }
    }
    for a in env.absent.iter().filter(|a| a.template.is_some()) {
        checked.push(format!(
            "{} is not in the repository; its template {} lacks {var} too",
            a.path,
            a.template.as_deref().unwrap_or_default()
        ));
    }
    let run = runner(report_at);
    match run {
        Runner::Visible(what) => checked.push(format!("runner: {what}")),
        Runner::Platform(what) => {
            medium = true;
            checked.push(format!("runner: {what} are not in the repository"));
            unless.push(format!("{what} define {var}"));
        }
        Runner::Shell => {
            if let Some((path, line)) = operator_instruction(ctx, &report_at.location.path, var) {
                low = true;
                unless.push(format!(
                    "the shell that runs it sets {var}, as {path}:{line} instructs"
                ));
            }
            // A developer's run reads the default `.env`; only a committed one (or its template) proves anything.
            for a in env.unseen().filter(|a| !a.explicit) {
                medium = true;
                unless.push(format!(
                    "{} (not in the repository, no template) or the calling shell defines {var}",
                    a.path
                ));
            }
        }
    }
    Judgement {
        provided_by,
        target,
        confidence: if low {
            Confidence::Low
        } else if medium {
            Confidence::Medium
        } else {
            Confidence::High
        },
        checked,
        unless,
    }
}

/// The first line, in a file of the command's folder or a folder above it,
/// that tells the operator to set `var` by hand (see
/// [`crate::facts::instructions`]).
fn operator_instruction<'a>(ctx: &'a RepoContext, at: &str, var: &str) -> Option<(&'a str, usize)> {
    if var != crate::facts::instructions::SECRET_VAR {
        return None;
    }
    let dir = crate::paths::parent(at);
    ctx.instructed
        .iter()
        .find(|(p, _)| crate::paths::is_under(dir, crate::paths::parent(p)))
        .map(|(p, line)| (p.as_str(), *line))
}

/// Committed env files (not templates) in the folder of `path` that define `var`.
fn sibling_env_files(repo: &RepoFacts, ctx: &RepoContext, path: &str, var: &str) -> Vec<String> {
    let dir = crate::paths::parent(path);
    ctx.env_files_in(dir)
        .iter()
        .filter(|p| repo.env_file(p).is_some_and(|e| e.vars.contains_key(var)))
        .take(3)
        .cloned()
        .collect()
}

fn describe_target(t: &Target) -> String {
    let url = if t.url.is_empty() {
        "(none found)".to_string()
    } else {
        t.url.clone()
    };
    let how = match (t.class, &t.link) {
        (EndpointClass::Protected, Some(l)) => format!("protected, its server config sets a management secret ({})", l.via),
        (EndpointClass::Unprotected, Some(l)) => format!("unprotected, its server config sets no management secret ({})", l.via),
        (EndpointClass::Remote, _) => {
            "a self-hosted remote server with no config in the repository, so the secret is expected".to_string()
        }
        (EndpointClass::Unknown, Some(l)) if !t.url.contains("${") && l.protection == Protection::Unknown => {
            format!("server configs disagree or are not visible: {}", l.via)
        }
        (EndpointClass::Unknown, Some(l)) => format!(
            "cannot be resolved; {} ({})",
            l.via,
            match l.protection {
                Protection::Protected => "all set a management secret",
                Protection::Unprotected => "none sets a management secret",
                Protection::Unknown => "they disagree",
            }
        ),
        (EndpointClass::Unknown, None) => "cannot be resolved and no server config is in the repository".to_string(),
        (c, _) => format!("{} endpoint", c.name()),
    };
    match &t.recorded {
        Some(via) => format!(
            "endpoint not resolved in the command's environment; the repository records {url} ({via}): {how}"
        ),
        None => format!("endpoint {url}: {how}"),
    }
}

/// Where `var` comes from for `site`, if anywhere.
fn provenance(
    site: &CommandSite,
    report_at: &CommandSite,
    env: &EnvView<'_>,
    repo: &RepoFacts,
    ctx: &RepoContext,
    var: &str,
) -> Option<String> {
    if let Some(s) = site.env.iter().find(|s| s.vars.contains_key(var)) {
        return Some(format!("{} ({})", s.kind.describe(), s.label));
    }
    if let Some(f) = env
        .files
        .iter()
        .find(|f| repo.env_file(f).is_some_and(|e| e.vars.contains_key(var)))
    {
        return Some(format!("env file {f}"));
    }
    if let Some(a) = env.absent.iter().find(|a| {
        a.template
            .as_deref()
            .and_then(|t| repo.env_file(t))
            .is_some_and(|e| e.vars.contains_key(var))
    }) {
        return Some(format!(
            "env file {}, made from its template {}",
            a.path,
            a.template.as_deref().unwrap_or_default()
        ));
    }
    if let Some(o) = super::opaque::provides(site, repo, var) {
        return Some(o);
    }
    earlier_write(repo, ctx, site, var).or_else(|| earlier_write(repo, ctx, report_at, var))
}

/// Where the command gets `var` exactly when its server needs it, or where
/// the project itself expects it:
/// - the linked server is a compose file that fills `managementApiSecret`
///   from `${var}` of an env file the command loads too: whatever that file
///   holds, server and command agree (an empty value leaves the server
///   unprotected);
/// - the project's prisma.yml reads `${env:var}` and the command loads an
///   env file the repository does not show: that file is where it is set.
fn same_source(
    target: &super::target::Target,
    env: &EnvView<'_>,
    repo: &RepoFacts,
    var: &str,
) -> Option<String> {
    let loads = || {
        env.files
            .iter()
            .map(String::as_str)
            .chain(env.absent.iter().map(|a| a.path.as_str()))
    };
    // Only a server the endpoint reaches (by name or port), not every config
    // of an endpoint nothing resolves.
    let linked = target.class != EndpointClass::Unknown;
    if let Some((v, files)) = target
        .link
        .as_ref()
        .filter(|_| linked)
        .and_then(|l| l.secret_from.as_ref())
    {
        if v == var {
            if let Some(f) = loads().find(|f| files.iter().any(|c| c == f)) {
                return Some(format!(
                    "env file {f}, from which the server's compose file takes managementApiSecret too"
                ));
            }
        }
    }
    let yml = target.project.as_deref().and_then(|p| repo.prisma_yml(p))?;
    let reads = [&yml.secret, &yml.endpoint]
        .into_iter()
        .flatten()
        .any(|v| v.text.contains(&format!("${{env:{var}")));
    let unseen = env.unseen().next()?;
    reads.then(|| {
        format!(
            "env file {} (not in the repository): the project's prisma.yml reads ${{env:{var}}} from it",
            unseen.path
        )
    })
}

/// An earlier command in the same file that writes `var` somewhere the CLI
/// reads it: `echo "VAR=$X" >> .env`, `printf ... > variables.env`,
/// `echo "VAR=..." >> $GITHUB_ENV`, `sed`/`envsubst` filling a template.
fn earlier_write(
    repo: &RepoFacts,
    ctx: &RepoContext,
    site: &CommandSite,
    var: &str,
) -> Option<String> {
    // Files keep these sites for this search (see `Keep::Relevant`).
    use crate::facts::commands::WRITERS;
    let path = &site.location.path;
    let key = (path.to_string(), var.to_string());
    let mut cache = ctx.first_writes.borrow_mut();
    let first = cache.entry(key).or_insert_with(|| {
        // Sites are in file order: the first writer is the earliest.
        repo.files
            .get(&**path)?
            .commands
            .iter()
            .filter(|c| {
                c.argv
                    .first()
                    .is_some_and(|p| WRITERS.contains(&p.rsplit('/').next().unwrap_or(p)))
                    && c.argv.iter().skip(1).any(|a| a.contains(var))
            })
            .min_by_key(|c| c.location.start_byte)
            .map(|c| {
                (
                    c.location.start_byte,
                    format!(
                        "written by `{}` at {}:{}",
                        c.argv[0], c.location.path, c.location.line
                    ),
                )
            })
    });
    first
        .as_ref()
        .filter(|(at, _)| *at < site.location.start_byte)
        .map(|(_, m)| m.clone())
}
