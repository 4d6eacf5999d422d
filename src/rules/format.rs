//! The rule file format as written in YAML, before validation.
//!
//! `deny_unknown_fields` everywhere: a typo in a rule is an error with a span,
//! not a silently ignored key. See `rules/README.md` for the documentation.

use crate::finding::Severity;
use crate::kind::FileKind;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Free-form labels; `security` marks a security rule in SARIF.
    #[serde(default)]
    pub tags: Vec<String>,
    /// GitHub code scanning's 0.0-10.0 score, for security rules.
    #[serde(default)]
    pub security_severity: Option<f64>,
    /// What the rule finds, in one paragraph.
    pub summary: String,
    /// Why that breaks (or is risky) since the Prisma 1 Cloud sunset.
    pub why: String,
    /// What to do, following the migration guide.
    pub help: String,
    pub references: Vec<String>,
    #[serde(default)]
    pub files: RawFiles,
    /// Exact (case-sensitive) literals; a file that contains none of them is
    /// never searched by this rule's regexes (the literal prefilter).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Default message; `{name}` takes a named capture or a matcher variable,
    /// `{name|fallback}` gives a fallback when it is empty.
    pub message: String,
    /// The short noun shown under the match in the terminal ("Prisma 1 Cloud
    /// endpoint (eu1, workspace jane)"); same placeholders as `message`.
    /// Default: the title.
    #[serde(default)]
    pub label: Option<String>,
    /// Named captures (or matcher variables) holding secrets: never printed.
    #[serde(default)]
    pub redact: Vec<String>,
    /// Severity for regex matches in comments and in Markdown documentation:
    /// a mention of a dead endpoint is worth knowing, not an outage.
    #[serde(default)]
    pub mentions: Option<Severity>,
    /// Report only the first match of this rule in each file (a generated
    /// file is one finding, not one per marker).
    #[serde(default)]
    pub once_per_file: bool,
    /// File names, most representative first, of a set of files written
    /// together into one folder (a generated client's `index.ts` and
    /// `prisma-schema.ts`): findings in them are one per folder, on the first
    /// name present, the others related.
    #[serde(default)]
    pub once_per_folder: Vec<String>,
    /// Rules whose finding on the same command or text this rule replaces,
    /// because this one names the same problem more precisely with the same advice.
    #[serde(default)]
    pub supersedes: Vec<String>,
    #[serde(rename = "match")]
    pub matchers: Vec<RawMatcher>,
    pub examples: RawExamples,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFiles {
    /// File kinds (see `prisma1-lint rules --kinds`); empty means every text file.
    #[serde(default)]
    pub kinds: Vec<FileKind>,
    /// Globs on the repository-relative path; a file matching a kind *or* a glob applies.
    #[serde(default)]
    pub globs: Vec<String>,
    /// Globs never checked by this rule.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// One matcher: a map with exactly one key naming its kind.
#[derive(Debug, Deserialize)]
#[serde(try_from = "MatcherEntry")]
pub enum RawMatcher {
    Regex(RawRegex),
    Dependency(RawDependency),
    Command(RawCommand),
    ServerConfig(RawServerConfig),
    /// Problems with inline suppression comments: `unused` or `no-reason`.
    Suppression(String),
    Datamodel(RawDatamodel),
}

/// The YAML shape of a matcher, before checking that exactly one kind is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MatcherEntry {
    regex: Option<RawRegex>,
    dependency: Option<RawDependency>,
    command: Option<RawCommand>,
    server_config: Option<RawServerConfig>,
    suppression: Option<String>,
    datamodel: Option<RawDatamodel>,
}

impl TryFrom<MatcherEntry> for RawMatcher {
    type Error = String;
    fn try_from(e: MatcherEntry) -> Result<Self, String> {
        let mut found = Vec::new();
        if let Some(r) = e.regex {
            found.push(RawMatcher::Regex(r));
        }
        if let Some(d) = e.dependency {
            found.push(RawMatcher::Dependency(d));
        }
        if let Some(c) = e.command {
            found.push(RawMatcher::Command(c));
        }
        if let Some(c) = e.server_config {
            found.push(RawMatcher::ServerConfig(c));
        }
        if let Some(s) = e.suppression {
            found.push(RawMatcher::Suppression(s));
        }
        if let Some(d) = e.datamodel {
            found.push(RawMatcher::Datamodel(d));
        }
        match found.len() {
            1 => found.pop().ok_or_else(String::new),
            0 => Err("a matcher needs one of `regex`, `dependency`, `command`, `server-config`, `suppression`, `datamodel`".into()),
            _ => Err("a matcher entry must have exactly one kind; start another `- ` entry".into()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawServerConfig {
    /// Only configs that do not set `managementApiSecret`.
    #[serde(default)]
    pub without_secret: bool,
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
}

/// A structured matcher over Prisma 1 datamodels: the schema
/// incompatibilities of the upgrade to Prisma ORM (see `crate::upgrade::plan`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDatamodel {
    /// Which incompatibility: `default-value`, `created-at`, `updated-at`,
    /// `cuid-length`, `inline-one-to-one`, `relation-table`, `json-column`,
    /// `enum-column`, `scalar-list`, `cascade-delete`, `required-relation`.
    pub problem: String,
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRegex {
    pub pattern: String,
    /// Patterns tried on the line holding the match; any hit drops the match.
    #[serde(default)]
    pub not: Vec<String>,
    /// Patterns tried on the whole file; the matcher only runs when one matches.
    #[serde(default)]
    pub file_contains: Vec<String>,
    /// Patterns tried on the whole file; the matcher only runs when none matches.
    #[serde(default)]
    pub unless_file_contains: Vec<String>,
    /// Variable names: a match stands unless a command that sees the matched
    /// variable also sees one of these (in files that run commands; in other
    /// files, unless the file names one).
    #[serde(default)]
    pub unless_scope_contains: Vec<String>,
    /// Per named capture, a pattern that drops the match when the capture matches it.
    #[serde(default)]
    pub captures_not: std::collections::BTreeMap<String, String>,
    /// Captures that drop the match when they are one character repeated
    /// (`XXXXXXXX`, `********`): placeholders, not values.
    #[serde(default)]
    pub captures_not_repeated: Vec<String>,
    /// Which capture is the finding's region (default: the whole match).
    #[serde(default)]
    pub span: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
    /// Restricts this matcher to some file kinds within the rule's files.
    #[serde(default)]
    pub kinds: Vec<FileKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDependency {
    pub packages: Vec<RawPackage>,
    /// Which package.json sections count (default: all dependency sections).
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPackage {
    pub name: String,
    /// Only when every version the declared range allows is below this one
    /// (`prisma` below `2.0.0`); absent means any version.
    #[serde(default)]
    pub below: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCommand {
    /// Which CLI: `prisma1` (the Prisma 1 CLI, however invoked),
    /// `npm-global-install` (an unpinned global `prisma`),
    /// `prisma1-global-install` (a global install of the Prisma 1 CLI).
    pub cli: String,
    /// Sub-commands to match; empty means any.
    #[serde(default)]
    pub subcommands: Vec<String>,
    /// Only commands that talk to one of these APIs (`management`, `service`,
    /// `local`, `cloud`, `unauthenticated`, `database`; see the engine's command classes).
    #[serde(default)]
    pub talks_to: Vec<String>,
    /// Only when the command's environment lacks this variable.
    #[serde(default)]
    pub missing_env: Option<String>,
    /// Only when the command's environment sets one of these variables.
    #[serde(default)]
    pub env_any: Vec<String>,
    /// Only when every one of these flags is present (aliases separated by `|`).
    #[serde(default)]
    pub flags_all: Vec<String>,
    /// Only when the target endpoint is of one of these classes:
    /// `cloud`, `protected`, `unprotected`, `remote`, `local`, `unknown`, `none`, `legacy`.
    #[serde(default)]
    pub endpoint: Vec<String>,
    /// Only when a later command in the same pipeline is one of these sub-commands.
    #[serde(default)]
    pub followed_by: Vec<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExamples {
    #[serde(rename = "match")]
    pub matching: Vec<RawExample>,
    #[serde(rename = "no-match")]
    pub not_matching: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExample {
    /// The path the text is tried as (decides the file kind).
    pub file: String,
    pub text: String,
    /// Other files of the same imaginary repository (e.g. a package.json).
    #[serde(default)]
    pub with: Vec<RawExampleFile>,
    /// How many findings of this rule the example must give (default: at least one).
    #[serde(default)]
    pub count: Option<usize>,
    /// A substring the first finding's message must contain.
    #[serde(default)]
    pub message: Option<String>,
    /// Label for this matcher's findings (default: the rule's `label`).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExampleFile {
    pub file: String,
    pub text: String,
}
