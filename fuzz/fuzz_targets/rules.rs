//! A repository's rule file of up to 1 MiB, compiled as `rules-dirs:`
//! compiles it: into a budget the built-in rules already spent, which must
//! hold whatever the file asks for (nested repeats, thousands of capture
//! groups, deep YAML), and, on error, the confined message a repository's
//! rule file gets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::rules::{self, budget, RuleSet};
use std::sync::OnceLock;

/// What the built-in rules spend, computed once.
static BUILTIN: OnceLock<budget::Budget> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Named after its own id, so the fuzzer gets past the name check.
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(str::trim)
        .filter(|id| {
            !id.is_empty()
                && id.len() < 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .unwrap_or("fuzz");
    let mut spent =
        *BUILTIN.get_or_init(|| RuleSet::builtin().map(|mut s| s.budget()).unwrap_or_default());
    let before = spent.used();
    match rules::compile_in(&format!("rules/{id}.yml"), &text, &mut spent) {
        Ok(rule) => {
            assert_eq!(rule.id, id);
            assert!(spent.used() >= before);
        }
        Err(e) => {
            let shown = format!("{:?}", miette::Report::new(e.confined()));
            assert!(
                shown.len() < 4096 + 64 * 8,
                "confined error of {} bytes",
                shown.len()
            );
        }
    }
    assert!(spent.used() <= budget::TOTAL_LIMIT);
});
