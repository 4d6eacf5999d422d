//! The integration tests, one crate (one test binary to build and link),
//! a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod audit_merge;
mod cli;
mod commands;
mod fix;
mod flags;
mod given;
mod help_text;
mod hostile;
mod hostile_secrets;
mod inner_commands;
mod messages;
mod paths;
mod secret;
mod terminal;
