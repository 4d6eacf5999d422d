//! The regex matcher: named captures feed the message; `not` patterns on the
//! matched line drop a match; captures listed in `redact` never leave here.

use super::active::ActiveRule;
use crate::finding::{line_bounds, Finding, Location};
use crate::kind::FileKind;
use crate::mask::LazySpans;
use crate::rules::RegexMatcher;
use crate::text::{RepoText, Text};

/// Most findings one rule reports in one file; past it the file is
/// generated or hostile, and the rest are counted in a note.
pub const MAX_PER_RULE_FILE: usize = 200;

/// Applies one regex matcher. Returns true when it stopped at
/// [`MAX_PER_RULE_FILE`] lines with matches.
pub fn apply(
    ar: &ActiveRule<'_>,
    rm: &RegexMatcher,
    path: &str,
    kind: FileKind,
    text: &[u8],
    spans: &LazySpans<'_>,
    out: &mut Vec<Finding>,
) -> bool {
    if !rm.kinds.is_empty() && !rm.kinds.contains(&kind) {
        return false;
    }
    if !rm.file_contains.is_empty() && !rm.file_contains.iter().any(|r| r.is_match(text)) {
        return false;
    }
    if rm.unless_file_contains.iter().any(|r| r.is_match(text)) {
        return false;
    }
    // A file that runs no commands is one scope (see [`scope_filter`]).
    if !kind.runs_commands()
        && rm
            .unless_scope_contains
            .iter()
            .any(|n| memchr::memmem::find(text, n.as_bytes()).is_some())
    {
        return false;
    }
    let rule = ar.rule;
    let template = rm.message.as_ref().unwrap_or(&rule.message);
    // Everything per line is computed once per line, not once per match:
    // a minified file is one line with thousands of matches.
    let label_template = rm.label.as_ref().unwrap_or(&rule.label);
    let mut lines = 0;
    let mut cur = (usize::MAX, 0usize); // bounds of the current line
    let mut line_dropped = false; // a `not` pattern matches the current line
    let mut line_reported = false; // this matcher already reported the line
    for caps in rm.regex.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        if whole.start() < cur.0 || whole.start() > cur.1 {
            cur = line_bounds(text, whole.start());
            lines += 1;
            if lines > MAX_PER_RULE_FILE {
                return true;
            }
            let line = &text[cur.0..cur.1];
            line_dropped = rm.not.iter().any(|r| r.is_match(line));
            line_reported = false;
        }
        // One finding per rule and line is kept anyway (see `match_file`).
        if line_dropped || line_reported {
            continue;
        }
        let region = rm
            .span
            .as_deref()
            .and_then(|n| caps.name(n))
            .unwrap_or(whole);
        let (ls, le) = cur;
        if rm
            .captures_not
            .iter()
            .any(|(n, r)| caps.name(n).is_some_and(|m| r.is_match(m.as_bytes())))
            || rm
                .captures_not_repeated
                .iter()
                .any(|n| caps.name(n).is_some_and(|m| one_repeated(m.as_bytes())))
        {
            continue;
        }
        // Secret byte ranges: the file's, and the captures the rule calls secret.
        let mut secrets: Vec<(usize, usize)> = rule
            .redact
            .iter()
            .filter_map(|n| caps.name(n))
            .filter(|m| !m.is_empty())
            .map(|m| whole_quoted(text, m.start(), m.end()))
            .collect();
        secrets.extend_from_slice(spans.get());
        let piece = |s: usize, e: usize| RepoText::from_file(text, s, e, &secrets);
        let owned: Vec<(&str, Text)> = rm
            .regex
            .capture_names()
            .flatten()
            .map(|n| {
                let v = match caps.name(n) {
                    Some(m) if rule.redact.iter().any(|r| r == n) && !m.is_empty() => {
                        RepoText::secret(&String::from_utf8_lossy(m.as_bytes()))
                    }
                    Some(m) => piece(m.start(), m.end()),
                    None => RepoText::default(),
                };
                (n, Text::repo(v))
            })
            .collect();
        let matched = piece(whole.start(), whole.end());
        let lookup = |n: &str| {
            if n == "match" {
                return Some(Text::repo(matched.clone()));
            }
            owned.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone())
        };
        let mut message = template.render_text(lookup);
        let label = label_template.render_text(lookup);
        let (ss, se) = if region.start() >= ls && region.end() <= le {
            clip_within(text, (ls, le), region.start(), region.end())
        } else {
            clip(text, region.start(), region.end())
        };
        let snippet = piece(ss, se);
        // Where the region sits in the clipped snippet.
        let (rs, re) = (region.start().max(ss), region.end().clamp(ss, se));
        let snippet_span = Some((rs - ss, re - ss));
        let comment = is_mention(kind, &text[ls..whole.start()]);
        let (_, match_le) = line_bounds(text, whole.end());
        let said = !comment
            && is_message(
                kind,
                &text[ls..whole.start()],
                &text[whole.end().min(match_le)..match_le],
            );
        let mention = rule.mentions.is_some() && (comment || said);
        let severity = match rule.mentions {
            Some(m) if mention => m.min(ar.severity),
            _ => ar.severity,
        };
        out.push(Finding {
            location: Location::from_bytes(path, text, region.start(), region.end()),
            rule: rule.id.clone(),
            severity,
            message: {
                if mention {
                    message.push_tool(if kind == FileKind::Markdown {
                        " (mentioned in documentation)"
                    } else if said {
                        " (mentioned in a message)"
                    } else {
                        " (mentioned in a comment)"
                    });
                }
                message
            },
            snippet,
            matched: Text::repo(matched.collapse_whitespace()),
            related: Vec::new(),
            suppressed: None,
            mention,
            label,
            snippet_span,
            notes: Vec::new(),
            confidence: None,
            origin: if kind == FileKind::Markdown {
                crate::finding::Origin::Docs
            } else {
                crate::finding::Origin::Code
            },
            fix: None,
        });
        line_reported = true;
    }
    false
}

/// A secret the rule's pattern matched up to a space (`secret: "a b c"`)
/// extends to its closing quote on the same line: the whole value is secret.
fn whole_quoted(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let Some(&q) = start.checked_sub(1).and_then(|i| text.get(i)) else {
        return (start, end);
    };
    if q != b'"' && q != b'\'' {
        return (start, end);
    }
    let (_, line_end) = line_bounds(text, start);
    match memchr::memchr(q, &text[end.min(line_end)..line_end]) {
        Some(i) => (start, end.min(line_end) + i),
        None => (start, line_end.max(end)),
    }
}

/// Is a match whose line starts with `before` documentation or a comment?
/// GraphQL comments are not: generated schemas record their live endpoint
/// in a `# source:` header.
fn is_mention(kind: FileKind, before: &[u8]) -> bool {
    if kind == FileKind::Markdown {
        return true;
    }
    if kind == FileKind::Graphql {
        return false;
    }
    // Bytes, not a decoded copy: this runs per match, on lines that can be
    // megabytes long.
    let start = before
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(before.len());
    let t = &before[start..];
    kind.comment_styles()
        .iter()
        .any(|c| t.starts_with(c.as_bytes()))
        || t.starts_with(b"* ")
        || t.starts_with(b"<!--")
}

/// In a script, text in the arguments of `echo`/`printf` is a message to
/// the reader (`echo "PRISMA_CLOUD_SESSION_KEY is required"`), unless the
/// output goes to a file (`echo "cloudSessionKey: $K" > ~/.prisma/config.yml`
/// writes the credential, which is a use).
fn is_message(kind: FileKind, before: &[u8], after: &[u8]) -> bool {
    let shell_like = matches!(
        kind,
        FileKind::Shell
            | FileKind::Makefile
            | FileKind::Dockerfile
            | FileKind::Procfile
            | FileKind::GithubActions
            | FileKind::GitlabCi
            | FileKind::Circleci
            | FileKind::Travis
            | FileKind::Bitbucket
            | FileKind::AzurePipelines
            | FileKind::Jenkinsfile
    );
    if !shell_like {
        return false;
    }
    // The statement the match is in starts after the last separator.
    let cut = before
        .iter()
        .rposition(|b| matches!(b, b';' | b'&' | b'|' | b'(' | b'`'))
        .map_or(0, |k| k + 1);
    let mut stmt = before[cut..].trim_ascii_start();
    // YAML list items, `run:` keys, Dockerfile `RUN` and make's `@` before the command.
    for lead in [&b"- "[..], b"run: ", b"script: ", b"RUN ", b"@"] {
        if let Some(rest) = stmt.strip_prefix(lead) {
            stmt = rest.trim_ascii_start();
        }
    }
    let speaks = stmt.starts_with(b"echo ") || stmt.starts_with(b"printf ");
    let writes = after.contains(&b'>') || memchr::memmem::find(after, b"tee ").is_some();
    speaks && !writes
}

/// Most of a snippet: longer lines are cut around the match, so a minified
/// bundle does not put megabytes into a report.
pub const MAX_SNIPPET: usize = 240;

/// Byte range of the lines holding `start..end`, cut to about [`MAX_SNIPPET`]
/// bytes around the match (on char boundaries).
pub fn clip(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let (ss, _) = line_bounds(text, start);
    let (_, se) = line_bounds(text, end.max(start));
    clip_within(text, (ss, se), start, end)
}

/// [`clip`] when the bounds of the lines are known.
fn clip_within(
    text: &[u8],
    (mut ss, mut se): (usize, usize),
    start: usize,
    end: usize,
) -> (usize, usize) {
    if se - ss > MAX_SNIPPET {
        let room = MAX_SNIPPET.saturating_sub(end.saturating_sub(start).min(MAX_SNIPPET)) / 2;
        ss = ss.max(start.saturating_sub(room));
        se = se.min(end.max(start) + room).max(ss);
        while ss < text.len() && (text[ss] & 0xC0) == 0x80 {
            ss += 1;
        }
        while se < text.len() && (text[se] & 0xC0) == 0x80 {
            se += 1;
        }
    }
    (ss, se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_secret_is_cut_to_its_closing_quote() {
        let text = b"secret: \"a b c\" # x";
        assert_eq!(whole_quoted(text, 9, 10), (9, 14));
        assert_eq!(whole_quoted(b"secret: abc d", 8, 11), (8, 11));
    }
}

#[cfg(test)]
mod message_tests {
    use super::is_message;
    use crate::kind::FileKind;

    #[test]
    fn echo_arguments_are_messages_unless_written_to_a_file() {
        let sh = FileKind::Shell;
        assert!(is_message(sh, b"  echo \"", b" is required\""));
        assert!(is_message(sh, b"[ -z \"$X\" ] && printf '%s\\n' '", b"'"));
        assert!(!is_message(
            sh,
            b"echo \"cloudSessionKey: ",
            b"\" > ~/.prisma/config.yml"
        ));
        assert!(!is_message(
            sh,
            b"echo \"",
            b"\" | tee -a ~/.prisma/config.yml"
        ));
        assert!(!is_message(sh, b"export ", b"=x"));
        assert!(!is_message(
            FileKind::Script,
            b"console.log(\"echo ",
            b"\")"
        ));
        assert!(is_message(
            FileKind::GithubActions,
            b"      - run: echo \"",
            b"\""
        ));
    }
}

/// `unless-scope-contains` in a file that runs commands: drops the findings
/// of `rule` from `from` on whose variable (set on the finding's line) is
/// seen by a command that also sees one of the names. A variable no command
/// sees stands: it is set where nothing reads it under the right name.
pub fn scope_filter(
    rule: &str,
    names: &[String],
    commands: &[crate::facts::commands::CommandSite],
    findings: &mut Vec<Finding>,
    from: usize,
) {
    if names.is_empty() || from >= findings.len() {
        return;
    }
    let covered = |f: &Finding| {
        commands.iter().any(|s| {
            let sees_it = s.env.iter().any(|scope| {
                scope.vars.values().any(|v| {
                    v.location.path == f.location.path && v.location.line == f.location.line
                })
            });
            sees_it && names.iter().any(|n| s.has_env(n))
        })
    };
    let mut i = from;
    while i < findings.len() {
        if findings[i].rule == rule && covered(&findings[i]) {
            findings.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Is `b` one character written over and over (`XXXXXXXX`), at least twice?
fn one_repeated(b: &[u8]) -> bool {
    b.len() >= 2 && b.iter().all(|c| *c == b[0])
}
