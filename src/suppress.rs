//! Inline suppressions: `prisma1-lint: ignore[rule-id] reason` in a comment,
//! on the finding's line or alone on the line above.

use crate::finding::{Finding, Location, Suppression};
use crate::kind::FileKind;

/// The literal every suppression comment contains (part of the prefilter).
pub const MARKER: &str = "prisma1-lint:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSuppression {
    pub location: Location,
    /// Rule ids in the brackets; empty means every rule.
    pub rules: Vec<String>,
    pub reason: String,
    /// The comment is alone on its line, so it covers the next line.
    pub own_line: bool,
    /// The source line holding the comment, shown by the findings about it.
    pub line: String,
}

/// Finds suppression comments in `text`, using the comment syntax of `kind`.
pub fn parse(path: &str, kind: FileKind, text: &[u8]) -> Vec<InlineSuppression> {
    let styles = kind.comment_styles();
    let mut out = Vec::new();
    if styles.is_empty() {
        return out;
    }
    let mut offset = 0;
    for raw in text.split_inclusive(|&b| b == b'\n') {
        let line_start = offset;
        offset += raw.len();
        let line = String::from_utf8_lossy(raw);
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        let Some(leader) = styles
            .iter()
            .filter_map(|s| before.rfind(s).map(|i| (i, *s)))
            .max()
        else {
            continue;
        };
        let own_line = before[..leader.0].trim().is_empty();
        let rest = line[at + MARKER.len()..].trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else {
            continue;
        };
        let (rules, reason) = match rest.strip_prefix('[') {
            Some(r) => match r.split_once(']') {
                Some((ids, reason)) => (
                    ids.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    reason,
                ),
                None => continue,
            },
            None => (Vec::new(), rest),
        };
        let reason = reason
            .trim()
            .trim_end_matches("-->")
            .trim_end_matches("*/")
            .trim()
            .trim_start_matches([':', '-'])
            .trim();
        let start = line_start + leader.0;
        let end = line_start + line.trim_end_matches(['\n', '\r']).len();
        out.push(InlineSuppression {
            location: Location::from_bytes(path, text, start, end),
            rules,
            reason: reason.to_string(),
            own_line,
            line: line.trim_end_matches(['\n', '\r']).to_string(),
        });
    }
    out
}

impl InlineSuppression {
    pub fn covers(&self, f: &Finding) -> bool {
        let line = self.location.line;
        f.location.path == self.location.path
            && (f.location.line == line || (self.own_line && f.location.line == line + 1))
            && (self.rules.is_empty() || self.rules.contains(&f.rule))
    }
}

/// Marks covered findings as suppressed; returns, for each suppression,
/// whether it suppressed anything.
pub fn apply(findings: &mut [Finding], sups: &[InlineSuppression]) -> Vec<bool> {
    let mut used = vec![false; sups.len()];
    for f in findings.iter_mut() {
        if f.suppressed.is_some() {
            continue;
        }
        if let Some(i) = sups.iter().position(|s| s.covers(f)) {
            used[i] = true;
            let reason = if sups[i].reason.is_empty() {
                crate::text::Text::tool("no reason given")
            } else {
                crate::text::Text::repo(crate::text::RepoText::parsed(&sups[i].reason))
            };
            f.suppressed = Some(Suppression {
                kind: "inSource".into(),
                justification: reason,
            });
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_comment_style() {
        let yaml = parse(
            "a.yml",
            FileKind::Yaml,
            b"# prisma1-lint: ignore[cloud-endpoint] demo only\nendpoint: x\n",
        );
        assert_eq!(yaml.len(), 1);
        assert_eq!(
            (
                yaml[0].rules.clone(),
                yaml[0].reason.as_str(),
                yaml[0].own_line
            ),
            (vec!["cloud-endpoint".to_string()], "demo only", true)
        );
        let js = parse(
            "a.js",
            FileKind::Script,
            b"const u = 'x'; // prisma1-lint: ignore[cloud-endpoint] test fixture\n",
        );
        assert!(!js[0].own_line && js[0].reason == "test fixture");
        let md = parse(
            "a.md",
            FileKind::Markdown,
            b"<!-- prisma1-lint: ignore[cloud-console] history -->\n",
        );
        assert_eq!(md[0].reason, "history");
        let block = parse(
            "a.ts",
            FileKind::Script,
            b"/* prisma1-lint: ignore[cloud-endpoint] old */\n",
        );
        assert_eq!(block[0].reason, "old");
        assert!(parse(
            "package.json",
            FileKind::PackageJson,
            b"\"x\": \"prisma1-lint: ignore\""
        )
        .is_empty());
    }
}
