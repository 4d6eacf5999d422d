//! What peeling a command's launchers finds ([`Peeled`]), shared by the
//! package-manager wrappers and the container launchers that fill it.

use super::lex::Word;
use super::site::{Container, OpaqueKind};

/// What peeling found.
#[derive(Debug, Default)]
pub(crate) struct Peeled {
    /// Wrapper names, outermost first. `npm run`, `yarn run`, `yarn`, `pnpm`,
    /// `pnpm run` and `bun run` mean `argv[0]` may name a package.json script.
    pub wrappers: Vec<String>,
    pub argv: Vec<Word>,
    /// `NAME=value` words a wrapper put in the environment.
    pub inline: Vec<Word>,
    pub env_files: Vec<String>,
    /// A directory a wrapper switched to (`yarn --cwd D`, `npm --prefix D`, `pnpm -C D`).
    pub cwd: Option<String>,
    /// The string of `sh -c '...'`, to be split as a script of its own.
    pub script: Option<Word>,
    /// A launcher (`docker run`, `ssh`, `env -i`) started the command with a
    /// fresh environment: the caller's scopes do not reach it.
    pub reset: bool,
    /// `docker run -e NAME=value` and the like, after the last reset.
    pub container_vars: Vec<Word>,
    /// `docker run -e NAME`: the caller's value passes through.
    pub passthrough: Vec<Word>,
    /// Sources that may provide any variable, with the span of the word naming them.
    pub opaque: Vec<(OpaqueKind, String, (usize, usize))>,
    /// Where the command runs when a launcher moved it.
    pub container: Option<Container>,
    /// Index of the first word of the innermost launched command: where a
    /// finding's span starts (`docker run img npx prisma1 deploy` points at `npx`).
    pub inner_start: usize,
    /// Set by a launcher in the step that moved the command.
    pub(crate) launched: bool,
    /// `yarn workspace NAME`, `npm -w NAME`, `pnpm --filter NAME`.
    pub workspace: Option<String>,
}

/// Wrappers after which `argv[0]` may be a package.json script name.
pub const SCRIPT_RUNNERS: [&str; 6] =
    ["npm run", "yarn run", "yarn", "pnpm", "pnpm run", "bun run"];

/// True for `NAME=value` with a valid unquoted name.
pub(crate) fn is_assignment(w: &Word) -> bool {
    let Some(eq) = w.value.find('=') else {
        return false;
    };
    let name = &w.value[..eq];
    let bare = w
        .idx
        .get(eq)
        .zip(w.idx.first())
        .is_some_and(|(e, s)| e - s == eq);
    bare && !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
