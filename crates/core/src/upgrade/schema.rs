//! The database as Prisma 1 created it for a datamodel: one table per type
//! (`@db(name:)` renames it), one column per scalar field, a column per
//! inline relation, a `_Name` table per table relation, and a `Type_field`
//! table (`nodeId`, `position`, `value`) per scalar list; column types per
//! connector, from the final server's type mappers (`PostgresTypeMapper`,
//! `MySqlTypeMapper`). Datamodel 1.0 databases also carry `createdAt` and
//! `updatedAt` columns on every table, and an `id` column in relation tables.

use super::datamodel::{Datamodel, Field, ObjectType, Version};
use super::relations::{Link, Relation};
use serde::Serialize;

/// The database behind a Prisma 1 service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connector {
    Postgres,
    Mysql,
}

impl Connector {
    pub fn as_str(self) -> &'static str {
        match self {
            Connector::Postgres => "postgres",
            Connector::Mysql => "mysql",
        }
    }
    /// Prisma ORM's `provider` for it.
    pub fn provider(self) -> &'static str {
        match self {
            Connector::Postgres => "postgresql",
            Connector::Mysql => "mysql",
        }
    }
    /// The schema (PostgreSQL) or database (MySQL) of a service and stage:
    /// `service$stage` or `service@stage` (the server's `ProjectIdEncoder`).
    pub fn namespace(self, service: &str, stage: &str) -> String {
        let sep = match self {
            Connector::Postgres => '$',
            Connector::Mysql => '@',
        };
        format!("{service}{sep}{stage}")
    }
}

/// What a field stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int,
    Float,
    Boolean,
    DateTime,
    Json,
    /// `ID`: a generated CUID.
    Cuid,
    Uuid,
    Enum(String),
}

impl Scalar {
    pub fn of(dm: &Datamodel, type_name: &str) -> Option<Scalar> {
        Some(match type_name {
            "String" => Scalar::String,
            "Int" => Scalar::Int,
            "Float" => Scalar::Float,
            "Boolean" => Scalar::Boolean,
            "DateTime" => Scalar::DateTime,
            "Json" => Scalar::Json,
            "ID" => Scalar::Cuid,
            "UUID" => Scalar::Uuid,
            other if dm.enum_type(other).is_some() => Scalar::Enum(other.to_string()),
            _ => return None,
        })
    }

    /// The column type Prisma 1 created.
    pub fn p1_type(&self, c: Connector) -> &'static str {
        match (c, self) {
            (Connector::Postgres, Scalar::String | Scalar::Json | Scalar::Enum(_)) => "text",
            (Connector::Postgres, Scalar::Int) => "integer",
            (Connector::Postgres, Scalar::Float) => "decimal(65,30)",
            (Connector::Postgres, Scalar::Boolean) => "boolean",
            (Connector::Postgres, Scalar::DateTime) => "timestamp(3)",
            (Connector::Postgres, Scalar::Cuid) => "varchar(25)",
            (Connector::Postgres, Scalar::Uuid) => "uuid",
            (Connector::Mysql, Scalar::String | Scalar::Json) => "mediumtext",
            (Connector::Mysql, Scalar::Int) => "int",
            (Connector::Mysql, Scalar::Float) => "decimal(65,30)",
            (Connector::Mysql, Scalar::Boolean) => "tinyint(1)",
            (Connector::Mysql, Scalar::DateTime) => "datetime(3)",
            (Connector::Mysql, Scalar::Cuid) => "char(25)",
            (Connector::Mysql, Scalar::Uuid) => "char(36)",
            (Connector::Mysql, Scalar::Enum(_)) => "varchar(191)",
        }
    }
}

/// The id field of a type: `@id` in 1.1, the field named `id` in 1.0.
pub fn id_field(version: Version, t: &ObjectType) -> Option<&Field> {
    match version {
        Version::V1_1 => t.fields.iter().find(|f| f.has("id")),
        Version::V1_0 => t.fields.iter().find(|f| f.name == "id"),
    }
}

/// Scalar list fields are lists of scalars or enums (`@scalarList` in 1.1).
pub fn is_scalar_list(dm: &Datamodel, f: &Field) -> bool {
    f.ty.list && Scalar::of(dm, &f.ty.name).is_some()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub nullable: bool,
}

/// What a table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    Model,
    Relation,
    ScalarList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub name: String,
    pub kind: TableKind,
    pub columns: Vec<Column>,
}

fn col(name: &str, ty: &str, nullable: bool) -> Column {
    Column {
        name: name.to_string(),
        ty: ty.to_string(),
        nullable,
    }
}

/// The id column type of the type named `model` (a CUID when unknown).
pub fn id_scalar(dm: &Datamodel, model: &str) -> Scalar {
    let version = dm.version();
    dm.object(model)
        .and_then(|t| id_field(version, t))
        .and_then(|f| Scalar::of(dm, &f.ty.name))
        .unwrap_or(Scalar::Cuid)
}

/// Every table Prisma 1 created for the datamodel, in datamodel order.
pub fn tables(dm: &Datamodel, rels: &[Relation], c: Connector) -> Vec<Table> {
    let version = dm.version();
    let mut out = Vec::new();
    let mut lists = Vec::new();
    for t in dm
        .types
        .iter()
        .filter(|t| t.directive("embedded").is_none())
    {
        let mut columns = Vec::new();
        for f in &t.fields {
            let Some(s) = Scalar::of(dm, &f.ty.name) else {
                continue;
            };
            if f.ty.list {
                let id = id_scalar(dm, &t.name);
                lists.push(Table {
                    name: format!("{}_{}", t.db_name(), f.db_name()),
                    kind: TableKind::ScalarList,
                    columns: vec![
                        col("nodeId", id.p1_type(c), false),
                        col("position", Scalar::Int.p1_type(c), false),
                        col("value", s.p1_type(c), false),
                    ],
                });
                continue;
            }
            columns.push(col(f.db_name(), s.p1_type(c), !f.ty.required));
        }
        for r in rels {
            if let Link::Inline {
                model,
                field,
                column,
            } = &r.link
            {
                if model == &t.name {
                    let target = if r.a.model == *model && r.a.field.as_deref() == Some(field) {
                        &r.b.model
                    } else {
                        &r.a.model
                    };
                    columns.push(col(column, id_scalar(dm, target).p1_type(c), true));
                }
            }
        }
        if version == Version::V1_0 {
            for hidden in ["createdAt", "updatedAt"] {
                if t.field(hidden).is_none() {
                    columns.push(col(hidden, Scalar::DateTime.p1_type(c), false));
                }
            }
        }
        out.push(Table {
            name: t.db_name().to_string(),
            kind: TableKind::Model,
            columns,
        });
    }
    for r in rels {
        if let Link::Table { table, id_column } = &r.link {
            let mut columns = Vec::new();
            if *id_column {
                columns.push(col("id", "char(25)", false));
            }
            columns.push(col("A", id_scalar(dm, &r.a.model).p1_type(c), false));
            columns.push(col("B", id_scalar(dm, &r.b.model).p1_type(c), false));
            out.push(Table {
                name: table.clone(),
                kind: TableKind::Relation,
                columns,
            });
        }
    }
    out.extend(lists);
    out
}
