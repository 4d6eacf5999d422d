//! Command-line definitions (clap derive) and nothing else. Validation into
//! settings happens in `crate::app::settings` and `crate::config`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "prisma1-lint", version, about = "Find every dependency on the retired Prisma 1 Cloud, and what to do about it", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process; boxing the big variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders and report Prisma 1 Cloud dependencies.
    Check(CheckArgs),
    /// List the rules (id, severity, title).
    Rules(RulesArgs),
    /// Inventory and migration plan for one repository or many.
    Audit(AuditArgs),
    /// Apply the mechanical fixes: safe ones by default, `--unsafe` for the rest.
    Fix(FixArgs),
    /// The schema work of the upgrade to Prisma ORM, from the repository alone:
    /// incompatibilities, the SQL that settles them, the Prisma schema.
    Upgrade(UpgradeArgs),
    /// Print a rule's full text: what it finds, why it breaks, how to fix it.
    Explain {
        /// A rule id, such as `cloud-endpoint`.
        rule: String,
        #[command(flatten)]
        rules: RuleSource,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleSource,
    /// Print as JSON (the same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// `text` (default) or `json`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<RulesFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args, Default)]
pub struct RuleSource {
    /// Also load the rule files (`*.yml`) of this folder. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    // One line per finding: `path:line:col: level[rule] message`.
    Concise,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

/// `--min-confidence`: the least confidence a judgement needs to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinConfidence {
    Low,
    Medium,
    High,
}

/// `--persona`: who reads the output (zizmor's personas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Persona {
    /// Findings a user acts on: judgements of `medium` confidence and above.
    Regular,
    /// Everything, `low`-confidence judgements included.
    Auditor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to scan (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: human].
    #[arg(long, visible_alias = "output-format", value_enum)]
    pub format: Option<Format>,
    /// Write the `--format` output to FILE instead of standard output.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// More outputs from the same scan: `FORMAT` (standard output) or `FORMAT=FILE`. Repeatable.
    #[arg(long = "output", value_name = "FORMAT[=FILE]")]
    pub outputs: Vec<String>,
    /// Exit with 1 when a finding is at or above this severity [default: warning, or
    /// `fail-on` in the config file].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit with 0 whatever is found (the same as `--fail-on never`).
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// Show judgements (such as `missing-management-secret`) of this
    /// confidence and above [default: medium, or `min-confidence` in the config
    /// file]; `low` shows every finding.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<MinConfidence>,
    /// `auditor` shows every finding (as `--min-confidence low`); `regular`
    /// is the default.
    #[arg(long, value_enum, conflicts_with = "min_confidence")]
    pub persona: Option<Persona>,
    /// Only run these rules: ids, id prefixes (`cloud`), tags or `ALL` (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not run these rules: ids, id prefixes (`prisma1-`) or tags (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Configuration file [default: `.prisma1-lint.yml` at the scan root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read `.prisma1-lint.yml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Also scan files that .gitignore and .ignore hide.
    #[arg(long)]
    pub no_ignore: bool,
    /// Globs of files never scanned, in place of the config's `exclude:`
    /// (comma-separated, repeatable).
    #[arg(long, value_delimiter = ',', value_name = "GLOB,...")]
    pub exclude: Vec<String>,
    /// Globs of files never scanned, on top of `exclude:` or `--exclude`.
    #[arg(long, value_delimiter = ',', value_name = "GLOB,...")]
    pub extend_exclude: Vec<String>,
    /// Skip files larger than this (bytes, or with KiB/MiB suffix) [default: 4MiB, or
    /// `max-file-size` in the config file].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Worker threads [default: the number of CPUs].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// The folder JSON and SARIF paths are relative to; cross-file facts and
    /// the config are read from it [default: the one folder given; else the
    /// current folder, or for a path outside it, its git repository].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Only report findings on lines changed since the merge base with REF (git).
    #[arg(long, value_name = "REF", conflicts_with = "diff")]
    pub diff_base: Option<String>,
    /// Only report findings on lines a unified diff adds or changes.
    #[arg(long, value_name = "FILE")]
    pub diff: Option<PathBuf>,
    /// Hide findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings as a baseline and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Remove the entries of `--baseline FILE` that no longer match anything.
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Print how many findings each rule has instead of the findings (human and concise).
    #[arg(long)]
    pub statistics: bool,
    /// Prefix for file links in Markdown output, such as
    /// `https://github.com/OWNER/REPO/blob/SHA/` [default: relative links].
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
    /// Keep suppressed findings in SARIF output, each with `suppressions`
    /// (GitHub code scanning ignores them and would open them as alerts).
    #[arg(long)]
    pub sarif_include_suppressed: bool,
    /// Category of the SARIF run (`automationDetails.id`), to keep two
    /// uploads for one commit apart; default: none, so the uploader decides.
    #[arg(long, value_name = "NAME")]
    pub sarif_category: Option<String>,
    /// Only print the findings (no header, no summary line).
    #[arg(short, long)]
    pub quiet: bool,
    /// Colors in human and concise output (`NO_COLOR`, `FORCE_COLOR` and
    /// `CLICOLOR_FORCE` are honoured with `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// No colors (the same as `--color never`).
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Markdown,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Repositories to audit (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Treat each PATH as a folder of repositories: audit every folder inside it.
    #[arg(long)]
    pub each_subdir: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Combine audit JSON files (`--format json` of separate runs, given as
    /// the PATHs, in order) into one report instead of scanning.
    #[arg(long, conflicts_with = "each_subdir")]
    pub merge: bool,
    /// Exit with 1 when any repository has findings at or above this severity (default: always 0).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Only run these rules: ids, id prefixes, tags or `ALL` (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not run these rules: ids, id prefixes or tags (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// One configuration file for every repository [default: each
    /// repository's own `.prisma1-lint.yml`].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read each repository's `.prisma1-lint.yml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Skip files larger than this (bytes, or with KiB/MiB suffix) [default: 4MiB, or
    /// `max-file-size` in the config file].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// No progress bar and no confirmation of the file written.
    #[arg(short, long)]
    pub quiet: bool,
    /// Colors on standard error (the report formats have none).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Also scan files that .gitignore and .ignore hide.
    #[arg(long)]
    pub no_ignore: bool,
    /// Worker threads (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Files and folders to fix (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also apply unsafe fixes: those that need something done outside the
    /// repository (a secret to create); the summary says what.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing (exit 1 when
    /// there is something to fix).
    #[arg(long)]
    pub diff: bool,
    /// Point every copy of the Prisma 1 Cloud endpoint OLD at your server NEW
    /// (prisma.yml, .graphqlconfig, env files, CI, code, generated clients). Repeatable.
    #[arg(long, value_name = "OLD=NEW")]
    pub replace_endpoint: Vec<String>,
    /// Only fix findings of these rules: ids, id prefixes, tags or `ALL` (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not fix findings of these rules: ids, id prefixes or tags (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Configuration file (default: `.prisma1-lint.yml` at the scan root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read `.prisma1-lint.yml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Also scan files that .gitignore and .ignore hide.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this (bytes, or with KiB/MiB suffix) [default: 4MiB, or
    /// `max-file-size` in the config file].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Only print what was fixed and errors (no list of what remains).
    #[arg(short, long)]
    pub quiet: bool,
    /// Colors in the summary.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Worker threads (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpgradeFormat {
    /// Findings and a summary per service.
    Human,
    /// Services, incompatibilities, tables, SQL and findings.
    Json,
    /// The SQL for every service, in an order that runs.
    Sql,
    /// The Prisma ORM schema of every service once the SQL has run.
    Prisma,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Database {
    Postgres,
    Mysql,
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// The repository (default: the current folder).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = UpgradeFormat::Human)]
    pub format: UpgradeFormat,
    /// The database the services run on, when the repository does not say
    /// (or to override what it says).
    #[arg(long, value_enum)]
    pub database: Option<Database>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Do not read `.prisma1-lint.yml`.
    #[arg(long)]
    pub no_config: bool,
    /// Also scan files that .gitignore and .ignore hide.
    #[arg(long)]
    pub no_ignore: bool,
    /// Worker threads [default: the number of CPUs].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Colors in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}
