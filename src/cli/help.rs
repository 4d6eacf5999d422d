//! `--help`, written from the tables of `spec.rs`: a usage line, the
//! description, the arguments and every option with its help,
//! `[default: ...]` and `[possible values: ...]`. Wrapped at spaces only
//! (a URL or a flag is never cut) to the terminal's width, at most 100
//! columns; 100 when standard output is not a terminal, so piped help is
//! the same everywhere.

use super::spec::{Cmd, Opt, ABOUT, BIN, COMMANDS};

/// Columns help is wrapped to: the terminal's (as `crate::terminal::width`
/// says, `None` when not a terminal), at most this many.
pub const MAX_WIDTH: usize = 100;

/// The width to wrap to, from the terminal's width if any.
pub fn width(terminal: Option<usize>) -> usize {
    terminal.unwrap_or(MAX_WIDTH).clamp(40, MAX_WIDTH)
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let opts = textwrap::Options::new(width.max(1))
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// A section of rows (`left`, help paragraphs): two columns when the help
/// column keeps 30 characters or more, else each help below its row. With
/// `spaced`, rows are apart by a blank line once any takes more than one.
fn section(
    out: &mut String,
    title: &str,
    rows: &[(String, Vec<String>)],
    width: usize,
    spaced: bool,
) {
    out.push_str(title);
    out.push_str(":\n");
    let left = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 2;
    let two_columns = width.saturating_sub(left) >= 30;
    let (indent, room) = if two_columns {
        (left, width - left)
    } else {
        (10, width.saturating_sub(10))
    };
    let tall = |(_, paragraphs): &(String, Vec<String>)| {
        paragraphs.len() > 1 || paragraphs.iter().any(|p| wrap(p, room).len() > 1)
    };
    let apart = !two_columns || (spaced && rows.iter().any(tall));
    for (i, (row, paragraphs)) in rows.iter().enumerate() {
        if apart && i > 0 {
            out.push('\n');
        }
        out.push_str(row);
        let mut first = true;
        for p in paragraphs {
            // "- value: help" keeps its text clear of the dash.
            let hang = if p.starts_with("- ") { 2 } else { 0 };
            for (j, line) in wrap(p, room.saturating_sub(hang)).into_iter().enumerate() {
                let pad = if first && two_columns {
                    left - row.len()
                } else {
                    out.push('\n');
                    indent + if j > 0 { hang } else { 0 }
                };
                first = false;
                out.push_str(&" ".repeat(pad));
                out.push_str(&line);
            }
        }
        out.push('\n');
    }
}

/// An option's help: its text, default and accepted values; a value list
/// with help of its own follows as one paragraph per value.
fn option_help(o: &Opt) -> Vec<String> {
    let mut text = o.help.to_string();
    if let Some(d) = o.default {
        text.push_str(&format!(" [default: {d}]"));
    }
    let mut paragraphs = vec![text];
    if let Some(a) = o.alias {
        paragraphs.push(format!("[alias: --{a}]"));
    }
    let described = o.values.iter().any(|(_, h)| !h.is_empty());
    if !o.values.is_empty() && !described {
        let names: Vec<&str> = o.values.iter().map(|(n, _)| *n).collect();
        paragraphs.push(format!("[possible values: {}]", names.join(", ")));
    }
    if described {
        paragraphs.push("Possible values:".into());
        let longest = o.values.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (n, h) in o.values {
            paragraphs.push(format!("- {n}:{} {h}", " ".repeat(longest - n.len())));
        }
    }
    paragraphs
}

/// `  -o, --output-file <FILE>` / `      --format <FORMAT>`
fn option_row(o: &Opt) -> String {
    let short = o.short.map_or("    ".to_string(), |s| format!("-{s}, "));
    let value = o.value.map(|v| format!(" <{v}>")).unwrap_or_default();
    format!("  {short}--{}{value}", o.long)
}

/// `prisma1-lint COMMAND --help`.
pub fn command(cmd: &Cmd, width: usize) -> String {
    let mut out = String::new();
    for line in wrap(cmd.about, width) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("\nUsage: {}\n", cmd.usage()));
    if let Some(p) = &cmd.positional {
        out.push('\n');
        let rows = [(format!("  {}", p.display()), vec![p.help.to_string()])];
        section(&mut out, "Arguments", &rows, width, false);
    }
    out.push('\n');
    let mut rows: Vec<(String, Vec<String>)> = cmd
        .options
        .iter()
        .map(|o| (option_row(o), option_help(o)))
        .collect();
    rows.push(("  -h, --help".into(), vec!["Print help".into()]));
    section(&mut out, "Options", &rows, width, true);
    out
}

/// `prisma1-lint --help`: the commands and the program's own options.
pub fn top(width: usize) -> String {
    let mut out = String::new();
    for line in wrap(ABOUT, width) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("\nUsage: {BIN} <COMMAND>\n\n"));
    let mut rows: Vec<(String, Vec<String>)> = COMMANDS
        .iter()
        .map(|c| (format!("  {}", c.name), vec![c.about.to_string()]))
        .collect();
    rows.push((
        "  help".into(),
        vec!["Print this message or the help of the given command".into()],
    ));
    section(&mut out, "Commands", &rows, width, false);
    out.push('\n');
    let rows = [
        ("  -h, --help".into(), vec!["Print help".into()]),
        ("  -V, --version".into(), vec!["Print version".into()]),
    ];
    section(&mut out, "Options", &rows, width, false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_line_is_wider_than_asked_unless_one_word_is() {
        for w in [40, 60, 80, 100] {
            let mut texts = vec![top(w)];
            texts.extend(COMMANDS.iter().map(|c| command(c, w)));
            for text in texts {
                // A usage line stays whole, to be copied.
                for line in text.lines().filter(|l| !l.starts_with("Usage: ")) {
                    let words = line.split_whitespace().count();
                    assert!(line.len() <= w || words <= 1, "{w}: {line:?}");
                    assert_eq!(line, line.trim_end(), "trailing space");
                }
            }
        }
    }

    #[test]
    fn width_is_the_terminals_capped_at_100() {
        assert_eq!(width(None), 100);
        assert_eq!(width(Some(80)), 80);
        assert_eq!(width(Some(300)), 100);
    }

    #[test]
    fn two_columns_on_a_wide_terminal_help_below_on_a_narrow_one() {
        let wide = command(&super::super::spec::AUDIT, 100);
        assert!(wide.contains("      --merge    "), "{wide}");
        let narrow = command(&super::super::spec::AUDIT, 40);
        assert!(
            narrow.contains("      --merge\n          Combine"),
            "{narrow}"
        );
    }
}
