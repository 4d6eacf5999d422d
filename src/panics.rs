//! Containing bugs to the file that shows them. A panic while scanning one
//! file is caught and becomes that file's internal error; the scan goes on.
//!
//! The default panic hook prints the panic's message, and a message can quote
//! the text being processed (`byte index 5 is not a char boundary ... of
//! `<the line>``), which may hold a secret. Inside [`quietly`] the hook
//! records only where the panic happened; elsewhere (tests, the rest of the
//! program) the previous hook runs as before.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static WHERE: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_else(|| "an unknown place".to_string());
                WHERE.with(|w| *w.borrow_mut() = Some(at));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(place in our source)`. Nothing of the
/// panic's message is kept or printed.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = QUIET.with(|q| q.replace(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.map_err(|_| {
        WHERE
            .with(|w| w.borrow_mut().take())
            .unwrap_or_else(|| "an unknown place".to_string())
    })
}

/// Unit tests make the scan panic on files with this name, to check that the
/// panic stays in its file. Compiled only into the crate's own tests.
#[cfg(test)]
pub const TRIP_FILE: &str = "trip-a-test-panic.txt";

/// A place where a test can make the scan panic (no-op outside tests).
#[inline]
pub fn trip_point(_rel: &str) {
    #[cfg(test)]
    if _rel.ends_with(TRIP_FILE) {
        panic!("test panic while scanning {_rel}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_place() {
        let r: Result<(), String> = quietly(|| panic!("secret-canary-in-message"));
        let at = r.err().unwrap_or_default();
        assert!(at.contains("panics.rs"), "{at}");
        assert!(!at.contains("canary"));
        assert_eq!(quietly(|| 4), Ok(4));
    }
}
