//! The migration plan and the closing checklist, following the migration
//! guide's steps, filled with this repository's concrete items.

use super::model::{CodeSurface, Place, PlanItem, Service, Verdict};
use std::collections::BTreeMap;

fn at(p: &Place) -> String {
    format!("{}:{}", p.path, p.line)
}

fn list(places: &[Place]) -> String {
    places.iter().map(at).collect::<Vec<_>>().join(", ")
}

pub fn plan(
    services: &[Service],
    code: &CodeSurface,
    secrets: &[Place],
    counts: &BTreeMap<String, usize>,
) -> Vec<PlanItem> {
    let mut items = Vec::new();
    for s in services {
        let target = format!(
            "{}/{} on {}",
            s.name,
            s.stage,
            if s.host.is_empty() {
                "an unresolved endpoint"
            } else {
                &s.host
            }
        );
        let usages = s
            .used_from
            .iter()
            .map(|u| format!("{}:{} ({})", u.path, u.line, u.command))
            .collect::<Vec<_>>()
            .join("; ");
        let mut steps = Vec::new();
        match s.class.as_str() {
            "cloud-shared" | "cloud-private" => {
                steps.push(format!(
                    "Export the data: `prisma1 export -p {}-{}.zip` from the folder of the service's prisma.yml. Prisma 1 Cloud has been shut down since 2022-09-01, so if the export fails the data is only recoverable from your own backups.",
                    s.name, s.stage
                ));
                steps.push("Choose the way forward: upgrade to Prisma ORM (recommended; all at once, or side by side with Prisma 1 while code moves over, using `npx prisma-upgrade` for the datamodel), or self-host Prisma 1 (in maintenance mode).".into());
                steps.push("If self-hosting: deploy a Prisma 1 server (the `prismagraphql/prisma:1.34` image with a `managementApiSecret`), import the export with `prisma1 import -d <export.zip>`, point `endpoint:` at the new server, regression-test in pre-production, then deploy the application with the new connection strings.".into());
                steps.push(format!(
                    "Replace every copy of {}: {}.",
                    s.endpoint,
                    list(&s.defined_in)
                ));
                if !usages.is_empty() {
                    steps.push(format!(
                        "Update or remove the commands that deploy to it: {usages}."
                    ));
                }
            }
            "private" => {
                let missing: Vec<String> = s
                    .used_from
                    .iter()
                    .filter(|u| u.management_secret != "yes" && u.management_secret != "not needed")
                    .map(|u| format!("{}:{} (secret: {})", u.path, u.line, u.management_secret))
                    .collect();
                if missing.is_empty() {
                    steps.push("Every Prisma 1 command found already receives PRISMA_MANAGEMENT_API_SECRET.".into());
                } else {
                    steps.push(format!("Give PRISMA_MANAGEMENT_API_SECRET (the server's `managementApiSecret`) to every Prisma 1 CLI call: {}.", missing.join("; ")));
                }
                steps.push(format!("Verify: run `prisma1 logout`, regenerate the Prisma 1 client, then `prisma1 deploy` against {} with the secret set.", s.endpoint));
                steps.push("Plan the upgrade to Prisma ORM: the self-hosted server runs unmaintained software.".into());
            }
            "local" => {
                steps.push(format!("Local development server at {}: keep `managementApiSecret` set in its config and in the CLI's env; nothing depends on Prisma 1 Cloud here.", s.endpoint));
            }
            _ => {
                steps.push(format!(
                    "Resolve the endpoint `{}` ({}): its value is not in the repository. Find it in the deployment environment; if it is an eu1/us1.prisma.sh or *.prisma.sh URL, treat this service as a Prisma 1 Cloud service (export the data, then upgrade or self-host).",
                    s.endpoint,
                    list(&s.defined_in)
                ));
                if !usages.is_empty() {
                    steps.push(format!("Commands that use it: {usages}."));
                }
            }
        }
        items.push(PlanItem { target, steps });
    }
    let mut repo_steps = Vec::new();
    if !code.packages.is_empty() || !code.datamodels.is_empty() {
        let types: usize = code.datamodels.iter().map(|d| d.types).sum();
        repo_steps.push(code_upgrade_step(code, types));
    }
    if !secrets.is_empty() {
        repo_steps.push(format!(
            "Rotate the hard-coded secrets and load them from the environment: {}.",
            list(secrets)
        ));
    }
    if counts.get("cloud-login").copied().unwrap_or(0) > 0 {
        repo_steps.push("Remove Prisma 1 Cloud logins and PRISMA_CLOUD_SESSION_KEY from scripts and CI (see the cloud-login findings).".into());
    }
    if !repo_steps.is_empty() {
        items.push(PlanItem {
            target: "repository".into(),
            steps: repo_steps,
        });
    }
    items
}

/// Step 3 of the guide: what must be true before the Prisma 1 Cloud account is closed.
pub fn checklist(
    services: &[Service],
    counts: &BTreeMap<String, usize>,
    verdict: Verdict,
) -> Vec<String> {
    let mut out = Vec::new();
    for s in services
        .iter()
        .filter(|s| s.class.starts_with("cloud") || s.class == "unknown")
    {
        out.push(format!(
            "[ ] {}/{} ({}) is exported and migrated; nothing in production uses it",
            s.name, s.stage, s.endpoint
        ));
    }
    let n = |r: &str| counts.get(r).copied().unwrap_or(0);
    out.push(format!("[ ] No Prisma 1 Cloud endpoint remains: `prisma1-lint check --select cloud-endpoint` reports 0 (now {})", n("cloud-endpoint")));
    out.push(format!(
        "[ ] No login to Prisma 1 Cloud remains in scripts or CI (cloud-login findings now {})",
        n("cloud-login")
    ));
    out.push(format!("[ ] Every Prisma 1 command that reaches a server gets PRISMA_MANAGEMENT_API_SECRET (missing-management-secret findings now {})", n("missing-management-secret")));
    out.push("[ ] PRISMA_CLOUD_SESSION_KEY and similar secrets are deleted from the CI systems' secret stores, and `cloudSessionKey` from ~/.prisma/config.yml on build machines".into());
    if verdict != Verdict::No {
        out.push("[ ] The Prisma 1 Cloud account is closed (or Prisma was notified, as the migration guide asks)".into());
    }
    out
}

/// "Upgrade the code to Prisma ORM: 2 Prisma 1 packages (prisma1@1.34, ...),
/// 1 datamodel file with 4 types, ...", naming only what the repository has.
fn code_upgrade_step(code: &CodeSurface, types: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if !code.packages.is_empty() {
        let names: Vec<String> = code.packages.iter().map(|p| p.text.masked()).collect();
        parts.push(format!(
            "{} ({})",
            count(code.packages.len(), "Prisma 1 package", "Prisma 1 packages"),
            names.join(", ")
        ));
    }
    if !code.datamodels.is_empty() {
        parts.push(format!(
            "{} with {}",
            count(code.datamodels.len(), "datamodel file", "datamodel files"),
            count(types, "type", "types")
        ));
    }
    for (n, one, many) in [
        (
            code.generated_clients.len(),
            "generated Prisma 1 client",
            "generated Prisma 1 clients",
        ),
        (
            code.binding_imports,
            "import of prisma-binding/prisma-client-lib",
            "imports of prisma-binding/prisma-client-lib",
        ),
        (
            code.cli_invocations,
            "Prisma 1 CLI call",
            "Prisma 1 CLI calls",
        ),
    ] {
        if n > 0 {
            parts.push(count(n, one, many));
        }
    }
    format!("Upgrade the code to Prisma ORM: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::model::Datamodel;

    #[test]
    fn the_upgrade_step_names_only_what_the_repository_has() {
        let code = CodeSurface {
            datamodels: vec![Datamodel {
                path: "datamodel.prisma".into(),
                types: 3,
            }],
            cli_invocations: 1,
            ..CodeSurface::default()
        };
        assert_eq!(
            code_upgrade_step(&code, 3),
            "Upgrade the code to Prisma ORM: 1 datamodel file with 3 types, 1 Prisma 1 CLI call."
        );
    }
}
