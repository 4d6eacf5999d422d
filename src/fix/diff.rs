//! Unified diffs of edits, for `fix --diff` and for the suggestions in reports.
//!
//! The diff is built from the edits themselves (the changed byte ranges are
//! known), so it costs nothing on large files and never reorders lines the
//! way a general line-matching diff may. Output follows `diff -u` / git, so
//! `git apply` and `patch -p1` accept it.

use crate::finding::Edit;
use crate::mask::Span;
use crate::text::{RepoText, Text};

const CONTEXT: usize = 3;

/// One line of a file: its text (with the spans of its secrets) and
/// whether a newline ends it.
#[derive(Debug, Clone)]
struct Line {
    text: RepoText,
    newline: bool,
}

impl Line {
    /// The same characters: a change inside a secret is still a change.
    fn same(&self, other: &Line) -> bool {
        self.newline == other.newline && self.text.same_as(&other.text)
    }
}

/// One changed region: old lines `first..first + old.len()` become `new`.
struct Change {
    first: usize,
    old: Vec<Line>,
    new: Vec<Line>,
}

/// The lines of a text, read on demand from its line starts (a file with
/// thousands of fixes is not split into strings once per fix).
struct Lines<'a> {
    text: &'a [u8],
    starts: &'a [usize],
    spans: &'a [Span],
}

impl Lines<'_> {
    fn len(&self) -> usize {
        if self.text.is_empty() {
            0
        } else if self.text.ends_with(b"\n") {
            self.starts.len() - 1
        } else {
            self.starts.len()
        }
    }

    /// Line `i`.
    fn get(&self, i: usize) -> Line {
        let s = self.starts[i];
        let e = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        line_at(self.text, s, e, self.spans)
    }
}

/// The line at bytes `s..e` of `text` (`e` past its newline, if any).
fn line_at(text: &[u8], s: usize, e: usize, spans: &[Span]) -> Line {
    let newline = e > s && text[e - 1] == b'\n';
    let end = if newline { e - 1 } else { e };
    Line {
        text: RepoText::from_file(text, s, end, spans),
        newline,
    }
}

/// The diff of `old` against `new` where `new` is `old` with `edits` applied.
/// Empty when the edits change nothing.
pub fn unified_edits(path: &str, old: &[u8], edits: &[&Edit]) -> Text {
    let spans = crate::mask::spans(crate::kind::FileKind::from_path(path), old);
    unified_edits_in(path, old, &line_starts(old), &spans, edits)
}

/// [`unified_edits`] with the line starts and secret spans of `old` known.
/// The replacements are the tool's (names, references): only the old
/// file's text carries secrets.
pub fn unified_edits_in(
    path: &str,
    old: &[u8],
    starts: &[usize],
    spans: &[Span],
    edits: &[&Edit],
) -> Text {
    let mut ranges: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in edits {
        let (ls, le) = expand(old, starts, e.start, e.end);
        match ranges.last_mut() {
            Some((_, end, group)) if ls <= *end => {
                *end = (*end).max(le);
                group.push(e);
            }
            _ => ranges.push((ls, le, vec![e])),
        }
    }
    let changes: Vec<Change> = ranges
        .into_iter()
        .map(|(ls, le, group)| {
            // The new region, with the old text's secret spans moved along.
            let mut new = Vec::new();
            let mut new_spans: Vec<Span> = Vec::new();
            let mut keep = |new: &mut Vec<u8>, from: usize, to: usize| {
                let base = new.len();
                new_spans.extend(
                    spans
                        .iter()
                        .filter(|(s, e)| *e > from && *s < to)
                        .map(|&(s, e)| (base + s.max(from) - from, base + e.min(to) - from)),
                );
                new.extend_from_slice(&old[from..to]);
            };
            let mut at = ls;
            for e in group {
                keep(&mut new, at, e.start.max(at));
                new.extend_from_slice(e.replacement.as_bytes());
                at = e.end.max(at);
            }
            keep(&mut new, at.min(le), le);
            Change {
                first: line_of(starts, ls),
                old: lines(&old[ls..le], &shift(spans, ls, le)),
                new: lines(&new, &new_spans),
            }
        })
        .filter(|c| !same_lines(&c.old, &c.new))
        .collect();
    render(
        path,
        &Lines {
            text: old,
            starts,
            spans,
        },
        &changes,
    )
}

/// The spans inside `from..to`, relative to `from`.
fn shift(spans: &[Span], from: usize, to: usize) -> Vec<Span> {
    spans
        .iter()
        .filter(|(s, e)| *e > from && *s < to)
        .map(|&(s, e)| (s.max(from) - from, e.min(to) - from))
        .collect()
}

fn same_lines(a: &[Line], b: &[Line]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

/// The hunks of `changes` (sorted, disjoint) against the old lines. The
/// headers and markers are the tool's; the lines are repository text.
fn render(path: &str, all_old: &Lines<'_>, changes: &[Change]) -> Text {
    if changes.is_empty() {
        return Text::default();
    }
    let mut out = Text::tool(format!(
        "--- {}\n+++ {}\n",
        quoted(&format!("a/{path}")),
        quoted(&format!("b/{path}"))
    ));
    let mut i = 0;
    let mut moved: isize = 0;
    while i < changes.len() {
        // Changes closer than two contexts share a hunk.
        let mut j = i;
        while j + 1 < changes.len()
            && changes[j + 1].first <= changes[j].first + changes[j].old.len() + 2 * CONTEXT
        {
            j += 1;
        }
        let start = changes[i].first.saturating_sub(CONTEXT);
        let last = &changes[j];
        let end = (last.first + last.old.len() + CONTEXT).min(all_old.len());
        let mut body = Text::default();
        let (mut n_old, mut n_new) = (0, 0);
        let mut at = start;
        for c in &changes[i..=j] {
            for i in at..c.first {
                push(&mut body, " ", &all_old.get(i));
                n_old += 1;
                n_new += 1;
            }
            for l in &c.old {
                push(&mut body, "-", l);
            }
            for l in &c.new {
                push(&mut body, "+", l);
            }
            n_old += c.old.len();
            n_new += c.new.len();
            at = c.first + c.old.len();
        }
        for i in at.min(end)..end {
            push(&mut body, " ", &all_old.get(i));
            n_old += 1;
            n_new += 1;
        }
        let new_start = (start as isize + moved).max(0) as usize;
        out.push_tool(&format!(
            "@@ -{} +{} @@\n",
            span(start, n_old),
            span(new_start, n_new)
        ));
        out.push(body);
        moved += n_new as isize - n_old as isize;
        i = j + 1;
    }
    out
}

/// A name in a diff header as git writes it: in C-style quotes when it holds
/// a control character, `"` or `\` (`git apply` reads them back), and then
/// also with the `[` of a `##[` as `\133`, so no header is a CI runner's
/// command (see `display`).
fn quoted(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains(|c: char| c.is_control() || c == '"' || c == '\\') && !name.contains("##[") {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::from('"');
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '[' if out.ends_with("##") => out.push_str("\\133"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    std::borrow::Cow::Owned(out)
}

/// The diff of a whole file, given its old and new bytes and the spans of
/// their secrets: the common lines at both ends are skipped, the middle is
/// matched line by line (longest common subsequence), and a middle too
/// large for that is one replacement.
pub fn unified(
    path: &str,
    (old, old_spans): (&[u8], &[Span]),
    (new, new_spans): (&[u8], &[Span]),
) -> Text {
    let (a, b) = (lines(old, old_spans), lines(new, new_spans));
    let pre = a.iter().zip(&b).take_while(|(x, y)| x.same(y)).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x.same(y))
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut changes = Vec::new();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        changes.push(Change {
            first: pre,
            old: am.to_vec(),
            new: bm.to_vec(),
        });
    } else {
        // lcs[i][j]: common lines of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if am[i].same(&bm[j]) {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut cur: Option<Change> = None;
        while i < n || j < m {
            if i < n && j < m && am[i].same(&bm[j]) {
                changes.extend(cur.take());
                i += 1;
                j += 1;
                continue;
            }
            let c = cur.get_or_insert_with(|| Change {
                first: pre + i,
                old: Vec::new(),
                new: Vec::new(),
            });
            if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                c.new.push(bm[j].clone());
                j += 1;
            } else {
                c.old.push(am[i].clone());
                i += 1;
            }
        }
        changes.extend(cur);
    }
    let starts = line_starts(old);
    render(
        path,
        &Lines {
            text: old,
            starts: &starts,
            spans: old_spans,
        },
        &changes,
    )
}

fn span(start: usize, n: usize) -> String {
    // `diff -u` numbers an empty range by the line before it.
    let first = if n == 0 { start } else { start + 1 };
    if n == 1 {
        first.to_string()
    } else {
        format!("{first},{n}")
    }
}

fn push(out: &mut Text, mark: &str, line: &Line) {
    out.push_tool(mark);
    out.push_repo(line.text.clone());
    out.push_tool(if line.newline {
        "\n"
    } else {
        "\n\\ No newline at end of file\n"
    });
}

/// Lines of `text`, whose secret spans are `spans` (the last line may lack
/// its newline).
fn lines(text: &[u8], spans: &[Span]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut s = 0;
    for nl in memchr::memchr_iter(b'\n', text) {
        out.push(line_at(text, s, nl + 1, spans));
        s = nl + 1;
    }
    if s < text.len() {
        out.push(line_at(text, s, text.len(), spans));
    }
    out
}

pub fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
    v
}

/// 0-based line of byte `at`.
fn line_of(starts: &[usize], at: usize) -> usize {
    starts.partition_point(|&s| s <= at).saturating_sub(1)
}

/// The whole lines an edit touches: `start..end` widened to line bounds. An
/// insertion at the start of a line touches no old line.
fn expand(text: &[u8], starts: &[usize], start: usize, end: usize) -> (usize, usize) {
    let ls = starts[line_of(starts, start)];
    if start == end && start == ls {
        return (ls, ls);
    }
    let last = if end > start { end - 1 } else { start };
    let le =
        memchr::memchr(b'\n', &text[last.min(text.len())..]).map_or(text.len(), |i| last + i + 1);
    (ls, le)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            path: "f".into(),
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn replacement_in_one_line_with_context() {
        let old = b"a\nb\nc\nd\ne\nf\n";
        let e = edit(6, 7, "D");
        let d = unified_edits("f", old, &[&e]).to_string();
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n a\n b\n c\n-d\n+D\n e\n f\n"
        );
    }

    #[test]
    fn insertion_at_a_line_start_adds_lines_only() {
        let old = b"a\nb\n";
        let e = edit(2, 2, "x\n");
        let d = unified_edits("f", old, &[&e]).to_string();
        assert_eq!(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+x\n b\n");
    }

    #[test]
    fn far_apart_edits_make_two_hunks_with_shifted_numbers() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let at2 = old.find("2\n").unwrap_or(0);
        let at18 = old.find("18\n").unwrap_or(0);
        let e1 = edit(at2, at2, "new\n");
        let e2 = edit(at18, at18 + 3, "");
        let d = unified_edits("f", old.as_bytes(), &[&e1, &e2]).to_string();
        assert!(d.contains("@@ -1,4 +1,5 @@\n"), "{d}");
        assert!(d.contains("@@ -15,6 +16,5 @@\n"), "{d}");
    }

    #[test]
    fn whole_file_diffs_keep_unchanged_lines_as_context() {
        let old = b"a\nb\nc\nd\n";
        let new = b"a\nc\nX\nd\n";
        let d = unified("f", (old, &[]), (new, &[])).to_string();
        assert_eq!(d, "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-b\n c\n+X\n d\n");
        assert!(unified("f", (old, &[]), (old, &[])).is_empty());
    }

    #[test]
    fn context_lines_are_masked_where_their_secrets_are() {
        // The edit is on line 4; lines 1-3 (a block scalar's value, a
        // multi-line dotenv value) are context.
        let old = b"secret: |\n  cnryBlock1\nPRISMA_SECRET=\"a\ncnryLine2\"\nendpoint: x\n";
        let at = old.len() - 2;
        let e = edit(at, at + 1, "y");
        let d = unified_edits("prisma.yml", old, &[&e]).to_string();
        assert!(!d.contains("cnry"), "{d}");
        assert!(d.contains("+endpoint: y"), "{d}");
        let d = unified(
            "prisma.yml",
            (
                old,
                &crate::mask::spans(crate::kind::FileKind::PrismaYml, old),
            ),
            (b"x\n", &[]),
        );
        assert!(!d.to_string().contains("cnry"), "{d}");
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified("f", (b"a", &[]), (b"b", &[])).to_string();
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn names_git_would_quote_are_quoted_and_hold_no_runner_command() {
        let d = unified(
            "x##[add-mask]y/cr\rlf\n::e\x1b\"q\\.sh",
            (b"a\n", &[]),
            (b"b\n", &[]),
        )
        .to_string();
        let head: Vec<&str> = d.lines().take(2).collect();
        assert_eq!(
            head,
            [
                "--- \"a/x##\\133add-mask]y/cr\\rlf\\n::e\\033\\\"q\\\\.sh\"",
                "+++ \"b/x##\\133add-mask]y/cr\\rlf\\n::e\\033\\\"q\\\\.sh\""
            ]
        );
        assert!(unified("plain", (b"a", &[]), (b"b", &[]))
            .to_string()
            .starts_with("--- a/plain\n+++ b/plain\n"));
    }
}
