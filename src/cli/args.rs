//! What the command line parses into: one struct per command, read by the
//! commands. The options' names, help and rules are in `spec.rs`; each
//! field says which option fills it.

use super::values::{
    AuditFormat, Color, Database, FailOn, Format, MinConfidence, Persona, RulesFormat,
    UpgradeFormat,
};
use std::path::PathBuf;

/// The whole command line.
#[derive(Debug, PartialEq)]
pub struct Cli {
    pub command: Command,
}

// Parsed once per process; boxing the big variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum Command {
    Check(CheckArgs),
    Rules(RulesArgs),
    Audit(AuditArgs),
    Fix(FixArgs),
    Upgrade(UpgradeArgs),
    Explain {
        /// RULE
        rule: String,
        rules: RuleSource,
    },
}

/// `--rules DIR`, on every command.
#[derive(Debug, Default, PartialEq)]
pub struct RuleSource {
    /// `--rules` (repeatable)
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Default, PartialEq)]
pub struct RulesArgs {
    pub rules: RuleSource,
    /// `--json`
    pub json: bool,
    /// `--format`
    pub format: Option<RulesFormat>,
}

#[derive(Debug, Default, PartialEq)]
pub struct CheckArgs {
    /// PATH...
    pub paths: Vec<PathBuf>,
    /// `--format`, `--output-format`
    pub format: Option<Format>,
    /// `-o`, `--output-file`
    pub output_file: Option<PathBuf>,
    /// `--output FORMAT[=FILE]` (repeatable)
    pub outputs: Vec<String>,
    /// `--fail-on`
    pub fail_on: Option<FailOn>,
    /// `--exit-zero`
    pub exit_zero: bool,
    /// `--min-confidence`
    pub min_confidence: Option<MinConfidence>,
    /// `--persona`
    pub persona: Option<Persona>,
    /// `--select` (comma-separated, repeatable)
    pub select: Vec<String>,
    /// `--ignore` (comma-separated, repeatable)
    pub ignore: Vec<String>,
    pub rules: RuleSource,
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--no-config`
    pub no_config: bool,
    /// `--no-ignore`
    pub no_ignore: bool,
    /// `--exclude` (comma-separated, repeatable)
    pub exclude: Vec<String>,
    /// `--extend-exclude` (comma-separated, repeatable)
    pub extend_exclude: Vec<String>,
    /// `--max-file-size`
    pub max_file_size: Option<String>,
    /// `-j`, `--threads`
    pub threads: Option<usize>,
    /// `--root`
    pub root: Option<PathBuf>,
    /// `--diff-base`
    pub diff_base: Option<String>,
    /// `--diff`
    pub diff: Option<PathBuf>,
    /// `--baseline`
    pub baseline: Option<PathBuf>,
    /// `--write-baseline`
    pub write_baseline: Option<PathBuf>,
    /// `--update-baseline`
    pub update_baseline: bool,
    /// `--statistics`
    pub statistics: bool,
    /// `--link-base`
    pub link_base: Option<String>,
    /// `--sarif-include-suppressed`
    pub sarif_include_suppressed: bool,
    /// `--sarif-category`
    pub sarif_category: Option<String>,
    /// `-q`, `--quiet`
    pub quiet: bool,
    /// `--color`
    pub color: Color,
    /// `--no-color`
    pub no_color: bool,
}

#[derive(Debug, Default, PartialEq)]
pub struct AuditArgs {
    /// PATH...
    pub paths: Vec<PathBuf>,
    /// `--each-subdir`
    pub each_subdir: bool,
    /// `--format`
    pub format: AuditFormat,
    /// `-o`, `--output`
    pub output: Option<PathBuf>,
    /// `--merge`
    pub merge: bool,
    /// `--fail-on`
    pub fail_on: Option<FailOn>,
    /// `--select` (comma-separated, repeatable)
    pub select: Vec<String>,
    /// `--ignore` (comma-separated, repeatable)
    pub ignore: Vec<String>,
    pub rules: RuleSource,
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--no-config`
    pub no_config: bool,
    /// `--max-file-size`
    pub max_file_size: Option<String>,
    /// `-q`, `--quiet`
    pub quiet: bool,
    /// `--color`
    pub color: Color,
    /// `--no-ignore`
    pub no_ignore: bool,
    /// `-j`, `--threads`
    pub threads: Option<usize>,
}

#[derive(Debug, Default, PartialEq)]
pub struct FixArgs {
    /// PATH...
    pub paths: Vec<PathBuf>,
    /// `--unsafe`
    pub unsafe_fixes: bool,
    /// `--diff`
    pub diff: bool,
    /// `--replace-endpoint OLD=NEW` (repeatable)
    pub replace_endpoint: Vec<String>,
    /// `--select` (comma-separated, repeatable)
    pub select: Vec<String>,
    /// `--ignore` (comma-separated, repeatable)
    pub ignore: Vec<String>,
    pub rules: RuleSource,
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--no-config`
    pub no_config: bool,
    /// `--no-ignore`
    pub no_ignore: bool,
    /// `--max-file-size`
    pub max_file_size: Option<String>,
    /// `-q`, `--quiet`
    pub quiet: bool,
    /// `--color`
    pub color: Color,
    /// `-j`, `--threads`
    pub threads: Option<usize>,
}

#[derive(Debug, Default, PartialEq)]
pub struct UpgradeArgs {
    /// PATH
    pub path: Option<PathBuf>,
    /// `--format`
    pub format: UpgradeFormat,
    /// `--database`
    pub database: Option<Database>,
    pub rules: RuleSource,
    /// `--no-config`
    pub no_config: bool,
    /// `--no-ignore`
    pub no_ignore: bool,
    /// `-j`, `--threads`
    pub threads: Option<usize>,
    /// `--color`
    pub color: Color,
}
