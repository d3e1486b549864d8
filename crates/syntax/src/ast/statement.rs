//! Statements of the project security language (docs/language.md).

use super::{FilePath, Grantee, Ident, ObjectName, Principal, Properties, RawText, StringLit};
use crate::catalog::{ObjectType, SecurityFlag};
use crate::span::NodeSpan;

/// One statement with the span it was parsed from (without its `;`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: NodeSpan,
}

impl Statement {
    pub fn new(kind: StatementKind) -> Self {
        Statement {
            kind,
            span: NodeSpan::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "statement", rename_all = "snake_case")]
pub enum StatementKind {
    // users (docs/language.md#users)
    AddUser {
        tenant: bool,
        principal: Principal,
        comment: Option<StringLit>,
    },
    RemoveUser {
        tenant: bool,
        principal: Principal,
    },
    ListUsers {
        tenant: bool,
    },
    // #account-providers
    ListAccountProviders,
    AddAccountProvider {
        provider: Ident,
    },
    RemoveAccountProvider {
        provider: Ident,
    },
    // #roles, #role-grants
    CreateRole {
        tenant: bool,
        role: Ident,
        comment: Option<StringLit>,
        properties: Option<Properties>,
    },
    /// `drop role` and `delete role`.
    DropRole {
        tenant: bool,
        role: Ident,
    },
    /// `list roles` and `show roles`.
    ListRoles {
        tenant: bool,
    },
    /// `describe role` and `desc role`.
    DescribeRole {
        tenant: bool,
        role: Ident,
    },
    GrantRoles {
        tenant: bool,
        roles: Vec<Ident>,
        grantees: Vec<Grantee>,
        with_admin_option: bool,
    },
    RevokeRoles {
        admin_option_for: bool,
        tenant: bool,
        roles: Vec<Ident>,
        grantees: Vec<Grantee>,
    },
    ShowPrincipals {
        tenant: bool,
        role: Ident,
    },
    ShowRoleGrant {
        grantee: Grantee,
    },
    // #privileges, #grant-queries, #purge-privs
    GrantPrivileges {
        privileges: Vec<Privilege>,
        object: Object,
        grantees: Vec<Grantee>,
        with_grant_option: bool,
        properties: Option<Properties>,
    },
    RevokePrivileges {
        grant_option_for: bool,
        privileges: Vec<Privilege>,
        object: Object,
        grantees: Vec<Grantee>,
        properties: Option<Properties>,
    },
    ShowGrants {
        grantee: Option<Grantee>,
        on: Option<GrantsFilter>,
        properties: Option<Properties>,
    },
    ShowAcl {
        object: ObjectName,
        object_type: Option<ObjectType>,
    },
    ClearExpiredGrants,
    /// `purge privs|privileges from …`.
    PurgePrivileges {
        grantees: Vec<Grantee>,
    },
    // #whoami, #security-configuration
    Whoami,
    ShowSecurityConfiguration,
    /// `set <key>=<value> [with exception <file>]`.
    Set {
        setting: Setting,
        value: SetValue,
        exception: Option<FilePath>,
    },
    // #tenant-statements: tenant roles in projects
    AddTenantRoleToProject {
        role: Ident,
        project: Ident,
    },
    RemoveTenantRoleFromProject {
        role: Ident,
        project: Ident,
    },
    // #other-statements: policies
    GetPolicy {
        role: Option<RoleRef>,
    },
    PutPolicy {
        file: FilePath,
        role: Option<RoleRef>,
    },
    GetSecurityPolicy,
    PutSecurityPolicy {
        file: FilePath,
    },
    // #other-statements: trusted projects
    ListTrustedProjects,
    AddTrustedProject {
        project: Ident,
    },
    RemoveTrustedProject {
        project: Ident,
    },
    // #other-statements: packages
    CreatePackage {
        package: Ident,
    },
    /// `drop package` and `delete package`.
    DropPackage {
        package: Ident,
    },
    AddToPackage {
        object_type: ObjectType,
        object: ObjectName,
        package: Ident,
        privileges: Option<Vec<Privilege>>,
        properties: Option<Properties>,
    },
    RemoveFromPackage {
        object_type: ObjectType,
        object: ObjectName,
        package: Ident,
    },
    /// `allow project <p>|* to install package <pkg> [with …] [using
    /// label <n>] [exp <days>]`.
    AllowInstallPackage {
        project: ProjectScope,
        package: ObjectName,
        privileges: Option<Vec<Privilege>>,
        label: Option<Ident>,
        days: Option<Ident>,
    },
    DisallowInstallPackage {
        project: ProjectScope,
        package: ObjectName,
    },
    InstallPackage {
        package: ObjectName,
        properties: Option<Properties>,
    },
    UninstallPackage {
        package: ObjectName,
        properties: Option<Properties>,
    },
    /// `show packages [with <object>] [privilegeproperties(…)]`.
    ShowPackages {
        with: Option<Object>,
        properties: Option<Properties>,
    },
    /// `describe package`, `desc package` and `show package`.
    DescribePackage {
        package: ObjectName,
        properties: Option<Properties>,
    },
    /// `show package items [from <project>] [on type <type>] [privilegeproperties(…)]`.
    ShowPackageItems {
        project: Option<Ident>,
        object_type: Option<ObjectType>,
        properties: Option<Properties>,
    },
    /// `describe package items <object> [from <project>]`.
    DescribePackageItems {
        object: Object,
        project: Option<Ident>,
    },
    // #other-statements: labels
    SetLabel {
        level: Ident,
        target: LabelTarget,
    },
    GrantLabel(GrantLabel),
    RevokeLabel {
        table: ObjectName,
        columns: Option<Vec<Ident>>,
        grantee: Grantee,
        properties: Option<Properties>,
    },
    ShowLabelGrants {
        level: Option<Ident>,
        scope: LabelGrantsScope,
        properties: Option<Properties>,
    },
    // #other-statements: groups
    AddGroup {
        tenant: bool,
        group: Ident,
        comment: Option<StringLit>,
    },
    RemoveGroup {
        tenant: bool,
        group: Ident,
    },
    ListGroups {
        tenant: bool,
        user: Option<Principal>,
    },
    // #other-statements: alter
    AlterUser {
        tenant: bool,
        principal: Principal,
        change: PropertyChange,
    },
    AlterRole {
        tenant: bool,
        role: Ident,
        change: PropertyChange,
    },
    // #other-statements: super privileges
    GrantSuper {
        privileges: Vec<Privilege>,
        grantee: Grantee,
    },
    RevokeSuper {
        privileges: Vec<Privilege>,
        grantee: Grantee,
    },
    // Project properties (odpscmd's `setproject`)
    /// `setproject [<key>[=<value>] …]`; with no property it shows them.
    SetProject {
        properties: Vec<ProjectProperty>,
    },
    // Row-level access control (SQL side)
    CreateRowAccessPolicy(CreateRowAccessPolicy),
    DropRowAccessPolicy {
        policy: Ident,
        table: ObjectName,
    },
    /// `describe row access policy <p> on <t>` (and `desc`).
    DescribeRowAccessPolicy {
        policy: Ident,
        table: ObjectName,
    },
    ListRowAccessPolicies {
        table: ObjectName,
    },
    // Dynamic data masking (SQL side)
    /// `create data masking policy [if not exists] <p> to … using <method>`.
    CreateMaskingPolicy {
        if_not_exists: bool,
        policy: Ident,
        to: PolicyTargets,
        method: RawText,
    },
    /// `apply data masking policy <p> bind to table <t> column <c>`.
    ApplyMaskingPolicy {
        policy: Ident,
        table: ObjectName,
        column: Ident,
    },
    /// `unapply data masking policy <p> unbind from table <t> column <c>`.
    UnapplyMaskingPolicy {
        policy: Ident,
        table: ObjectName,
        column: Ident,
    },
    DropMaskingPolicy {
        policy: Ident,
    },
    /// `describe data masking policy <p>` (and `desc`).
    DescribeMaskingPolicy {
        policy: Ident,
    },
}

/// `grant label <level> on table <t> [(<columns>)] to <grantee> [with exp
/// <days>] [privilegeproperties(…)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct GrantLabel {
    pub level: Ident,
    pub table: ObjectName,
    pub columns: Option<Vec<Ident>>,
    pub grantee: Grantee,
    pub days: Option<Ident>,
    pub properties: Option<Properties>,
}

/// `create [or replace] row access policy [if not exists] <p> on <t>
/// to … filter using (<expr>)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CreateRowAccessPolicy {
    pub or_replace: bool,
    pub if_not_exists: bool,
    pub policy: Ident,
    pub table: ObjectName,
    pub to: PolicyTargets,
    pub filter: RawText,
}

/// A privilege, optionally limited to columns: `Select(c1, c2)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Privilege {
    pub name: Ident,
    pub columns: Option<Vec<Ident>>,
}

/// The object of an ACL grant: `on table prj.t (c1, c2)`, `on project p`,
/// `on table t partition(ds='20240101')`. A statement that names no
/// object type means a table; only tables have columns and partitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Object {
    pub object_type: ObjectType,
    pub name: ObjectName,
    pub columns: Option<Vec<Ident>>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
    pub column: Ident,
    pub value: Option<PartitionLiteral>,
}

/// The value of a partition column: a string, or a bare word (a number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum PartitionLiteral {
    Str(StringLit),
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
    Project {
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
        table: ObjectName,
        grantee: Option<Grantee>,
    },
    /// `for <grantee>`.
    For { grantee: Grantee },
    /// `for table t` (the SDK grammar's form; its meaning is undocumented).
    ForTable { table: ObjectName },
}

/// Whom a row access or data masking policy applies to: `to default`,
/// `to user P, …` or `to role R, …`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PolicyTargets {
    /// Everyone no other policy of the table names.
    Default,
    Users {
        users: Vec<Principal>,
    },
    Roles {
        roles: Vec<Ident>,
    },
}

/// One `key[=value]` of `setproject`. The value is kept as written (see
/// [`RawText`]); odpscmd strips one pair of enclosing double quotes,
/// which [`ProjectProperty::effective_value`] does too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ProjectProperty {
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
    Type { object_type: ObjectType },
    Object { object: Object },
}

/// `[tenant] role R` in `get policy on …` and `put policy … on …`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RoleRef {
    pub tenant: bool,
    pub role: Ident,
}

/// What `set label` applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LabelTarget {
    Table {
        table: ObjectName,
        columns: Option<Vec<Ident>>,
    },
    User {
        principal: Principal,
    },
}

/// `alter … set privilegeproperties(…)` or `unset privilegeproperties("k", …)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PropertyChange {
    Set { properties: Properties },
    Unset { keys: Vec<StringLit> },
}

/// The key of `set <key>=<value>`: a project security flag, or any other
/// name, which odpscmd treats as a session flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum Setting {
    Security(SecurityFlag),
    Session(Ident),
}

/// The value of `set <key>=<value>`: a boolean for the security flags,
/// the text as written for session flags.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum SetValue {
    Bool(bool),
    Text(Ident),
}
