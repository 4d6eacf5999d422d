//! What `check` writes where: `--format` (to standard output, or to
//! `-o FILE`), every `--output FORMAT[=FILE]`, and whether the terminal
//! formats are coloured.

use crate::app::RunError;
use crate::cli::{CheckArgs, Color, Format};
use std::path::PathBuf;

/// Every output of one scan, the `--format` one first. At most one
/// `--output FORMAT` goes to standard output besides an explicit `--format`.
pub fn parse(args: &CheckArgs) -> Result<Vec<(Format, Option<PathBuf>)>, RunError> {
    use clap::ValueEnum;
    let mut outs: Vec<(Format, Option<PathBuf>)> = Vec::new();
    for o in &args.outputs {
        let (name, file) = match o.split_once('=') {
            Some((n, f)) => (n, Some(PathBuf::from(f))),
            None => (o.as_str(), None),
        };
        let format = Format::from_str(name.trim(), true).map_err(|_| {
            RunError::Usage(match (file.is_none(), guess(name)) {
                (true, Some(g)) => format!(
                    "--output {o}: `{o}` is not a format; did you mean `--output {g}={o}` or `-o {o}`?"
                ),
                _ => format!("unknown output format `{name}` in --output {o}; expected human, concise, json, sarif, github or markdown"),
            })
        })?;
        outs.push((format, file));
    }
    let on_stdout = outs.iter().filter(|(_, f)| f.is_none()).count();
    if on_stdout > 1 {
        return Err(RunError::Usage(
            "only one --output can go to standard output; give the others a file (FORMAT=FILE)"
                .into(),
        ));
    }
    let main = args.format.unwrap_or(Format::Human);
    match &args.output_file {
        Some(f) => outs.insert(0, (main, Some(f.clone()))),
        // An explicit --format is printed whatever --output adds.
        None if on_stdout == 0 || args.format.is_some() => outs.insert(0, (main, None)),
        None => {}
    }
    Ok(outs)
}

/// The format a file name suggests (`out.json` -> json), for a file given
/// where a format was expected; `None` when it does not look like a file.
fn guess(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("json") => Some("json"),
        Some("sarif") => Some("sarif"),
        Some("md" | "markdown") => Some("markdown"),
        Some(_) => Some("concise"),
        None if name.contains('/') => Some("json"),
        None => None,
    }
}

/// Whether to colour: `--color always|never`, else `NO_COLOR` (set and not
/// empty) says no, `FORCE_COLOR` or `CLICOLOR_FORCE` (set, not empty, not
/// `0`) say yes, and otherwise a terminal is coloured.
pub fn color(choice: Color, terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    let forced = |k: &str| env(k).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto if set("NO_COLOR") => false,
        Color::Auto if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") => true,
        Color::Auto => terminal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_environment_conventions() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(!color(Color::Auto, false, env(&[])));
        assert!(color(Color::Auto, true, env(&[])));
        assert!(color(Color::Auto, false, env(&[("FORCE_COLOR", "1")])));
        assert!(color(Color::Auto, false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!color(Color::Auto, false, env(&[("FORCE_COLOR", "0")])));
        assert!(!color(Color::Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(!color(
            Color::Auto,
            true,
            env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")])
        ));
        assert!(!color(Color::Never, true, env(&[("FORCE_COLOR", "1")])));
    }
}
