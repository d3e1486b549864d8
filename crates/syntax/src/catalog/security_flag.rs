//! The project security configuration flags
//! (docs/language.md#security-configuration).

catalogue! {
    /// A project security configuration flag. The declaration order is the
    /// order `show securityconfiguration` lists them in.
    pub enum SecurityFlag {
        /// Whether access is checked against ACL grants.
        CheckPermissionUsingAcl,
        /// Whether access is checked against the project's policies.
        CheckPermissionUsingPolicy,
        /// Whether an object's creator may use it.
        ObjectCreatorHasAccessPermission,
        /// Whether an object's creator may grant on it.
        ObjectCreatorHasGrantPermission,
        /// Whether label-based (column-level) access control is on.
        LabelSecurity,
        /// Whether data may leave the project only as its exception policy allows.
        ProjectProtection,
        /// Whether access to external resources is controlled.
        ExternalResourceAccessControl,
    }
    /// The name `show securityconfiguration` prints.
    pub fn config_name;
}

impl SecurityFlag {
    /// The name as the documentation spells it in `set` statements.
    pub fn name(self) -> &'static str {
        match self {
            SecurityFlag::CheckPermissionUsingAcl => "CheckPermissionUsingACL",
            other => other.config_name(),
        }
    }

    /// The flag a `set` statement names, in any case.
    pub fn from_name(word: &str) -> Option<SecurityFlag> {
        SecurityFlag::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(word))
    }

    /// The documented default. `CheckPermissionUsingACL`,
    /// `ObjectCreatorHasAccessPermission` and `ObjectCreatorHasGrantPermission`
    /// default to true, `ProjectProtection` to false (documented).
    /// **Choice:** `CheckPermissionUsingPolicy` is taken as true (both
    /// authorization models on, as in a new project), `LabelSecurity` and
    /// `ExternalResourceAccessControl` as false (off unless switched on).
    pub fn default_value(self) -> bool {
        match self {
            SecurityFlag::CheckPermissionUsingAcl
            | SecurityFlag::CheckPermissionUsingPolicy
            | SecurityFlag::ObjectCreatorHasAccessPermission
            | SecurityFlag::ObjectCreatorHasGrantPermission => true,
            SecurityFlag::LabelSecurity
            | SecurityFlag::ProjectProtection
            | SecurityFlag::ExternalResourceAccessControl => false,
        }
    }
}

display_as!(SecurityFlag, name);
