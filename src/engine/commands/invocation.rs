//! Which command sites run the Prisma 1 CLI ([`classify`]), and where: the
//! folder a command runs in and the prisma.yml it loads. Every judgement of
//! a command starts from an [`Invocation`].

use crate::facts::commands::CommandSite;
use crate::facts::package_json::PrismaCli;
use crate::facts::RepoFacts;
use crate::finding::Severity;
use crate::paths::{join, parent};

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
    /// A Prisma 1-only command where the nearest package.json declares
    /// Prisma ORM: the declaration, for messages (`package.json declares
    /// prisma ^3.1.0`): the file and the range. The command cannot run as
    /// declared.
    pub stale: Option<(String, String)>,
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
    // Nearly every command is some other program: decided before any allocation.
    if !base.starts_with("prisma") {
        return None;
    }
    let words: Vec<&String> = site.argv.iter().skip(1).collect();
    let sub_at = words.iter().position(|w| !w.starts_with('-'));
    let subcommand = sub_at.map(|i| words[i].clone()).unwrap_or_default();
    let args: Vec<String> = match sub_at {
        Some(i) => words[i + 1..].iter().map(|s| s.to_string()).collect(),
        None => words.iter().map(|s| s.to_string()).collect(),
    };
    let mut inv = Invocation {
        subcommand: subcommand.clone(),
        // `npx prisma1@1.34.10 deploy` is shown as `prisma1 deploy`.
        program: base.split('@').next().unwrap_or(base).to_string(),
        args,
        stale: None,
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
    // `yarn run prisma` runs the package's own script named `prisma` when it
    // has one, not the binary.
    if site
        .wrappers
        .last()
        .is_some_and(|w| crate::facts::commands::SCRIPT_RUNNERS.contains(&w.as_str()))
        && repo
            .nearest_package(&effective_cwd(site, repo))
            .is_some_and(|(_, p)| p.prisma_scripts.iter().any(|n| n == program))
    {
        return None;
    }
    // Sub-commands and flags only the Prisma 1 CLI ever had are Prisma 1.
    let p1_flag = (subcommand != "init" && inv.has_flag(&["-e", "--env-file", "-p", "--project"]))
        || inv.has_flag(&["--endpoint"]);
    let p1_only = P1_ONLY.contains(&subcommand.as_str()) || p1_flag;
    match repo
        .nearest_package(&effective_cwd(site, repo))
        .and_then(|(path, p)| p.prisma_cli().map(|c| (path, p, c)))
    {
        Some((_, _, PrismaCli::Prisma1)) => return Some(inv),
        Some((path, p, PrismaCli::Orm)) => {
            // Under a Prisma ORM declaration they are stale Prisma 1 commands
            // when the repository shows Prisma 1 (a flag only it has, a
            // prisma.yml project); a bare `prisma seed` in a pure ORM project
            // is a mistyped `prisma db seed`.
            let prisma1_here = p1_flag
                || repo
                    .files
                    .values()
                    .any(|f| f.prisma_yml.as_ref().is_some_and(|y| y.is_project()));
            if !(p1_only && prisma1_here) {
                return None;
            }
            let range = p.dependency("prisma").map_or("2+", |d| d.range.as_str());
            inv.stale = Some((path.to_string(), range.to_string()));
            return Some(inv);
        }
        Some((path, _, PrismaCli::Ambiguous)) => {
            if let Some(v) = repo.locked_prisma(parent(path)) {
                return v.starts_with("1.").then_some(inv);
            }
        }
        None => {
            // No package.json decides: a pinned global install of Prisma 1
            // (`RUN npm i -g prisma@1.34.10`) is what `prisma` runs, and so
            // is the CLI every package of the repository declares.
            if repo.global_prisma1.is_some() || repo.declared_prisma == Some(PrismaCli::Prisma1) {
                return Some(inv);
            }
        }
    }
    if p1_only {
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
/// project, that reading wins. A script that moves to its own folder
/// (`cd "$(dirname "$0")"`) is where it says.
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
    if site.anchored
        || dir.is_empty()
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

/// `npm i -g prisma`, `npm install --global prisma@latest`, `yarn global add prisma`
/// (flags in any position).
pub(crate) fn is_unpinned_global_install(site: &CommandSite) -> bool {
    let unpinned = |w: &&str| *w == "prisma" || *w == "prisma@latest";
    // `yarn global add` peeled by the package runner leaves `global add ...`.
    if let ["global", "add", rest @ ..] = site
        .argv
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        return rest.iter().any(unpinned);
    }
    crate::facts::commands::global_install(&site.argv).is_some_and(|p| p.iter().any(unpinned))
}
