//! The command line: its definitions and nothing else. Validation into
//! settings happens in `crate::app::settings` and `crate::config`.
//!
//! Read with `lexopt` rather than a derive-based parser, as ripgrep does: a
//! derive parser and its help formatter were about 11 CPU-seconds of every
//! cold build, more than the rest of the command line costs at run time.
//! The options are data (`spec.rs`) that the parser (`parse.rs`) and the
//! help (`help.rs`) both read, so what `--help` lists is what parses; the
//! parsed structs (`args.rs`) and the value lists (`values.rs`) are what the
//! commands see.

mod args;
mod help;
mod parse;
mod spec;
mod values;

pub use args::{AuditArgs, CheckArgs, Cli, Command, FixArgs, RuleSource, RulesArgs, UpgradeArgs};
pub use parse::Stop;
pub use spec::{Cmd, Opt, Positional, COMMANDS};
pub use values::{
    AuditFormat, Color, Database, FailOn, Format, MinConfidence, Persona, RulesFormat,
    UpgradeFormat, ValueEnum,
};

impl Cli {
    /// Parses `args` (the program's name first). `terminal_width` is the
    /// width of the terminal standard output is (`None` when it is not one),
    /// for wrapping `--help`.
    pub fn try_parse_from<I, T>(args: I, terminal_width: Option<usize>) -> Result<Cli, Stop>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString>,
    {
        parse::cli(args, help::width(terminal_width))
    }
}
