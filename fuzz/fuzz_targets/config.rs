//! The config loader on a whole `.prisma1-lint.yml` of up to 1 MiB (the
//! size the loader reads): parse, validate, and the confined error a
//! repository's config gets, which shows one bounded line and at most one
//! token of the file. Reaches the nesting and size classes (deep brackets,
//! sizes past 2^64) that smaller inputs cannot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::config::Config;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Config::parse(".prisma1-lint.yml", &text, Path::new(".")) {
        Ok(cfg) => {
            let _ = cfg.exclude_set();
            let _ = cfg.error_at("select", "unknown rule id".into());
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
});
