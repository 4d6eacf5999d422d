//! The command line read with `lexopt` against the tables of `spec.rs`:
//! `--flag value`, `--flag=value`, `-j4`, `-j 4`, `-qj4`, aliases,
//! comma-separated lists, repeatable options, `--` before paths that start
//! with a dash, and paths that are not UTF-8. Each option may be given once
//! unless it is repeatable; conflicts and requirements are checked once
//! everything is read. A usage error is a `Stop` with exit code 2 that names
//! the option; `--help` and `--version` are a `Stop` with exit code 0.

use super::args::{
    AuditArgs, CheckArgs, Cli, Command, FixArgs, RuleSource, RulesArgs, UpgradeArgs,
};
use super::help;
use super::spec::{self, Cmd, Opt, BIN, COMMANDS};
use super::values::ValueEnum;
use lexopt::Arg;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// Why parsing ended without a command to run: help or version to print
/// (exit 0), or a usage error (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// What to print, ending in a newline.
    pub text: String,
    /// 0 (print on standard output) or 2 (a usage error, on standard error).
    pub code: u8,
}

impl Stop {
    fn print(text: String) -> Stop {
        Stop { text, code: 0 }
    }

    /// A usage error: `message`, then indented `details`, the usage line
    /// and where to read more.
    fn usage(cmd: Option<&Cmd>, message: &str, details: &[String]) -> Stop {
        let mut text = format!("error: {message}\n");
        for d in details {
            text.push_str(&format!("  {d}\n"));
        }
        let (usage, help) = match cmd {
            Some(c) => (c.usage(), format!("{BIN} {} --help", c.name)),
            None => (format!("{BIN} <COMMAND>"), format!("{BIN} --help")),
        };
        text.push_str(&format!(
            "\nUsage: {usage}\n\nFor more information, try '{help}'.\n"
        ));
        Stop { text, code: 2 }
    }

    pub fn is_error(&self) -> bool {
        self.code != 0
    }

    /// Prints the text where it belongs (help on standard output, an
    /// error on standard error) and gives the exit code.
    pub fn finish(&self) -> std::process::ExitCode {
        use std::io::Write;
        // `--help | head` closing the pipe is not an error worth a panic.
        let _ = if self.is_error() {
            std::io::stderr().lock().write_all(self.text.as_bytes())
        } else {
            std::io::stdout().lock().write_all(self.text.as_bytes())
        };
        std::process::ExitCode::from(self.code)
    }
}

/// One option as given, with its value (empty for a switch).
struct Value {
    opt: &'static Opt,
    raw: OsString,
    cmd: &'static Cmd,
}

impl Value {
    fn invalid(&self, why: &str) -> Stop {
        let shown = self.raw.to_string_lossy();
        let message = if why.is_empty() {
            format!("invalid value '{shown}' for '{}'", self.opt.display())
        } else {
            format!(
                "invalid value '{shown}' for '{}': {why}",
                self.opt.display()
            )
        };
        let details = if self.opt.values.is_empty() {
            Vec::new()
        } else {
            let names: Vec<&str> = self.opt.values.iter().map(|(n, _)| *n).collect();
            vec![format!("[possible values: {}]", names.join(", "))]
        };
        Stop::usage(Some(self.cmd), &message, &details)
    }

    /// A value that must not be empty: a file or folder.
    fn path(&self) -> Result<PathBuf, Stop> {
        if self.raw.is_empty() {
            return Err(missing(self.cmd, self.opt));
        }
        Ok(PathBuf::from(&self.raw))
    }

    fn string(&self) -> Result<String, Stop> {
        self.raw
            .to_str()
            .map(str::to_string)
            .ok_or_else(|| self.invalid("not valid UTF-8"))
    }

    /// `a,b` and `a`: each comma-separated part.
    fn list(&self) -> Result<Vec<String>, Stop> {
        let s = self.string()?;
        if self.opt.comma {
            Ok(s.split(',').map(str::to_string).collect())
        } else {
            Ok(vec![s])
        }
    }

    fn choice<T: ValueEnum>(&self) -> Result<T, Stop> {
        let s = self.raw.to_str().ok_or_else(|| self.invalid(""))?;
        T::from_str(s, false).map_err(|_| self.invalid(""))
    }

    fn number(&self) -> Result<usize, Stop> {
        let s = self
            .raw
            .to_str()
            .ok_or_else(|| self.invalid("not a number"))?;
        s.parse()
            .map_err(|e: std::num::ParseIntError| self.invalid(&e.to_string()))
    }

    /// An option the table lists that this command does not store: a bug
    /// the every-option test catches.
    fn unhandled(&self) -> Stop {
        Stop::usage(
            Some(self.cmd),
            &format!("'--{}' is not handled (a bug)", self.opt.long),
            &[],
        )
    }
}

fn missing(cmd: &Cmd, opt: &Opt) -> Stop {
    let details = if opt.values.is_empty() {
        Vec::new()
    } else {
        let names: Vec<&str> = opt.values.iter().map(|(n, _)| *n).collect();
        vec![format!("[possible values: {}]", names.join(", "))]
    };
    Stop::usage(
        Some(cmd),
        &format!(
            "a value is required for '{}' but none was supplied",
            opt.display()
        ),
        &details,
    )
}

/// A command's arguments, filled option by option.
trait Parse: Default {
    const CMD: &'static Cmd;
    /// Stores one option (`v.opt` is one of `CMD.options`).
    fn set(&mut self, v: &Value) -> Result<(), Stop>;
    /// Stores one positional argument (the table says how many).
    fn positional(&mut self, value: OsString) -> Result<(), Stop>;
}

/// Whether a word after an option is another option rather than its value
/// (`--config --no-config` lacks a value); `-` alone is a value.
fn looks_like_option(arg: &OsStr) -> bool {
    let bytes = arg.as_encoded_bytes();
    bytes.len() > 1 && bytes[0] == b'-'
}

/// The value of `opt`: attached (`--opt=v`, `-jv`, `-j=v`) or the next word.
fn take_value(p: &mut lexopt::Parser, cmd: &Cmd, opt: &Opt) -> Result<OsString, Stop> {
    if let Some(v) = p.optional_value() {
        return Ok(v);
    }
    p.try_raw_args()
        .and_then(|mut raw| raw.next_if(|a| !looks_like_option(a)))
        .ok_or_else(|| missing(cmd, opt))
}

fn unknown(cmd: &Cmd, arg: &str) -> Stop {
    let names = cmd
        .options
        .iter()
        .flat_map(|o| std::iter::once(o.long).chain(o.alias))
        .chain(["help"]);
    if arg == "--version" || arg == "-V" {
        let tip =
            format!("tip: the version is the program's, before any command: '{BIN} --version'");
        return Stop::usage(
            Some(cmd),
            &format!("unexpected argument '{arg}' found"),
            &[tip],
        );
    }
    let tip = arg
        .strip_prefix("--")
        .and_then(|name| crate::suggest::suggest(name, names))
        .map(|s| format!("tip: a similar option exists: '--{s}'"))
        .unwrap_or_else(|| format!("tip: to pass '{arg}' as a value, use '-- {arg}'"));
    Stop::usage(
        Some(cmd),
        &format!("unexpected argument '{arg}' found"),
        &[tip],
    )
}

fn lexopt_error(cmd: Option<&Cmd>, e: lexopt::Error) -> Stop {
    match e {
        lexopt::Error::UnexpectedValue { option, value } => Stop::usage(
            cmd,
            &format!(
                "unexpected value '{}' for '{option}' found; it takes none",
                value.to_string_lossy()
            ),
            &[],
        ),
        other => Stop::usage(cmd, &other.to_string(), &[]),
    }
}

/// Reads one command's options and arguments up to the end of the line.
fn command<A: Parse>(p: &mut lexopt::Parser, width: usize) -> Result<A, Stop> {
    let cmd = A::CMD;
    let mut args = A::default();
    let mut seen: Vec<&'static Opt> = Vec::new();
    let mut positionals = 0usize;
    while let Some(arg) = p.next().map_err(|e| lexopt_error(Some(cmd), e))? {
        let opt = match arg {
            Arg::Short('h') | Arg::Long("help") => {
                return Err(Stop::print(help::command(cmd, width)))
            }
            Arg::Short(c) => cmd
                .options
                .iter()
                .find(|o| o.short == Some(c))
                .ok_or_else(|| unknown(cmd, &format!("-{c}")))?,
            Arg::Long(name) => cmd
                .option(name)
                .ok_or_else(|| unknown(cmd, &format!("--{name}")))?,
            Arg::Value(v) => {
                let room = cmd
                    .positional
                    .as_ref()
                    .map_or(0, |p| if p.many { usize::MAX } else { 1 });
                if positionals >= room {
                    let shown = v.to_string_lossy();
                    return Err(Stop::usage(
                        Some(cmd),
                        &format!("unexpected argument '{shown}' found"),
                        &[],
                    ));
                }
                positionals += 1;
                args.positional(v)?;
                continue;
            }
        };
        if !opt.repeat && seen.contains(&opt) {
            return Err(Stop::usage(
                Some(cmd),
                &format!(
                    "the argument '{}' cannot be used multiple times",
                    opt.display()
                ),
                &[],
            ));
        }
        seen.push(opt);
        let raw = match opt.value {
            Some(_) => take_value(p, cmd, opt)?,
            None => OsString::new(),
        };
        args.set(&Value { opt, raw, cmd })?;
    }
    if let Some(pos) = &cmd.positional {
        if pos.required && positionals == 0 {
            return Err(Stop::usage(
                Some(cmd),
                "the following required arguments were not provided:",
                &[pos.display()],
            ));
        }
    }
    rules(cmd, &seen)?;
    Ok(args)
}

/// `conflicts` and `requires` of the options given, in the order given.
fn rules(cmd: &Cmd, seen: &[&'static Opt]) -> Result<(), Stop> {
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            if a.conflicts.contains(&b.long) || b.conflicts.contains(&a.long) {
                return Err(Stop::usage(
                    Some(cmd),
                    &format!(
                        "the argument '{}' cannot be used with '{}'",
                        a.display(),
                        b.display()
                    ),
                    &[],
                ));
            }
        }
        for needed in a.requires {
            if !seen.iter().any(|o| o.long == *needed) {
                let shown = cmd
                    .option(needed)
                    .map_or(format!("--{needed}"), |o| o.display());
                return Err(Stop::usage(
                    Some(cmd),
                    &format!("the argument '{}' requires '{shown}'", a.display()),
                    &[],
                ));
            }
        }
    }
    Ok(())
}

/// The whole command line (`args` starts with the program's name).
pub fn cli<I, T>(args: I, width: usize) -> Result<Cli, Stop>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut p = lexopt::Parser::from_iter(args);
    // The first word: the program's own options, or the command.
    let name = match p.next().map_err(|e| lexopt_error(None, e))? {
        None => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            return Err(Stop::usage(
                None,
                "a command is required",
                &[format!("the commands are {}", names.join(", "))],
            ));
        }
        Some(Arg::Short('h') | Arg::Long("help")) => return Err(Stop::print(help::top(width))),
        Some(Arg::Short('V') | Arg::Long("version")) => {
            return Err(Stop::print(format!(
                "{BIN} {}\n",
                env!("CARGO_PKG_VERSION")
            )))
        }
        Some(Arg::Value(v)) => v,
        Some(Arg::Short(c)) => return Err(top_unknown(&format!("-{c}"))),
        Some(Arg::Long(l)) => return Err(top_unknown(&format!("--{l}"))),
    };
    let command = match name.to_str().unwrap_or("") {
        "check" => Command::Check(command::<CheckArgs>(&mut p, width)?),
        "rules" => Command::Rules(command::<RulesArgs>(&mut p, width)?),
        "audit" => Command::Audit(command::<AuditArgs>(&mut p, width)?),
        "fix" => Command::Fix(command::<FixArgs>(&mut p, width)?),
        "upgrade" => Command::Upgrade(command::<UpgradeArgs>(&mut p, width)?),
        "explain" => {
            let a = command::<ExplainArgs>(&mut p, width)?;
            Command::Explain {
                rule: a.rule,
                rules: a.rules,
            }
        }
        "help" => return Err(help_command(&mut p, width)),
        _ => return Err(unknown_command(&name.to_string_lossy())),
    };
    Ok(Cli { command })
}

fn top_unknown(arg: &str) -> Stop {
    Stop::usage(None, &format!("unexpected argument '{arg}' found"), &[])
}

fn unknown_command(name: &str) -> Stop {
    let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    let tip = match crate::suggest::suggest(name, names.iter().copied()) {
        Some(s) => format!("tip: a similar command exists: '{s}'"),
        None => format!("the commands are {}", names.join(", ")),
    };
    Stop::usage(None, &format!("unrecognized subcommand '{name}'"), &[tip])
}

/// `prisma1-lint help [COMMAND]`.
fn help_command(p: &mut lexopt::Parser, width: usize) -> Stop {
    match p.next() {
        Ok(None) => Stop::print(help::top(width)),
        Ok(Some(Arg::Value(v))) => {
            let name = v.to_string_lossy();
            match COMMANDS.iter().find(|c| c.name == name) {
                Some(c) => Stop::print(help::command(c, width)),
                None if name == "help" => Stop::print(help::top(width)),
                None => unknown_command(&name),
            }
        }
        Ok(Some(Arg::Short(c))) => top_unknown(&format!("-{c}")),
        Ok(Some(Arg::Long(l))) => top_unknown(&format!("--{l}")),
        Err(e) => lexopt_error(None, e),
    }
}

fn push_list(to: &mut Vec<String>, v: &Value) -> Result<(), Stop> {
    to.extend(v.list()?);
    Ok(())
}

impl Parse for CheckArgs {
    const CMD: &'static Cmd = &spec::CHECK;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "format" => self.format = Some(v.choice()?),
            "output-file" => self.output_file = Some(v.path()?),
            "output" => self.outputs.push(v.string()?),
            "fail-on" => self.fail_on = Some(v.choice()?),
            "exit-zero" => self.exit_zero = true,
            "min-confidence" => self.min_confidence = Some(v.choice()?),
            "persona" => self.persona = Some(v.choice()?),
            "select" => push_list(&mut self.select, v)?,
            "ignore" => push_list(&mut self.ignore, v)?,
            "rules" => self.rules.rule_dirs.push(v.path()?),
            "config" => self.config = Some(v.path()?),
            "no-config" => self.no_config = true,
            "no-ignore" => self.no_ignore = true,
            "exclude" => push_list(&mut self.exclude, v)?,
            "extend-exclude" => push_list(&mut self.extend_exclude, v)?,
            "max-file-size" => self.max_file_size = Some(v.string()?),
            "threads" => self.threads = Some(v.number()?),
            "root" => self.root = Some(v.path()?),
            "diff-base" => self.diff_base = Some(v.string()?),
            "diff" => self.diff = Some(v.path()?),
            "baseline" => self.baseline = Some(v.path()?),
            "write-baseline" => self.write_baseline = Some(v.path()?),
            "update-baseline" => self.update_baseline = true,
            "statistics" => self.statistics = true,
            "link-base" => self.link_base = Some(v.string()?),
            "sarif-include-suppressed" => self.sarif_include_suppressed = true,
            "sarif-category" => self.sarif_category = Some(v.string()?),
            "quiet" => self.quiet = true,
            "color" => self.color = v.choice()?,
            "no-color" => self.no_color = true,
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, value: OsString) -> Result<(), Stop> {
        self.paths.push(value.into());
        Ok(())
    }
}

impl Parse for AuditArgs {
    const CMD: &'static Cmd = &spec::AUDIT;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "each-subdir" => self.each_subdir = true,
            "format" => self.format = v.choice()?,
            "output" => self.output = Some(v.path()?),
            "merge" => self.merge = true,
            "fail-on" => self.fail_on = Some(v.choice()?),
            "select" => push_list(&mut self.select, v)?,
            "ignore" => push_list(&mut self.ignore, v)?,
            "rules" => self.rules.rule_dirs.push(v.path()?),
            "config" => self.config = Some(v.path()?),
            "no-config" => self.no_config = true,
            "max-file-size" => self.max_file_size = Some(v.string()?),
            "quiet" => self.quiet = true,
            "color" => self.color = v.choice()?,
            "no-ignore" => self.no_ignore = true,
            "threads" => self.threads = Some(v.number()?),
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, value: OsString) -> Result<(), Stop> {
        self.paths.push(value.into());
        Ok(())
    }
}

impl Parse for FixArgs {
    const CMD: &'static Cmd = &spec::FIX;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "unsafe" => self.unsafe_fixes = true,
            "diff" => self.diff = true,
            "replace-endpoint" => self.replace_endpoint.push(v.string()?),
            "select" => push_list(&mut self.select, v)?,
            "ignore" => push_list(&mut self.ignore, v)?,
            "rules" => self.rules.rule_dirs.push(v.path()?),
            "config" => self.config = Some(v.path()?),
            "no-config" => self.no_config = true,
            "no-ignore" => self.no_ignore = true,
            "max-file-size" => self.max_file_size = Some(v.string()?),
            "quiet" => self.quiet = true,
            "color" => self.color = v.choice()?,
            "threads" => self.threads = Some(v.number()?),
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, value: OsString) -> Result<(), Stop> {
        self.paths.push(value.into());
        Ok(())
    }
}

impl Parse for UpgradeArgs {
    const CMD: &'static Cmd = &spec::UPGRADE;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "format" => self.format = v.choice()?,
            "database" => self.database = Some(v.choice()?),
            "rules" => self.rules.rule_dirs.push(v.path()?),
            "no-config" => self.no_config = true,
            "no-ignore" => self.no_ignore = true,
            "threads" => self.threads = Some(v.number()?),
            "color" => self.color = v.choice()?,
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, value: OsString) -> Result<(), Stop> {
        self.path = Some(value.into());
        Ok(())
    }
}

impl Parse for RulesArgs {
    const CMD: &'static Cmd = &spec::RULES;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "rules" => self.rules.rule_dirs.push(v.path()?),
            "json" => self.json = true,
            "format" => self.format = Some(v.choice()?),
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, _: OsString) -> Result<(), Stop> {
        Ok(())
    }
}

/// `explain`'s arguments before they become `Command::Explain`.
#[derive(Default)]
struct ExplainArgs {
    rule: String,
    rules: RuleSource,
}

impl Parse for ExplainArgs {
    const CMD: &'static Cmd = &spec::EXPLAIN;
    fn set(&mut self, v: &Value) -> Result<(), Stop> {
        match v.opt.long {
            "rules" => self.rules.rule_dirs.push(v.path()?),
            _ => return Err(v.unhandled()),
        }
        Ok(())
    }
    fn positional(&mut self, value: OsString) -> Result<(), Stop> {
        self.rule = value.into_string().map_err(|v| {
            Stop::usage(
                Some(Self::CMD),
                &format!(
                    "invalid value '{}' for '<RULE>': not valid UTF-8",
                    v.to_string_lossy()
                ),
                &[],
            )
        })?;
        Ok(())
    }
}
