//! The types of ACL objects and the privileges each takes.

use super::Privilege;

catalogue! {
    /// The type of an ACL object, as a statement names it (`on table t`).
    #[serde(rename_all = "snake_case")]
    pub enum ObjectType {
        /// The project itself.
        Project = "project",
        /// A table (or view).
        Table = "table",
        /// A user-defined function.
        Function = "function",
        /// A resource: a file, jar, archive or table that functions use.
        Resource = "resource",
        /// A job instance.
        Instance = "instance",
        /// A package, through which a project shares objects with others.
        Package = "package",
        /// A machine-learning model.
        Model = "model",
        /// A volume of unstructured files.
        Volume = "volume",
        /// A schema of the three-tier model (`project.schema.table`).
        Schema = "schema",
    }
    /// The keyword a statement names the type with.
    pub fn keyword;
}

impl ObjectType {
    /// The type a keyword names, in any case (`TABLE` → `Table`).
    pub fn from_keyword(word: &str) -> Option<ObjectType> {
        ObjectType::ALL
            .into_iter()
            .find(|t| t.keyword().eq_ignore_ascii_case(word))
    }

    /// The privileges documented for this type, or `None` where
    /// the docs give no list (models): then any known privilege passes.
    pub fn privileges(self) -> Option<&'static [Privilege]> {
        use Privilege::*;
        Some(match self {
            ObjectType::Project => &[
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
            ObjectType::Table => &[
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
            ObjectType::Function => &[Read, Write, Delete, Execute, Download, All],
            ObjectType::Resource => &[Read, Write, Delete, All],
            ObjectType::Instance => &[Read, Write, All],
            ObjectType::Package => &[Read],
            ObjectType::Volume => &[Read, Write],
            // Neither list is in a copy of the documentation mcauth could
            // check.
            ObjectType::Model | ObjectType::Schema => return None,
        })
    }

    /// Whether `privilege` may be granted on an object of this type
    /// (any privilege may where the documentation gives no list).
    pub fn allows(self, privilege: Privilege) -> bool {
        self.privileges()
            .is_none_or(|list| list.contains(&privilege))
    }

    /// Object names are compared case-insensitively (MaxCompute names
    /// are) and kept lower-case, except instance ids, which are opaque.
    pub fn normalise_name(self, name: &str) -> String {
        match self {
            ObjectType::Instance => name.to_owned(),
            _ => name.to_ascii_lowercase(),
        }
    }
}

display_as!(ObjectType, keyword);

#[cfg(test)]
mod tests {
    use super::{ObjectType, Privilege};

    #[test]
    fn privileges_per_object_type() {
        assert!(ObjectType::Table.allows(Privilege::Select));
        assert!(!ObjectType::Table.allows(Privilege::CreateTable));
        assert!(ObjectType::Project.allows(Privilege::CreateInstance));
        assert!(!ObjectType::Project.allows(Privilege::Select));
        assert!(ObjectType::Function.allows(Privilege::Execute));
        assert!(!ObjectType::Resource.allows(Privilege::Execute));
        assert!(ObjectType::Package.allows(Privilege::Read));
        assert!(!ObjectType::Package.allows(Privilege::Write));
        assert!(ObjectType::Model.allows(Privilege::Select));
    }
}
