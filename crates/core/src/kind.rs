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
    /// A Kubernetes manifest: YAML with `apiVersion` and `kind` at the top level.
    Kubernetes,
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

/// File names and their kinds, first match wins; `*` matches any run of
/// characters. Names are compared lower-cased. Paths decide only two kinds
/// before this table (`.github/workflows/*.yml`, `.circleci/*.yml`);
/// extensions (`.js`, `.md`, ...) decide after it; content refines `text`
/// (shebang) and `yaml` (Kubernetes) in [`FileKind::refine_with_content`].
pub const NAME_TABLE: &[(&str, FileKind)] = &[
    ("package.json", FileKind::PackageJson),
    ("package-lock.json", FileKind::Lockfile),
    ("npm-shrinkwrap.json", FileKind::Lockfile),
    ("yarn.lock", FileKind::Lockfile),
    ("pnpm-lock.yaml", FileKind::Lockfile),
    ("prisma.yml", FileKind::PrismaYml),
    (".graphqlconfig", FileKind::GraphqlConfig),
    (".graphqlconfig.yml", FileKind::GraphqlConfig),
    (".graphqlconfig.yaml", FileKind::GraphqlConfig),
    ("dockerfile", FileKind::Dockerfile),
    ("dockerfile.*", FileKind::Dockerfile),
    ("dockerfile-*", FileKind::Dockerfile),
    ("dockerfile_*", FileKind::Dockerfile),
    ("*.dockerfile", FileKind::Dockerfile),
    ("containerfile", FileKind::Dockerfile),
    ("containerfile.*", FileKind::Dockerfile),
    ("docker-compose*.yml", FileKind::Compose),
    ("docker-compose*.yaml", FileKind::Compose),
    ("compose*.yml", FileKind::Compose),
    ("compose*.yaml", FileKind::Compose),
    ("makefile", FileKind::Makefile),
    ("gnumakefile", FileKind::Makefile),
    ("makefile.*", FileKind::Makefile),
    ("*.mk", FileKind::Makefile),
    ("*.mak", FileKind::Makefile),
    ("procfile", FileKind::Procfile),
    ("procfile.*", FileKind::Procfile),
    ("app.json", FileKind::HerokuApp),
    (".gitlab-ci.yml", FileKind::GitlabCi),
    (".gitlab-ci.yaml", FileKind::GitlabCi),
    (".travis.yml", FileKind::Travis),
    (".travis.yaml", FileKind::Travis),
    ("bitbucket-pipelines.yml", FileKind::Bitbucket),
    ("bitbucket-pipelines.yaml", FileKind::Bitbucket),
    ("azure-pipelines*.yml", FileKind::AzurePipelines),
    ("azure-pipelines*.yaml", FileKind::AzurePipelines),
    ("jenkinsfile", FileKind::Jenkinsfile),
    ("jenkinsfile.*", FileKind::Jenkinsfile),
    ("*.jenkinsfile", FileKind::Jenkinsfile),
    ("netlify.toml", FileKind::Netlify),
    ("vercel.json", FileKind::Vercel),
    ("now.json", FileKind::Vercel),
    ("action.yml", FileKind::GithubActions),
    ("action.yaml", FileKind::GithubActions),
    (".env", FileKind::Env),
    (".env.*", FileKind::Env),
    ("*.env", FileKind::Env),
    ("*.sh", FileKind::Shell),
    ("*.bash", FileKind::Shell),
    ("*.zsh", FileKind::Shell),
    ("*.ksh", FileKind::Shell),
];

/// Kinds told by the folder before the name: GitHub Actions workflows and
/// actions, CircleCI configs (`lower` is the lower-cased name, `ext` its extension).
fn by_folder(path: &str, lower: &str, ext: &str) -> Option<FileKind> {
    // `dir` is a path's first folder or follows a `/`.
    let in_dir = |dir: &str| {
        path.match_indices(dir)
            .any(|(i, _)| i == 0 || path.as_bytes()[i - 1] == b'/')
    };
    // The first, HCL format of GitHub Actions (`.github/main.workflow`).
    if ext == "workflow" && in_dir(".github/") {
        return Some(FileKind::GithubActions);
    }
    if ext == "yml" || ext == "yaml" {
        if in_dir(".github/workflows/")
            || (in_dir(".github/actions/") && lower.starts_with("action."))
        {
            return Some(FileKind::GithubActions);
        }
        if in_dir(".circleci/") && !lower.starts_with("docker-compose") {
            return Some(FileKind::Circleci);
        }
    }
    None
}

/// [`NAME_TABLE`] split at its `*` once, with, for every first byte of a
/// name, the entries that can match it (those that start with that byte and
/// those that start with `*`), in the table's order: `from_path` runs for
/// every file of a scan and tries a handful of entries, not fifty.
struct NameTable {
    entries: Vec<(&'static str, Option<&'static str>, FileKind)>,
    by_first: Vec<Vec<usize>>,
}

fn name_table() -> &'static NameTable {
    static TABLE: std::sync::OnceLock<NameTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let entries: Vec<(&'static str, Option<&'static str>, FileKind)> = NAME_TABLE
            .iter()
            .map(|(p, k)| match p.split_once('*') {
                Some((pre, post)) => (pre, Some(post), *k),
                None => (*p, None, *k),
            })
            .collect();
        let by_first = (0..=255u8)
            .map(|b| {
                (0..entries.len())
                    .filter(|&i| {
                        let pre = entries[i].0.as_bytes();
                        pre.first().is_none_or(|&f| f == b)
                    })
                    .collect()
            })
            .collect();
        NameTable { entries, by_first }
    })
}

/// The kind an extension alone decides (`.js`, `.md`, ...), if any.
fn kind_of_extension(ext: &str) -> Option<FileKind> {
    Some(match ext {
        "json" | "jsonc" | "json5" => FileKind::Json,
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte" | "dart"
        | "go" | "py" | "rb" | "java" | "kt" | "swift" | "php" | "cs" | "rs" | "scala"
        | "groovy" | "ex" | "exs" | "clj" => FileKind::Script,
        "md" | "markdown" | "mdx" | "rst" => FileKind::Markdown,
        "graphql" | "gql" => FileKind::Graphql,
        "prisma" => FileKind::PrismaSchema,
        _ => return None,
    })
}

impl FileKind {
    pub const ALL: [FileKind; 28] = [
        FileKind::PackageJson,
        FileKind::Lockfile,
        FileKind::PrismaYml,
        FileKind::GraphqlConfig,
        FileKind::Env,
        FileKind::Dockerfile,
        FileKind::Compose,
        FileKind::Kubernetes,
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

    /// Classifies a repository-relative path with `/` separators, by
    /// [`NAME_TABLE`] first, then by extension.
    pub fn from_path(path: &str) -> FileKind {
        let name = memchr::memrchr(b'/', path.as_bytes()).map_or(path, |i| &path[i + 1..]);
        // Runs for every file of a scan: names are lower-cased on the stack.
        let mut stack = [0u8; 96];
        let heap;
        let lower: &str = if name.len() <= stack.len() {
            let buf = &mut stack[..name.len()];
            buf.copy_from_slice(name.as_bytes());
            buf.make_ascii_lowercase();
            std::str::from_utf8(buf).unwrap_or_default()
        } else {
            heap = name.to_ascii_lowercase();
            &heap
        };
        let ext = memchr::memrchr(b'.', lower.as_bytes()).map_or("", |i| &lower[i + 1..]);
        if let Some(kind) = by_folder(path, lower, ext) {
            return kind;
        }
        let yaml = ext == "yml" || ext == "yaml";
        let table = name_table();
        let n = lower.as_bytes();
        let by_ext = kind_of_extension(ext);
        // Only the entries that can match a name with this first byte, in
        // the table's order (the first match wins).
        let candidates = &table.by_first[usize::from(n.first().copied().unwrap_or(0))];
        if let Some(kind) = candidates
            .iter()
            .map(|&i| &table.entries[i])
            .find(|(pre, post, kind)| match post {
                None => n == pre.as_bytes(),
                // `Makefile.js` (ShellJS), `Dockerfile.ts`, `Procfile.md`:
                // a `NAME.*` pattern gives way to a language's extension.
                // Jenkinsfiles are Groovy, so `Jenkinsfile.groovy` stays one.
                Some("") if pre.ends_with('.') && by_ext.is_some() => {
                    *kind == FileKind::Jenkinsfile
                        && ext == "groovy"
                        && n.starts_with(pre.as_bytes())
                }
                Some(post) => {
                    n.len() >= pre.len() + post.len()
                        && n.starts_with(pre.as_bytes())
                        && n.ends_with(post.as_bytes())
                }
            })
            .map(|(_, _, k)| *k)
        {
            return kind;
        }
        if yaml {
            return FileKind::Yaml;
        }
        by_ext.unwrap_or(FileKind::Text)
    }

    /// Refines `Text` using the first line: `#!/bin/sh` and friends make a shell script.
    pub fn refine_with_content(self, head: &[u8]) -> FileKind {
        if self == FileKind::Yaml {
            return if is_kubernetes(head) {
                FileKind::Kubernetes
            } else {
                self
            };
        }
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

    /// Kinds whose commands may run another file's commands (`make deploy`,
    /// `./deploy.sh`, `npm run x`): read for facts even when they never
    /// mention Prisma, so a caller's environment reaches what it runs.
    pub fn runs_commands(self) -> bool {
        matches!(
            self,
            FileKind::Makefile
                | FileKind::Shell
                | FileKind::GithubActions
                | FileKind::GitlabCi
                | FileKind::Circleci
                | FileKind::Travis
                | FileKind::Bitbucket
                | FileKind::AzurePipelines
                | FileKind::Jenkinsfile
                | FileKind::Dockerfile
                | FileKind::Compose
                | FileKind::Procfile
                | FileKind::Kubernetes
        )
    }

    /// Is this kind YAML (so its facts come from a YAML tree)?
    pub fn is_yaml(self) -> bool {
        matches!(
            self,
            FileKind::Compose
                | FileKind::Kubernetes
                | FileKind::Yaml
                | FileKind::GithubActions
                | FileKind::GitlabCi
                | FileKind::Circleci
                | FileKind::Travis
                | FileKind::Bitbucket
                | FileKind::AzurePipelines
        )
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
            FileKind::Kubernetes => "kubernetes",
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

/// A Kubernetes manifest has `apiVersion:` and `kind:` keys at the start of
/// a line (top level of some document) in its first bytes.
fn is_kubernetes(head: &[u8]) -> bool {
    let at_line_start = |key: &[u8]| {
        head.starts_with(key)
            || memchr::memmem::find_iter(head, key).any(|i| i > 0 && head[i - 1] == b'\n')
    };
    at_line_start(b"apiVersion:") && at_line_start(b"kind:")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table read entry by entry for every name: what the indexed
    /// lookup of `from_path` must give.
    fn from_path_entry_by_entry(path: &str) -> FileKind {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if let Some(kind) = by_folder(path, &lower, ext) {
            return kind;
        }
        let yaml = ext == "yml" || ext == "yaml";
        let by_ext = kind_of_extension(ext);
        for (p, kind) in NAME_TABLE {
            let hit = match p.split_once('*') {
                None => lower == *p,
                Some((pre, "")) if pre.ends_with('.') && by_ext.is_some() => {
                    *kind == FileKind::Jenkinsfile && ext == "groovy" && lower.starts_with(pre)
                }
                Some((pre, post)) => {
                    lower.len() >= pre.len() + post.len()
                        && lower.starts_with(pre)
                        && lower.ends_with(post)
                }
            };
            if hit {
                return *kind;
            }
        }
        if yaml {
            return FileKind::Yaml;
        }
        by_ext.unwrap_or(FileKind::Text)
    }

    #[test]
    fn the_indexed_table_classifies_as_the_table_read_in_order() {
        let dirs = [
            "",
            "a/",
            "deep/er/",
            ".github/workflows/",
            ".github/actions/x/",
            ".github/",
            ".circleci/",
            "x.github/workflows/",
            "ci/.circleci/",
        ];
        let fills = [
            "", "prod", ".js", ".groovy", "-x", "_y", ".yml", ".local", "é",
        ];
        let mut names: Vec<String> = Vec::new();
        for (p, _) in NAME_TABLE {
            for fill in fills {
                let name = p.replace('*', fill);
                names.push(name.to_ascii_uppercase());
                names.push(name.clone());
                names.push(format!("{name}.md"));
                names.push(format!("x{name}"));
            }
        }
        for ext in [
            "yml", "yaml", "sh", "ts", "json", "env", "md", "workflow", "txt", "",
        ] {
            names.push(format!("action.{ext}"));
            names.push(format!("docker-compose.{ext}"));
            names.push(format!("file.{ext}"));
            names.push(format!(".{ext}"));
        }
        names.push(String::new());
        names.push("a".repeat(120) + ".sh");
        let mut checked = 0;
        for dir in dirs {
            for name in &names {
                let path = format!("{dir}{name}");
                assert_eq!(
                    FileKind::from_path(&path),
                    from_path_entry_by_entry(&path),
                    "{path}"
                );
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

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
    fn a_language_extension_wins_over_a_name_pattern() {
        // ShellJS build scripts are JavaScript, not makefiles.
        for (path, kind) in [
            ("Makefile.js", FileKind::Script),
            ("tools/makefile.ts", FileKind::Script),
            ("Dockerfile.md", FileKind::Markdown),
            ("Procfile.json", FileKind::Json),
            (".env.js", FileKind::Script),
            ("Jenkinsfile.groovy", FileKind::Jenkinsfile),
            ("Makefile.prod", FileKind::Makefile),
            ("Makefile.in", FileKind::Makefile),
            ("Dockerfile.dev", FileKind::Dockerfile),
            (".env.production", FileKind::Env),
        ] {
            assert_eq!(FileKind::from_path(path), kind, "{path}");
        }
    }

    #[test]
    fn name_table_covers_every_spelling() {
        let cases = [
            ("Dockerfile", FileKind::Dockerfile),
            ("api/Dockerfile.prod", FileKind::Dockerfile),
            ("Dockerfile-dev", FileKind::Dockerfile),
            ("Dockerfile_ci", FileKind::Dockerfile),
            ("docker/api.Dockerfile", FileKind::Dockerfile),
            ("docker/api.dockerfile", FileKind::Dockerfile),
            ("Containerfile", FileKind::Dockerfile),
            ("deploy.bash", FileKind::Shell),
            ("deploy.zsh", FileKind::Shell),
            ("makefile", FileKind::Makefile),
            ("GNUmakefile", FileKind::Makefile),
            ("build/rules.mk", FileKind::Makefile),
            ("docker-compose.override.yml", FileKind::Compose),
            ("docker-compose-prod.yaml", FileKind::Compose),
            ("compose.yaml", FileKind::Compose),
            ("compose.prod.yml", FileKind::Compose),
            ("azure-pipelines-release.yml", FileKind::AzurePipelines),
            ("k8s/deploy.yaml", FileKind::Yaml),
            ("docs/setup.rst", FileKind::Markdown),
        ];
        for (path, kind) in cases {
            assert_eq!(FileKind::from_path(path), kind, "{path}");
        }
    }

    #[test]
    fn kubernetes_manifests_are_told_by_content() {
        let k8s = b"# deploy\napiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\n";
        assert_eq!(
            FileKind::Yaml.refine_with_content(k8s),
            FileKind::Kubernetes
        );
        let other = b"name: x\nkind: thing\n";
        assert_eq!(FileKind::Yaml.refine_with_content(other), FileKind::Yaml);
        assert_eq!(
            FileKind::Compose.refine_with_content(k8s),
            FileKind::Compose
        );
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
