//! What a file is, decided from its path (and, for scripts without an
//! extension, its shebang). Rules and fact extractors select files by kind.

use serde::{Deserialize, Serialize};

/// The kinds of file prisma1-lint tells apart. `Text` is everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    PackageJson,
    Lockfile,
    PrismaYml,
    GraphqlConfig,
    Env,
    Dockerfile,
    Compose,
    Makefile,
    Shell,
    Procfile,
    HerokuApp,
    GithubActions,
    GitlabCi,
    Circleci,
    Travis,
    Bitbucket,
    AzurePipelines,
    Jenkinsfile,
    Netlify,
    Vercel,
    Yaml,
    Json,
    Script,
    Markdown,
    Graphql,
    PrismaSchema,
    Text,
}

impl FileKind {
    pub const ALL: [FileKind; 27] = [
        FileKind::PackageJson,
        FileKind::Lockfile,
        FileKind::PrismaYml,
        FileKind::GraphqlConfig,
        FileKind::Env,
        FileKind::Dockerfile,
        FileKind::Compose,
        FileKind::Makefile,
        FileKind::Shell,
        FileKind::Procfile,
        FileKind::HerokuApp,
        FileKind::GithubActions,
        FileKind::GitlabCi,
        FileKind::Circleci,
        FileKind::Travis,
        FileKind::Bitbucket,
        FileKind::AzurePipelines,
        FileKind::Jenkinsfile,
        FileKind::Netlify,
        FileKind::Vercel,
        FileKind::Yaml,
        FileKind::Json,
        FileKind::Script,
        FileKind::Markdown,
        FileKind::Graphql,
        FileKind::PrismaSchema,
        FileKind::Text,
    ];

    /// Classifies a repository-relative path with `/` separators.
    pub fn from_path(path: &str) -> FileKind {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let in_dir = |dir: &str| path.starts_with(dir) || path.contains(&format!("/{dir}"));
        match lower.as_str() {
            "package.json" => return FileKind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml" => {
                return FileKind::Lockfile
            }
            "prisma.yml" => return FileKind::PrismaYml,
            ".graphqlconfig" | ".graphqlconfig.yml" | ".graphqlconfig.yaml" => {
                return FileKind::GraphqlConfig
            }
            "dockerfile" | "containerfile" => return FileKind::Dockerfile,
            "makefile" | "gnumakefile" => return FileKind::Makefile,
            "procfile" => return FileKind::Procfile,
            "app.json" => return FileKind::HerokuApp,
            ".gitlab-ci.yml" | ".gitlab-ci.yaml" => return FileKind::GitlabCi,
            ".travis.yml" | ".travis.yaml" => return FileKind::Travis,
            "bitbucket-pipelines.yml" | "bitbucket-pipelines.yaml" => return FileKind::Bitbucket,
            "azure-pipelines.yml" | "azure-pipelines.yaml" => return FileKind::AzurePipelines,
            "jenkinsfile" => return FileKind::Jenkinsfile,
            "netlify.toml" => return FileKind::Netlify,
            "vercel.json" | "now.json" => return FileKind::Vercel,
            ".env" => return FileKind::Env,
            _ => {}
        }
        if lower.starts_with(".env.") || ext == "env" {
            return FileKind::Env;
        }
        if lower.starts_with("dockerfile.") || ext == "dockerfile" {
            return FileKind::Dockerfile;
        }
        if ext == "mk" || lower.starts_with("makefile.") {
            return FileKind::Makefile;
        }
        if lower.starts_with("procfile.") {
            return FileKind::Procfile;
        }
        if lower.starts_with("jenkinsfile.") || ext == "jenkinsfile" {
            return FileKind::Jenkinsfile;
        }
        let yaml = ext == "yml" || ext == "yaml";
        if yaml {
            if in_dir(".github/workflows/")
                || (in_dir(".github/actions/") && lower.starts_with("action."))
            {
                return FileKind::GithubActions;
            }
            if lower == "action.yml" || lower == "action.yaml" {
                return FileKind::GithubActions;
            }
            if in_dir(".circleci/") {
                return FileKind::Circleci;
            }
            if lower.starts_with("docker-compose") || lower.starts_with("compose.") {
                return FileKind::Compose;
            }
            if lower.starts_with("azure-pipelines") {
                return FileKind::AzurePipelines;
            }
            return FileKind::Yaml;
        }
        match ext {
            "sh" | "bash" | "zsh" | "ksh" => FileKind::Shell,
            "json" | "jsonc" | "json5" => FileKind::Json,
            "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte"
            | "dart" | "go" | "py" | "rb" | "java" | "kt" | "swift" | "php" | "cs" | "rs"
            | "scala" | "groovy" | "ex" | "exs" | "clj" => FileKind::Script,
            "md" | "markdown" | "mdx" => FileKind::Markdown,
            "graphql" | "gql" => FileKind::Graphql,
            "prisma" => FileKind::PrismaSchema,
            _ => FileKind::Text,
        }
    }

    /// Refines `Text` using the first line: `#!/bin/sh` and friends make a shell script.
    pub fn refine_with_content(self, head: &[u8]) -> FileKind {
        if self != FileKind::Text || !head.starts_with(b"#!") {
            return self;
        }
        let first = head.split(|&b| b == b'\n').next().unwrap_or(head);
        let first = String::from_utf8_lossy(first);
        let shells = ["sh", "bash", "zsh", "dash", "ksh"];
        let words: Vec<&str> = first[2..].split_whitespace().collect();
        let program = match words.as_slice() {
            [env, prog, ..] if env.ends_with("/env") => prog.trim_start_matches("-S"),
            [prog, ..] => prog.rsplit('/').next().unwrap_or(prog),
            [] => "",
        };
        if shells.contains(&program) {
            FileKind::Shell
        } else {
            self
        }
    }

    /// The comment leaders that can carry an inline suppression in this kind.
    pub fn comment_styles(self) -> &'static [&'static str] {
        match self {
            FileKind::PackageJson
            | FileKind::Json
            | FileKind::Lockfile
            | FileKind::HerokuApp
            | FileKind::Vercel => &[],
            FileKind::Script => &["//", "/*", "#"],
            FileKind::Jenkinsfile => &["//", "/*"],
            FileKind::Markdown => &["<!--"],
            FileKind::Graphql | FileKind::PrismaSchema => &["#", "//"],
            _ => &["#"],
        }
    }

    pub fn name(self) -> &'static str {
        // Kept in sync with the serde names by `names_round_trip`.
        match self {
            FileKind::PackageJson => "package-json",
            FileKind::Lockfile => "lockfile",
            FileKind::PrismaYml => "prisma-yml",
            FileKind::GraphqlConfig => "graphql-config",
            FileKind::Env => "env",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
            FileKind::Makefile => "makefile",
            FileKind::Shell => "shell",
            FileKind::Procfile => "procfile",
            FileKind::HerokuApp => "heroku-app",
            FileKind::GithubActions => "github-actions",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::Circleci => "circleci",
            FileKind::Travis => "travis",
            FileKind::Bitbucket => "bitbucket",
            FileKind::AzurePipelines => "azure-pipelines",
            FileKind::Jenkinsfile => "jenkinsfile",
            FileKind::Netlify => "netlify",
            FileKind::Vercel => "vercel",
            FileKind::Yaml => "yaml",
            FileKind::Json => "json",
            FileKind::Script => "script",
            FileKind::Markdown => "markdown",
            FileKind::Graphql => "graphql",
            FileKind::PrismaSchema => "prisma-schema",
            FileKind::Text => "text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in FileKind::ALL {
            let json = serde_json::to_value(kind).ok();
            assert_eq!(json, Some(serde_json::Value::String(kind.name().into())));
        }
    }

    #[test]
    fn classifies_ci_and_env_files() {
        assert_eq!(
            FileKind::from_path(".github/workflows/ci.yml"),
            FileKind::GithubActions
        );
        assert_eq!(
            FileKind::from_path("apps/api/.env.production"),
            FileKind::Env
        );
        assert_eq!(
            FileKind::from_path("docker-compose.prod.yml"),
            FileKind::Compose
        );
        assert_eq!(
            FileKind::from_path("server/Dockerfile.dev"),
            FileKind::Dockerfile
        );
        assert_eq!(
            FileKind::from_path(".circleci/config.yml"),
            FileKind::Circleci
        );
        assert_eq!(FileKind::from_path("deploy.sh"), FileKind::Shell);
        assert_eq!(
            FileKind::from_path("prisma/prisma.yml"),
            FileKind::PrismaYml
        );
        assert_eq!(FileKind::from_path("README.md"), FileKind::Markdown);
    }

    #[test]
    fn shebang_makes_a_shell_script() {
        let kind =
            FileKind::from_path("bin/deploy").refine_with_content(b"#!/usr/bin/env bash\necho");
        assert_eq!(kind, FileKind::Shell);
        let kind = FileKind::from_path("bin/tool").refine_with_content(b"#!/usr/bin/env node\n");
        assert_eq!(kind, FileKind::Text);
    }
}
