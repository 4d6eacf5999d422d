//! What the audit's builders share: a [`Place`] for a location, the tool's
//! words before repository text, a server's class, and the map of services
//! that [`super::build`] fills and [`super::usage`] attaches commands to.

use super::model::{Place, Service};
use crate::engine::commands::is_cloud_host;
use crate::finding::Location;
use crate::text::{RepoText, Text};
use std::collections::BTreeMap;

pub(super) fn place(loc: &Location, text: Text) -> Place {
    Place {
        path: loc.path.to_string(),
        line: loc.line,
        text,
    }
}

/// The tool's words `head` followed by repository text `tail`.
pub(super) fn said(head: &str, tail: RepoText) -> Text {
    let mut t = Text::tool(head);
    t.push_repo(tail);
    t
}

/// `cloud-shared`, `cloud-private`, `local` or `private`.
pub fn server_class(host: &str, compose_services: &[String]) -> &'static str {
    if host == "eu1.prisma.sh" || host == "us1.prisma.sh" {
        "cloud-shared"
    } else if is_cloud_host(host) {
        "cloud-private"
    } else if matches!(host, "localhost" | "127.0.0.1" | "prisma" | "0.0.0.0")
        || compose_services.iter().any(|s| s == host)
    {
        "local"
    } else {
        "private"
    }
}

/// Services by identity, each with the (project, env file) readings that define it.
pub(super) type ServiceMap = BTreeMap<String, (Service, Vec<(Option<String>, Option<String>)>)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_classes() {
        assert_eq!(server_class("us1.prisma.sh", &[]), "cloud-shared");
        assert_eq!(server_class("c_ws.prisma.sh", &[]), "cloud-private");
        assert_eq!(server_class("db", &["db".to_string()]), "local");
        assert_eq!(server_class("prisma.example.com", &[]), "private");
    }
}
