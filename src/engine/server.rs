//! The server-config matcher: Prisma 1 servers defined in the repository.

use super::ActiveRule;
use crate::facts::RepoFacts;
use crate::finding::Finding;
use crate::rules::ServerConfigMatcher;

pub fn apply(
    ar: &ActiveRule<'_>,
    sm: &ServerConfigMatcher,
    repo: &RepoFacts,
    out: &mut Vec<Finding>,
) {
    let template = sm.message.as_ref().unwrap_or(&ar.rule.message);
    for facts in repo.files.values() {
        for server in &facts.servers {
            // A config kept in another file (`ENV PRISMA_CONFIG_PATH`) is judged there.
            if sm.without_secret && (server.has_secret || !server.secret_known) {
                continue;
            }
            let lookup = |n: &str| (n == "server").then_some(server.label.as_str());
            let message = template.render(lookup);
            let label = sm.label.as_ref().unwrap_or(&ar.rule.label).render(lookup);
            out.push(Finding {
                location: server.location.clone(),
                rule: ar.rule.id.clone(),
                severity: ar.severity,
                message,
                snippet: facts.snippet(&server.location),
                matched: format!("server config {}", server.label),
                related: Vec::new(),
                suppressed: None,
                mention: false,
                label,
                snippet_span: None,
                notes: Vec::new(),
                confidence: None,
                origin: crate::finding::Origin::Code,
                fix: None,
            });
        }
    }
}
