//! The command matcher: which command sites run the Prisma 1 CLI, with which
//! environment, against which endpoint. The rule files say what to report;
//! these rooms only answer the questions they ask. This file only names
//! them: each room imports the ones it needs directly, never through here.

mod classes;
mod effective;
mod env;
mod evidence;
mod invocation;
mod judge;
mod opaque;
mod recorded;
mod render;
mod servers;
mod target;
mod url;

pub use classes::{cli_local_host, talks_to, Talks, COMMAND_CLASSES};
pub use env::{Absent, EnvView};
pub use evidence::{judge_secret, Judgement};
pub use invocation::{
    classify, effective_cwd, find_project, Invocation, DOCS_SEVERITY, ORM_ONLY, P1_ONLY,
};
pub use judge::{apply, Expanded};
pub use recorded::{recorded, Recorded};
pub use servers::{Link, Protection, RepoContext};
pub use target::{classify_url, is_cloud_host, resolve_target, EndpointClass, Target};
pub use url::host_port;
