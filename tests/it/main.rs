//! The integration tests, one crate (one test binary to build and link),
//! a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod audit;
mod audit_failures;
mod audit_merge;
mod bounds;
mod cli;
mod commands;
mod config_echo;
mod fix;
mod fix_writes;
mod flags;
mod given;
mod help_text;
mod hostile;
mod hostile_secrets;
mod injection;
mod inner_commands;
mod judge;
mod masking;
mod messages;
mod options;
mod paths;
mod secret;
mod terminal;
mod upgrade;
