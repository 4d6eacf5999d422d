//! Reads a Prisma 1 datamodel (the GraphQL SDL files prisma.yml's
//! `datamodel:` names) with a real GraphQL parser, `apollo-parser`, into the
//! few things the upgrade needs: types and their fields, directives and
//! enums, each with its place in the file. Datamodel 1.1 (`@id`, `@db`,
//! `@relation(link:)`, `@scalarList`) and the older 1.0 form (`id: ID!
//! @unique`, `@pgTable`/`@pgColumn`) are both read; what the mapping does not
//! cover is kept as a note, never dropped silently.
//!
//! Repository text is hostile: the parser runs with a token and a recursion
//! limit, files are size-bounded by the caller, and strings are unescaped by
//! our own code (no panics on a malformed escape).

use crate::finding::Location;
use apollo_parser::cst::{self, CstNode};

/// Tokens one datamodel file may hold (a 5,000-type datamodel has ~300k).
const TOKEN_LIMIT: usize = 1_000_000;
/// Nesting a datamodel never needs beyond a handful (`[[Int!]!]!`, objects in arguments).
const RECURSION_LIMIT: usize = 64;
/// Kept notes per file: a broken file is one problem, not thousands.
const MAX_NOTES: usize = 50;

/// The Prisma 1 datamodel format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Version {
    /// `id: ID! @unique`, every relation in a table (servers before 1.31).
    #[serde(rename = "1.0")]
    V1_0,
    /// `@id`, `@relation(link: INLINE|TABLE)`, `@scalarList` (1.31 and later).
    #[serde(rename = "1.1")]
    V1_1,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
        }
    }
}

/// A directive argument's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Int(String),
    Float(String),
    Bool(bool),
    Enum(String),
    Null,
    /// A list, an object or a variable: kept as its source text.
    Other(String),
}

#[derive(Debug, Clone)]
pub struct Directive {
    pub name: String,
    pub args: Vec<(String, Value)>,
    pub at: Location,
}

impl Directive {
    pub fn arg(&self, name: &str) -> Option<&Value> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
    /// A string or enum argument as text (`name: "X"`, `link: INLINE`).
    pub fn word(&self, name: &str) -> Option<&str> {
        match self.arg(name)? {
            Value::Str(s) | Value::Enum(s) => Some(s),
            _ => None,
        }
    }
}

/// A field's type: `Name`, `Name!`, `[Name!]!` and so on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    pub name: String,
    pub list: bool,
    /// The field itself is non-null (`X!` or `[X]!`).
    pub required: bool,
    /// The list's elements are non-null (`[X!]`).
    pub inner_required: bool,
    /// Nested lists (`[[X]]`): Prisma 1 has none; kept as a note.
    pub nested: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: TypeRef,
    pub directives: Vec<Directive>,
    /// The field's whole definition (name to last directive).
    pub at: Location,
}

impl Field {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
    pub fn has(&self, name: &str) -> bool {
        self.directive(name).is_some()
    }
    /// The column name: `@db(name:)` (1.1) or `@pgColumn(name:)` (1.0).
    pub fn db_name(&self) -> &str {
        db_name(&self.directives).unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone)]
pub struct ObjectType {
    pub name: String,
    pub directives: Vec<Directive>,
    pub fields: Vec<Field>,
    /// The type's name (where its findings point).
    pub at: Location,
}

impl ObjectType {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
    /// The table name: `@db(name:)` (1.1) or `@pgTable(name:)` (1.0).
    pub fn db_name(&self) -> &str {
        db_name(&self.directives).unwrap_or(&self.name)
    }
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub name: String,
    pub directives: Vec<Directive>,
    pub values: Vec<String>,
    pub at: Location,
}

impl EnumType {
    pub fn db_name(&self) -> &str {
        db_name(&self.directives).unwrap_or(&self.name)
    }
}

fn db_name(directives: &[Directive]) -> Option<&str> {
    directives
        .iter()
        .find(|d| matches!(d.name.as_str(), "db" | "pgTable" | "pgColumn"))
        .and_then(|d| match d.arg("name")? {
            Value::Str(s) if !s.is_empty() => Some(s.as_str()),
            _ => None,
        })
}

/// Something in a datamodel the mapping does not cover, or cannot read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    pub at: Location,
    pub message: String,
}

/// The types of one or more datamodel files, in file order.
#[derive(Debug, Clone, Default)]
pub struct Datamodel {
    pub files: Vec<String>,
    pub types: Vec<ObjectType>,
    pub enums: Vec<EnumType>,
    pub notes: Vec<Note>,
    /// Each file's text, for the lines findings quote.
    pub sources: std::collections::BTreeMap<String, String>,
}

impl Datamodel {
    pub fn object(&self, name: &str) -> Option<&ObjectType> {
        self.types.iter().find(|t| t.name == name)
    }
    /// The quoted lines of `at`, for a finding's snippet (repository text,
    /// each line's secrets found by the syntax scanner).
    pub fn snippet(&self, at: &Location) -> crate::text::RepoText {
        let Some(text) = self.sources.get(&*at.path) else {
            return crate::text::RepoText::default();
        };
        let lines: Vec<(usize, crate::text::RepoText)> = text
            .lines()
            .enumerate()
            .skip(at.line.saturating_sub(1))
            .take(at.end_line.saturating_sub(at.line) + 1)
            .map(|(i, l)| (i + 1, crate::text::RepoText::parsed(l)))
            .collect();
        crate::finding::clip_snippet(lines.iter().map(|(i, l)| (*i, l)), at)
    }
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// 1.1 when any field carries `@id`; 1.0 when an `id: ID!` field is
    /// marked `@unique` instead; 1.1 otherwise (the form every server since
    /// 1.31 writes).
    pub fn version(&self) -> Version {
        let fields = || self.types.iter().flat_map(|t| &t.fields);
        if fields().any(|f| f.has("id")) {
            Version::V1_1
        } else if fields().any(|f| f.name == "id" && f.ty.name == "ID" && f.has("unique")) {
            Version::V1_0
        } else {
            Version::V1_1
        }
    }

    /// Adds the definitions of one file. A file that does not parse is a
    /// note and adds nothing: Prisma 1 would not have deployed it either.
    pub fn add_file(&mut self, path: &str, text: &str) {
        self.files.push(path.to_string());
        self.sources.insert(path.to_string(), text.to_string());
        let tree = apollo_parser::Parser::new(text)
            .token_limit(TOKEN_LIMIT)
            .recursion_limit(RECURSION_LIMIT)
            .parse();
        if let Some(e) = tree.errors().next() {
            let at = e.index().min(text.len());
            self.notes.push(Note {
                at: Location::from_bytes(path, text.as_bytes(), at, at),
                message: format!(
                    "the datamodel is not valid GraphQL SDL ({}); it is not analysed",
                    bounded(e.message())
                ),
            });
            return;
        }
        let reader = Reader { path, text };
        let mut notes = Vec::new();
        for def in tree.document().definitions() {
            match def {
                cst::Definition::ObjectTypeDefinition(o) => {
                    if let Some(t) = reader.object(&o, &mut notes) {
                        self.types.push(t);
                    }
                }
                cst::Definition::EnumTypeDefinition(e) => {
                    if let Some(e) = reader.enumeration(&e) {
                        self.enums.push(e);
                    }
                }
                other => notes.push(Note {
                    at: reader.at(other.syntax()),
                    message: format!(
                        "{} is not part of a Prisma 1 datamodel; it is ignored",
                        other.kind()
                    ),
                }),
            }
        }
        notes.truncate(MAX_NOTES);
        self.notes.extend(notes);
    }
}

/// Repository text in a message: one line, bounded.
fn bounded(s: &str) -> String {
    let one: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(120)
        .collect();
    one
}

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
}

impl Reader<'_> {
    fn at(&self, node: &apollo_parser::SyntaxNode) -> Location {
        let r = node.text_range();
        Location::from_bytes(
            self.path,
            self.text.as_bytes(),
            usize::from(r.start()),
            usize::from(r.end()),
        )
    }

    fn object(&self, o: &cst::ObjectTypeDefinition, notes: &mut Vec<Note>) -> Option<ObjectType> {
        let name_node = o.name()?;
        let name = name_node.text().to_string();
        let directives = self.directives(o.directives());
        if directives.iter().any(|d| d.name == "embedded") {
            notes.push(Note {
                at: self.at(name_node.syntax()),
                message: format!(
                    "type {name} is @embedded, which exists only on MongoDB; it is not mapped"
                ),
            });
        }
        if o.implements_interfaces().is_some() {
            notes.push(Note {
                at: self.at(name_node.syntax()),
                message: format!("type {name} implements interfaces, which Prisma 1 does not map; they are ignored"),
            });
        }
        let mut fields = Vec::new();
        for f in o
            .fields_definition()
            .into_iter()
            .flat_map(|d| d.field_definitions())
        {
            let (Some(fname), Some(ty)) = (f.name(), f.ty()) else {
                continue;
            };
            let Some(ty) = type_ref(&ty) else { continue };
            // Where a finding about the field points: from its name to the
            // end of its definition, without the description above it.
            let start = usize::from(fname.syntax().text_range().start());
            let end = usize::from(f.syntax().text_range().end());
            fields.push(Field {
                name: fname.text().to_string(),
                ty,
                directives: self.directives(f.directives()),
                at: Location::from_bytes(self.path, self.text.as_bytes(), start, end.max(start)),
            });
        }
        Some(ObjectType {
            at: self.at(name_node.syntax()),
            name,
            directives,
            fields,
        })
    }

    fn enumeration(&self, e: &cst::EnumTypeDefinition) -> Option<EnumType> {
        let name_node = e.name()?;
        let values = e
            .enum_values_definition()
            .into_iter()
            .flat_map(|d| d.enum_value_definitions())
            .filter_map(|v| Some(v.enum_value()?.name()?.text().to_string()))
            .collect();
        Some(EnumType {
            name: name_node.text().to_string(),
            directives: self.directives(e.directives()),
            values,
            at: self.at(name_node.syntax()),
        })
    }

    fn directives(&self, d: Option<cst::Directives>) -> Vec<Directive> {
        let Some(d) = d else { return Vec::new() };
        d.directives()
            .filter_map(|d| {
                let name = d.name()?.text().to_string();
                let args = d
                    .arguments()
                    .into_iter()
                    .flat_map(|a| a.arguments())
                    .filter_map(|a| Some((a.name()?.text().to_string(), value(&a.value()?))))
                    .collect();
                Some(Directive {
                    name,
                    args,
                    at: self.at(d.syntax()),
                })
            })
            .collect()
    }
}

fn type_ref(t: &cst::Type) -> Option<TypeRef> {
    let mut out = TypeRef {
        name: String::new(),
        list: false,
        required: false,
        inner_required: false,
        nested: false,
    };
    // At most: non-null, list, non-null element, then nested lists (a note).
    let mut cur = t.clone();
    let mut depth = 0;
    loop {
        depth += 1;
        if depth > RECURSION_LIMIT {
            return None;
        }
        match cur {
            cst::Type::NamedType(n) => {
                out.name = n.name()?.text().to_string();
                return Some(out);
            }
            cst::Type::NonNullType(nn) => {
                if out.list {
                    out.inner_required = true;
                } else {
                    out.required = true;
                }
                cur = match (nn.named_type(), nn.list_type()) {
                    (Some(n), _) => cst::Type::NamedType(n),
                    (None, Some(l)) => cst::Type::ListType(l),
                    _ => return None,
                };
            }
            cst::Type::ListType(l) => {
                if out.list {
                    out.nested = true;
                }
                out.list = true;
                cur = l.ty()?;
            }
        }
    }
}

fn value(v: &cst::Value) -> Value {
    match v {
        cst::Value::StringValue(s) => Value::Str(unescape(&s.syntax().text().to_string())),
        cst::Value::IntValue(i) => Value::Int(i.syntax().text().to_string().trim().to_string()),
        cst::Value::FloatValue(f) => Value::Float(f.syntax().text().to_string().trim().to_string()),
        cst::Value::BooleanValue(b) => Value::Bool(b.true_token().is_some()),
        cst::Value::NullValue(_) => Value::Null,
        cst::Value::EnumValue(e) => match e.name() {
            Some(n) => Value::Enum(n.text().to_string()),
            None => Value::Other(String::new()),
        },
        other => Value::Other(bounded(other.syntax().text().to_string().trim())),
    }
}

/// The value of a GraphQL string literal (`"a\"b"` or a `"""block"""`).
/// Our own decoding: malformed escapes are kept as written, never a panic.
fn unescape(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(block) = raw
        .strip_prefix("\"\"\"")
        .and_then(|r| r.strip_suffix("\"\"\""))
    {
        return block.replace("\\\"\"\"", "\"\"\"");
    }
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push_str("\\u"),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Datamodel {
        let mut dm = Datamodel::default();
        dm.add_file("datamodel.prisma", text);
        dm
    }

    #[test]
    fn reads_types_fields_directives_and_enums() {
        let dm = parse(
            "type User @db(name: \"users\") {\n  id: ID! @id\n  name: String! @default(value: \"a\\\"b\")\n  posts: [Post!]! @relation(name: \"UserPosts\", link: TABLE, onDelete: CASCADE)\n  role: Role @default(value: ADMIN)\n}\n\ntype Post { id: ID! @id }\nenum Role { ADMIN USER }\n",
        );
        assert_eq!(dm.version(), Version::V1_1);
        let user = &dm.types[0];
        assert_eq!((user.name.as_str(), user.db_name()), ("User", "users"));
        assert_eq!(user.at.line, 1);
        let name = user
            .field("name")
            .map(|f| f.directive("default").and_then(|d| d.arg("value")).cloned());
        assert_eq!(name, Some(Some(Value::Str("a\"b".into()))));
        let posts = user.field("posts").map(|f| (f.ty.clone(), f.at.line));
        assert_eq!(
            posts,
            Some((
                TypeRef {
                    name: "Post".into(),
                    list: true,
                    required: true,
                    inner_required: true,
                    nested: false
                },
                4
            ))
        );
        let rel = user.field("posts").and_then(|f| f.directive("relation"));
        assert_eq!(rel.and_then(|d| d.word("link")), Some("TABLE"));
        assert_eq!(rel.and_then(|d| d.word("name")), Some("UserPosts"));
        assert_eq!(dm.enums[0].values, ["ADMIN", "USER"]);
        assert!(dm.notes.is_empty());
    }

    #[test]
    fn tells_the_versions_apart() {
        assert_eq!(parse("type A { id: ID! @unique }").version(), Version::V1_0);
        assert_eq!(parse("type A { id: Int! @id }").version(), Version::V1_1);
        assert_eq!(parse("type A { name: String }").version(), Version::V1_1);
    }

    #[test]
    fn bad_files_and_foreign_definitions_are_notes() {
        let dm = parse("type A { id: ID! @id\n");
        assert_eq!(dm.types.len(), 0);
        assert_eq!(dm.notes.len(), 1);
        let dm = parse("interface Node { id: ID! }\ntype A { id: ID! @id }\n");
        assert_eq!(dm.types.len(), 1);
        assert!(dm.notes[0].message.contains("InterfaceTypeDefinition"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = format!(
            "type A {{ f: {}Int{} }}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let dm = parse(&deep);
        assert!(dm.types.is_empty());
        let args = format!(
            "type A {{ f: Int @d(v: {}1{}) }}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let dm = parse(&args);
        assert!(dm.types.is_empty());
    }

    #[test]
    fn unescapes_without_panicking() {
        assert_eq!(unescape("\"a\\nb\""), "a\nb");
        assert_eq!(unescape("\"\\u00e9\""), "é");
        assert_eq!(unescape("\"\\uZZ\""), "\\uZZ");
        assert_eq!(unescape("\"\"\"x \"y\" z\"\"\""), "x \"y\" z");
        assert_eq!(unescape("\"trailing\\\""), "trailing\\");
    }
}
