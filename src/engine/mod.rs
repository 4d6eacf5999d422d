//! Applies compiled rules to files and facts. Per-file matchers (regex) run
//! inside the parallel walk; structured matchers that need the whole
//! repository (commands, dependencies) run once the walk is done.

pub mod commands;
pub mod dependency;
pub mod regex;
pub mod server;

use crate::finding::{Finding, Severity};
use crate::kind::FileKind;
use crate::rules::{Matcher, Rule, RuleSet};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A rule as this run uses it: the compiled rule and its effective severity.
pub struct ActiveRule<'r> {
    pub rule: &'r Rule,
    pub severity: Severity,
}

/// Rules ready to apply, with the combined literal prefilter.
pub struct Engine<'r> {
    pub rules: Vec<ActiveRule<'r>>,
    prefilter: AhoCorasick,
    /// For each prefilter pattern, the rules (indexes into `rules`) it enables;
    /// `usize::MAX` marks the facts keyword.
    pattern_rules: Vec<Vec<usize>>,
    /// Rules with regex matchers but no keywords run on every file.
    always: Vec<usize>,
}

/// What the prefilter pass learnt about a file besides candidate rules.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hints {
    pub mentions_prisma: bool,
    pub suppressions: bool,
}

/// The literal that makes a file worth reading for facts (commands,
/// package.json, prisma.yml). Every Prisma 1 signal contains it.
pub const FACTS_KEYWORD: &str = "prisma";

impl<'r> Engine<'r> {
    pub fn new(set: &'r RuleSet, active: Vec<(usize, Severity)>) -> Result<Engine<'r>, String> {
        let rules: Vec<ActiveRule<'r>> = active
            .into_iter()
            .map(|(i, severity)| ActiveRule {
                rule: &set.rules[i],
                severity,
            })
            .collect();
        let mut patterns: Vec<String> = vec![
            FACTS_KEYWORD.to_string(),
            crate::suppress::MARKER.to_string(),
        ];
        let mut pattern_rules: Vec<Vec<usize>> = vec![Vec::new(), Vec::new()];
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
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Engine {
            rules,
            prefilter,
            pattern_rules,
            always,
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
        for m in self.prefilter.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            match p {
                0 => hints.mentions_prisma = true,
                1 => hints.suppressions = true,
                _ => {}
            }
            for &r in &self.pattern_rules[p] {
                out[r] = true;
            }
        }
        hints
    }

    /// Runs the regex matchers of the candidate rules on one file.
    pub fn match_file(
        &self,
        path: &str,
        kind: FileKind,
        text: &[u8],
        candidates: &[bool],
        out: &mut Vec<Finding>,
    ) {
        for (i, ar) in self.rules.iter().enumerate() {
            if !candidates[i] || !ar.rule.files.applies(path, kind) {
                continue;
            }
            for m in &ar.rule.matchers {
                if let Matcher::Regex(rm) = m {
                    regex::apply(ar, rm, path, kind, text, out);
                }
            }
        }
    }
}
