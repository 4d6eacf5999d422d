//! Applies compiled rules to files and facts. Per-file matchers (regex) run
//! inside the parallel walk; structured matchers that need the whole
//! repository (commands, dependencies) run once the walk is done.

pub mod active;
pub mod commands;
pub mod datamodel;
pub mod dependency;
pub mod overlap;
pub mod regex;
pub mod server;

use crate::facts::commands::FACTS_KEYWORDS;
use crate::finding::{Finding, Severity};
use crate::kind::FileKind;
use crate::rules::{Matcher, RuleSet};
use active::ActiveRule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Rules ready to apply, with the combined literal prefilter.
pub struct Engine<'r> {
    pub rules: Vec<ActiveRule<'r>>,
    prefilter: AhoCorasick,
    /// For each prefilter pattern, what a hit on it tells: the rules
    /// (indexes into `rules`) it enables, and the hints, counting every
    /// shorter pattern that is a prefix of it (see [`Engine::candidates`]).
    on_hit: Vec<OnHit>,
    /// Rules with regex matchers but no keywords run on every file.
    always: Vec<usize>,
    /// Severity of command findings in documentation (config `documented-commands`).
    pub docs_severity: Severity,
}

/// What a hit on one prefilter pattern tells.
#[derive(Debug, Default)]
struct OnHit {
    rules: Vec<usize>,
    mentions_prisma: bool,
    suppressions: bool,
}

/// What the prefilter pass learnt about a file besides candidate rules.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hints {
    pub mentions_prisma: bool,
    pub suppressions: bool,
}

impl<'r> Engine<'r> {
    pub fn new(set: &'r RuleSet, active: Vec<(usize, Severity)>) -> Result<Engine<'r>, String> {
        let rules: Vec<ActiveRule<'r>> = active
            .into_iter()
            .map(|(i, severity)| ActiveRule {
                rule: &set.rules[i],
                severity,
            })
            .collect();
        let mut patterns: Vec<String> = vec![crate::suppress::MARKER.to_string()];
        let mut pattern_rules: Vec<Vec<usize>> = vec![Vec::new()];
        for k in FACTS_KEYWORDS {
            patterns.push(k.to_string());
            pattern_rules.push(Vec::new());
        }
        let mut always = Vec::new();
        for (i, ar) in rules.iter().enumerate() {
            if !ar.rule.has_regex() {
                continue;
            }
            if ar.rule.keywords.is_empty() {
                always.push(i);
            }
            for k in &ar.rule.keywords {
                match patterns.iter().position(|p| p == k) {
                    Some(p) => pattern_rules[p].push(i),
                    None => {
                        patterns.push(k.clone());
                        pattern_rules.push(vec![i]);
                    }
                }
            }
        }
        // Case-sensitive and leftmost-longest lets aho-corasick use its SIMD
        // (Teddy) searcher, which is what keeps a clean file at one fast pass.
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        // Leftmost-longest reports the longest pattern starting at a place;
        // the others starting there are exactly its prefixes, so what a hit
        // tells is settled here once, not by comparing every pattern per hit.
        let on_hit = patterns
            .iter()
            .map(|p| {
                let mut hit = OnHit::default();
                for (q, pat) in patterns.iter().enumerate() {
                    if !p.starts_with(pat.as_str()) {
                        continue;
                    }
                    match q {
                        0 => hit.suppressions = true,
                        q if q <= FACTS_KEYWORDS.len() => hit.mentions_prisma = true,
                        _ => {}
                    }
                    hit.rules.extend(&pattern_rules[q]);
                }
                hit.rules.sort_unstable();
                hit.rules.dedup();
                hit
            })
            .collect();
        Ok(Engine {
            rules,
            prefilter,
            on_hit,
            always,
            docs_severity: commands::DOCS_SEVERITY,
        })
    }

    /// One pass over `text`: which rules could match, and whether the file
    /// mentions Prisma at all (worth extracting facts from) and holds a
    /// suppression comment.
    pub fn candidates(&self, text: &[u8], out: &mut Vec<bool>) -> Hints {
        out.clear();
        out.resize(self.rules.len(), false);
        for &i in &self.always {
            out[i] = true;
        }
        let mut hints = Hints::default();
        let mut at = 0;
        // Restart one byte after each hit rather than after its end, so
        // keywords that overlap (`prisma`, `prisma.sh`) are all seen.
        while let Some(m) = self
            .prefilter
            .find(aho_corasick::Input::new(text).span(at..text.len()))
        {
            let hit = &self.on_hit[m.pattern().as_usize()];
            hints.suppressions |= hit.suppressions;
            hints.mentions_prisma |= hit.mentions_prisma;
            for &r in &hit.rules {
                out[r] = true;
            }
            at = m.start() + 1;
        }
        hints
    }

    /// Runs the regex matchers of the candidate rules on one file. Returns
    /// notes for rules that stopped at the per-file cap.
    pub fn match_file(
        &self,
        path: &str,
        kind: FileKind,
        text: &[u8],
        spans: &crate::mask::LazySpans<'_>,
        candidates: &[bool],
        out: &mut Vec<Finding>,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        for (i, ar) in self.rules.iter().enumerate() {
            if !candidates[i] || !ar.rule.files.applies(path, kind) {
                continue;
            }
            let start = out.len();
            let mut capped = false;
            for m in &ar.rule.matchers {
                if let Matcher::Regex(rm) = m {
                    capped |= regex::apply(ar, rm, path, kind, text, spans, out);
                }
            }
            if ar.rule.once_per_file && out.len() - start > 1 {
                out[start..].sort_by_key(|f| f.location.start_byte);
                out.truncate(start + 1);
            }
            // One finding per rule and line: `KEY: ${{ secrets.KEY }}` is one problem, not two.
            if out.len() - start > 1 {
                let mut seen = std::collections::HashSet::new();
                let kept: Vec<Finding> = out
                    .drain(start..)
                    .filter(|f| seen.insert(f.location.line))
                    .collect();
                out.extend(kept);
            }
            if out.len() - start > regex::MAX_PER_RULE_FILE {
                out.truncate(start + regex::MAX_PER_RULE_FILE);
                capped = true;
            }
            if capped {
                notes.push(format!(
                    "more than {} findings of `{}` in this file; only the first {} are reported",
                    regex::MAX_PER_RULE_FILE,
                    ar.rule.id,
                    regex::MAX_PER_RULE_FILE
                ));
            }
        }
        notes
    }
}

/// `once-per-folder`: findings of `rule` in files named in `names` (a set of
/// files written together into one folder) become one per folder, on the
/// first name of `names` present in the folder on disk, with the others
/// present as related locations. Decided from the folder on disk, not from
/// which files were scanned, so `check FILE` gives what a full scan gives.
pub fn once_per_folder(
    rule: &str,
    names: &[String],
    root: &std::path::Path,
    findings: &mut Vec<Finding>,
) {
    use std::collections::BTreeMap;
    let named = |f: &Finding| {
        f.rule == rule
            && names
                .iter()
                .any(|n| f.location.path.rsplit('/').next() == Some(n.as_str()))
    };
    let mut folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in findings.iter().filter(|f| named(f)) {
        let dir = crate::paths::parent(&f.location.path).to_string();
        folders.entry(dir).or_insert_with_key(|dir| {
            names
                .iter()
                .map(|n| crate::paths::join(dir, n))
                .filter(|p| root.join(p).is_file())
                .collect()
        });
    }
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for mut f in std::mem::take(findings) {
        if !named(&f) {
            kept.push(f);
            continue;
        }
        let dir = crate::paths::parent(&f.location.path).to_string();
        let present = folders.get(&dir).map(Vec::as_slice).unwrap_or_default();
        if present.first().is_some_and(|p| **p != *f.location.path) {
            continue;
        }
        for other in present.iter().skip(1) {
            f.related.push(crate::finding::Related {
                location: crate::finding::Location {
                    path: other.as_str().into(),
                    line: 1,
                    column: 1,
                    end_line: 1,
                    end_column: 1,
                    ..Default::default()
                },
                message: crate::text::Text::tool("also generated in this client"),
                snippet: crate::text::RepoText::default(),
            });
        }
        kept.push(f);
    }
    *findings = kept;
}
