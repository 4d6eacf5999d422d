//! What every fixer gets besides the finding: the repository's facts, the
//! options of the run, and the files to fix, read once and shared.

use super::replacement::{Hit, Replacement};
use super::{diff, write};
use crate::facts::RepoFacts;
use crate::kind::FileKind;
use crate::mask::Span;
use crate::yaml::Node;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What the fixers may use besides the findings.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// `--replace-endpoint OLD=NEW`, validated.
    pub endpoints: Vec<Replacement>,
}

/// Files read for fixing, checked to be regular files inside the root.
///
/// Fixers see a file as the scan saw it, without a UTF-8 byte-order mark
/// ([`Sources::get`]), so the scan's offsets are theirs; once a fixer is
/// done, the edits move to the file's own offsets ([`Sources::raw`]), which
/// is what `fix` writes and what JSON and SARIF consumers apply.
pub struct Sources {
    root: PathBuf,
    /// The file's bytes as on disk.
    files: BTreeMap<String, Option<Rc<[u8]>>>,
    starts: BTreeMap<String, Rc<Vec<usize>>>,
    /// Copies of the `--replace-endpoint` URLs per file: (start, end, new, which).
    pub(crate) endpoint_hits: BTreeMap<String, Rc<Vec<Hit>>>,
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
                .and_then(|t| crate::yaml::parse(&t).ok())
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
