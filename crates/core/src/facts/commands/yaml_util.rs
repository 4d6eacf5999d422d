//! What YAML-based configs share: environment maps as scopes, and command
//! scalars (plain, quoted or `|` blocks) as positioned snippets.

use super::out::{Ctx, Out};
use super::shell;
use super::site::{EnvScope, EnvVar, ScopeKind, Vars};
use super::text::Snippet;
use crate::yaml::{Node, ScalarStyle};

/// A scope from `env:`/`variables:`/`environment:` in any of its shapes:
/// a map (`K: v`, `K: {value: v}`), a list of `K=v` strings, or a list of
/// `{name: K, value: v}`. `None` when it defines nothing.
pub(crate) fn scope(
    out: &Out,
    node: Option<&Node>,
    kind: ScopeKind,
    label: &str,
) -> Option<EnvScope> {
    let node = node?;
    let mut vars = Vars::new();
    for (k, v) in node.entries() {
        let Some(name) = k.as_str() else { continue };
        let value = match v {
            Node::Map { .. } => v.get("value").and_then(Node::as_str),
            other => other.as_str(),
        };
        vars.insert(name.to_string(), var(out, k, value));
    }
    for item in node.items() {
        if let Some(text) = item.as_str() {
            let (name, value) = text
                .split_once('=')
                .map_or((text, None), |(n, v)| (n, Some(v)));
            vars.insert(name.trim().to_string(), var(out, item, value));
        } else if let Some(name) = item.get("name").and_then(Node::as_str) {
            vars.insert(
                name.to_string(),
                var(out, item, item.get("value").and_then(Node::as_str)),
            );
        }
    }
    (!vars.is_empty()).then(|| EnvScope {
        kind,
        label: label.to_string(),
        vars,
    })
}

/// A variable defined at `node`; references (`$X`, `${{ secrets.X }}`) have no known value.
pub(crate) fn var(out: &Out, node: &Node, value: Option<&str>) -> EnvVar {
    let value = value.filter(|v| !v.contains('$')).map(str::to_string);
    EnvVar {
        value,
        location: out.location(node_span(node)),
    }
}

/// The file bytes a scalar node covers, as far as its start and text tell.
pub(crate) fn node_span(node: &Node) -> (usize, usize) {
    let pos = node.pos();
    match node {
        Node::Scalar {
            value,
            style: ScalarStyle::Plain,
            ..
        } => (
            pos.byte,
            pos.byte + value.lines().next().map_or(0, str::len),
        ),
        Node::Scalar {
            value,
            style: ScalarStyle::Quoted,
            ..
        } => (pos.byte, pos.byte + value.len() + 2),
        _ => (pos.byte, pos.byte + 1),
    }
}

/// Runs every command of a scalar (or of each scalar of a list) in one shell.
pub(crate) fn run_node(out: &mut Out, node: Option<&Node>, ctx: &Ctx, st: &mut shell::State) {
    let Some(node) = node else { return };
    for (_, item) in node.strings() {
        if let Some(snip) = Snippet::from_yaml(item, out.file) {
            shell::run_in(out, &snip, ctx, st);
        }
    }
}

/// The string under `key`, if any.
pub(crate) fn str_at<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_str)
}

/// Parses YAML, giving no documents rather than an error.
pub(crate) fn docs(text: &str) -> Vec<Node> {
    crate::yaml::parse(text).unwrap_or_default()
}

/// A CI working directory relative to the scan root, for a CI file whose
/// checkout is at `root`. Workspace prefixes (`${{ github.workspace }}/`,
/// `$CI_PROJECT_DIR/`, `~/project/`) are the checkout; other absolute paths
/// cannot be placed, so they mean the checkout.
pub(crate) fn repo_dir(root: &str, dir: &str) -> String {
    const CHECKOUT: [&str; 9] = [
        "${{ github.workspace }}",
        "${{github.workspace}}",
        "$GITHUB_WORKSPACE",
        "$CI_PROJECT_DIR",
        "$BITBUCKET_CLONE_DIR",
        "$TRAVIS_BUILD_DIR",
        "$(System.DefaultWorkingDirectory)",
        "$(Build.SourcesDirectory)",
        "~/project",
    ];
    let dir = dir.trim();
    let rest = CHECKOUT
        .iter()
        .find_map(|p| dir.strip_prefix(p))
        .map_or(dir, |r| r.trim_start_matches('/'));
    if rest.starts_with(['/', '~', '$']) {
        return root.to_string();
    }
    super::out::join_path(root, rest)
}

/// The folder a CI system runs a file's commands from: the checkout the file
/// belongs to. `.github/` and `.circleci/` sit at the top of their checkout;
/// `.gitlab-ci.yml`, `.travis.yml`, `Jenkinsfile` and the other pipeline
/// files sit in it. Scanning a folder of several repositories then places
/// each file's commands in its own repository.
pub(crate) fn ci_root(path: &str) -> String {
    for marker in [".github/", ".circleci/"] {
        let mut from = 0;
        while let Some(k) = path[from..].find(marker).map(|k| from + k) {
            if k == 0 || path.as_bytes()[k - 1] == b'/' {
                return path[..k].trim_end_matches('/').to_string();
            }
            from = k + 1;
        }
    }
    super::out::dir_of(path)
}
