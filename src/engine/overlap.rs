//! One finding per root cause. A command is one problem however many
//! matchers see it: `prisma login -k $PRISMA_CLOUD_SESSION_KEY` is one
//! `cloud-login` finding (the command), not a second one for the variable on
//! its line; and a rule that reports a more specific problem with the same
//! advice replaces the general one (`cloud-login` declares
//! `supersedes: [prisma1-cli]`). Rules that give different advice
//! (`missing-management-secret` and `prisma1-cli`) both stay.

use super::active::ActiveRule;
use crate::facts::RepoFacts;
use crate::finding::Finding;
use std::collections::{BTreeMap, HashMap};

/// Byte spans of one rule's findings in one file, sorted, for overlap
/// queries in about logarithmic time: a file with thousands of commands on
/// one line must not make this quadratic.
#[derive(Default)]
struct Spans {
    sorted: Vec<(usize, usize)>,
    /// `max_end[i]`: the largest end among `sorted[..=i]`.
    max_end: Vec<usize>,
}

impl Spans {
    fn build(mut v: Vec<(usize, usize)>) -> Spans {
        v.sort_unstable();
        let mut max_end = Vec::with_capacity(v.len());
        let mut m = 0;
        for &(a, e) in &v {
            m = m.max(e.max(a + 1));
            max_end.push(m);
        }
        Spans { sorted: v, max_end }
    }

    /// Does any span overlap `s..e` (empty spans count as one byte)?
    fn overlaps(&self, s: usize, e: usize) -> bool {
        let e = e.max(s + 1);
        let mut i = self.sorted.partition_point(|&(a, _)| a < e);
        while i > 0 {
            i -= 1;
            if self.max_end[i] <= s {
                return false;
            }
            let (a, b) = self.sorted[i];
            if s < b.max(a + 1) {
                return true;
            }
        }
        false
    }
}

/// A file's command spans by the span of their command words.
type WordToCommand = HashMap<(usize, usize), (usize, usize)>;

/// Spans by rule and path.
type Index<'a> = BTreeMap<(&'a str, &'a str), Spans>;

fn index<'a>(items: impl Iterator<Item = (&'a str, &'a str, (usize, usize))>) -> Index<'a> {
    let mut raw: BTreeMap<(&str, &str), Vec<(usize, usize)>> = BTreeMap::new();
    for (rule, path, span) in items {
        raw.entry((rule, path)).or_default().push(span);
    }
    raw.into_iter().map(|(k, v)| (k, Spans::build(v))).collect()
}

fn hits(ix: &Index<'_>, rule: &str, f: &Finding) -> bool {
    ix.get(&(rule, f.location.path.as_ref()))
        .is_some_and(|s| s.overlaps(f.location.start_byte, f.location.end_byte))
}

/// Drops the findings that repeat a root cause already reported.
/// `structured` are the findings of command and server-config matchers;
/// `findings` all others (regex, dependency). Both lists are edited.
pub fn resolve(
    rules: &[ActiveRule<'_>],
    facts: &RepoFacts,
    structured: &mut Vec<Finding>,
    findings: &mut Vec<Finding>,
) {
    // Each command finding claims its whole command (assignments and
    // continuation lines included), found by its word span.
    let mut whole: HashMap<&str, WordToCommand> = HashMap::new();
    for f in structured.iter() {
        let path = f.location.path.as_ref();
        if whole.contains_key(path) {
            continue;
        }
        let map = facts
            .files
            .get(path)
            .map(|ff| {
                ff.commands
                    .iter()
                    .map(|s| {
                        let w = &s.word_location;
                        (
                            (w.start_byte, w.end_byte),
                            (s.location.start_byte, s.location.end_byte),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        whole.insert(path, map);
    }
    let claims = index(structured.iter().map(|f| {
        let own = (f.location.start_byte, f.location.end_byte);
        let span = whole
            .get(f.location.path.as_ref())
            .and_then(|m| m.get(&own))
            .copied()
            .unwrap_or(own);
        (f.rule.as_str(), f.location.path.as_ref(), span)
    }));
    // The same rule on the same command: the structured finding says more.
    let mut keep: Vec<bool> = findings
        .iter()
        .map(|f| !hits(&claims, &f.rule, f))
        .collect();
    // A more specific rule replaces a general one on the same place.
    let superseding = |victim: &str| -> Vec<&str> {
        rules
            .iter()
            .filter(|a| a.rule.supersedes.iter().any(|s| s == victim))
            .map(|a| a.rule.id.as_str())
            .collect()
    };
    let kept = index(
        findings
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(f, _)| {
                (
                    f.rule.as_str(),
                    f.location.path.as_ref(),
                    (f.location.start_byte, f.location.end_byte),
                )
            }),
    );
    let superseded = |f: &Finding| -> bool {
        superseding(&f.rule)
            .iter()
            .any(|by| hits(&claims, by, f) || hits(&kept, by, f))
    };
    let drop_regex: Vec<bool> = findings
        .iter()
        .zip(&keep)
        .map(|(f, k)| *k && superseded(f))
        .collect();
    let drop_structured: Vec<bool> = structured.iter().map(superseded).collect();
    for (k, d) in keep.iter_mut().zip(drop_regex) {
        if d {
            *k = false;
        }
    }
    let mut k = keep.into_iter();
    findings.retain(|_| k.next().unwrap_or(true));
    let mut d = drop_structured.into_iter();
    structured.retain(|_| !d.next().unwrap_or(false));
}

#[cfg(test)]
mod tests {
    use super::Spans;

    #[test]
    fn overlap_queries_find_nested_and_touching_spans() {
        let s = Spans::build(vec![(10, 20), (0, 100), (30, 31), (200, 210)]);
        assert!(s.overlaps(15, 16));
        assert!(!s.overlaps(150, 150));
        assert!(s.overlaps(205, 206));
        assert!(s.overlaps(99, 101));
        assert!(!s.overlaps(100, 200));
        // An empty span is one byte wide.
        assert!(Spans::build(vec![(5, 5)]).overlaps(5, 5));
    }
}
