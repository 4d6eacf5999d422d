//! What rules may cost once compiled. A repository's `.prisma1-lint.yml` can
//! load its own rule folder, and a pattern such as `(a{0,100}){0,100}` is a
//! few bytes of YAML but half a megabyte of automaton, searched over every
//! file: sixty files of them took a run to 6 GiB. So every pattern gets the
//! regex crate's two per-pattern limits (the compiled program, and the cache
//! of its lazy DFA, which grows with what it searches), and all patterns of
//! all loaded rules together get one more, counting both: the pattern that
//! would take the total past it is a config error naming its rule, before
//! any file is read. Counting the cache allowance bounds how many patterns
//! there can be, so a thousand small patterns with large DFAs cannot fill a
//! thousand caches either.

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;

/// The compiled program (the regex crate's `size_limit`) of one pattern.
pub const PATTERN_LIMIT: usize = 1 << 20;
/// The lazy DFA's cache (`dfa_size_limit`) of one pattern, per search
/// thread. The built-in patterns need a few KiB; a pattern whose DFA needs
/// more than this is searched without one (slower, in the same memory).
pub const DFA_CACHE_LIMIT: usize = 128 << 10;
/// What every pattern of every loaded rule may cost together, built-in rules
/// included (37 patterns, under 5 MiB): each costs its compiled program, the
/// capture table its search keeps per thread (states x capture slots: a
/// pattern of 3,000 groups took 850 MB for a 5 KB file) and
/// [`DFA_CACHE_LIMIT`].
pub const TOTAL_LIMIT: usize = 32 << 20;

/// What the rules loaded so far have spent of [`TOTAL_LIMIT`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Budget {
    used: usize,
}

impl Budget {
    /// Bytes spent so far.
    pub fn used(&self) -> usize {
        self.used
    }

    /// Adds what `other` spent (rules compiled on their own, then joined).
    pub fn absorb(&mut self, other: Budget) {
        self.used = self.used.saturating_add(other.used);
    }

    /// Compiles `pattern` and charges its size; the error says which limit
    /// it broke (the caller names the rule and points at the pattern).
    pub fn regex(&mut self, pattern: &str) -> Result<Regex, String> {
        let re = build(pattern)?;
        self.charge(pattern)?;
        Ok(re)
    }

    /// Charges what `pattern` costs, or says why it cannot be afforded.
    pub fn charge(&mut self, pattern: &str) -> Result<(), String> {
        let cost = cost(pattern).ok_or_else(too_big)?;
        if self.used + cost > TOTAL_LIMIT {
            return Err(format!(
                "costs {} (compiled, with its DFA cache) and would take the loaded rules to {}; all rules together may cost {}",
                kib(cost),
                kib(self.used + cost),
                mib(TOTAL_LIMIT)
            ));
        }
        self.used += cost;
        Ok(())
    }
}

fn too_big() -> String {
    format!(
        "compiles to more than {} (the most one pattern may cost)",
        mib(PATTERN_LIMIT)
    )
}

/// `pattern` compiled within the per-pattern limits, uncharged.
pub fn build(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(PATTERN_LIMIT)
        .dfa_size_limit(DFA_CACHE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => too_big(),
            e => format!("invalid regex: {e}"),
        })
}

/// What `pattern` costs: its compiled program (the Thompson NFA the regex
/// crate builds for byte searches, Unicode on, UTF-8 not required), within
/// [`PATTERN_LIMIT`] (`None` past it), plus the memory its searches keep per thread (the
/// capture table and the lazy DFA's cache).
pub fn cost(pattern: &str) -> Option<usize> {
    let nfa = thompson::Compiler::new()
        .syntax(syntax::Config::new().utf8(false))
        .configure(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(PATTERN_LIMIT)),
        )
        .build(pattern)
        .ok()?;
    // The PikeVM keeps one slot per capture group end for every state.
    let slots = nfa
        .states()
        .len()
        .saturating_mul(nfa.group_info().slot_len())
        .saturating_mul(std::mem::size_of::<usize>());
    Some(
        nfa.memory_usage()
            .saturating_add(slots)
            .saturating_add(DFA_CACHE_LIMIT),
    )
}

fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes >> 20)
}

fn kib(bytes: usize) -> String {
    format!("{} KiB", bytes.div_ceil(1024))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_small_pattern_is_cheap_and_a_nested_repeat_is_refused() {
        let mut b = Budget::default();
        assert!(b.regex("eu1\\.prisma\\.sh").is_ok());
        assert!(b.used() > DFA_CACHE_LIMIT && b.used() < DFA_CACHE_LIMIT + 4096);
        let e = b
            .regex("(a{0,100}){0,100}(a{0,100}){0,100}(a{0,100}){0,100}")
            .unwrap_err();
        assert!(e.contains("the most one pattern may cost"), "{e}");
        let e = b.regex("(").unwrap_err();
        assert!(e.starts_with("invalid regex"), "{e}");
    }

    #[test]
    fn capture_groups_are_charged_for_every_state() {
        let groups = "(a)".repeat(3000);
        assert!(cost(&groups).unwrap() > TOTAL_LIMIT);
        let e = Budget::default().regex(&groups).unwrap_err();
        assert!(e.contains("all rules together may cost"), "{e}");
    }

    #[test]
    fn patterns_under_the_pattern_limit_still_meet_the_total() {
        let mut b = Budget::default();
        let pattern = "(a{0,100}){0,20}";
        let one = cost(pattern).unwrap();
        assert!(
            one < PATTERN_LIMIT && one > DFA_CACHE_LIMIT + 64 * 1024,
            "{one}"
        );
        let fits = TOTAL_LIMIT / one;
        for _ in 0..fits {
            b.regex(pattern).unwrap();
        }
        let e = b.regex(pattern).unwrap_err();
        assert!(e.contains("all rules together may cost 32 MiB"), "{e}");
        assert!(b.used() <= TOTAL_LIMIT);
    }
}
