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
