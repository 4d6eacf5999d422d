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
