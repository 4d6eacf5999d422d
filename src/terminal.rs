//! The terminal the tool writes to: whether it gets colour, and how wide it
//! is. Every output that may reach a terminal (reports, errors, `explain`)
//! asks here, so `--color`, `NO_COLOR` and `COLUMNS` mean the same
//! everywhere.

use crate::cli::Color;
use std::io::IsTerminal;

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

/// Columns to wrap terminal output to: `COLUMNS`, else the terminal's
/// width; `None` when standard output is not a terminal (never wrap).
pub fn width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .map(|w| w.clamp(40, 400))
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
