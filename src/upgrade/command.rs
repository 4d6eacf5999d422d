//! `prisma1-lint upgrade [PATH]`: scans the repository with the upgrade's
//! datamodel rules, works out every service's plan, and prints the findings
//! with a summary per service (human), everything (json), the SQL (sql) or
//! the Prisma ORM schema (prisma). Output is sorted and byte-identical
//! from run to run. The exit status is 0 unless the run itself failed.

use super::schema::Connector;
use super::service::{self, Service};
use crate::app::{self, exit::Outcome};
use crate::cli::{Color, Database, UpgradeArgs, UpgradeFormat};
use crate::error::RunError;
use crate::finding::Finding;
use crate::report::{self, Report, Style};
use crate::scan::ScanOptions;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Version of the `--format json` document.
pub const JSON_VERSION: u32 = 1;

pub fn run(args: &UpgradeArgs) -> Result<Outcome, RunError> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return Err(RunError::Usage(format!("not a folder: {}", root.display())));
    }
    let cfg = app::settings::load_config(&root, None, args.no_config)?;
    let set = app::settings::load_rules(&cfg, &args.rules.rule_dirs)?;
    let upgrade_ids: Vec<String> = set
        .rules
        .iter()
        .filter(|r| r.is_upgrade())
        .map(|r| r.id.clone())
        .collect();
    let active = crate::selection::select_rules(&set, &cfg, &upgrade_ids, &[])?;
    let opts = ScanOptions {
        root: root.clone(),
        only: Vec::new(),
        no_ignore: args.no_ignore,
        max_file_size: cfg
            .max_file_size
            .unwrap_or(app::settings::DEFAULT_MAX_FILE_SIZE),
        threads: args.threads.unwrap_or(0).min(app::settings::MAX_THREADS),
        exclude: cfg.exclude_set(),
        skip: Vec::new(),
    };
    let (out, findings) = app::analyse::analyse(&set, &active, &cfg, &opts)?;
    let forced = args.database.map(|d| match d {
        Database::Postgres => Connector::Postgres,
        Database::Mysql => Connector::Mysql,
    });
    let services = service::collect(&root, &out.facts, forced);
    // The endpoint is repository text: its userinfo and the repository's
    // secret-shaped values are masked.
    let endpoint = |s: &Service| {
        s.endpoint.as_ref().map(|e| {
            let mut t = crate::text::RepoText::parsed(e);
            t.mark(&out.backstop);
            t.masked()
        })
    };
    let text = match args.format {
        UpgradeFormat::Sql => sql_text(&services),
        UpgradeFormat::Prisma => prisma_text(&services),
        UpgradeFormat::Json => {
            let doc = JsonDoc {
                version: JSON_VERSION,
                tool: format!("prisma1-lint {}", env!("CARGO_PKG_VERSION")),
                services: services
                    .iter()
                    .map(|s| json_service(s, endpoint(s)))
                    .collect(),
                findings: findings
                    .iter()
                    .filter(|f| f.suppressed.is_none())
                    .map(JsonFinding::from)
                    .collect(),
            };
            serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)? + "\n"
        }
        UpgradeFormat::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let active_map = active
                .iter()
                .map(|(i, s)| (set.rules[*i].id.clone(), *s))
                .collect();
            let report = Report {
                link_base: None,
                findings,
                rules: &set,
                active: active_map,
                problems: out.problems.clone(),
                stats: out.stats.clone(),
                elapsed: std::time::Duration::ZERO,
                stale_baseline: 0,
                hidden: 0,
                below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
                outside_diff: Vec::new(),
                root: root.display().to_string(),
                prefix: crate::roots::prefix_of(&root),
            };
            let style = Style {
                color,
                quiet: true,
                width: crate::terminal::width(),
                statistics: false,
                threads: 1,
            };
            let mut buf = Vec::new();
            report::human::write(&report, &mut buf, &style)?;
            let mut text = String::from_utf8_lossy(&buf).into_owned();
            text.push_str(&summary_text(&services, &endpoint));
            text
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(if out.stats.internal_errors > 0 {
        Outcome::InternalError
    } else {
        Outcome::Clean
    })
}

/// Statements in rendered SQL (comment lines are not statements).
pub fn statement_count(sql: &[String]) -> usize {
    sql.iter().filter(|s| !s.starts_with("--")).count()
}

fn connector_words(s: &Service) -> String {
    match (s.connector(), &s.namespace) {
        (Some(Connector::Postgres), Some(ns)) => format!("PostgreSQL schema \"{ns}\""),
        (Some(Connector::Mysql), Some(ns)) => format!("MySQL database `{ns}`"),
        (Some(c), None) => format!(
            "{} (schema or database unknown)",
            if c == Connector::Postgres {
                "PostgreSQL"
            } else {
                "MySQL"
            }
        ),
        (None, _) if s.resolution.mongo => "MongoDB".into(),
        (None, _) => "database unknown".into(),
    }
}

fn header(s: &Service) -> String {
    format!(
        "{}, service {}: {}; datamodel {}",
        s.project,
        s.label(),
        connector_words(s),
        s.version().as_str()
    )
}

pub fn sql_text(services: &[Service]) -> String {
    let mut out = String::from("-- prisma1-lint upgrade: the SQL of the upgrade to Prisma ORM, worked out from the repository.\n-- Run it on a copy of the database first: it changes what Prisma 1 expects (relation tables are dropped).\n");
    if services.is_empty() {
        out.push_str("-- No Prisma 1 service with a datamodel was found.\n");
    }
    for s in services {
        out.push_str(&format!("\n-- {}\n", one_line(&header(s))));
        if let (Some(Connector::Mysql), Some(ns)) = (s.connector(), &s.namespace) {
            out.push_str(&format!("-- Run it in database `{}`.\n", one_line(ns)));
        }
        for n in &s.notes {
            out.push_str(&format!("-- Note: {}\n", one_line(n)));
        }
        match s.sql() {
            Some(sql) if sql.is_empty() => out.push_str("-- Nothing to change.\n"),
            Some(sql) => {
                for st in sql {
                    out.push_str(&st);
                    out.push('\n');
                }
            }
            None => out.push_str("-- No SQL: the connector is not known.\n"),
        }
    }
    out
}

pub fn prisma_text(services: &[Service]) -> String {
    let mut out = String::new();
    if services.is_empty() {
        out.push_str("// No Prisma 1 service with a datamodel was found.\n");
    }
    for (i, s) in services.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("// {}\n// The Prisma ORM schema once the SQL of `prisma1-lint upgrade --format sql` has run.\n", one_line(&header(s))));
        match s.connector() {
            Some(c) => out.push_str(&super::psl::render(&s.datamodel, &s.relations, &s.plan, c)),
            None => out.push_str(
                "// No schema: the connector is not known; pass --database postgres|mysql.\n",
            ),
        }
    }
    out
}

/// Repository text in a comment or summary: one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn summary_text(services: &[Service], endpoint: &dyn Fn(&Service) -> Option<String>) -> String {
    use super::plan::Fix;
    let mut out = String::new();
    if services.is_empty() {
        out.push_str("No Prisma 1 service with a datamodel was found.\n");
        return out;
    }
    out.push_str("Schema work of the upgrade to Prisma ORM:\n");
    for s in services {
        out.push_str(&format!("\n{}\n", one_line(&header(s))));
        if let Some(e) = endpoint(s) {
            out.push_str(&format!("  endpoint: {}\n", one_line(&e)));
        }
        if !s.resolution.evidence.is_empty() {
            out.push_str(&format!(
                "  connector from: {}\n",
                one_line(&s.resolution.evidence.join("; "))
            ));
        }
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        out.push_str(&format!(
            "  datamodel: {} ({}, {})\n",
            s.datamodel.files.join(", "),
            n(s.datamodel.types.len(), "type", "types"),
            n(s.datamodel.enums.len(), "enum", "enums")
        ));
        let incs = &s.plan.incompatibilities;
        let by = |f: Fix| incs.iter().filter(|i| i.fix == f).count();
        let statements = s.sql().map(|q| statement_count(&q));
        out.push_str(&format!(
            "  schema work: {} {}, {}\n",
            incs.len(),
            if incs.len() == 1 {
                "incompatibility"
            } else {
                "incompatibilities"
            },
            match statements {
                Some(n) => format!(
                    "{n} {} (--format sql)",
                    if n == 1 { "statement" } else { "statements" }
                ),
                None => "no SQL (connector unknown)".into(),
            }
        ));
        out.push_str(&format!(
            "  settled by SQL {}, in the Prisma schema {} (--format prisma), optional {}, by hand {}\n",
            by(Fix::Sql),
            by(Fix::Schema),
            by(Fix::Optional),
            by(Fix::Manual)
        ));
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for i in incs {
            *counts.entry(i.problem.as_str()).or_default() += 1;
        }
        if !counts.is_empty() {
            let list: Vec<String> = counts.iter().map(|(p, n)| format!("{p} {n}")).collect();
            out.push_str(&format!("  by kind: {}\n", list.join(", ")));
        }
        for n in &s.notes {
            out.push_str(&format!("  note: {}\n", one_line(n)));
        }
        for n in &s.datamodel.notes {
            out.push_str(&format!(
                "  note: {}:{}: {}\n",
                n.at.path,
                n.at.line,
                one_line(&n.message)
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonDoc {
    version: u32,
    tool: String,
    services: Vec<JsonService>,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonService {
    project: String,
    endpoint: Option<String>,
    service: Option<String>,
    stage: Option<String>,
    connector: Option<Connector>,
    connector_evidence: Vec<String>,
    namespace: Option<String>,
    datamodel_version: &'static str,
    datamodel_files: Vec<String>,
    incompatibilities: Vec<JsonIncompatibility>,
    statements: Option<usize>,
    sql: Option<Vec<String>>,
    tables: Vec<super::schema::Table>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct JsonIncompatibility {
    path: String,
    line: usize,
    #[serde(flatten)]
    inner: super::plan::Incompatibility,
}

#[derive(Serialize)]
struct JsonFinding {
    rule: String,
    severity: &'static str,
    path: String,
    line: usize,
    column: usize,
    message: String,
}

impl From<&Finding> for JsonFinding {
    fn from(f: &Finding) -> Self {
        JsonFinding {
            rule: f.rule.clone(),
            severity: f.severity.as_str(),
            path: f.location.path.to_string(),
            line: f.location.line,
            column: f.location.column,
            message: f.message.masked(),
        }
    }
}

fn json_service(s: &Service, endpoint: Option<String>) -> JsonService {
    let sql = s.sql();
    let mut notes = s.notes.clone();
    notes.extend(
        s.datamodel
            .notes
            .iter()
            .map(|n| format!("{}:{}: {}", n.at.path, n.at.line, n.message)),
    );
    JsonService {
        project: s.project.clone(),
        endpoint,
        service: s.service.clone(),
        stage: s.stage.clone(),
        connector: s.connector(),
        connector_evidence: s.resolution.evidence.clone(),
        namespace: s.namespace.clone(),
        datamodel_version: s.version().as_str(),
        datamodel_files: s.datamodel.files.clone(),
        incompatibilities: s
            .plan
            .incompatibilities
            .iter()
            .map(|i| JsonIncompatibility {
                path: i.at.path.to_string(),
                line: i.at.line,
                inner: i.clone(),
            })
            .collect(),
        statements: sql.as_ref().map(|q| statement_count(q)),
        sql,
        tables: s.tables.clone(),
        notes,
    }
}
