//! The model of one project's authorization state (docs/language.md#state-model).
//!
//! Fields are read through [`crate::StateView`] and changed only by
//! [`crate::apply`], which keeps the indexes consistent. The serialised
//! form (serde) is what the store persists; maps whose keys are not
//! strings are written as lists of entries so that any self-describing
//! format (JSON included) can hold them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::knowledge::{Fact, Knowledge};
use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::{ObjectRef, Privilege};

/// Writes a map as a list of `[key, value]` pairs.
pub(crate) mod entries {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K, V, S>(map: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        K: Serialize,
        V: Serialize,
        S: Serializer,
    {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

/// The two role types of `create role … privilegeproperties("type"=…)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleType {
    /// An administrator role: takes policy grants only.
    Admin,
    /// A resource role (the default): takes ACL and policy grants.
    Resource,
}

impl RoleType {
    /// The type as `privilegeproperties("type"=…)` and `desc role` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleType::Admin => "admin",
            RoleType::Resource => "resource",
        }
    }
}

/// A role as the project or tenant keeps it: its type, whether it is
/// built in, its comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleInfo {
    /// Admin or resource.
    pub role_type: RoleType,
    /// `admin` and `super_administrator`: cannot be dropped or changed.
    #[serde(default)]
    pub builtin: bool,
    /// The comment given when the role was created, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl RoleInfo {
    /// A role created by `create role`, without a comment.
    pub fn custom(role_type: RoleType) -> Self {
        RoleInfo {
            role_type,
            builtin: false,
            comment: None,
        }
    }

    pub(crate) fn builtin() -> Self {
        RoleInfo {
            role_type: RoleType::Admin,
            builtin: true,
            comment: None,
        }
    }
}

/// Whether a grant is an ACL entry or a policy statement (and then
/// whether it allows or denies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GrantKind {
    /// An ACL entry (`grant … on … to …`).
    Acl,
    /// A statement of a policy (`grant … privilegeproperties("policy" =
    /// "true", "allow" = …)`).
    Policy {
        /// Whether the statement allows (rather than denies).
        allow: bool,
    },
}

impl GrantKind {
    /// Whether this is a policy statement rather than an ACL entry.
    pub fn is_policy(self) -> bool {
        matches!(self, GrantKind::Policy { .. })
    }
}

/// What identifies one grant of one grantee: object, privilege, kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GrantKey {
    /// The object the privilege is on.
    pub object: ObjectRef,
    /// The privilege granted.
    pub privilege: Privilege,
    /// ACL entry or policy statement.
    pub kind: GrantKind,
}

/// When a grant expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    /// At this Unix time (seconds, UTC).
    At(i64),
    /// After this many days, counted from a moment the engine was not
    /// told (no clock was given when the grant was checked).
    Days(u32),
}

/// The `privilegeproperties` of a grant other than `policy`/`allow`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GrantProps {
    /// The `conditions` property, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// When the grant lapses, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Expiry>,
}

/// One grant as stored: its key, properties and the order it was made in
/// (`seq`, used to print privileges in grant order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclGrant {
    /// What is granted.
    #[serde(flatten)]
    pub key: GrantKey,
    /// Its conditions and expiry.
    #[serde(flatten)]
    pub props: GrantProps,
    /// The grant's position in grant order, among all grants of the project.
    pub seq: u64,
}

/// One of a grantee's grants, lent by a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantRef<'a> {
    /// What is granted on what.
    pub key: &'a GrantKey,
    /// Its conditions and expiry.
    pub props: &'a GrantProps,
    /// Its place in grant order.
    pub seq: u64,
}

impl<'a> GrantRef<'a> {
    /// One entry of a grantee's grants.
    pub(crate) fn of((key, (props, seq)): (&'a GrantKey, &'a (GrantProps, u64))) -> Self {
        GrantRef {
            key,
            props,
            seq: *seq,
        }
    }
}

impl From<GrantRef<'_>> for AclGrant {
    fn from(g: GrantRef<'_>) -> Self {
        AclGrant {
            key: g.key.clone(),
            props: g.props.clone(),
            seq: g.seq,
        }
    }
}

/// The grants of one grantee, keyed for O(log n) lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<AclGrant>", into = "Vec<AclGrant>")]
pub(crate) struct GrantSet(pub(crate) BTreeMap<GrantKey, (GrantProps, u64)>);

impl From<Vec<AclGrant>> for GrantSet {
    fn from(v: Vec<AclGrant>) -> Self {
        GrantSet(v.into_iter().map(|g| (g.key, (g.props, g.seq))).collect())
    }
}

impl From<GrantSet> for Vec<AclGrant> {
    fn from(s: GrantSet) -> Self {
        s.0.into_iter()
            .map(|(key, (props, seq))| AclGrant { key, props, seq })
            .collect()
    }
}

/// Role assignments, indexed both ways; persisted as role → principals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    from = "BTreeMap<RoleName, BTreeSet<PrincipalId>>",
    into = "BTreeMap<RoleName, BTreeSet<PrincipalId>>"
)]
pub(crate) struct Assignments {
    pub(crate) by_role: BTreeMap<RoleName, BTreeSet<PrincipalId>>,
    pub(crate) by_principal: BTreeMap<PrincipalId, BTreeSet<RoleName>>,
}

impl From<BTreeMap<RoleName, BTreeSet<PrincipalId>>> for Assignments {
    fn from(by_role: BTreeMap<RoleName, BTreeSet<PrincipalId>>) -> Self {
        let mut a = Assignments::default();
        for (role, principals) in by_role {
            for p in principals {
                a.insert(&role, &p);
            }
        }
        a
    }
}

impl From<Assignments> for BTreeMap<RoleName, BTreeSet<PrincipalId>> {
    fn from(a: Assignments) -> Self {
        a.by_role
    }
}

impl Assignments {
    pub(crate) fn insert(&mut self, role: &RoleName, p: &PrincipalId) {
        self.by_role
            .entry(role.clone())
            .or_default()
            .insert(p.clone());
        self.by_principal
            .entry(p.clone())
            .or_default()
            .insert(role.clone());
    }

    pub(crate) fn remove(&mut self, role: &RoleName, p: &PrincipalId) {
        if let Some(set) = self.by_role.get_mut(role) {
            set.remove(p);
            if set.is_empty() {
                self.by_role.remove(role);
            }
        }
        if let Some(set) = self.by_principal.get_mut(p) {
            set.remove(role);
            if set.is_empty() {
                self.by_principal.remove(p);
            }
        }
    }

    pub(crate) fn roles_of(&self, p: &PrincipalId) -> &BTreeSet<RoleName> {
        self.by_principal.get(p).unwrap_or(&NO_ROLES)
    }

    pub(crate) fn members_of(&self, role: &RoleName) -> &BTreeSet<PrincipalId> {
        self.by_role.get(role).unwrap_or(&NO_PRINCIPALS)
    }
}

/// What a principal holds no role of, or a role nobody holds, lends.
pub(crate) static NO_ROLES: BTreeSet<RoleName> = BTreeSet::new();
pub(crate) static NO_PRINCIPALS: BTreeSet<PrincipalId> = BTreeSet::new();

/// A project security configuration flag: the syntax crate's catalogue.
pub use mcauth_syntax::SecurityFlag as Flag;

/// A package created in this project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Objects shared by the package, with the privileges they carry.
    #[serde(with = "entries")]
    pub objects: BTreeMap<ObjectRef, Vec<Privilege>>,
    /// Projects allowed to install it (`*` for every project), with the
    /// label they were given.
    pub allowed: BTreeMap<String, Option<String>>,
    /// The privileges an allowance names (`allow project p to install
    /// package k with Select`), by project; absent when it names none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed_privileges: BTreeMap<String, Vec<Privilege>>,
    /// When an allowance ends (`… exp <days>`), by project.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed_until: BTreeMap<String, Expiry>,
}

/// A group (`add [tenant] group g`): kept with its comment; groups have
/// no documented meaning, so nothing else is modelled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Group {
    /// A tenant (account) group rather than a project group.
    pub tenant: bool,
    /// Lower case.
    pub name: String,
}

/// Whom a row access or data masking policy applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "names", rename_all = "snake_case")]
pub enum PolicyTargetIds {
    /// Everyone no other policy of the table names.
    Default,
    /// The users named, in statement order.
    Users(Vec<PrincipalId>),
    /// The roles named, in statement order.
    Roles(Vec<RoleName>),
}

impl PolicyTargetIds {
    /// As a statement writes it: `default`, `user A, B`, `role R`.
    pub fn to_statement_text(&self) -> String {
        match self {
            PolicyTargetIds::Default => "default".to_owned(),
            PolicyTargetIds::Users(users) => {
                let names: Vec<String> = users.iter().map(PrincipalId::to_statement_text).collect();
                format!("user {}", names.join(", "))
            }
            PolicyTargetIds::Roles(roles) => {
                let names: Vec<&str> = roles.iter().map(RoleName::as_str).collect();
                format!("role {}", names.join(", "))
            }
        }
    }
}

/// A row access policy of a table (kept as written: the filter is not
/// evaluated).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowAccessPolicy {
    /// Whom the policy applies to.
    pub targets: PolicyTargetIds,
    /// The filter expression, as written.
    pub filter: String,
}

/// A data masking policy (the masking method is kept as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaskingPolicy {
    /// Whom the policy applies to.
    pub targets: PolicyTargetIds,
    /// The masking method, as written.
    pub method: String,
}

/// A masking policy bound to a table's column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MaskingBinding {
    /// Normalised as ACL table names are.
    pub table: String,
    /// Lower case.
    pub column: String,
    /// Lower case.
    pub policy: String,
}

/// The access rules that live on the SQL side: row access policies by
/// (table, policy), masking policies by name, and their bindings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SqlAccess {
    #[serde(default, with = "entries")]
    pub(crate) row_policies: BTreeMap<(String, String), RowAccessPolicy>,
    #[serde(default)]
    pub(crate) masking_policies: BTreeMap<String, MaskingPolicy>,
    #[serde(default)]
    pub(crate) masking_bindings: BTreeSet<MaskingBinding>,
}

impl SqlAccess {
    fn is_empty(&self) -> bool {
        self.row_policies.is_empty()
            && self.masking_policies.is_empty()
            && self.masking_bindings.is_empty()
    }
}

/// A label grant (`grant label <level> on table t to …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelGrant {
    /// The label level granted up to.
    pub level: String,
    /// When the grant lapses, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Expiry>,
}

/// Label security: the labels set on tables, columns and users, and the
/// label grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Labels {
    #[serde(with = "entries")]
    pub(crate) objects: BTreeMap<ObjectRef, String>,
    pub(crate) users: BTreeMap<PrincipalId, String>,
    #[serde(with = "entries")]
    pub(crate) grants: BTreeMap<(GranteeId, ObjectRef), LabelGrant>,
}

/// Which roles a statement or a query is about: the project's own, or
/// the account-level ("tenant") roles of the caller's account. Both are
/// role spaces with the same rules; only their texts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleScope {
    /// The project's own roles.
    Project,
    /// The account's roles (`tenant role`).
    Tenant,
}

/// One space of roles: the roles that exist and who holds them. A project
/// has one and the tenant another; both start with the two built-ins.
/// Persisted as its two fields inside whatever holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RoleSpace {
    pub(crate) roles: BTreeMap<RoleName, RoleInfo>,
    pub(crate) assignments: Assignments,
}

impl Default for RoleSpace {
    fn default() -> Self {
        let mut roles = BTreeMap::new();
        roles.insert(RoleName::admin(), RoleInfo::builtin());
        roles.insert(RoleName::super_administrator(), RoleInfo::builtin());
        RoleSpace {
            roles,
            assignments: Assignments::default(),
        }
    }
}

/// Account-level ("tenant") users and roles of the caller's account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tenant {
    pub(crate) users: BTreeSet<PrincipalId>,
    #[serde(flatten)]
    pub(crate) space: RoleSpace,
    /// Tenant roles added to this project (`add tenant role r to project p`).
    pub(crate) in_project: BTreeSet<RoleName>,
}

/// One project's authorization state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectState {
    pub(crate) name: String,
    pub(crate) owner: PrincipalId,
    pub(crate) providers: BTreeSet<Provider>,
    pub(crate) members: BTreeSet<PrincipalId>,
    /// `p4_…` residues: listed by `list users`, never removable.
    pub(crate) residues: BTreeSet<PrincipalId>,
    #[serde(flatten)]
    pub(crate) space: RoleSpace,
    /// Every ACL and policy grant, including the dormant grants of removed
    /// users and dropped roles (active only while the grantee exists).
    #[serde(with = "entries")]
    pub(crate) grants: BTreeMap<GranteeId, GrantSet>,
    pub(crate) next_grant_seq: u64,
    pub(crate) flags: BTreeMap<Flag, bool>,
    pub(crate) trusted_projects: BTreeSet<String>,
    pub(crate) packages: BTreeMap<String, Package>,
    /// Packages of other projects installed here (`<project>.<package>`).
    pub(crate) installed_packages: BTreeSet<String>,
    pub(crate) labels: Labels,
    pub(crate) tenant: Tenant,
    /// Policy documents stored by `put policy` and `put security policy`,
    /// exactly as the file held them (absent in stores written before
    /// policies were kept).
    #[serde(default, with = "entries")]
    pub(crate) policies: BTreeMap<PolicySlot, String>,
    /// Groups and their comments (absent in stores written before groups
    /// were kept).
    #[serde(default, with = "entries", skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) groups: BTreeMap<Group, Option<String>>,
    /// Project properties set by `setproject` (key → value as sent).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) properties: BTreeMap<String, String>,
    /// Row access and data masking policies.
    #[serde(default, skip_serializing_if = "SqlAccess::is_empty")]
    pub(crate) sql_access: SqlAccess,
    /// Which of the facts above were read (all of them, unless a remote
    /// backend built this state from what it read of the service).
    #[serde(default, skip_serializing_if = "Knowledge::is_complete")]
    pub(crate) knowledge: Knowledge,
}

impl ProjectState {
    /// A new project: `ALIYUN` only, the two built-in roles, no members,
    /// default flags.
    pub fn new(name: impl Into<String>, owner: PrincipalId) -> Self {
        ProjectState {
            name: name.into(),
            owner,
            providers: BTreeSet::from([Provider::Aliyun]),
            members: BTreeSet::new(),
            residues: BTreeSet::new(),
            space: RoleSpace::default(),
            grants: BTreeMap::new(),
            next_grant_seq: 0,
            flags: Flag::ALL.iter().map(|f| (*f, f.default_value())).collect(),
            trusted_projects: BTreeSet::new(),
            packages: BTreeMap::new(),
            installed_packages: BTreeSet::new(),
            labels: Labels::default(),
            tenant: Tenant::default(),
            policies: BTreeMap::new(),
            groups: BTreeMap::new(),
            properties: BTreeMap::new(),
            sql_access: SqlAccess::default(),
            knowledge: Knowledge::complete(),
        }
    }

    /// A project whose facts are still to be read: every kind unknown
    /// until [`ProjectState::learn`] says it was read. Checks against it
    /// refuse nothing they cannot see (see [`crate::Fact`]).
    pub fn unread(name: impl Into<String>, owner: PrincipalId) -> Self {
        let mut state = ProjectState::new(name, owner);
        state.knowledge = Knowledge::nothing();
        state
    }

    /// Records that a kind of fact was read whole: from now on its absence
    /// is a fact too.
    pub fn learn(&mut self, fact: Fact) {
        self.knowledge.learn(fact);
    }

    /// Records that one grantee's grants were read.
    pub fn learn_grants_of(&mut self, grantee: GranteeId) {
        self.knowledge.learn_grants_of(grantee);
    }

    /// What this state holds.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    pub(crate) fn space(&self, scope: RoleScope) -> &RoleSpace {
        match scope {
            RoleScope::Project => &self.space,
            RoleScope::Tenant => &self.tenant.space,
        }
    }

    pub(crate) fn space_mut(&mut self, scope: RoleScope) -> &mut RoleSpace {
        match scope {
            RoleScope::Project => &mut self.space,
            RoleScope::Tenant => &mut self.tenant.space,
        }
    }
}

/// Where a document the project keeps exactly as it was given is
/// attached: a policy (`get policy [on [tenant] role r]` and `get security
/// policy` read one slot each), the exception policy of
/// `ProjectProtection`, the parts of the security configuration the rules
/// do not interpret, and a member's comment. An empty document is none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "on", content = "role", rename_all = "snake_case")]
pub enum PolicySlot {
    /// The project policy (`put policy FILE;`).
    Project,
    /// The project's security policy (`put security policy FILE;`).
    Security,
    /// A project role's policy (`put policy FILE on role r;`).
    Role(RoleName),
    /// A tenant role's policy (`put policy FILE on tenant role r;`).
    TenantRole(RoleName),
    /// The exception policy of `set ProjectProtection=true with exception
    /// FILE;` (cleared by any other `set ProjectProtection`).
    ProtectionException,
    /// The elements of the security configuration the rules do not
    /// interpret (`SupportACLV2`, `AuthorizationVersion`, …), as the XML
    /// they were put with over REST.
    ConfigurationExtras,
    /// The comment of `add user … comment '…'` (gone with the member).
    MemberComment(PrincipalId),
}

impl std::fmt::Display for PolicySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicySlot::Project => f.write_str("the project policy"),
            PolicySlot::Security => f.write_str("the security policy"),
            PolicySlot::Role(r) => write!(f, "the policy of role {r}"),
            PolicySlot::TenantRole(r) => write!(f, "the policy of tenant role {r}"),
            PolicySlot::ProtectionException => {
                f.write_str("the exception policy of ProjectProtection")
            }
            PolicySlot::ConfigurationExtras => {
                f.write_str("the other fields of the security configuration")
            }
            PolicySlot::MemberComment(p) => write!(f, "the comment of member {p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_project_has_aliyun_and_the_builtin_roles() {
        let s = ProjectState::new("p", PrincipalId::aliyun("owner"));
        assert_eq!(
            s.providers.iter().copied().collect::<Vec<_>>(),
            [Provider::Aliyun]
        );
        assert!(s.space.roles.contains_key(&RoleName::admin()));
        assert!(s.space.roles.contains_key(&RoleName::super_administrator()));
        assert_eq!(s.flags.get(&Flag::ProjectProtection), Some(&false));
        assert_eq!(s.flags.get(&Flag::CheckPermissionUsingAcl), Some(&true));
    }

    #[test]
    fn assignments_round_trip_through_their_persisted_form() {
        let mut a = Assignments::default();
        a.insert(&RoleName::new("w"), &PrincipalId::aliyun("x"));
        let map: BTreeMap<RoleName, BTreeSet<PrincipalId>> = a.clone().into();
        assert_eq!(Assignments::from(map), a);
    }
}
