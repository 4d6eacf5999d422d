//! A Prisma 1 endpoint URL taken apart (`http(s)://host[:port]/[workspace/]service/stage`):
//! which service and stage a project, an env file or a command talks to.

/// The parts of a Prisma 1 endpoint URL, with the reference's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub host: String,
    pub workspace: String,
    pub service: String,
    pub stage: String,
}

/// Parses `http(s)://host[:port]/[workspace/]service/stage`; a missing
/// service or stage is `default`; demo servers always carry the workspace
/// first; Cloud-hosted private servers carry it in the host name.
pub fn parse_endpoint(url: &str) -> Option<Endpoint> {
    let rest = url.trim().split_once("://")?.1;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Sub-paths of a service: management API, admin, import/export.
    while let Some(last) = segs.last() {
        if matches!(
            *last,
            "management" | "cluster" | "_admin" | "import" | "export" | "private"
        ) {
            segs.pop();
        } else {
            break;
        }
    }
    // Three segments: the first is the workspace (demo or not); fewer are service/stage.
    let mut workspace = String::new();
    if segs.len() >= 3 {
        if !segs.is_empty() {
            workspace = segs.remove(0).to_string();
        }
    } else if let Some(sub) = host.strip_suffix(".prisma.sh") {
        if let Some((_, ws)) = sub.split_once(['_', '.']) {
            workspace = ws.to_string();
        }
    }
    let service = segs.first().map_or("default", |s| s).to_string();
    let stage = segs.get(1).map_or("default", |s| s).to_string();
    Some(Endpoint {
        url: url.trim().trim_end_matches('/').to_string(),
        host,
        workspace,
        service,
        stage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_with_defaults() {
        let e = parse_endpoint("https://eu1.prisma.sh/jane/shop/dev")
            .map(|e| (e.host, e.workspace, e.service, e.stage));
        assert_eq!(
            e,
            Some((
                "eu1.prisma.sh".into(),
                "jane".into(),
                "shop".into(),
                "dev".into()
            ))
        );
        let e = parse_endpoint("http://localhost:4466").map(|e| (e.service, e.stage));
        assert_eq!(e, Some(("default".into(), "default".into())));
        let e = parse_endpoint("https://c1_acme.prisma.sh/api/prod/management")
            .map(|e| (e.workspace, e.service, e.stage));
        assert_eq!(e, Some(("acme".into(), "api".into(), "prod".into())));
        let e = parse_endpoint("https://prisma.example.com/ws/api/prod")
            .map(|e| (e.workspace, e.service));
        assert_eq!(e, Some(("ws".into(), "api".into())));
        let e = parse_endpoint("https://us1.prisma.sh/server/dev")
            .map(|e| (e.workspace, e.service, e.stage));
        assert_eq!(e, Some((String::new(), "server".into(), "dev".into())));
    }
}
