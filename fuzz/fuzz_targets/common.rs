//! What the targets share: the file names that select each kind of file.

/// One name per kind of file the scanner treats differently; the first
/// input byte picks one.
pub const NAMES: &[&str] = &[
    "package.json",
    "app.json",
    "vercel.json",
    "netlify.toml",
    "Procfile",
    "Makefile",
    "Dockerfile",
    "docker-compose.yml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    ".travis.yml",
    "bitbucket-pipelines.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    "scripts/deploy.sh",
    "README.md",
    "prisma/prisma.yml",
    ".env",
    "package-lock.json",
    "yarn.lock",
    ".graphqlconfig.yml",
    "k8s/deploy.yaml",
    "src/index.js",
    "src/schema.graphql",
    "config.json",
];

pub fn name(selector: u8) -> &'static str {
    NAMES[usize::from(selector) % NAMES.len()]
}
