//! Tests of the commands read from shell blocks of documentation, through the
//! whole extraction ([`show_all`](super::super::show_all)): a file of their
//! own, so that the extractor does not depend on the dispatcher that calls
//! it.

use super::super::show_all;
use crate::kind::FileKind;

#[test]
fn shell_blocks_are_scripts_and_prose_is_not() {
    let text = "# Deploy\n\nRun `prisma1 deploy` once.\n\n```bash\ncd server\nnpx prisma1 deploy\n```\n\n```js\nexec('prisma1 deploy')\n```\n\n~~~console\n$ prisma1 login\nLogged in.\n$ prisma1 deploy \\\n  --force\n~~~\n\n```\n$ yarn prisma1 token\n```\n";
    assert_eq!(
        show_all("docs/README.md", FileKind::Markdown, text),
        [
            "6:1-6:10 cwd=docs [cd server] docs",
            "7:1-7:19 cwd=docs/server [prisma1 deploy] w=npx docs",
            "15:3-15:16 cwd=docs [prisma1 login] docs",
            "17:3-18:10 @17:3-17:17 cwd=docs [prisma1 deploy --force] docs",
            "22:3-22:21 cwd=docs [prisma1 token] w=yarn docs",
        ]
    );
}

#[test]
fn untyped_blocks_keep_only_prisma_commands() {
    let text = "```\ncd prisma\nprisma deploy\nDeploying service `shop` to stage `dev`\n```\n\n```ssh\nnpx prisma1 reset\n```\n\n```js\nprisma deploy\n```\n";
    assert_eq!(
        show_all("README.md", FileKind::Markdown, text),
        [
            "3:1-3:14 cwd=prisma [prisma deploy] docs",
            "8:1-8:18 [prisma1 reset] w=npx docs",
        ]
    );
}

#[test]
fn rst_code_blocks() {
    let text = "Setup\n=====\n\n.. code-block:: bash\n   :linenos:\n\n   prisma1 deploy -e .env\n\nDone.\n";
    assert_eq!(
        show_all("docs/setup.rst", FileKind::Markdown, text),
        ["7:4-7:26 cwd=docs [prisma1 deploy -e .env] docs"]
    );
}

/// An open fence: its character, its length, the language and the body so far.
type OpenFence = (u8, usize, String, Vec<(usize, usize)>);

/// The plain reading of the fence rules, one line at a time: what
/// `fenced_blocks` must find, whatever lines it skips.
fn fenced_blocks_line_by_line(text: &str) -> Vec<(String, Vec<(usize, usize)>)> {
    let mut blocks = Vec::new();
    let mut open: Option<OpenFence> = None;
    for (s, e) in super::lines(text) {
        let line = &text[s..e];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line.trim_start_matches(' ');
        let fence = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        match &mut open {
            Some((c, n, lang, body)) => {
                let len = fence(*c);
                if indent <= 3 && len >= *n && rest[len..].trim().is_empty() {
                    if !body.is_empty() {
                        blocks.push((std::mem::take(lang), std::mem::take(body)));
                    }
                    open = None;
                } else {
                    body.push((s, e));
                }
            }
            None if indent <= 3 => {
                for c in [b'`', b'~'] {
                    let n = fence(c);
                    if n >= 3 {
                        open = Some((c, n, super::fence_lang(&rest[n..]), Vec::new()));
                        break;
                    }
                }
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn fences_found_by_search_are_the_fences_read_line_by_line() {
    // Lines that open, close, nearly open or nearly close a block, and body
    // lines, in every order a small generator reaches.
    const LINES: [&str; 22] = [
        "```",
        "```bash",
        "````",
        "````sh",
        "~~~",
        "~~~console",
        "~~~~",
        "   ```",
        "    ```",
        " ``` x",
        "```\r",
        "\t```",
        "text ``` here",
        "$ prisma1 deploy",
        "npx prisma1 deploy\r",
        "",
        "  ~~~",
        "``",
        "```{bash}",
        "`````",
        "echo ```",
        "~~~ ~~~",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for case in 0..3_000 {
        let count = 1 + next(24);
        let mut text: String = (0..count)
            .map(|_| LINES[next(LINES.len())])
            .collect::<Vec<_>>()
            .join("\n");
        if case % 2 == 0 {
            text.push('\n');
        }
        let found: Vec<(String, Vec<(usize, usize)>)> = super::fenced_blocks(&text)
            .into_iter()
            .map(|b| (b.lang, b.body))
            .collect();
        assert_eq!(found, fenced_blocks_line_by_line(&text), "{text:?}");
    }
}

#[test]
fn long_fence_lines_open_and_close_like_short_ones() {
    // A fence of 100,000 backticks is closed by one at least as long; the
    // block after it is read as usual.
    let fence = "`".repeat(100_000);
    let text = format!("{fence}\n{fence}\n```bash\nprisma1 deploy\n```\n");
    assert_eq!(
        show_all("README.md", FileKind::Markdown, &text),
        ["4:1-4:15 [prisma1 deploy] docs"]
    );
}
