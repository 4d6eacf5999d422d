//! The SQL that settles the planned operations, per connector, in the order
//! `Op::rank` gives (one that runs). Statement shapes follow prisma1-upgrade
//! where it has them, so its users recognise them; where it is wrong (the
//! 1-n moves of self-relations, MySQL `DATETIME` dropping milliseconds,
//! `SET NOT NULL` on list columns left NULL for empty lists) the statement
//! is the one that runs and keeps the data. Identifiers and literals from
//! the datamodel are always quoted and escaped.

use super::datamodel::Value;
use super::plan::{Op, TableMove};
use super::schema::{Connector, Scalar};

/// Renders the operations: statements, with `-- ` comment lines for
/// optional and manual steps. `namespace` is the PostgreSQL schema (tables
/// are qualified with it); for MySQL it only names the database in a comment.
pub fn render(c: Connector, namespace: Option<&str>, ops: &[Op]) -> Vec<String> {
    let r = Renderer { c, ns: namespace };
    let mut out = Vec::new();
    let mut optional_header = false;
    for op in ops {
        if matches!(op, Op::CuidLength { .. }) && !optional_header {
            optional_header = true;
            out.push("-- Optional, only for Prisma Migrate: CUID columns to the length Prisma ORM's migrations use.".to_string());
        }
        out.extend(r.op(op));
    }
    out
}

struct Renderer<'a> {
    c: Connector,
    ns: Option<&'a str>,
}

/// A quoted identifier.
fn ident(c: Connector, name: &str) -> String {
    match c {
        Connector::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        Connector::Mysql => format!("`{}`", name.replace('`', "``")),
    }
}

/// A string literal. Line breaks and tabs are escapes (`E'...'` on
/// PostgreSQL), so no value makes a statement span lines.
fn literal(c: Connector, s: &str) -> String {
    let special = |ch: char| matches!(ch, '\n' | '\r' | '\t');
    let escaped = |s: &str| {
        let mut out = String::with_capacity(s.len() + 2);
        for ch in s.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\'' => out.push_str("''"),
                other => out.push(other),
            }
        }
        out
    };
    match c {
        Connector::Postgres if s.chars().any(special) => format!("E'{}'", escaped(s)),
        Connector::Postgres => format!("'{}'", s.replace('\'', "''")),
        Connector::Mysql => format!("'{}'", escaped(s)),
    }
}

/// A number as written, when it is one.
fn number(s: &str) -> Option<&str> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        && t.chars().any(|c| c.is_ascii_digit());
    ok.then_some(t)
}

/// A comment line that no datamodel text can end early.
fn comment(s: &str) -> String {
    format!("-- {}", s.replace(['\n', '\r'], " "))
}

impl Renderer<'_> {
    fn q(&self, name: &str) -> String {
        ident(self.c, name)
    }
    fn table(&self, name: &str) -> String {
        match (self.c, self.ns) {
            (Connector::Postgres, Some(ns)) => format!("{}.{}", self.q(ns), self.q(name)),
            _ => self.q(name),
        }
    }
    fn enum_type(&self, name: &str) -> String {
        self.table(name)
    }
    fn not_null(required: bool) -> &'static str {
        if required {
            " NOT NULL"
        } else {
            ""
        }
    }
    fn enum_list(&self, values: &[String]) -> String {
        values
            .iter()
            .map(|v| literal(self.c, v))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The default value as SQL, read by the field's type (datamodel 1.0
    /// wrote every default as a string: `@default(value: "false")`).
    fn default_value(&self, scalar: &Scalar, v: &Value) -> Option<String> {
        let text = match v {
            Value::Str(s) | Value::Int(s) | Value::Float(s) | Value::Enum(s) => s.as_str(),
            Value::Bool(true) => "true",
            Value::Bool(false) => "false",
            Value::Null | Value::Other(_) => return None,
        };
        Some(match scalar {
            Scalar::Boolean => match (self.c, text) {
                (Connector::Postgres, "true" | "false") => text.to_string(),
                (Connector::Mysql, "true") => "1".into(),
                (Connector::Mysql, "false") => "0".into(),
                _ => return None,
            },
            Scalar::Int | Scalar::Float => number(text)?.to_string(),
            _ => literal(self.c, text),
        })
    }

    /// MySQL's `CHANGE` needs the whole column type.
    fn mysql_type(scalar: &Scalar, values: &[String], c: Connector) -> Option<String> {
        let r = Renderer { c, ns: None };
        Some(match scalar {
            Scalar::Boolean => "TINYINT(1)".into(),
            Scalar::Int => "INT(11)".into(),
            Scalar::Float => "DECIMAL(65,30)".into(),
            Scalar::DateTime => "DATETIME(3)".into(),
            Scalar::Enum(_) if !values.is_empty() => format!("ENUM({})", r.enum_list(values)),
            _ => return None,
        })
    }

    fn op(&self, op: &Op) -> Vec<String> {
        let pg = self.c == Connector::Postgres;
        match op {
            Op::CreateEnum { name, values } => match self.c {
                Connector::Postgres => vec![format!(
                    "CREATE TYPE {} AS ENUM ({});",
                    self.enum_type(name),
                    self.enum_list(values)
                )],
                Connector::Mysql => Vec::new(),
            },
            Op::EnumColumn {
                table,
                column,
                enum_name,
                values,
                required,
            } => {
                let (t, col) = (self.table(table), self.q(column));
                if pg {
                    let e = self.enum_type(enum_name);
                    vec![format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} SET DATA TYPE {e} USING {col}::{e};"
                    )]
                } else {
                    vec![format!(
                        "ALTER TABLE {t} CHANGE {col} {col} ENUM({}){};",
                        self.enum_list(values),
                        Self::not_null(*required)
                    )]
                }
            }
            Op::JsonColumn {
                table,
                column,
                required,
            } => {
                let (t, col) = (self.table(table), self.q(column));
                if pg {
                    vec![format!("ALTER TABLE {t} ALTER COLUMN {col} SET DATA TYPE JSONB USING {col}::TEXT::JSONB;")]
                } else {
                    vec![format!(
                        "ALTER TABLE {t} CHANGE {col} {col} JSON{};",
                        Self::not_null(*required)
                    )]
                }
            }
            Op::Default {
                table,
                column,
                scalar,
                value,
                required,
                values,
            } => {
                let (t, col) = (self.table(table), self.q(column));
                let Some(v) = self.default_value(scalar, value) else {
                    return vec![comment(&format!("{table}.{column}: the default is not a value of the column's type; set it by hand"))];
                };
                if pg {
                    vec![format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {v};"
                    )]
                } else {
                    match Self::mysql_type(scalar, values, self.c) {
                        Some(ty) => vec![format!("ALTER TABLE {t} CHANGE {col} {col} {ty}{} DEFAULT {v};", Self::not_null(*required))],
                        None => vec![comment(&format!("{table}.{column}: MySQL cannot hold this default; keep @default in the Prisma schema"))],
                    }
                }
            }
            Op::CreatedAt {
                table,
                column,
                required,
            } => {
                let (t, col) = (self.table(table), self.q(column));
                if pg {
                    vec![format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT CURRENT_TIMESTAMP;"
                    )]
                } else {
                    // DATETIME(3), as Prisma 1 made it: plain DATETIME would round away the milliseconds.
                    vec![format!("ALTER TABLE {t} CHANGE {col} {col} DATETIME(3){} DEFAULT CURRENT_TIMESTAMP(3);", Self::not_null(*required))]
                }
            }
            Op::Unique { table, column } => vec![format!(
                "ALTER TABLE {} ADD UNIQUE ({});",
                self.table(table),
                self.q(column)
            )],
            Op::InlineForeignKey {
                table,
                column,
                target,
                target_id,
                not_null,
                cascade,
            } => {
                // PostgreSQL named the constraint Prisma 1 created `<table>_<column>_fkey`.
                let name = self.q(&format!("{table}_{column}_fkey"));
                let (t, col) = (self.table(table), self.q(column));
                let mut s = format!(
                    "ALTER TABLE {t} DROP CONSTRAINT {name},\nADD CONSTRAINT {name} FOREIGN KEY ({col}) REFERENCES {}({}){}",
                    self.table(target),
                    self.q(target_id),
                    if *cascade { " ON DELETE CASCADE" } else { "" }
                );
                if *not_null {
                    s.push_str(&format!(",\nALTER COLUMN {col} SET NOT NULL"));
                }
                s.push(';');
                vec![s]
            }
            Op::TableToColumn(m) => self.table_move(m),
            Op::ListToArray {
                table,
                column,
                id,
                list_table,
                scalar,
                enum_name,
            } => {
                let elem = match (scalar, enum_name) {
                    (_, Some(e)) => self.enum_type(e),
                    (Scalar::String, _) => "text".into(),
                    (Scalar::Int, _) => "integer".into(),
                    (Scalar::Float, _) => "double precision".into(),
                    (Scalar::Boolean, _) => "boolean".into(),
                    (Scalar::DateTime, _) => "timestamp(3)".into(),
                    (Scalar::Json, _) => "jsonb".into(),
                    (Scalar::Uuid, _) => "uuid".into(),
                    _ => "text".into(),
                };
                let (t, col, lt) = (self.table(table), self.q(column), self.table(list_table));
                vec![
                    format!("ALTER TABLE {t} ADD COLUMN {col} {elem}[];"),
                    format!(
                        "UPDATE {t} u\n  SET {col} = t.\"value\"::{elem}[]\nFROM (\n  SELECT \"nodeId\", array_agg(value ORDER BY position) as value\n  FROM {lt}\n  GROUP BY \"nodeId\"\n) t\nWHERE t.\"nodeId\" = u.{};",
                        self.q(id)
                    ),
                    format!("DROP TABLE {lt};"),
                ]
            }
            Op::CuidLength {
                table,
                column,
                required,
            } => {
                let (t, col) = (self.table(table), self.q(column));
                vec![comment(&if pg {
                    format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} SET DATA TYPE character varying(30);"
                    )
                } else {
                    format!(
                        "ALTER TABLE {t} CHANGE {col} {col} char(30) CHARACTER SET utf8{};",
                        Self::not_null(*required)
                    )
                })]
            }
            Op::Manual(text) => vec![comment(&format!("By hand: {text}"))],
        }
    }

    fn table_move(&self, m: &TableMove) -> Vec<String> {
        let (t, col, j) = (self.table(&m.table), self.q(&m.column), self.table(&m.join));
        let (id, target, target_id) = (self.q(&m.id), self.table(&m.target), self.q(&m.target_id));
        let unique = if m.unique { " unique" } else { "" };
        let cascade = if m.cascade { " ON DELETE CASCADE" } else { "" };
        let ty = match (self.c, &m.target_scalar) {
            (Connector::Postgres, Scalar::Int) => "INTEGER",
            (Connector::Postgres, Scalar::Uuid) => "UUID",
            (Connector::Postgres, _) => "CHARACTER VARYING(25)",
            (Connector::Mysql, Scalar::Int) => "INT",
            (Connector::Mysql, Scalar::Uuid) => "char(36) CHARACTER SET utf8",
            // As prisma1-upgrade: room for Prisma ORM's 30-long CUIDs, in the ids' character set.
            (Connector::Mysql, _) => "char(30) CHARACTER SET utf8",
        };
        let mut out = vec![format!("ALTER TABLE {t} ADD COLUMN {col} {ty}{unique};")];
        match self.c {
            Connector::Postgres => {
                out.push(format!(
                    "UPDATE {t} SET {col} = {j}.\"{}\" FROM {j} WHERE {j}.\"{}\" = {t}.{id};",
                    m.other, m.own
                ));
                if m.not_null {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL;"));
                }
            }
            Connector::Mysql => {
                out.push(format!(
                    "UPDATE {t}, {j} SET {t}.{col} = {j}.{} WHERE {j}.{} = {t}.{id};",
                    m.other, m.own
                ));
                if m.not_null {
                    out.push(format!("ALTER TABLE {t} CHANGE {col} {col} {ty} NOT NULL;"));
                }
            }
        }
        out.push(format!(
            "ALTER TABLE {t} ADD FOREIGN KEY ({col}) REFERENCES {target}({target_id}){cascade};"
        ));
        out.push(format!("DROP TABLE {j};"));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_are_escaped() {
        assert_eq!(ident(Connector::Postgres, "a\"b"), "\"a\"\"b\"");
        assert_eq!(ident(Connector::Mysql, "a`b"), "`a``b`");
        assert_eq!(literal(Connector::Postgres, "it's"), "'it''s'");
        assert_eq!(literal(Connector::Mysql, "a\\'"), "'a\\\\'''");
        assert_eq!(literal(Connector::Postgres, "a\nb\\"), "E'a\\nb\\\\'");
        assert_eq!(literal(Connector::Mysql, "a\nb"), "'a\\nb'");
        assert_eq!(comment("x\n; DROP TABLE y"), "-- x ; DROP TABLE y");
        assert_eq!(number("4; DROP"), None);
        assert_eq!(number("-1.5e3"), Some("-1.5e3"));
    }
}
