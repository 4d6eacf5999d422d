//! The lower floors of prisma1-lint: the data every stage passes along
//! (`finding`, `text`, `mask`, `display`, `kind`, `paths`, `par`), reading
//! untrusted files (`decode`, `fsread`, `yaml`, `sniff`), the facts the
//! files state (`facts`) and the upgrade's analysis (`upgrade`). The
//! `prisma1-lint` crate re-exports every module at the same path; this crate
//! imports nothing above it (see ARCHITECTURE.md at the repository root).

pub mod decode;
pub mod display;
pub mod facts;
pub mod finding;
pub mod fsread;
pub mod kind;
pub mod mask;
pub mod par;
pub mod paths;
pub mod sniff;
pub mod text;
pub mod upgrade;
pub mod yaml;
