//! Rules are data: one YAML file per rule, validated and compiled once at
//! start-up. A bad rule file fails here, before any scan, with a span.

pub mod budget;
pub mod format;
pub mod template;

use crate::diagnostic::FileError;
use crate::finding::Severity;
use crate::kind::FileKind;
use budget::Budget;
use format::{RawCommand, RawExamples, RawMatcher, RawRule};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;
use std::collections::BTreeSet;
use std::path::Path;
use template::Template;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub tags: Vec<String>,
    pub security_severity: Option<f64>,
    pub summary: String,
    pub why: String,
    pub help: String,
    pub references: Vec<String>,
    pub files: FileFilter,
    pub keywords: Vec<String>,
    pub message: Template,
    /// Short text under the match in human output (default: the title).
    pub label: Template,
    pub redact: Vec<String>,
    pub matchers: Vec<Matcher>,
    pub once_per_file: bool,
    /// See the rule format's `once-per-folder`.
    pub once_per_folder: Vec<String>,
    pub mentions: Option<Severity>,
    pub supersedes: Vec<String>,
    pub examples: RawExamples,
    /// The file it was loaded from (`rules/cloud-endpoint.yml` or a user path).
    pub origin: String,
}

impl Rule {
    pub fn is_security(&self) -> bool {
        self.tags.iter().any(|t| t == "security")
    }
    pub fn has_regex(&self) -> bool {
        self.matchers.iter().any(|m| matches!(m, Matcher::Regex(_)))
    }
    /// A rule of the upgrade's schema work: it runs under `prisma1-lint
    /// upgrade`, and under `check`/`audit` only when selected by id.
    pub fn is_upgrade(&self) -> bool {
        self.matchers
            .iter()
            .any(|m| matches!(m, Matcher::Datamodel(_)))
    }
}

/// Which files a rule applies to.
#[derive(Debug)]
pub struct FileFilter {
    pub kinds: Vec<FileKind>,
    pub globs: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
}

impl FileFilter {
    pub fn applies(&self, path: &str, kind: FileKind) -> bool {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(path)) {
            return false;
        }
        if self.kinds.is_empty() && self.globs.is_none() {
            return true;
        }
        self.kinds.contains(&kind) || self.globs.as_ref().is_some_and(|g| g.is_match(path))
    }
}

#[derive(Debug)]
pub enum Matcher {
    Regex(RegexMatcher),
    Dependency(DependencyMatcher),
    Command(CommandMatcher),
    ServerConfig(ServerConfigMatcher),
    Suppression(SuppressionProblem),
    Datamodel(DatamodelMatcher),
}

/// A structured matcher over Prisma 1 datamodels (the upgrade's incompatibilities).
#[derive(Debug)]
pub struct DatamodelMatcher {
    pub problem: crate::upgrade::plan::Problem,
    pub message: Option<Template>,
    pub label: Option<Template>,
}

/// Variables the datamodel matcher offers to messages.
pub const DATAMODEL_VARS: &[&str] = &["model", "field", "table", "column", "detail", "service"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionProblem {
    Unused,
    NoReason,
}

/// A structured matcher over Prisma 1 server configs.
#[derive(Debug)]
pub struct ServerConfigMatcher {
    pub without_secret: bool,
    pub message: Option<Template>,
    pub label: Option<Template>,
}

/// Variables the server-config matcher offers to messages.
pub const SERVER_VARS: &[&str] = &["server"];

#[derive(Debug)]
pub struct RegexMatcher {
    pub regex: Regex,
    pub not: Vec<Regex>,
    pub file_contains: Vec<Regex>,
    pub unless_file_contains: Vec<Regex>,
    /// Variable names (see the rule format's `unless-scope-contains`).
    pub unless_scope_contains: Vec<String>,
    pub captures_not: Vec<(String, Regex)>,
    /// Captures that drop the match when one character repeated.
    pub captures_not_repeated: Vec<String>,
    pub span: Option<String>,
    pub message: Option<Template>,
    pub label: Option<Template>,
    pub kinds: Vec<FileKind>,
}

#[derive(Debug)]
pub struct DependencyMatcher {
    pub packages: Vec<PackageSpec>,
    pub sections: Vec<String>,
    pub message: Option<Template>,
    pub label: Option<Template>,
}

#[derive(Debug)]
pub struct PackageSpec {
    pub name: String,
    pub below: Option<nodejs_semver::Version>,
}

/// A structured matcher over [`crate::facts::commands::CommandSite`]s; the
/// engine in `crate::engine::commands` gives its fields meaning.
#[derive(Debug)]
pub struct CommandMatcher {
    pub spec: RawCommand,
    pub message: Option<Template>,
    pub label: Option<Template>,
}

/// Variables the command matcher offers to messages.
pub const COMMAND_VARS: &[&str] = &[
    "subcommand",
    "invocation",
    "program",
    "source",
    "endpoint",
    "endpoint_class",
    "scopes",
    "env_var",
    "project",
    "flags",
    "confidence",
    "checked",
    "unless",
    "stale",
];
/// Variables the suppression matcher offers to messages.
pub const SUPPRESSION_VARS: &[&str] = &["rules", "example"];
/// Variables the dependency matcher offers to messages.
pub const DEPENDENCY_VARS: &[&str] = &["package", "version", "section"];

/// Every loaded rule, in id order.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// What their patterns cost, against the limit for all rules together
    /// ([`RuleSet::budget`]), less the built-in patterns not yet priced.
    budget: Budget,
    /// Built-in patterns not yet charged to `budget`: they are priced only
    /// when other rules are loaded beside them (the budget matters then), so
    /// a scan with the built-in rules alone does not compile each twice.
    unpriced: Vec<String>,
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, FileError> {
        // Each built-in file compiles on its own (its regexes, its keyword
        // automata), so they compile side by side: this runs before every
        // scan, on the thread everything else waits for. Their costs are
        // charged to the set's budget in file order afterwards, and the
        // first error in file order is the one returned, as one thread
        // would return it.
        let compile = |i: usize| {
            let (name, text) = BUILTIN_RULES[i];
            let mut patterns = Vec::new();
            compile_with(&format!("rules/{name}"), text, &mut |p: &str| {
                patterns.push(p.to_string());
                budget::build(p)
            })
            .map(|r| (r, patterns))
        };
        let threads = crate::par::threads(0);
        let compiled = crate::par::map_in_order(
            BUILTIN_RULES.len(),
            threads.min(4),
            || (),
            |_, i| compile(i),
        );
        let mut set = RuleSet::default();
        for r in compiled {
            let (rule, patterns) = r?;
            set.unpriced.extend(patterns);
            set.add(rule)?;
        }
        Ok(set)
    }

    /// What every loaded pattern costs together, built-in ones included.
    pub fn budget(&mut self) -> Budget {
        self.price_builtins();
        self.budget
    }

    fn price_builtins(&mut self) {
        for p in std::mem::take(&mut self.unpriced) {
            // The built-in patterns are far inside the limits (a test holds
            // them to a sixth of the total), so this charges, never refuses.
            let _ = self.budget.charge(&p);
        }
    }

    /// Adds the `*.yml`/`*.yaml` rule files of `dir` (sorted by name).
    /// `confined`: the folder belongs to the scanned repository, so rule files
    /// that are links are skipped and errors echo only the offending token.
    pub fn load_dir(&mut self, dir: &Path, confined: bool) -> Result<(), FileError> {
        self.price_builtins();
        let display = dir.display().to_string();
        let not_folder = |what: &str| {
            FileError::new(
                &display,
                "",
                (0, 0),
                format!("rule folder {display} {what}"),
                "here",
            )
        };
        match std::fs::metadata(dir) {
            Err(_) => return Err(not_folder("does not exist")),
            Ok(m) if !m.is_dir() => {
                return Err(not_folder("is a file, not a folder of rule files"))
            }
            Ok(_) => {}
        }
        let mut paths: Vec<_> = walkdir::WalkDir::new(dir)
            .max_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml")))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            let text =
                crate::fsread::read_text(&path, crate::fsread::MAX_CONFIG_FILE).map_err(|e| {
                    FileError::new(&name, "", (0, 0), format!("rule file {name} {e}"), "here")
                })?;
            let rule = compile_in(&name, &text, &mut self.budget).map_err(|e| {
                if confined {
                    e.confined()
                } else {
                    e
                }
            })?;
            self.add(rule)?;
        }
        Ok(())
    }

    fn add(&mut self, rule: Rule) -> Result<(), FileError> {
        if let Some(other) = self.rules.iter().find(|r| r.id == rule.id) {
            return Err(FileError::new(
                &rule.origin,
                "",
                (0, 0),
                format!(
                    "duplicate rule id `{}`: also defined in {}",
                    rule.id, other.origin
                ),
                "here",
            ));
        }
        let at = self.rules.partition_point(|r| r.id < rule.id);
        self.rules.insert(at, rule);
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }
}

/// Parses and validates one rule file, on its own (a fresh [`Budget`]).
pub fn compile(name: &str, text: &str) -> Result<Rule, FileError> {
    compile_in(name, text, &mut Budget::default())
}

/// Parses and validates one rule file; its patterns are charged to `budget`.
/// The file may be a repository's: YAML nested past what the parser should
/// recurse through is refused first.
pub fn compile_in(name: &str, text: &str, budget: &mut Budget) -> Result<Rule, FileError> {
    FileError::refuse_deep_yaml(name, text, "rule file")?;
    compile_with(name, text, &mut |p: &str| budget.regex(p))
}

/// Parses and validates one rule file, each pattern compiled by `regex`
/// (which charges it to a budget, or not). No depth check: the built-in
/// rules come here directly, being ours.
fn compile_with(
    name: &str,
    text: &str,
    regex: &mut dyn FnMut(&str) -> Result<Regex, String>,
) -> Result<Rule, FileError> {
    let raw: RawRule = serde_yaml_ng::from_str(text)
        .map_err(|e| FileError::from_yaml(name, text, &e, "rule file"))?;
    let err = |key: &str, needle: &str, msg: String, label: &str| {
        FileError::at_text(name, text, key, needle, msg, label)
    };

    if raw.id.is_empty()
        || !raw
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(
            "id:",
            &raw.id,
            format!("rule id `{}` must be lowercase kebab-case", raw.id),
            "bad id",
        ));
    }
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem != raw.id {
        return Err(err(
            "id:",
            &raw.id,
            format!("rule id `{}` must equal the file name `{stem}`", raw.id),
            "does not match the file name",
        ));
    }
    if raw.matchers.is_empty() {
        return Err(err(
            "match:",
            "match",
            "a rule needs at least one matcher under `match:`".into(),
            "empty",
        ));
    }
    let message =
        Template::parse(&raw.message).map_err(|e| err("message:", "", e, "bad template"))?;
    // Without a `label:`, the title, taken literally (it is no template).
    let title_text = raw.title.replace('{', "{{").replace('}', "}}");
    let label = Template::parse(raw.label.as_deref().unwrap_or(&title_text))
        .map_err(|e| err("label:", "", e, "bad template"))?;
    let files = FileFilter {
        kinds: raw.files.kinds.clone(),
        globs: globs(&raw.files.globs).map_err(|(g, e)| err("", &g, e, "bad glob"))?,
        exclude: globs(&raw.files.exclude).map_err(|(g, e)| err("", &g, e, "bad glob"))?,
    };
    let mut matchers = Vec::new();
    let mut offered = BTreeSet::new();
    for m in raw.matchers {
        let is_suppression = matches!(m, RawMatcher::Suppression(_));
        matchers.push(compile_matcher(
            m,
            (&message, &label),
            &raw.redact,
            &err,
            &mut offered,
            &mut |key: &str, p: &str| {
                regex(p).map_err(|e| err(key, p, format!("rule `{}`: {e}", raw.id), "this pattern"))
            },
        )?);
        if is_suppression {
            offered.extend(SUPPRESSION_VARS.iter().map(|v| v.to_string()));
        }
    }
    if let Some(n) = label.names().find(|n| !offered.contains(*n)) {
        let known: Vec<&str> = offered.iter().map(String::as_str).collect();
        return Err(err(
            "label",
            &format!("{{{n}"),
            format!(
                "label placeholder `{n}` is not provided by any matcher of this rule (they offer: {})",
                known.join(", ")
            ),
            "unknown placeholder",
        ));
    }
    if raw.examples.matching.is_empty() || raw.examples.not_matching.is_empty() {
        return Err(err(
            "examples:",
            "examples",
            "a rule needs at least one `match` and one `no-match` example".into(),
            "add examples",
        ));
    }
    if let Some(s) = raw.security_severity {
        if !(0.0..=10.0).contains(&s) {
            return Err(err(
                "security-severity:",
                &s.to_string(),
                "security-severity must be between 0.0 and 10.0".into(),
                "out of range",
            ));
        }
    }
    let has_regex = matchers.iter().any(|m| matches!(m, Matcher::Regex(_)));
    if has_regex && raw.keywords.is_empty() {
        return Err(err(
            "match:",
            "regex",
            "a rule with regex matchers needs `keywords:` for the literal prefilter".into(),
            "no keywords",
        ));
    }
    Ok(Rule {
        id: raw.id,
        title: raw.title,
        severity: raw.severity,
        tags: raw.tags,
        security_severity: raw.security_severity,
        summary: raw.summary,
        why: raw.why,
        help: raw.help,
        references: raw.references,
        files,
        keywords: raw.keywords,
        message,
        label,
        redact: raw.redact,
        matchers,
        once_per_file: raw.once_per_file,
        once_per_folder: raw.once_per_folder,
        supersedes: raw.supersedes,
        mentions: raw.mentions,
        examples: raw.examples,
        origin: name.to_string(),
    })
}

fn globs(list: &[String]) -> Result<Option<GlobSet>, (String, String)> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in crate::config::unique(list) {
        let glob = Glob::new(g).map_err(|e| (g.clone(), format!("bad glob `{g}`: {e}")))?;
        b.add(glob);
    }
    b.build()
        .map(Some)
        .map_err(|e| (list[0].clone(), e.to_string()))
}

type ErrFn<'a> = dyn Fn(&str, &str, String, &str) -> FileError + 'a;
/// Compiles one pattern within the budget; the error points at it (on the
/// line of the key given, when there is one).
type RegexFn<'a> = dyn FnMut(&str, &str) -> Result<Regex, FileError> + 'a;

fn compile_matcher(
    m: RawMatcher,
    (default_msg, default_label): (&Template, &Template),
    redact: &[String],
    err: &ErrFn<'_>,
    offered: &mut BTreeSet<String>,
    regex: &mut RegexFn<'_>,
) -> Result<Matcher, FileError> {
    // A matcher's message and label, each checked against the variables it
    // offers. The rule's own label only needs each placeholder offered by
    // some matcher (an absent one renders its fallback), so one label line
    // serves a rule whose matchers capture different things.
    let mut templates = |msg: &Option<String>,
                         label: &Option<String>,
                         vars: &BTreeSet<&str>,
                         needle: &str|
     -> Result<(Option<Template>, Option<Template>), FileError> {
        let mut out = Vec::new();
        for (key, own, default) in [
            ("message", msg, default_msg),
            ("label", label, default_label),
        ] {
            let parsed = own
                .as_deref()
                .map(|s| {
                    Template::parse(s).map_err(|e| err(&format!("{key}:"), s, e, "bad template"))
                })
                .transpose()?;
            offered.extend(vars.iter().map(|v| v.to_string()));
            if key == "label" && parsed.is_none() {
                out.push(parsed);
                continue;
            }
            for n in parsed.as_ref().unwrap_or(default).names() {
                if !vars.contains(n) {
                    let known: Vec<&str> = vars.iter().copied().collect();
                    return Err(err(key, &format!("{{{n}"), format!("{key} placeholder `{n}` is not provided by the `{needle}` matcher (it offers: {})", known.join(", ")), "unknown placeholder"));
                }
            }
            out.push(parsed);
        }
        let label = out.pop().flatten();
        Ok((out.pop().flatten(), label))
    };
    match m {
        RawMatcher::Regex(r) => {
            let re = regex("pattern", &r.pattern)?;
            let mut vars: BTreeSet<&str> = re.capture_names().flatten().collect();
            vars.insert("match");
            let (message, label) = templates(&r.message, &r.label, &vars, "regex")?;
            for name in redact
                .iter()
                .chain(r.span.iter())
                .chain(r.captures_not.keys())
            {
                if !vars.contains(name.as_str()) {
                    return Err(err(
                        "",
                        name,
                        format!("`{name}` is not a named capture of {:?}", r.pattern),
                        "unknown capture",
                    ));
                }
            }
            let mut compile_all = |list: &[String]| -> Result<Vec<Regex>, FileError> {
                list.iter().map(|p| regex("", p)).collect()
            };
            let not = compile_all(&r.not)?;
            let file_contains = compile_all(&r.file_contains)?;
            let unless_file_contains = compile_all(&r.unless_file_contains)?;
            Ok(Matcher::Regex(RegexMatcher {
                not,
                file_contains,
                unless_file_contains,
                unless_scope_contains: r.unless_scope_contains.clone(),
                captures_not: r
                    .captures_not
                    .iter()
                    .map(|(k, p)| regex("", p).map(|re| (k.clone(), re)))
                    .collect::<Result<_, _>>()?,
                captures_not_repeated: r.captures_not_repeated,
                regex: re,
                span: r.span,
                message,
                label,
                kinds: r.kinds,
            }))
        }
        RawMatcher::Dependency(d) => {
            let (message, label) = templates(
                &d.message,
                &d.label,
                &DEPENDENCY_VARS.iter().copied().collect(),
                "dependency",
            )?;
            let mut packages = Vec::new();
            for p in d.packages {
                let below = match &p.below {
                    None => None,
                    Some(v) => Some(nodejs_semver::Version::parse(v).map_err(|e| {
                        err(
                            "below",
                            v,
                            format!("`below` must be a version: {e}"),
                            "not a version",
                        )
                    })?),
                };
                packages.push(PackageSpec {
                    name: p.name,
                    below,
                });
            }
            for s in &d.sections {
                if !crate::facts::package_json::DEPENDENCY_SECTIONS.contains(&s.as_str()) {
                    return Err(err(
                        "sections",
                        s,
                        format!(
                            "unknown package.json section `{s}`; expected one of {}",
                            crate::facts::package_json::DEPENDENCY_SECTIONS.join(", ")
                        ),
                        "unknown section",
                    ));
                }
            }
            let sections = if d.sections.is_empty() {
                crate::facts::package_json::DEPENDENCY_SECTIONS
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                d.sections
            };
            Ok(Matcher::Dependency(DependencyMatcher {
                packages,
                sections,
                message,
                label,
            }))
        }
        RawMatcher::Suppression(kind) => match kind.as_str() {
            "unused" => Ok(Matcher::Suppression(SuppressionProblem::Unused)),
            "no-reason" => Ok(Matcher::Suppression(SuppressionProblem::NoReason)),
            other => Err(err(
                "suppression",
                other,
                format!("unknown suppression problem `{other}`; expected `unused` or `no-reason`"),
                "unknown",
            )),
        },
        RawMatcher::ServerConfig(c) => {
            let (message, label) = templates(
                &c.message,
                &c.label,
                &SERVER_VARS.iter().copied().collect(),
                "server-config",
            )?;
            Ok(Matcher::ServerConfig(ServerConfigMatcher {
                without_secret: c.without_secret,
                message,
                label,
            }))
        }
        RawMatcher::Datamodel(d) => {
            let (message, label) = templates(
                &d.message,
                &d.label,
                &DATAMODEL_VARS.iter().copied().collect(),
                "datamodel",
            )?;
            let Some(problem) = crate::upgrade::plan::Problem::parse(&d.problem) else {
                let known: Vec<&str> = crate::upgrade::plan::Problem::ALL
                    .iter()
                    .map(|p| p.as_str())
                    .collect();
                return Err(err(
                    "problem",
                    &d.problem,
                    format!(
                        "unknown datamodel problem `{}`; expected one of {}",
                        d.problem,
                        known.join(", ")
                    ),
                    "unknown problem",
                ));
            };
            Ok(Matcher::Datamodel(DatamodelMatcher {
                problem,
                message,
                label,
            }))
        }
        RawMatcher::Command(c) => {
            let (message, label) = templates(
                &c.message,
                &c.label,
                &COMMAND_VARS.iter().copied().collect(),
                "command",
            )?;
            const CLIS: [&str; 3] = ["prisma1", "npm-global-install", "prisma1-global-install"];
            if !CLIS.contains(&c.cli.as_str()) {
                return Err(err(
                    "cli",
                    &c.cli,
                    format!(
                        "unknown cli `{}`; expected one of {}",
                        c.cli,
                        CLIS.join(", ")
                    ),
                    "unknown cli",
                ));
            }
            const CLASSES: [&str; 8] = [
                "cloud",
                "protected",
                "unprotected",
                "remote",
                "local",
                "unknown",
                "none",
                "legacy",
            ];
            for t in &c.talks_to {
                if !TALKS_TO.contains(&t.as_str()) {
                    return Err(err(
                        "talks-to",
                        t,
                        format!("unknown API `{t}`; expected one of {}", TALKS_TO.join(", ")),
                        "unknown API",
                    ));
                }
            }
            for e in &c.endpoint {
                if !CLASSES.contains(&e.as_str()) {
                    return Err(err(
                        "endpoint",
                        e,
                        format!(
                            "unknown endpoint class `{e}`; expected one of {}",
                            CLASSES.join(", ")
                        ),
                        "unknown class",
                    ));
                }
            }
            Ok(Matcher::Command(CommandMatcher {
                spec: c,
                message,
                label,
            }))
        }
    }
}

/// The API classes a `command` matcher's `talks-to` may name (the engine's
/// command table; a test there keeps the two lists equal).
pub const TALKS_TO: [&str; 8] = [
    "management",
    "management-token",
    "service",
    "local",
    "cloud",
    "unauthenticated",
    "database",
    "local-servers",
];

#[cfg(test)]
mod tests;
