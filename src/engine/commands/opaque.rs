//! Sources that may provide any variable: Kubernetes `envFrom`, `docker run
//! --env-file`, secret-manager wrappers (`doppler run --`, `chamber exec`,
//! `op run`). When the source is a manifest or file in the repository, its
//! keys decide; otherwise it counts as providing the variable.

use crate::facts::commands::CommandSite;
use crate::facts::RepoFacts;

/// Where an opaque source around `site` provides `var`, if one does.
pub fn provides(_site: &CommandSite, _repo: &RepoFacts, _var: &str) -> Option<String> {
    None
}
