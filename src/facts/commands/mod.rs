//! Shell commands in context: every command line a repository runs, where it
//! runs, and with which environment.
//!
//! Extractors turn each file kind (package.json scripts, shell scripts,
//! Makefiles, Dockerfiles, compose files, Procfiles, CI configs) into
//! [`CommandSite`]s. A site is one *simple command* after shell splitting
//! (`a && b` gives two sites) with wrappers (`npx`, `dotenv -e F --`, `env
//! VAR=x`) already peeled off into [`CommandSite::wrappers`] and
//! [`CommandSite::env_files`]. Deciding what a command means (is `prisma` the
//! Prisma 1 CLI?) is the engine's job, not the extractor's.

use crate::finding::{Location, Origin};

/// Where an environment variable's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeKind {
    /// `VAR=x cmd` or `env VAR=x cmd` or `cross-env VAR=x cmd`.
    Inline,
    /// `export VAR=x` (or `VAR=x` alone) earlier in the same script or block.
    Export,
    /// A CI step's `env`/`environment`.
    Step,
    /// A CI job's `env`/`variables`/`environment`.
    Job,
    /// A workflow/pipeline-wide `env`/`variables`/`environment`.
    Global,
    /// Dockerfile `ENV`/`ARG`.
    Dockerfile,
    /// docker-compose `environment`.
    Compose,
    /// Makefile variable assignments and `export`s.
    Makefile,
    /// Kubernetes container `env` (`value` or `valueFrom.secretKeyRef`).
    Kubernetes,
    /// `docker run -e`, `docker compose run|exec -e`: the inner command's environment.
    Docker,
    /// Variables a caller exported before running this script (`make`, `npm run`, `sh x.sh`).
    Caller,
}

impl ScopeKind {
    pub fn describe(self) -> &'static str {
        match self {
            ScopeKind::Inline => "inline assignment",
            ScopeKind::Export => "earlier export",
            ScopeKind::Step => "step env",
            ScopeKind::Job => "job env",
            ScopeKind::Global => "workflow env",
            ScopeKind::Dockerfile => "Dockerfile ENV/ARG",
            ScopeKind::Compose => "compose environment",
            ScopeKind::Makefile => "Makefile variables",
            ScopeKind::Kubernetes => "Kubernetes container env",
            ScopeKind::Docker => "docker -e",
            ScopeKind::Caller => "caller's environment",
        }
    }
}

/// One variable as a scope defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The literal value, or `None` when it is a reference the repository cannot
    /// resolve (`${{ secrets.X }}`, `$X`, a masked CI variable). Either way the
    /// variable *is provided*.
    pub value: Option<String>,
    pub location: Location,
}

/// The variables of a scope. A persistent map: every command site of a
/// script shares the scope it saw instead of copying it, so memory stays
/// linear in the script however many variables and commands it has.
pub type Vars = imbl::OrdMap<String, EnvVar>;

/// A set of variables that surrounds a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvScope {
    pub kind: ScopeKind,
    /// For people: `job "deploy"`, `step "Deploy"`, `service "api"`.
    pub label: String,
    pub vars: Vars,
}

/// What kind of source may provide *any* variable to a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpaqueKind {
    /// Kubernetes `envFrom: - secretRef: {name}`.
    KubernetesSecret,
    /// Kubernetes `envFrom: - configMapRef: {name}`.
    KubernetesConfigMap,
    /// A secret manager that runs the command with its secrets in the
    /// environment: `doppler run --`, `chamber exec S --`, `op run --`,
    /// `aws-vault exec P --`, `sops exec-env F`, `infisical run --`.
    SecretRunner,
    /// A hosting platform that runs the command with its config vars:
    /// `heroku run`, `kubectl exec`, `ssh HOST`.
    Platform,
}

/// A source that may provide any variable; the repository may or may not show which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpaqueEnv {
    pub kind: OpaqueKind,
    /// The Secret/ConfigMap name, the runner (`doppler`), or the platform target (`heroku`).
    pub name: String,
    pub location: Location,
}

/// The container or remote host an inner command runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub kind: ContainerKind,
    /// The compose service, container, image, pod or host name, as written.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContainerKind {
    /// `docker compose run|exec SERVICE`: the service of the compose file in the cwd.
    ComposeService,
    /// `docker exec CONTAINER`.
    DockerContainer,
    /// `docker run IMAGE`.
    DockerImage,
    /// `kubectl exec POD`.
    KubernetesPod,
    /// `heroku run`.
    HerokuDyno,
    /// `ssh HOST`.
    SshHost,
}

/// One simple command in its context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandSite {
    /// Span of the simple command in the file (first word through last argument,
    /// including assignments and continuation lines before the program).
    pub location: Location,
    /// Span of the command words (wrappers, program, arguments) on the line of
    /// the program word: where a finding about this command points.
    pub word_location: Location,
    /// For people: `package.json script "deploy"`, `GitHub Actions job "deploy" step "Deploy"`.
    pub source: String,
    /// Working directory relative to the repository root, `/`-separated, "" for the root.
    pub cwd: String,
    /// The program and its arguments, wrappers removed: `["prisma1", "deploy", "-e", ".env"]`.
    pub argv: Vec<String>,
    /// Wrappers peeled off, outermost first: `["npx"]`, `["yarn"]`, `["dotenv"]`.
    pub wrappers: Vec<String>,
    /// Env files loaded by a wrapper (`dotenv -e F --`, `env-cmd -f F`, compose `env_file`),
    /// as written, relative to `cwd`.
    pub env_files: Vec<String>,
    /// Scopes from innermost (inline) to outermost (workflow).
    pub env: Vec<EnvScope>,
    /// Sources that may provide any variable (envFrom, secret runners, platforms).
    pub opaque_env: Vec<OpaqueEnv>,
    /// The container or host the command runs in, when a wrapper put it there.
    pub container: Option<Container>,
    pub origin: Origin,
    /// The workspace package a runner chose (`yarn workspace NAME`, `npm -w NAME`,
    /// `pnpm --filter NAME`): the command runs in that package's folder.
    pub workspace: Option<String>,
    /// Where the command words are written when not at the site: the value
    /// of a Makefile variable (`DEPLOY = prisma1 deploy`) a recipe expands.
    pub defined_at: Option<Location>,
    /// The shell function whose body holds the site, read as written: it
    /// runs only where the function is called (a call in the same script
    /// gives a site of its own at the same place).
    pub in_function: Option<String>,
    /// The folder was set from the script's own location (`cd "$(dirname
    /// "$0")"`): it is the same wherever the script is started from.
    pub anchored: bool,
}

impl CommandSite {
    /// True when some scope provides `name`.
    pub fn has_env(&self, name: &str) -> bool {
        self.env.iter().any(|s| s.vars.contains_key(name))
    }
}

mod ci;
mod compose;
pub use compose::{service_envs, ServiceEnv};
pub(crate) use dockerfile::image_layout;
pub use hosting::hosting_env;

/// Facts that need the whole repository, settled once after the walk:
/// compose services' environments reach commands run in them, and a pinned
/// global install of the Prisma 1 CLI is noted.
pub fn link(repo: &mut crate::facts::RepoFacts) {
    compose::link_services(repo);
    link_makefiles(repo);
    repo.global_prisma1 = repo
        .files
        .values()
        .flat_map(|f| &f.commands)
        .find(|s| global_prisma1_install(&s.argv))
        .cloned();
    let mut images: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (tags, dockerfile) in repo
        .files
        .values()
        .flat_map(|f| &f.commands)
        .filter_map(image::docker_build)
    {
        for t in tags {
            let known = images.entry(t).or_default();
            if !known.contains(&dockerfile) && known.len() < 16 {
                known.push(dockerfile.clone());
            }
        }
    }
    repo.images = images;
    repo.declared_prisma = declared_prisma(repo);
}

/// What the repository's package.json files, taken together, say of Prisma
/// (see [`crate::facts::RepoFacts::declared_prisma`]).
fn declared_prisma(
    repo: &crate::facts::RepoFacts,
) -> Option<crate::facts::package_json::PrismaCli> {
    use crate::facts::package_json::PrismaCli;
    let (mut p1, mut orm) = (false, false);
    for p in repo.files.values().filter_map(|f| f.package_json.as_ref()) {
        match p.prisma_cli() {
            Some(PrismaCli::Prisma1) => p1 = true,
            Some(PrismaCli::Orm) => orm = true,
            Some(PrismaCli::Ambiguous) => return None,
            None => {}
        }
        p1 |= ["prisma1", "prisma-client-lib", "prisma-binding"]
            .iter()
            .any(|n| p.dependency(n).is_some());
        orm |= p.dependency("@prisma/client").is_some();
    }
    match (p1, orm) {
        (true, false) => Some(PrismaCli::Prisma1),
        (false, true) => Some(PrismaCli::Orm),
        _ => None,
    }
}

/// Makefiles that `include` other makefiles or env files of the repository
/// are read again with the variables those files define, so `$(PRISMA)
/// deploy` with `PRISMA := npx prisma1` in `vars.mk` is the command it is.
fn link_makefiles(repo: &mut crate::facts::RepoFacts) {
    let mut redo: Vec<(String, Extracted)> = Vec::new();
    for (path, facts) in &repo.files {
        let Some(text) = facts.make_source.as_deref() else {
            continue;
        };
        let mut included = makefile::Included::default();
        let mut seen = Vec::new();
        collect_includes(repo, path, text, &mut included, &mut seen, 0);
        if included.vars.is_empty() {
            continue;
        }
        // A file that never mentions Prisma may now name it through an
        // included variable: its sites are filtered below instead.
        let keep = if facts.callers_only {
            Keep::All
        } else {
            Keep::Relevant
        };
        let mut out = Out::new(path, text, keep);
        makefile::extract_with(&mut out, &included);
        let mut done = out.finish();
        done.sites
            .sort_by_key(|s| (s.location.start_byte, s.location.end_byte));
        redo.push((path.clone(), done));
    }
    for (path, done) in redo {
        if let Some(f) = repo.files.get_mut(&path) {
            let mut sites = done.sites;
            if f.callers_only {
                sites.retain(|s| may_run_repo_file(s) || names_prisma(s) || read_anyway(&s.argv));
            }
            for v in done.dropped_secrets {
                if !f.dropped_secrets.contains(&v) {
                    f.dropped_secrets.push(v);
                }
            }
            f.commands = sites;
            // The new sites' lines, for their findings' snippets.
            if let Some(text) = f.make_source.take() {
                let spans =
                    crate::mask::LazySpans::new(crate::kind::FileKind::Makefile, text.as_bytes());
                f.remember_lines(&text, &spans);
                f.make_source = Some(text);
            }
        }
    }
}

/// Variables of the files `text` (at `path`) includes, nested includes first.
fn collect_includes(
    repo: &crate::facts::RepoFacts,
    path: &str,
    text: &str,
    into: &mut makefile::Included,
    seen: &mut Vec<String>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let dir = dir_of(path);
    for inc in makefile::includes(text) {
        if inc.contains('$') {
            continue;
        }
        let target = join_path(&dir, &inc);
        if seen.contains(&target) {
            continue;
        }
        seen.push(target.clone());
        let Some(f) = repo.files.get(&target) else {
            continue;
        };
        if let Some(t) = f.make_source.as_deref() {
            collect_includes(repo, &target, t, into, seen, depth + 1);
            for (k, v) in makefile::defined_vars(t).vars {
                into.vars.insert(k, v);
            }
        } else if let Some(env) = &f.env {
            // `include .env`: each KEY=VALUE line is a make variable.
            for (k, e) in &env.vars {
                into.vars.insert(k.clone(), (e.value.clone(), false));
            }
        }
    }
}

/// The packages of a global install, flags in any position: `npm i -g X`,
/// `npm install X --global`, `npm -g install X`, `yarn global add X`,
/// `pnpm add -g X`, `bun add -g X`.
pub fn global_install(argv: &[String]) -> Option<Vec<&str>> {
    let (program, rest) = argv.split_first()?;
    let words: Vec<&str> = rest.iter().map(String::as_str).collect();
    let flag = |w: &&str| w.starts_with('-');
    let global = words
        .iter()
        .any(|w| matches!(*w, "-g" | "--global" | "--location=global"));
    let mut plain = words.iter().copied().filter(|w| !flag(w));
    let found: Vec<&str> = match program.as_str() {
        "npm" | "pnpm" | "bun" => {
            let verb = plain.next()?;
            let verbs: &[&str] = if program == "npm" {
                &["i", "install", "add", "isntall"]
            } else {
                &["add", "i", "install"]
            };
            if !verbs.contains(&verb) || !global {
                return None;
            }
            plain.collect()
        }
        "yarn" => {
            if plain.next()? != "global" || plain.next()? != "add" {
                return None;
            }
            plain.collect()
        }
        _ => return None,
    };
    Some(found)
}

/// `npm i -g prisma@1.34.10`, `yarn global add prisma@^1.30`, `pnpm add -g prisma@1`,
/// `npm install prisma@1.32 -g`.
pub fn global_prisma1_install(argv: &[String]) -> bool {
    global_install(argv).is_some_and(|p| p.iter().any(|w| prisma1_package(w)))
}

/// `prisma@1.x` (`^1`, `~1.30`, `=1.34.10`) or `prisma1[@...]`.
pub fn prisma1_package(word: &str) -> bool {
    word.strip_prefix("prisma@")
        .is_some_and(|v| v.trim_start_matches(['^', '~', '=', 'v']).starts_with('1'))
        || word == "prisma1"
        || word.starts_with("prisma1@")
}
mod containers;
mod dockerfile;
mod docs;
mod github;
mod github_hcl;
mod gitlab;
mod hosting;
pub mod image;
mod jenkins;
mod kubernetes;
mod lex;
mod makefile;
mod package_json;
mod script;
mod shell;
mod text;
mod wrappers;
mod yaml_util;

pub(crate) use lex::Dialect;
pub(crate) use wrappers::SCRIPT_RUNNERS;

use crate::kind::FileKind;

/// Every simple command `text` (the whole file at `path`) runs, in file order.
/// Malformed files give no commands rather than an error: other facts report those.
pub fn extract(path: &str, kind: FileKind, text: &str) -> Vec<CommandSite> {
    extract_kept(path, kind, text, Keep::All).sites
}

/// The commands of a file that [`Keep`] keeps, in file order, and what the
/// others leave behind.
#[derive(Debug, Default)]
pub struct Extracted {
    pub sites: Vec<CommandSite>,
    /// Secret values of the sites that were not kept, for redaction.
    pub dropped_secrets: Vec<String>,
    /// Sites past [`MAX_KEPT_SITES`], not kept.
    pub over_cap: usize,
}

/// [`extract`], keeping only what `keep` says can matter later: a site that
/// cannot is dropped as soon as it is read, so a file's memory is bounded
/// by its kept commands, not by how many it has.
pub fn extract_kept(path: &str, kind: FileKind, text: &str, keep: Keep) -> Extracted {
    let mut out = Out::new(path, text, keep);
    let dir = dir_of(path);
    match kind {
        FileKind::Shell => {
            let mut ctx = Ctx::new(format!("shell script {path}"), &dir);
            ctx.script_dir = Some(dir.clone());
            shell::run(&mut out, &text::Snippet::verbatim(text, 0), &ctx);
        }
        FileKind::PackageJson => package_json::extract(&mut out),
        FileKind::GithubActions => github::extract(&mut out),
        FileKind::Makefile => makefile::extract(&mut out),
        FileKind::Procfile => script::procfile(&mut out),
        FileKind::HerokuApp => script::heroku_app(&mut out),
        FileKind::Dockerfile => dockerfile::extract(&mut out),
        FileKind::Compose => compose::extract(&mut out),
        FileKind::Kubernetes => kubernetes::extract(&mut out),
        FileKind::Markdown => docs::extract(&mut out),
        FileKind::Jenkinsfile => jenkins::extract(&mut out),
        FileKind::Netlify => hosting::netlify(&mut out),
        FileKind::Vercel => hosting::vercel(&mut out),
        FileKind::GitlabCi => gitlab::extract(&mut out),
        FileKind::Circleci => ci::circleci(&mut out),
        FileKind::Travis => ci::travis(&mut out),
        FileKind::Bitbucket => ci::bitbucket(&mut out),
        FileKind::AzurePipelines => ci::azure(&mut out),
        _ => {}
    }
    let mut done = out.finish();
    // Stable: copies of one command (package.json chains) keep their emission order.
    done.sites
        .sort_by_key(|s| (s.location.start_byte, s.location.end_byte));
    done
}

/// Most command sites one file keeps: past this, a file's commands are
/// counted in a note instead of judged, so a hostile file cannot make
/// memory grow without bound.
pub const MAX_KEPT_SITES: usize = 5_000;

/// Which command sites of a file are kept once read. Every later use of a
/// site (the command rules, the secret judgement, fixes, the audit) needs
/// a site that names Prisma, runs another file of the repository, or
/// writes a variable where the CLI reads it (`earlier_write` in the
/// secret judgement); keeping only those keeps memory to what findings
/// and cross-file facts need. A dropped site's secret values still feed
/// redaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Every site (tests, and callers that want the whole picture).
    #[default]
    All,
    /// A file that mentions Prisma: sites that name Prisma in their words or
    /// their text, that may run another file ([`repo_call`]), or that write
    /// variables ([`WRITERS`]).
    Relevant,
    /// A file that never mentions Prisma: only sites that may run another
    /// file; nothing in it can be a Prisma command by itself.
    Callers,
}

/// Programs that can write a variable where the CLI reads it
/// (`echo "X=$Y" >> .env`): the secret judgement looks for them.
pub const WRITERS: [&str; 6] = ["echo", "printf", "cat", "tee", "sed", "envsubst"];

impl Keep {
    /// Whether a site with these words (`argv` after wrappers, the last
    /// wrapper) and this text (the command as written) is kept.
    pub(crate) fn keeps<S: AsRef<str>>(self, argv: &[S], runner: Option<&str>, text: &str) -> bool {
        let named = |t: &str| crate::engine::FACTS_KEYWORDS.iter().any(|k| t.contains(k));
        match self {
            Keep::All => true,
            Keep::Callers => call_shape(argv, runner).is_some(),
            Keep::Relevant => {
                call_shape(argv, runner).is_some()
                    || argv.first().is_some_and(|p| {
                        let p = p.as_ref();
                        WRITERS.contains(&p.rsplit('/').next().unwrap_or(p))
                    })
                    || argv.iter().any(|a| named(a.as_ref()))
                    || named(text)
            }
        }
    }
}

/// What a command runs of the repository's own files, told by its words
/// alone: the calls `engine::commands::effective` follows into other files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoCall<'a> {
    /// `npm run x`, `yarn x`, `pnpm x`: the package.json script `x`.
    Script(&'a str),
    /// `make ARGS`, `gmake ARGS`, `$(MAKE) ARGS`: the arguments.
    Make(&'a [String]),
    /// `bash x.sh`, `source x`, `./x`, `bin/x.sh`: the script's path.
    Shell(&'a str),
}

pub fn repo_call(site: &CommandSite) -> Option<RepoCall<'_>> {
    let runner = site.wrappers.last().map(String::as_str);
    Some(match call_shape(&site.argv, runner)? {
        CallShape::Script => RepoCall::Script(&site.argv[0]),
        CallShape::Make => RepoCall::Make(&site.argv[1..]),
        CallShape::Shell(i) => RepoCall::Shell(&site.argv[i]),
    })
}

/// What [`repo_call`] finds, by the index of the words it names, for any
/// list of words: the parser decides before it builds a site.
enum CallShape {
    Script,
    Make,
    /// The script is `argv[i]`.
    Shell(usize),
}

fn call_shape<S: AsRef<str>>(argv: &[S], runner: Option<&str>) -> Option<CallShape> {
    let program = argv.first()?.as_ref();
    if runner.is_some_and(|w| SCRIPT_RUNNERS.contains(&w)) {
        return Some(CallShape::Script);
    }
    let base = program.rsplit('/').next().unwrap_or(program);
    if matches!(base, "make" | "gmake") || program == "$(MAKE)" {
        return Some(CallShape::Make);
    }
    if matches!(base, "bash" | "sh" | "zsh" | "dash" | "source" | ".") {
        return argv[1..]
            .iter()
            .position(|a| !a.as_ref().starts_with('-'))
            .map(|i| CallShape::Shell(i + 1));
    }
    (program.ends_with(".sh") || program.starts_with("./")).then_some(CallShape::Shell(0))
}

/// Commands the secret judgement reads although they name no Prisma: image
/// builds (the Dockerfile behind an image name) and compose commands (the env
/// files compose fills a server's `managementApiSecret` from).
pub fn read_anyway<S: AsRef<str>>(argv: &[S]) -> bool {
    let w = |i: usize| argv.get(i).map(|a| a.as_ref());
    image::builds(argv)
        || w(0) == Some("docker-compose")
        || (w(0) == Some("docker") && w(1) == Some("compose"))
}

/// A word that may be a shell function's name (`deploy_prisma`).
pub fn may_name_function(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
}

/// Whether `site` may run another file of the repository ([`repo_call`]).
/// In a file that never mentions Prisma, only such a site (or one whose
/// words name Prisma, once a makefile is read with its includes) can lead
/// to a Prisma 1 command.
pub fn may_run_repo_file(site: &CommandSite) -> bool {
    repo_call(site).is_some()
}

/// Whether a word of `site` names Prisma (the prefilter's Prisma keywords).
pub fn names_prisma(site: &CommandSite) -> bool {
    site.argv
        .iter()
        .any(|a| crate::engine::FACTS_KEYWORDS.iter().any(|k| a.contains(k)))
}

/// The commands of YAML strings (one scalar or a list), each run in a shell
/// of its own, for files where commands are one key among other facts
/// (prisma.yml `hooks.post-deploy`, `seed.run`).
pub(crate) fn from_yaml_strings(
    path: &str,
    text: &str,
    node: &crate::facts::yaml::Node,
    source: &str,
    cwd: &str,
) -> Vec<CommandSite> {
    let mut out = Out::new(path, text, Keep::All);
    for (_, item) in node.strings() {
        if let Some(snip) = text::Snippet::from_yaml(item, text) {
            shell::run(&mut out, &snip, &Ctx::new(source.to_string(), cwd));
        }
    }
    out.finish().sites
}

/// Where extractors put what they find.
pub(crate) struct Out<'a> {
    pub path: &'a str,
    pub file: &'a str,
    pub sites: Vec<CommandSite>,
    /// Which sites [`Out::push`] keeps.
    pub keep: Keep,
    /// Dropped sites waiting for their secrets to be harvested: in batches,
    /// so the harvest reads scopes shared by neighbours once.
    dropped: Vec<CommandSite>,
    dropped_secrets: std::collections::BTreeSet<String>,
    over_cap: usize,
    /// The file sourced another (`source ./lib.sh`): a later command may be
    /// one of that file's functions, which the judgement follows there.
    sourced: bool,
}

/// Dropped sites harvested at a time.
const DROP_BATCH: usize = 64;

impl<'a> Out<'a> {
    pub fn new(path: &'a str, file: &'a str, keep: Keep) -> Out<'a> {
        Out {
            path,
            file,
            sites: Vec::new(),
            keep,
            dropped: Vec::new(),
            dropped_secrets: std::collections::BTreeSet::new(),
            over_cap: 0,
            sourced: false,
        }
    }

    /// Whether a site with these words is kept: what [`Keep`] keeps, and
    /// under any keep the commands other judgements read ([`read_anyway`])
    /// and, after a `source`, words that may call a function of the sourced
    /// file.
    pub(crate) fn keeps<S: AsRef<str>>(
        &self,
        argv: &[S],
        runner: Option<&str>,
        text: &str,
    ) -> bool {
        self.keep.keeps(argv, runner, text)
            || read_anyway(argv)
            || (self.sourced && argv.first().is_some_and(|w| may_name_function(w.as_ref())))
    }

    /// An `Out` that keeps every site, for an extractor that reworks its
    /// sites before they are [`push`](Out::push)ed here.
    pub fn scratch(&self) -> Out<'a> {
        Out::new(self.path, self.file, Keep::All)
    }

    pub fn location(&self, (start, end): (usize, usize)) -> Location {
        Location::from_bytes(self.path, self.file.as_bytes(), start, end)
    }

    /// Records `site` if [`Out::keep`] keeps it (and the file is under its
    /// cap); otherwise only its secret values are kept.
    pub fn push(&mut self, site: CommandSite) {
        let text = self
            .file
            .get(site.location.start_byte..site.location.end_byte)
            .unwrap_or_default();
        let runner = site.wrappers.last().map(String::as_str);
        if matches!(site.argv.first().map(String::as_str), Some("source" | ".")) {
            self.sourced = true;
        }
        if !self.keeps(&site.argv, runner, text) {
            self.drop_site(site);
        } else if self.keep != Keep::All && self.sites.len() >= MAX_KEPT_SITES {
            self.over_cap += 1;
            self.drop_site(site);
        } else {
            self.sites.push(site);
        }
    }

    /// Keeps only the secret values of `site`.
    pub fn drop_site(&mut self, site: CommandSite) {
        self.dropped.push(site);
        if self.dropped.len() >= DROP_BATCH {
            self.harvest();
        }
    }

    fn harvest(&mut self) {
        let set = &mut self.dropped_secrets;
        crate::facts::secrets::command_secrets(&self.dropped, &mut |v| {
            if !set.contains(v) {
                set.insert(v.to_string());
            }
        });
        self.dropped.clear();
    }

    pub fn finish(mut self) -> Extracted {
        self.harvest();
        Extracted {
            sites: self.sites,
            dropped_secrets: self.dropped_secrets.into_iter().collect(),
            over_cap: self.over_cap,
        }
    }
}

/// What surrounds a script: who runs it, where, with which environment.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub source: String,
    pub cwd: String,
    /// Scopes outside the script, innermost first.
    pub env: Vec<EnvScope>,
    pub env_files: Vec<String>,
    pub wrappers: Vec<String>,
    pub dialect: Dialect,
    pub opaque_env: Vec<OpaqueEnv>,
    pub container: Option<Container>,
    pub origin: Origin,
    /// The folder of the shell script being read, for `cd "$(dirname "$0")"`.
    pub script_dir: Option<String>,
}

impl Ctx {
    pub fn new(source: String, cwd: &str) -> Ctx {
        Ctx {
            source,
            cwd: cwd.to_string(),
            env: Vec::new(),
            env_files: Vec::new(),
            wrappers: Vec::new(),
            dialect: Dialect::Shell,
            opaque_env: Vec::new(),
            container: None,
            origin: Origin::Code,
            script_dir: None,
        }
    }

    pub fn with_env(mut self, env: Vec<EnvScope>) -> Ctx {
        self.env = env;
        self
    }
}

/// The directory of a `/`-separated path, "" at the root.
pub(crate) fn dir_of(path: &str) -> String {
    crate::paths::parent(path).to_string()
}

/// `base` joined with relative `rel`, with `.` and `..` resolved; never climbs above the root.
pub(crate) fn join_path(base: &str, rel: &str) -> String {
    crate::paths::join(base, rel)
}

#[cfg(test)]
mod robust_tests;
#[cfg(test)]
mod shell_tests;

/// A one-line picture of a site for tests: position, cwd, argv, wrappers, env files, scopes.
#[cfg(test)]
pub(crate) fn show(s: &CommandSite) -> String {
    let scopes: Vec<String> = s
        .env
        .iter()
        .map(|e| {
            let vars: Vec<String> = e
                .vars
                .iter()
                .map(|(k, v)| format!("{k}={}", v.value.as_deref().unwrap_or("?")))
                .collect();
            format!("{:?}({}):{}", e.kind, e.label, vars.join(","))
        })
        .collect();
    let mut parts = vec![format!(
        "{}:{}-{}:{}",
        s.location.line, s.location.column, s.location.end_line, s.location.end_column
    )];
    let w = &s.word_location;
    if (w.line, w.column, w.end_line, w.end_column)
        != (
            s.location.line,
            s.location.column,
            s.location.end_line,
            s.location.end_column,
        )
    {
        parts.push(format!(
            "@{}:{}-{}:{}",
            w.line, w.column, w.end_line, w.end_column
        ));
    }
    if !s.cwd.is_empty() {
        parts.push(format!("cwd={}", s.cwd));
    }
    if let Some(w) = &s.workspace {
        parts.push(format!("ws={w}"));
    }

    parts.push(format!("[{}]", s.argv.join(" ")));
    if !s.wrappers.is_empty() {
        parts.push(format!("w={}", s.wrappers.join(",")));
    }
    if !s.env_files.is_empty() {
        parts.push(format!("f={}", s.env_files.join(",")));
    }
    if let Some(c) = &s.container {
        parts.push(format!("in={:?}:{}", c.kind, c.name));
    }
    for o in &s.opaque_env {
        parts.push(format!("o={:?}:{}", o.kind, o.name));
    }
    if s.origin == Origin::Docs {
        parts.push("docs".into());
    }
    if let Some(f) = &s.in_function {
        parts.push(format!("fn={f}"));
    }
    if s.anchored {
        parts.push("anchored".into());
    }
    if !scopes.is_empty() {
        parts.push(scopes.join(" "));
    }
    parts.join(" ")
}

/// [`show`] for every site of a file.
#[cfg(test)]
pub(crate) fn show_all(path: &str, kind: FileKind, text: &str) -> Vec<String> {
    extract(path, kind, text).iter().map(show).collect()
}

/// [`show_all`] with each site's source in front: `source | picture`.
#[cfg(test)]
pub(crate) fn show_sourced(path: &str, kind: FileKind, text: &str) -> Vec<String> {
    extract(path, kind, text)
        .iter()
        .map(|s| format!("{} | {}", s.source, show(s)))
        .collect()
}
