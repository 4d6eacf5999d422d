//! One finding per root cause. A command is one problem however many
//! matchers see it: `prisma login -k $PRISMA_CLOUD_SESSION_KEY` is one
//! `cloud-login` finding (the command), not a second one for the variable on
//! its line; and a rule that reports a more specific problem with the same
//! advice replaces the general one (`cloud-login` declares
//! `supersedes: [prisma1-cli]`). Rules that give different advice
//! (`missing-management-secret` and `prisma1-cli`) both stay.

use super::ActiveRule;
use crate::facts::RepoFacts;
use crate::finding::Finding;

/// The bytes a structured finding covers: for a command, the whole command
/// (assignments and continuation lines included), else its own span.
struct Claim<'a> {
    rule: &'a str,
    path: &'a str,
    bytes: (usize, usize),
}

impl Claim<'_> {
    fn covers(&self, f: &Finding) -> bool {
        let l = &f.location;
        // Bytes, not lines: a package.json holds many commands on one line.
        self.path == l.path
            && l.start_byte < self.bytes.1.max(self.bytes.0 + 1)
            && self.bytes.0 < l.end_byte.max(l.start_byte + 1)
    }
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
    let claims: Vec<Claim> = structured
        .iter()
        .map(|f| {
            let site = facts
                .files
                .get(&f.location.path)
                .and_then(|ff| ff.commands.iter().find(|s| s.word_location == f.location));
            let full = site.map_or(&f.location, |s| &s.location);
            Claim {
                rule: &f.rule,
                path: &f.location.path,
                bytes: (full.start_byte, full.end_byte),
            }
        })
        .collect();
    // The same rule on the same command: the structured finding says more.
    let mut keep: Vec<bool> = findings
        .iter()
        .map(|f| !claims.iter().any(|c| c.rule == f.rule && c.covers(f)))
        .collect();
    // A more specific rule replaces a general one on the same place.
    let superseding = |victim: &str| -> Vec<&str> {
        rules
            .iter()
            .filter(|a| a.rule.supersedes.iter().any(|s| s == victim))
            .map(|a| a.rule.id.as_str())
            .collect()
    };
    let superseded = |f: &Finding, kept_regex: &[(usize, &Finding)]| -> bool {
        let by = superseding(&f.rule);
        if by.is_empty() {
            return false;
        }
        claims.iter().any(|c| by.contains(&c.rule) && c.covers(f))
            || kept_regex
                .iter()
                .any(|(_, g)| by.contains(&g.rule.as_str()) && same_place(g, f))
    };
    let kept_regex: Vec<(usize, &Finding)> = findings
        .iter()
        .enumerate()
        .filter(|(i, _)| keep[*i])
        .collect();
    let drop_regex: Vec<usize> = kept_regex
        .iter()
        .filter(|(_, f)| superseded(f, &kept_regex))
        .map(|(i, _)| *i)
        .collect();
    let drop_structured: Vec<bool> = structured
        .iter()
        .map(|f| superseded(f, &kept_regex))
        .collect();
    for i in drop_regex {
        keep[i] = false;
    }
    let mut k = keep.into_iter();
    findings.retain(|_| k.next().unwrap_or(true));
    let mut d = drop_structured.into_iter();
    structured.retain(|_| !d.next().unwrap_or(false));
}

/// Two findings on the same line of a file whose spans overlap.
fn same_place(a: &Finding, b: &Finding) -> bool {
    let (x, y) = (&a.location, &b.location);
    x.path == y.path
        && x.line == y.line
        && x.start_byte < y.end_byte.max(y.start_byte + 1)
        && y.start_byte < x.end_byte.max(x.start_byte + 1)
}
