//! `--replace-endpoint OLD=NEW` as `fix` takes it: checked once, before any
//! file is read (OLD must be a Prisma 1 Cloud endpoint, NEW a plain URL of
//! the user's own server), then matched against file text by the endpoint
//! fixer.

/// One validated `OLD=NEW`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// `host/path` of OLD, without scheme and trailing `/`.
    pub old: String,
    pub new_scheme: String,
    /// `host[:port]/path` of NEW, without scheme and trailing `/`.
    pub new: String,
    /// OLD as given, for messages.
    pub given: String,
}

/// A copy of an OLD in a file: (start, end, NEW in its scheme, which `--replace-endpoint`).
pub type Hit = (usize, usize, String, usize);

/// Sub-paths of an endpoint that are still the same service.
const SUB_PATHS: [&str; 6] = [
    "management",
    "cluster",
    "import",
    "export",
    "private",
    "_admin",
];

impl Replacement {
    /// Parses and checks `OLD=NEW`. Hosts compare without regard to case;
    /// NEW must be a plain URL (see [`check_new`]).
    pub fn parse(arg: &str) -> Result<Replacement, String> {
        let (old, new) = arg
            .split_once('=')
            .ok_or_else(|| format!("--replace-endpoint {arg}: expected OLD=NEW"))?;
        let (_, old_rest) = split_url(old.trim()).ok_or_else(|| {
            format!("--replace-endpoint: `{old}` is not an http(s):// or ws(s):// URL")
        })?;
        let host_len = old_rest.find(['/', ':']).unwrap_or(old_rest.len());
        let host = old_rest[..host_len].to_ascii_lowercase();
        if !crate::engine::commands::is_cloud_host(&host) {
            return Err(format!(
                "--replace-endpoint: `{old}` is not a Prisma 1 Cloud endpoint (eu1/us1.prisma.sh or a Cloud-hosted server)"
            ));
        }
        let (new_scheme, new_rest) = check_new(new.trim())?;
        let new_host = new_rest.split(['/', ':']).next().unwrap_or("");
        if crate::engine::commands::is_cloud_host(&new_host.to_ascii_lowercase()) {
            return Err(format!(
                "--replace-endpoint: `{new}` must be your own server, not Prisma 1 Cloud"
            ));
        }
        Ok(Replacement {
            old: format!("{host}{}", &old_rest[host_len..]),
            new_scheme: new_scheme.to_string(),
            new: new_rest.to_string(),
            given: old.trim().to_string(),
        })
    }

    /// NEW in the scheme family of an occurrence (`ws`/`wss` for subscriptions).
    fn new_for(&self, scheme: &str) -> String {
        let scheme = match (scheme, self.new_scheme.as_str()) {
            ("ws" | "wss", "https") => "wss",
            ("ws" | "wss", _) => "ws",
            (_, s) => s,
        };
        format!("{scheme}://{}", self.new)
    }

    /// Every copy of OLD in `text`: (start, end, replacement). The scheme
    /// and host match in any case, the path exactly.
    pub fn hits(&self, text: &str) -> Vec<(usize, usize, String)> {
        let b = text.as_bytes();
        // Lower-casing ASCII keeps every offset.
        let lower = text.to_ascii_lowercase();
        let host_len = self.old.find(['/', ':']).unwrap_or(self.old.len());
        let (host, path) = self.old.split_at(host_len);
        let mut out = Vec::new();
        for scheme in ["http", "https", "ws", "wss"] {
            let needle = format!("{scheme}://{host}");
            for i in memchr::memmem::find_iter(lower.as_bytes(), needle.as_bytes()) {
                let end = i + needle.len() + path.len();
                if (i > 0 && b[i - 1].is_ascii_alphanumeric())
                    || b.get(i + needle.len()..end) != Some(path.as_bytes())
                    || !same_service(&text[end..])
                {
                    continue;
                }
                out.push((i, end, self.new_for(scheme)));
            }
        }
        out.sort();
        out
    }
}

/// Does the text after a copy of OLD end the URL (or go on to a sub-path)?
fn same_service(rest: &str) -> bool {
    let seg = |c: char| c.is_ascii_alphanumeric() || "_.~-".contains(c);
    match rest.chars().next() {
        None => true,
        Some('/') => {
            let next: String = rest[1..].chars().take_while(|c| seg(*c)).collect();
            next.is_empty() || SUB_PATHS.contains(&next.as_str())
        }
        Some(c) => !seg(c),
    }
}

/// NEW as `("http(s)", "host[:port]/path")`: a URL that is the same text in
/// every kind of file it is written to (YAML, env files, shell scripts,
/// Makefiles, Dockerfiles, JSON, source code): a host of letters, digits,
/// `-` and `.`, an optional port, and a path of unreserved characters and
/// `%XX` escapes. No credentials, query, fragment, quotes, `$`, `\`,
/// spaces or control characters, which one kind of file or another would
/// read as something else.
pub fn check_new(new: &str) -> Result<(&'static str, &str), String> {
    let bad = |why: &str| {
        Err(format!(
            "--replace-endpoint: `{}` {why}",
            crate::display::printable(new)
        ))
    };
    let Some((scheme, rest)) = new.split_once("://") else {
        return bad("is not an http(s):// URL");
    };
    let scheme = match scheme {
        "http" => "http",
        "https" => "https",
        _ => return bad("is not an http(s):// URL"),
    };
    let rest = rest.trim_end_matches('/');
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.');
    if !host_ok {
        return bad("needs a host name of letters, digits, `-` and `.`");
    }
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |n| n == 0)) {
        return bad("has a port that is not a number from 1 to 65535");
    }
    let path_ok = path.bytes().enumerate().all(|(i, c)| {
        c.is_ascii_alphanumeric()
            || b"-._~/".contains(&c)
            || (c == b'%'
                && path
                    .as_bytes()
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
    });
    if !path_ok || path.contains("//") {
        return bad("may hold only letters, digits, `-._~/` and %XX escapes in its path (no credentials, query, quotes, `$`, `\\`, spaces or control characters)");
    }
    Ok((scheme, rest))
}

/// `("https", "host/path")` with the trailing `/` dropped.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme_ok = matches!(scheme, "http" | "https" | "ws" | "wss");
    let rest = rest.trim_end_matches('/');
    let clean =
        !rest.is_empty() && !rest.contains(|c: char| c.is_whitespace() || "\"'`<>{}$".contains(c));
    (scheme_ok && clean).then_some((scheme, rest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rep() -> Replacement {
        Replacement::parse(
            "https://eu1.prisma.sh/jane/shop/dev=https://prisma.example.com/shop/dev",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_scheme_and_sub_path_but_not_longer_services() {
        let text = "a https://eu1.prisma.sh/jane/shop/dev\nb wss://eu1.prisma.sh/jane/shop/dev\nc https://eu1.prisma.sh/jane/shop/dev/management\nd https://eu1.prisma.sh/jane/shop/dev2\ne https://eu1.prisma.sh/jane/shop/dev/other\n";
        let hits: Vec<String> = rep().hits(text).into_iter().map(|h| h.2).collect();
        assert_eq!(
            hits,
            [
                "https://prisma.example.com/shop/dev",
                "wss://prisma.example.com/shop/dev",
                "https://prisma.example.com/shop/dev"
            ]
        );
    }

    #[test]
    fn new_must_be_a_plain_url_in_every_kind_of_file() {
        let old = "https://eu1.prisma.sh/a/b=";
        for new in [
            "https://x.org/a\\",
            "https://x.org/a\x1b[2J",
            "https://x.org/a b",
            "https://x.org/$HOME",
            "https://x.org/`id`",
            "https://x.org/a\"b",
            "https://x.org/a'b",
            "https://x.org/a#b",
            "https://x.org/a?b=c&d",
            "https://user:secret@x.org/a",
            "https://x.org:99999/a",
            "https://x.org/a%zz",
            "https://-x.org/a",
            "https://x.org/a,b",
            "https://x.org/a;b",
            "https://x.org/a\nb",
        ] {
            assert!(
                Replacement::parse(&format!("{old}{new}")).is_err(),
                "{new:?} accepted"
            );
        }
        for new in [
            "https://x.org",
            "http://localhost:4466/shop/dev",
            "https://prisma.example.com/a-b_c.d~e/%20x/",
        ] {
            assert!(Replacement::parse(&format!("{old}{new}")).is_ok(), "{new}");
        }
    }

    #[test]
    fn cloud_hosts_compare_without_case() {
        let r = Replacement::parse("https://EU1.Prisma.SH/jane/shop/dev=https://x.org/s/d")
            .unwrap_or_else(|e| panic!("{e}"));
        let hits =
            r.hits("a HTTPS://eu1.PRISMA.sh/jane/shop/dev b https://eu1.prisma.sh/JANE/shop/dev");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].2, "https://x.org/s/d");
    }

    #[test]
    fn arguments_are_checked() {
        assert!(Replacement::parse("nothing").is_err());
        assert!(Replacement::parse("https://example.com/a/b=https://x.org").is_err());
        assert!(Replacement::parse("https://eu1.prisma.sh/a/b=https://us1.prisma.sh/c/d").is_err());
        assert!(Replacement::parse("https://eu1.prisma.sh/a/b=ftp://x.org").is_err());
        assert!(Replacement::parse("https://eu1.prisma.sh/a/b/=http://localhost:4466/b/c").is_ok());
    }
}
