//! Whether the management secret reaches one command, and how sure the
//! repository lets us be. The check (`missing-management-secret`) and the
//! audit's services table both ask this, so they give the same answer.
//!
//! `high` means the repository proves it: the target needs the secret and
//! every place it could come from is visible and lacks it. `medium` means it
//! depends on something the repository does not show: an env file that is
//! not committed and has no template, variables a CI platform injects from
//! its settings, an endpoint that cannot be resolved.

use super::target::Target;
use super::{resolve_target, EndpointClass, EnvView, Invocation, Protection, RepoContext};
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

fn runner(path: &str) -> Runner {
    match FileKind::from_path(path) {
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
    let env = EnvView::new(site, inv, repo);
    let target = resolve_target(site, inv, &env, repo, ctx);
    let mut checked = vec![format!(
        "command `{}` uses the management API",
        inv.display()
    )];
    checked.push(describe_target(&target));
    checked.push(format!("environment: {}", env.describe()));
    let report_path = report_at.location.path.as_str();
    let provided_by = provenance(site, report_at, &env, repo, ctx, var);
    let mut unless = Vec::new();
    let mut medium = false;
    match target.class {
        // An unresolved endpoint is proven only when the repository deploys its
        // server elsewhere and protects it; a local compose server says little.
        EndpointClass::Unknown
            if !target
                .link
                .as_ref()
                .is_some_and(|l| l.protection == Protection::Protected && l.remote) =>
        {
            medium = true;
            unless.push("the endpoint is a server that needs no secret".to_string());
        }
        _ => {}
    }
    for a in env.unseen() {
        if a.explicit {
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
    let run = runner(report_path);
    match run {
        Runner::Visible(what) => checked.push(format!("runner: {what}")),
        Runner::Platform(what) => {
            medium = true;
            checked.push(format!("runner: {what} are not in the repository"));
            unless.push(format!("{what} define {var}"));
        }
        Runner::Shell => {
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
        confidence: if medium {
            Confidence::Medium
        } else {
            Confidence::High
        },
        checked,
        unless,
    }
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
    format!("endpoint {url}: {how}")
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
    let key = (path.clone(), var.to_string());
    let mut cache = ctx.first_writes.borrow_mut();
    let first = cache.entry(key).or_insert_with(|| {
        // Sites are in file order: the first writer is the earliest.
        repo.files
            .get(path)?
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
