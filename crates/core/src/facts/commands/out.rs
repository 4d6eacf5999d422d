//! Where extractors put what they find ([`Out`]: the kept sites, the secret
//! values of the dropped ones) and what surrounds a script they read
//! ([`Ctx`]: who runs it, where, with which environment).

use super::harvest::command_secrets;
use super::keep::{may_name_function, read_anyway, Keep, MAX_KEPT_SITES};
use super::lex::Dialect;
use super::site::{CommandSite, Container, EnvScope, OpaqueEnv};
use crate::finding::{Location, Origin};

/// The commands of a file that [`Keep`] keeps, in file order, and what the
/// others leave behind.
#[derive(Debug, Default)]
pub struct Extracted {
    pub sites: Vec<CommandSite>,
    /// Secret values of the sites that were not kept, for redaction.
    pub dropped_secrets: Vec<String>,
    /// Sites past [`MAX_KEPT_SITES`], not kept.
    pub over_cap: usize,
}

/// Where extractors put what they find.
pub(crate) struct Out<'a> {
    pub path: &'a str,
    pub file: &'a str,
    pub sites: Vec<CommandSite>,
    /// Which sites [`Out::push`] keeps.
    pub keep: Keep,
    /// Dropped sites waiting for their secrets to be harvested: in batches,
    /// so the harvest reads scopes shared by neighbours once.
    dropped: Vec<CommandSite>,
    dropped_secrets: std::collections::BTreeSet<String>,
    over_cap: usize,
    /// The file sourced another (`source ./lib.sh`): a later command may be
    /// one of that file's functions, which the judgement follows there.
    sourced: bool,
}

/// Dropped sites harvested at a time.
const DROP_BATCH: usize = 64;

impl<'a> Out<'a> {
    pub fn new(path: &'a str, file: &'a str, keep: Keep) -> Out<'a> {
        Out {
            path,
            file,
            sites: Vec::new(),
            keep,
            dropped: Vec::new(),
            dropped_secrets: std::collections::BTreeSet::new(),
            over_cap: 0,
            sourced: false,
        }
    }

    /// Whether a site with these words is kept: what [`Keep`] keeps, and
    /// under any keep the commands other judgements read ([`read_anyway`])
    /// and, after a `source`, words that may call a function of the sourced
    /// file.
    pub(crate) fn keeps<S: AsRef<str>>(
        &self,
        argv: &[S],
        runner: Option<&str>,
        text: &str,
    ) -> bool {
        self.keep.keeps(argv, runner, text)
            || read_anyway(argv)
            || (self.sourced && argv.first().is_some_and(|w| may_name_function(w.as_ref())))
    }

    /// An `Out` that keeps every site, for an extractor that reworks its
    /// sites before they are [`push`](Out::push)ed here.
    pub fn scratch(&self) -> Out<'a> {
        Out::new(self.path, self.file, Keep::All)
    }

    pub fn location(&self, (start, end): (usize, usize)) -> Location {
        Location::from_bytes(self.path, self.file.as_bytes(), start, end)
    }

    /// Records `site` if [`Out::keep`] keeps it (and the file is under its
    /// cap); otherwise only its secret values are kept.
    pub fn push(&mut self, site: CommandSite) {
        let text = self
            .file
            .get(site.location.start_byte..site.location.end_byte)
            .unwrap_or_default();
        let runner = site.wrappers.last().map(String::as_str);
        if matches!(site.argv.first().map(String::as_str), Some("source" | ".")) {
            self.sourced = true;
        }
        if !self.keeps(&site.argv, runner, text) {
            self.drop_site(site);
        } else if self.keep != Keep::All && self.sites.len() >= MAX_KEPT_SITES {
            self.over_cap += 1;
            self.drop_site(site);
        } else {
            self.sites.push(site);
        }
    }

    /// Keeps only the secret values of `site`.
    pub fn drop_site(&mut self, site: CommandSite) {
        self.dropped.push(site);
        if self.dropped.len() >= DROP_BATCH {
            self.harvest();
        }
    }

    fn harvest(&mut self) {
        let set = &mut self.dropped_secrets;
        command_secrets(&self.dropped, &mut |v| {
            if !set.contains(v) {
                set.insert(v.to_string());
            }
        });
        self.dropped.clear();
    }

    pub fn finish(mut self) -> Extracted {
        self.harvest();
        Extracted {
            sites: self.sites,
            dropped_secrets: self.dropped_secrets.into_iter().collect(),
            over_cap: self.over_cap,
        }
    }
}

/// What surrounds a script: who runs it, where, with which environment.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub source: String,
    pub cwd: String,
    /// Scopes outside the script, innermost first.
    pub env: Vec<EnvScope>,
    pub env_files: Vec<String>,
    pub wrappers: Vec<String>,
    pub dialect: Dialect,
    pub opaque_env: Vec<OpaqueEnv>,
    pub container: Option<Container>,
    pub origin: Origin,
    /// The folder of the shell script being read, for `cd "$(dirname "$0")"`.
    pub script_dir: Option<String>,
}

impl Ctx {
    pub fn new(source: String, cwd: &str) -> Ctx {
        Ctx {
            source,
            cwd: cwd.to_string(),
            env: Vec::new(),
            env_files: Vec::new(),
            wrappers: Vec::new(),
            dialect: Dialect::Shell,
            opaque_env: Vec::new(),
            container: None,
            origin: Origin::Code,
            script_dir: None,
        }
    }

    pub fn with_env(mut self, env: Vec<EnvScope>) -> Ctx {
        self.env = env;
        self
    }
}

/// The directory of a `/`-separated path, "" at the root.
pub(crate) fn dir_of(path: &str) -> String {
    crate::paths::parent(path).to_string()
}

/// `base` joined with relative `rel`, with `.` and `..` resolved; never climbs above the root.
pub(crate) fn join_path(base: &str, rel: &str) -> String {
    crate::paths::join(base, rel)
}
