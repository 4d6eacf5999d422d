//! Recognising prisma1-lint's own reports by their first bytes.
//!
//! `check . > out.txt` or `--output json=report.json`, then `check .` again,
//! would report every finding the saved report quotes. Reports written in the
//! same run are skipped by path; this catches the ones saved earlier. Only
//! the start of the file is looked at, so the check costs next to nothing.

/// How far into a file the markers must appear.
const WINDOW: usize = 1024;

/// The first line of human output with findings (see
/// `report::human::header`).
pub const HUMAN_HEADER: &str = "prisma1-lint ";

/// True when `head` (the first bytes of a file) starts like one of our
/// reports: check JSON, audit JSON, SARIF, human, concise, Markdown or HTML.
pub fn is_own_report(head: &[u8]) -> bool {
    let head = &head[..head.len().min(WINDOW)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    // Most files are decided by their first byte and first line alone.
    // The window may cut a character in two: the valid start is enough.
    fn text(bytes: &[u8]) -> &str {
        match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }
    match head.first() {
        None => false,
        Some(b'{') => json_report(text(&head[1..])),
        Some(b'<') => {
            let t = text(head);
            t.starts_with("<!DOCTYPE html>")
                && t.contains("<title>Prisma 1 Cloud migration audit</title>")
        }
        Some(_) => {
            let end = memchr::memchr(b'\n', head).unwrap_or(head.len());
            // Our reports' first lines are short UTF-8 text; no allocation here,
            // this runs for every file.
            let Ok(first) = std::str::from_utf8(&head[..end]) else {
                return false;
            };
            let first = first.trim_end_matches('\r');
            is_human_header(first)
                || is_concise_line(first)
                || first == "## prisma1-lint"
                || first == "# Prisma 1 Cloud migration audit"
        }
    }
}

/// `{"version": 1, "tool": {"name": "prisma1-lint", ...` (check),
/// `{"version": 1, "tool": "prisma1-lint 0.1.0", ...` (audit) or a SARIF log
/// whose driver is prisma1-lint.
fn json_report(after_brace: &str) -> bool {
    let rest = after_brace.trim_start();
    if let Some(v) = rest.strip_prefix("\"version\"") {
        let tool = v.find("\"tool\"").map(|i| &v[i + 6..]);
        return tool.is_some_and(|t| {
            let t = t.trim_start_matches([' ', ':', '\n', '\r', '\t', '{']);
            t.starts_with("\"prisma1-lint ") || t.starts_with("\"name\": \"prisma1-lint\"")
        });
    }
    rest.starts_with("\"$schema\"")
        && rest.contains("sarif")
        && rest.contains("\"name\": \"prisma1-lint\"")
}

/// `prisma1-lint 0.1.0: 3 findings in 2 files`.
fn is_human_header(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(HUMAN_HEADER) else {
        return false;
    };
    let version = rest.split(':').next().unwrap_or("");
    !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rest.contains(" finding")
}

/// `path:12:3: error[cloud-endpoint] message`.
fn is_concise_line(line: &str) -> bool {
    // Most first lines have no `[`: one memchr decides them.
    if memchr::memchr(b'[', line.as_bytes()).is_none() {
        return false;
    }
    [": error[", ": warning[", ": note["].iter().any(|level| {
        line.split_once(level).is_some_and(|(at, rest)| {
            let mut parts = at.rsplitn(3, ':');
            let col = parts.next().unwrap_or("");
            let row = parts.next().unwrap_or("");
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            let rule = rest.split_once("] ").map_or("", |(r, _)| r);
            let rule_like = rule.starts_with(|c: char| c.is_ascii_lowercase())
                && rule
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            digits(col) && digits(row) && parts.next().is_some() && rule_like
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_report_we_write() {
        for head in [
            "{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"prisma1-lint\",\n",
            "{\n  \"version\": 1,\n  \"tool\": \"prisma1-lint 0.1.0\",\n",
            "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"prisma1-lint\",",
            "prisma1-lint 0.1.0: 3 findings in 2 files\n\n",
            ".env:1:17: error[cloud-endpoint] Prisma 1 Cloud endpoint on us1.prisma.sh\n",
            "## prisma1-lint\n\n",
            "# Prisma 1 Cloud migration audit\n\n",
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>Prisma 1 Cloud migration audit</title>",
        ] {
            assert!(is_own_report(head.as_bytes()), "{head}");
        }
    }

    #[test]
    fn leaves_the_repository_s_own_files_alone() {
        for head in [
            "{\n  \"name\": \"shop\",\n  \"devDependencies\": {\"prisma1-lint\": \"0.1.0\"}\n}",
            "{\n  \"version\": \"1.0.0\",\n  \"tool\": \"webpack\"\n}",
            "endpoint: https://eu1.prisma.sh/jane/shop/dev\n",
            "# prisma1-lint notes\nprisma1-lint 0.1.0 is what we run\n",
            "see src/a.js:3:4: the error[0] case\n",
            "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"name\": \"other-tool\"",
        ] {
            assert!(!is_own_report(head.as_bytes()), "{head}");
        }
    }
}
