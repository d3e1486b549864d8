//! A project's security state as facts ([`Item`]s) and as the canonical
//! script that recreates it (`mcauth export`).
//!
//! Every item is one fact with a key (what it is about) and a value (what
//! it says about it). Two states are compared item by item (see
//! [`crate::converge`]); an item knows the statement that adds it and the
//! one that takes it away. The output is sorted and canonical, so two
//! exports of the same state are byte for byte equal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::{
    Expiry, Flag, GrantKind, GrantProps, Group, MaskingBinding, PolicySlot, PolicyTargetIds,
    RoleType,
};
use crate::time::DAY;
use crate::view::StateView;

mod sql_access;

pub(crate) use sql_access::replace_row_access_statement;

/// The kinds a desired-state file can manage (`--manage`, `-- mcauth:
/// manage …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The account providers enabled.
    Providers,
    /// The project's members.
    Users,
    /// The project roles and their types.
    Roles,
    /// Which member holds which project role.
    RoleGrants,
    /// ACL and policy grants.
    Grants,
    /// The security flags.
    Flags,
    /// The trusted projects.
    TrustedProjects,
    /// Packages created here, their objects and who may install them.
    Packages,
    /// Packages of other projects installed here.
    Installs,
    /// Labels on tables, columns and users, and label grants.
    Labels,
    /// The project, security and role policy documents.
    Policies,
    /// The tenant's users.
    TenantUsers,
    /// Tenant roles, their holders and whether they count in the project.
    TenantRoles,
    /// The project's and the tenant's groups.
    Groups,
    /// The project's properties (`setproject k=v`).
    ProjectProperties,
    /// The row access policies of tables.
    RowAccessPolicies,
    /// The data masking policies and the columns they are bound to.
    MaskingPolicies,
}

impl Kind {
    /// Every kind, in the order an export writes them.
    pub const ALL: [Kind; 17] = [
        Kind::Providers,
        Kind::Users,
        Kind::Roles,
        Kind::RoleGrants,
        Kind::Grants,
        Kind::Flags,
        Kind::TrustedProjects,
        Kind::Packages,
        Kind::Installs,
        Kind::Labels,
        Kind::Policies,
        Kind::TenantUsers,
        Kind::TenantRoles,
        Kind::Groups,
        Kind::ProjectProperties,
        Kind::RowAccessPolicies,
        Kind::MaskingPolicies,
    ];

    /// The name `--manage` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Providers => "providers",
            Kind::Users => "users",
            Kind::Roles => "roles",
            Kind::RoleGrants => "role-grants",
            Kind::Grants => "grants",
            Kind::Flags => "flags",
            Kind::TrustedProjects => "trusted-projects",
            Kind::Packages => "packages",
            Kind::Installs => "installs",
            Kind::Labels => "labels",
            Kind::Policies => "policies",
            Kind::TenantUsers => "tenant-users",
            Kind::TenantRoles => "tenant-roles",
            Kind::Groups => "groups",
            Kind::ProjectProperties => "project-properties",
            Kind::RowAccessPolicies => "row-access-policies",
            Kind::MaskingPolicies => "masking-policies",
        }
    }

    /// The kind `--manage` names `name` (any case), if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The facts a backend must have read to list this kind.
    pub fn facts(self) -> &'static [Fact] {
        match self {
            Kind::Providers => &[Fact::Providers],
            Kind::Users => &[Fact::Members],
            Kind::Roles => &[Fact::Roles],
            Kind::RoleGrants => &[Fact::Members, Fact::Roles, Fact::RoleHolders],
            Kind::Grants => &[Fact::Members, Fact::Roles, Fact::Grants],
            Kind::Flags => &[Fact::Flags],
            Kind::TrustedProjects => &[Fact::TrustedProjects],
            Kind::Packages => &[Fact::Packages],
            Kind::Installs => &[Fact::Installs],
            Kind::Labels => &[Fact::Labels],
            Kind::Policies => &[Fact::Policies, Fact::Roles],
            Kind::TenantUsers => &[Fact::TenantUsers],
            Kind::TenantRoles => &[Fact::TenantRoles, Fact::TenantRolesInProject],
            Kind::Groups => &[Fact::Groups],
            Kind::ProjectProperties => &[Fact::ProjectProperties],
            Kind::RowAccessPolicies => &[Fact::RowAccessPolicies],
            Kind::MaskingPolicies => &[Fact::MaskingPolicies],
        }
    }
}

/// One fact of a project's security state.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// An enabled account provider.
    Provider(Provider),
    /// A member of the project.
    Member(PrincipalId),
    /// A project role.
    Role {
        /// The role.
        role: RoleName,
        /// Its type.
        role_type: RoleType,
    },
    /// A member holding a project role.
    RoleGrant {
        /// The role.
        role: RoleName,
        /// The member.
        principal: PrincipalId,
    },
    /// One privilege granted on one object.
    Grant {
        /// Who holds it.
        grantee: GranteeId,
        /// The object.
        object: ObjectRef,
        /// ACL entry or policy statement.
        kind: GrantKind,
        /// The privilege.
        privilege: Privilege,
        /// The grant's `conditions`, as written.
        conditions: Option<String>,
        /// When it lapses, if ever.
        expires: Option<ExpiryDays>,
    },
    /// A security flag and its value.
    Flag(Flag, bool),
    /// A trusted project.
    TrustedProject(String),
    /// A package created here.
    Package(String),
    /// An object a package shares.
    PackageObject {
        /// The package.
        package: String,
        /// The object.
        object: ObjectRef,
        /// The privileges the package grants on it.
        privileges: Vec<Privilege>,
    },
    /// A project allowed to install a package.
    PackageAllow {
        /// The package.
        package: String,
        /// The project (`*` for every one).
        project: String,
        /// The privileges the allowance names (`with Select`), if any.
        privileges: Vec<Privilege>,
        /// The label the allowance gives installers, if any.
        label: Option<String>,
        /// When the allowance ends (`exp <days>`).
        until: Option<ExpiryDays>,
    },
    /// A package of another project installed here (`project.package`).
    Install(String),
    /// A table's or column's label level.
    ObjectLabel(ObjectRef, String),
    /// A user's label level.
    UserLabel(PrincipalId, String),
    /// A label grant.
    LabelGrant {
        /// Who holds it.
        grantee: GranteeId,
        /// The table it covers.
        object: ObjectRef,
        /// The level granted up to.
        level: String,
        /// When it lapses, if ever.
        expires: Option<ExpiryDays>,
    },
    /// A policy document.
    Policy {
        /// Whose policy it is.
        slot: PolicySlot,
        /// The document, as it was put.
        document: String,
    },
    /// A user of the tenant.
    TenantUser(PrincipalId),
    /// A tenant role.
    TenantRole(RoleName),
    /// A tenant user holding a tenant role.
    TenantRoleGrant {
        /// The tenant role.
        role: RoleName,
        /// The user.
        principal: PrincipalId,
    },
    /// A tenant role that counts in the project.
    TenantRoleInProject(RoleName),
    /// A group, and its comment if it has one.
    Group {
        /// The group.
        group: Group,
        /// Its comment, as written.
        comment: Option<String>,
    },
    /// A project property and its value, as `setproject` sets it.
    ProjectProperty {
        /// The property's name, as written.
        key: String,
        /// Its value (enclosing double quotes removed).
        value: String,
    },
    /// A row access policy of a table.
    RowAccessPolicy {
        /// The table, normalised as ACL table names are.
        table: String,
        /// The policy's name (lower case).
        policy: String,
        /// Whom it applies to.
        targets: PolicyTargetIds,
        /// The filter expression, as written.
        filter: String,
    },
    /// A data masking policy.
    MaskingPolicy {
        /// The policy's name (lower case).
        policy: String,
        /// Whom it applies to.
        targets: PolicyTargetIds,
        /// The masking method, as written.
        method: String,
    },
    /// A data masking policy bound to a column.
    MaskingBinding(MaskingBinding),
}

/// An expiry as a statement can write it: whole days from now (rounded
/// up), so that a state read back and the file it was exported to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpiryDays(pub u32);

impl ExpiryDays {
    /// `expiry` in whole days: a relative one as written, an absolute one
    /// counted from `now` and rounded up (0 when it has passed, or when there
    /// is no clock).
    pub fn of(expiry: &Expiry, now: Option<i64>) -> ExpiryDays {
        match (expiry, now) {
            (Expiry::Days(d), _) => ExpiryDays(*d),
            (Expiry::At(t), Some(now)) => {
                let left = (t - now).max(0);
                ExpiryDays(u32::try_from((left + DAY - 1) / DAY).unwrap_or(u32::MAX))
            }
            // No clock: the best a statement can say is "from now".
            (Expiry::At(_), None) => ExpiryDays(0),
        }
    }
}

/// What an item is about: two items with the same key and different
/// values are one fact that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key<'a> {
    /// The provider.
    Provider(Provider),
    /// The member.
    Member(&'a PrincipalId),
    /// The role (its type is the value).
    Role(&'a RoleName),
    /// The role and its holder.
    RoleGrant(&'a RoleName, &'a PrincipalId),
    /// Grantee, object, kind and privilege (conditions and expiry are the value).
    Grant(&'a GranteeId, &'a ObjectRef, GrantKind, Privilege),
    /// The flag (its setting is the value).
    Flag(Flag),
    /// The trusted project.
    TrustedProject(&'a str),
    /// The package.
    Package(&'a str),
    /// The package and the object it shares.
    PackageObject(&'a str, &'a ObjectRef),
    /// The package and the project allowed to install it.
    PackageAllow(&'a str, &'a str),
    /// The installed package.
    Install(&'a str),
    /// The labelled table or column.
    ObjectLabel(&'a ObjectRef),
    /// The labelled user.
    UserLabel(&'a PrincipalId),
    /// The grantee and the table of a label grant.
    LabelGrant(&'a GranteeId, &'a ObjectRef),
    /// The policy's slot (the document is the value).
    Policy(&'a PolicySlot),
    /// The tenant user.
    TenantUser(&'a PrincipalId),
    /// The tenant role.
    TenantRole(&'a RoleName),
    /// The tenant role and its holder.
    TenantRoleGrant(&'a RoleName, &'a PrincipalId),
    /// The tenant role counting in the project.
    TenantRoleInProject(&'a RoleName),
    /// The group (its comment is the value).
    Group(&'a Group),
    /// The property's name (its value is the value).
    ProjectProperty(&'a str),
    /// The table and the policy's name (targets and filter are the value).
    RowAccessPolicy(&'a str, &'a str),
    /// The masking policy's name (targets and method are the value).
    MaskingPolicy(&'a str),
    /// The binding itself.
    MaskingBinding(&'a MaskingBinding),
}

impl Item {
    /// What this item is about: two items with equal keys are the same fact.
    pub fn key(&self) -> Key<'_> {
        match self {
            Item::Provider(p) => Key::Provider(*p),
            Item::Member(p) => Key::Member(p),
            Item::Role { role, .. } => Key::Role(role),
            Item::RoleGrant { role, principal } => Key::RoleGrant(role, principal),
            Item::Grant {
                grantee,
                object,
                kind,
                privilege,
                ..
            } => Key::Grant(grantee, object, *kind, *privilege),
            Item::Flag(f, _) => Key::Flag(*f),
            Item::TrustedProject(p) => Key::TrustedProject(p),
            Item::Package(p) => Key::Package(p),
            Item::PackageObject {
                package, object, ..
            } => Key::PackageObject(package, object),
            Item::PackageAllow {
                package, project, ..
            } => Key::PackageAllow(package, project),
            Item::Install(p) => Key::Install(p),
            Item::ObjectLabel(o, _) => Key::ObjectLabel(o),
            Item::UserLabel(p, _) => Key::UserLabel(p),
            Item::LabelGrant {
                grantee, object, ..
            } => Key::LabelGrant(grantee, object),
            Item::Policy { slot, .. } => Key::Policy(slot),
            Item::TenantUser(p) => Key::TenantUser(p),
            Item::TenantRole(r) => Key::TenantRole(r),
            Item::TenantRoleGrant { role, principal } => Key::TenantRoleGrant(role, principal),
            Item::TenantRoleInProject(r) => Key::TenantRoleInProject(r),
            Item::Group { group, .. } => Key::Group(group),
            Item::ProjectProperty { key, .. } => Key::ProjectProperty(key),
            Item::RowAccessPolicy { table, policy, .. } => Key::RowAccessPolicy(table, policy),
            Item::MaskingPolicy { policy, .. } => Key::MaskingPolicy(policy),
            Item::MaskingBinding(b) => Key::MaskingBinding(b),
        }
    }

    /// The kind this item belongs to.
    pub fn kind(&self) -> Kind {
        match self {
            Item::Provider(_) => Kind::Providers,
            Item::Member(_) => Kind::Users,
            Item::Role { .. } => Kind::Roles,
            Item::RoleGrant { .. } => Kind::RoleGrants,
            Item::Grant { .. } => Kind::Grants,
            Item::Flag(..) => Kind::Flags,
            Item::TrustedProject(_) => Kind::TrustedProjects,
            Item::Package(_) | Item::PackageObject { .. } | Item::PackageAllow { .. } => {
                Kind::Packages
            }
            Item::Install(_) => Kind::Installs,
            Item::ObjectLabel(..) | Item::UserLabel(..) | Item::LabelGrant { .. } => Kind::Labels,
            Item::Policy { .. } => Kind::Policies,
            Item::TenantUser(_) => Kind::TenantUsers,
            Item::TenantRole(_) | Item::TenantRoleGrant { .. } | Item::TenantRoleInProject(_) => {
                Kind::TenantRoles
            }
            Item::Group { .. } => Kind::Groups,
            Item::ProjectProperty { .. } => Kind::ProjectProperties,
            Item::RowAccessPolicy { .. } => Kind::RowAccessPolicies,
            Item::MaskingPolicy { .. } | Item::MaskingBinding(_) => Kind::MaskingPolicies,
        }
    }
}

/// Where a policy document is written beside an exported script, and how
/// its `put` statement names it.
pub fn policy_file(slot: &PolicySlot) -> String {
    match slot {
        PolicySlot::Project => "policies/project.json".to_owned(),
        PolicySlot::Security => "policies/security.json".to_owned(),
        PolicySlot::Role(r) => format!("policies/role-{r}.json"),
        PolicySlot::TenantRole(r) => format!("policies/tenant-role-{r}.json"),
        // The emulator's REST-only slots are never exported as policies.
        PolicySlot::ProtectionException => "policies/protection-exception.json".to_owned(),
        PolicySlot::ConfigurationExtras | PolicySlot::MemberComment(_) => String::new(),
    }
}

/// Every fact a view holds of the kinds given, active grants only (the
/// retained grants of removed principals are [`retained`]). Sorted.
pub fn items(view: &(impl StateView + ?Sized), kinds: &[Kind], now: Option<i64>) -> Vec<Item> {
    let mut out = Vec::new();
    let wants = |k: Kind| kinds.contains(&k);
    if wants(Kind::Providers) {
        out.extend(
            view.providers()
                .into_iter()
                .filter(|p| *p != Provider::Aliyun)
                .map(Item::Provider),
        );
    }
    if wants(Kind::Users) {
        out.extend(view.members().into_iter().cloned().map(Item::Member));
    }
    let roles: Vec<&RoleName> = view.roles();
    if wants(Kind::Roles) {
        for role in roles.iter().filter(|r| !r.is_builtin()) {
            if let Some(info) = view.role(role) {
                out.push(Item::Role {
                    role: (*role).clone(),
                    role_type: info.role_type,
                });
            }
        }
    }
    if wants(Kind::RoleGrants) {
        for role in &roles {
            for principal in view.role_members(role) {
                out.push(Item::RoleGrant {
                    role: (*role).clone(),
                    principal: principal.clone(),
                });
            }
        }
    }
    if wants(Kind::Grants) {
        out.extend(grant_items(view, true, now));
    }
    if wants(Kind::Flags) {
        out.extend(Flag::ALL.into_iter().map(|f| Item::Flag(f, view.flag(f))));
    }
    if wants(Kind::TrustedProjects) {
        out.extend(
            view.trusted_projects()
                .into_iter()
                .map(|p| Item::TrustedProject(p.to_owned())),
        );
    }
    if wants(Kind::Packages) {
        for name in view.packages() {
            let Some(package) = view.package(name) else {
                continue;
            };
            out.push(Item::Package(name.to_owned()));
            for (object, privileges) in &package.objects {
                out.push(Item::PackageObject {
                    package: name.to_owned(),
                    object: object.clone(),
                    privileges: privileges.clone(),
                });
            }
            for (project, label) in &package.allowed {
                out.push(Item::PackageAllow {
                    package: name.to_owned(),
                    privileges: package
                        .allowed_privileges
                        .get(project)
                        .cloned()
                        .unwrap_or_default(),
                    until: package
                        .allowed_until
                        .get(project)
                        .map(|e| ExpiryDays::of(e, now)),
                    project: project.clone(),
                    label: label.clone(),
                });
            }
        }
    }
    if wants(Kind::Installs) {
        let installed = view.installed_packages().into_iter();
        out.extend(installed.map(|p| Item::Install(p.to_owned())));
    }
    if wants(Kind::Labels) {
        // The levels set on tables and columns, where the view read them
        // (no statement shows them, so a remote view never has).
        if view.knows(Fact::ObjectLabels) {
            out.extend(
                view.object_labels()
                    .into_iter()
                    .map(|(object, level)| Item::ObjectLabel(object.clone(), level.to_owned())),
            );
        }
        for (grantee, object, grant) in view.label_grants() {
            if is_active(view, grantee) {
                out.push(Item::LabelGrant {
                    grantee: grantee.clone(),
                    object: object.clone(),
                    level: grant.level.clone(),
                    expires: grant.expires.as_ref().map(|e| ExpiryDays::of(e, now)),
                });
            }
        }
    }
    if wants(Kind::Policies) {
        let mut slots = vec![PolicySlot::Project, PolicySlot::Security];
        slots.extend(roles.iter().map(|r| PolicySlot::Role((*r).clone())));
        let tenant_roles = view.tenant_roles().into_iter();
        slots.extend(tenant_roles.map(|r| PolicySlot::TenantRole(r.clone())));
        // ProjectProtection's exception policy, set with the flag.
        slots.push(PolicySlot::ProtectionException);
        for slot in slots {
            if let Some(document) = view.policy(&slot).filter(|d| !d.is_empty()) {
                out.push(Item::Policy {
                    slot,
                    document: document.to_owned(),
                });
            }
        }
    }
    if wants(Kind::TenantUsers) {
        let tenant_users = view.tenant_users().into_iter();
        out.extend(tenant_users.map(|p| Item::TenantUser(p.clone())));
    }
    if wants(Kind::TenantRoles) {
        for role in view.tenant_roles() {
            if !role.is_builtin() {
                out.push(Item::TenantRole(role.clone()));
            }
            for principal in view.tenant_role_members(role) {
                out.push(Item::TenantRoleGrant {
                    role: role.clone(),
                    principal: principal.clone(),
                });
            }
            if view.is_tenant_role_in_project(role) {
                out.push(Item::TenantRoleInProject(role.clone()));
            }
        }
    }
    if wants(Kind::Groups) {
        out.extend(
            view.groups()
                .into_iter()
                .map(|(group, comment)| Item::Group {
                    group: group.clone(),
                    comment: comment.map(str::to_owned),
                }),
        );
    }
    if wants(Kind::ProjectProperties) {
        let properties = view.project_properties().into_iter();
        out.extend(properties.map(|(key, value)| Item::ProjectProperty {
            key: key.to_owned(),
            value: value.to_owned(),
        }));
    }
    if wants(Kind::RowAccessPolicies) {
        out.extend(sql_access::row_access_items(view));
    }
    if wants(Kind::MaskingPolicies) {
        out.extend(sql_access::masking_items(view));
    }
    out.sort();
    out
}

fn grant_item(
    grantee: &GranteeId,
    key: &crate::GrantKey,
    props: &GrantProps,
    now: Option<i64>,
) -> Item {
    Item::Grant {
        grantee: grantee.clone(),
        object: key.object.clone(),
        kind: key.kind,
        privilege: key.privilege,
        conditions: props.conditions.clone(),
        expires: props.expires.as_ref().map(|e| ExpiryDays::of(e, now)),
    }
}

/// Whether a grantee exists, so that its grants are in force.
fn is_active(view: &(impl StateView + ?Sized), grantee: &GranteeId) -> bool {
    match grantee {
        GranteeId::User(p) => view.is_member(p) || p == view.owner(),
        GranteeId::Role(r) => view.role_exists(r),
        GranteeId::TenantRole(r) => view.tenant_role(r).is_some(),
    }
}

/// The grants kept, dormant, for removed users and dropped roles.
pub fn retained(view: &(impl StateView + ?Sized), now: Option<i64>) -> Vec<Item> {
    grant_items(view, false, now)
}

/// The grants of the grantees that exist (`active`) or of those that do
/// not, as items.
fn grant_items(view: &(impl StateView + ?Sized), active: bool, now: Option<i64>) -> Vec<Item> {
    let mut out = Vec::new();
    for grantee in view.grantees() {
        if is_active(view, grantee) != active {
            continue;
        }
        for (key, (props, _)) in view.grants_held(grantee).into_iter().flatten() {
            out.push(grant_item(grantee, key, props, now));
        }
    }
    out
}

/// Whether a view holds every fact of a kind. The grants are known when
/// they were read whole or grantee by grantee for every member and role
/// (a remote backend reads them so: MaxCompute lists no grants of removed
/// principals, which no export recreates anyway).
pub fn kind_known(view: &(impl StateView + ?Sized), kind: Kind) -> bool {
    match kind {
        Kind::Grants => {
            view.knows(Fact::Members)
                && view.knows(Fact::Roles)
                && (view.knows(Fact::Grants)
                    || (view
                        .members()
                        .into_iter()
                        .all(|m| view.knows_grants_of(&GranteeId::User(m.clone())))
                        && view
                            .roles()
                            .into_iter()
                            .all(|r| view.knows_grants_of(&GranteeId::Role(r.clone())))))
        }
        _ => kind.facts().iter().all(|f| view.knows(*f)),
    }
}

/// The kinds among `kinds` that a view does not hold whole.
pub fn unknown_kinds(view: &(impl StateView + ?Sized), kinds: &[Kind]) -> Vec<Kind> {
    kinds
        .iter()
        .copied()
        .filter(|k| !kind_known(view, *k))
        .collect()
}

/// The statement that adds the fact (or sets it).
pub fn add_statement(item: &Item) -> String {
    match item {
        Item::Provider(p) => format!("add accountprovider {};", p.as_str().to_ascii_lowercase()),
        Item::Member(p) => format!("add user {};", p.to_statement_text()),
        Item::Role { role, role_type } => match role_type {
            RoleType::Resource => format!("create role {role};"),
            RoleType::Admin => {
                format!("create role {role} privilegeproperties(\"type\"=\"admin\");")
            }
        },
        Item::RoleGrant { role, principal } => {
            format!("grant {role} to {};", principal.to_statement_text())
        }
        Item::Grant { .. } => grant_statement(std::slice::from_ref(item)),
        Item::Flag(f, v) => format!("set {}={v};", f.name()),
        Item::TrustedProject(p) => format!("add trustedproject {p};"),
        Item::Package(p) => format!("create package {p};"),
        Item::PackageObject {
            package,
            object,
            privileges,
        } => {
            let mut s = format!(
                "add {} {} to package {package}",
                object.kind.keyword(),
                object.name
            );
            if !privileges.is_empty() {
                let names: Vec<&str> = privileges.iter().map(|p| p.as_str()).collect();
                let _ = write!(s, " with privileges {}", names.join(", "));
            }
            s.push(';');
            s
        }
        Item::PackageAllow {
            package,
            project,
            privileges,
            label,
            until,
        } => {
            let mut s = format!("allow project {project} to install package {package}");
            if !privileges.is_empty() {
                let names: Vec<&str> = privileges.iter().map(|p| p.as_str()).collect();
                let _ = write!(s, " with {}", names.join(", "));
            }
            if let Some(l) = label {
                let _ = write!(s, " using label {l}");
            }
            if let Some(days) = until {
                let _ = write!(s, " exp {}", days.0);
            }
            s.push(';');
            s
        }
        Item::Install(p) => format!("install package {p};"),
        Item::ObjectLabel(object, level) => {
            format!("set label {level} to {};", object_text(object))
        }
        Item::UserLabel(p, level) => {
            format!("set label {level} to user {};", p.to_statement_text())
        }
        Item::LabelGrant {
            grantee,
            object,
            level,
            expires,
        } => {
            let mut s = format!("grant label {level} on table {}", table_name(object));
            if let Some(c) = &object.column {
                let _ = write!(s, " ({c})");
            }
            let _ = write!(s, " to {}", grantee.to_statement_text());
            if let Some(ExpiryDays(d)) = expires {
                let _ = write!(s, " with exp {d}");
            }
            s.push(';');
            s
        }
        Item::Policy { slot, .. } => put_policy(slot),
        Item::TenantUser(p) => format!("add tenant user {};", p.to_statement_text()),
        Item::TenantRole(r) => format!("create tenant role {r};"),
        Item::TenantRoleGrant { role, principal } => format!(
            "grant tenant role {role} to user {};",
            principal.to_statement_text()
        ),
        Item::TenantRoleInProject(r) => format!("add tenant role {r} to project {{project}};"),
        Item::Group { group, comment } => {
            let mut s = format!("add {}group {}", tenant_word(group), group.name);
            if let Some(c) = comment {
                let _ = write!(
                    s,
                    " comment {}",
                    mcauth_syntax::ast::StringLit::new(c.as_str())
                );
            }
            s.push(';');
            s
        }
        Item::ProjectProperty { key, value } => {
            format!("setproject {};", property_text(key, value))
        }
        Item::RowAccessPolicy { .. } | Item::MaskingPolicy { .. } | Item::MaskingBinding(_) => {
            sql_access::add_statement(item)
        }
    }
}

/// `tenant ` before a tenant group's `group`.
fn tenant_word(group: &Group) -> &'static str {
    if group.tenant { "tenant " } else { "" }
}

/// `key=value` as `setproject` reads it back: a value with a space (or
/// one in double quotes itself) between double quotes, which `setproject`
/// takes off; an empty one as the bare key.
fn property_text(key: &str, value: &str) -> String {
    if value.is_empty() {
        key.to_owned()
    } else if value.contains(char::is_whitespace)
        || (value.len() > 1 && value.starts_with('"') && value.ends_with('"'))
    {
        format!("{key}=\"{value}\"")
    } else {
        format!("{key}={value}")
    }
}

/// The empty policy file whose `put` clears a policy.
pub const CLEARED_POLICY: &str = "policies/none.json";

fn put_policy(slot: &PolicySlot) -> String {
    put_policy_file(slot, &policy_file(slot))
}

fn put_policy_file(slot: &PolicySlot, file: &str) -> String {
    match slot {
        PolicySlot::Project => format!("put policy {file};"),
        PolicySlot::Security => format!("put security policy {file};"),
        PolicySlot::Role(r) => format!("put policy {file} on role {r};"),
        PolicySlot::TenantRole(r) => format!("put policy {file} on tenant role {r};"),
        PolicySlot::ProtectionException => {
            format!("set ProjectProtection=true with exception {file};")
        }
        // Not policies: `items` never lists them.
        PolicySlot::ConfigurationExtras | PolicySlot::MemberComment(_) => String::new(),
    }
}

/// The statement that takes the fact away, if one can.
pub fn remove_statement(item: &Item) -> Option<String> {
    Some(match item {
        Item::Provider(p) => format!(
            "remove accountprovider {};",
            p.as_str().to_ascii_lowercase()
        ),
        Item::Member(p) => format!("remove user {};", p.to_statement_text()),
        Item::Role { role, .. } => format!("drop role {role};"),
        Item::RoleGrant { role, principal } => {
            format!("revoke {role} from {};", principal.to_statement_text())
        }
        Item::Grant { .. } => revoke_statement(std::slice::from_ref(item)),
        // A flag is never removed, only set (a change).
        Item::Flag(..) => return None,
        Item::TrustedProject(p) => format!("remove trustedproject {p};"),
        Item::Package(p) => format!("drop package {p};"),
        Item::PackageObject {
            package, object, ..
        } => format!(
            "remove {} {} from package {package};",
            object.kind.keyword(),
            object.name
        ),
        Item::PackageAllow {
            package, project, ..
        } => format!("disallow project {project} to install package {package};"),
        Item::Install(p) => format!("uninstall package {p};"),
        // MaxCompute has no statement that takes a label off.
        Item::ObjectLabel(..) | Item::UserLabel(..) => return None,
        Item::LabelGrant {
            grantee, object, ..
        } => {
            let mut s = format!("revoke label on table {}", table_name(object));
            if let Some(c) = &object.column {
                let _ = write!(s, " ({c})");
            }
            let _ = write!(s, " from {};", grantee.to_statement_text());
            s
        }
        // The flag set again without one clears the exception policy (the
        // flag itself stays on: `mcauth plan` leaves this step out when
        // the file turns protection off, which clears it too).
        Item::Policy {
            slot: PolicySlot::ProtectionException,
            ..
        } => "set ProjectProtection=true;".to_owned(),
        // An empty document clears a policy.
        Item::Policy { slot, .. } => put_policy_file(slot, CLEARED_POLICY),
        Item::TenantUser(p) => format!("remove tenant user {};", p.to_statement_text()),
        Item::TenantRole(r) => format!("drop tenant role {r};"),
        Item::TenantRoleGrant { role, principal } => format!(
            "revoke tenant role {role} from user {};",
            principal.to_statement_text()
        ),
        Item::TenantRoleInProject(r) => {
            format!("remove tenant role {r} from project {{project}};")
        }
        Item::Group { group, .. } => {
            format!("remove {}group {};", tenant_word(group), group.name)
        }
        // MaxCompute has no statement that unsets a project property.
        Item::ProjectProperty { .. } => return None,
        Item::RowAccessPolicy { .. } | Item::MaskingPolicy { .. } | Item::MaskingBinding(_) => {
            return sql_access::remove_statement(item);
        }
    })
}

/// One `grant` for grant items that share grantee, object, kind and
/// properties: their privileges in the order given.
pub fn grant_statement(items: &[Item]) -> String {
    let Some(Item::Grant {
        grantee,
        object,
        kind,
        conditions,
        expires,
        ..
    }) = items.first()
    else {
        return String::new();
    };
    let privileges = privilege_list(items);
    let mut props: Vec<(&str, String)> = Vec::new();
    if let GrantKind::Policy { allow } = kind {
        props.push(("policy", "true".into()));
        props.push(("allow", allow.to_string()));
    }
    if let Some(c) = conditions {
        props.push(("conditions", c.clone()));
    }
    if let Some(ExpiryDays(d)) = expires {
        props.push(("expires", d.to_string()));
    }
    let mut s = format!(
        "grant {privileges} on {} to {}",
        object_text(object),
        grantee_text(grantee)
    );
    if !props.is_empty() {
        let list: Vec<String> = props
            .iter()
            .map(|(k, v)| format!("\"{k}\"=\"{}\"", escape(v)))
            .collect();
        let _ = write!(s, " privilegeproperties({})", list.join(", "));
    }
    s.push(';');
    s
}

/// One `revoke` for grant items that share grantee, object and kind.
pub fn revoke_statement(items: &[Item]) -> String {
    let Some(Item::Grant {
        grantee,
        object,
        kind,
        ..
    }) = items.first()
    else {
        return String::new();
    };
    let mut s = format!(
        "revoke {} on {} from {}",
        privilege_list(items),
        object_text(object),
        grantee_text(grantee)
    );
    if let GrantKind::Policy { allow } = kind {
        let _ = write!(
            s,
            " privilegeproperties(\"policy\"=\"true\", \"allow\"=\"{allow}\")"
        );
    }
    s.push(';');
    s
}

fn privilege_list(items: &[Item]) -> String {
    let names: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Grant { privilege, .. } => Some(privilege.as_str()),
            _ => None,
        })
        .collect();
    names.join(", ")
}

/// The object as a grant names it. A table in a schema (`schema.table`)
/// is named with its project, `{project}.schema.table`, which the caller
/// fills in: `schema.table` alone would read as `project.table`.
fn object_text(object: &ObjectRef) -> String {
    if object.kind == ObjectKind::Project {
        format!("project {}", object.name)
    } else if object.kind == ObjectKind::Table && object.name.contains('.') {
        let mut o = object.clone();
        o.name = format!("{{project}}.{}", object.name);
        o.to_statement_text()
    } else {
        object.to_statement_text()
    }
}

/// A table's name as a label statement names it: in a schema, with its
/// project (see [`object_text`]).
fn table_name(object: &ObjectRef) -> String {
    table_text(&object.name)
}

/// A table's normalised name as a statement names it: in a schema
/// (`schema.table`), with its project, `{project}.schema.table`.
fn table_text(name: &str) -> String {
    if name.contains('.') {
        format!("{{project}}.{name}")
    } else {
        name.to_owned()
    }
}

/// `user X` for users, so that a principal never reads as a role name.
fn grantee_text(grantee: &GranteeId) -> String {
    match grantee {
        GranteeId::User(p) => format!("user {}", p.to_statement_text()),
        other => other.to_statement_text(),
    }
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Whether two grant items can share one statement.
pub fn same_statement(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (
            Item::Grant {
                grantee: g1,
                object: o1,
                kind: k1,
                conditions: c1,
                expires: e1,
                ..
            },
            Item::Grant {
                grantee: g2,
                object: o2,
                kind: k2,
                conditions: c2,
                expires: e2,
                ..
            },
        ) => g1 == g2 && o1 == o2 && k1 == k2 && c1 == c2 && e1 == e2,
        _ => false,
    }
}

/// The statements that recreate `items`, in dependency order, grants of
/// one grantee and object gathered into one statement. `{project}` in a
/// statement stands for the project's name.
pub fn statements(items: &[Item], project: &str) -> Vec<String> {
    let mut ordered: Vec<&Item> = items.iter().collect();
    ordered.sort_by_key(|i| (add_phase(i), *i));
    let mut out = Vec::new();
    let mut i = 0;
    while i < ordered.len() {
        if matches!(ordered[i], Item::Grant { .. }) {
            let mut group = vec![ordered[i].clone()];
            let mut j = i + 1;
            while j < ordered.len() && same_statement(ordered[i], ordered[j]) {
                group.push(ordered[j].clone());
                j += 1;
            }
            out.push(grant_statement(&group).replace("{project}", project));
            i = j;
        } else {
            out.push(add_statement(ordered[i]).replace("{project}", project));
            i += 1;
        }
    }
    out
}

/// The order facts are added in: what a fact depends on comes first.
pub fn add_phase(item: &Item) -> u8 {
    match item {
        Item::Provider(_) => 0,
        Item::Member(_) | Item::TenantUser(_) => 1,
        Item::Role { .. } | Item::TenantRole(_) | Item::Package(_) => 2,
        Item::RoleGrant { .. } | Item::TenantRoleGrant { .. } | Item::TenantRoleInProject(_) => 3,
        Item::Grant { .. } => 4,
        Item::PackageObject { .. } | Item::PackageAllow { .. } | Item::Install(_) => 5,
        Item::ObjectLabel(..) | Item::UserLabel(..) | Item::LabelGrant { .. } => 6,
        Item::TrustedProject(_) => 7,
        // Setting ProjectProtection without one clears the exception
        // policy, so it comes after the flags.
        Item::Policy {
            slot: PolicySlot::ProtectionException,
            ..
        } => 10,
        Item::Policy { .. } => 8,
        Item::Flag(..) | Item::ProjectProperty { .. } => 9,
        // A masking policy before the columns it is bound to.
        Item::RowAccessPolicy { .. } | Item::MaskingPolicy { .. } => 10,
        Item::MaskingBinding(_) => 11,
        Item::Group { .. } => 1,
    }
}

/// An exported project: the script, and the policy documents its `put`
/// statements name (path relative to the script, text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The script.
    pub script: String,
    /// The policy documents, by path relative to the script.
    pub documents: BTreeMap<String, String>,
}

/// Renders a project's whole state as a canonical mcauth script: a header,
/// one section per kind, and the retained grants as comments (no
/// statement recreates them: they come back when the principal does).
/// Kinds the view does not hold are named in the header, not written as
/// empty.
pub fn export(view: &(impl StateView + ?Sized), now: Option<i64>) -> Export {
    let project = view.project();
    let unknown = unknown_kinds(view, &Kind::ALL);
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| !unknown.contains(k))
        .collect();
    let items = items(view, &kinds, now);
    let mut script = String::new();
    let _ = writeln!(script, "-- mcauth export of project {project}");
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let _ = writeln!(script, "-- mcauth: manage {}", names.join(", "));
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
        let _ = writeln!(
            script,
            "-- not read from the service, so not exported: {}",
            names.join(", ")
        );
    }
    let mut documents = BTreeMap::new();
    for statement in statements(&items, project) {
        let _ = writeln!(script, "{statement}");
    }
    for item in &items {
        if let Item::Policy { slot, document } = item {
            documents.insert(policy_file(slot), document.clone());
        }
    }
    let residues = view.residues();
    if !residues.is_empty() {
        let _ = writeln!(script, "\n-- p4_ residues (cannot be removed):");
        for r in residues {
            let _ = writeln!(script, "-- {r}");
        }
    }
    let retained = retained(view, now);
    if !retained.is_empty() {
        let _ = writeln!(
            script,
            "\n-- retained grants of removed users and dropped roles (they return with the principal; purge privs clears them):"
        );
        for statement in statements(&retained, project) {
            let _ = writeln!(script, "-- {statement}");
        }
    }
    Export { script, documents }
}
