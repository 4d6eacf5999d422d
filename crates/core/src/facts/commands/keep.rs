//! Which command sites are worth keeping once read: those that name Prisma,
//! may run another file of the repository, or write a variable where the CLI
//! reads it. Told from a site's words alone, before it is built.

use super::image;
use super::peeled::SCRIPT_RUNNERS;
use super::site::CommandSite;

/// The literals that make a file worth reading for facts (commands,
/// package.json, prisma.yml). Every Prisma 1 signal contains one.
pub const FACTS_KEYWORDS: [&str; 3] = ["prisma", "Prisma", "PRISMA"];

/// Most command sites one file keeps: past this, a file's commands are
/// counted in a note instead of judged, so a hostile file cannot make
/// memory grow without bound.
pub const MAX_KEPT_SITES: usize = 5_000;

/// Which command sites of a file are kept once read. Every later use of a
/// site (the command rules, the secret judgement, fixes, the audit) needs
/// a site that names Prisma, runs another file of the repository, or
/// writes a variable where the CLI reads it (`earlier_write` in the
/// secret judgement); keeping only those keeps memory to what findings
/// and cross-file facts need. A dropped site's secret values still feed
/// redaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Every site (tests, and callers that want the whole picture).
    #[default]
    All,
    /// A file that mentions Prisma: sites that name Prisma in their words or
    /// their text, that may run another file ([`repo_call`]), or that write
    /// variables ([`WRITERS`]).
    Relevant,
    /// A file that never mentions Prisma: only sites that may run another
    /// file; nothing in it can be a Prisma command by itself.
    Callers,
}

/// Programs that can write a variable where the CLI reads it
/// (`echo "X=$Y" >> .env`): the secret judgement looks for them.
pub const WRITERS: [&str; 6] = ["echo", "printf", "cat", "tee", "sed", "envsubst"];

impl Keep {
    /// Whether a site with these words (`argv` after wrappers, the last
    /// wrapper) and this text (the command as written) is kept.
    pub(crate) fn keeps<S: AsRef<str>>(self, argv: &[S], runner: Option<&str>, text: &str) -> bool {
        let named = |t: &str| FACTS_KEYWORDS.iter().any(|k| t.contains(k));
        match self {
            Keep::All => true,
            Keep::Callers => call_shape(argv, runner).is_some(),
            Keep::Relevant => {
                call_shape(argv, runner).is_some()
                    || argv.first().is_some_and(|p| {
                        let p = p.as_ref();
                        WRITERS.contains(&p.rsplit('/').next().unwrap_or(p))
                    })
                    || argv.iter().any(|a| named(a.as_ref()))
                    || named(text)
            }
        }
    }
}

/// What a command runs of the repository's own files, told by its words
/// alone: the calls `engine::commands::effective` follows into other files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoCall<'a> {
    /// `npm run x`, `yarn x`, `pnpm x`: the package.json script `x`.
    Script(&'a str),
    /// `make ARGS`, `gmake ARGS`, `$(MAKE) ARGS`: the arguments.
    Make(&'a [String]),
    /// `bash x.sh`, `source x`, `./x`, `bin/x.sh`: the script's path.
    Shell(&'a str),
}

pub fn repo_call(site: &CommandSite) -> Option<RepoCall<'_>> {
    let runner = site.wrappers.last().map(String::as_str);
    Some(match call_shape(&site.argv, runner)? {
        CallShape::Script => RepoCall::Script(&site.argv[0]),
        CallShape::Make => RepoCall::Make(&site.argv[1..]),
        CallShape::Shell(i) => RepoCall::Shell(&site.argv[i]),
    })
}

/// What [`repo_call`] finds, by the index of the words it names, for any
/// list of words: the parser decides before it builds a site.
enum CallShape {
    Script,
    Make,
    /// The script is `argv[i]`.
    Shell(usize),
}

fn call_shape<S: AsRef<str>>(argv: &[S], runner: Option<&str>) -> Option<CallShape> {
    let program = argv.first()?.as_ref();
    if runner.is_some_and(|w| SCRIPT_RUNNERS.contains(&w)) {
        return Some(CallShape::Script);
    }
    let base = program.rsplit('/').next().unwrap_or(program);
    if matches!(base, "make" | "gmake") || program == "$(MAKE)" {
        return Some(CallShape::Make);
    }
    if matches!(base, "bash" | "sh" | "zsh" | "dash" | "source" | ".") {
        return argv[1..]
            .iter()
            .position(|a| !a.as_ref().starts_with('-'))
            .map(|i| CallShape::Shell(i + 1));
    }
    (program.ends_with(".sh") || program.starts_with("./")).then_some(CallShape::Shell(0))
}

/// Commands the secret judgement reads although they name no Prisma: image
/// builds (the Dockerfile behind an image name) and compose commands (the env
/// files compose fills a server's `managementApiSecret` from).
pub fn read_anyway<S: AsRef<str>>(argv: &[S]) -> bool {
    let w = |i: usize| argv.get(i).map(|a| a.as_ref());
    image::builds(argv)
        || w(0) == Some("docker-compose")
        || (w(0) == Some("docker") && w(1) == Some("compose"))
}

/// A word that may be a shell function's name (`deploy_prisma`).
pub fn may_name_function(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
}

/// Whether `site` may run another file of the repository ([`repo_call`]).
/// In a file that never mentions Prisma, only such a site (or one whose
/// words name Prisma, once a makefile is read with its includes) can lead
/// to a Prisma 1 command.
pub fn may_run_repo_file(site: &CommandSite) -> bool {
    repo_call(site).is_some()
}

/// Whether a word of `site` names Prisma (the prefilter's Prisma keywords).
pub fn names_prisma(site: &CommandSite) -> bool {
    site.argv
        .iter()
        .any(|a| FACTS_KEYWORDS.iter().any(|k| a.contains(k)))
}
