//! The audit as Markdown: renders on GitHub in an issue or pull request.

use super::model::{Audit, Place, RepoAudit};
use std::fmt::Write as _;

/// Escapes text for a Markdown table cell.
/// Repository text in the audit is typed ([`crate::text::Text`]): its
/// `Display` is the masked text.
fn cell(s: &(impl std::fmt::Display + ?Sized)) -> String {
    s.to_string()
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

fn places(ps: &[Place]) -> String {
    ps.iter()
        .map(|p| format!("`{}:{}`", cell(&p.path), p.line))
        .collect::<Vec<_>>()
        .join("<br>")
}

pub fn render(a: &Audit) -> String {
    let mut o = String::new();
    let t = &a.totals;
    let _ = writeln!(o, "# Prisma 1 Cloud migration audit\n");
    let _ = writeln!(o, "Prisma 1 Cloud was shut down on 2022-09-01. This inventory lists what each repository still depends on, and a plan that follows the migration guide.\n");
    let _ = writeln!(o, "| Repositories | Using Prisma 1 | Using Prisma 1 Cloud | Cannot tell | Services | Cloud services | Errors | Warnings | Notes |");
    let _ = writeln!(o, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        t.repositories,
        t.using_prisma1,
        t.using_prisma1_cloud,
        t.cannot_tell,
        t.services,
        t.cloud_services,
        t.errors,
        t.warnings,
        t.notes
    );
    if a.repositories.len() > 1 {
        let _ = writeln!(o, "| Repository | Uses Prisma 1 | Uses Prisma 1 Cloud | Services | Errors | Warnings | Notes |");
        let _ = writeln!(o, "|---|---|---|---:|---:|---:|---:|");
        for r in &a.repositories {
            let _ = writeln!(
                o,
                "| [{}](#{}) | {} | **{}** | {} | {} | {} | {} |",
                cell(&r.name),
                anchor(&r.name),
                yes_no(r.uses_prisma1),
                r.uses_prisma1_cloud.label(),
                r.services.len(),
                r.errors,
                r.warnings,
                r.notes
            );
        }
        o.push('\n');
    }
    for r in &a.repositories {
        repo(&mut o, r);
    }
    o
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// GitHub's heading anchor for `## name`.
pub fn anchor(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn repo(o: &mut String, r: &RepoAudit) {
    let _ = writeln!(o, "## {}\n", r.name);
    let _ = writeln!(
        o,
        "`{}` — uses Prisma 1: **{}**; uses Prisma 1 Cloud: **{}**\n",
        cell(&r.path),
        yes_no(r.uses_prisma1),
        r.uses_prisma1_cloud.label()
    );
    if !r.evidence.is_empty() {
        let _ = writeln!(o, "Evidence:\n");
        for e in &r.evidence {
            let _ = writeln!(o, "- `{}:{}` {}", cell(&e.path), e.line, cell(&e.text));
        }
        o.push('\n');
    }
    if !r.servers.is_empty() {
        let _ = writeln!(
            o,
            "### Servers\n\n| Server | Class | Services |\n|---|---|---|"
        );
        for s in &r.servers {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} |",
                cell(&s.host),
                s.class,
                cell(&s.services.join(", "))
            );
        }
        o.push('\n');
    }
    if !r.services.is_empty() {
        let _ = writeln!(o, "### Services\n\n| Service | Stage | Workspace | Endpoint | Server | Defined in | Used from | Secret reaches commands | Export/import | Data browser |");
        let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|");
        for s in &r.services {
            let used = s
                .used_from
                .iter()
                .map(|u| format!("`{}:{}` {}", cell(&u.path), u.line, cell(&u.command)))
                .collect::<Vec<_>>()
                .join("<br>");
            let secret = if s.used_from.is_empty() {
                "–".to_string()
            } else {
                s.used_from
                    .iter()
                    .map(|u| u.management_secret.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | `{}` | {} | {} | {} | {} | {} | {} |",
                cell(&s.name),
                cell(&s.stage),
                cell(&s.workspace),
                cell(&s.endpoint),
                s.class,
                places(&s.defined_in),
                if used.is_empty() { "–".into() } else { used },
                secret,
                yes_no(s.data_export),
                yes_no(s.data_browser)
            );
        }
        o.push('\n');
    }
    let c = &r.code;
    if !c.packages.is_empty()
        || !c.datamodels.is_empty()
        || c.cli_invocations > 0
        || !c.generated_clients.is_empty()
    {
        let _ = writeln!(o, "### Code surface\n");
        if !c.packages.is_empty() {
            let _ = writeln!(
                o,
                "- Prisma 1 packages: {}",
                c.packages
                    .iter()
                    .map(|p| format!("`{}` ({}:{})", cell(&p.text), cell(&p.path), p.line))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for d in &c.datamodels {
            let _ = writeln!(o, "- Datamodel `{}`: {} type(s)", cell(&d.path), d.types);
        }
        if !c.generated_clients.is_empty() {
            let _ = writeln!(
                o,
                "- Generated Prisma 1 clients: {}",
                c.generated_clients
                    .iter()
                    .map(|p| format!("`{}`", cell(&p.path)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(o, "- prisma-binding / prisma-client-lib imports: {}\n- Prisma 1 CLI calls in scripts and CI: {}\n", c.binding_imports, c.cli_invocations);
    }
    if !r.secrets.is_empty() {
        let _ = writeln!(o, "### Hard-coded secrets\n");
        for s in &r.secrets {
            let _ = writeln!(o, "- `{}:{}` {}", cell(&s.path), s.line, cell(&s.text));
        }
        o.push('\n');
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o, "### Findings by rule\n\n| Rule | Findings |\n|---|---:|");
        for (rule, n) in &r.findings {
            let _ = writeln!(o, "| `{rule}` | {n} |");
        }
        let _ = writeln!(o, "\nDetails: `prisma1-lint check {}`\n", cell(&r.path));
    }
    if !r.plan.is_empty() {
        let _ = writeln!(o, "### Plan\n");
        for p in &r.plan {
            let _ = writeln!(o, "**{}**\n", cell(&p.target));
            for (i, s) in p.steps.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", i + 1, s);
            }
            o.push('\n');
        }
    }
    if r.uses_prisma1 {
        let _ = writeln!(
            o,
            "### Checklist before closing the Prisma 1 Cloud account\n"
        );
        for c in &r.checklist {
            let _ = writeln!(o, "- {}", c);
        }
        o.push('\n');
    }
    if !r.problems.is_empty() {
        let _ = writeln!(o, "### Files that could not be read\n");
        for p in &r.problems {
            let _ = writeln!(o, "- `{}` {}", cell(&p.path), cell(&p.text));
        }
        o.push('\n');
    }
}
