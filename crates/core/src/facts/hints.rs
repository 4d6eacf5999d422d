//! What a repository records of a Prisma 1 service's endpoint besides the
//! project's own prisma.yml: a committed generated client (its endpoint is
//! baked in as a literal), the `# source:` banner of a schema that `graphql
//! get-schema` downloaded, the `extensions.endpoints` of a `.graphqlconfig`
//! project that names a prisma.yml, and the env a hosting config gives its
//! deployments (now.json / vercel.json `env`, app.json `env`). The audit and
//! the secret check read these when the endpoint itself cannot be resolved.

use crate::finding::Location;
use crate::kind::FileKind;

/// Where a recorded endpoint comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HintKind {
    /// `endpoint: \`https://...\`` in a generated `prisma-client`.
    GeneratedClient,
    /// `# source: https://...` at the top of a downloaded schema.
    SchemaSource,
    /// `extensions.endpoints` of a `.graphqlconfig` Prisma project.
    GraphqlConfig,
    /// A variable of a hosting config's environment (`var` names it).
    Hosting,
}

impl HintKind {
    pub fn describe(self) -> &'static str {
        match self {
            HintKind::GeneratedClient => "generated client",
            HintKind::SchemaSource => "downloaded schema",
            HintKind::GraphqlConfig => ".graphqlconfig endpoint",
            HintKind::Hosting => "hosting env",
        }
    }
}

/// One recorded value of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointHint {
    pub kind: HintKind,
    /// The variable it is a value of (hosting env); `None` for a whole URL.
    pub var: Option<String>,
    pub value: String,
    pub location: Location,
}

/// Most hints one file gives: a generated client has one endpoint.
const MAX_HINTS: usize = 16;

/// Whether a file of `kind` may hold hints, told from its first bytes and
/// the prefilter, before it is decoded.
pub fn wanted(kind: FileKind, text: &[u8], mentions_prisma: bool) -> bool {
    match kind {
        FileKind::Script => {
            mentions_prisma && memchr::memmem::find(text, b"makePrismaClientClass").is_some()
        }
        FileKind::Graphql => text.starts_with(b"# source: "),
        _ => false,
    }
}

/// The hints of one file.
pub fn extract(path: &str, kind: FileKind, text: &str) -> Vec<EndpointHint> {
    let mut out = match kind {
        FileKind::Script => generated_client(path, text),
        FileKind::Graphql => schema_source(path, text),
        FileKind::Vercel | FileKind::HerokuApp => {
            crate::facts::commands::hosting_env(path, kind, text)
                .into_iter()
                .filter(|(_, v, _)| v.starts_with("http"))
                .map(|(var, value, location)| EndpointHint {
                    kind: HintKind::Hosting,
                    var: Some(var),
                    value,
                    location,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    out.truncate(MAX_HINTS);
    out
}

/// `endpoint: \`https://eu1.prisma.sh/...\`` after `makePrismaClientClass`
/// (JavaScript and TypeScript clients); an endpoint read from the environment
/// at run time (`${process.env["X"]}`) is no record of a value.
fn generated_client(path: &str, text: &str) -> Vec<EndpointHint> {
    let Some(at) = text.find("makePrismaClientClass") else {
        return Vec::new();
    };
    let rest = &text[at..];
    let Some(k) = rest.find("endpoint:") else {
        return Vec::new();
    };
    let value_at = at + k + "endpoint:".len();
    let value = text[value_at..].trim_start();
    let start = value_at + (text.len() - value_at - value.len());
    let Some(quote) = value
        .chars()
        .next()
        .filter(|c| matches!(c, '`' | '\'' | '"'))
    else {
        return Vec::new();
    };
    let Some(end) = value[1..].find(quote) else {
        return Vec::new();
    };
    let url = &value[1..1 + end];
    if !url.starts_with("http") || url.contains("${") || url.len() > 2048 {
        return Vec::new();
    }
    vec![EndpointHint {
        kind: HintKind::GeneratedClient,
        var: None,
        value: url.to_string(),
        location: Location::from_bytes(path, text.as_bytes(), start + 1, start + 1 + end),
    }]
}

/// `# source: https://...` on the first line of a `.graphql` schema.
fn schema_source(path: &str, text: &str) -> Vec<EndpointHint> {
    let line = text.lines().next().unwrap_or_default();
    let Some(url) = line.strip_prefix("# source: ").map(str::trim) else {
        return Vec::new();
    };
    if !url.starts_with("http") || url.len() > 2048 {
        return Vec::new();
    }
    let start = line.len() - line.trim_start_matches("# source: ").len();
    vec![EndpointHint {
        kind: HintKind::SchemaSource,
        var: None,
        value: url.to_string(),
        location: Location::from_bytes(path, text.as_bytes(), start, start + url.len()),
    }]
}

/// The `extensions.endpoints` URLs of `.graphqlconfig` projects whose
/// `extensions` also name a prisma.yml, with where they are written.
pub fn graphql_config(path: &str, text: &str, docs: &[crate::yaml::Node]) -> Vec<EndpointHint> {
    fn walk(node: &crate::yaml::Node, out: &mut Vec<(String, crate::yaml::Pos)>, depth: usize) {
        if depth > 32 {
            return;
        }
        for (k, v) in node.entries() {
            if k.as_str() == Some("extensions") && v.get("prisma").is_some() {
                if let Some(e) = v.get("endpoints") {
                    let urls = e.entries().iter().map(|(_, u)| u).chain(e.items());
                    for u in urls.chain(std::iter::once(e)) {
                        if let Some(s) = u.as_str().filter(|s| s.starts_with("http")) {
                            out.push((s.to_string(), u.pos()));
                        }
                    }
                }
            }
            walk(v, out, depth + 1);
        }
        for i in node.items() {
            walk(i, out, depth + 1);
        }
    }
    let mut found = Vec::new();
    for d in docs {
        walk(d, &mut found, 0);
    }
    found
        .into_iter()
        .take(MAX_HINTS)
        .map(|(value, pos)| {
            let start = text
                .get(pos.byte..)
                .and_then(|t| t.find(value.as_str()))
                .map_or(pos.byte, |k| pos.byte + k);
            EndpointHint {
                kind: HintKind::GraphqlConfig,
                var: None,
                location: Location::from_bytes(
                    path,
                    text.as_bytes(),
                    start,
                    (start + value.len()).min(text.len()),
                ),
                value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_endpoints_of_generated_clients_and_schemas() {
        let js = "// Code generated by Prisma (prisma@1.34.10). DO NOT EDIT.\nexports.Prisma = makePrismaClientClass({\n  typeDefs,\n  models,\n  endpoint: `https://eu1.prisma.sh/jane/shop/dev`\n});\n";
        let h = extract("src/generated/prisma-client/index.js", FileKind::Script, js);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].value, "https://eu1.prisma.sh/jane/shop/dev");
        assert_eq!((h[0].location.line, h[0].location.column), (5, 14));
        let env = js.replace(
            "`https://eu1.prisma.sh/jane/shop/dev`",
            "`${process.env[\"PRISMA_ENDPOINT\"]}`",
        );
        assert!(extract("index.js", FileKind::Script, &env).is_empty());
        let gql =
            "# source: http://localhost:4466/shop/dev\n# timestamp: now\n\ntype Query { a: Int }\n";
        let h = extract("src/generated/prisma.graphql", FileKind::Graphql, gql);
        assert_eq!(h[0].value, "http://localhost:4466/shop/dev");
        assert!(wanted(FileKind::Graphql, gql.as_bytes(), false));
        assert!(!wanted(FileKind::Script, b"const x = 1", true));
    }

    #[test]
    fn hosting_env_values_that_are_urls() {
        let now = r#"{"env": {"PRISMA_ENDPOINT": "https://shop-prisma.herokuapp.com/shop/prod", "PRISMA_SECRET": "@prisma-secret"}}"#;
        let h = extract("now.json", FileKind::Vercel, now);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].var.as_deref(), Some("PRISMA_ENDPOINT"));
    }

    #[test]
    fn graphqlconfig_endpoints_of_prisma_projects_only() {
        let text = "projects:\n  app:\n    extensions:\n      endpoints:\n        default: http://localhost:4000\n  database:\n    extensions:\n      prisma: prisma/prisma.yml\n      endpoints:\n        default: https://prisma.example.com/shop/dev\n";
        let docs = crate::yaml::parse(text).unwrap_or_default();
        let h = graphql_config(".graphqlconfig.yml", text, &docs);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].value, "https://prisma.example.com/shop/dev");
        assert_eq!(h[0].location.line, 10);
    }
}
