//! What each Prisma 1 CLI command talks to: the "Talks to" column of the
//! reference's command table (final CLI, `prisma-cli-core/src/commands/*`),
//! mirrored here and nowhere else. Rules name sub-commands; a test checks
//! that `missing-management-secret` names exactly the management-API class.

use super::Invocation;

/// Which API a command needs, and so which credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Talks {
    /// `<server>/management`: `PRISMA_MANAGEMENT_API_SECRET` or a Cloud session.
    Management,
    /// The service API, with a token signed locally from prisma.yml `secret`.
    Service,
    /// Nothing remote (`token` signs locally; `generate` reads the datamodel).
    Local,
    /// The Cloud API only (`login`, `logout`, `account`, `console`).
    Cloud,
    /// An unauthenticated request (`info` asks `serverInfo`).
    Unauthenticated,
    /// The database directly (`introspect` without a prisma.yml).
    Database,
}

impl Talks {
    pub fn name(self) -> &'static str {
        match self {
            Talks::Management => "management",
            Talks::Service => "service",
            Talks::Local => "local",
            Talks::Cloud => "cloud",
            Talks::Unauthenticated => "unauthenticated",
            Talks::Database => "database",
        }
    }
}

/// The reference's table: sub-command, what it talks to in its plain form.
/// `generate` and `introspect` change class with a flag or a project; see [`talks_to`].
pub const COMMAND_CLASSES: &[(&str, Talks)] = &[
    ("deploy", Talks::Management),
    ("delete", Talks::Management),
    ("list", Talks::Management),
    ("seed", Talks::Management),
    ("cluster-token", Talks::Management),
    ("generate", Talks::Local),
    ("introspect", Talks::Database),
    ("import", Talks::Service),
    ("export", Talks::Service),
    ("reset", Talks::Service),
    ("playground", Talks::Service),
    ("admin", Talks::Service),
    ("token", Talks::Local),
    ("info", Talks::Unauthenticated),
    ("login", Talks::Cloud),
    ("logout", Talks::Cloud),
    ("account", Talks::Cloud),
    ("console", Talks::Cloud),
    ("init", Talks::Cloud),
];

/// What `inv` talks to; `has_project` says whether a prisma.yml is where it runs.
/// `generate --endpoint` asks the management API for the schema; `introspect`
/// probes it when a prisma.yml exists (reference section 3).
pub fn talks_to(inv: &Invocation, has_project: bool) -> Option<Talks> {
    let (_, plain) = COMMAND_CLASSES
        .iter()
        .find(|(name, _)| *name == inv.subcommand)?;
    Some(match inv.subcommand.as_str() {
        "generate" if inv.has_flag(&["--endpoint"]) => Talks::Management,
        "introspect" if has_project => Talks::Management,
        _ => *plain,
    })
}

/// Sub-commands that can talk to the management API in some form.
#[cfg(test)]
pub fn management_subcommands() -> impl Iterator<Item = &'static str> {
    COMMAND_CLASSES
        .iter()
        .filter(|(n, t)| *t == Talks::Management || matches!(*n, "generate" | "introspect"))
        .map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(sub: &str, args: &[&str]) -> Invocation {
        Invocation {
            subcommand: sub.into(),
            program: "prisma1".into(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn classes_follow_the_reference_table() {
        assert_eq!(talks_to(&inv("deploy", &[]), true), Some(Talks::Management));
        assert_eq!(talks_to(&inv("token", &[]), true), Some(Talks::Local));
        assert_eq!(talks_to(&inv("reset", &["-f"]), true), Some(Talks::Service));
        assert_eq!(talks_to(&inv("login", &[]), true), Some(Talks::Cloud));
        assert_eq!(talks_to(&inv("generate", &[]), true), Some(Talks::Local));
        assert_eq!(
            talks_to(&inv("generate", &["--endpoint"]), true),
            Some(Talks::Management)
        );
        assert_eq!(
            talks_to(&inv("introspect", &[]), false),
            Some(Talks::Database)
        );
        assert_eq!(
            talks_to(&inv("introspect", &[]), true),
            Some(Talks::Management)
        );
        assert_eq!(talks_to(&inv("migrate", &[]), true), None);
    }

    /// The rule file names the management-API sub-commands and nothing else.
    #[test]
    fn the_rule_names_exactly_the_management_class() {
        let text = include_str!("../../../rules/missing-management-secret.yml");
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("subcommands:"))
            .unwrap_or_default();
        let inner = line
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(i, _)| i)
            .unwrap_or_default();
        let mut named: Vec<&str> = inner.split(',').map(str::trim).collect();
        named.sort_unstable();
        let mut class: Vec<&str> = management_subcommands().collect();
        class.sort_unstable();
        assert_eq!(named, class);
        assert!(text.contains("talks-to: [management]"));
    }
}
