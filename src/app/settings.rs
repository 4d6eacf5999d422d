//! The settings of a run, settled before any file is read: the scan root,
//! the config, the rules, the size limit and the excluded files. Every
//! command (`check`, `fix`, `audit`, `upgrade`) starts here.

use crate::cli::CheckArgs;
use crate::config::{self, Config};
use crate::error::RunError;
use crate::rules::RuleSet;
use std::path::{Path, PathBuf};

/// Default for `--max-file-size`: larger files are generated or data.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 << 20;

/// Most worker threads: more only costs memory (each owns its buffers).
pub const MAX_THREADS: usize = 256;

/// Where the scan is rooted and which part of it is reported, for
/// commands that take paths of one repository (see [`crate::roots::plan`]).
pub fn resolve_paths(
    paths: &[PathBuf],
    root: Option<&Path>,
) -> Result<(PathBuf, Vec<String>), RunError> {
    let one = one_root(crate::roots::plan(paths, root)?)?;
    Ok((one.root, one.only))
}

/// The one root of `roots`, or an error naming them.
pub fn one_root(
    mut roots: Vec<crate::roots::ScanRoot>,
) -> Result<crate::roots::ScanRoot, RunError> {
    if roots.len() > 1 {
        let names: Vec<String> = roots.iter().map(|r| r.shown()).collect();
        return Err(RunError::Usage(format!(
            "the paths lie in several repositories ({}); give the paths of one at a time",
            names.join(", ")
        )));
    }
    roots
        .pop()
        .ok_or_else(|| RunError::Usage("nothing to scan".into()))
}

/// Loads the config: `--config`, else `.prisma1-lint.yml` at the root, as
/// `check` and `fix` do on the user's own repository (see [`load_config_as`]).
pub fn load_config(
    root: &Path,
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<Config, RunError> {
    load_config_as(root, explicit, disabled, true)
}

/// [`load_config`]. With `own_repo` (`check`, `fix`; not `audit`, whose
/// repositories are anyone's), outside CI, the repository's config is the
/// user's own: its errors show the line they point at. A config that is a
/// symbolic link (to a `.env`, say) or read in CI echoes only the offending
/// token, whatever it is.
pub fn load_config_as(
    root: &Path,
    explicit: Option<&Path>,
    disabled: bool,
    own_repo: bool,
) -> Result<Config, RunError> {
    if disabled {
        return Ok(Config::default());
    }
    let users_own =
        |p: &Path| own_repo && !in_ci() && std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    match explicit {
        // A --config file inside the repository is the repository's (CI often
        // passes one); outside it, it is the user's own.
        Some(p) => {
            let repo = crate::fsread::inside(root, p).is_ok().then_some(root);
            Ok(Config::load_as(p, repo, users_own(p))?)
        }
        None => {
            let p = root.join(config::FILE_NAME);
            // symlink_metadata: a dangling link is still the repository's config.
            if std::fs::symlink_metadata(&p).is_ok() {
                Ok(Config::load_as(&p, Some(root), users_own(&p))?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// Running in CI (`CI` or `GITHUB_ACTIONS` set, not `false`): logs may be
/// public, so repository text stays out of error messages.
pub fn in_ci() -> bool {
    ["CI", "GITHUB_ACTIONS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false")))
}

/// Loads built-in rules, then config and command-line rule folders.
pub fn load_rules(cfg: &Config, dirs: &[PathBuf]) -> Result<RuleSet, RunError> {
    let mut set = RuleSet::builtin()?;
    // A repository's rule files get the same care as its config.
    for d in &cfg.rules_dirs {
        set.load_dir(d, cfg.is_confined())?;
    }
    for d in dirs {
        set.load_dir(d, false)?;
    }
    Ok(set)
}

/// `--max-file-size`, else the config's, else [`DEFAULT_MAX_FILE_SIZE`].
pub fn max_file_size(args: &CheckArgs, cfg: &Config) -> Result<u64, RunError> {
    match &args.max_file_size {
        Some(s) => config::parse_size(s).map_err(RunError::Usage),
        None => Ok(cfg.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)),
    }
}

/// The files never scanned: `--exclude` in place of the config's
/// `exclude:`, `--extend-exclude` on top of either (ruff's pair).
pub fn exclude_set(
    cfg: &Config,
    exclude: &[String],
    extend: &[String],
) -> Result<Option<globset::GlobSet>, RunError> {
    let base = if exclude.is_empty() {
        &cfg.exclude
    } else {
        exclude
    };
    if base.is_empty() && extend.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    // Each glob once (see `config::unique`).
    let globs: std::collections::BTreeSet<&str> =
        base.iter().chain(extend).map(|g| g.trim()).collect();
    for g in globs {
        let glob = globset::Glob::new(g)
            .map_err(|e| RunError::Usage(format!("bad exclude glob `{g}`: {e}")))?;
        b.add(glob);
    }
    b.build()
        .map(Some)
        .map_err(|e| RunError::Usage(format!("bad exclude globs: {e}")))
}
