//! The audit's data: what one repository says about its Prisma 1 (Cloud)
//! use, built from the same findings and facts `check` produces. This is the
//! versioned JSON contract of `prisma1-lint audit --format json`.

use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

/// The whole audit: one or many repositories.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub version: u32,
    pub tool: String,
    pub totals: Totals,
    pub repositories: Vec<RepoAudit>,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub repositories: usize,
    pub using_prisma1: usize,
    pub using_prisma1_cloud: usize,
    pub cannot_tell: usize,
    pub services: usize,
    pub cloud_services: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// "yes", "no" or "cannot-tell".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Yes,
    No,
    CannotTell,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::No => "no",
            Verdict::CannotTell => "cannot tell",
        }
    }
}

/// A place in the repository, with what was found there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub text: Text,
}

impl RepoAudit {
    /// Masks the repository's backstop values in every repository text.
    pub fn mark(&mut self, b: &crate::mask::Backstop) {
        if b.is_empty() {
            return;
        }
        let places = self
            .evidence
            .iter_mut()
            .chain(&mut self.secrets)
            .chain(&mut self.problems)
            .chain(&mut self.code.packages)
            .chain(&mut self.code.generated_clients);
        for p in places {
            p.text.mark(b);
        }
        for s in &mut self.services {
            s.endpoint.mark(b);
            for p in &mut s.defined_in {
                p.text.mark(b);
            }
            for u in &mut s.used_from {
                u.command.mark(b);
                u.source.mark(b);
                u.secret_reason.mark(b);
            }
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RepoAudit {
    /// Folder name of the repository.
    pub name: String,
    /// The path given on the command line (or below `--each-subdir`).
    pub path: String,
    pub uses_prisma1: bool,
    pub uses_prisma1_cloud: Verdict,
    /// The findings and facts that decided the verdict.
    pub evidence: Vec<Place>,
    pub servers: Vec<Server>,
    pub services: Vec<Service>,
    pub code: CodeSurface,
    /// Hard-coded secrets, redacted.
    pub secrets: Vec<Place>,
    /// Findings per rule id.
    pub findings: BTreeMap<String, usize>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub plan: Vec<PlanItem>,
    pub checklist: Vec<String>,
    /// Files that could not be read or parsed.
    pub problems: Vec<Place>,
}

/// Where Prisma 1 services run.
#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub host: String,
    /// `cloud-shared` (eu1/us1), `cloud-private`, `private`, `local`, `unknown`.
    pub class: String,
    /// `service/stage` of every service that points at it.
    pub services: Vec<String>,
}

/// One Prisma 1 service (an endpoint), as the repository defines and uses it.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub stage: String,
    pub workspace: String,
    /// The URL as the repository writes it (its userinfo masked).
    pub endpoint: Text,
    pub host: String,
    pub class: String,
    pub defined_in: Vec<Place>,
    pub used_from: Vec<Usage>,
    /// `prisma1 export`/`import` or a `seed.import` is used: data already moves in NDF.
    pub data_export: bool,
    /// `prisma1 admin`/`playground` or `/_admin`: the self-hosted data browser.
    pub data_browser: bool,
}

/// A command that deploys to or otherwise uses a service.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Usage {
    pub path: String,
    pub line: usize,
    pub command: Text,
    pub source: Text,
    /// `yes`, `no`, `unknown` (it depends on what the repository does not
    /// show) or `not needed` (the command or its server needs no secret).
    pub management_secret: String,
    /// The same reasoning `missing-management-secret` gives, for people.
    pub secret_reason: Text,
}

#[derive(Debug, Default, Serialize)]
pub struct CodeSurface {
    /// `name@range` and the package.json that declares it.
    pub packages: Vec<Place>,
    /// Datamodel files and their number of types.
    pub datamodels: Vec<Datamodel>,
    pub generated_clients: Vec<Place>,
    /// Imports of prisma-binding / prisma-client-lib in source code.
    pub binding_imports: usize,
    /// Prisma 1 CLI invocations in scripts and CI.
    pub cli_invocations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Datamodel {
    pub path: String,
    pub types: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// The service (or "repository") the steps are for.
    pub target: String,
    pub steps: Vec<String>,
}
