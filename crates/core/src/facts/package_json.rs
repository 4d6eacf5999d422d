//! package.json: dependency entries with their exact positions, and which
//! Prisma CLI the `prisma` binary of this package is.

use crate::finding::Location;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::{CollectOptions, ParseOptions};
use nodejs_semver::{Range, Version};

/// Package.json dependency sections checked when a rule names none.
pub const DEPENDENCY_SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// One `"name": "range"` entry of a dependency section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub section: String,
    pub name: String,
    pub range: String,
    /// The whole `"name": "range"` entry.
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    /// The package's `name`: the workspace name `yarn workspace NAME` and
    /// `npm -w NAME` refer to.
    pub name: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// Its scripts whose names start with `prisma` (`"prisma": "..."`):
    /// `yarn run prisma` runs such a script, not the CLI. Only these names
    /// are kept: the scripts' commands are read as command sites.
    pub prisma_scripts: Vec<String>,
}

/// Which CLI a `prisma` binary is, from the version range that installs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrismaCli {
    /// Every allowed version is below 2: the Prisma 1 CLI.
    Prisma1,
    /// Every allowed version is 2 or later: Prisma ORM.
    Orm,
    /// A range spanning both, a tag, a URL: cannot tell from the range alone.
    Ambiguous,
}

impl PackageJson {
    /// Parses `text`; `None` when it is not a JSON object (the caller reports it).
    pub fn parse(path: &str, text: &str) -> Result<PackageJson, String> {
        let opts = ParseOptions::default();
        let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &opts)
            .map_err(|e| e.to_string())?;
        let Some(Value::Object(root)) = parsed.value else {
            return Err("not a JSON object".into());
        };
        let mut dependencies = Vec::new();
        for section in DEPENDENCY_SECTIONS {
            if let Some(obj) = root.get_object(section) {
                collect(path, text, section, obj, &mut dependencies);
            }
        }
        let name = root.get_string("name").map(|n| n.value.to_string());
        let prisma_scripts = root
            .get_object("scripts")
            .map(|o| {
                o.properties
                    .iter()
                    .map(|p| p.name.as_str())
                    .filter(|n| n.starts_with("prisma"))
                    .take(64)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(PackageJson {
            name,
            dependencies,
            prisma_scripts,
        })
    }

    pub fn dependency(&self, name: &str) -> Option<&Dependency> {
        self.dependencies.iter().find(|d| d.name == name)
    }

    /// What `prisma <cmd>` runs in this package, if it declares `prisma`,
    /// `prisma1`, `@prisma/cli` or `prisma2`.
    pub fn prisma_cli(&self) -> Option<PrismaCli> {
        if let Some(dep) = self.dependency("prisma") {
            return Some(classify_range(&dep.range));
        }
        if self.dependency("@prisma/cli").is_some() || self.dependency("prisma2").is_some() {
            return Some(PrismaCli::Orm);
        }
        None
    }
}

fn collect(path: &str, text: &str, section: &str, obj: &Object<'_>, out: &mut Vec<Dependency>) {
    for prop in &obj.properties {
        let range = match &prop.value {
            Value::StringLit(s) => s.value.to_string(),
            _ => continue,
        };
        out.push(Dependency {
            section: section.to_string(),
            name: prop.name.as_str().to_string(),
            range,
            location: Location::from_bytes(path, text.as_bytes(), prop.range.start, prop.range.end),
        });
    }
}

/// Does the npm range `range` only allow versions below `limit`?
/// Tags (`latest`), URLs and unparsable ranges answer `false`: not provably old.
pub fn only_below(range: &str, limit: &Version) -> bool {
    let range = strip_alias(range);
    let Ok(r) = Range::parse(range) else {
        return false;
    };
    if range.trim().is_empty() || range.trim() == "*" {
        return false;
    }
    let Ok(at_or_above) = Range::parse(format!(">={limit}")) else {
        return false;
    };
    !r.allows_any(&at_or_above) && r.min_version().is_some()
}

/// `npm:prisma@1.34.10` aliases carry the real range after the last `@`.
fn strip_alias(range: &str) -> &str {
    match range.strip_prefix("npm:") {
        Some(rest) => rest.rsplit_once('@').map_or(rest, |(_, v)| v),
        None => range,
    }
}

pub fn classify_range(range: &str) -> PrismaCli {
    let two = Version::from((2, 0, 0));
    if only_below(range, &two) {
        return PrismaCli::Prisma1;
    }
    let r = strip_alias(range);
    if let (Ok(r), Ok(below)) = (Range::parse(r), Range::parse("<2.0.0")) {
        if !r.allows_any(&below) && !matches!(range.trim(), "" | "*" | "latest") {
            return PrismaCli::Orm;
        }
    }
    if range.trim() == "latest" {
        // `latest` has installed Prisma ORM since 2.16.0.
        return PrismaCli::Orm;
    }
    PrismaCli::Ambiguous
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_that_only_allow_1x() {
        for r in [
            "1.34.10",
            "^1.34.10",
            "~1.30.0",
            "1.x",
            ">=1.0.0 <2",
            "npm:prisma@1.34.10",
        ] {
            assert_eq!(classify_range(r), PrismaCli::Prisma1, "{r}");
        }
        for r in ["^2.0.0", "5.22.0", ">=2.15", "latest", "^4"] {
            assert_eq!(classify_range(r), PrismaCli::Orm, "{r}");
        }
        for r in ["*", ">=1", "github:prisma/prisma"] {
            assert_eq!(classify_range(r), PrismaCli::Ambiguous, "{r}");
        }
    }

    #[test]
    fn dependency_entries_keep_their_line() {
        let text = "{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"prisma-binding\": \"^2.3.0\"\n  }\n}\n";
        let pkg = PackageJson::parse("package.json", text).unwrap_or_default();
        let dep = pkg
            .dependency("prisma-binding")
            .map(|d| (d.location.line, d.location.column, d.range.as_str()));
        assert_eq!(dep, Some((4, 5, "^2.3.0")));
    }

    #[test]
    fn malformed_json_is_an_error() {
        assert!(PackageJson::parse("package.json", "{\"a\": ").is_err());
        assert!(PackageJson::parse("package.json", "[1]").is_err());
    }
}
