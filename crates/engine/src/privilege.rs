//! Privileges, object types and which privileges each type takes
//! (docs/language.md#privileges-per-object-type).

use std::fmt;

use mcauth_syntax::ast::ObjectType;
use serde::{Deserialize, Serialize};

/// An ACL action. Matched case-insensitively; printed as documented.
///
/// The declaration order is the order privileges print in on one line
/// when they were granted by the same statement (otherwise grant order
/// wins, see `show grants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Privilege {
    Read,
    Write,
    List,
    CreateTable,
    CreateInstance,
    CreateFunction,
    CreateResource,
    CreateVolume,
    Describe,
    Select,
    Alter,
    Update,
    Drop,
    ShowHistory,
    Download,
    Execute,
    Delete,
    All,
}

impl Privilege {
    pub const ALL: [Privilege; 18] = [
        Privilege::Read,
        Privilege::Write,
        Privilege::List,
        Privilege::CreateTable,
        Privilege::CreateInstance,
        Privilege::CreateFunction,
        Privilege::CreateResource,
        Privilege::CreateVolume,
        Privilege::Describe,
        Privilege::Select,
        Privilege::Alter,
        Privilege::Update,
        Privilege::Drop,
        Privilege::ShowHistory,
        Privilege::Download,
        Privilege::Execute,
        Privilege::Delete,
        Privilege::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Read => "Read",
            Privilege::Write => "Write",
            Privilege::List => "List",
            Privilege::CreateTable => "CreateTable",
            Privilege::CreateInstance => "CreateInstance",
            Privilege::CreateFunction => "CreateFunction",
            Privilege::CreateResource => "CreateResource",
            Privilege::CreateVolume => "CreateVolume",
            Privilege::Describe => "Describe",
            Privilege::Select => "Select",
            Privilege::Alter => "Alter",
            Privilege::Update => "Update",
            Privilege::Drop => "Drop",
            Privilege::ShowHistory => "ShowHistory",
            Privilege::Download => "Download",
            Privilege::Execute => "Execute",
            Privilege::Delete => "Delete",
            Privilege::All => "All",
        }
    }

    /// Case-insensitive lookup.
    pub fn from_name(name: &str) -> Option<Privilege> {
        Privilege::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of an ACL object (the engine's serialisable copy of the
/// syntax crate's `ObjectType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Project,
    Table,
    Function,
    Resource,
    Instance,
    Package,
    Model,
    Volume,
    Schema,
}

impl From<ObjectType> for ObjectKind {
    fn from(t: ObjectType) -> Self {
        match t {
            ObjectType::Project => ObjectKind::Project,
            ObjectType::Table => ObjectKind::Table,
            ObjectType::Function => ObjectKind::Function,
            ObjectType::Resource => ObjectKind::Resource,
            ObjectType::Instance => ObjectKind::Instance,
            ObjectType::Package => ObjectKind::Package,
            ObjectType::Model => ObjectKind::Model,
            ObjectType::Volume => ObjectKind::Volume,
            ObjectType::Schema => ObjectKind::Schema,
        }
    }
}

impl ObjectKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ObjectKind::Project => "project",
            ObjectKind::Table => "table",
            ObjectKind::Function => "function",
            ObjectKind::Resource => "resource",
            ObjectKind::Instance => "instance",
            ObjectKind::Package => "package",
            ObjectKind::Model => "model",
            ObjectKind::Volume => "volume",
            ObjectKind::Schema => "schema",
        }
    }

    /// The privileges documented for this type, or `None` where
    /// the docs give no list (models): then any known privilege passes.
    pub fn privileges(self) -> Option<&'static [Privilege]> {
        use Privilege::*;
        Some(match self {
            ObjectKind::Project => &[
                Read,
                Write,
                List,
                CreateTable,
                CreateInstance,
                CreateFunction,
                CreateResource,
                CreateVolume,
                All,
            ],
            ObjectKind::Table => &[
                Describe,
                Select,
                Alter,
                Update,
                Drop,
                ShowHistory,
                Download,
                All,
            ],
            // `Download` appears on a function in documented `show acl` output.
            ObjectKind::Function => &[Read, Write, Delete, Execute, Download, All],
            ObjectKind::Resource => &[Read, Write, Delete, All],
            ObjectKind::Instance => &[Read, Write, All],
            ObjectKind::Package => &[Read],
            ObjectKind::Volume => &[Read, Write],
            // Neither list is in a copy of the documentation mcauth could
            // check.
            ObjectKind::Model | ObjectKind::Schema => return None,
        })
    }

    pub fn allows(self, privilege: Privilege) -> bool {
        self.privileges()
            .is_none_or(|list| list.contains(&privilege))
    }

    /// Object names are compared case-insensitively (MaxCompute names
    /// are) and kept lower-case, except instance ids, which are opaque.
    pub fn normalise_name(self, name: &str) -> String {
        match self {
            ObjectKind::Instance => name.to_owned(),
            _ => name.to_ascii_lowercase(),
        }
    }

    /// The path segment of this type under `projects/<p>/`.
    fn segment(self) -> &'static str {
        match self {
            ObjectKind::Project => "",
            ObjectKind::Table => "tables",
            ObjectKind::Function => "registration/functions",
            ObjectKind::Resource => "resources",
            ObjectKind::Instance => "instances",
            ObjectKind::Package => "packages",
            ObjectKind::Model => "offlinemodels",
            ObjectKind::Volume => "volumes",
            ObjectKind::Schema => "schemas",
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A grantable object of the current project: its type, its normalised
/// name (for a project, the project name) and an optional column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// A table's partition, `col=value/col=value` (values unquoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
}

impl ObjectRef {
    /// A whole object: no column, no partition.
    pub fn new(kind: ObjectKind, name: impl Into<String>) -> Self {
        ObjectRef {
            kind,
            name: name.into(),
            column: None,
            partition: None,
        }
    }

    /// One column of a table.
    pub fn column(kind: ObjectKind, name: impl Into<String>, column: impl Into<String>) -> Self {
        ObjectRef {
            column: Some(column.into()),
            ..ObjectRef::new(kind, name)
        }
    }
}

impl ObjectRef {
    /// The resource path `show grants` prints: `projects/<p>`,
    /// `projects/<p>/tables/<t>`, `projects/<p>/tables/<t>/<column>`.
    /// A table name may carry a schema (`schema.table`).
    pub fn resource(&self, project: &str) -> String {
        let mut out = format!("projects/{project}");
        if self.kind != ObjectKind::Project {
            match (self.kind, self.name.split_once('.')) {
                (ObjectKind::Table, Some((schema, table))) => {
                    out.push_str("/schemas/");
                    out.push_str(schema);
                    out.push_str("/tables/");
                    out.push_str(table);
                }
                _ => {
                    out.push('/');
                    out.push_str(self.kind.segment());
                    out.push('/');
                    out.push_str(&self.name);
                }
            }
        }
        if let Some(partition) = &self.partition {
            out.push('/');
            out.push_str(partition);
        }
        if let Some(column) = &self.column {
            out.push('/');
            out.push_str(column);
        }
        out
    }

    /// The resource `show acl` prints: `projects/<p>` for the project,
    /// `acs:odps:*:projects/<p>/…` for everything else (as documented).
    pub fn acl_resource(&self, project: &str) -> String {
        if self.kind == ObjectKind::Project {
            self.resource(project)
        } else {
            format!("acs:odps:*:{}", self.resource(project))
        }
    }

    /// The object as a statement writes it: `table sales (c1)`.
    pub fn to_statement_text(&self) -> String {
        let mut text = String::new();
        let _ = self.write_statement_text(&mut text);
        text
    }

    /// [`ObjectRef::to_statement_text`] into any writer.
    pub(crate) fn write_statement_text<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(self.kind.keyword())?;
        w.write_str(" ")?;
        w.write_str(&self.name)?;
        if let Some(p) = &self.partition {
            w.write_str(" partition(")?;
            w.write_str(&p.replace('/', ", "))?;
            w.write_str(")")?;
        }
        if let Some(c) = &self.column {
            w.write_str(" (")?;
            w.write_str(c)?;
            w.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_match_case_insensitively() {
        assert_eq!(Privilege::from_name("select"), Some(Privilege::Select));
        assert_eq!(
            Privilege::from_name("CREATETABLE"),
            Some(Privilege::CreateTable)
        );
        assert_eq!(Privilege::from_name("Run"), None);
    }

    #[test]
    fn privileges_per_object_type() {
        assert!(ObjectKind::Table.allows(Privilege::Select));
        assert!(!ObjectKind::Table.allows(Privilege::CreateTable));
        assert!(ObjectKind::Project.allows(Privilege::CreateInstance));
        assert!(!ObjectKind::Project.allows(Privilege::Select));
        assert!(ObjectKind::Function.allows(Privilege::Execute));
        assert!(!ObjectKind::Resource.allows(Privilege::Execute));
        assert!(ObjectKind::Package.allows(Privilege::Read));
        assert!(!ObjectKind::Package.allows(Privilege::Write));
        assert!(ObjectKind::Model.allows(Privilege::Select));
    }

    #[test]
    fn resources() {
        let t = ObjectRef::column(ObjectKind::Table, "sale_detail", "customer_id");
        assert_eq!(t.resource("p"), "projects/p/tables/sale_detail/customer_id");
        assert_eq!(
            t.acl_resource("p"),
            "acs:odps:*:projects/p/tables/sale_detail/customer_id"
        );
        let p = ObjectRef::new(ObjectKind::Project, "p");
        assert_eq!(p.acl_resource("p"), "projects/p");
        let f = ObjectRef::new(ObjectKind::Function, "udtf");
        assert_eq!(f.resource("p"), "projects/p/registration/functions/udtf");
        let s = ObjectRef::new(ObjectKind::Schema, "finance");
        assert_eq!(s.resource("p"), "projects/p/schemas/finance");
        let part = ObjectRef {
            partition: Some("ds=20240101/region=cn".into()),
            ..ObjectRef::new(ObjectKind::Table, "sales")
        };
        assert_eq!(
            part.resource("p"),
            "projects/p/tables/sales/ds=20240101/region=cn"
        );
        assert_eq!(
            part.to_statement_text(),
            "table sales partition(ds=20240101, region=cn)"
        );
    }
}

#[cfg(test)]
mod syntax_agreement {
    use super::Privilege;

    /// The parser's list (which flags a privilege written without `on` and
    /// feeds REPL completion) and the engine's table name the same
    /// privileges: syntax cannot depend on the engine, so this test keeps
    /// the two in step.
    #[test]
    fn the_parser_and_the_engine_know_the_same_privileges() {
        let mut engine: Vec<String> = Privilege::ALL
            .iter()
            .map(|p| p.as_str().to_ascii_lowercase())
            .collect();
        let mut syntax: Vec<String> = mcauth_syntax::KNOWN_PRIVILEGES
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        engine.sort();
        syntax.sort();
        assert_eq!(engine, syntax);
        for p in Privilege::ALL {
            assert!(mcauth_syntax::is_known_privilege(p.as_str()), "{p:?}");
        }
    }
}
