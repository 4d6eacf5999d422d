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

use crate::finding::Location;
use std::collections::BTreeMap;

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

/// A set of variables that surrounds a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvScope {
    pub kind: ScopeKind,
    /// For people: `job "deploy"`, `step "Deploy"`, `service "api"`.
    pub label: String,
    pub vars: BTreeMap<String, EnvVar>,
}

/// One simple command in its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSite {
    /// Span of the simple command in the file (program through last argument).
    pub location: Location,
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
}

impl CommandSite {
    /// True when some scope provides `name`.
    pub fn has_env(&self, name: &str) -> bool {
        self.env.iter().any(|s| s.vars.contains_key(name))
    }
}

/// Placeholder until the extractors land: no commands.
pub fn extract(_path: &str, _kind: crate::kind::FileKind, _text: &str) -> Vec<CommandSite> {
    Vec::new()
}
