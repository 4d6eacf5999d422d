//! The integration tests, one crate (one test binary to build and link),
//! a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod cli;
mod commands;
mod fix;
mod given;
mod help_text;
mod hostile;
mod hostile_secrets;
mod inner_commands;
mod masking;
mod secret;
mod terminal;
