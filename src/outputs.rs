//! What `check` writes where: `--format` (to standard output, or to
//! `-o FILE`), every `--output FORMAT[=FILE]`, and whether the terminal
//! formats are coloured.

use crate::cli::{CheckArgs, Format};
use crate::error::RunError;
use std::path::PathBuf;

/// Every output of one scan, the `--format` one first. At most one
/// `--output FORMAT` goes to standard output besides an explicit `--format`.
pub fn parse(args: &CheckArgs) -> Result<Vec<(Format, Option<PathBuf>)>, RunError> {
    use crate::cli::ValueEnum;
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
