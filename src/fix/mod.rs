//! Mechanical fixes: the fixers that compute the edits settling a finding.
//!
//! A [`Fix`] (declared beside the finding it settles, in [`crate::finding`])
//! is a list of byte-range replacements computed from the spans the
//! scan already found (a command's location, an env entry's location, a YAML
//! node's position), never by running a pattern over the file again. `check`
//! carries fixes into its JSON, SARIF and Markdown output; `fix` (see [`run`])
//! applies them, rescans and repeats.
//!
//! Each fixer lives in its own file and only answers "what would settle this
//! finding?"; choosing, ordering, writing and reporting live in [`plan`],
//! [`write`] and [`run`].

pub mod ci_env;
pub mod context;
pub mod diff;
pub mod endpoint;
pub mod login;
pub mod pin;
pub mod plan;
pub mod rename;
pub mod replacement;
pub mod run;
pub mod write;
pub mod yaml_nav;

use crate::finding::{Finding, Fix};
use crate::text::Text;
use context::{Ctx, Sources};
use std::collections::BTreeMap;

/// Attaches a fix to every finding one of the fixers knows how to settle.
///
/// A fixer that panics on some unforeseen input costs that finding its fix,
/// never the run: `check` calls this on every scan.
pub fn attach(findings: &mut [Finding], ctx: &Ctx<'_>, src: &mut Sources) {
    // `quietly`: a panic message may quote file text, which may hold a secret.
    let renames = crate::panics::quietly(|| rename::fixes(findings, ctx, src)).unwrap_or_default();
    attach_with(findings, &renames, ctx, src);
}

/// [`attach`] on up to `threads` threads, for findings sorted by path (as a
/// scan returns them): each thread takes whole files, with sources of its
/// own, so every finding meets the same state of its file as in one pass
/// and the fixes are the same whatever the thread count. Unsorted findings
/// are fixed in one pass.
pub fn attach_sorted(
    findings: &mut [Finding],
    ctx: &Ctx<'_>,
    root: &std::path::Path,
    threads: usize,
) {
    let mut src = Sources::new(root);
    let renames =
        crate::panics::quietly(|| rename::fixes(findings, ctx, &mut src)).unwrap_or_default();
    let parts = by_files(findings, threads);
    if parts.len() <= 1 {
        attach_with(findings, &renames, ctx, &mut src);
        return;
    }
    crate::par::each_part(parts, |part| {
        attach_with(part, &renames, ctx, &mut Sources::new(root))
    });
}

/// `findings` cut into at most `n` runs of about equal length, cut only
/// where the path changes; one run when they are not sorted by path.
fn by_files(findings: &mut [Finding], n: usize) -> Vec<&mut [Finding]> {
    let sorted = findings
        .windows(2)
        .all(|w| w[0].location.path <= w[1].location.path);
    if n <= 1 || findings.len() < 64 || !sorted {
        return vec![findings];
    }
    let target = findings.len().div_ceil(n);
    let mut cuts = Vec::new();
    let mut last = 0;
    for i in 1..findings.len() {
        if i - last >= target && findings[i].location.path != findings[i - 1].location.path {
            cuts.push(i);
            last = i;
        }
    }
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut rest = findings;
    let mut at = 0;
    for cut in cuts {
        let (head, tail) = rest.split_at_mut(cut - at);
        parts.push(head);
        rest = tail;
        at = cut;
    }
    parts.push(rest);
    parts
}

/// The fixes of `findings` with the renames already worked out.
fn attach_with(
    findings: &mut [Finding],
    renames: &BTreeMap<String, Vec<(String, Fix)>>,
    ctx: &Ctx<'_>,
    src: &mut Sources,
) {
    use crate::panics::quietly;
    let mut previous: Option<std::sync::Arc<str>> = None;
    for f in findings.iter_mut() {
        if previous.as_ref() != Some(&f.location.path) {
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
        let fix = quietly(|| fix_one(f, renames, ctx, src)).ok().flatten();
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
        "misnamed-management-secret" => renames.get(&*f.location.path).and_then(|m| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use std::collections::BTreeSet;

    fn at(path: String, line: usize) -> Finding {
        Finding::example("cloud-endpoint", Severity::Error, &path, line)
    }

    fn places(f: &[Finding]) -> Vec<(String, usize)> {
        f.iter()
            .map(|f| (f.location.path.to_string(), f.location.line))
            .collect()
    }

    /// Over many shapes (few or many files, one or many findings each) and
    /// thread counts: the parts put back together are the findings in their
    /// order, no file is cut in two, and there are at most as many parts as
    /// threads, more than one when there are enough files to share.
    #[test]
    fn the_threads_take_whole_files_in_order() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m) as usize
        };
        for _ in 0..150 {
            let files = 1 + next(60);
            let mut all = Vec::new();
            for file in 0..files {
                let many = next(4) == 0;
                for line in 0..1 + next(if many { 200 } else { 6 }) {
                    all.push(at(format!("f{file:03}.yml"), line + 1));
                }
            }
            let want = places(&all);
            for n in [1, 2, 3, 4, 8] {
                let mut v = all.clone();
                let parts = by_files(&mut v, n);
                assert!(parts.len() <= n, "{} parts for {n} threads", parts.len());
                let joined: Vec<_> = parts.iter().flat_map(|p| places(p)).collect();
                assert_eq!(joined, want);
                let mut seen = BTreeSet::new();
                for p in &parts {
                    let paths: BTreeSet<&str> =
                        p.iter().map(|f| f.location.path.as_ref()).collect();
                    for path in paths {
                        assert!(seen.insert(path.to_string()), "{path} in two parts");
                    }
                }
                if n > 1 && all.len() >= 64 && files >= 2 * n {
                    let biggest = (0..files)
                        .map(|i| {
                            want.iter()
                                .filter(|(p, _)| *p == format!("f{i:03}.yml"))
                                .count()
                        })
                        .max()
                        .unwrap_or(0);
                    if biggest * 2 < all.len() {
                        assert!(
                            parts.len() > 1,
                            "{} findings in {files} files: one part",
                            all.len()
                        );
                    }
                }
            }
        }
    }

    /// Findings out of path order are fixed in one pass: a file met twice
    /// must not be fixed by two threads.
    #[test]
    fn unsorted_findings_stay_in_one_part() {
        let mut v: Vec<Finding> = (0..200).map(|i| at(format!("f{}.yml", i % 7), i)).collect();
        assert_eq!(by_files(&mut v, 4).len(), 1);
    }
}
