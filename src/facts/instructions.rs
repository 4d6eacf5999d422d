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
    if !wanted(kind, text.as_bytes()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(SECRET_VAR) else {
            continue;
        };
        let after = line[at + SECRET_VAR.len()..].trim_start_matches(['"', '\'', '`', ' ']);
        if !after.starts_with('=') {
            continue;
        }
        if kind == FileKind::Script && !in_comment(&line[..at]) {
            continue;
        }
        out.push(i + 1);
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
        assert!(crate::engine::FACTS_KEYWORDS
            .iter()
            .any(|k| SECRET_VAR.contains(k)));
    }

    #[test]
    fn a_file_keeps_a_few_lines() {
        let md = "PRISMA_MANAGEMENT_API_SECRET=x\n".repeat(1000);
        assert_eq!(secret_lines(FileKind::Markdown, &md).len(), MAX_LINES);
    }
}
