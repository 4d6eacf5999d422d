//! The audit as Markdown: renders on GitHub in an issue or pull request.
//! Every text of the repository (names, paths, commands, endpoints, plan
//! steps' places) is escaped as `check --format markdown` escapes it: no
//! HTML, links, emphasis, table breaks, line breaks or runner commands.
//! It is escaped as shown: masked ([`crate::text`]) first.

use super::model::{Audit, Part, Place, RepoAudit, Text};
use crate::report::markdown::{code_span, escape_text, inline};
use std::fmt::Write as _;

/// Repository text in a table cell or a line of text.
fn cell(s: &str) -> String {
    escape_text(s)
}

/// A message (our words with code spans, around repository text), as
/// `check --format markdown` shows findings' messages.
fn message(s: &str) -> String {
    inline(s)
}

/// Repository text as code, in a table cell.
fn code_cell(s: &str) -> String {
    code_span(s, true)
}

/// Repository text as code, outside tables.
fn code(s: &str) -> String {
    code_span(s, false)
}

fn places(ps: &[Place]) -> String {
    ps.iter()
        .map(|p| code_cell(&format!("{}:{}", p.path, p.line)))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A plan step or checklist item: our words as written, the repository's
/// escaped.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Ours(s) => s.clone(),
            Part::Repo(s) => escape_text(&s.masked()),
            Part::Code(s) => code(&s.masked()),
        })
        .collect()
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
                if r.failed.is_some() {
                    "not audited"
                } else {
                    yes_no(r.uses_prisma1)
                },
                if r.failed.is_some() {
                    "not audited"
                } else {
                    r.uses_prisma1_cloud.label()
                },
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
    let _ = writeln!(o, "## {}\n", escape_text(&r.name));
    if let Some(why) = &r.failed {
        let _ = writeln!(o, "{} — **not audited**: {}\n", code(&r.path), message(why));
        return;
    }
    let _ = writeln!(
        o,
        "{} — uses Prisma 1: **{}**; uses Prisma 1 Cloud: **{}**\n",
        code(&r.path),
        yes_no(r.uses_prisma1),
        r.uses_prisma1_cloud.label()
    );
    if !r.evidence.is_empty() {
        let _ = writeln!(o, "Evidence:\n");
        for e in &r.evidence {
            let _ = writeln!(
                o,
                "- {} {}",
                code(&format!("{}:{}", e.path, e.line)),
                message(&e.text.masked())
            );
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
                "| {} | {} | {} |",
                code_cell(&s.host),
                cell(&s.class),
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
                .map(|u| {
                    format!(
                        "{} {}",
                        code_cell(&format!("{}:{}", u.path, u.line)),
                        cell(&u.command.masked())
                    )
                })
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
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&s.name),
                cell(&s.stage),
                cell(&s.workspace),
                code_cell(&s.endpoint.masked()),
                cell(&s.class),
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
                    .map(|p| format!("{} ({}:{})", code(&p.text.masked()), cell(&p.path), p.line))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for d in &c.datamodels {
            match &d.note {
                None => {
                    let _ = writeln!(o, "- Datamodel {}: {} type(s)", code(&d.path), d.types);
                }
                Some(n) => {
                    let _ = writeln!(
                        o,
                        "- Datamodel {}: not read ({})",
                        code(&d.path),
                        message(n)
                    );
                }
            }
        }
        if !c.generated_clients.is_empty() {
            let _ = writeln!(
                o,
                "- Generated Prisma 1 clients: {}",
                c.generated_clients
                    .iter()
                    .map(|p| code(&p.path))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(o, "- prisma-binding / prisma-client-lib imports: {}\n- Prisma 1 CLI calls in scripts and CI: {}\n", c.binding_imports, c.cli_invocations);
    }
    if !r.secrets.is_empty() {
        let _ = writeln!(o, "### Hard-coded secrets\n");
        for s in &r.secrets {
            let _ = writeln!(
                o,
                "- {} {}",
                code(&format!("{}:{}", s.path, s.line)),
                message(&s.text.masked())
            );
        }
        o.push('\n');
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o, "### Findings by rule\n\n| Rule | Findings |\n|---|---:|");
        for (rule, n) in &r.findings {
            let _ = writeln!(o, "| `{rule}` | {n} |");
        }
        let _ = writeln!(
            o,
            "\nDetails: {}\n",
            code(&format!("prisma1-lint check {}", r.path))
        );
    }
    if !r.plan.is_empty() {
        let _ = writeln!(o, "### Plan\n");
        for p in &r.plan {
            let _ = writeln!(o, "**{}**\n", cell(&p.target));
            for (i, s) in p.steps.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", i + 1, text(s));
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
            let _ = writeln!(o, "- {}", text(c));
        }
        o.push('\n');
    }
    if !r.problems.is_empty() {
        let _ = writeln!(o, "### Files that could not be read\n");
        for p in &r.problems {
            let _ = writeln!(o, "- {} {}", code(&p.path), message(&p.text.masked()));
        }
        o.push('\n');
    }
}
