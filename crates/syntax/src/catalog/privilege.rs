//! The ACL actions MaxCompute documents.

catalogue! {
    /// An ACL action. Matched case-insensitively; printed as documented.
    ///
    /// The declaration order is the order privileges print in on one line
    /// when they were granted by the same statement (otherwise grant order
    /// wins, see `show grants`).
    pub enum Privilege {
        /// Read an object (its content or metadata).
        Read,
        /// Change an object.
        Write,
        /// List the objects of a project.
        List,
        /// Create tables in a project.
        CreateTable,
        /// Run jobs (create instances) in a project.
        CreateInstance,
        /// Create functions in a project.
        CreateFunction,
        /// Create resources in a project.
        CreateResource,
        /// Create volumes in a project.
        CreateVolume,
        /// Read a table's metadata.
        Describe,
        /// Read a table's data.
        Select,
        /// Change a table's metadata.
        Alter,
        /// Write a table's data.
        Update,
        /// Drop a table.
        Drop,
        /// Read a table's history.
        ShowHistory,
        /// Download the data.
        Download,
        /// Run a function.
        Execute,
        /// Delete an object.
        Delete,
        /// Every privilege the object type takes.
        All,
    }
    /// The name as documented.
    pub fn as_str;
}

impl Privilege {
    /// Case-insensitive lookup.
    pub fn from_name(name: &str) -> Option<Privilege> {
        // No name is longer than `CreateInstance`: longer words (a long
        // role name) are refused without comparing.
        if name.len() > "CreateInstance".len() {
            return None;
        }
        Privilege::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether `name` is a privilege: the parser spots `grant CreateTable
    /// to …` written without its `on` clause, and the printer back-quotes
    /// a role named like one.
    pub fn is_known(name: &str) -> bool {
        Privilege::from_name(name).is_some()
    }
}

display_as!(Privilege, as_str);

#[cfg(test)]
mod tests {
    use super::Privilege;

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
    fn known_privileges_are_found_in_any_case_and_nothing_else() {
        for p in Privilege::ALL {
            let p = p.as_str();
            assert!(Privilege::is_known(p));
            assert!(Privilege::is_known(&p.to_uppercase()));
            assert!(Privilege::is_known(&p.to_lowercase()));
            assert!(!Privilege::is_known(&format!("{p}s")));
            assert!(!Privilege::is_known(&p[1..]));
        }
        for name in ["", "Worker", "createtables", "sélect", "CreateInstance1"] {
            assert!(!Privilege::is_known(name));
        }
    }
}
