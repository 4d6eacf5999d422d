//! Safe fix for `unpinned-global-cli`: pin the global install to the 1.x
//! version the project already uses (its lockfile, else its package.json),
//! else the last real 1.x release of the `prisma` package, 1.34.10 (1.34.12
//! of `prisma` is only a stub telling you to install `prisma1`). The package
//! name stays `prisma`, so the `prisma deploy` that follows keeps working.

use super::context::{Ctx, Sources};
use crate::finding::Finding;
use crate::finding::{Applicability, Edit, Fix};
use crate::text::{RepoText, Text};

/// The last release of the `prisma` package that is the Prisma 1 CLI.
pub const LAST_PRISMA_1: &str = "1.34.10";

pub fn fix(f: &Finding, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    let path = f.location.path.as_ref();
    let text = src.text(path)?;
    let site = super::login::site_at(ctx, f)?;
    let (s, e) = (site.location.start_byte, site.location.end_byte);
    let (ws, we) = word(text.get(s..e)?)?;
    let version = project_version(ctx, &site.cwd);
    let replacement = format!("prisma@{version}");
    Some(Fix {
        applicability: Applicability::Safe,
        description: {
            let mut d = Text::tool("Pin the global install to prisma@");
            d.push_repo(RepoText::name(&version));
            d
        },
        edits: vec![Edit {
            path: path.to_string(),
            start: s + ws,
            end: s + we,
            replacement,
        }],
        action: None,
        diff: Text::default(),
    })
}

/// The span of the unpinned `prisma` / `prisma@latest` word in a command.
fn word(cmd: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    for w in cmd.split([' ', '\t']) {
        let start = at;
        at += w.len() + 1;
        let bare = w.trim_matches(['"', '\'']);
        if bare == "prisma" || bare == "prisma@latest" {
            let lead = w.len() - w.trim_start_matches(['"', '\'']).len();
            return Some((start + lead, start + lead + bare.len()));
        }
    }
    None
}

/// The exact 1.x version of `prisma` the project in `cwd` (or the root) uses.
fn project_version(ctx: &Ctx<'_>, cwd: &str) -> String {
    for dir in [cwd, ""] {
        let Some((pkg_path, pkg)) = ctx.facts.nearest_package(dir) else {
            continue;
        };
        let pkg_dir = crate::paths::parent(pkg_path);
        let locked = ctx.facts.locked_prisma(pkg_dir).map(str::to_string);
        let declared = pkg.dependency("prisma").map(|d| {
            d.range
                .trim_start_matches(['^', '~', '=', 'v', ' '])
                .to_string()
        });
        for v in locked.into_iter().chain(declared) {
            if is_prisma_1(&v) {
                return v;
            }
        }
    }
    LAST_PRISMA_1.to_string()
}

/// `1.x.y` (digits only), and not the 1.34.12 stub.
fn is_prisma_1(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts[0] == "1"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && v != "1.34.12"
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_package_word() {
        assert_eq!(word("npm install -g prisma"), Some((15, 21)));
        assert_eq!(word("yarn global add prisma@latest"), Some((16, 29)));
        assert_eq!(word("npm i -g prisma-upgrade"), None);
    }

    #[test]
    fn only_real_1x_versions_count() {
        assert!(is_prisma_1("1.28.3"));
        assert!(!is_prisma_1("1.34.12"));
        assert!(!is_prisma_1("1.x"));
        assert!(!is_prisma_1("2.16.0"));
    }
}
