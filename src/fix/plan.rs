//! Which fixes one round applies, and applying edits to bytes.
//!
//! A fix is all or nothing: its edits (possibly in several files) go in
//! together or wait. A fix whose edits overlap one already chosen this round
//! waits for the next round, when the rescan has recomputed its spans.

use crate::finding::{Edit, Fix};
use std::collections::{BTreeMap, HashSet};

/// True when two edits of one file overlap (two insertions at one point count).
pub fn overlapping(edits: &[Edit]) -> bool {
    let files = by_file(edits);
    files.values().any(|es| {
        es.windows(2).any(|w| {
            let (a, b) = (w[0], w[1]);
            b.start < a.end || (a.start == a.end && b.start == a.start)
        })
    })
}

/// Edits grouped by file, each group sorted by start.
pub fn by_file(edits: &[Edit]) -> BTreeMap<&str, Vec<&Edit>> {
    let mut out: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        out.entry(e.path.as_str()).or_default().push(e);
    }
    for v in out.values_mut() {
        v.sort_by_key(|e| (e.start, e.end));
    }
    out
}

/// Whether `edits` (sorted, non-overlapping, all of one file) can be applied
/// to `old`: inside it and on UTF-8 character boundaries. Looks only at the
/// edges of each edit.
pub fn fits(old: &[u8], edits: &[&Edit]) -> bool {
    let boundary = |i: usize| i == old.len() || (i < old.len() && (old[i] & 0xC0) != 0x80);
    let mut at = 0;
    edits.iter().all(|e| {
        let ok = e.start >= at && e.end >= e.start && e.end <= old.len();
        at = e.end;
        ok && boundary(e.start) && boundary(e.end)
    })
}

/// `old` with `edits` (sorted, non-overlapping, all of one file) applied;
/// `None` when an edit falls outside the text or off a UTF-8 boundary.
pub fn apply(old: &[u8], edits: &[&Edit]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(old).ok()?;
    let mut out = Vec::with_capacity(old.len() + 64);
    let mut at = 0;
    for e in edits {
        if e.start < at
            || e.end < e.start
            || e.end > old.len()
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            return None;
        }
        out.extend_from_slice(&old[at..e.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.end;
    }
    out.extend_from_slice(&old[at..]);
    Some(out)
}

/// The fixes of one round: in order, each taken unless one of its edits
/// overlaps an edit already taken. Identical fixes (one rename reported in
/// several files) are taken once. Returns (taken indexes, deferred count).
/// Each check is a lookup in the taken ranges of the file, so a round with
/// thousands of edits stays fast.
pub fn choose(fixes: &[&Fix]) -> (Vec<usize>, usize) {
    let mut taken: Vec<usize> = Vec::new();
    let mut seen: HashSet<&Vec<Edit>> = HashSet::new();
    let mut ranges: BTreeMap<&str, BTreeMap<usize, usize>> = BTreeMap::new();
    let mut deferred = 0;
    for (i, fix) in fixes.iter().enumerate() {
        if seen.contains(&fix.edits) {
            taken.push(i);
            continue;
        }
        let clash = fix.edits.iter().any(|e| {
            ranges
                .get(e.path.as_str())
                .is_some_and(|r| collides(r, e.start, e.end))
        });
        if clash {
            deferred += 1;
            continue;
        }
        for e in &fix.edits {
            ranges
                .entry(e.path.as_str())
                .or_default()
                .insert(e.start, e.end);
        }
        seen.insert(&fix.edits);
        taken.push(i);
    }
    (taken, deferred)
}

/// Does `start..end` overlap a taken range (two insertions at one point do)?
fn collides(taken: &BTreeMap<usize, usize>, start: usize, end: usize) -> bool {
    let before = taken.range(..=start).next_back();
    let after = taken.range(start..).next();
    let hits = |(&s, &t): (&usize, &usize)| {
        (s < end && start < t) || (s == start && (s == t || start == end))
    };
    before.is_some_and(hits) || after.is_some_and(hits)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::finding::Applicability;

    fn edit(path: &str, start: usize, end: usize, r: &str) -> Edit {
        Edit {
            path: path.into(),
            start,
            end,
            replacement: r.into(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            description: Default::default(),
            edits,
            action: None,
            diff: Default::default(),
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let a = fix(vec![edit("a", 0, 5, "x")]);
        let b = fix(vec![edit("a", 3, 8, "y")]);
        let c = fix(vec![edit("a", 5, 6, "z"), edit("b", 0, 1, "w")]);
        let same = a.clone();
        let (taken, deferred) = choose(&[&a, &b, &c, &same]);
        assert_eq!(taken, vec![0, 2, 3]);
        assert_eq!(deferred, 1);
        // An insertion where a taken insertion is, or inside a taken range.
        let ins = fix(vec![edit("b", 0, 0, "i")]);
        let ins2 = fix(vec![edit("b", 0, 0, "j")]);
        let inside = fix(vec![edit("a", 2, 2, "k")]);
        let touching = fix(vec![edit("a", 8, 8, "l")]);
        let (taken, deferred) = choose(&[&ins, &ins2, &a, &inside, &touching]);
        assert_eq!((taken, deferred), (vec![0, 2, 4], 2));
    }

    #[test]
    fn two_insertions_at_one_point_overlap() {
        assert!(overlapping(&[edit("a", 2, 2, "x"), edit("a", 2, 2, "y")]));
        assert!(!overlapping(&[edit("a", 2, 2, "x"), edit("b", 2, 2, "y")]));
    }

    #[test]
    fn fits_agrees_with_apply() {
        let text = "aé b".as_bytes();
        for (s, e) in [(0, 1), (1, 2), (2, 3), (3, 5), (1, 9), (3, 3)] {
            let x = [edit("a", s, e, "")];
            let refs: Vec<&Edit> = x.iter().collect();
            assert_eq!(fits(text, &refs), apply(text, &refs).is_some(), "{s}..{e}");
        }
    }

    #[test]
    fn apply_replaces_and_refuses_bad_ranges() {
        let e = [edit("a", 1, 2, "XY")];
        assert_eq!(
            apply(b"abc", &e.iter().collect::<Vec<_>>()),
            Some(b"aXYc".to_vec())
        );
        let bad = [edit("a", 1, 9, "")];
        assert_eq!(apply(b"abc", &bad.iter().collect::<Vec<_>>()), None);
        // Off a char boundary inside `é`.
        let mid = [edit("a", 1, 1, "")];
        assert_eq!(apply("é".as_bytes(), &mid.iter().collect::<Vec<_>>()), None);
    }
}
