//! What each Prisma 1 CLI command talks to, re-checked against the final CLI
//! (prisma/prisma1 `cli/packages/prisma-cli-core/src/commands/*`,
//! `prisma-cli-engine/src/Client/Client.ts`, `prisma-yml/src/Cluster.ts`),
//! mirrored here and nowhere else. Rules name sub-commands; a test checks
//! that `missing-management-secret` names exactly the classes that can need
//! the management secret.

use super::invocation::Invocation;

/// Which API a command needs, and so which credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Talks {
    /// `<server>/management` with a token (`Client.initClusterClient`, then
    /// management requests): `PRISMA_MANAGEMENT_API_SECRET`, or a Cloud
    /// session for a server the CLI counts as private. Fails on any
    /// protected server without the secret.
    Management,
    /// Asks for a management token first (`initClusterClient` ->
    /// `Cluster.getToken`), then uses only the service API. The token
    /// request goes to Prisma 1 Cloud (`generateClusterToken`) for a
    /// protected server the CLI counts as private (any host but `localhost`,
    /// `127.0.0.1` and `prisma`), so it needs the secret there; a local
    /// server gets no token and is never asked for one.
    ManagementToken,
    /// The service API, with a token signed locally from prisma.yml `secret`.
    Service,
    /// Nothing remote (`token` signs locally; `generate` reads the datamodel).
    Local,
    /// The Cloud API only (`login`, `logout`, `account`, `console`).
    Cloud,
    /// An unauthenticated request (`info` asks `serverInfo`).
    Unauthenticated,
    /// The database directly (`introspect`; its probe of the management API
    /// for `executeRaw` swallows errors and falls back to credentials).
    Database,
    /// The management API of the local servers in `~/.prisma/config.yml`
    /// (`list`), whose errors it swallows; never the project's endpoint.
    LocalServers,
}

impl Talks {
    pub fn name(self) -> &'static str {
        match self {
            Talks::Management => "management",
            Talks::ManagementToken => "management-token",
            Talks::Service => "service",
            Talks::Local => "local",
            Talks::Cloud => "cloud",
            Talks::Unauthenticated => "unauthenticated",
            Talks::Database => "database",
            Talks::LocalServers => "local-servers",
        }
    }

    /// Every class, for rule validation.
    pub const ALL: [Talks; 8] = [
        Talks::Management,
        Talks::ManagementToken,
        Talks::Service,
        Talks::Local,
        Talks::Cloud,
        Talks::Unauthenticated,
        Talks::Database,
        Talks::LocalServers,
    ];
}

/// The command table: sub-command, what it talks to in its plain form, and
/// the CLI file that shows it. `generate --endpoint` changes class; see [`talks_to`].
pub const COMMAND_CLASSES: &[(&str, Talks, &str)] = &[
    // initClusterClient, then addProject/deploy on the management API.
    ("deploy", Talks::Management, "commands/deploy/deploy.ts"),
    // initClusterClient, then deleteProject on the management API.
    ("delete", Talks::Management, "commands/delete/index.ts"),
    // Cluster.getToken itself: fails ("Couldn't generate token") without one.
    (
        "cluster-token",
        Talks::Management,
        "commands/token/cluster-token.ts",
    ),
    // initClusterClient, then exec/import/resetData on the service API.
    ("seed", Talks::ManagementToken, "commands/seed/seed.ts"),
    ("generate", Talks::Local, "commands/generate/generate.ts"),
    (
        "introspect",
        Talks::Database,
        "commands/introspect/introspect.ts",
    ),
    ("list", Talks::LocalServers, "commands/list/index.ts"),
    ("import", Talks::Service, "commands/import/index.ts"),
    ("export", Talks::Service, "commands/export/index.ts"),
    ("reset", Talks::Service, "commands/reset/reset.ts"),
    ("playground", Talks::Service, "commands/playground/index.ts"),
    ("admin", Talks::Service, "commands/admin/admin.ts"),
    ("token", Talks::Local, "commands/token/token.ts"),
    ("info", Talks::Unauthenticated, "commands/info/index.ts"),
    ("login", Talks::Cloud, "commands/login/login.ts"),
    ("logout", Talks::Cloud, "commands/logout/logout.ts"),
    ("account", Talks::Cloud, "commands/account/account.ts"),
    ("console", Talks::Cloud, "commands/console/index.ts"),
    ("init", Talks::Cloud, "commands/init/init.ts"),
];

/// What `inv` talks to. `generate --endpoint` downloads the service's schema
/// after the same token request as `seed` (`commands/generate/generate.ts`).
pub fn talks_to(inv: &Invocation) -> Option<Talks> {
    let (_, plain, _) = COMMAND_CLASSES
        .iter()
        .find(|(name, _, _)| *name == inv.subcommand)?;
    Some(match inv.subcommand.as_str() {
        "generate" if inv.has_flag(&["--endpoint"]) => Talks::ManagementToken,
        _ => *plain,
    })
}

/// Is `host` one the CLI counts as local (`prisma-yml/src/utils/parseEndpoint.ts`:
/// exactly `localhost`, `127.0.0.1` or `prisma`)? For such a server it signs
/// a token only from the secret and never asks the Cloud.
pub fn cli_local_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "prisma")
}

/// Sub-commands that can need the management secret in some form.
#[cfg(test)]
pub fn management_subcommands() -> impl Iterator<Item = &'static str> {
    COMMAND_CLASSES
        .iter()
        .filter(|(n, t, _)| {
            matches!(t, Talks::Management | Talks::ManagementToken) || *n == "generate"
        })
        .map(|(n, _, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(sub: &str, args: &[&str]) -> Invocation {
        Invocation {
            subcommand: sub.into(),
            program: "prisma1".into(),
            args: args.iter().map(|s| s.to_string()).collect(),
            stale: None,
        }
    }

    #[test]
    fn classes_follow_the_cli_source() {
        assert_eq!(talks_to(&inv("deploy", &[])), Some(Talks::Management));
        assert_eq!(talks_to(&inv("delete", &["-f"])), Some(Talks::Management));
        assert_eq!(talks_to(&inv("seed", &[])), Some(Talks::ManagementToken));
        assert_eq!(
            talks_to(&inv("seed", &["--reset"])),
            Some(Talks::ManagementToken)
        );
        assert_eq!(talks_to(&inv("token", &[])), Some(Talks::Local));
        assert_eq!(talks_to(&inv("reset", &["-f"])), Some(Talks::Service));
        assert_eq!(talks_to(&inv("login", &[])), Some(Talks::Cloud));
        assert_eq!(talks_to(&inv("list", &[])), Some(Talks::LocalServers));
        assert_eq!(talks_to(&inv("generate", &[])), Some(Talks::Local));
        assert_eq!(
            talks_to(&inv("generate", &["--endpoint"])),
            Some(Talks::ManagementToken)
        );
        assert_eq!(talks_to(&inv("introspect", &[])), Some(Talks::Database));
        assert_eq!(talks_to(&inv("migrate", &[])), None);
        assert!(cli_local_host("prisma") && !cli_local_host("prisma-server"));
        let names: Vec<&str> = Talks::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names, crate::rules::TALKS_TO);
    }

    /// The rule file names the sub-commands that can need the secret, and
    /// cites the CLI file of every class.
    #[test]
    fn the_rule_names_exactly_the_management_classes() {
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
        assert!(text.contains("talks-to: [management, management-token]"));
        for (_, _, file) in COMMAND_CLASSES {
            assert!(text.contains(file), "the rule does not cite {file}");
        }
    }
}
