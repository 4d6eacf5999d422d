//! What stands between a Prisma 1 database and Prisma ORM: the schema
//! incompatibilities Prisma's upgrade guide lists, found in the datamodel
//! and the database Prisma 1 made of it, and the operations that settle
//! them (rendered as SQL by `sql`, or settled in the Prisma schema by `psl`).

use super::datamodel::{Datamodel, Field, Note, ObjectType, Value, Version};
use super::relations::{Link, Relation, Side};
use super::schema::{id_field, id_scalar, is_scalar_list, Connector, Scalar};
use crate::finding::Location;
use serde::Serialize;

/// An incompatibility, as the rule files name it (`datamodel: {problem: ...}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    DefaultValue,
    CreatedAt,
    UpdatedAt,
    CuidLength,
    InlineOneToOne,
    RelationTable,
    JsonColumn,
    EnumColumn,
    ScalarList,
    CascadeDelete,
    RequiredRelation,
}

impl Problem {
    pub const ALL: [Problem; 11] = [
        Problem::DefaultValue,
        Problem::CreatedAt,
        Problem::UpdatedAt,
        Problem::CuidLength,
        Problem::InlineOneToOne,
        Problem::RelationTable,
        Problem::JsonColumn,
        Problem::EnumColumn,
        Problem::ScalarList,
        Problem::CascadeDelete,
        Problem::RequiredRelation,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::DefaultValue => "default-value",
            Problem::CreatedAt => "created-at",
            Problem::UpdatedAt => "updated-at",
            Problem::CuidLength => "cuid-length",
            Problem::InlineOneToOne => "inline-one-to-one",
            Problem::RelationTable => "relation-table",
            Problem::JsonColumn => "json-column",
            Problem::EnumColumn => "enum-column",
            Problem::ScalarList => "scalar-list",
            Problem::CascadeDelete => "cascade-delete",
            Problem::RequiredRelation => "required-relation",
        }
    }
    pub fn parse(s: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// How an incompatibility is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// By the SQL this tool prints.
    Sql,
    /// In the Prisma ORM schema (`--format prisma` has it).
    Schema,
    /// Optional SQL, printed commented out.
    Optional,
    /// By hand: the database cannot express it, or what to run is unknown.
    Manual,
}

#[derive(Debug, Clone, Serialize)]
pub struct Incompatibility {
    pub problem: Problem,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// One line for people (no connector-specific advice when unknown).
    pub detail: String,
    pub fix: Fix,
    #[serde(skip)]
    pub at: Location,
}

/// One change to the database; `sql` renders it per connector.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    CreateEnum {
        name: String,
        values: Vec<String>,
    },
    EnumColumn {
        table: String,
        column: String,
        enum_name: String,
        values: Vec<String>,
        required: bool,
    },
    JsonColumn {
        table: String,
        column: String,
        required: bool,
    },
    Default {
        table: String,
        column: String,
        scalar: Scalar,
        value: Value,
        required: bool,
        values: Vec<String>,
    },
    CreatedAt {
        table: String,
        column: String,
        required: bool,
    },
    Unique {
        table: String,
        column: String,
    },
    /// Re-create the FK of an inline relation column (NOT NULL, ON DELETE CASCADE).
    InlineForeignKey {
        table: String,
        column: String,
        target: String,
        target_id: String,
        not_null: bool,
        cascade: bool,
    },
    /// Move a 1-n or 1-1 relation table into a foreign-key column.
    TableToColumn(Box<TableMove>),
    /// Fold a scalar-list table into an array column (PostgreSQL).
    ListToArray {
        table: String,
        column: String,
        id: String,
        list_table: String,
        scalar: Scalar,
        enum_name: Option<String>,
    },
    /// Optional: a CUID column to Prisma ORM's length.
    CuidLength {
        table: String,
        column: String,
        required: bool,
    },
    /// Something to do by hand, printed as a comment.
    Manual(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableMove {
    pub table: String,
    pub id: String,
    pub column: String,
    pub target: String,
    pub target_id: String,
    pub target_scalar: Scalar,
    pub join: String,
    /// Relation table column holding this table's ids, and the target's.
    pub own: &'static str,
    pub other: &'static str,
    pub unique: bool,
    pub not_null: bool,
    pub cascade: bool,
}

impl Op {
    /// The order that runs: types before the columns that use them, column
    /// types before defaults (PostgreSQL cannot cast a text default to an
    /// enum), constraints, then the moves that drop tables.
    pub fn rank(&self) -> u8 {
        match self {
            Op::CreateEnum { .. } => 0,
            Op::EnumColumn { .. } | Op::JsonColumn { .. } => 1,
            Op::Default { .. } | Op::CreatedAt { .. } => 2,
            Op::Unique { .. } => 3,
            Op::InlineForeignKey { .. } => 4,
            Op::TableToColumn(_) => 5,
            Op::ListToArray { .. } => 6,
            Op::Manual(_) => 7,
            Op::CuidLength { .. } => 8,
        }
    }
}

/// The incompatibilities and, with a connector, the operations.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub incompatibilities: Vec<Incompatibility>,
    pub ops: Vec<Op>,
    pub notes: Vec<Note>,
}

struct Builder<'a> {
    dm: &'a Datamodel,
    conn: Option<Connector>,
    plan: Plan,
}

impl Builder<'_> {
    fn found(
        &mut self,
        problem: Problem,
        t: &ObjectType,
        f: Option<&Field>,
        column: Option<&str>,
        detail: String,
        fix: Fix,
    ) {
        self.plan.incompatibilities.push(Incompatibility {
            problem,
            model: t.name.clone(),
            field: f.map(|f| f.name.clone()),
            table: t.db_name().to_string(),
            column: column.map(str::to_string),
            detail,
            fix,
            at: f.map_or_else(|| t.at.clone(), |f| f.at.clone()),
        });
    }
    fn op(&mut self, op: Op) {
        if self.conn.is_some() && !self.plan.ops.contains(&op) {
            self.plan.ops.push(op);
        }
    }
    /// The column type Prisma 1 used; both connectors' when unknown.
    fn stored(&self, s: &Scalar) -> String {
        match self.conn {
            Some(c) => s.p1_type(c).to_string(),
            None => format!(
                "{} (PostgreSQL) or {} (MySQL)",
                s.p1_type(Connector::Postgres),
                s.p1_type(Connector::Mysql)
            ),
        }
    }
}

/// Works out the plan for one datamodel on one connector (`None`: unknown,
/// so only what holds on both is said and no SQL is planned).
pub fn plan(dm: &Datamodel, rels: &[Relation], conn: Option<Connector>) -> Plan {
    let mut b = Builder {
        dm,
        conn,
        plan: Plan::default(),
    };
    let version = dm.version();
    for t in dm
        .types
        .iter()
        .filter(|t| t.directive("embedded").is_none())
    {
        fields(&mut b, version, t);
    }
    for r in rels {
        relation(&mut b, r);
    }
    b.plan.ops.sort_by_key(Op::rank);
    b.plan
}

fn fields(b: &mut Builder<'_>, version: Version, t: &ObjectType) {
    let dm = b.dm;
    let table = t.db_name().to_string();
    if let Some(id) = id_field(version, t).filter(|f| f.ty.name == "ID") {
        b.found(
            Problem::CuidLength,
            t,
            Some(id),
            Some(id.db_name()),
            format!("{}.{} holds generated CUIDs in a {} column; Prisma ORM's migrations make them 30 long (optional change)", t.name, id.name, b.stored(&Scalar::Cuid)),
            Fix::Optional,
        );
        b.op(Op::CuidLength {
            table: table.clone(),
            column: id.db_name().to_string(),
            required: true,
        });
    }
    if version == Version::V1_0 {
        for hidden in ["createdAt", "updatedAt"]
            .into_iter()
            .filter(|h| t.field(h).is_none())
        {
            let p = if hidden == "createdAt" {
                Problem::CreatedAt
            } else {
                Problem::UpdatedAt
            };
            b.found(
                p,
                t,
                None,
                Some(hidden),
                format!("datamodel 1.0: Prisma 1 added a NOT NULL `{hidden}` column to table {table} without a default; the Prisma schema gives it {}", if hidden == "createdAt" { "@default(now())" } else { "@updatedAt" }),
                Fix::Schema,
            );
        }
    }
    for f in &t.fields {
        let Some(scalar) = Scalar::of(dm, &f.ty.name) else {
            continue;
        };
        let column = f.db_name().to_string();
        if is_scalar_list(dm, f) {
            scalar_list(b, t, f, &scalar);
            continue;
        }
        let auto = |name: &str| {
            f.has(name) || (version == Version::V1_0 && f.name == name && f.ty.name == "DateTime")
        };
        match &scalar {
            Scalar::Json => {
                b.found(
                    Problem::JsonColumn,
                    t,
                    Some(f),
                    Some(&column),
                    format!(
                        "{}.{} is Json stored as {}; Prisma ORM reads it as String",
                        t.name,
                        f.name,
                        b.stored(&scalar)
                    ),
                    Fix::Sql,
                );
                b.op(Op::JsonColumn {
                    table: table.clone(),
                    column: column.clone(),
                    required: f.ty.required,
                });
            }
            Scalar::Enum(e) => {
                let Some(en) = dm.enum_type(e) else { continue };
                b.found(
                    Problem::EnumColumn,
                    t,
                    Some(f),
                    Some(&column),
                    format!(
                        "{}.{} is enum {} stored as {}; Prisma ORM reads it as String",
                        t.name,
                        f.name,
                        e,
                        b.stored(&scalar)
                    ),
                    Fix::Sql,
                );
                if b.conn == Some(Connector::Postgres) {
                    b.op(Op::CreateEnum {
                        name: en.db_name().to_string(),
                        values: en.values.clone(),
                    });
                }
                b.op(Op::EnumColumn {
                    table: table.clone(),
                    column: column.clone(),
                    enum_name: en.db_name().to_string(),
                    values: en.values.clone(),
                    required: f.ty.required,
                });
            }
            _ => {}
        }
        if let Some(value) = f
            .directive("default")
            .and_then(|d| d.arg("value"))
            .filter(|v| **v != Value::Null)
        {
            let in_text =
                b.conn == Some(Connector::Mysql) && matches!(scalar, Scalar::String | Scalar::Json);
            let shown = match value {
                Value::Str(s)
                | Value::Int(s)
                | Value::Float(s)
                | Value::Enum(s)
                | Value::Other(s) => s.chars().take(40).collect(),
                Value::Bool(v) => v.to_string(),
                Value::Null => String::new(),
            };
            let (detail, fix) = if in_text {
                (format!("default `{shown}` of {}.{} is not in the database, and MySQL cannot give its {} column one: the Prisma schema keeps it as @default", t.name, f.name, b.stored(&scalar)), Fix::Schema)
            } else {
                (format!("default `{shown}` of {}.{} is kept by the Prisma 1 server, not the database", t.name, f.name), Fix::Sql)
            };
            b.found(
                Problem::DefaultValue,
                t,
                Some(f),
                Some(&column),
                detail,
                fix,
            );
            if !in_text {
                let values = match &scalar {
                    Scalar::Enum(e) => dm
                        .enum_type(e)
                        .map(|e| e.values.clone())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                b.op(Op::Default {
                    table: table.clone(),
                    column: column.clone(),
                    scalar: scalar.clone(),
                    value: value.clone(),
                    required: f.ty.required,
                    values,
                });
            }
        }
        if auto("createdAt") && scalar == Scalar::DateTime {
            b.found(Problem::CreatedAt, t, Some(f), Some(&column), format!("{}.{} is set on create by the Prisma 1 server; the database has no DEFAULT CURRENT_TIMESTAMP", t.name, f.name), Fix::Sql);
            b.op(Op::CreatedAt {
                table: table.clone(),
                column: column.clone(),
                required: f.ty.required,
            });
        }
        if auto("updatedAt") && scalar == Scalar::DateTime {
            b.found(Problem::UpdatedAt, t, Some(f), Some(&column), format!("{}.{} is set on every update by the Prisma 1 server; the Prisma schema gives it @updatedAt", t.name, f.name), Fix::Schema);
        }
    }
}

fn scalar_list(b: &mut Builder<'_>, t: &ObjectType, f: &Field, scalar: &Scalar) {
    let dm = b.dm;
    let list_table = format!("{}_{}", t.db_name(), f.db_name());
    let (detail, fix) = match b.conn {
        Some(Connector::Mysql) => (format!("{}.{} is a scalar list kept in table {list_table}; Prisma ORM has no scalar lists on MySQL, so the table stays and the Prisma schema models it", t.name, f.name), Fix::Schema),
        _ => (format!("{}.{} is a scalar list kept in table {list_table}; Prisma ORM wants an array column", t.name, f.name), Fix::Sql),
    };
    b.found(
        Problem::ScalarList,
        t,
        Some(f),
        Some(f.db_name()),
        detail,
        fix,
    );
    if b.conn != Some(Connector::Postgres) {
        return;
    }
    let Some(id) = id_field(dm.version(), t) else {
        return;
    };
    let enum_name = match scalar {
        Scalar::Enum(e) => dm.enum_type(e).map(|e| {
            b.op(Op::CreateEnum {
                name: e.db_name().to_string(),
                values: e.values.clone(),
            });
            e.db_name().to_string()
        }),
        _ => None,
    };
    b.op(Op::ListToArray {
        table: t.db_name().to_string(),
        column: f.db_name().to_string(),
        id: id.db_name().to_string(),
        list_table,
        scalar: scalar.clone(),
        enum_name,
    });
}

/// The datamodel field of a side, with its type.
fn side_field<'a>(dm: &'a Datamodel, s: &Side) -> Option<(&'a ObjectType, &'a Field)> {
    let t = dm.object(&s.model)?;
    Some((t, t.field(s.field.as_deref()?)?))
}

/// Which of the two sides the datamodel declares first (the side that gets
/// the column when a 1-1 table relation moves, as prisma1-upgrade does).
fn first_declared<'r>(dm: &Datamodel, r: &'r Relation) -> (&'r Side, &'r Side) {
    let pos = |s: &Side| {
        let ti = dm
            .types
            .iter()
            .position(|t| t.name == s.model)
            .unwrap_or(usize::MAX);
        let fi = dm
            .object(&s.model)
            .and_then(|t| {
                t.fields
                    .iter()
                    .position(|f| Some(&f.name) == s.field.as_ref())
            })
            .unwrap_or(usize::MAX);
        (ti, fi)
    };
    if pos(&r.a) <= pos(&r.b) {
        (&r.a, &r.b)
    } else {
        (&r.b, &r.a)
    }
}

fn relation(b: &mut Builder<'_>, r: &Relation) {
    let dm = b.dm;
    match &r.link {
        Link::Inline {
            model,
            field,
            column,
        } => {
            let (own, other) =
                if r.a.model == *model && r.a.field.as_deref() == Some(field.as_str()) {
                    (&r.a, &r.b)
                } else {
                    (&r.b, &r.a)
                };
            let Some((t, f)) = side_field(dm, own) else {
                return;
            };
            let target = dm.object(&other.model);
            let target_table = target.map_or(other.model.clone(), |x| x.db_name().to_string());
            let target_id = target
                .and_then(|x| id_field(dm.version(), x))
                .map_or("id".to_string(), |f| f.db_name().to_string());
            if r.one_to_one() {
                b.found(Problem::InlineOneToOne, t, Some(f), Some(column), format!("1-1 relation `{}`: column {}.{} has no UNIQUE constraint, so Prisma ORM reads it as 1-n", r.name, t.db_name(), column), Fix::Sql);
                b.op(Op::Unique {
                    table: t.db_name().to_string(),
                    column: column.clone(),
                });
            }
            let required = !r.one_to_one() && own.required && !r.is_self() && other.list;
            if required {
                b.found(Problem::RequiredRelation, t, Some(f), Some(column), format!("{}.{} is required, but Prisma 1 stored it in a nullable column with ON DELETE SET NULL", t.name, f.name), if b.conn == Some(Connector::Mysql) { Fix::Manual } else { Fix::Sql });
            }
            // Deleting the target deletes this row: a cascading FK says it.
            let cascade = other.cascade;
            if cascade {
                cascade_found(b, r, other, true);
            }
            if own.cascade {
                cascade_found(b, r, own, false);
            }
            if required || cascade {
                match b.conn {
                    Some(Connector::Mysql) => b.op(Op::Manual(format!(
                        "{}.{}: re-create the foreign key of `{}`.`{}`{}{} (MySQL named it `{}_ibfk_N`: see SHOW CREATE TABLE)",
                        t.name, f.name, t.db_name(), column,
                        if required { " as NOT NULL" } else { "" },
                        if cascade { " with ON DELETE CASCADE" } else { "" },
                        t.db_name()
                    ))),
                    _ => b.op(Op::InlineForeignKey { table: t.db_name().to_string(), column: column.clone(), target: target_table, target_id, not_null: required, cascade }),
                }
            }
        }
        Link::Table { table: join, .. } => {
            if r.many_to_many() {
                for s in [&r.a, &r.b].into_iter().filter(|s| s.cascade) {
                    cascade_found(b, r, s, false);
                }
                return;
            }
            // 1-n: the "one" side gets the column; 1-1: the first declared side.
            let (own, other) = match r.one_side() {
                Some(one) => (one, if std::ptr::eq(one, &r.a) { &r.b } else { &r.a }),
                None => first_declared(dm, r),
            };
            let Some((t, f)) = side_field(dm, own) else {
                return;
            };
            let Some(target) = dm.object(&other.model) else {
                return;
            };
            let (Some(id), Some(target_id)) =
                (id_field(dm.version(), t), id_field(dm.version(), target))
            else {
                return;
            };
            let column = format!("{}Id", f.name);
            b.found(
                Problem::RelationTable,
                t,
                Some(f),
                Some(&column),
                format!(
                    "relation `{}` is {} but kept in table {join}, which Prisma ORM reads as m-n",
                    r.name,
                    if r.one_to_one() { "1-1" } else { "1-n" }
                ),
                Fix::Sql,
            );
            if other.cascade {
                cascade_found(b, r, other, true);
            }
            if own.cascade {
                cascade_found(b, r, own, false);
            }
            b.op(Op::TableToColumn(Box::new(TableMove {
                table: t.db_name().to_string(),
                id: id.db_name().to_string(),
                column,
                target: target.db_name().to_string(),
                target_id: target_id.db_name().to_string(),
                target_scalar: id_scalar(dm, &target.name),
                join: join.clone(),
                own: r.letter(own),
                other: r.letter(other),
                unique: r.one_to_one(),
                not_null: own.required,
                cascade: other.cascade,
            })));
        }
    }
}

/// `onDelete: CASCADE` on `side`: deleting its nodes deletes the related
/// ones. A foreign key can say that only when the related rows hold it.
fn cascade_found(b: &mut Builder<'_>, r: &Relation, side: &Side, expressible: bool) {
    let dm = b.dm;
    let Some((t, f)) = side_field(dm, side) else {
        return;
    };
    let (detail, fix) = if expressible {
        (format!("onDelete: CASCADE of {}.{} lives only in the Prisma 1 server; the foreign key of relation `{}` gets ON DELETE CASCADE", t.name, f.name, r.name), if b.conn == Some(Connector::Mysql) && matches!(r.link, Link::Inline { .. }) { Fix::Manual } else { Fix::Sql })
    } else {
        (format!("onDelete: CASCADE of {}.{} lives only in the Prisma 1 server, and no foreign key can say it (relation `{}`): delete the related rows in the application", t.name, f.name, r.name), Fix::Manual)
    };
    b.found(Problem::CascadeDelete, t, Some(f), None, detail, fix);
}
