//! The Prisma ORM schema the repaired database introspects to, with what
//! introspection cannot see added back: `@default` (including `now()` for
//! `@createdAt` and `cuid()`/`uuid()` ids), `@updatedAt`, named `@relation`s
//! with their foreign keys, and `@@map`/`@map` where the datamodel's names
//! differ from the tables and columns. Field order follows the datamodel.

use super::datamodel::{Datamodel, Field, ObjectType, Value, Version};
use super::plan::{Op, Plan};
use super::relations::{Link, Relation, Side};
use super::schema::{id_field, id_scalar, Connector, Scalar};
use std::fmt::Write;

/// A quoted PSL string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A name PSL accepts as an identifier: datamodel names are GraphQL names, which are.
fn name(s: &str) -> &str {
    s
}

fn native(c: Connector, s: &Scalar) -> &'static str {
    match (c, s) {
        (Connector::Postgres, Scalar::Cuid) => " @db.VarChar(25)",
        (Connector::Postgres, Scalar::Uuid) => " @db.Uuid",
        (Connector::Mysql, Scalar::Cuid) => " @db.Char(25)",
        (Connector::Mysql, Scalar::Uuid) => " @db.Char(36)",
        (Connector::Mysql, Scalar::String) => " @db.MediumText",
        (_, Scalar::Float) => " @db.Decimal(65, 30)",
        _ => "",
    }
}

fn psl_type(s: &Scalar) -> String {
    match s {
        Scalar::String | Scalar::Cuid | Scalar::Uuid => "String".into(),
        Scalar::Int => "Int".into(),
        Scalar::Float => "Decimal".into(),
        Scalar::Boolean => "Boolean".into(),
        Scalar::DateTime => "DateTime".into(),
        Scalar::Json => "Json".into(),
        Scalar::Enum(e) => e.clone(),
    }
}

fn default_attr(s: &Scalar, v: &Value) -> Option<String> {
    let text = match v {
        Value::Str(t) | Value::Int(t) | Value::Float(t) | Value::Enum(t) => t.clone(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    Some(match s {
        Scalar::Boolean if text == "true" || text == "false" => text,
        Scalar::Int | Scalar::Float if text.parse::<f64>().is_ok() => text,
        Scalar::Enum(_) if text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => text,
        Scalar::Json => return None,
        _ => quoted(&text),
    })
}

/// The whole schema for one service on a known connector.
pub fn render(dm: &Datamodel, rels: &[Relation], plan: &Plan, c: Connector) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "datasource db {{\n  provider = \"{}\"\n  url      = env(\"DATABASE_URL\")\n}}\n\ngenerator client {{\n  provider = \"prisma-client-js\"\n}}", c.provider());
    let version = dm.version();
    for t in dm
        .types
        .iter()
        .filter(|t| t.directive("embedded").is_none())
    {
        let mut lines: Vec<String> = Vec::new();
        let mut extra_models = Vec::new();
        for f in &t.fields {
            if let Some(s) = Scalar::of(dm, &f.ty.name) {
                scalar_field(dm, version, t, f, &s, c, &mut lines, &mut extra_models);
                continue;
            }
            // The relation this field is a side of, rendered where the datamodel has it.
            for r in rels {
                for side in [&r.a, &r.b] {
                    if side.model == t.name && side.field.as_deref() == Some(f.name.as_str()) {
                        relation_side(dm, r, side, plan, c, &mut lines);
                    }
                }
            }
        }
        if version == Version::V1_0 {
            for (h, attr) in [
                ("createdAt", "@default(now())"),
                ("updatedAt", "@updatedAt"),
            ] {
                if t.field(h).is_none() {
                    lines.push(format!("  {h} DateTime {attr}"));
                }
            }
        }
        // Prisma ORM needs both sides; Prisma 1's hidden ones get a name.
        for r in rels {
            for side in [&r.a, &r.b] {
                if side.model == t.name && side.field.is_none() {
                    relation_side(dm, r, side, plan, c, &mut lines);
                }
            }
        }
        let _ = writeln!(out, "\nmodel {} {{", name(&t.name));
        for l in align(&lines) {
            let _ = writeln!(out, "{l}");
        }
        if t.db_name() != t.name {
            let _ = writeln!(out, "\n  @@map({})", quoted(t.db_name()));
        }
        let _ = writeln!(out, "}}");
        for m in extra_models {
            out.push_str(&m);
        }
    }
    for e in &dm.enums {
        let _ = writeln!(out, "\nenum {} {{", name(&e.name));
        for v in &e.values {
            let _ = writeln!(out, "  {v}");
        }
        if e.db_name() != e.name {
            let _ = writeln!(out, "\n  @@map({})", quoted(e.db_name()));
        }
        let _ = writeln!(out, "}}");
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn scalar_field(
    dm: &Datamodel,
    version: Version,
    t: &ObjectType,
    f: &Field,
    s: &Scalar,
    c: Connector,
    lines: &mut Vec<String>,
    extra: &mut Vec<String>,
) {
    let map = if f.db_name() != f.name {
        format!(" @map({})", quoted(f.db_name()))
    } else {
        String::new()
    };
    if f.ty.list {
        match c {
            Connector::Postgres => lines.push(format!("  {} {}[]{map}", f.name, psl_type(s))),
            Connector::Mysql => {
                // No scalar lists on MySQL: the list table stays, as a model.
                let model = format!("{}_{}", t.name, f.name);
                lines.push(format!("  {} {model}[]", f.name));
                let id = id_scalar(dm, &t.name);
                let idf = id_field(version, t).map_or("id".to_string(), |f| f.name.clone());
                let value_type = match s {
                    Scalar::Enum(_) => "String @db.VarChar(191)".to_string(),
                    other => format!("{}{}", psl_type(other), native(c, other)),
                };
                let mut m = String::new();
                let _ = writeln!(m, "\nmodel {model} {{\n  nodeId   {}{}\n  position Int\n  value    {value_type}\n  node     {} @relation(fields: [nodeId], references: [{idf}])\n\n  @@id([nodeId, position])", psl_type(&id), native(c, &id), t.name);
                if format!("{}_{}", t.db_name(), f.db_name()) != model {
                    let _ = writeln!(
                        m,
                        "  @@map({})",
                        quoted(&format!("{}_{}", t.db_name(), f.db_name()))
                    );
                }
                let _ = writeln!(m, "}}");
                extra.push(m);
            }
        }
        return;
    }
    let optional = if f.ty.required { "" } else { "?" };
    let mut attrs = String::new();
    let is_id = id_field(version, t).is_some_and(|i| i.name == f.name);
    if is_id {
        attrs.push_str(" @id");
        match s {
            Scalar::Cuid => attrs.push_str(" @default(cuid())"),
            Scalar::Uuid => attrs.push_str(" @default(uuid())"),
            Scalar::Int if f.directive("id").and_then(|d| d.word("strategy")) != Some("NONE") => {
                attrs.push_str(" @default(autoincrement())")
            }
            _ => {}
        }
    } else if f.has("unique") {
        attrs.push_str(" @unique");
    }
    let auto =
        |n: &str| f.has(n) || (version == Version::V1_0 && f.name == n && *s == Scalar::DateTime);
    if auto("createdAt") {
        attrs.push_str(" @default(now())");
    } else if let Some(d) = f
        .directive("default")
        .and_then(|d| d.arg("value"))
        .and_then(|v| default_attr(s, v))
    {
        attrs.push_str(&format!(" @default({d})"));
    }
    if auto("updatedAt") {
        attrs.push_str(" @updatedAt");
    }
    lines.push(format!(
        "  {} {}{optional}{attrs}{map}{}",
        f.name,
        psl_type(s),
        native(c, s)
    ));
}

/// Lines in columns (name, type, attributes), as `prisma format` lays them out.
fn align(lines: &[String]) -> Vec<String> {
    let split: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| l.trim_start().splitn(3, ' ').collect())
        .collect();
    let w0 = split
        .iter()
        .map(|p| p.first().map_or(0, |x| x.len()))
        .max()
        .unwrap_or(0);
    let w1 = split
        .iter()
        .map(|p| p.get(1).map_or(0, |x| x.len()))
        .max()
        .unwrap_or(0);
    split
        .iter()
        .map(|p| match p.as_slice() {
            [a, b, rest] => format!("  {a:w0$} {b:w1$} {rest}"),
            [a, b] => format!("  {a:w0$} {b}"),
            other => format!("  {}", other.join(" ")),
        })
        .collect()
}

/// The lines of one side of relation `r`: its relation field, and for the
/// side holding the foreign key, the key's scalar first.
fn relation_side(
    dm: &Datamodel,
    r: &Relation,
    own: &Side,
    plan: &Plan,
    c: Connector,
    lines: &mut Vec<String>,
) {
    let other = if std::ptr::eq(own, &r.a) { &r.b } else { &r.a };
    let field_name = match &own.field {
        Some(f) => f.clone(),
        None => format!("{}_{}", other.model, r.name),
    };
    let rel = quoted(&r.name);
    let holder = fk_holder(r, plan);
    let Some((_, column, not_null, on_delete)) = holder.filter(|(s, ..)| std::ptr::eq(*s, own))
    else {
        let list = if own.list && !r.one_to_one() {
            "[]"
        } else {
            "?"
        };
        lines.push(format!(
            "  {field_name} {}{list} @relation({rel})",
            other.model
        ));
        return;
    };
    let target_id = dm
        .object(&other.model)
        .and_then(|x| id_field(dm.version(), x))
        .map_or("id".to_string(), |f| f.name.clone());
    let id = id_scalar(dm, &other.model);
    let scalar = format!("{field_name}Id");
    let map = if column != scalar {
        format!(" @map({})", quoted(&column))
    } else {
        String::new()
    };
    let unique = if r.one_to_one() { " @unique" } else { "" };
    let q = if not_null { "" } else { "?" };
    lines.push(format!(
        "  {scalar} {}{q}{unique}{map}{}",
        psl_type(&id),
        fk_native(c, &id, &r.link)
    ));
    lines.push(format!("  {field_name} {}{q} @relation({rel}, fields: [{scalar}], references: [{target_id}], onDelete: {on_delete}, onUpdate: NoAction)", other.model));
}

/// The FK column type: Prisma 1's for inline columns, the moved column's otherwise.
fn fk_native(c: Connector, id: &Scalar, link: &Link) -> &'static str {
    match (link, c, id) {
        (Link::Table { .. }, Connector::Mysql, Scalar::Cuid) => " @db.Char(30)",
        _ => native(c, id),
    }
}

/// The side that holds the foreign key once the SQL has run, its column,
/// whether it is NOT NULL, and its ON DELETE action as Prisma ORM names it.
/// `None`: an m-n relation table.
fn fk_holder<'r>(r: &'r Relation, plan: &Plan) -> Option<(&'r Side, String, bool, &'static str)> {
    match &r.link {
        Link::Inline {
            model,
            field,
            column,
        } => {
            let own = if r.a.model == *model && r.a.field.as_deref() == Some(field.as_str()) {
                &r.a
            } else {
                &r.b
            };
            let recreated = plan.ops.iter().find_map(|o| match o {
                Op::InlineForeignKey {
                    column: c,
                    not_null,
                    cascade,
                    ..
                } if c == column => Some((*not_null, *cascade)),
                _ => None,
            });
            Some(match recreated {
                // Prisma 1 created it `ON DELETE SET NULL`.
                None => (own, column.clone(), false, "SetNull"),
                Some((not_null, cascade)) => (
                    own,
                    column.clone(),
                    not_null,
                    if cascade { "Cascade" } else { "NoAction" },
                ),
            })
        }
        Link::Table { table, .. } => plan.ops.iter().find_map(|o| match o {
            Op::TableToColumn(m) if &m.join == table => {
                let own = if m.own == "A" { &r.a } else { &r.b };
                Some((
                    own,
                    m.column.clone(),
                    m.not_null,
                    if m.cascade { "Cascade" } else { "NoAction" },
                ))
            }
            _ => None,
        }),
    }
}
