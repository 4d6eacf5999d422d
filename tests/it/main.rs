//! The integration tests, one crate (one test binary to build and link),
//! a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod audit_failures;
mod cli;
mod commands;
mod config_echo;
mod fix;
mod fix_writes;
mod given;
mod help_text;
mod hostile;
mod hostile_secrets;
mod injection;
mod inner_commands;
mod secret;
mod terminal;
