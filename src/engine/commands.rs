//! The command matcher: which command sites run the Prisma 1 CLI, with which
//! environment, against which endpoint. The rule files say what to report;
//! this file only answers the questions they ask.

mod effective;
mod target;

pub use target::{classify_url, is_cloud_host, resolve_target, EndpointClass, EnvView, Target};

use super::ActiveRule;
use crate::facts::commands::CommandSite;
use crate::facts::commands::Origin;
use crate::facts::package_json::PrismaCli;
use crate::facts::{join, parent, RepoFacts};
use crate::finding::{Finding, Location, Related, Severity};
use crate::rules::CommandMatcher;

/// Top-level commands only the Prisma 1 CLI has.
pub const P1_ONLY: &[&str] = &[
    "deploy",
    "token",
    "info",
    "list",
    "delete",
    "reset",
    "seed",
    "import",
    "export",
    "playground",
    "admin",
    "login",
    "logout",
    "console",
    "account",
    "cluster-token",
    "local",
    "cluster",
    "logs",
];
/// Top-level commands only Prisma ORM has.
pub const ORM_ONLY: &[&str] = &[
    "db", "migrate", "studio", "format", "validate", "debug", "platform", "mcp",
];

/// Severity of command findings in documentation (shell blocks of a README).
pub const DOCS_SEVERITY: Severity = Severity::Note;

/// A command site that runs the Prisma 1 CLI.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub subcommand: String,
    /// `prisma1`, `prisma`, `prisma@1.34`.
    pub program: String,
    /// Arguments after the sub-command.
    pub args: Vec<String>,
}

impl Invocation {
    pub fn display(&self) -> String {
        if self.subcommand.is_empty() {
            self.program.clone()
        } else {
            format!("{} {}", self.program, self.subcommand)
        }
    }

    /// The value of a flag given as `-e X`, `--env-file X` or `--env-file=X`.
    pub fn flag_value(&self, names: &[&str]) -> Option<&str> {
        let mut it = self.args.iter();
        while let Some(a) = it.next() {
            if names.contains(&a.as_str()) {
                return it.next().map(String::as_str);
            }
            for n in names.iter().filter(|n| n.starts_with("--")) {
                if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                    return Some(v);
                }
            }
        }
        None
    }

    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.args.iter().any(|a| {
            names
                .iter()
                .any(|n| a == n || (n.starts_with("--") && a.starts_with(&format!("{n}="))))
        })
    }

    /// `-p/--project`, minding that `export -p` is `--path`.
    pub fn project(&self) -> Option<&str> {
        if self.subcommand == "export" {
            self.flag_value(&["--project"])
        } else {
            self.flag_value(&["-p", "--project"])
        }
    }

    /// `-e/--env-file`, minding that `init -e` is `--endpoint`.
    pub fn env_file(&self) -> Option<&str> {
        if self.subcommand == "init" {
            None
        } else {
            self.flag_value(&["-e", "--env-file"])
        }
    }
}

/// Decides whether `site` runs the Prisma 1 CLI, following the reference's procedure.
pub fn classify(site: &CommandSite, repo: &RepoFacts) -> Option<Invocation> {
    let program = site.argv.first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    let words: Vec<&String> = site.argv.iter().skip(1).collect();
    let sub_at = words.iter().position(|w| !w.starts_with('-'));
    let subcommand = sub_at.map(|i| words[i].clone()).unwrap_or_default();
    let args: Vec<String> = match sub_at {
        Some(i) => words[i + 1..].iter().map(|s| s.to_string()).collect(),
        None => words.iter().map(|s| s.to_string()).collect(),
    };
    let inv = Invocation {
        subcommand: subcommand.clone(),
        // `npx prisma1@1.34.10 deploy` is shown as `prisma1 deploy`.
        program: base.split('@').next().unwrap_or(base).to_string(),
        args,
    };
    if base == "prisma1" || base.starts_with("prisma1@") {
        return Some(inv);
    }
    if let Some(ver) = base.strip_prefix("prisma@") {
        return (ver.starts_with('1') || ver.starts_with("^1") || ver.starts_with("~1"))
            .then_some(inv);
    }
    if base != "prisma" {
        return None;
    }
    if ORM_ONLY.contains(&subcommand.as_str()) {
        return None;
    }
    match repo
        .nearest_package(&effective_cwd(site, repo))
        .and_then(|(path, p)| p.prisma_cli().map(|c| (path, c)))
    {
        Some((_, PrismaCli::Prisma1)) => return Some(inv),
        Some((_, PrismaCli::Orm)) => return None,
        Some((path, PrismaCli::Ambiguous)) => {
            if let Some(v) = repo.locked_prisma(parent(path)) {
                return v.starts_with("1.").then_some(inv);
            }
        }
        None => {
            // No package.json decides: a pinned global install of Prisma 1
            // (`RUN npm i -g prisma@1.34.10`) is what `prisma` runs.
            if repo.global_prisma1.is_some() {
                return Some(inv);
            }
        }
    }
    if P1_ONLY.contains(&subcommand.as_str()) {
        return Some(inv);
    }
    // init/generate/introspect: a prisma.yml project where it runs means Prisma 1.
    let project = find_project(repo, &effective_cwd(site, repo), None)?;
    repo.prisma_yml(&project)
        .filter(|p| p.is_project())
        .map(|_| inv)
}

/// The folder a command runs in. Extractors start a shell script in its own
/// folder, but scripts are as often run from the repository root
/// (`bash scripts/deploy.sh`); when only the root reading finds a prisma.yml
/// project, that reading wins.
pub fn effective_cwd(site: &CommandSite, repo: &RepoFacts) -> String {
    if let Some(dir) = site
        .workspace
        .as_deref()
        .and_then(|w| repo.workspace_dir(w))
    {
        return dir.to_string();
    }
    let dir = parent(&site.location.path);
    // A copy reached through callers is named `caller → script`; the last hop runs.
    let source = site.source.rsplit(" → ").next().unwrap_or_default();
    if dir.is_empty()
        || !source.starts_with("shell script")
        || find_project(repo, &site.cwd, None).is_some()
    {
        return site.cwd.clone();
    }
    let rest = site
        .cwd
        .strip_prefix(dir)
        .map(|r| r.trim_start_matches('/'));
    match rest {
        Some(r) if find_project(repo, r, None).is_some() => r.to_string(),
        _ => site.cwd.clone(),
    }
}

/// The prisma.yml a command in `cwd` loads: `-p`, then `./prisma.yml`,
/// `./prisma/prisma.yml`, a `.graphqlconfig` naming one, then the nearest
/// parent's `prisma.yml`.
pub fn find_project(repo: &RepoFacts, cwd: &str, flag: Option<&str>) -> Option<String> {
    if let Some(p) = flag {
        return Some(join(cwd, p));
    }
    let here = join(cwd, "prisma.yml");
    if repo.prisma_yml(&here).is_some() {
        return Some(here);
    }
    let nested = join(cwd, "prisma/prisma.yml");
    if repo.prisma_yml(&nested).is_some() {
        return Some(nested);
    }
    // `.graphqlconfig[.yml|.yaml]` with `extensions.prisma: PATH`.
    for name in [
        ".graphqlconfig",
        ".graphqlconfig.yml",
        ".graphqlconfig.yaml",
    ] {
        let Some(f) = repo.files.get(&join(cwd, name)) else {
            continue;
        };
        if let Some(p) = f
            .graphql_prisma
            .iter()
            .map(|p| join(cwd, p))
            .find(|p| repo.prisma_yml(p).is_some())
        {
            return Some(p);
        }
    }
    let mut dir = cwd.to_string();
    while !dir.is_empty() {
        dir = parent(&dir).to_string();
        let p = join(&dir, "prisma.yml");
        if repo.prisma_yml(&p).is_some() {
            return Some(p);
        }
    }
    None
}

/// Repository-wide facts the command rules need, computed once.
pub struct RepoContext {
    /// Severity of command findings in documentation.
    pub docs_severity: Severity,
    pub compose_services: Vec<String>,
    /// Every Prisma 1 server config: (folder, sets `managementApiSecret`).
    pub servers: Vec<(String, bool)>,
}

impl Default for RepoContext {
    fn default() -> Self {
        RepoContext {
            docs_severity: DOCS_SEVERITY,
            compose_services: Vec::new(),
            servers: Vec::new(),
        }
    }
}

impl RepoContext {
    /// Is the local server that a project in `scope` talks to protected?
    /// The configs in the same folder tree as the project decide (a monorepo's
    /// other servers say nothing about this one); when none is there, every
    /// config in the repository must agree.
    pub fn local_server_protected(&self, scope: &str) -> bool {
        let related = |dir: &str| {
            let inside =
                |a: &str, b: &str| a.is_empty() || a == b || b.starts_with(&format!("{a}/"));
            inside(dir, scope) || inside(scope, dir)
        };
        let near: Vec<bool> = self
            .servers
            .iter()
            .filter(|(d, _)| related(d))
            .map(|(_, s)| *s)
            .collect();
        let pool: Vec<bool> = if near.is_empty() {
            self.servers.iter().map(|(_, s)| *s).collect()
        } else {
            near
        };
        !pool.is_empty() && pool.iter().all(|s| *s)
    }
}

/// What one command site gives a command matcher, before it becomes a finding.
struct Hit<'s> {
    inv: Invocation,
    env: EnvView<'s>,
    target: Option<Target>,
}

/// Applies one `command:` matcher to every command of the repository, as the
/// commands run (see [`effective`]).
pub fn apply(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    repo: &RepoFacts,
    ctx: &RepoContext,
    out: &mut Vec<Finding>,
) {
    for (path, facts) in &repo.files {
        if !applies(ar, path) {
            continue;
        }
        let sites = effective::sites(facts, repo);
        for (idx, eff) in sites.iter().enumerate() {
            let later = sites[idx + 1..].iter().map(|e| e.site.as_ref());
            let Some(hit) = evaluate(cm, &eff.site, later, repo, ctx) else {
                continue;
            };
            if let Some(base) = eff.base {
                if applies(ar, &base.location.path) && base_hits(cm, base, repo, ctx) {
                    continue;
                }
            }
            out.push(render(ar, cm, eff, &hit, repo, ctx.docs_severity));
        }
    }
}

fn applies(ar: &ActiveRule<'_>, path: &str) -> bool {
    ar.rule.files.kinds.is_empty()
        || ar
            .rule
            .files
            .applies(path, crate::kind::FileKind::from_path(path))
}

/// Whether the written site `base` gives this matcher a finding by itself.
fn base_hits(cm: &CommandMatcher, base: &CommandSite, repo: &RepoFacts, ctx: &RepoContext) -> bool {
    let later: &[CommandSite] = repo
        .files
        .get(&base.location.path)
        .and_then(|f| {
            let at = f.commands.iter().position(|s| std::ptr::eq(s, base))?;
            f.commands.get(at + 1..)
        })
        .unwrap_or_default();
    evaluate(cm, base, later.iter(), repo, ctx).is_some()
}

/// Decides whether `site` matches; `later` are the commands that run after it.
fn evaluate<'s, 'l>(
    cm: &CommandMatcher,
    site: &'s CommandSite,
    mut later: impl Iterator<Item = &'l CommandSite>,
    repo: &'s RepoFacts,
    ctx: &RepoContext,
) -> Option<Hit<'s>> {
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
        _ => classify(site, repo)?,
    };
    if spec.cli == "prisma1"
        && !spec.subcommands.is_empty()
        && !spec.subcommands.contains(&inv.subcommand)
    {
        return None;
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
    let env = EnvView::new(site, &inv, repo);
    if !spec.env_any.is_empty() && !spec.env_any.iter().any(|v| site.has_env(v)) {
        return None;
    }
    if let Some(var) = &spec.missing_env {
        if env.provides(var) || !env.missing_files.is_empty() {
            return None;
        }
    }
    let target = if spec.endpoint.is_empty() {
        None
    } else {
        let t = resolve_target(site, &inv, &env, ctx);
        if !spec.endpoint.iter().any(|c| c == t.class.name()) {
            return None;
        }
        Some(t)
    };
    Some(Hit { inv, env, target })
}

/// The finding for a hit, placed on the outermost caller.
fn render(
    ar: &ActiveRule<'_>,
    cm: &CommandMatcher,
    eff: &effective::Effective<'_>,
    hit: &Hit<'_>,
    repo: &RepoFacts,
    docs_severity: Severity,
) -> Finding {
    let (site, inv, target) = (eff.site.as_ref(), &hit.inv, hit.target.as_ref());
    let template = cm.message.as_ref().unwrap_or(&ar.rule.message);
    let scopes = hit.env.describe();
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
    let lookup = |n: &str| match n {
        "subcommand" => Some(inv.subcommand.as_str()),
        "invocation" => Some(invocation.as_str()),
        "program" => Some(inv.program.as_str()),
        "source" => Some(site.source.as_str()),
        "endpoint" => Some(endpoint.as_str()),
        "endpoint_class" => Some(class),
        "scopes" => Some(scopes.as_str()),
        "env_var" => Some(env_var.as_str()),
        "project" => Some(project.as_str()),
        "flags" => Some(flags.as_str()),
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
    let at = &eff.report_at.word_location;
    let docs = eff.report_at.origin == Origin::Docs;
    // What documentation tells people to run is worth updating, not an outage.
    let (severity, message) = if docs {
        (
            ar.severity.min(docs_severity),
            format!("documented command: {message}"),
        )
    } else {
        (ar.severity, message)
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
        origin: eff.report_at.origin,
        label,
        snippet_span: None,
    }
}

/// `npm i -g prisma`, `npm install --global prisma@latest`, `yarn global add prisma`.
fn is_unpinned_global_install(site: &CommandSite) -> bool {
    let argv: Vec<&str> = site.argv.iter().map(String::as_str).collect();
    let unpinned = |w: &&str| *w == "prisma" || *w == "prisma@latest";
    match argv.as_slice() {
        ["npm", verb, rest @ ..] if matches!(*verb, "i" | "install" | "add") => {
            rest.iter().any(|w| *w == "-g" || *w == "--global") && rest.iter().any(unpinned)
        }
        ["yarn", "global", "add", rest @ ..] | ["global", "add", rest @ ..] => {
            rest.iter().any(unpinned)
        }
        ["pnpm", "add", rest @ ..] => {
            rest.iter().any(|w| *w == "-g" || *w == "--global") && rest.iter().any(unpinned)
        }
        _ => false,
    }
}

#[cfg(test)]
mod server_scope_tests {
    use super::RepoContext;

    #[test]
    fn only_the_projects_own_servers_decide_protection() {
        let ctx = RepoContext {
            servers: vec![("a".into(), true), ("b".into(), false)],
            ..RepoContext::default()
        };
        assert!(ctx.local_server_protected("a/prisma"));
        assert!(!ctx.local_server_protected("b"));
        // Nothing near: every config must agree.
        assert!(!ctx.local_server_protected("c"));
        let all = RepoContext {
            servers: vec![("docker".into(), true)],
            ..RepoContext::default()
        };
        assert!(all.local_server_protected("prisma"));
        let none = RepoContext::default();
        assert!(!none.local_server_protected(""));
    }
}
