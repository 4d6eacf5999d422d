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
pub mod decode;
pub mod diagnostic;
pub mod diff;
pub mod display;
pub mod engine;
pub mod error;
pub mod explain;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod fsread;
pub mod given;
pub mod kind;
pub mod mask;
pub mod outputs;
pub mod panics;
pub mod paths;
pub mod report;
pub mod roots;
pub mod rules;
pub mod scan;
pub mod selection;
pub mod sniff;
pub mod suggest;
pub mod suppress;
pub mod terminal;
pub mod text;
pub mod upgrade;
pub mod yaml;
