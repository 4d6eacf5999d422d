//! prisma1-lint as a library: the scanner, rule engine, facts and reporters
//! behind the `prisma1-lint` binary. The binary is the supported interface;
//! this crate API may change between minor versions.

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
