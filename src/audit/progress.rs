//! The one-line progress bar of a many-repository audit, on a terminal's
//! stderr only. A bar, a count and the repository being audited, redrawn in
//! place at most 20 times a second. Kept to this much on purpose: a progress
//! crate cost more to build than the whole audit command.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WIDTH: usize = 30;
const EVERY: Duration = Duration::from_millis(50);

/// Shared by the audit's threads; every method takes `&self`.
pub struct Progress {
    state: Mutex<State>,
}

struct State {
    pos: u64,
    len: u64,
    msg: String,
    drawn: Option<Instant>,
}

impl Progress {
    pub fn new(len: u64) -> Self {
        Progress {
            state: Mutex::new(State {
                pos: 0,
                len,
                msg: String::new(),
                drawn: None,
            }),
        }
    }

    /// `msg` must already be printable (see `crate::display::printable`).
    pub fn set_message(&self, msg: String) {
        self.update(|s| s.msg = msg);
    }

    pub fn inc(&self) {
        self.update(|s| s.pos = (s.pos + 1).min(s.len));
    }

    /// Erases the line: the report follows on a clean terminal.
    pub fn finish_and_clear(&self) {
        let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
    }

    fn update(&self, change: impl FnOnce(&mut State)) {
        let Ok(mut s) = self.state.lock() else { return };
        change(&mut s);
        let now = Instant::now();
        if s.drawn.is_some_and(|t| now.duration_since(t) < EVERY) {
            return;
        }
        s.drawn = Some(now);
        let columns = terminal_size::terminal_size_of(std::io::stderr())
            .map_or(80, |(w, _)| usize::from(w.0));
        let line = render(&s, columns);
        let _ = write!(std::io::stderr().lock(), "\r{line}\x1b[K");
    }
}

/// `████████░░░░ 3/12 name`, cut to `columns` characters so that the line
/// never wraps (a wrapped line cannot be redrawn in place).
fn render(s: &State, columns: usize) -> String {
    let filled = match s.len {
        0 => WIDTH,
        len => (s.pos.saturating_mul(WIDTH as u64) / len) as usize,
    };
    let mut line = String::with_capacity(columns.min(256));
    line.extend(std::iter::repeat_n('█', filled));
    line.extend(std::iter::repeat_n('░', WIDTH - filled));
    line.push_str(&format!(" {}/{} {}", s.pos, s.len, s.msg));
    match line.char_indices().nth(columns.saturating_sub(1)) {
        Some((cut, _)) => line[..cut].to_string(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pos: u64, len: u64, msg: &str) -> State {
        State {
            pos,
            len,
            msg: msg.into(),
            drawn: None,
        }
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(
            render(&state(0, 4, "a"), 80),
            format!("{} 0/4 a", "░".repeat(30))
        );
        assert_eq!(
            render(&state(2, 4, "a"), 80),
            format!("{}{} 2/4 a", "█".repeat(15), "░".repeat(15))
        );
        assert_eq!(
            render(&state(4, 4, "a"), 80),
            format!("{} 4/4 a", "█".repeat(30))
        );
    }

    #[test]
    fn a_line_never_reaches_the_last_column() {
        for columns in [0, 1, 10, 31, 40, 80] {
            for msg in ["", "repo", &"x".repeat(200), &"é".repeat(90)] {
                let line = render(&state(1, 3, msg), columns);
                assert!(line.chars().count() < columns.max(1), "{columns}: {line:?}");
            }
        }
    }
}
