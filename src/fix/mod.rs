//! Mechanical fixes: the edits that settle a finding, as data on the finding.
//!
//! A [`Fix`] is a list of byte-range replacements computed from the spans the
//! scan already found (a command's location, an env entry's location, a YAML
//! node's position), never by running a pattern over the file again. `check`
//! carries fixes into its JSON, SARIF and Markdown output; `fix` (see [`run`])
//! applies them, rescans and repeats.
//!
//! Each fixer lives in its own file and only answers "what would settle this
//! finding?"; choosing, ordering, writing and reporting live in [`plan`],
//! [`write`] and [`run`].

pub mod ci_env;
pub mod diff;
pub mod endpoint;
pub mod login;
pub mod pin;
pub mod plan;
pub mod rename;
pub mod run;
pub mod write;
pub mod yaml_nav;

use crate::facts::yaml::Node;
use crate::facts::RepoFacts;
use crate::finding::Finding;
use crate::kind::FileKind;
use crate::mask::Span;
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How much a fix can be trusted to keep the project working by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Nothing else to do: `fix` applies it by default.
    Safe,
    /// Works only once the user does something outside the repository (a
    /// secret to create, a CI variable to rename): `fix --unsafe`.
    Unsafe,
    /// Asked for on the command line (`--replace-endpoint`).
    Requested,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Requested => "requested",
        }
    }
}

/// One replacement: bytes `start..end` of `path` become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    /// Path relative to the scan root, `/`-separated.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// What settles a finding: edits plus, for unsafe fixes, what the user must do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// One line for people: "Rename PRISMA_MANAGEMENT_SECRET to ...".
    pub description: Text,
    /// Sorted by path, then start. The replacements are the tool's (names,
    /// references, versions), never a value read from a secret's place.
    pub edits: Vec<Edit>,
    /// Steps outside the repository the fix depends on.
    pub action: Option<Text>,
    /// The edits as a unified diff, for reports that show a suggestion.
    pub diff: Text,
}

impl Fix {
    /// Masks the backstop's values in its repository text.
    pub fn mark(&mut self, backstop: &crate::mask::Backstop) {
        self.description.mark(backstop);
        if let Some(a) = &mut self.action {
            a.mark(backstop);
        }
        self.diff.mark(backstop);
    }
}

/// What the fixers may use besides the findings.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// `--replace-endpoint OLD=NEW`, validated.
    pub endpoints: Vec<endpoint::Replacement>,
}

/// Files read for fixing, checked to be regular files inside the root.
///
/// Fixers see a file as the scan saw it, without a UTF-8 byte-order mark
/// ([`Sources::get`]), so the scan's offsets are theirs; [`finish`] moves the
/// edits to the file's own offsets ([`Sources::raw`]), which is what `fix`
/// writes and what JSON and SARIF consumers apply.
pub struct Sources {
    root: PathBuf,
    /// The file's bytes as on disk.
    files: BTreeMap<String, Option<Rc<[u8]>>>,
    starts: BTreeMap<String, Rc<Vec<usize>>>,
    /// Copies of the `--replace-endpoint` URLs per file: (start, end, new, which).
    pub(crate) endpoint_hits: BTreeMap<String, Rc<Vec<endpoint::Hit>>>,
    /// Files whose endpoint fix a finding already carries.
    pub(crate) endpoint_done: std::collections::BTreeSet<String>,
    texts: BTreeMap<String, Option<Rc<str>>>,
    yaml: BTreeMap<String, Option<Rc<Vec<Node>>>>,
    spans: BTreeMap<String, Rc<Vec<Span>>>,
}

impl Sources {
    pub fn new(root: &Path) -> Sources {
        Sources {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            starts: BTreeMap::new(),
            endpoint_hits: BTreeMap::new(),
            endpoint_done: std::collections::BTreeSet::new(),
            texts: BTreeMap::new(),
            yaml: BTreeMap::new(),
            spans: BTreeMap::new(),
        }
    }

    /// The spans of the secrets in `rel`, at the file's own offsets (a
    /// byte-order mark counted: the diff's context lines are cut from the
    /// bytes as on disk).
    pub fn secret_spans(&mut self, rel: &str) -> Rc<Vec<Span>> {
        if let Some(s) = self.spans.get(rel) {
            return s.clone();
        }
        let skip = self.skipped(rel);
        let spans = match self.get(rel) {
            Some(b) => {
                let kind = FileKind::from_path(rel).refine_with_content(&b[..b.len().min(8192)]);
                crate::mask::spans(kind, b)
                    .into_iter()
                    .map(|(s, e)| (s + skip, e + skip))
                    .collect()
            }
            None => Vec::new(),
        };
        let spans = Rc::new(spans);
        self.spans.insert(rel.to_string(), spans.clone());
        spans
    }

    /// The bytes of `rel` as on disk, or `None` when it cannot be read or
    /// may not be edited (a symlink, outside the root).
    pub fn raw(&mut self, rel: &str) -> Option<&[u8]> {
        if !self.files.contains_key(rel) {
            let bytes = write::checked_path(&self.root, rel)
                .ok()
                .and_then(|p| crate::fsread::read_bounded(&p, MAX_EDITED_FILE).ok())
                .map(Rc::from);
            self.files.insert(rel.to_string(), bytes);
        }
        self.files.get(rel).and_then(|b| b.as_deref())
    }

    /// Bytes before what the scan saw: 3 for a UTF-8 byte-order mark.
    pub fn skipped(&mut self, rel: &str) -> usize {
        match self.raw(rel) {
            Some(b) if b.starts_with(crate::decode::UTF8_BOM) => crate::decode::UTF8_BOM.len(),
            _ => 0,
        }
    }

    /// The bytes of `rel` as the scan saw them (no byte-order mark): the
    /// offsets of findings and facts are into these.
    pub fn get(&mut self, rel: &str) -> Option<&[u8]> {
        let skip = self.skipped(rel);
        self.raw(rel).map(|b| &b[skip..])
    }

    /// The bytes of `rel` as on disk, shared (no copy).
    pub fn shared(&mut self, rel: &str) -> Option<Rc<[u8]>> {
        self.raw(rel)?;
        self.files.get(rel).cloned().flatten()
    }

    /// Byte offsets of the line starts of `rel` as on disk, computed once.
    pub fn line_starts(&mut self, rel: &str) -> Option<Rc<Vec<usize>>> {
        if let Some(s) = self.starts.get(rel) {
            return Some(s.clone());
        }
        let starts = Rc::new(diff::line_starts(self.raw(rel)?));
        self.starts.insert(rel.to_string(), starts.clone());
        Some(starts)
    }

    /// The text of `rel` when it is UTF-8 (every file a fixer edits is).
    pub fn text(&mut self, rel: &str) -> Option<Rc<str>> {
        if !self.texts.contains_key(rel) {
            let t = self
                .get(rel)
                .and_then(|b| std::str::from_utf8(b).ok())
                .map(Rc::from);
            self.texts.insert(rel.to_string(), t);
        }
        self.texts.get(rel).cloned().flatten()
    }

    /// Drops what was read of `rel` (its bytes, text, lines and YAML): a
    /// later use reads it again. Findings come sorted by path, so a file
    /// done with need not stay in memory while the others are fixed.
    pub fn forget(&mut self, rel: &str) {
        self.files.remove(rel);
        self.texts.remove(rel);
        self.starts.remove(rel);
        self.yaml.remove(rel);
    }

    /// The YAML documents of `rel`, parsed once however many findings it has.
    pub fn yaml(&mut self, rel: &str) -> Option<Rc<Vec<Node>>> {
        if !self.yaml.contains_key(rel) {
            let docs = self
                .text(rel)
                .and_then(|t| crate::facts::yaml::parse(&t).ok())
                .map(Rc::new);
            self.yaml.insert(rel.to_string(), docs);
        }
        self.yaml.get(rel).cloned().flatten()
    }
}

/// The context every fixer gets.
pub struct Ctx<'a> {
    pub facts: &'a RepoFacts,
    /// Kind of every scanned file.
    pub kinds: &'a BTreeMap<String, FileKind>,
    pub opts: &'a FixOptions,
    /// The repository's value backstop, for the fixes' texts.
    pub backstop: &'a crate::mask::Backstop,
}

/// Attaches a fix to every finding one of the fixers knows how to settle.
///
/// A fixer that panics on some unforeseen input costs that finding its fix,
/// never the run: `check` calls this on every scan.
pub fn attach(findings: &mut [Finding], ctx: &Ctx<'_>, src: &mut Sources) {
    // `quietly`: a panic message may quote file text, which may hold a secret.
    use crate::panics::quietly;
    let renames = quietly(|| rename::fixes(findings, ctx, src)).unwrap_or_default();
    let mut previous: Option<String> = None;
    for f in findings.iter_mut() {
        if previous.as_deref() != Some(f.location.path.as_str()) {
            if let Some(done) = previous.replace(f.location.path.clone()) {
                src.forget(&done);
            }
        }
        // Comments and documentation are not edited on their own account; an
        // endpoint replacement and a rename cover every copy, mentions included.
        let covers_mentions = matches!(
            f.rule.as_str(),
            "cloud-endpoint" | "misnamed-management-secret"
        );
        if f.suppressed.is_some() || f.fix.is_some() || (f.mention && !covers_mentions) {
            continue;
        }
        let fix = quietly(|| fix_one(f, &renames, ctx, src)).ok().flatten();
        f.fix = fix.and_then(|fix| quietly(|| finish(fix, src)).ok().flatten());
        if let Some(fix) = &mut f.fix {
            fix.mark(ctx.backstop);
        }
    }
}

/// The fix one fixer proposes for `f`.
fn fix_one(
    f: &Finding,
    renames: &BTreeMap<String, Vec<(String, Fix)>>,
    ctx: &Ctx<'_>,
    src: &mut Sources,
) -> Option<Fix> {
    let l = &f.location;
    // Offsets that do not fall on characters of the file as it is on disk
    // (it changed since the scan) give no fix.
    let text = src.text(&l.path)?;
    if l.start_byte > l.end_byte
        || !text.is_char_boundary(l.start_byte)
        || !text.is_char_boundary(l.end_byte)
    {
        return None;
    }
    match f.rule.as_str() {
        "misnamed-management-secret" => renames.get(&f.location.path).and_then(|m| {
            m.iter()
                .find(|(name, _)| f.matched.masked().contains(name.as_str()))
                .map(|(_, fix)| fix.clone())
        }),
        "unpinned-global-cli" => pin::fix(f, ctx, src),
        "missing-management-secret" => ci_env::fix(f, ctx, src),
        "cloud-login" => login::fix(f, ctx, src).or_else(|| login::fix_variable(f, ctx, src)),
        "cloud-endpoint" => endpoint::fix(f, ctx, src),
        _ => None,
    }
}

/// Drops no-op edits, sorts, and renders the diff; `None` when nothing changes.
fn finish(mut fix: Fix, src: &mut Sources) -> Option<Fix> {
    fix.edits.retain(|e| {
        src.get(&e.path)
            .and_then(|b| b.get(e.start..e.end))
            .is_some_and(|old| old != e.replacement.as_bytes())
    });
    fix.edits.sort();
    fix.edits.dedup();
    if fix.edits.is_empty() || plan::overlapping(&fix.edits) {
        return None;
    }
    // From here on, the file's own offsets (a byte-order mark counted).
    for e in &mut fix.edits {
        let skip = src.skipped(&e.path);
        e.start += skip;
        e.end += skip;
    }
    let mut out = Text::default();
    for (path, edits) in plan::by_file(&fix.edits) {
        let old = src.shared(path)?;
        let starts = src.line_starts(path)?;
        if !plan::fits(&old, &edits) {
            return None;
        }
        let spans = src.secret_spans(path);
        out.push(diff::unified_edits_in(path, &old, &starts, &spans, &edits));
    }
    fix.diff = out;
    Some(fix)
}

/// The newline a file uses: `\r\n` when its first line ends so.
pub fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Is `b` a byte of a shell or env variable name?
pub fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Largest file a fixer reads or edits (the scan itself skips larger ones by default).
pub const MAX_EDITED_FILE: u64 = 64 << 20;

/// The variable that holds the management secret, as the CLI reads it.
pub const SECRET_VAR: &str = "PRISMA_MANAGEMENT_API_SECRET";
