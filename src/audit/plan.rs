//! The migration plan and the closing checklist, following the migration
//! guide's steps, filled with this repository's concrete items.

use super::model::{CodeSurface, Place, PlanItem, Said, Service, Text, Verdict};
use std::collections::BTreeMap;

fn at(p: &Place) -> Said {
    Said::tool(format!("{}:{}", p.path, p.line))
}

/// Places as repository text, comma-separated.
fn list(t: Text, places: &[Place]) -> Text {
    t.list(places.iter().map(at), ", ")
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
        let usages = |t: Text| {
            t.list(
                s.used_from.iter().map(|u| {
                    let mut t = Said::tool(format!("{}:{} (", u.path, u.line));
                    t.push(u.command.clone());
                    t.push_tool(")");
                    t
                }),
                "; ",
            )
        };
        let mut steps = Vec::new();
        match s.class.as_str() {
            "cloud-shared" | "cloud-private" => {
                steps.push(
                    Text::from("Export the data: ")
                        .code(Said::tool(format!("prisma1 export -p {}-{}.zip", s.name, s.stage)))
                        .ours(" from the folder of the service's prisma.yml. Prisma 1 Cloud has been shut down since 2022-09-01, so if the export fails the data is only recoverable from your own backups."),
                );
                steps.push("Choose the way forward: upgrade to Prisma ORM (recommended; all at once, or side by side with Prisma 1 while code moves over, using `npx prisma-upgrade` for the datamodel), or self-host Prisma 1 (in maintenance mode).".into());
                steps.push("If self-hosting: deploy a Prisma 1 server (the `prismagraphql/prisma:1.34` image with a `managementApiSecret`), import the export with `prisma1 import -d <export.zip>`, point `endpoint:` at the new server, regression-test in pre-production, then deploy the application with the new connection strings.".into());
                steps.push(
                    list(
                        Text::from("Replace every copy of ")
                            .repo(s.endpoint.clone())
                            .ours(": "),
                        &s.defined_in,
                    )
                    .ours("."),
                );
                if !s.used_from.is_empty() {
                    steps.push(
                        usages(Text::from(
                            "Update or remove the commands that deploy to it: ",
                        ))
                        .ours("."),
                    );
                }
            }
            "private" => {
                let missing: Vec<Said> = s
                    .used_from
                    .iter()
                    .filter(|u| u.management_secret != "yes" && u.management_secret != "not needed")
                    .map(|u| {
                        Said::tool(format!(
                            "{}:{} (secret: {})",
                            u.path, u.line, u.management_secret
                        ))
                    })
                    .collect();
                if missing.is_empty() {
                    steps.push("Every Prisma 1 command found already receives PRISMA_MANAGEMENT_API_SECRET.".into());
                } else {
                    steps.push(
                        Text::from("Give PRISMA_MANAGEMENT_API_SECRET (the server's `managementApiSecret`) to every Prisma 1 CLI call: ")
                            .list(missing, "; ")
                            .ours("."),
                    );
                }
                steps.push(
                    Text::from("Verify: run `prisma1 logout`, regenerate the Prisma 1 client, then `prisma1 deploy` against ")
                        .repo(s.endpoint.clone())
                        .ours(" with the secret set."),
                );
                steps.push("Plan the upgrade to Prisma ORM: the self-hosted server runs unmaintained software.".into());
            }
            "local" => {
                steps.push(
                    Text::from("Local development server at ")
                        .repo(s.endpoint.clone())
                        .ours(": keep `managementApiSecret` set in its config and in the CLI's env; nothing depends on Prisma 1 Cloud here."),
                );
            }
            _ => {
                steps.push(
                    list(
                        Text::from("Resolve the endpoint ").code(s.endpoint.clone()).ours(" ("),
                        &s.defined_in,
                    )
                    .ours("): its value is not in the repository. Find it in the deployment environment; if it is an eu1/us1.prisma.sh or *.prisma.sh URL, treat this service as a Prisma 1 Cloud service (export the data, then upgrade or self-host)."),
                );
                if !s.used_from.is_empty() {
                    steps.push(usages(Text::from("Commands that use it: ")).ours("."));
                }
            }
        }
        if let Some(w) = &s.schema_work {
            steps.push(schema_work_step(w));
        }
        items.push(PlanItem { target, steps });
    }
    let mut repo_steps = Vec::new();
    if !code.packages.is_empty() || !code.datamodels.is_empty() {
        let types: usize = code.datamodels.iter().map(|d| d.types).sum();
        repo_steps.push(code_upgrade_step(code, types));
    }
    if !secrets.is_empty() {
        repo_steps.push(
            list(
                Text::from("Rotate the hard-coded secrets and load them from the environment: "),
                secrets,
            )
            .ours("."),
        );
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

/// The upgrade's schema work for one service, as `prisma1-lint upgrade` counts it.
fn schema_work_step(w: &super::model::SchemaWork) -> Text {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let statements = match w.statements {
        Some(n) => plural(n, "statement", "statements"),
        None => "SQL once the database is known (`--database postgres|mysql`)".to_string(),
    };
    Text::from(
        format!(
            "Upgrading to Prisma ORM? Schema work: {}, {statements} (datamodel of ",
            plural(w.incompatibilities, "incompatibility", "incompatibilities"),
        )
        .as_str(),
    )
    .name(w.project.clone())
    .ours("; `prisma1-lint upgrade` prints the findings, `--format sql` the SQL, `--format prisma` the schema).")
}

/// Step 3 of the guide: what must be true before the Prisma 1 Cloud account is closed.
pub fn checklist(
    services: &[Service],
    counts: &BTreeMap<String, usize>,
    verdict: Verdict,
) -> Vec<Text> {
    let mut out = Vec::new();
    for s in services
        .iter()
        .filter(|s| s.class.starts_with("cloud") || s.class == "unknown")
    {
        out.push(
            Text::from("[ ] ")
                .repo({
                    let mut t = Said::tool(format!("{}/{} (", s.name, s.stage));
                    t.push(s.endpoint.clone());
                    t.push_tool(")");
                    t
                })
                .ours(" is exported and migrated; nothing in production uses it"),
        );
    }
    let n = |r: &str| counts.get(r).copied().unwrap_or(0);
    out.push(Text::from(format!("[ ] No Prisma 1 Cloud endpoint remains: `prisma1-lint check --select cloud-endpoint` reports 0 (now {})", n("cloud-endpoint")).as_str()));
    out.push(Text::from(
        format!(
            "[ ] No login to Prisma 1 Cloud remains in scripts or CI (cloud-login findings now {})",
            n("cloud-login")
        )
        .as_str(),
    ));
    out.push(Text::from(format!("[ ] Every Prisma 1 command that reaches a server gets PRISMA_MANAGEMENT_API_SECRET (missing-management-secret findings now {})", n("missing-management-secret")).as_str()));
    out.push("[ ] PRISMA_CLOUD_SESSION_KEY and similar secrets are deleted from the CI systems' secret stores, and `cloudSessionKey` from ~/.prisma/config.yml on build machines".into());
    if verdict != Verdict::No {
        out.push("[ ] The Prisma 1 Cloud account is closed (or Prisma was notified, as the migration guide asks)".into());
    }
    out
}

/// "Upgrade the code to Prisma ORM: 2 Prisma 1 packages (prisma1@1.34, ...),
/// 1 datamodel file with 4 types, ...", naming only what the repository has.
fn code_upgrade_step(code: &CodeSurface, types: usize) -> Text {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut t = Text::from("Upgrade the code to Prisma ORM: ");
    let mut parts = Vec::new();
    if !code.packages.is_empty() {
        // The package names are the repository's: their own parts.
        t = t
            .ours(format!(
                "{} (",
                count(code.packages.len(), "Prisma 1 package", "Prisma 1 packages")
            ))
            .list(code.packages.iter().map(|p| p.text.clone()), ", ")
            .ours(")");
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
    if !parts.is_empty() {
        if t.0.len() > 1 {
            t = t.ours(", ");
        }
        t = t.ours(parts.join(", "));
    }
    t.ours(".")
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
                note: None,
            }],
            cli_invocations: 1,
            ..CodeSurface::default()
        };
        assert_eq!(
            code_upgrade_step(&code, 3).plain(),
            "Upgrade the code to Prisma ORM: 1 datamodel file with 3 types, 1 Prisma 1 CLI call."
        );
    }
}
