//! What the files of a repository say, beyond single lines of text:
//! package.json dependencies, prisma.yml projects, env files, and the shell
//! commands that CI configs and scripts run.

pub mod commands;
pub mod endpoint;
pub mod env_file;
pub mod hints;
pub mod instructions;
pub mod package_json;
pub mod prisma_yml;
pub mod secrets;
pub mod server;

use crate::kind::FileKind;
use crate::paths::{join, parent};
use commands::CommandSite;
use env_file::EnvFile;
use package_json::PackageJson;
use prisma_yml::PrismaYml;
use std::collections::BTreeMap;

/// Everything one file contributed to the repository's facts.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    pub package_json: Option<PackageJson>,
    /// (Boxed: it is large, few files have one, and the facts of every
    /// file are held until the repository is judged.)
    pub prisma_yml: Option<Box<PrismaYml>>,
    pub env: Option<EnvFile>,
    pub commands: Vec<CommandSite>,
    /// Prisma 1 server configs (`PRISMA_CONFIG`, server prisma.yml).
    pub servers: Vec<server::ServerConfig>,
    /// docker-compose service names: hosts that count as local.
    pub compose_services: Vec<String>,
    /// Kubernetes Services (names that route to server pods).
    pub kube_services: Vec<server::KubeService>,
    /// Kubernetes Secrets and ConfigMaps, by name with their keys.
    pub kube_env_sources: Vec<server::KubeEnvSource>,
    /// docker-compose services' environments, for commands run in them.
    pub compose_envs: Vec<commands::ServiceEnv>,
    /// A makefile's text, kept so a Makefile that `include`s it (or that it
    /// includes) can be read with both files' variables.
    pub make_source: Option<String>,
    /// `.graphqlconfig` files: the prisma.yml paths of `extensions.prisma`.
    pub graphql_prisma: Vec<String>,
    /// The `prisma` version a lockfile pins.
    pub locked_prisma: Option<String>,
    /// Source lines that findings from facts may quote, by line number,
    /// with the spans of the secrets in them.
    pub lines: BTreeMap<usize, crate::text::RepoText>,
    /// The file never mentions Prisma: only its commands that may run
    /// another file of the repository are kept ([`commands::keep::may_run_repo_file`]).
    pub callers_only: bool,
    /// Secret values of the commands that were not kept, for redaction.
    pub dropped_secrets: Vec<String>,
    /// Endpoints this file records (generated client, schema banner,
    /// `.graphqlconfig`, hosting env): see [`hints`].
    pub endpoint_hints: Vec<hints::EndpointHint>,
    /// A Dockerfile's image: where it copies the build context's files.
    pub image: Option<commands::image::ImageLayout>,
    /// Lines that tell the operator to set the management secret by hand
    /// (see [`instructions`]).
    pub secret_instructions: Vec<usize>,
}

impl FileFacts {
    pub fn is_empty(&self) -> bool {
        self.package_json.is_none()
            && self.prisma_yml.is_none()
            && self.env.is_none()
            && self.commands.is_empty()
            && self.servers.is_empty()
            && self.compose_services.is_empty()
            && self.kube_services.is_empty()
            && self.kube_env_sources.is_empty()
            && self.compose_envs.is_empty()
            && self.make_source.is_none()
            && self.locked_prisma.is_none()
            && self.graphql_prisma.is_empty()
            && self.endpoint_hints.is_empty()
            && self.image.is_none()
            && self.secret_instructions.is_empty()
    }

    /// The quoted source lines of `loc`, as recorded at extraction time.
    /// Long lines are clipped around the location, and a command spanning
    /// many lines shows its first lines only.
    pub fn snippet(&self, loc: &crate::finding::Location) -> crate::text::RepoText {
        crate::finding::clip_snippet(
            (loc.line..=loc.end_line).filter_map(|l| self.lines.get(&l).map(|t| (l, t))),
            loc,
        )
    }

    pub(crate) fn remember_lines(&mut self, text: &str, spans: &crate::mask::LazySpans<'_>) {
        let mut wanted: Vec<(usize, usize)> = self
            .commands
            .iter()
            .map(|c| (c.location.line, c.location.end_line))
            .collect();
        wanted.extend(
            self.servers
                .iter()
                .map(|s| (s.location.line, s.location.end_line)),
        );
        if let Some(e) = self.prisma_yml.as_ref().and_then(|p| p.endpoint.as_ref()) {
            wanted.push((e.location.line, e.location.end_line));
        }
        wanted.extend(
            self.endpoint_hints
                .iter()
                .map(|h| (h.location.line, h.location.end_line)),
        );
        if let Some(env) = &self.env {
            wanted.extend(
                env.vars
                    .values()
                    .map(|e| (e.location.line, e.location.end_line)),
            );
        }
        if wanted.is_empty() {
            return;
        }
        // Sorted ranges walked alongside the line ends: linear in both, and
        // a line no range wants costs one step of memchr.
        wanted.sort_unstable();
        let bytes = text.as_bytes();
        let mut ends = memchr::memchr_iter(b'\n', bytes);
        let (mut n, mut start) = (1, 0);
        for &(a, b) in &wanted {
            while n <= b && start < bytes.len() {
                let end = ends.next();
                if n >= a && !self.lines.contains_key(&n) {
                    // As `str::lines` gives it: no `\n`, nor a `\r` before one.
                    let stop = match end {
                        Some(e) if e > start && bytes[e - 1] == b'\r' => e - 1,
                        Some(e) => e,
                        None => bytes.len(),
                    };
                    let line = crate::text::RepoText::from_file(bytes, start, stop, spans.get());
                    self.lines.insert(n, line);
                }
                n += 1;
                start = end.map_or(bytes.len(), |e| e + 1);
            }
        }
    }
}

/// Whether [`extract`] can find anything in the file `rel` of `kind`,
/// decided from the path and the prefilter alone so that most files are
/// never decoded. Env files, prisma.yml and callers (Makefiles, shell
/// scripts, CI files, Dockerfiles, compose, Procfiles, Kubernetes: `make
/// deploy` may run the script that says "prisma") count without the word;
/// other kinds need a mention of Prisma. Source code, JSON data, GraphQL and
/// Prisma 2 schemas have no extractor: a `.ts` file importing
/// `@prisma/client` needs no JSON, YAML or shell parser.
pub fn wanted(rel: &str, kind: FileKind, mentions_prisma: bool, text: &[u8]) -> bool {
    // The secret's variable name holds `PRISMA`: a file the prefilter found
    // no keyword in has no instruction, and is not searched again for one.
    let instructions = |text| mentions_prisma && instructions::wanted(kind, text);
    match kind {
        k if k.runs_commands() || matches!(k, FileKind::Env | FileKind::PrismaYml) => true,
        FileKind::Script | FileKind::Graphql => {
            env_file::is_template(rel)
                || hints::wanted(kind, text, mentions_prisma)
                || instructions(text)
        }
        FileKind::Text => env_file::is_template(rel) || instructions(text),
        FileKind::Json | FileKind::PrismaSchema => env_file::is_template(rel),
        _ => mentions_prisma || env_file::is_template(rel),
    }
}

/// Makefiles larger than this are not kept for `include` resolution.
const MAX_MAKE_SOURCE: usize = 256 * 1024;

/// Extracts the facts of one file. Problems (malformed JSON or YAML) come back
/// as a message; the file's other findings still count.
///
/// `mentions_prisma` is the prefilter's verdict on the file. A file that
/// never mentions Prisma keeps only the commands that may run another file
/// (what a caller contributes to another file's Prisma command): a
/// workflow's hundred build steps cost nothing after extraction.
pub fn extract(
    path: &str,
    kind: FileKind,
    text: &str,
    mentions_prisma: bool,
) -> (FileFacts, Option<String>) {
    let spans = crate::mask::LazySpans::new(kind, text.as_bytes());
    extract_with(path, kind, text, mentions_prisma, &spans)
}

/// [`extract`] with the file's secret spans shared with its other findings.
pub fn extract_with(
    path: &str,
    kind: FileKind,
    text: &str,
    mentions_prisma: bool,
    spans: &crate::mask::LazySpans<'_>,
) -> (FileFacts, Option<String>) {
    let mut facts = FileFacts::default();
    let mut problem = None;
    match kind {
        FileKind::PackageJson => match PackageJson::parse(path, text) {
            Ok(p) => facts.package_json = Some(p),
            Err(e) => problem = Some(format!("malformed package.json: {e}")),
        },
        FileKind::PrismaYml => match PrismaYml::parse(path, text) {
            Ok(p) => facts.prisma_yml = Some(Box::new(p)),
            Err(e) => problem = Some(format!("malformed YAML: {e}")),
        },
        FileKind::Env => facts.env = Some(EnvFile::parse(path, text)),
        // Templates of env files (`variables.env.example`) are evidence of what the real file holds.
        _ if env_file::is_template(path) => facts.env = Some(EnvFile::parse(path, text)),
        FileKind::Lockfile => facts.locked_prisma = locked_prisma(text),
        FileKind::GraphqlConfig => {
            facts.graphql_prisma = match crate::yaml::parse(text) {
                Ok(docs) => {
                    facts.endpoint_hints = hints::graphql_config(path, text, &docs);
                    docs.iter().flat_map(graphql_prisma_projects).collect()
                }
                // Some real configs use flow-list layouts this parser rejects;
                // the one key needed here is easy to read line by line.
                Err(_) => graphql_prisma_lines(text),
            }
        }
        FileKind::Script | FileKind::Graphql | FileKind::Vercel | FileKind::HerokuApp => {
            facts.endpoint_hints = hints::extract(path, kind, text);
        }
        _ => {}
    }
    if kind.is_yaml() && text.contains("PRISMA_CONFIG") {
        match crate::yaml::parse(text) {
            Ok(docs) => {
                facts.servers = server::from_yaml(path, text, &docs);
                if kind == FileKind::Compose {
                    facts.compose_services = compose_services(&docs);
                }
            }
            Err(e) => problem = Some(format!("malformed YAML: {e}")),
        }
    } else if kind == FileKind::Compose {
        if let Ok(docs) = crate::yaml::parse(text) {
            facts.compose_services = compose_services(&docs);
        }
    }
    if kind.is_yaml() && text.contains("kind:") {
        if let Ok(docs) = crate::yaml::parse(text) {
            facts.kube_services = server::kube_services(&docs);
            facts.kube_env_sources = server::kube_env_sources(&docs);
        }
    }
    match kind {
        FileKind::Dockerfile => {
            facts.servers.extend(server::from_dockerfile(path, text));
            facts.image = Some(commands::image_layout(text)).filter(|l| !l.copies.is_empty());
        }
        FileKind::Shell => facts.servers.extend(server::from_hook(path, text)),
        _ => {}
    }
    if kind == FileKind::Compose {
        facts.compose_envs = commands::service_envs(path, text);
    }
    // (The variable's name holds a Prisma keyword; see `wanted`.)
    if mentions_prisma {
        facts.secret_instructions = instructions::secret_lines(kind, text);
    }
    if kind == FileKind::Makefile && text.len() <= MAX_MAKE_SOURCE {
        facts.make_source = Some(text.to_string());
    }
    if let Some(p) = &facts.prisma_yml {
        if p.is_server_config {
            let at = p.management_api_secret.as_ref().map(|v| v.location.clone());
            facts.servers.push(server::ServerConfig {
                location: at.unwrap_or_else(|| {
                    crate::finding::Location::from_bytes(
                        path,
                        text.as_bytes(),
                        0,
                        text.find('\n').unwrap_or(text.len()),
                    )
                }),
                has_secret: p
                    .management_api_secret
                    .as_ref()
                    .is_some_and(|v| !v.text.trim().is_empty()),
                secret_known: true,
                label: path.to_string(),
                kind: server::ServerKind::ConfigFile,
                names: Vec::new(),
                ports: Vec::new(),
                labels: Vec::new(),
                secret_var: None,
            });
        }
    }
    let keep = if mentions_prisma {
        commands::Keep::Relevant
    } else {
        commands::Keep::Callers
    };
    facts.callers_only = !mentions_prisma;
    let extracted = commands::extract_kept(path, kind, text, keep);
    facts.commands = extracted.sites;
    facts.dropped_secrets = extracted.dropped_secrets;
    if extracted.over_cap > 0 {
        problem.get_or_insert(format!(
            "more than {} commands that may matter: the {} after them were not judged",
            commands::MAX_KEPT_SITES,
            extracted.over_cap
        ));
    }
    if facts
        .prisma_yml
        .as_ref()
        .is_some_and(|p| !p.is_server_config)
    {
        facts.commands.extend(prisma_yml::command_sites(path, text));
    }
    facts.remember_lines(text, spans);
    // Held until the repository is judged: no room to grow.
    facts.commands.shrink_to_fit();
    (facts, problem)
}

/// `prisma: PATH` lines of a .graphqlconfig that does not parse.
fn graphql_prisma_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim();
            t.strip_prefix("prisma:")
                .or_else(|| t.strip_prefix("\"prisma\":"))
        })
        .map(|v| {
            v.trim()
                .trim_end_matches(',')
                .trim_matches(['"', '\''])
                .to_string()
        })
        .filter(|v| v.ends_with(".yml") || v.ends_with(".yaml"))
        .collect()
}

/// Every `extensions: {prisma: PATH}` in a .graphqlconfig tree, in file order.
fn graphql_prisma_projects(node: &crate::yaml::Node) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in node.entries() {
        if k.as_str() == Some("extensions") {
            if let Some(p) = v.get("prisma").and_then(crate::yaml::Node::as_str) {
                out.push(p.to_string());
            }
        }
        out.extend(graphql_prisma_projects(v));
    }
    out
}

fn compose_services(docs: &[crate::yaml::Node]) -> Vec<String> {
    docs.first()
        .and_then(|d| d.get("services"))
        .map(|s| {
            s.entries()
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The `prisma` version pinned by package-lock.json, yarn.lock or pnpm-lock.yaml.
fn locked_prisma(text: &str) -> Option<String> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        let header = t.starts_with("\"node_modules/prisma\": {")
            || t.starts_with("\"prisma\": {")
            || t.starts_with("prisma@")
            || t.starts_with("\"prisma@");
        if header {
            for next in lines.by_ref().take(4) {
                let n = next.trim();
                let v = n
                    .strip_prefix("\"version\": \"")
                    .or_else(|| n.strip_prefix("version \""))
                    .or_else(|| n.strip_prefix("version: "));
                if let Some(v) = v {
                    return Some(
                        v.trim_end_matches([',', '"', '\''])
                            .trim_start_matches('\'')
                            .to_string(),
                    );
                }
            }
        }
        // pnpm keys: `/prisma/1.34.10:` (lockfile 5), `/prisma@1.34.10:` (6),
        // `prisma@1.34.10:` (9), with an optional peer suffix `(typescript@5.0.0)`.
        if let Some(rest) = t
            .strip_prefix("/prisma@")
            .or_else(|| t.strip_prefix("/prisma/"))
            .or_else(|| t.strip_prefix("prisma@"))
        {
            if let Some(v) = rest.strip_suffix(':') {
                let v = v.split('(').next().unwrap_or(v).trim_matches(['\'', '"']);
                return Some(v.to_string());
            }
        }
    }
    None
}

/// The facts of the whole repository, keyed by repository-relative path.
#[derive(Debug, Default)]
pub struct RepoFacts {
    pub files: BTreeMap<String, FileFacts>,
    /// The repository installs the Prisma 1 CLI globally, pinned
    /// (`npm i -g prisma@1.34.10`): a `prisma` on the PATH of its images
    /// and CI jobs is Prisma 1 where no package.json says otherwise.
    pub global_prisma1: Option<commands::CommandSite>,
    /// The Dockerfiles the repository builds each image from (`docker
    /// build -t NAME -f FILE`), by image name (see [`commands::image`]).
    pub images: BTreeMap<String, Vec<String>>,
    /// What every package.json of the repository, in any folder, says of
    /// Prisma: `Prisma1` when some declare Prisma 1 packages and none Prisma
    /// ORM, `Orm` the other way round, `None` when they disagree or say nothing.
    pub declared_prisma: Option<package_json::PrismaCli>,
    /// Lookups the command judgements make for every command, built at the
    /// first one: the set of files is settled once the scan has merged.
    index: std::sync::OnceLock<Index>,
}

/// Where the package.json files are, by folder, and workspace packages by name.
#[derive(Debug, Default)]
struct Index {
    files: usize,
    package_dirs: std::collections::HashSet<String>,
    workspaces: std::collections::HashMap<String, String>,
    /// Per file, the positions in its `commands` of `source`/`.` lines:
    /// each command that may call a function looks only at those.
    sourcing: std::collections::HashMap<String, Vec<usize>>,
}

impl RepoFacts {
    fn index(&self) -> &Index {
        let index = self.index.get_or_init(|| {
            let mut index = Index {
                files: self.files.len(),
                ..Index::default()
            };
            for (path, f) in &self.files {
                let at: Vec<usize> = f
                    .commands
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        matches!(s.argv.first().map(String::as_str), Some("source" | "."))
                    })
                    .map(|(i, _)| i)
                    .collect();
                if !at.is_empty() {
                    index.sourcing.insert(path.clone(), at);
                }
                let Some(p) = &f.package_json else { continue };
                index.package_dirs.insert(parent(path).to_string());
                if let Some(name) = &p.name {
                    // The first in path order, as a search of the files finds it.
                    index
                        .workspaces
                        .entry(name.clone())
                        .or_insert_with(|| parent(path).to_string());
                }
            }
            index
        });
        debug_assert_eq!(index.files, self.files.len(), "files added after the index");
        index
    }

    /// The `source`/`.` commands of the file at `path`, in file order.
    pub fn sourcing<'a>(&'a self, path: &str) -> impl Iterator<Item = &'a commands::CommandSite> {
        let f = self.files.get(path);
        self.index()
            .sourcing
            .get(path)
            .into_iter()
            .flatten()
            .filter_map(move |&i| f?.commands.get(i))
    }

    /// The package.json nearest to `dir` (itself or a parent), with its path.
    pub fn nearest_package(&self, dir: &str) -> Option<(&str, &PackageJson)> {
        let index = self.index();
        let mut d = dir.trim_matches('/');
        loop {
            // Only a folder known to hold one costs a lookup by path.
            if index.package_dirs.contains(d) {
                let path = if d.is_empty() {
                    "package.json".to_string()
                } else {
                    format!("{d}/package.json")
                };
                if let Some((k, f)) = self.files.get_key_value(&path) {
                    if let Some(p) = &f.package_json {
                        return Some((k.as_str(), p));
                    }
                }
            }
            if d.is_empty() {
                return None;
            }
            d = parent(d);
        }
    }

    /// The `prisma` version locked next to the package in `dir`.
    pub fn locked_prisma(&self, dir: &str) -> Option<&str> {
        [
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
        ]
        .iter()
        .find_map(|f| {
            self.files
                .get(&join(dir, f))
                .and_then(|x| x.locked_prisma.as_deref())
        })
    }

    /// The folder of the workspace package named `name` (`yarn workspace NAME`).
    pub fn workspace_dir(&self, name: &str) -> Option<&str> {
        self.index().workspaces.get(name).map(String::as_str)
    }

    pub fn env_file(&self, path: &str) -> Option<&EnvFile> {
        self.files.get(path).and_then(|f| f.env.as_ref())
    }

    pub fn prisma_yml(&self, path: &str) -> Option<&PrismaYml> {
        self.files.get(path).and_then(|f| f.prisma_yml.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_that_are_never_decoded_have_no_facts() {
        // Every Prisma 1 signal at once: if an extractor ever learns one of
        // these kinds, `wanted` must learn it too.
        let text = "prisma deploy\nendpoint: https://eu1.prisma.sh/a/b/c\nPRISMA_CONFIG: |\n  port: 4466\n\"scripts\": {\"d\": \"prisma deploy\"}\nprisma@1.34.0:\n  version \"1.34.0\"\n";
        for kind in FileKind::ALL {
            if wanted("dir/file", kind, true, text.as_bytes()) {
                continue;
            }
            let (facts, _) = extract("dir/file", kind, text, true);
            assert!(
                facts.is_empty(),
                "{kind:?} has facts but is never extracted"
            );
        }
        assert!(wanted(".env", FileKind::Env, false, b""));
        assert!(wanted("Makefile", FileKind::Makefile, false, b""));
        assert!(!wanted("package.json", FileKind::PackageJson, false, b""));
        assert!(wanted("package.json", FileKind::PackageJson, true, b""));
        assert!(!wanted("src/a.ts", FileKind::Script, true, b"import x"));
        assert!(wanted(
            "src/a.ts",
            FileKind::Script,
            true,
            b"makePrismaClientClass({"
        ));
    }

    #[test]
    fn a_file_keeps_only_commands_that_can_matter() {
        let text = "build:\n\tcargo build\n\tAPI_TOKEN=tok-3b1f9c7e cargo publish\ndeploy:\n\tnpm run deploy\n\t./scripts/up.sh\n\tmake -C api migrate\n\tbash tools/x.sh\n\techo \"S=$$SECRET\" >> .env\n\tPRISMA_MANAGEMENT_API_SECRET=$$S docker compose up\n\t$(P) deploy\n";
        let (mentions, _) = extract("Makefile", FileKind::Makefile, text, true);
        let (callers, _) = extract("Makefile", FileKind::Makefile, text, false);
        let programs = |f: &FileFacts| -> Vec<String> {
            f.commands.iter().map(|c| c.argv.join(" ")).collect()
        };
        let run_files = [
            "deploy",
            "./scripts/up.sh",
            "make -C api migrate",
            "bash tools/x.sh",
        ];
        // A file that mentions Prisma also keeps what names it (in its words
        // or its text) and what writes variables; not `cargo build`.
        let mut relevant: Vec<&str> = run_files.to_vec();
        relevant.extend(["echo S=$SECRET", "docker compose up"]);
        assert_eq!(programs(&mentions), relevant);
        // Any file keeps compose and image builds: the env files compose
        // fills a server from, the Dockerfile behind an image name.
        let mut read_anyway: Vec<&str> = run_files.to_vec();
        read_anyway.push("docker compose up");
        assert_eq!(programs(&callers), read_anyway);
        assert!(callers.callers_only && !mentions.callers_only);
        // What is dropped still feeds redaction.
        assert_eq!(callers.dropped_secrets, ["tok-3b1f9c7e"]);
        assert_eq!(mentions.dropped_secrets, ["tok-3b1f9c7e"]);
        // Lines are remembered only for the commands kept.
        assert!(!callers.lines.contains_key(&2) && !mentions.lines.contains_key(&2));
        assert!(mentions.lines.contains_key(&9) && !callers.lines.contains_key(&9));
    }

    #[test]
    fn a_file_keeps_at_most_the_cap_of_commands_with_a_note() {
        // As the scan reads a file: lines and columns from one index.
        let _lines = crate::finding::LineIndexScope::new();
        let max = commands::MAX_KEPT_SITES;
        let text = "prisma1 deploy\n".repeat(max + 7);
        let (f, note) = extract("run.sh", FileKind::Shell, &text, true);
        assert_eq!(f.commands.len(), max);
        assert!(
            note.is_some_and(|n| n.contains("the 7 after them")),
            "{f:?}"
        );
        // Below the cap: every command, no note.
        let text = "prisma1 deploy\n".repeat(max);
        let (f, note) = extract("run.sh", FileKind::Shell, &text, true);
        assert_eq!((f.commands.len(), note), (max, None));
    }

    #[test]
    fn remembered_lines_are_the_lines_of_the_ranges() {
        let texts = [
            "",
            "a",
            "a\n",
            "a\r\nb\r\n\nc",
            "x\ny\r",
            "\n\n\n",
            "one\ntwo\nthree\nfour\n",
        ];
        let ranges = [(1, 1), (2, 3), (1, 4), (3, 3), (2, 2), (5, 9), (4, 4)];
        for text in texts {
            for k in 0..ranges.len() {
                let mut f = FileFacts::default();
                for &(a, b) in &ranges[k..] {
                    let mut site = commands::CommandSite::default();
                    (site.location.line, site.location.end_line) = (a, b);
                    f.commands.push(site);
                }
                let spans = crate::mask::LazySpans::new(FileKind::Shell, text.as_bytes());
                f.remember_lines(text, &spans);
                let got: BTreeMap<usize, String> =
                    f.lines.iter().map(|(n, l)| (*n, l.masked())).collect();
                let want: BTreeMap<usize, String> = text
                    .lines()
                    .enumerate()
                    .map(|(i, l)| (i + 1, l.to_string()))
                    .filter(|(n, _)| ranges[k..].iter().any(|&(a, b)| a <= *n && *n <= b))
                    .collect();
                assert_eq!(got, want, "{text:?} {:?}", &ranges[k..]);
            }
        }
    }

    #[test]
    fn graphqlconfig_prisma_project_survives_layouts_the_parser_rejects() {
        let text = "projects:\n  database:\n    schemaPath: src/generated/prisma.graphql\n    extensions:\n      prisma: database/prisma.yml\n      endpoints: [\n        \"http://localhost:4466\"\n    ]\n";
        let (facts, problem) = extract(".graphqlconfig.yml", FileKind::GraphqlConfig, text, true);
        assert_eq!(
            facts.graphql_prisma,
            vec!["database/prisma.yml".to_string()]
        );
        assert!(problem.is_none());
        let json =
            "{\"projects\": {\"db\": {\"extensions\": {\"prisma\": \"prisma/prisma.yml\"}}}}";
        assert_eq!(
            extract(".graphqlconfig", FileKind::GraphqlConfig, json, true)
                .0
                .graphql_prisma,
            vec!["prisma/prisma.yml".to_string()]
        );
    }
}
