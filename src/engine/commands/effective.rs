//! Commands as they run, not only as they are written. A CI step, Dockerfile
//! `RUN`, Makefile recipe or shell script line such as `npm run deploy`,
//! `make deploy`, `./deploy.sh` or `bash scripts/deploy.sh` runs a
//! package.json script, a Makefile target or a shell script of the
//! repository: its commands then run with the caller's environment around
//! them, and what they call is followed in turn (Makefile -> npm script ->
//! CLI; CI step -> shell script -> CLI). So `PRISMA_MANAGEMENT_API_SECRET`
//! exported by a CI job or a Makefile reaches the `prisma1 deploy` it starts.
//!
//! Every such copy remembers the script's own site (its *base*) and the
//! written callers that led to it, so one problem in a script is one finding
//! however many callers reach it, and the callers can be named beside it.

use super::invocation::{classify, effective_cwd, Invocation};
use crate::facts::commands::{repo_call, CommandSite, RepoCall};
use crate::facts::{FileFacts, RepoFacts};
use crate::paths::join;

/// Calling chains longer than this are not followed.
const MAX_DEPTH: usize = 8;

/// Copies one file may produce at most: scripts calling each other must not multiply without end.
const MAX_COPIES: usize = 10_000;

/// A command site as written, or a copy of one that a caller runs (with the
/// caller's environment and folder). A copy is boxed: every file's sites
/// are held at once while the command rules run, and nearly all of them are
/// as written, so the common case costs a pointer, not a whole site.
#[derive(Debug)]
pub enum Site<'a> {
    Written(&'a CommandSite),
    Copy(Box<CommandSite>),
}

impl std::ops::Deref for Site<'_> {
    type Target = CommandSite;
    fn deref(&self) -> &CommandSite {
        match self {
            Site::Written(s) => s,
            Site::Copy(s) => s,
        }
    }
}

impl AsRef<CommandSite> for Site<'_> {
    fn as_ref(&self) -> &CommandSite {
        self
    }
}

/// One command as it runs.
#[derive(Debug)]
pub struct Effective<'a> {
    /// What runs, with the environment, folder and source it runs with.
    pub site: Site<'a>,
    /// The outermost caller (the site itself when it is not a copy): where
    /// rules that only name commands report a caller that makes the difference.
    pub report_at: &'a CommandSite,
    /// The written site this one copies, when it is a copy.
    pub base: Option<&'a CommandSite>,
    /// The written callers that lead to this copy, outermost first (the
    /// first is `report_at`); empty for a site as written.
    pub callers: Vec<&'a CommandSite>,
    /// What [`classify`] says of `site`, asked once for every command rule.
    /// (Boxed: most sites are not a Prisma CLI.)
    classified: std::sync::OnceLock<Option<Box<Invocation>>>,
}

impl<'a> Effective<'a> {
    fn new(
        site: Site<'a>,
        report_at: &'a CommandSite,
        base: Option<&'a CommandSite>,
        callers: Vec<&'a CommandSite>,
    ) -> Effective<'a> {
        Effective {
            site,
            report_at,
            base,
            callers,
            classified: std::sync::OnceLock::new(),
        }
    }

    /// [`classify`] of this site, worked out at the first call.
    pub fn invocation(&self, repo: &RepoFacts) -> Option<Invocation> {
        self.classified
            .get_or_init(|| classify(&self.site, repo).map(Box::new))
            .as_deref()
            .cloned()
    }
}

/// The sites of one file as they run, in file order; each script a site
/// calls in another file follows right after it. A function body as written
/// (see [`CommandSite::in_function`]) is a site but runs nothing by itself.
pub fn sites<'a>(facts: &'a FileFacts, repo: &'a RepoFacts) -> Vec<Effective<'a>> {
    let mut out = Vec::new();
    // Function bodies as written, by place: a call in the same script gives
    // sites at the same places, copies of these.
    let bodies: std::collections::HashMap<(usize, usize), &'a CommandSite> = facts
        .commands
        .iter()
        .filter(|s| s.in_function.is_some())
        .map(|s| ((s.location.start_byte, s.location.end_byte), s))
        .collect();
    for site in &facts.commands {
        let base = if site.in_function.is_none() {
            bodies
                .get(&(site.location.start_byte, site.location.end_byte))
                .copied()
                .or_else(|| in_file_base(site, facts))
        } else {
            None
        };
        out.push(Effective::new(Site::Written(site), site, base, Vec::new()));
        if site.in_function.is_some() {
            continue;
        }
        let mut chain = Vec::new();
        let before = out.len();
        let mut callers = vec![site];
        expand(site, site, repo, true, &mut chain, &mut callers, &mut out);
        if out.len() - before > MAX_COPIES {
            out.truncate(before + MAX_COPIES);
        }
    }
    out
}

/// package.json scripts reached through a calling script in the same file
/// are recorded once more with the caller's environment (`(via "x")`); their
/// base is the script's own site at the same place.
fn in_file_base<'a>(site: &CommandSite, facts: &'a FileFacts) -> Option<&'a CommandSite> {
    if !site.source.contains(" (via ") {
        return None;
    }
    facts.commands.iter().find(|s| {
        s.location.start_byte == site.location.start_byte
            && s.location.end_byte == site.location.end_byte
            && !s.source.contains(" (via ")
    })
}

/// What a caller runs of the repository's own: the file, the sources of
/// the sites to copy (with hooks, in order), and for shell scripts the
/// folder the script was read from and the folder it really starts in.
struct Callee<'a> {
    path: &'a str,
    facts: &'a FileFacts,
    /// Identifies the call in a chain (file and script or target).
    name: String,
    sources: Vec<String>,
    rebase: Option<(String, String)>,
    /// A shell function of the callee file: its body's sites, not the
    /// file's top level.
    function: Option<String>,
}

/// The package.json script, Makefile target or shell script `site` runs.
fn callee<'a>(site: &CommandSite, repo: &'a RepoFacts) -> Option<Callee<'a>> {
    // The words decide whether it is a call at all, before any folder is worked out.
    let Some(call) = repo_call(site) else {
        return function_callee(site, repo);
    };
    let cwd = effective_cwd(site, repo);
    let script = match call {
        RepoCall::Script(program) => {
            let (path, _) = repo.nearest_package(&cwd)?;
            let (path, facts) = repo.files.get_key_value(path)?;
            let sources: Vec<String> = [
                format!("pre{program}"),
                program.to_string(),
                format!("post{program}"),
            ]
            .iter()
            .map(|h| script_source(h))
            .collect();
            return facts
                .commands
                .iter()
                .any(|s| s.source == sources[1])
                .then(|| Callee {
                    path: path.as_str(),
                    facts,
                    name: program.to_string(),
                    sources,
                    rebase: None,
                    function: None,
                });
        }
        RepoCall::Make(args) => return make_callee(args, &cwd, repo),
        RepoCall::Shell(script) => script,
    };
    let path = join(&cwd, script);
    let Some((path, facts)) = repo.files.get_key_value(&path) else {
        return image_callee(site, script, repo);
    };
    script_callee(
        path,
        facts,
        Some((crate::paths::parent(path).to_string(), cwd)),
    )
}

/// The shell script at `path`, run as a whole, when it has commands.
fn script_callee<'a>(
    path: &'a str,
    facts: &'a FileFacts,
    rebase: Option<(String, String)>,
) -> Option<Callee<'a>> {
    let source = format!("shell script {path}");
    facts
        .commands
        .iter()
        .any(|s| s.source == source)
        .then(|| Callee {
            path,
            facts,
            name: String::new(),
            sources: vec![source],
            rebase,
            function: None,
        })
}

/// A script a container runs from its image (`command: [bash, ./deploy.sh]`
/// in a Kubernetes Job of image `acme/helper`): the repository's script that
/// the image's Dockerfile copied there. The Dockerfile is the one the
/// repository builds the image from (`docker build -t acme/helper -f F`), or
/// else the only one that copies a script to that place.
fn image_callee<'a>(site: &CommandSite, script: &str, repo: &'a RepoFacts) -> Option<Callee<'a>> {
    let c = site
        .container
        .as_ref()
        .filter(|c| c.kind == crate::facts::commands::ContainerKind::DockerImage)?;
    let name = crate::facts::commands::image::image_name(&c.name);
    let scripts_of = |dockerfile: &str| -> Vec<(&'a String, &'a FileFacts)> {
        let Some(layout) = repo.files.get(dockerfile).and_then(|f| f.image.as_ref()) else {
            return Vec::new();
        };
        let dir = crate::paths::parent(dockerfile);
        let mut found = Vec::new();
        for src in layout.sources(script) {
            for base in [dir, ""] {
                if let Some(hit) = repo.files.get_key_value(&join(base, &src)) {
                    if !found.iter().any(|(p, _): &(&String, _)| *p == hit.0) {
                        found.push(hit);
                    }
                }
            }
        }
        found
    };
    let found: Vec<(&'a String, &'a FileFacts)> = match repo.images.get(&name) {
        Some(dockerfiles) => dockerfiles.iter().flat_map(|d| scripts_of(d)).collect(),
        None => repo
            .files
            .iter()
            .filter(|(_, f)| f.image.is_some())
            .flat_map(|(d, _)| scripts_of(d))
            .collect(),
    };
    // Several images under one name (one repository holding several
    // projects): the script nearest the caller, when one is nearest.
    let shared = |p: &str| {
        let (a, b) = (
            crate::paths::parent(p),
            crate::paths::parent(&site.location.path),
        );
        a.split('/')
            .zip(b.split('/'))
            .take_while(|(x, y)| x == y && !x.is_empty())
            .count()
    };
    let best = found.iter().map(|(p, _)| shared(p)).max()?;
    let nearest: Vec<_> = found.iter().filter(|(p, _)| shared(p) == best).collect();
    let [(path, facts)] = nearest.as_slice() else {
        return None;
    };
    script_callee(path, facts, None)
}

/// A call of a shell function defined in the caller's own file (a body read
/// as written, for a copy of it) or in a script it sourced earlier
/// (`source ./lib.sh` then `deploy_prisma`); the library is found from
/// where the caller runs, then from the folder of the `source` line.
fn function_callee<'a>(site: &CommandSite, repo: &'a RepoFacts) -> Option<Callee<'a>> {
    let name = site.argv.first()?;
    if site.argv.len() > 64 || !crate::facts::commands::may_name_function(name) {
        return None;
    }
    let (path, facts) = repo.files.get_key_value(&*site.location.path)?;
    let defines = |f: &FileFacts| {
        f.commands
            .iter()
            .any(|s| s.in_function.as_deref() == Some(name.as_str()))
    };
    let callee = |path: &'a String, facts: &'a FileFacts| {
        let source = format!("shell script {path}");
        Some(Callee {
            path: path.as_str(),
            facts,
            name: format!("function {name}"),
            sources: vec![source],
            rebase: Some((crate::paths::parent(path).to_string(), site.cwd.clone())),
            function: Some(name.clone()),
        })
    };
    if (site.in_function.is_some() || site.source.contains(" → ")) && defines(facts) {
        return callee(path, facts);
    }
    let cwd = effective_cwd(site, repo);
    repo.sourcing(path)
        .take_while(|s| s.location.start_byte < site.location.start_byte)
        .filter_map(|s| {
            let lib = s.argv.get(1)?;
            // Where the caller runs, the `source` line's own folder, the root.
            [join(&cwd, lib), join(&s.cwd, lib), join("", lib)]
                .into_iter()
                .find_map(|p| repo.files.get_key_value(&p))
        })
        .find(|(_, f)| defines(f))
        .and_then(|(p, f)| callee(p, f))
}

/// `make [-C DIR] [-f FILE] TARGET...`: the recipes of those targets.
fn make_callee<'a>(args: &[String], cwd: &str, repo: &'a RepoFacts) -> Option<Callee<'a>> {
    let mut dir = cwd.to_string();
    let mut file = None;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-C" | "--directory" => dir = join(&dir, it.next()?),
            "-f" | "--file" | "--makefile" => file = it.next().cloned(),
            a if a.starts_with('-') || a.contains('=') => {}
            a => targets.push(a.to_string()),
        }
    }
    let names: Vec<String> = match file {
        Some(f) => vec![join(&dir, &f)],
        None => ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .map(|n| join(&dir, n))
            .collect(),
    };
    let (path, facts) = names.iter().find_map(|n| repo.files.get_key_value(n))?;
    let first = targets.first().cloned().unwrap_or_default();
    let sources: Vec<String> = targets
        .iter()
        .map(|t| format!("Makefile target \"{t}\""))
        .collect();
    (!sources.is_empty()).then_some(Callee {
        path: path.as_str(),
        facts,
        name: first,
        sources,
        rebase: None,
        function: None,
    })
}

fn script_source(name: &str) -> String {
    format!("package.json script \"{name}\"")
}

/// Adds the sites of what `caller` runs (a package.json script with its
/// `pre`/`post` hooks, Makefile targets, a shell script), then what those
/// run in turn. At the top, scripts of the caller's own package.json are left
/// to the package.json extractor, which follows them.
#[allow(clippy::too_many_arguments)]
fn expand<'a>(
    caller: &CommandSite,
    top: &'a CommandSite,
    repo: &'a RepoFacts,
    top_level: bool,
    chain: &mut Vec<(String, String)>,
    callers: &mut Vec<&'a CommandSite>,
    out: &mut Vec<Effective<'a>>,
) {
    let Some(callee) = callee(caller, repo) else {
        return;
    };
    let (pkg, name) = (callee.path, callee.name.clone());
    if (top_level && pkg == &*caller.location.path)
        || chain.len() >= MAX_DEPTH
        || chain.iter().any(|(p, n)| p == pkg && *n == name)
    {
        return;
    }
    chain.push((pkg.to_string(), name));
    let caller_cwd = effective_cwd(caller, repo);
    // The caller's env files are relative to where the caller runs; anchor them at the root.
    let caller_files: Vec<String> = caller
        .env_files
        .iter()
        .map(|f| format!("/{}", join(&caller_cwd, f)))
        .collect();
    for source in &callee.sources {
        let runs = |s: &&CommandSite| {
            s.source == *source && s.in_function.as_deref() == callee.function.as_deref()
        };
        for base in callee.facts.commands.iter().filter(runs) {
            let mut copy = base.clone();
            copy.in_function = None;
            copy.source = format!("{} → {}", caller.source, base.source);
            copy.env.extend(caller.env.iter().cloned());
            // What may provide any variable to the caller (a Job's envFrom, a
            // secret runner) provides it to what the caller runs.
            copy.opaque_env.extend(caller.opaque_env.iter().cloned());
            copy.env_files = caller_files
                .iter()
                .chain(&base.env_files)
                .cloned()
                .collect();
            // A script starts in its caller's folder; its own `cd`s stay relative to that.
            if let Some((read_in, runs_in)) = callee.rebase.as_ref().filter(|_| !copy.anchored) {
                if copy.cwd == *read_in {
                    copy.cwd = runs_in.clone();
                } else if read_in.is_empty() {
                    copy.cwd = join(runs_in, &copy.cwd);
                } else if let Some(rest) = copy.cwd.strip_prefix(&format!("{read_in}/")) {
                    copy.cwd = join(runs_in, rest);
                }
            }
            let next = copy.clone();
            out.push(Effective::new(
                Site::Copy(Box::new(copy)),
                top,
                Some(base),
                callers.clone(),
            ));
            if out.len() > MAX_COPIES {
                break;
            }
            callers.push(base);
            expand(&next, top, repo, false, chain, callers, out);
            callers.pop();
        }
    }
    chain.pop();
}
