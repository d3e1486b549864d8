//! Grantable objects and the resource paths they print as; privileges
//! and object types are the syntax crate's catalogue.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The catalogue is the syntax crate's; the engine names object types
/// `ObjectKind`.
pub use mcauth_syntax::{ObjectType as ObjectKind, Privilege};

/// The path segment of an object type under `projects/<p>/`.
fn segment(kind: ObjectKind) -> &'static str {
    match kind {
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

/// A grantable object of the current project: its type, its normalised
/// name (for a project, the project name) and an optional column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The object's type.
    pub kind: ObjectKind,
    /// Its normalised name (for a project, the project's name).
    pub name: String,
    /// A column of a table, where the grant or question names one.
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
                    out.push_str(segment(self.kind));
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
