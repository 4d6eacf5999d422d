//! Documentation that tells the reader to run a command: fenced shell blocks
//! in Markdown and MDX (```` ```sh ````, `bash`, `shell`, `console`, `zsh`,
//! `shell-session`, or no language with `$ ` prompts) and reStructuredText
//! `.. code-block:: bash`. Such a block is a script the project asks people
//! to run, so it is split like one, with prompts (`$ `, `> `) removed and, in
//! prompt-style blocks, the output lines left out. The commands are marked
//! [`Origin::Docs`]; inline code and prose stay mentions.

use super::out::{dir_of, Ctx, Out};
use super::shell;
use super::text::Snippet;
use crate::finding::Origin;

/// Languages whose blocks are shell.
const SHELL_LANGS: [&str; 9] = [
    "sh",
    "bash",
    "shell",
    "console",
    "zsh",
    "shell-session",
    "shellsession",
    "terminal",
    "ksh",
];

/// Languages whose blocks are not commands: code, data and configuration.
const NOT_SHELL: [&str; 40] = [
    "js",
    "javascript",
    "jsx",
    "ts",
    "typescript",
    "tsx",
    "json",
    "jsonc",
    "json5",
    "yaml",
    "yml",
    "graphql",
    "gql",
    "prisma",
    "sql",
    "html",
    "xml",
    "css",
    "scss",
    "diff",
    "patch",
    "python",
    "py",
    "go",
    "rust",
    "rs",
    "java",
    "kotlin",
    "ruby",
    "rb",
    "php",
    "c",
    "cpp",
    "toml",
    "ini",
    "dockerfile",
    "docker",
    "groovy",
    "env",
    "dotenv",
];

/// Lines of `text`: `(start, end)` without the terminator.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]);
    for end in ends {
        let trimmed_end = if bytes[start..end].ends_with(b"\r") {
            end - 1
        } else {
            end
        };
        out.push((start, trimmed_end));
        start = end + 1;
    }
    out
}

/// A code block: its language and the line ranges of its body.
struct Block {
    lang: String,
    body: Vec<(usize, usize)>,
}

pub(crate) fn extract(out: &mut Out) {
    let rst = out.path.to_ascii_lowercase().ends_with(".rst");
    let blocks = if rst {
        rst_blocks(out.file, &lines(out.file))
    } else {
        fenced_blocks(out.file)
    };
    let dir = dir_of(out.path);
    for b in blocks {
        let lang = b.lang.to_ascii_lowercase();
        let known = SHELL_LANGS.contains(&lang.as_str());
        if NOT_SHELL.contains(&lang.as_str()) {
            continue;
        }
        let prompts = b
            .body
            .iter()
            .any(|&(s, e)| prompt_len(&out.file[s..e]).is_some());
        let at = b.body.first().map_or(0, |r| r.0);
        let line = crate::finding::line_col(out.file.as_bytes(), at).0;
        let mut ctx = Ctx::new(format!("{} code block (line {line})", out.path), &dir);
        ctx.origin = Origin::Docs;
        let snip = if prompts {
            prompted_script(out.file, &b.body)
        } else {
            let (s, e) = (b.body[0].0, b.body[b.body.len() - 1].1);
            Snippet::verbatim(&out.file[s..e], s)
        };
        if known || prompts {
            shell::run(out, &snip, &ctx);
            continue;
        }
        // Only a line that runs the Prisma CLI counts here, and such a line says so.
        if !snip.text.contains("prisma") {
            continue;
        }
        // A block without a language (or with one we do not know, like `ssh`
        // or `text`) may be commands or output: only lines that run the
        // Prisma CLI count, so prose and output cannot become commands.
        let mut scratch = out.scratch();
        shell::run(&mut scratch, &snip, &ctx);
        for s in scratch.sites {
            if s.argv.first().is_some_and(|p| {
                p == "prisma" || p.starts_with("prisma1") || p.starts_with("prisma@")
            }) {
                out.push(s);
            }
        }
    }
}

/// The lines of `text[from..to]`, `to` being a line's start: `(start, end)`
/// without the terminator.
fn lines_between(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    if from >= to {
        return Vec::new();
    }
    // `to` is the start of the closing fence's line: the body ends before
    // the newline just ahead of it.
    lines(&text[from..to - 1])
        .into_iter()
        .map(|(s, e)| (from + s, from + e))
        .collect()
}

/// Markdown/MDX fences: ```` ``` ```` or `~~~` (three or more), indented at
/// most three spaces, closed by a fence of the same character at least as long.
/// Only lines that hold three fence characters after at most three spaces
/// can open or close a block, so those are found first (with `memmem`)
/// and the lines between are read only inside blocks: a long document
/// with few blocks costs a search, not a pass over every line.
fn fenced_blocks(text: &str) -> Vec<Block> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    // The open fence: its character, its length, the language, where its body starts.
    let mut open: Option<(u8, usize, String, usize)> = None;
    for start in fence_lines(bytes) {
        let newline = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
        let end = newline.unwrap_or(bytes.len());
        let end = if bytes[start..end].ends_with(b"\r") {
            end - 1
        } else {
            end
        };
        let line = &text[start..end];
        let rest = line.trim_start_matches(' ');
        let fence = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        match &mut open {
            Some((c, n, lang, body_start)) => {
                let len = fence(*c);
                if len >= *n && rest[len..].trim().is_empty() {
                    let body = lines_between(text, *body_start, start);
                    if !body.is_empty() {
                        blocks.push(Block {
                            lang: std::mem::take(lang),
                            body,
                        });
                    }
                    open = None;
                }
            }
            None => {
                for c in [b'`', b'~'] {
                    let n = fence(c);
                    if n >= 3 {
                        let body_start = newline.map_or(bytes.len(), |i| i + 1);
                        open = Some((c, n, fence_lang(&rest[n..]), body_start));
                        break;
                    }
                }
            }
        }
    }
    blocks
}

/// The language of a fence's info string: `bash`, `{bash}`, `sh title="x"`,
/// `shell script`.
fn fence_lang(info: &str) -> String {
    info.trim()
        .trim_start_matches('{')
        .split(|ch: char| ch.is_whitespace() || ch == '}' || ch == ',')
        .next()
        .unwrap_or("")
        .trim_start_matches('.')
        .to_string()
}

/// Starts of the lines that may be fences, in order: three backticks or
/// tildes after at most three spaces.
fn fence_lines(bytes: &[u8]) -> Vec<usize> {
    let mut starts: Vec<usize> = [&b"```"[..], &b"~~~"[..]]
        .iter()
        .flat_map(|needle| memchr::memmem::find_iter(bytes, needle))
        .filter_map(|at| {
            // At most three spaces back to the line's start: a look-back
            // bounded by four bytes, so a line of backticks costs its length.
            let mut line = at;
            while line > 0 && at - line < 3 && bytes[line - 1] == b' ' {
                line -= 1;
            }
            (line == 0 || bytes[line - 1] == b'\n').then_some(line)
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// reStructuredText `.. code-block:: LANG` (also `code::`, `sourcecode::`):
/// the indented lines after it, options (`:linenos:`) skipped.
fn rst_blocks(text: &str, all: &[(usize, usize)]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let (s, e) = all[i];
        let line = text[s..e].trim();
        let lang = ["code-block::", "code::", "sourcecode::"]
            .iter()
            .find_map(|d| line.strip_prefix(".. ").and_then(|r| r.strip_prefix(d)));
        i += 1;
        let Some(lang) = lang else { continue };
        let mut body = Vec::new();
        while i < all.len() {
            let (s, e) = all[i];
            let l = &text[s..e];
            if l.trim().is_empty() {
                i += 1;
                continue;
            }
            if !l.starts_with([' ', '\t']) {
                break;
            }
            if !(body.is_empty() && l.trim_start().starts_with(':')) {
                body.push((s, e));
            }
            i += 1;
        }
        if !body.is_empty() {
            blocks.push(Block {
                lang: lang.trim().to_string(),
                body,
            });
        }
    }
    blocks
}

/// Length of a shell prompt at the start of a line (`$ `, `% `, `❯ `), after indentation.
fn prompt_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    ["$ ", "% ", "❯ ", "> $ "]
        .iter()
        .find(|p| rest.starts_with(**p))
        .map(|p| indent + p.len())
}

/// The commands of a prompt-style block: each prompt line without its
/// prompt, plus the lines it continues onto (a trailing `\`, or `> `
/// continuation prompts); other lines are output and left out.
fn prompted_script(text: &str, body: &[(usize, usize)]) -> Snippet {
    let mut out = String::new();
    let mut map: Vec<(usize, usize)> = Vec::new();
    let mut continuing = false;
    for &(s, e) in body {
        let line = &text[s..e];
        let skip = if continuing {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            indent + if t.starts_with("> ") { 2 } else { 0 }
        } else {
            match prompt_len(line) {
                Some(k) => k,
                None => continue,
            }
        };
        let cmd = &line[skip..];
        out.push_str(cmd);
        map.extend((0..cmd.len()).map(|k| (s + skip + k, s + skip + k + 1)));
        out.push('\n');
        map.push((e, e));
        continuing = cmd.trim_end().ends_with('\\');
    }
    Snippet::mapped(out, map)
}

#[cfg(test)]
#[path = "docs_tests.rs"]
mod tests;
