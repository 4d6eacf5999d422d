//! prisma.yml: the Prisma 1 project file (endpoint, secret, datamodel), or a
//! Prisma 1 *server* config that happens to share the name.

use super::commands::{self, CommandSite};
use crate::finding::Location;
use crate::yaml::{self, Node, ScalarStyle};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrismaYml {
    pub endpoint: Option<Value>,
    pub datamodel: Vec<String>,
    pub secret: Option<Value>,
    pub cluster: Option<Value>,
    pub service: Option<Value>,
    pub stage: Option<Value>,
    /// `port`/`databases` at the top: a server config, not a CLI project.
    pub is_server_config: bool,
    pub management_api_secret: Option<Value>,
    /// `generate[].output` folders, as written (relative to the file).
    pub generate_outputs: Vec<String>,
}

impl PrismaYml {
    pub fn parse(path: &str, text: &str) -> Result<PrismaYml, String> {
        let docs = yaml::parse(text)?;
        let Some(root) = docs.first() else {
            return Ok(PrismaYml::default());
        };
        let value = |key: &str| root.get(key).and_then(|n| scalar(path, text, n));
        let datamodel = root
            .get("datamodel")
            .map(|n| {
                n.strings()
                    .into_iter()
                    .map(|(s, _)| s.to_string())
                    .collect()
            })
            .unwrap_or_default();
        Ok(PrismaYml {
            endpoint: value("endpoint"),
            datamodel,
            secret: value("secret"),
            cluster: value("cluster"),
            service: value("service"),
            stage: value("stage"),
            is_server_config: root.get("port").is_some() || root.get("databases").is_some(),
            management_api_secret: value("managementApiSecret"),
            generate_outputs: root
                .get("generate")
                .map(|g| {
                    g.items()
                        .iter()
                        .filter_map(|i| i.get("output")?.as_str().map(str::to_string))
                        .take(16)
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// A CLI project (not a server config) with a datamodel or an endpoint.
    pub fn is_project(&self) -> bool {
        !self.is_server_config
            && (!self.datamodel.is_empty() || self.endpoint.is_some() || self.cluster.is_some())
    }
}

/// The shell commands a project runs on the CLI's behalf: `hooks.post-deploy`
/// (a string or a list) after `deploy`, and `seed.run` when seeding. The CLI
/// runs them in the folder of prisma.yml.
pub fn command_sites(path: &str, text: &str) -> Vec<CommandSite> {
    let Ok(docs) = yaml::parse(text) else {
        return Vec::new();
    };
    let Some(root) = docs.first() else {
        return Vec::new();
    };
    let cwd = crate::paths::parent(path);
    let mut sites = Vec::new();
    if let Some(hook) = root.get("hooks").and_then(|h| h.get("post-deploy")) {
        sites.extend(commands::from_yaml_strings(
            path,
            text,
            hook,
            "prisma.yml hook post-deploy",
            cwd,
        ));
    }
    if let Some(run) = root.get("seed").and_then(|s| s.get("run")) {
        sites.extend(commands::from_yaml_strings(
            path,
            text,
            run,
            "prisma.yml seed run",
            cwd,
        ));
    }
    sites
}

fn scalar(path: &str, text: &str, node: &Node) -> Option<Value> {
    let Node::Scalar { value, pos, style } = node else {
        return None;
    };
    let start = pos.byte;
    let end = match style {
        ScalarStyle::Quoted => text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i)
            .min(start + value.len() + 2),
        _ => start + value.len(),
    };
    let end = end.min(text.len());
    Some(Value {
        text: value.clone(),
        location: Location::from_bytes(path, text.as_bytes(), start, end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_project_keys() {
        let p = PrismaYml::parse("prisma.yml", "endpoint: https://eu1.prisma.sh/w/s/dev\ndatamodel: datamodel.prisma\nsecret: ${env:PRISMA_SECRET}\n").unwrap_or_default();
        assert!(p.is_project());
        assert_eq!(
            p.endpoint
                .map(|e| (e.text, e.location.line, e.location.column)),
            Some(("https://eu1.prisma.sh/w/s/dev".into(), 1, 11))
        );
        assert_eq!(p.datamodel, vec!["datamodel.prisma".to_string()]);
    }

    #[test]
    fn hooks_and_seed_are_command_sites() {
        let text = "endpoint: http://localhost:4466\ndatamodel: d.prisma\nhooks:\n  post-deploy:\n    - graphql get-schema -p prisma\n    - prisma generate\nseed:\n  run: node seed.js\n";
        let sites = command_sites("api/prisma/prisma.yml", text);
        let view: Vec<String> = sites
            .iter()
            .map(|s| {
                format!(
                    "{}:{} {} [{}] {}",
                    s.location.line,
                    s.location.column,
                    s.cwd,
                    s.argv.join(" "),
                    s.source
                )
            })
            .collect();
        assert_eq!(
            view,
            [
                "5:7 api/prisma [graphql get-schema -p prisma] prisma.yml hook post-deploy",
                "6:7 api/prisma [prisma generate] prisma.yml hook post-deploy",
                "8:8 api/prisma [node seed.js] prisma.yml seed run",
            ]
        );
        let one = command_sites(
            "prisma.yml",
            "hooks:\n  post-deploy: prisma1 generate && echo ok\n",
        );
        assert_eq!(one.len(), 2);
        assert_eq!(one[0].argv, ["prisma1", "generate"]);
        assert_eq!(one[0].cwd, "");
    }

    #[test]
    fn tells_server_config_apart() {
        let p = PrismaYml::parse(
            "prisma.yml",
            "port: 4466\ndatabases:\n  default:\n    connector: postgres\n",
        )
        .unwrap_or_default();
        assert!(p.is_server_config && !p.is_project());
    }
}
