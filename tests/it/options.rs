//! The command line against its own `--help` and the README. Every option a
//! command's help lists parses as `--flag value` and `--flag=value` (and its
//! short form and alias to the same), changes what is parsed, and keeps to
//! what its help says about repeating it; exactly the documented pairs
//! conflict; a bad value, an unknown option, a conflict or a missing
//! requirement is a usage error (exit 2) that names what was wrong and
//! points at `--help`; and the README's options table and each command's
//! `--help` name the same options.

use prisma1_lint::cli::{Cli, Stop};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

/// Options that cannot be given together, per command.
const CONFLICTS: &[(&str, &str, &str)] = &[
    ("check", "--exit-zero", "--fail-on"),
    ("check", "--no-config", "--config"),
    ("audit", "--no-config", "--config"),
    ("fix", "--no-config", "--config"),
    ("check", "--diff-base", "--diff"),
    ("check", "--no-color", "--color"),
    ("check", "--persona", "--min-confidence"),
    ("audit", "--merge", "--each-subdir"),
];

/// Options that need another, per command.
const REQUIRES: &[(&str, &str, &str)] = &[("check", "--update-baseline", "--baseline")];

/// Defaults the help states that parsing does not fill in: an explicit
/// `check --format` is printed even when an `--output FORMAT` goes to
/// standard output, so no `--format` and `--format human` differ.
const STATED_DEFAULTS: &[(&str, &str)] = &[("check", "format")];

/// The letter of each command in the README's options table.
const LETTERS: &[(&str, char)] = &[
    ("check", 'C'),
    ("audit", 'A'),
    ("fix", 'F'),
    ("upgrade", 'U'),
    ("rules", 'R'),
    ("explain", 'E'),
];

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .current_dir(dir.path())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn parse(args: &[String]) -> Result<Cli, Stop> {
    let argv = std::iter::once("prisma1-lint".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(argv, None)
}

/// Help text, as printed: exit 0, on standard output only.
fn help(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The commands `prisma1-lint --help` lists (but `help`).
fn commands() -> Vec<String> {
    let top = help(&["--help"]);
    let list = top.split("\nCommands:\n").nth(1).unwrap();
    let list = list.split("\n\n").next().unwrap();
    let names: Vec<String> = list
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    names
}

/// One option as a command's `--help` shows it.
#[derive(Debug)]
struct Shown {
    long: String,
    short: Option<char>,
    alias: Option<String>,
    value: Option<String>,
    /// Its help, whitespace collapsed.
    text: String,
    values: Vec<String>,
    default: Option<String>,
}

impl Shown {
    fn names(&self) -> Vec<String> {
        let mut n = vec![format!("--{}", self.long)];
        n.extend(self.short.map(|s| format!("-{s}")));
        n.extend(self.alias.as_ref().map(|a| format!("--{a}")));
        n
    }

    /// A value the option accepts, other than its default.
    fn sample(&self) -> String {
        if let Some(v) = self
            .values
            .iter()
            .find(|v| Some(*v) != self.default.as_ref())
        {
            return v.clone();
        }
        match self.value.as_deref() {
            Some("N") => "3".into(),
            Some(v) if v.contains('=') => "json=out.json".into(),
            _ => "some-value".into(),
        }
    }

    fn repeatable(&self) -> bool {
        self.text.to_lowercase().contains("repeatable")
            || self.value.as_deref().is_some_and(|v| v.ends_with(",..."))
    }
}

/// The options of a command's help (not `--help`).
fn options(help: &str) -> Vec<Shown> {
    let row = Regex::new(r"^  (?:-([a-zA-Z]), |    )--([a-z][a-z-]*)(?: <([^>]+)>)?(?:\s+(.*))?$")
        .unwrap();
    let section = help.split("\nOptions:\n").nth(1).unwrap();
    let mut out: Vec<Shown> = Vec::new();
    for line in section.lines() {
        if let Some(c) = row.captures(line) {
            out.push(Shown {
                long: c[2].to_string(),
                short: c.get(1).and_then(|s| s.as_str().chars().next()),
                alias: None,
                value: c.get(3).map(|v| v.as_str().to_string()),
                text: c.get(4).map_or("", |t| t.as_str()).to_string(),
                values: Vec::new(),
                default: None,
            });
        } else if let Some(last) = out.last_mut() {
            last.text.push(' ');
            last.text.push_str(line.trim());
        }
    }
    let alias = Regex::new(r"\[alias: --([a-z-]+)\]").unwrap();
    let listed = Regex::new(r"\[possible values: ([^\]]+)\]").unwrap();
    let described = Regex::new(r"- ([a-z]+):").unwrap();
    let default = Regex::new(r"\[default: ([^\]]+)\]").unwrap();
    for o in &mut out {
        o.text = o.text.split_whitespace().collect::<Vec<_>>().join(" ");
        o.alias = alias.captures(&o.text).map(|c| c[1].to_string());
        o.default = default.captures(&o.text).map(|c| c[1].to_string());
        o.values = match listed.captures(&o.text) {
            Some(c) => c[1].split(", ").map(str::to_string).collect(),
            None => match o.text.split_once("Possible values:") {
                Some((_, list)) => described
                    .captures_iter(list)
                    .map(|c| c[1].to_string())
                    .collect(),
                None => Vec::new(),
            },
        };
    }
    assert!(out.iter().any(|o| o.long == "help"), "{help}");
    out.retain(|o| o.long != "help");
    out
}

/// What a command needs after its options to parse: `<RULE>` for explain.
fn tail(help: &str) -> Vec<String> {
    let usage = help.lines().find(|l| l.starts_with("Usage: ")).unwrap();
    if usage.contains(" <") {
        vec!["cloud-endpoint".into()]
    } else {
        Vec::new()
    }
}

fn line(cmd: &str, args: &[String], tail: &[String]) -> Vec<String> {
    let mut v = vec![cmd.to_string()];
    v.extend(args.iter().cloned());
    v.extend(tail.iter().cloned());
    v
}

/// The forms an option is given in, each parsing to the same.
fn forms(o: &Shown) -> Vec<Vec<String>> {
    let long = format!("--{}", o.long);
    let Some(_) = &o.value else {
        return o.names().into_iter().map(|n| vec![n]).collect();
    };
    let v = o.sample();
    let mut f = vec![vec![long.clone(), v.clone()], vec![format!("{long}={v}")]];
    if let Some(s) = o.short {
        f.push(vec![format!("-{s}"), v.clone()]);
        f.push(vec![format!("-{s}{v}")]);
        f.push(vec![format!("-{s}={v}")]);
    }
    if let Some(a) = &o.alias {
        f.push(vec![format!("--{a}"), v.clone()]);
        f.push(vec![format!("--{a}={v}")]);
    }
    f
}

/// The option `o` needs given too (from the REQUIRES table), with a value.
fn needs(cmd: &str, o: &Shown, all: &[Shown]) -> Vec<String> {
    let mut extra = Vec::new();
    for (c, a, b) in REQUIRES {
        if *c == cmd && *a == format!("--{}", o.long) {
            let other = all.iter().find(|x| format!("--{}", x.long) == *b).unwrap();
            extra.push(b.to_string());
            extra.extend(other.value.as_ref().map(|_| other.sample()));
        }
    }
    extra
}

#[test]
fn every_option_parses_as_flag_value_and_flag_equals_value_and_changes_something() {
    let mut tried = 0;
    for cmd in commands() {
        let help = help(&[&cmd, "--help"]);
        let tail = tail(&help);
        let all = options(&help);
        assert!(!all.is_empty(), "{cmd}: no options in\n{help}");
        // what each option parses to: no two options may fill the same
        let mut effects: Vec<(String, Cli)> = Vec::new();
        for o in &all {
            let extra = needs(&cmd, o, &all);
            let base = parse(&line(&cmd, &extra, &tail)).unwrap();
            let mut parsed: Vec<(Vec<String>, Cli)> = forms(o)
                .into_iter()
                .map(|f| {
                    let args = line(&cmd, &[f.clone(), extra.clone()].concat(), &tail);
                    let p = parse(&args).unwrap_or_else(|e| panic!("{args:?}: {}", e.text));
                    (f, p)
                })
                .collect();
            let (first, want) = &parsed[0];
            assert_ne!(want, &base, "{cmd} {first:?} parses but changes nothing");
            for (f, got) in &parsed[1..] {
                assert_eq!(got, want, "{cmd}: {f:?} differs from {first:?}");
            }
            if let Some((other, _)) = effects.iter().find(|(_, e)| e == want) {
                panic!("{cmd}: {first:?} parses to what {other} does");
            }
            if extra.is_empty() {
                effects.push((first.join(" "), parsed.swap_remove(0).1));
            }
            tried += 1;
        }
        if cmd == "check" {
            assert!(all.len() >= 30, "{all:?}");
        }
    }
    assert!(tried >= 69, "options tried: {tried}");
}

#[test]
fn a_default_the_help_shows_is_what_parses_without_the_option() {
    let mut tried = 0;
    for cmd in commands() {
        let help = help(&[&cmd, "--help"]);
        let tail = tail(&help);
        let base = parse(&line(&cmd, &[], &tail)).unwrap();
        for o in options(&help) {
            let Some(d) = o.default.as_ref().filter(|d| o.values.contains(d)) else {
                continue;
            };
            if STATED_DEFAULTS.contains(&(cmd.as_str(), o.long.as_str())) {
                continue;
            }
            let given = parse(&line(&cmd, &[format!("--{}", o.long), d.clone()], &tail)).unwrap();
            assert_eq!(given, base, "{cmd} --{}: the default is not {d}", o.long);
            tried += 1;
        }
    }
    assert!(tried >= 5, "{tried}");
}

#[test]
fn lists_split_at_commas_and_add_up_and_once_only_options_refuse_a_second_time() {
    for cmd in commands() {
        let help = help(&[&cmd, "--help"]);
        let tail = tail(&help);
        let all = options(&help);
        for o in &all {
            let long = format!("--{}", o.long);
            let extra = needs(&cmd, o, &all);
            let with = |args: &[&str]| {
                let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                parse(&line(&cmd, &[args, extra.clone()].concat(), &tail))
            };
            if o.value.as_deref().is_some_and(|v| v.ends_with(",...")) {
                let joined = with(&[&long, "a,b"]).unwrap();
                assert_eq!(
                    joined,
                    with(&[&long, "a", &long, "b"]).unwrap(),
                    "{cmd} {long}"
                );
                assert_ne!(joined, with(&[&long, "a"]).unwrap(), "{cmd} {long}");
            }
            let v = o.value.as_ref().map(|_| o.sample());
            let once: Vec<&str> = std::iter::once(long.as_str()).chain(v.as_deref()).collect();
            let twice = with(&[once.clone(), once].concat());
            if o.repeatable() {
                assert!(twice.is_ok(), "{cmd} {long}: says repeatable");
            } else {
                let e = twice.expect_err(&format!("{cmd} {long} given twice"));
                assert_eq!(e.code, 2);
                assert!(
                    e.text.contains(&long) && e.text.contains("multiple times"),
                    "{}",
                    e.text
                );
            }
        }
    }
}

#[test]
fn only_the_documented_pairs_conflict() {
    for cmd in commands() {
        let help = help(&[&cmd, "--help"]);
        let tail = tail(&help);
        let all = options(&help);
        let given = |o: &Shown| {
            let mut a = vec![format!("--{}", o.long)];
            a.extend(o.value.as_ref().map(|_| o.sample()));
            a
        };
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let (la, lb) = (format!("--{}", a.long), format!("--{}", b.long));
                let documented = CONFLICTS.iter().any(|(c, x, y)| {
                    *c == cmd && ((*x == la && *y == lb) || (*x == lb && *y == la))
                });
                let mut args = given(a);
                args.extend(given(b));
                // what either needs, unless the other is it
                for extra in [needs(&cmd, a, &all), needs(&cmd, b, &all)] {
                    if !extra.first().is_some_and(|n| *n == la || *n == lb) {
                        args.extend(extra);
                    }
                }
                let result = parse(&line(&cmd, &args, &tail));
                match (documented, result) {
                    (true, Ok(_)) => panic!("{cmd} {la} {lb}: should conflict"),
                    (false, Err(e)) => panic!("{cmd} {la} {lb}: {}", e.text),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn conflicts_and_requirements_exit_2_naming_both_options() {
    for (cmd, a, b) in CONFLICTS {
        for (x, y) in [(a, b), (b, a)] {
            let sample = |flag: &str| -> Vec<String> {
                let help = help(&[cmd, "--help"]);
                let o = options(&help)
                    .into_iter()
                    .find(|o| format!("--{}", o.long) == flag);
                let o = o.unwrap_or_else(|| panic!("{cmd} has no {flag}"));
                let mut v = vec![flag.to_string()];
                v.extend(o.value.as_ref().map(|_| o.sample()));
                v
            };
            let args: Vec<String> = [vec![cmd.to_string()], sample(x), sample(y)].concat();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(&args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(err.contains(*x) && err.contains(*y), "{args:?}: {err}");
            assert!(err.contains(&format!("{cmd} --help")), "{err}");
        }
    }
    for (cmd, a, b) in REQUIRES {
        let out = run(&[cmd, a]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(a) && err.contains(b), "{err}");
    }
}

#[test]
fn a_bad_value_names_the_option_and_every_accepted_value() {
    let mut tried = 0;
    for cmd in commands() {
        let help = help(&[&cmd, "--help"]);
        for o in options(&help).iter().filter(|o| !o.values.is_empty()) {
            let long = format!("--{}", o.long);
            for bad in [
                vec![long.clone(), "not-a-value".into()],
                vec![format!("{long}=")],
            ] {
                let args: Vec<&str> = std::iter::once(cmd.as_str())
                    .chain(bad.iter().map(String::as_str))
                    .collect();
                let out = run(&args);
                let err = stderr(&out);
                assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
                assert!(err.contains(&long), "{args:?}: {err}");
                for v in &o.values {
                    assert!(err.contains(v.as_str()), "{args:?} lacks {v}: {err}");
                }
                assert!(err.contains("--help"), "{err}");
            }
            tried += 1;
        }
    }
    assert!(tried >= 10, "{tried}");
    let err = stderr(&run(&["check", "-j", "many"]));
    assert!(err.contains("--threads") && err.contains("'many'"), "{err}");
}

#[test]
fn unknown_options_commands_and_a_missing_command_exit_2() {
    for cmd in commands() {
        for bad in ["--no-such-option", "-Z"] {
            let out = run(&[&cmd, bad]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{cmd} {bad}: {err}");
            assert!(err.contains(bad) && err.contains("--help"), "{err}");
            assert!(out.stdout.is_empty());
        }
        let out = run(&[&cmd, "--quiet=yes"]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
    }
    let out = run(&["chek"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'check'"), "{}", stderr(&out));
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("check, rules, audit"),
        "{}",
        stderr(&out)
    );
    let out = run(&["explain"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<RULE>"), "{}", stderr(&out));
    assert_eq!(run(&["upgrade", "a", "b"]).status.code(), Some(2));
}

#[test]
fn help_and_version_print_on_standard_output_and_exit_0() {
    let top = help(&["--help"]);
    assert_eq!(top, help(&["-h"]));
    assert_eq!(top, help(&["help"]));
    assert!(top.contains("Usage: prisma1-lint <COMMAND>"), "{top}");
    for cmd in commands() {
        let h = help(&[&cmd, "--help"]);
        assert_eq!(h, help(&[&cmd, "-h"]), "{cmd}");
        assert_eq!(h, help(&["help", &cmd]), "{cmd}");
        assert!(h.contains(&format!("Usage: prisma1-lint {cmd}")), "{h}");
        // the one-line description the command list gives it
        let about = h.lines().next().unwrap();
        assert!(
            top.contains(&about[..about.len().min(40)]),
            "{cmd}: {about}"
        );
    }
    let version = format!("prisma1-lint {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(help(&["--version"]), version);
    assert_eq!(help(&["-V"]), version);
}

#[test]
fn paths_after_a_double_dash_and_paths_that_are_not_utf8_are_kept() {
    let p = parse(&["check".into(), "--".into(), "-dash.yml".into()]).unwrap();
    let prisma1_lint::cli::Command::Check(a) = p.command else {
        panic!()
    };
    assert_eq!(a.paths, vec![Path::new("-dash.yml")]);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.env");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(name),
            "PRISMA_ENDPOINT=https://eu1.prisma.sh/w/s/dev\n",
        )
        .unwrap();
        let p = Cli::try_parse_from(
            [std::ffi::OsStr::new("prisma1-lint"), "check".as_ref(), name],
            None,
        )
        .unwrap();
        let prisma1_lint::cli::Command::Check(a) = p.command else {
            panic!()
        };
        assert_eq!(a.paths, vec![Path::new(name)]);
        let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
            .args([
                "check".as_ref(),
                "--format".as_ref(),
                "concise".as_ref(),
                name,
            ])
            .env("NO_COLOR", "1")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("cloud-endpoint"));
    }
}

/// The README's options table: per command letter, the options its rows name.
fn readme_options() -> BTreeMap<char, BTreeSet<String>> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme
        .split("| option | in | meaning |")
        .nth(1)
        .expect("the options table")
        .split("\n\n")
        .next()
        .unwrap();
    let flag = Regex::new(r"`(--?[a-zA-Z][a-z-]*)").unwrap();
    let mut out: BTreeMap<char, BTreeSet<String>> = BTreeMap::new();
    for row in table.lines().filter(|l| l.starts_with("| ")) {
        let row = row.replace("\\|", "/");
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (names, letters) = (cells[1], cells[2]);
        for letter in letters.split(',').filter_map(|l| l.trim().chars().next()) {
            let set = out.entry(letter).or_default();
            set.extend(flag.captures_iter(names).map(|c| c[1].to_string()));
        }
    }
    out
}

#[test]
fn the_readme_options_table_and_each_commands_help_name_the_same_options() {
    let readme = readme_options();
    for cmd in commands() {
        let letter = LETTERS
            .iter()
            .find(|(c, _)| *c == cmd)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| panic!("{cmd} has no letter in the README's options table"));
        let shown: BTreeSet<String> = options(&help(&[&cmd, "--help"]))
            .iter()
            .flat_map(Shown::names)
            .collect();
        let listed = readme.get(&letter).cloned().unwrap_or_default();
        assert_eq!(
            listed,
            shown,
            "{cmd} ({letter}): README only {:?}, help only {:?}",
            listed.difference(&shown).collect::<Vec<_>>(),
            shown.difference(&listed).collect::<Vec<_>>()
        );
    }
}
