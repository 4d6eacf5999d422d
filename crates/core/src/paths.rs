//! Repository paths as every fact and finding stores them: relative to the
//! scan root, `/`-separated, whatever the platform. The walk makes them
//! ([`relative`]); facts and judgements move between them ([`parent`],
//! [`join`]) without touching the file system.

use std::path::Path;

/// The parent folder of a `/`-separated relative path ("" at the top).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Joins a relative `rel` onto folder `dir`, resolving `.` and `..`.
pub fn join(dir: &str, rel: &str) -> String {
    // The common case, a plain path under a plain folder, has no segment to
    // drop or resolve: one copy instead of a list of segments.
    let plain = |p: &str| p.split('/').all(|s| !matches!(s, "" | "." | ".."));
    if !rel.is_empty() && plain(rel) && (dir.is_empty() || plain(dir)) {
        let mut out = String::with_capacity(dir.len() + 1 + rel.len());
        if !dir.is_empty() {
            out.push_str(dir);
            out.push('/');
        }
        out.push_str(rel);
        return out;
    }
    join_segments(dir, rel)
}

/// [`join`] segment by segment.
fn join_segments(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Is root-relative `rel` the path `o` or inside folder `o` ("" = everywhere)?
pub fn is_under(rel: &str, o: &str) -> bool {
    o.is_empty()
        || rel
            .strip_prefix(o)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let mut out = String::new();
    relative_into(root, path, &mut out);
    out
}

/// [`relative`] into a reused buffer. The walk yields `root` joined with the
/// rest, so a byte prefix test does what `Path::strip_prefix` does at a
/// fraction of its cost (it parses both paths into components).
pub fn relative_into(root: &Path, path: &Path, out: &mut String) {
    out.clear();
    let r = root.as_os_str().as_encoded_bytes();
    let p = path.as_os_str().as_encoded_bytes();
    let at_boundary = |rest: &[u8]| {
        r.is_empty() || rest.is_empty() || is_sep(rest[0]) || r.last().is_some_and(|&b| is_sep(b))
    };
    match p.strip_prefix(r) {
        Some(rest) if at_boundary(rest) => {
            let start = rest.iter().take_while(|&&b| is_sep(b)).count();
            // Nearly every path is UTF-8: the plain check is the fast one.
            match std::str::from_utf8(&rest[start..]) {
                Ok(t) => out.push_str(t),
                Err(_) => out.push_str(&String::from_utf8_lossy(&rest[start..])),
            }
        }
        _ => {
            let rel = path.strip_prefix(root).unwrap_or(path);
            out.push_str(&rel.to_string_lossy());
        }
    }
    if cfg!(windows) && out.contains('\\') {
        *out = out.replace('\\', "/");
    }
    let mut start = 0;
    while out[start..].starts_with("./") {
        start += 2;
    }
    out.drain(..start);
}

fn is_sep(b: u8) -> bool {
    b == b'/' || (cfg!(windows) && b == b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_takes_the_short_way_only_where_it_gives_the_same_path() {
        let segs = ["", "a", ".", "..", "b.sh", "/"];
        let path = |n: usize| -> String {
            (0..3)
                .map(|i| segs[n / segs.len().pow(i) % segs.len()])
                .collect::<Vec<_>>()
                .join("/")
        };
        let all = segs.len().pow(3);
        for d in 0..all {
            for r in 0..all {
                let (dir, rel) = (path(d), path(r));
                assert_eq!(
                    join(&dir, &rel),
                    join_segments(&dir, &rel),
                    "{dir:?} {rel:?}"
                );
            }
        }
        assert_eq!(join("api", "scripts/deploy.sh"), "api/scripts/deploy.sh");
        assert_eq!(join("", ".env"), ".env");
    }
}
