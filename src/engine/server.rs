//! The server-config matcher: Prisma 1 servers defined in the repository.

use super::active::ActiveRule;
use crate::facts::RepoFacts;
use crate::finding::Finding;
use crate::rules::ServerConfigMatcher;
use crate::text::Text;

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
            // A server's label is a path or a compose service name: a place.
            let name = || Text::tool(server.label.as_str());
            let lookup = |n: &str| (n == "server").then(name);
            let message = template.render_text(lookup);
            let label = sm
                .label
                .as_ref()
                .unwrap_or(&ar.rule.label)
                .render_text(lookup);
            out.push(Finding {
                location: server.location.clone(),
                rule: ar.rule.id.clone(),
                severity: ar.severity,
                message,
                snippet: facts.snippet(&server.location),
                matched: {
                    let mut m = Text::tool("server config ");
                    m.push(name());
                    m
                },
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
