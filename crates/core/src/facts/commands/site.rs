//! What command extraction produces: a [`CommandSite`] (one simple command
//! with where it runs, its environment's scopes and the launchers peeled off
//! it) and the parts it is made of. Data only: the extractors fill it, the
//! engine and the fixers read it.

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
