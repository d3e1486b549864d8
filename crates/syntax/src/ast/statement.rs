//! Statements of the project security language (docs/language.md).

use super::{FilePath, Grantee, Ident, ObjectName, Principal, Properties, RawText, StringLit};
use crate::catalog::{ObjectType, SecurityFlag};
use crate::span::NodeSpan;

/// One statement with the span it was parsed from (without its `;`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Statement {
    /// What the statement says.
    pub kind: StatementKind,
    /// Where the statement was written, without its `;`.
    pub span: NodeSpan,
}

impl Statement {
    /// A statement made in code, with no position in a source.
    pub fn new(kind: StatementKind) -> Self {
        Statement {
            kind,
            span: NodeSpan::default(),
        }
    }
}

/// What a statement says: one variant per statement of the language,
/// holding its clauses. The comments group them as docs/language.md does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "statement", rename_all = "snake_case")]
pub enum StatementKind {
    // users (docs/language.md#users)
    /// `add [tenant] user P [comment '…']`: makes P a user of the project (or tenant).
    AddUser {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The user added.
        principal: Principal,
        /// The `comment '…'` text, when given.
        comment: Option<StringLit>,
    },
    /// `remove [tenant] user P`.
    RemoveUser {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The user removed.
        principal: Principal,
    },
    /// `list [tenant] users`.
    ListUsers {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
    },
    // #account-providers
    /// `list accountproviders`.
    ListAccountProviders,
    /// `add accountprovider <provider>`: lets the project accept that provider's accounts.
    AddAccountProvider {
        /// The account provider's name (e.g. `RAM`).
        provider: Ident,
    },
    /// `remove accountprovider <provider>`.
    RemoveAccountProvider {
        /// The account provider's name (e.g. `RAM`).
        provider: Ident,
    },
    // #roles, #role-grants
    /// `create [tenant] role R [comment '…'] [privilegeproperties(…)]`.
    CreateRole {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The role's name.
        role: Ident,
        /// The `comment '…'` text, when given.
        comment: Option<StringLit>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `drop role` and `delete role`.
    DropRole {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The role's name.
        role: Ident,
    },
    /// `list roles` and `show roles`.
    ListRoles {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
    },
    /// `describe role` and `desc role`.
    DescribeRole {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The role's name.
        role: Ident,
    },
    /// `grant [tenant role] R, … to <grantee>, … [with admin option]`.
    GrantRoles {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The roles granted, in the order written.
        roles: Vec<Ident>,
        /// Whom they are granted to, in the order written.
        grantees: Vec<Grantee>,
        /// `with admin option`: the grantees may grant the roles on.
        with_admin_option: bool,
    },
    /// `revoke [admin option for] [tenant role] R, … from <grantee>, …`.
    RevokeRoles {
        /// `admin option for`: only the right to grant the roles on is revoked.
        admin_option_for: bool,
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The roles revoked, in the order written.
        roles: Vec<Ident>,
        /// Whom they are revoked from, in the order written.
        grantees: Vec<Grantee>,
    },
    /// `show principals R` (or `show principals for tenant role R`): who holds a role.
    ShowPrincipals {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The role's name.
        role: Ident,
    },
    /// `show role grant <grantee>`: the roles a grantee holds.
    ShowRoleGrant {
        /// Whose roles are shown.
        grantee: Grantee,
    },
    // #privileges, #grant-queries, #purge-privs
    /// `grant <privileges> on <object> to <grantee>, … [with grant option]
    /// [privilegeproperties(…)]`.
    GrantPrivileges {
        /// The privileges granted, each maybe limited to columns.
        privileges: Vec<Privilege>,
        /// What they are granted on.
        object: Object,
        /// Whom they are granted to, in the order written.
        grantees: Vec<Grantee>,
        /// `with grant option`: the grantees may grant the privileges on.
        with_grant_option: bool,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `revoke [grant option for] <privileges> on <object> from <grantee>, …
    /// [privilegeproperties(…)]`.
    RevokePrivileges {
        /// `grant option for`: only the right to grant the privileges on is revoked.
        grant_option_for: bool,
        /// The privileges revoked, each maybe limited to columns.
        privileges: Vec<Privilege>,
        /// What they are revoked on.
        object: Object,
        /// Whom they are revoked from, in the order written.
        grantees: Vec<Grantee>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `show grants [for <grantee>] [on type T | on <object>] [privilegeproperties(…)]`.
    ShowGrants {
        /// Whose grants are shown (`for <grantee>`); without it, the caller's.
        grantee: Option<Grantee>,
        /// Only grants of one object type or on one object, when given.
        on: Option<GrantsFilter>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `show acl for <object> [on type T]`: who holds privileges on an object.
    ShowAcl {
        /// The object whose grants are shown.
        object: ObjectName,
        /// The object's type (`on type T`), when given.
        object_type: Option<ObjectType>,
    },
    /// `clear expired grants`.
    ClearExpiredGrants,
    /// `purge privs|privileges from …`.
    PurgePrivileges {
        /// Whose privileges are removed, in the order written.
        grantees: Vec<Grantee>,
    },
    // #whoami, #security-configuration
    /// `whoami`.
    Whoami,
    /// `show securityconfiguration`.
    ShowSecurityConfiguration,
    /// `set <key>=<value> [with exception <file>]`.
    Set {
        /// The key set.
        setting: Setting,
        /// The value given to it.
        value: SetValue,
        /// The exception policy file of `with exception <file>`, when given.
        exception: Option<FilePath>,
    },
    // #tenant-statements: tenant roles in projects
    /// `add tenant role R to project P`.
    AddTenantRoleToProject {
        /// The role's name.
        role: Ident,
        /// The project the tenant role is added to.
        project: Ident,
    },
    /// `remove tenant role R from project P`.
    RemoveTenantRoleFromProject {
        /// The role's name.
        role: Ident,
        /// The project the tenant role is removed from.
        project: Ident,
    },
    // #other-statements: policies
    /// `get policy [on [tenant] role R]`: the project's (or a role's) policy.
    GetPolicy {
        /// The role whose policy it is; without it, the project's.
        role: Option<RoleRef>,
    },
    /// `put policy <file> [on [tenant] role R]`: replaces the project's (or a role's) policy.
    PutPolicy {
        /// The policy file to read.
        file: FilePath,
        /// The role whose policy it is; without it, the project's.
        role: Option<RoleRef>,
    },
    /// `get security policy`.
    GetSecurityPolicy,
    /// `put security policy <file>`.
    PutSecurityPolicy {
        /// The policy file to read.
        file: FilePath,
    },
    // #other-statements: trusted projects
    /// `list trustedprojects`.
    ListTrustedProjects,
    /// `add trustedproject <project>`.
    AddTrustedProject {
        /// The project trusted.
        project: Ident,
    },
    /// `remove trustedproject <project>`.
    RemoveTrustedProject {
        /// The project no longer trusted.
        project: Ident,
    },
    // #other-statements: packages
    /// `create package <package>`.
    CreatePackage {
        /// The package's name.
        package: Ident,
    },
    /// `drop package` and `delete package`.
    DropPackage {
        /// The package's name.
        package: Ident,
    },
    /// `add <type> <object> to package <package> [with privileges …] [privilegeproperties(…)]`.
    AddToPackage {
        /// The object's type.
        object_type: ObjectType,
        /// The object added.
        object: ObjectName,
        /// The package it is added to.
        package: Ident,
        /// The `with privileges …` the package gives on the object, when given.
        privileges: Option<Vec<Privilege>>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `remove <type> <object> from package <package>`.
    RemoveFromPackage {
        /// The object's type.
        object_type: ObjectType,
        /// The object removed.
        object: ObjectName,
        /// The package it is removed from.
        package: Ident,
    },
    /// `allow project <p>|* to install package <pkg> [with …] [using
    /// label <n>] [exp <days>]`.
    AllowInstallPackage {
        /// The projects allowed to install the package.
        project: ProjectScope,
        /// The package, as written.
        package: ObjectName,
        /// The `with …` privileges, when given.
        privileges: Option<Vec<Privilege>>,
        /// The `using label <n>` level, when given.
        label: Option<Ident>,
        /// The `exp <days>` expiry, as written, when given.
        days: Option<Ident>,
    },
    /// `disallow project <p>|* to install package <pkg>`.
    DisallowInstallPackage {
        /// The projects no longer allowed to install the package.
        project: ProjectScope,
        /// The package, as written.
        package: ObjectName,
    },
    /// `install package <pkg> [privilegeproperties(…)]`.
    InstallPackage {
        /// The package, as written (`<project>.<package>`).
        package: ObjectName,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `uninstall package <pkg> [privilegeproperties(…)]`.
    UninstallPackage {
        /// The package, as written (`<project>.<package>`).
        package: ObjectName,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `show packages [with <object>] [privilegeproperties(…)]`.
    ShowPackages {
        /// Only packages holding this object (`with <object>`), when given.
        with: Option<Object>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `describe package`, `desc package` and `show package`.
    DescribePackage {
        /// The package, as written.
        package: ObjectName,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `show package items [from <project>] [on type <type>] [privilegeproperties(…)]`.
    ShowPackageItems {
        /// The project of `from <project>`, when given.
        project: Option<Ident>,
        /// Only items of this type (`on type T`), when given.
        object_type: Option<ObjectType>,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `describe package items <object> [from <project>]`.
    DescribePackageItems {
        /// The object asked about.
        object: Object,
        /// The project of `from <project>`, when given.
        project: Option<Ident>,
    },
    // #other-statements: labels
    /// `set label <level> to table t [(columns)]` or `set label <level> to user P`.
    SetLabel {
        /// The label level set.
        level: Ident,
        /// What is labelled.
        target: LabelTarget,
    },
    /// `grant label …`: see [`GrantLabel`].
    GrantLabel(GrantLabel),
    /// `revoke label on table t [(columns)] from <grantee> [privilegeproperties(…)]`.
    RevokeLabel {
        /// The table whose label grant is revoked.
        table: ObjectName,
        /// The columns named in parentheses, when the statement is limited to some.
        columns: Option<Vec<Ident>>,
        /// Whose label grant is revoked.
        grantee: Grantee,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    /// `show label [<level>] grants [on table t [for <grantee>] | for <grantee>
    /// | for table t] [privilegeproperties(…)]`.
    ShowLabelGrants {
        /// The label level named after `show label`, when given.
        level: Option<Ident>,
        /// Which label grants are shown.
        scope: LabelGrantsScope,
        /// The `privilegeproperties(…)` clause, when given.
        properties: Option<Properties>,
    },
    // #other-statements: groups
    /// `add [tenant] group G [comment '…']`.
    AddGroup {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The group's name.
        group: Ident,
        /// The `comment '…'` text, when given.
        comment: Option<StringLit>,
    },
    /// `remove [tenant] group G`.
    RemoveGroup {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The group's name.
        group: Ident,
    },
    /// `list [tenant] groups [for user P]`.
    ListGroups {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// Only the groups of this user (`for user P`), when given.
        user: Option<Principal>,
    },
    // #other-statements: alter
    /// `alter [tenant] user P set|unset privilegeproperties(…)`.
    AlterUser {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The user changed.
        principal: Principal,
        /// The privilege properties set or unset.
        change: PropertyChange,
    },
    /// `alter [tenant] role R set|unset privilegeproperties(…)`.
    AlterRole {
        /// Whether the statement said `tenant`: it is about the tenant, not the project.
        tenant: bool,
        /// The role's name.
        role: Ident,
        /// The privilege properties set or unset.
        change: PropertyChange,
    },
    // #other-statements: super privileges
    /// `grant super <privileges> to <grantee>`: privileges over the project itself.
    GrantSuper {
        /// The super privileges granted.
        privileges: Vec<Privilege>,
        /// Whom they are granted to.
        grantee: Grantee,
    },
    /// `revoke super <privileges> from <grantee>`.
    RevokeSuper {
        /// The super privileges revoked.
        privileges: Vec<Privilege>,
        /// Whom they are revoked from.
        grantee: Grantee,
    },
    // Project properties (odpscmd's `setproject`)
    /// `setproject [<key>[=<value>] …]`; with no property it shows them.
    SetProject {
        /// The properties, in the order written; none shows them.
        properties: Vec<ProjectProperty>,
    },
    // Row-level access control (SQL side)
    /// `create … row access policy …`: see [`CreateRowAccessPolicy`].
    CreateRowAccessPolicy(CreateRowAccessPolicy),
    /// `drop row access policy <p> on <t>`.
    DropRowAccessPolicy {
        /// The policy's name.
        policy: Ident,
        /// The table the policy is on.
        table: ObjectName,
    },
    /// `describe row access policy <p> on <t>` (and `desc`).
    DescribeRowAccessPolicy {
        /// The policy's name.
        policy: Ident,
        /// The table the policy is on.
        table: ObjectName,
    },
    /// `list row access policy on <t>`.
    ListRowAccessPolicies {
        /// The table whose policies are listed.
        table: ObjectName,
    },
    // Dynamic data masking (SQL side)
    /// `create data masking policy [if not exists] <p> to … using <method>`.
    CreateMaskingPolicy {
        /// `if not exists`: an existing policy of that name is not an error.
        if_not_exists: bool,
        /// The policy's name.
        policy: Ident,
        /// Whom the policy applies to.
        to: PolicyTargets,
        /// The masking method of `using <method>`, as written.
        method: RawText,
    },
    /// `apply data masking policy <p> bind to table <t> column <c>`.
    ApplyMaskingPolicy {
        /// The policy's name.
        policy: Ident,
        /// The table of the column.
        table: ObjectName,
        /// The column the policy masks.
        column: Ident,
    },
    /// `unapply data masking policy <p> unbind from table <t> column <c>`.
    UnapplyMaskingPolicy {
        /// The policy's name.
        policy: Ident,
        /// The table of the column.
        table: ObjectName,
        /// The column no longer masked.
        column: Ident,
    },
    /// `drop data masking policy <p>`.
    DropMaskingPolicy {
        /// The policy's name.
        policy: Ident,
    },
    /// `describe data masking policy <p>` (and `desc`).
    DescribeMaskingPolicy {
        /// The policy's name.
        policy: Ident,
    },
}

/// `grant label <level> on table <t> [(<columns>)] to <grantee> [with exp
/// <days>] [privilegeproperties(…)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct GrantLabel {
    /// The highest label level the grantee may read.
    pub level: Ident,
    /// The table the grant is on.
    pub table: ObjectName,
    /// The columns named in parentheses, when the statement is limited to some.
    pub columns: Option<Vec<Ident>>,
    /// Whom it is granted to.
    pub grantee: Grantee,
    /// The `exp <days>` expiry, as written, when given.
    pub days: Option<Ident>,
    /// The `privilegeproperties(…)` clause, when given.
    pub properties: Option<Properties>,
}

/// `create [or replace] row access policy [if not exists] <p> on <t>
/// to … filter using (<expr>)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CreateRowAccessPolicy {
    /// `or replace`: an existing policy of that name is replaced.
    pub or_replace: bool,
    /// `if not exists`: an existing policy of that name is not an error.
    pub if_not_exists: bool,
    /// The policy's name.
    pub policy: Ident,
    /// The table it protects.
    pub table: ObjectName,
    /// Whom the policy applies to.
    pub to: PolicyTargets,
    /// The filter expression of `filter using (…)`, as written.
    pub filter: RawText,
}

/// A privilege, optionally limited to columns: `Select(c1, c2)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Privilege {
    /// The privilege's name, as written (e.g. `Select`).
    pub name: Ident,
    /// The columns it is limited to, when written.
    pub columns: Option<Vec<Ident>>,
}

/// The object of an ACL grant: `on table prj.t (c1, c2)`, `on project p`,
/// `on table t partition(ds='20240101')`. A statement that names no
/// object type means a table; only tables have columns and partitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Object {
    /// The object's type (a table when the statement names none).
    pub object_type: ObjectType,
    /// The object's name, as written.
    pub name: ObjectName,
    /// The columns named in parentheses, when the statement is limited to some.
    pub columns: Option<Vec<Ident>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The `partition(…)` clause, when given.
    pub partition: Option<Vec<PartitionValue>>,
}

impl Object {
    /// An object with no columns and no partition.
    pub fn new(object_type: ObjectType, name: ObjectName) -> Self {
        Object {
            object_type,
            name,
            columns: None,
            partition: None,
        }
    }
}

/// One `column[=value]` of a `partition(…)` clause.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PartitionValue {
    /// The partition column.
    pub column: Ident,
    /// Its value, when written (`column` alone names no value).
    pub value: Option<PartitionLiteral>,
}

/// The value of a partition column: a string, or a bare word (a number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum PartitionLiteral {
    /// A quoted string.
    Str(StringLit),
    /// A bare word, as written (usually a number).
    Word(String),
}

impl PartitionLiteral {
    /// The value as text: a string unquoted, a word as written.
    pub fn text(&self) -> &str {
        match self {
            PartitionLiteral::Str(s) => &s.value,
            PartitionLiteral::Word(w) => w,
        }
    }
}

/// The projects `allow`/`disallow project … to install package` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProjectScope {
    /// `*`: every project.
    All,
    /// One project, by name.
    Project {
        /// The project's name.
        name: Ident,
    },
}

/// What `show label grants` is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LabelGrantsScope {
    /// No clause: every label grant.
    All,
    /// `on table t [for <grantee>]`.
    OnTable {
        /// The table.
        table: ObjectName,
        /// Only this grantee's grants (`for <grantee>`), when given.
        grantee: Option<Grantee>,
    },
    /// `for <grantee>`.
    For {
        /// The grantee whose label grants are shown.
        grantee: Grantee,
    },
    /// `for table t` (the SDK grammar's form; its meaning is undocumented).
    ForTable {
        /// The table.
        table: ObjectName,
    },
}

/// Whom a row access or data masking policy applies to: `to default`,
/// `to user P, …` or `to role R, …`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PolicyTargets {
    /// Everyone no other policy of the table names.
    Default,
    /// `to user P, …`.
    Users {
        /// The users it applies to.
        users: Vec<Principal>,
    },
    /// `to role R, …`.
    Roles {
        /// The roles it applies to.
        roles: Vec<Ident>,
    },
}

/// One `key[=value]` of `setproject`. The value is kept as written (see
/// [`RawText`]); odpscmd strips one pair of enclosing double quotes,
/// which [`ProjectProperty::effective_value`] does too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ProjectProperty {
    /// The property's name.
    pub key: Ident,
    /// `None` for a bare `key`, `Some` (maybe empty) after `key=`.
    pub value: Option<RawText>,
}

impl ProjectProperty {
    /// The value odpscmd sends: empty without one, enclosing double
    /// quotes removed.
    pub fn effective_value(&self) -> &str {
        let Some(raw) = &self.value else {
            return "";
        };
        let text = raw.text.as_str();
        match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(inner) if text.len() > 1 => inner,
            _ => text,
        }
    }
}

/// `show grants … on type T` or `show grants … on <object>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GrantsFilter {
    /// `on type T`: grants on objects of one type.
    Type {
        /// The object type.
        object_type: ObjectType,
    },
    /// `on <object>`: grants on one object.
    Object {
        /// The object.
        object: Object,
    },
}

/// `[tenant] role R` in `get policy on …` and `put policy … on …`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RoleRef {
    /// Whether it is a tenant role (`tenant role R`).
    pub tenant: bool,
    /// The role's name.
    pub role: Ident,
}

/// What `set label` applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LabelTarget {
    /// `to table t [(columns)]`.
    Table {
        /// The table labelled.
        table: ObjectName,
        /// The columns labelled, when only some are.
        columns: Option<Vec<Ident>>,
    },
    /// `to user P`.
    User {
        /// The user labelled.
        principal: Principal,
    },
}

/// `alter … set privilegeproperties(…)` or `unset privilegeproperties("k", …)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PropertyChange {
    /// `set privilegeproperties("k"="v", …)`.
    Set {
        /// The properties set.
        properties: Properties,
    },
    /// `unset privilegeproperties("k", …)`.
    Unset {
        /// The keys removed.
        keys: Vec<StringLit>,
    },
}

/// The key of `set <key>=<value>`: a project security flag, or any other
/// name, which odpscmd treats as a session flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum Setting {
    /// A project security flag (`ProjectProtection`, `CheckPermissionUsingACL`, …).
    Security(SecurityFlag),
    /// Any other name, which odpscmd treats as a session flag.
    Session(Ident),
}

/// The value of `set <key>=<value>`: a boolean for the security flags,
/// the text as written for session flags.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum SetValue {
    /// `true` or `false`, the value of a security flag.
    Bool(bool),
    /// Any other value, as written: a session flag's.
    Text(Ident),
}
