//! The last line of defence for secrets: every text a reporter prints passes
//! through [`scrub`], which blanks the values of assignments that hold one,
//! whatever rule or fact produced the text.

use crate::finding::REDACTED;
use regex::Regex;
use std::sync::OnceLock;

fn pattern() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?x)
            (?P<key>
                (?i:managementApiSecret|PRISMA_MANAGEMENT_API_SECRET|PRISMA_MANAGEMENT_SECRET|PRISMA_API_MANAGEMENT_SECRET
                   |PRISMA_SECRET|PRISMA_CLOUD_SESSION_KEY|cloudSessionKey|clusterSecret|PRISMA_MANAGEMENT_API_JWT_SECRET)
                ["']?\s*[:=]\s*["']?
              | (?-u:\b)secret\s*:\s*["']?
              | \s(?:--key|-k)[\s=]+["']?
            )
            (?P<value>[^\s"'$\{\}\#,;][^\s"',;\}]*)
            "#,
        )
        .ok()
    })
    .as_ref()
}

/// Replaces secret values in `text`; references such as `${env:X}`,
/// `$X` and `${{ secrets.X }}` are kept, since they are not secrets.
pub fn scrub(text: &str) -> String {
    let Some(re) = pattern() else {
        return text.to_string();
    };
    if !text.contains(['=', ':', '-']) {
        return text.to_string();
    }
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let value = &c["value"];
        if value == REDACTED || value.starts_with('«') {
            return c[0].to_string();
        }
        format!("{}{REDACTED}", &c["key"])
    })
    .into_owned()
}

/// [`scrub`], also moving `span` (a byte range of `text`) to where the same
/// text sits in the result, so an underline stays under its match.
pub fn scrub_span(text: &str, span: (usize, usize)) -> (String, (usize, usize)) {
    let out = scrub(text);
    let Some(re) = pattern().filter(|_| out != text) else {
        return (out, span);
    };
    // Every byte of `text` maps to itself shifted by the growth of the
    // replaced values before it; a byte inside a value maps to its placeholder.
    let map = |at: usize, end: bool| -> usize {
        let mut shift: isize = 0;
        for c in re.captures_iter(text) {
            let Some(v) = c.name("value") else { continue };
            if v.as_str() == REDACTED || v.as_str().starts_with('«') {
                continue;
            }
            let grow = REDACTED.len() as isize - v.len() as isize;
            if at >= v.end() || (end && at > v.start()) {
                shift += grow;
            } else if at > v.start() {
                return (v.start() as isize + shift) as usize;
            }
        }
        (at as isize + shift).max(0) as usize
    };
    let (s, e) = (map(span.0, false), map(span.1, true));
    (
        out.clone(),
        (s.min(out.len()), e.clamp(s.min(out.len()), out.len())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_literal_secrets() {
        for (input, gone) in [
            (
                "PRISMA_MANAGEMENT_API_SECRET=hunter2 prisma1 deploy",
                "hunter2",
            ),
            ("  managementApiSecret: 'my-secret-123'", "my-secret-123"),
            ("secret: mysecret42", "mysecret42"),
            ("prisma login --key eyJhbGciOi.abc", "eyJhbGciOi"),
            ("PRISMA_CLOUD_SESSION_KEY: abcdef", "abcdef"),
        ] {
            let out = scrub(input);
            assert!(!out.contains(gone), "{input} -> {out}");
            assert!(out.contains(REDACTED), "{input} -> {out}");
        }
    }

    #[test]
    fn spans_follow_their_text_through_redaction() {
        let text = "PRISMA_MANAGEMENT_API_SECRET=hunter2 prisma1 deploy";
        let at = text.find("prisma1").unwrap_or(0);
        let (out, (s, e)) = scrub_span(text, (at, text.len()));
        assert_eq!(&out[s..e], "prisma1 deploy");
        let (out, (s, e)) = scrub_span("  secret: hunter2", (2, 17));
        assert_eq!(&out[s..e], format!("secret: {REDACTED}"));
    }

    #[test]
    fn keeps_references() {
        for input in [
            "secret: ${env:PRISMA_SECRET}",
            "PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.X }}",
            "PRISMA_MANAGEMENT_API_SECRET=$SECRET",
        ] {
            assert_eq!(scrub(input), input);
        }
    }
}
