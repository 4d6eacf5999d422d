//! `prisma1-lint upgrade`: the schema work of the upgrade to Prisma ORM,
//! predicted from the repository alone. Prisma 1 mapped a datamodel to
//! tables in a fixed way, so the database it created, what that database
//! lacks for Prisma ORM, and the SQL that adds it can all be worked out
//! without connecting to it (prisma1-upgrade needs the live database).
//!
//! Layers, lowest first: `datamodel` (the SDL, parsed), `relations` and
//! `schema` (the database Prisma 1 made of it), `plan` (incompatibilities
//! and operations), `sql` and `psl` (renderings), `connector` and `service`
//! (what the repository says about each service). The rule engine's
//! `datamodel` matcher reads `plan`; `command` is the CLI on top. So two
//! floors of ARCHITECTURE.md live here: everything but `command` is on the
//! facts floor, `command` on the top floor with the other commands.

pub mod connector;
pub mod datamodel;
pub mod plan;
pub mod psl;
pub mod relations;
pub mod schema;
pub mod service;
pub mod sql;
