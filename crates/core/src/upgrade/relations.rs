//! The relations of a datamodel as the Prisma 1 server inferred them
//! (`SchemaInferrer` of the final server): the relation's name, which model is
//! side `A` and which `B`, and how it is stored: a column in one model's
//! table (INLINE) or a relation table `_Name` with columns `A` and `B`.
//!
//! Datamodel 1.1: an explicit `link:` on either side decides; otherwise an
//! m-n relation is a table and a 1-n relation a column on the "one" side; a
//! 1-1 relation without `link:` was refused by the server. Datamodel 1.0:
//! every relation is a table with an extra `id` column (servers before 1.31).

use super::datamodel::{Datamodel, Field, Note, ObjectType, Version};
use std::collections::BTreeSet;

/// How a relation is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A column (`column`) in the table of `model`, written for its field `field`.
    Inline {
        model: String,
        field: String,
        column: String,
    },
    /// A relation table with columns `A` and `B` (and `id` in 1.0).
    Table { table: String, id_column: bool },
}

/// One side of a relation: a field of the datamodel, or the hidden list
/// field the server added when the datamodel gave only one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub model: String,
    /// `None`: no field on this side (Prisma 1 added a hidden list field).
    pub field: Option<String>,
    pub list: bool,
    pub required: bool,
    /// `onDelete: CASCADE`: deleting a node of `model` deletes the related nodes.
    pub cascade: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub name: String,
    /// Side A is the model whose name sorts first (in a self-relation, the
    /// field whose name sorts first); its ids are in column `A`.
    pub a: Side,
    pub b: Side,
    pub link: Link,
}

impl Relation {
    pub fn is_self(&self) -> bool {
        self.a.model == self.b.model
    }
    pub fn one_to_one(&self) -> bool {
        !self.a.list && !self.b.list
    }
    pub fn many_to_many(&self) -> bool {
        self.a.list && self.b.list
    }
    /// For a 1-n relation: the side whose field holds one node.
    pub fn one_side(&self) -> Option<&Side> {
        match (self.a.list, self.b.list) {
            (false, true) => Some(&self.a),
            (true, false) => Some(&self.b),
            _ => None,
        }
    }
    /// The relation table column holding `side`'s ids.
    pub fn letter(&self, side: &Side) -> &'static str {
        if std::ptr::eq(side, &self.a) {
            "A"
        } else {
            "B"
        }
    }
}

/// Relations in order of first appearance, and what could not be inferred.
pub fn infer(dm: &Datamodel) -> (Vec<Relation>, Vec<Note>) {
    let version = dm.version();
    let mut notes = Vec::new();
    let mut out: Vec<Relation> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for t in &dm.types {
        for f in t.fields.iter().filter(|f| dm.object(&f.ty.name).is_some()) {
            let Some(other) = dm.object(&f.ty.name) else {
                continue;
            };
            let related = related_field(t, f, other);
            let name = relation_name(f)
                .or_else(|| related.and_then(relation_name))
                .map(str::to_string)
                .unwrap_or_else(|| generated_name(&t.name, &other.name, f, related));
            if !seen.insert(name.clone()) {
                continue;
            }
            let link = match link_for(version, dm, t, f, other, related, &name) {
                Ok(l) => l,
                Err(why) => {
                    notes.push(Note {
                        at: f.at.clone(),
                        message: format!(
                            "relation `{name}` ({}.{}): {why}; it is not mapped",
                            t.name, f.name
                        ),
                    });
                    continue;
                }
            };
            let this = side(t, Some(f));
            let that = match related {
                Some(r) => side(other, Some(r)),
                None => side(other, None),
            };
            // Side A: the model name that sorts first; in a self-relation the
            // field name that sorts first (the server's `inferRelationSide`).
            let this_first = if t.name != other.name {
                t.name < other.name
            } else {
                related.is_none_or(|r| f.name < r.name)
            };
            let (a, b) = if this_first {
                (this, that)
            } else {
                (that, this)
            };
            out.push(Relation { name, a, b, link });
        }
    }
    (out, notes)
}

fn relation_name(f: &Field) -> Option<&str> {
    f.directive("relation").and_then(|d| d.word("name"))
}

fn side(t: &ObjectType, f: Option<&Field>) -> Side {
    Side {
        model: t.name.clone(),
        field: f.map(|f| f.name.clone()),
        list: f.is_none_or(|f| f.ty.list),
        required: f.is_some_and(|f| f.ty.required),
        cascade: f
            .and_then(|f| f.directive("relation"))
            .and_then(|d| d.word("onDelete"))
            == Some("CASCADE"),
    }
}

/// The field on the other model that pairs with `f`: the one with the same
/// relation name, or the first that points back when `f` has no name.
fn related_field<'a>(t: &ObjectType, f: &Field, other: &'a ObjectType) -> Option<&'a Field> {
    let mut back = other
        .fields
        .iter()
        .filter(|g| g.ty.name == t.name && !(other.name == t.name && g.name == f.name));
    match relation_name(f) {
        Some(n) => back.find(|g| relation_name(g) == Some(n)),
        None => back.next(),
    }
}

/// `AToB` with A the name that sorts first, shortened as the server did
/// while longer than 54 characters.
fn generated_name(m1: &str, m2: &str, f: &Field, related: Option<&Field>) -> String {
    let (mut a, mut b) = if m1 < m2 || (m1 == m2 && related.is_none_or(|r| f.name < r.name)) {
        (m1.to_string(), m2.to_string())
    } else {
        (m2.to_string(), m1.to_string())
    };
    // Bounded: each round removes one character.
    while a.len() + b.len() + 2 > 54 && (a.len() > 1 || b.len() > 1) {
        if b.len() > a.len() {
            b.pop();
        } else {
            a.pop();
        }
    }
    format!("{a}To{b}")
}

fn link_arg(f: &Field) -> Option<&str> {
    f.directive("relation").and_then(|d| d.word("link"))
}

fn link_for(
    version: Version,
    dm: &Datamodel,
    t: &ObjectType,
    f: &Field,
    other: &ObjectType,
    related: Option<&Field>,
    name: &str,
) -> Result<Link, String> {
    // 1.0 (and introspected 1.0 databases): `@pgRelation(column:)` is a column, all else a table.
    if version == Version::V1_0 {
        for (m, g) in [(t, Some(f)), (other, related)] {
            if let Some(col) = g
                .and_then(|g| g.directive("pgRelation"))
                .and_then(|d| d.word("column"))
            {
                return Ok(Link::Inline {
                    model: m.name.clone(),
                    field: g.map(|g| g.name.clone()).unwrap_or_default(),
                    column: col.to_string(),
                });
            }
        }
        return Ok(Link::Table {
            table: format!("_{name}"),
            id_column: true,
        });
    }
    if t.directive("embedded").is_some() || other.directive("embedded").is_some() {
        return Err("embedded types exist only on MongoDB".into());
    }
    let (owner, field, partner) = match (related, link_arg(f), related.and_then(link_arg)) {
        (Some(_), Some(_), Some(_)) => {
            return Err("both fields set `link:`, which Prisma 1 refused".into())
        }
        (Some(r), None, Some(_)) => (other, r, Some(f)),
        (Some(r), None, None) if f.ty.list => (other, r, Some(f)),
        _ => (t, f, related),
    };
    let m2m = field.ty.list && partner.is_none_or(|p| p.ty.list);
    let one_to_many = (field.ty.list && partner.is_some_and(|p| !p.ty.list))
        || (!field.ty.list && partner.is_none_or(|p| p.ty.list));
    let custom_table = dm
        .types
        .iter()
        .any(|x| x.name == name && x.directive("relationTable").is_some());
    let strategy = match link_arg(field) {
        Some("INLINE") => "INLINE",
        Some("TABLE") => "TABLE",
        Some(other) => return Err(format!("unknown link `{}`", other.chars().take(40).collect::<String>())),
        None if custom_table => "TABLE",
        None if m2m => "TABLE",
        None if one_to_many && !field.ty.list => "INLINE",
        None => {
            return Err(
                "a 1-1 relation needs `link: INLINE` or `link: TABLE` on one side, which this datamodel does not say".into(),
            )
        }
    };
    if custom_table {
        return Err("a custom relation table (`@relationTable`) is not mapped yet".into());
    }
    if strategy == "TABLE" {
        return Ok(Link::Table {
            table: format!("_{name}"),
            id_column: false,
        });
    }
    // INLINE: the column is on the side whose field holds one node.
    let (m, g) = if !field.ty.list {
        (owner, field)
    } else {
        match partner {
            Some(p) if !p.ty.list => (if std::ptr::eq(owner, t) { other } else { t }, p),
            _ => {
                return Err(
                    "an INLINE list relation has no side to hold the column on SQL databases"
                        .into(),
                )
            }
        }
    };
    Ok(Link::Inline {
        model: m.name.clone(),
        field: g.name.clone(),
        column: g.db_name().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(text: &str) -> (Vec<Relation>, Vec<Note>) {
        let mut dm = Datamodel::default();
        dm.add_file("datamodel.prisma", text);
        infer(&dm)
    }

    #[test]
    fn one_to_many_is_inline_on_the_one_side_in_1_1() {
        let (r, notes) = rels(
            "type User { id: ID! @id posts: [Post!]! }\ntype Post { id: ID! @id author: User! }\n",
        );
        assert!(notes.is_empty());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, "PostToUser");
        assert_eq!(
            (r[0].a.model.as_str(), r[0].b.model.as_str()),
            ("Post", "User")
        );
        assert_eq!(
            r[0].link,
            Link::Inline {
                model: "Post".into(),
                field: "author".into(),
                column: "author".into()
            }
        );
        assert_eq!(r[0].one_side().map(|s| s.model.as_str()), Some("Post"));
    }

    #[test]
    fn tables_named_and_sided_as_the_server_did() {
        let (r, _) = rels("type User { id: ID! @id medias: [Media]! @relation(link: TABLE, name: \"UserMedias\", onDelete: CASCADE) }\ntype Media { id: ID! @id publisher: User! @relation(name: \"UserMedias\") }\n");
        assert_eq!(
            r[0].link,
            Link::Table {
                table: "_UserMedias".into(),
                id_column: false
            }
        );
        assert_eq!(r[0].a.model, "Media");
        assert!(r[0].b.cascade && !r[0].a.cascade);
        let (r, _) = rels("type User { id: ID! @unique posts: [Post!]! }\ntype Post { id: ID! @unique author: User! }\n");
        assert_eq!(
            r[0].link,
            Link::Table {
                table: "_PostToUser".into(),
                id_column: true
            }
        );
    }

    #[test]
    fn self_relations_take_side_a_from_the_first_field_name() {
        let (r, _) = rels("type User { id: ID! @id invitedUsers: [User!]! @relation(name: \"Inv\") invitedBy: User @relation(name: \"Inv\", link: TABLE) }\n");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].a.field.as_deref(), Some("invitedBy"));
        assert_eq!(r[0].letter(&r[0].a), "A");
    }

    #[test]
    fn one_sided_fields_pair_with_a_hidden_list() {
        let (r, _) = rels("type User { id: ID! @id work: Work @relation(link: TABLE) thoughts: [Thought!] }\ntype Work { id: ID! @id }\ntype Thought { id: ID! @id }\n");
        assert_eq!(r.len(), 2);
        assert!(r[0].one_side().is_some());
        assert!(r[1].many_to_many());
    }

    #[test]
    fn unlinked_one_to_one_is_a_note() {
        let (r, notes) = rels("type A { id: ID! @id b: B }\ntype B { id: ID! @id a: A }\n");
        assert!(r.is_empty());
        assert!(notes[0].message.contains("1-1"));
    }

    #[test]
    fn long_generated_names_are_shortened_to_54() {
        let a = format!("A{}", "x".repeat(40));
        let b = format!("B{}", "y".repeat(40));
        let (r, _) = rels(&format!(
            "type {a} {{ id: ID! @id bs: [{b}] }}\ntype {b} {{ id: ID! @id a: {a} }}\n"
        ));
        assert_eq!(r[0].name.len(), 54);
    }
}
