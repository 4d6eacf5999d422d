//! The audit's data: what one repository says about its Prisma 1 (Cloud)
//! use, built from the same findings and facts `check` produces. This is the
//! versioned JSON contract of `prisma1-lint audit --format json`.
//!
//! Repository text in it is typed ([`Said`]: the tool's words and
//! repository text kept apart, the latter rendered only masked); in JSON it
//! is the masked string, which `audit --merge` reads back as it was written.

pub use crate::text::Text as Said;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

/// The whole audit: one or many repositories.
#[derive(Debug, Serialize, Deserialize)]
pub struct Audit {
    pub version: u32,
    pub tool: String,
    pub totals: Totals,
    pub repositories: Vec<RepoAudit>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
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
    /// Repositories that could not be audited (a bad config, say).
    pub failed: usize,
}

/// "yes", "no" or "cannot-tell".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub text: Said,
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

#[derive(Debug, Serialize, Deserialize)]
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
    pub checklist: Vec<Text>,
    /// Files that could not be read or parsed.
    pub problems: Vec<Place>,
    /// Why the repository could not be audited (its config is invalid, say);
    /// absent when it was. A failed repository has nothing else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

impl RepoAudit {
    /// A repository that could not be audited, and why.
    pub fn failed(name: &str, path: &str, reason: String) -> RepoAudit {
        RepoAudit {
            name: name.to_string(),
            path: path.to_string(),
            uses_prisma1: false,
            uses_prisma1_cloud: Verdict::CannotTell,
            evidence: Vec::new(),
            servers: Vec::new(),
            services: Vec::new(),
            code: CodeSurface::default(),
            secrets: Vec::new(),
            findings: BTreeMap::new(),
            errors: 0,
            warnings: 0,
            notes: 0,
            plan: Vec::new(),
            checklist: Vec::new(),
            problems: Vec::new(),
            failed: Some(reason),
        }
    }
}

/// Where Prisma 1 services run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Server {
    pub host: String,
    /// `cloud-shared` (eu1/us1), `cloud-private`, `private`, `local`, `unknown`.
    pub class: String,
    /// `service/stage` of every service that points at it.
    pub services: Vec<String>,
}

/// One Prisma 1 service (an endpoint), as the repository defines and uses it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub stage: String,
    pub workspace: String,
    /// The URL as the repository writes it (its userinfo masked).
    pub endpoint: Said,
    pub host: String,
    pub class: String,
    pub defined_in: Vec<Place>,
    pub used_from: Vec<Usage>,
    /// `prisma1 export`/`import` or a `seed.import` is used: data already moves in NDF.
    pub data_export: bool,
    /// `prisma1 admin`/`playground` or `/_admin`: the self-hosted data browser.
    pub data_browser: bool,
    /// The schema work of the upgrade to Prisma ORM (`prisma1-lint upgrade`),
    /// when the service's project has a datamodel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_work: Option<SchemaWork>,
}

/// What `prisma1-lint upgrade` finds for one service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchemaWork {
    /// The prisma.yml whose datamodel it is.
    pub project: String,
    /// `postgres`, `mysql`, or absent when the repository does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
    pub datamodel_version: String,
    pub incompatibilities: usize,
    /// SQL statements to run; absent without a connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<usize>,
    /// Incompatibilities per kind (`default-value`, `relation-table`, ...).
    pub by_kind: BTreeMap<String, usize>,
}

/// A command that deploys to or otherwise uses a service.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Usage {
    pub path: String,
    pub line: usize,
    pub command: Said,
    pub source: Said,
    /// `yes`, `no`, `unknown` (it depends on what the repository does not
    /// show) or `not needed` (the command or its server needs no secret).
    pub management_secret: String,
    /// The same reasoning `missing-management-secret` gives, for people.
    pub secret_reason: Said,
}

#[derive(Debug, Default, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Datamodel {
    pub path: String,
    /// 0 when the file was not read (see `note`).
    pub types: usize,
    /// Why the file was not read (outside the repository, through a link out,
    /// missing, too large); absent when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanItem {
    /// The service (or "repository") the steps are for.
    pub target: String,
    pub steps: Vec<Text>,
}

/// A plan step or checklist item: our words, which may hold Markdown code
/// spans, and the repository's text (names, paths, commands, endpoints),
/// kept apart so that each format escapes the repository's text and only
/// it. In JSON it is the list of its parts, `{"text": ..}` for our words,
/// `{"repo": ..}` and `{"code": ..}`, so that `audit --merge` renders a
/// shard's text exactly as the run that wrote it (joining the values gives
/// the plain text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TextForm")]
pub struct Text(pub Vec<Part>);

/// What a reader accepts: the list of parts, or a bare string (then
/// repository text, shown escaped everywhere).
#[derive(Deserialize)]
#[serde(untagged)]
enum TextForm {
    Parts(Vec<Part>),
    Plain(String),
}

impl From<TextForm> for Text {
    fn from(t: TextForm) -> Text {
        match t {
            TextForm::Parts(p) => Text(p),
            TextForm::Plain(s) => Text(vec![Part::Repo(Said::written(s))]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    #[serde(rename = "text")]
    /// Our words: Markdown, with code spans of our own.
    Ours(String),
    /// Repository text (or a name or path the repository gives), shown as
    /// text, its secrets masked.
    Repo(Said),
    /// Shown as code: a command or URL that may hold repository text, its
    /// secrets masked.
    Code(Said),
}

impl Text {
    /// Our words; joined to our words just before them, so the JSON form
    /// has one part per change of kind.
    pub fn ours(mut self, s: impl Into<String>) -> Text {
        let s = s.into();
        match self.0.last_mut() {
            Some(Part::Ours(last)) => last.push_str(&s),
            _ => self.0.push(Part::Ours(s)),
        }
        self
    }
    pub fn repo(mut self, s: Said) -> Text {
        self.0.push(Part::Repo(s));
        self
    }
    /// A name or a path (escaped as repository text is; nothing in it is
    /// a secret's value).
    pub fn name(self, s: impl Into<String>) -> Text {
        self.repo(Said::tool(s))
    }
    pub fn code(mut self, s: Said) -> Text {
        self.0.push(Part::Code(s));
        self
    }
    /// Repository texts, each as [`Text::repo`], between our separators.
    pub fn list<I: IntoIterator<Item = Said>>(mut self, items: I, sep: &str) -> Text {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self = self.ours(sep);
            }
            self = self.repo(item);
        }
        self
    }
    /// The parts in a row, code in backticks.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Ours(s) => out.push_str(s),
                Part::Repo(s) => out.push_str(&s.masked()),
                Part::Code(s) => {
                    out.push('`');
                    out.push_str(&s.masked());
                    out.push('`');
                }
            }
        }
        out
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::default().ours(s)
    }
}
