//! The parsers of repository input, one per first byte: YAML, package.json,
//! env files, prisma.yml, the config loader (and its confined errors), the
//! rule compiler, the unified-diff parser, the decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::{config, decode, diff, facts, rules, yaml};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match selector % 8 {
        0 => {
            let _ = yaml::parse(&text);
            let _ = yaml::take_overflow();
        }
        1 => {
            let _ = facts::package_json::PackageJson::parse("package.json", &text);
        }
        2 => {
            let _ = facts::env_file::EnvFile::parse(".env", &text);
        }
        3 => {
            let _ = facts::prisma_yml::PrismaYml::parse("prisma.yml", &text);
        }
        4 => {
            if let Err(e) = config::Config::parse(".prisma1-lint.yml", &text, Path::new(".")) {
                // A confined error shows at most one token of the file.
                let shown = format!("{:?}", miette::Report::new(e.confined()));
                assert!(
                    shown.len() < 4096 + text.len().min(64) * 8,
                    "confined error too long"
                );
            }
        }
        5 => {
            let _ = rules::compile("rules/fuzz.yml", &text);
        }
        6 => {
            let _ = diff::parse(&text);
        }
        _ => {
            let mut b = rest.to_vec();
            let _ = decode::normalise(&mut b);
            let _ = decode::decode(rest);
        }
    }
});
