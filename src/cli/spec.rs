//! Every command and option of the command line, as data: name, short
//! form, alias, value name, accepted values, default, help text, and the
//! options it conflicts with or requires. The parser (`parse.rs`) and the
//! help (`help.rs`) both read these tables, so `--help` lists exactly what
//! the parser accepts, and the tests walk them to try every option.

use super::values::{
    AuditFormat, Color, Database, FailOn, Format, MinConfidence, Persona, RulesFormat,
    UpgradeFormat, ValueEnum,
};

/// The program's name in usage lines and messages (not `argv[0]`, which
/// the npm and PyPI launchers change).
pub const BIN: &str = "prisma1-lint";

/// One option of a command.
#[derive(Debug, PartialEq, Eq)]
pub struct Opt {
    /// Without the dashes: `format` for `--format`.
    pub long: &'static str,
    pub short: Option<char>,
    /// Another long name for the same option (`output-format`).
    pub alias: Option<&'static str>,
    /// The value's name in help (`FILE`); `None` for a switch.
    pub value: Option<&'static str>,
    /// The accepted values and their help, for a fixed list.
    pub values: &'static [(&'static str, &'static str)],
    /// The default the help shows as `[default: ...]` (only where the
    /// parsed field has that value when the option is absent).
    pub default: Option<&'static str>,
    /// May be given more than once (the values add up).
    pub repeat: bool,
    /// `a,b` is two values.
    pub comma: bool,
    pub help: &'static str,
    /// Long names of the options this one cannot be given with.
    pub conflicts: &'static [&'static str],
    /// Long names of the options this one needs.
    pub requires: &'static [&'static str],
}

impl Opt {
    const fn new(long: &'static str, value: Option<&'static str>, help: &'static str) -> Opt {
        Opt {
            long,
            short: None,
            alias: None,
            value,
            values: &[],
            default: None,
            repeat: false,
            comma: false,
            help,
            conflicts: &[],
            requires: &[],
        }
    }
    /// An option without a value: `--quiet`.
    const fn switch(long: &'static str, help: &'static str) -> Opt {
        Opt::new(long, None, help)
    }
    /// An option with a value: `--config FILE`.
    const fn with(long: &'static str, value: &'static str, help: &'static str) -> Opt {
        Opt::new(long, Some(value), help)
    }
    /// An option whose value is one of `T`'s.
    const fn choice<T: ValueEnum>(
        long: &'static str,
        value: &'static str,
        help: &'static str,
    ) -> Opt {
        Opt {
            values: T::NAMES,
            ..Opt::new(long, Some(value), help)
        }
    }
    const fn short(self, c: char) -> Opt {
        Opt {
            short: Some(c),
            ..self
        }
    }
    const fn alias(self, a: &'static str) -> Opt {
        Opt {
            alias: Some(a),
            ..self
        }
    }
    const fn default(self, d: &'static str) -> Opt {
        Opt {
            default: Some(d),
            ..self
        }
    }
    const fn repeat(self) -> Opt {
        Opt {
            repeat: true,
            ..self
        }
    }
    /// Comma-separated and repeatable: `--select a,b --select c`.
    const fn list(self) -> Opt {
        Opt {
            repeat: true,
            comma: true,
            ..self
        }
    }
    const fn conflicts(self, with: &'static [&'static str]) -> Opt {
        Opt {
            conflicts: with,
            ..self
        }
    }
    const fn requires(self, what: &'static [&'static str]) -> Opt {
        Opt {
            requires: what,
            ..self
        }
    }

    /// How messages name it: `--format <FORMAT>`, `--quiet`.
    pub fn display(&self) -> String {
        match self.value {
            Some(v) => format!("--{} <{v}>", self.long),
            None => format!("--{}", self.long),
        }
    }

    /// Whether `--name` is this option (its long name or alias).
    pub fn is_long(&self, name: &str) -> bool {
        self.long == name || self.alias == Some(name)
    }
}

/// The positional arguments of a command.
#[derive(Debug)]
pub struct Positional {
    pub name: &'static str,
    pub help: &'static str,
    /// Any number of them (`[PATH]...`); else at most one.
    pub many: bool,
    pub required: bool,
}

impl Positional {
    /// `[PATH]...`, `<RULE>`.
    pub fn display(&self) -> String {
        let name = if self.required {
            format!("<{}>", self.name)
        } else {
            format!("[{}]", self.name)
        };
        if self.many {
            format!("{name}...")
        } else {
            name
        }
    }
}

/// One command: `check`, `audit`, ...
#[derive(Debug)]
pub struct Cmd {
    pub name: &'static str,
    pub about: &'static str,
    pub positional: Option<Positional>,
    pub options: &'static [Opt],
}

impl Cmd {
    /// `prisma1-lint check [OPTIONS] [PATH]...`
    pub fn usage(&self) -> String {
        let mut u = format!("{BIN} {}", self.name);
        if !self.options.is_empty() {
            u.push_str(" [OPTIONS]");
        }
        if let Some(p) = &self.positional {
            u.push(' ');
            u.push_str(&p.display());
        }
        u
    }

    pub fn option(&self, long: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.is_long(long))
    }
}

/// The program's one-line description.
pub const ABOUT: &str =
    "Find every dependency on the retired Prisma 1 Cloud, and what to do about it";

/// Every command, in the order `--help` lists them.
pub const COMMANDS: &[&Cmd] = &[&CHECK, &RULES, &AUDIT, &FIX, &UPGRADE, &EXPLAIN];

// Options several commands share, word for word.
const RULES_DIR: Opt = Opt::with(
    "rules",
    "DIR",
    "Also load the rule files (`*.yml`) of this folder. Repeatable",
)
.repeat();
const NO_IGNORE: Opt = Opt::switch(
    "no-ignore",
    "Also scan files that .gitignore and .ignore hide",
);
const NO_CONFIG: Opt = Opt::switch("no-config", "Do not read `.prisma1-lint.yml`");
const MAX_FILE_SIZE: Opt = Opt::with(
    "max-file-size",
    "SIZE",
    "Skip files larger than this (bytes, or with KiB/MiB suffix) [default: 4MiB, or \
     `max-file-size` in the config file]",
);
const THREADS: Opt = Opt::with(
    "threads",
    "N",
    "Worker threads [default: the number of CPUs]",
)
.short('j');
const THREADS_PAREN: Opt = Opt::with(
    "threads",
    "N",
    "Worker threads (default: the number of CPUs)",
)
.short('j');

pub const CHECK: Cmd = Cmd {
    name: "check",
    about: "Scan files and folders and report Prisma 1 Cloud dependencies",
    positional: Some(Positional {
        name: "PATH",
        help: "Files and folders to scan (default: the current folder)",
        many: true,
        required: false,
    }),
    options: &[
        Opt::choice::<Format>("format", "FORMAT", "Output format [default: human]").alias("output-format"),
        Opt::with("output-file", "FILE", "Write the `--format` output to FILE instead of standard output").short('o'),
        Opt::with(
            "output",
            "FORMAT[=FILE]",
            "More outputs from the same scan: `FORMAT` (standard output) or `FORMAT=FILE`. Repeatable",
        )
        .repeat(),
        Opt::choice::<FailOn>(
            "fail-on",
            "FAIL_ON",
            "Exit with 1 when a finding is at or above this severity [default: warning, or `fail-on` \
             in the config file]",
        ),
        Opt::switch("exit-zero", "Exit with 0 whatever is found (the same as `--fail-on never`)")
            .conflicts(&["fail-on"]),
        Opt::choice::<MinConfidence>(
            "min-confidence",
            "LEVEL",
            "Show judgements (such as `missing-management-secret`) of this confidence and above \
             [default: medium, or `min-confidence` in the config file]; `low` shows every finding",
        ),
        Opt::choice::<Persona>(
            "persona",
            "PERSONA",
            "`auditor` shows every finding (as `--min-confidence low`); `regular` is the default",
        )
        .conflicts(&["min-confidence"]),
        Opt::with(
            "select",
            "RULE,...",
            "Only run these rules: ids, id prefixes (`cloud`), tags or `ALL` (comma-separated)",
        )
        .list(),
        Opt::with(
            "ignore",
            "RULE,...",
            "Do not run these rules: ids, id prefixes (`prisma1-`) or tags (comma-separated)",
        )
        .list(),
        RULES_DIR,
        Opt::with("config", "FILE", "Configuration file [default: `.prisma1-lint.yml` at the scan root]"),
        NO_CONFIG.conflicts(&["config"]),
        NO_IGNORE,
        Opt::with(
            "exclude",
            "GLOB,...",
            "Globs of files never scanned, in place of the config's `exclude:` (comma-separated, \
             repeatable)",
        )
        .list(),
        Opt::with(
            "extend-exclude",
            "GLOB,...",
            "Globs of files never scanned, on top of `exclude:` or `--exclude`",
        )
        .list(),
        MAX_FILE_SIZE,
        THREADS,
        Opt::with(
            "root",
            "DIR",
            "The folder JSON and SARIF paths are relative to; cross-file facts and the config are \
             read from it [default: the one folder given; else the current folder, or for a path \
             outside it, its git repository]",
        ),
        Opt::with(
            "diff-base",
            "REF",
            "Only report findings on lines changed since the merge base with REF (git)",
        )
        .conflicts(&["diff"]),
        Opt::with("diff", "FILE", "Only report findings on lines a unified diff adds or changes"),
        Opt::with("baseline", "FILE", "Hide findings recorded in this baseline file"),
        Opt::with("write-baseline", "FILE", "Record the current findings as a baseline and exit 0"),
        Opt::switch(
            "update-baseline",
            "Remove the entries of `--baseline FILE` that no longer match anything",
        )
        .requires(&["baseline"]),
        Opt::switch(
            "statistics",
            "Print how many findings each rule has instead of the findings (human and concise)",
        ),
        Opt::with(
            "link-base",
            "URL",
            "Prefix for file links in Markdown output, such as \
             `https://github.com/OWNER/REPO/blob/SHA/` [default: relative links]",
        ),
        Opt::switch(
            "sarif-include-suppressed",
            "Keep suppressed findings in SARIF output, each with `suppressions` (GitHub code \
             scanning ignores them and would open them as alerts)",
        ),
        Opt::with(
            "sarif-category",
            "NAME",
            "Category of the SARIF run (`automationDetails.id`), to keep two uploads for one \
             commit apart; default: none, so the uploader decides",
        ),
        Opt::switch("quiet", "Only print the findings (no header, no summary line)").short('q'),
        Opt::choice::<Color>(
            "color",
            "COLOR",
            "Colors in human and concise output (`NO_COLOR`, `FORCE_COLOR` and `CLICOLOR_FORCE` \
             are honoured with `auto`)",
        )
        .default("auto"),
        Opt::switch("no-color", "No colors (the same as `--color never`)").conflicts(&["color"]),
    ],
};

pub const RULES: Cmd = Cmd {
    name: "rules",
    about: "List the rules (id, severity, title)",
    positional: None,
    options: &[
        RULES_DIR,
        Opt::switch("json", "Print as JSON (the same as `--format json`)"),
        Opt::choice::<RulesFormat>("format", "FORMAT", "`text` (default) or `json`"),
    ],
};

pub const AUDIT: Cmd = Cmd {
    name: "audit",
    about: "Inventory and migration plan for one repository or many",
    positional: Some(Positional {
        name: "PATH",
        help: "Repositories to audit (default: the current folder)",
        many: true,
        required: false,
    }),
    options: &[
        Opt::switch(
            "each-subdir",
            "Treat each PATH as a folder of repositories: audit every folder inside it",
        ),
        Opt::choice::<AuditFormat>("format", "FORMAT", "Report format").default("markdown"),
        Opt::with(
            "output",
            "FILE",
            "Write the report to FILE instead of standard output",
        )
        .short('o'),
        Opt::switch(
            "merge",
            "Combine audit JSON files (`--format json` of separate runs, given as the PATHs, in \
             order) into one report instead of scanning",
        )
        .conflicts(&["each-subdir"]),
        Opt::choice::<FailOn>(
            "fail-on",
            "FAIL_ON",
            "Exit with 1 when any repository has findings at or above this severity (default: \
             always 0)",
        ),
        Opt::with(
            "select",
            "RULE,...",
            "Only run these rules: ids, id prefixes, tags or `ALL` (comma-separated)",
        )
        .list(),
        Opt::with(
            "ignore",
            "RULE,...",
            "Do not run these rules: ids, id prefixes or tags (comma-separated)",
        )
        .list(),
        RULES_DIR,
        Opt::with(
            "config",
            "FILE",
            "One configuration file for every repository [default: each repository's own \
             `.prisma1-lint.yml`]",
        ),
        Opt::switch(
            "no-config",
            "Do not read each repository's `.prisma1-lint.yml`",
        )
        .conflicts(&["config"]),
        MAX_FILE_SIZE,
        Opt::switch(
            "quiet",
            "No progress bar and no confirmation of the file written",
        )
        .short('q'),
        Opt::choice::<Color>(
            "color",
            "COLOR",
            "Colors on standard error (the report formats have none)",
        )
        .default("auto"),
        NO_IGNORE,
        THREADS_PAREN,
    ],
};

pub const FIX: Cmd = Cmd {
    name: "fix",
    about: "Apply the mechanical fixes: safe ones by default, `--unsafe` for the rest",
    positional: Some(Positional {
        name: "PATH",
        help: "Files and folders to fix (default: the current folder)",
        many: true,
        required: false,
    }),
    options: &[
        Opt::switch(
            "unsafe",
            "Also apply unsafe fixes: those that need something done outside the repository (a \
             secret to create); the summary says what",
        ),
        Opt::switch(
            "diff",
            "Print the fixes as a unified diff and change nothing (exit 1 when there is something \
             to fix)",
        ),
        Opt::with(
            "replace-endpoint",
            "OLD=NEW",
            "Point every copy of the Prisma 1 Cloud endpoint OLD at your server NEW (prisma.yml, \
             .graphqlconfig, env files, CI, code, generated clients). Repeatable",
        )
        .repeat(),
        Opt::with(
            "select",
            "RULE,...",
            "Only fix findings of these rules: ids, id prefixes, tags or `ALL` (comma-separated)",
        )
        .list(),
        Opt::with(
            "ignore",
            "RULE,...",
            "Do not fix findings of these rules: ids, id prefixes or tags (comma-separated)",
        )
        .list(),
        RULES_DIR,
        Opt::with(
            "config",
            "FILE",
            "Configuration file (default: `.prisma1-lint.yml` at the scan root)",
        ),
        NO_CONFIG.conflicts(&["config"]),
        NO_IGNORE,
        MAX_FILE_SIZE,
        Opt::switch(
            "quiet",
            "Only print what was fixed and errors (no list of what remains)",
        )
        .short('q'),
        Opt::choice::<Color>("color", "COLOR", "Colors in the summary").default("auto"),
        THREADS_PAREN,
    ],
};

pub const UPGRADE: Cmd = Cmd {
    name: "upgrade",
    about: "The schema work of the upgrade to Prisma ORM, from the repository alone: \
            incompatibilities, the SQL that settles them, the Prisma schema",
    positional: Some(Positional {
        name: "PATH",
        help: "The repository (default: the current folder)",
        many: false,
        required: false,
    }),
    options: &[
        Opt::choice::<UpgradeFormat>("format", "FORMAT", "Output format").default("human"),
        Opt::choice::<Database>(
            "database",
            "DATABASE",
            "The database the services run on, when the repository does not say (or to override \
             what it says)",
        ),
        RULES_DIR,
        NO_CONFIG,
        NO_IGNORE,
        THREADS,
        Opt::choice::<Color>("color", "COLOR", "Colors in human output").default("auto"),
    ],
};

pub const EXPLAIN: Cmd = Cmd {
    name: "explain",
    about: "Print a rule's full text: what it finds, why it breaks, how to fix it",
    positional: Some(Positional {
        name: "RULE",
        help: "A rule id, such as `cloud-endpoint`",
        many: false,
        required: true,
    }),
    options: &[RULES_DIR],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_rule_and_default_is_consistent() {
        for cmd in COMMANDS {
            let mut names = Vec::new();
            for o in cmd.options {
                names.push(format!("--{}", o.long));
                names.extend(o.alias.map(|a| format!("--{a}")));
                names.extend(o.short.map(|s| format!("-{s}")));
                for other in o.conflicts.iter().chain(o.requires) {
                    assert!(
                        cmd.option(other).is_some_and(|x| x.long == *other),
                        "{} --{}: no option --{other}",
                        cmd.name,
                        o.long
                    );
                }
                if let Some(d) = o.default {
                    assert!(
                        o.values.is_empty() || o.values.iter().any(|(n, _)| *n == d),
                        "{} --{}: default {d} is not a value",
                        cmd.name,
                        o.long
                    );
                }
                assert!(!o.help.ends_with('.') && !o.help.is_empty(), "{}", o.long);
            }
            let total = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), total, "{}: a name twice", cmd.name);
            assert!(
                !names.iter().any(|n| n == "--help" || n == "-h"),
                "{}: --help is built in",
                cmd.name
            );
        }
    }
}
