//! Where the repository's own words tell the person who runs its commands
//! to set the management secret by hand: a README's `export
//! PRISMA_MANAGEMENT_API_SECRET=…`, a setup page listing the variables, a
//! comment above the server code (`// export PRISMA_MANAGEMENT_API_SECRET=…
//! => prisma deploy`). Such a command runs in a shell the repository does
//! not show, and the repository says that shell has the secret: the
//! judgement cannot call it missing with any confidence.

use crate::kind::FileKind;

/// The variable the Prisma 1 CLI reads the management secret from.
pub const SECRET_VAR: &str = "PRISMA_MANAGEMENT_API_SECRET";

/// Most instruction lines kept per file: one is enough to cite.
const MAX_LINES: usize = 4;

/// Whether a file of `kind` may hold instructions, from its bytes alone.
pub fn wanted(kind: FileKind, text: &[u8]) -> bool {
    matches!(kind, FileKind::Markdown | FileKind::Script | FileKind::Text)
        && memchr::memmem::find(text, SECRET_VAR.as_bytes()).is_some()
}

/// The 1-based lines of `text` that set [`SECRET_VAR`] for the reader: in
/// documentation any assignment (`VAR=…`, `export VAR=…`, `set VAR=…`,
/// `$env:VAR = …`); in source code only inside a comment, since code that
/// assigns it runs in the program, not in the shell that deploys.
pub fn secret_lines(kind: FileKind, text: &str) -> Vec<usize> {
    if !matches!(kind, FileKind::Markdown | FileKind::Script | FileKind::Text) {
        return Vec::new();
    }
    // One search over the whole text; a line is cut out (and its number
    // counted) only where the name occurs, and the first occurrence on a
    // line decides for it.
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut line_no, mut counted_to, mut next_line) = (1, 0, 0);
    for hit in memchr::memmem::find_iter(bytes, SECRET_VAR.as_bytes()) {
        if hit < next_line {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i);
        line_no += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
        counted_to = start;
        next_line = end + 1;
        // As `str::lines` gives it: no `\r` before the `\n`.
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let at = hit - start;
        let after = line[at + SECRET_VAR.len()..].trim_start_matches(['"', '\'', '`', ' ']);
        if !after.starts_with('=') {
            continue;
        }
        if kind == FileKind::Script && !in_comment(&line[..at]) {
            continue;
        }
        out.push(line_no);
        if out.len() == MAX_LINES {
            break;
        }
    }
    out
}

/// Whether the text before a position on a line opens a comment of the
/// languages Script covers (`//`, `/*`, ` * `, `#`).
fn in_comment(before: &str) -> bool {
    let t = before.trim_start();
    t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.starts_with('#')
        || before.contains("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_assignments_count_in_any_form() {
        let md = "# Setup\n```sh\nset PRISMA_MANAGEMENT_API_SECRET=my-secret\nexport PRISMA_MANAGEMENT_API_SECRET=my-secret\n```\nPRISMA_MANAGEMENT_API_SECRET=\"x\"\n$env:PRISMA_MANAGEMENT_API_SECRET = 'x'\nThe PRISMA_MANAGEMENT_API_SECRET variable protects the server.\n";
        assert_eq!(secret_lines(FileKind::Markdown, md), [3, 4, 6, 7]);
    }

    #[test]
    fn in_code_only_comments_count() {
        let js = "//export PRISMA_MANAGEMENT_API_SECRET={from heroku} => prisma deploy\nprocess.env.PRISMA_MANAGEMENT_API_SECRET = 'x'\nconst a = 1 // PRISMA_MANAGEMENT_API_SECRET=b\n";
        assert_eq!(secret_lines(FileKind::Script, js), [1, 3]);
    }

    #[test]
    fn other_kinds_and_other_variables_do_not() {
        assert!(secret_lines(FileKind::Markdown, "PRISMA_SECRET=x\n").is_empty());
        assert!(secret_lines(FileKind::Makefile, "PRISMA_MANAGEMENT_API_SECRET=x\n").is_empty());
    }

    #[test]
    fn the_variable_holds_a_prefilter_keyword() {
        // `facts::wanted` skips files the prefilter found no keyword in.
        assert!(crate::facts::commands::FACTS_KEYWORDS
            .iter()
            .any(|k| SECRET_VAR.contains(k)));
    }

    #[test]
    fn the_first_mention_on_a_line_decides_and_line_ends_may_be_crlf() {
        let md = "The PRISMA_MANAGEMENT_API_SECRET, export PRISMA_MANAGEMENT_API_SECRET=x\r\n\r\nPRISMA_MANAGEMENT_API_SECRET=\r\nx PRISMA_MANAGEMENT_API_SECRET";
        assert_eq!(secret_lines(FileKind::Markdown, md), [3]);
        // As line by line with `str::lines` and `find`, for many texts.
        let naive = |kind, text: &str| -> Vec<usize> {
            text.lines()
                .enumerate()
                .filter(|(_, l)| {
                    l.find(SECRET_VAR).is_some_and(|at| {
                        l[at + SECRET_VAR.len()..]
                            .trim_start_matches(['"', '\'', '`', ' '])
                            .starts_with('=')
                            && (kind != FileKind::Script || in_comment(&l[..at]))
                    })
                })
                .map(|(i, _)| i + 1)
                .take(MAX_LINES)
                .collect()
        };
        let pieces = [
            "PRISMA_MANAGEMENT_API_SECRET",
            "=",
            " ",
            "\n",
            "\r\n",
            "// ",
            "x",
            "'",
        ];
        // Every text of five pieces.
        for n in 0..pieces.len().pow(5) {
            let text: String = (0..5)
                .map(|i| pieces[n / pieces.len().pow(i) % pieces.len()])
                .collect();
            for kind in [FileKind::Markdown, FileKind::Script] {
                assert_eq!(secret_lines(kind, &text), naive(kind, &text), "{text:?}");
            }
        }
    }

    #[test]
    fn a_file_keeps_a_few_lines() {
        let md = "PRISMA_MANAGEMENT_API_SECRET=x\n".repeat(1000);
        assert_eq!(secret_lines(FileKind::Markdown, &md).len(), MAX_LINES);
    }
}
