//! prisma1-lint as a library: the scanner, rule engine, facts and reporters
//! behind the `prisma1-lint` binary. The binary is the supported interface;
//! this crate API may change between minor versions.
//!
//! The modules are floors, and imports point down: the ground floor (the
//! data every stage passes along: `finding`, `text`, `mask`, `display`,
//! `kind`, `paths`), then files, settings, facts, engine, findings, report
//! and reporters, with `app` and the commands on top. ARCHITECTURE.md at the
//! repository root says which module is on which floor and what each floor
//! may import; `tests/it/architecture.rs` fails on any import circle between
//! files.

pub mod app;
pub mod audit;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod engine;
pub mod error;
pub mod explain;
pub mod fix;
pub mod given;
pub mod outputs;
pub mod panics;
pub mod report;
pub mod roots;
pub mod rules;
pub mod scan;
pub mod selection;
pub mod suggest;
pub mod suppress;
pub mod terminal;

// The lower floors (the ground floor, files, facts and the upgrade's
// analysis) are the `prisma1-lint-core` crate, compiled beside this one's
// dependencies; re-exported at their old paths.
pub use prisma1_lint_core::{
    decode, display, facts, finding, fsread, kind, mask, par, paths, sniff, text, yaml,
};

/// The upgrade to Prisma ORM: the analysis (`prisma1-lint-core`) and the
/// `upgrade` command.
pub mod upgrade {
    pub use prisma1_lint_core::upgrade::*;
    pub mod command;
}
