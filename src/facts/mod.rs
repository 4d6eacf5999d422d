//! What the files of a repository say, beyond single lines of text:
//! package.json dependencies and scripts, prisma.yml projects, env files,
//! and the shell commands that CI configs and scripts run.

pub mod yaml;
pub mod commands;
