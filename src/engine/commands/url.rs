//! Endpoint URLs as the CLI reads them: the host and port, `${env:VAR}`
//! references filled in, and whether a URL is an endpoint at all or a
//! placeholder.

use crate::finding::Location;

/// The host (lower-cased) and explicit port of a URL.
pub fn host_port(url: &str) -> Option<(String, Option<u16>)> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hp = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if hp.starts_with('[') {
        match hp.split_once("]:") {
            Some((h, p)) => (&hp[..h.len() + 1], p.parse().ok()),
            None => (hp, None),
        }
    } else {
        match hp.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().ok()),
            None => (hp, None),
        }
    };
    let host = host.to_ascii_lowercase();
    if host.is_empty() || host.contains('$') {
        return None;
    }
    Some((host, port))
}

/// A URL with its `${env:VAR}` references filled from `lookup`, and where
/// the (last) variable that resolved it is defined.
pub(super) fn interpolate_with(
    raw: &str,
    lookup: &dyn Fn(&str) -> Option<(String, Location)>,
) -> (Option<String>, Option<Location>) {
    let mut out = String::new();
    let mut rest = raw;
    let mut from = None;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            return (None, None);
        };
        let inner = &rest[i + 2..i + j];
        rest = &rest[i + j + 1..];
        let (var, fallback) = match inner.split_once(',') {
            Some((v, f)) => (
                v.trim(),
                Some(f.trim().trim_matches(['\'', '"']).to_string()),
            ),
            None => (inner.trim(), None),
        };
        let Some(name) = var.strip_prefix("env:") else {
            return (None, None);
        };
        match (lookup(name.trim()), fallback) {
            (Some((v, l)), _) => {
                out.push_str(&v);
                from = Some(l);
            }
            (None, Some(f)) => out.push_str(&f),
            (None, None) => return (None, None),
        }
    }
    out.push_str(rest);
    (Some(out), from)
}

/// An endpoint a CLI could talk to, not a placeholder (`examplevalue`,
/// `http://<your-server>:4466`, `https://${HOST}`).
pub fn usable(url: &str) -> bool {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return false;
    }
    host_port(url).is_some_and(|(h, _)| {
        !h.is_empty()
            && !h.starts_with("your")
            && !h.contains(".your")
            && h.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'[' | b']' | b':')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::usable;

    #[test]
    fn placeholders_are_not_endpoints() {
        for u in [
            "https://eu1.prisma.sh/jane/shop/dev",
            "http://localhost:4466",
            "http://prisma:4466/a/b",
            "http://[::1]:4466",
        ] {
            assert!(usable(u), "{u}");
        }
        for u in [
            "examplevalue",
            "yougottafillthisout",
            "http://<your-server>:4466",
            "https://your-server.example.com/service/stage",
            "https://${HOST}/a",
            "http://",
            "PRISMA_ENDPOINT",
        ] {
            assert!(!usable(u), "{u}");
        }
    }
}
