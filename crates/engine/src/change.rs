//! Primitive mutations and [`apply`].
//!
//! A statement that passes its checks yields a list of [`Change`]s; the
//! store persists them and replays them with [`apply`]. `apply` is total
//! and deterministic: it never fails or panics, whatever the state, and a
//! change that no longer makes sense (say, removing a member that is not
//! there) leaves the state as it is.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::{ObjectRef, Privilege};
use crate::state::{
    Expiry, Flag, GrantKey, GrantKind, GrantProps, Group, LabelGrant, MaskingBinding,
    MaskingPolicy, Package, PolicySlot, ProjectState, RoleInfo, RoleScope, RoleType,
    RowAccessPolicy,
};
use crate::view::StateView;

/// One primitive mutation of a project's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Enables an account provider (`add accountprovider`).
    AddProvider {
        /// The provider enabled.
        provider: Provider,
    },
    /// Disables an account provider (`remove accountprovider`).
    RemoveProvider {
        /// The provider disabled.
        provider: Provider,
    },
    /// Makes a principal a member of the project (`add user`).
    AddMember {
        /// The new member.
        principal: PrincipalId,
    },
    /// Removes a member (`remove user`).
    RemoveMember {
        /// The member removed.
        principal: PrincipalId,
    },
    /// A `p4_…` residue holding roles (what MaxCompute leaves when a RAM
    /// user is deleted while it still holds roles). Never produced by the
    /// local rules, which refuse to remove a user holding roles; it exists
    /// so that a remote backend can mirror residues it observes.
    AddResidue {
        /// The residue's principal, as `list users` shows it.
        principal: PrincipalId,
        /// The roles the residue still holds.
        #[serde(default)]
        roles: Vec<RoleName>,
    },
    /// Creates a project role (`create role`).
    CreateRole {
        /// The new role.
        role: RoleName,
        /// Its type (resource or admin).
        role_type: RoleType,
        /// The comment given with the role, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Removes the role and any assignment of it; its grants stay, dormant.
    DropRole {
        /// The role dropped.
        role: RoleName,
    },
    /// Assigns a role to a member (`grant role to`).
    GrantRole {
        /// The role assigned.
        role: RoleName,
        /// The member who receives it.
        principal: PrincipalId,
    },
    /// Takes a role away from a member (`revoke role from`).
    RevokeRole {
        /// The role taken away.
        role: RoleName,
        /// The member who loses it.
        principal: PrincipalId,
    },
    /// Adds a grant, or replaces the properties of an existing one (which
    /// keeps its place in grant order).
    AddAclGrant {
        /// The user or role that receives the grant.
        grantee: GranteeId,
        /// What is granted: privilege, object and kind (ACL or policy).
        grant: GrantKey,
        /// Its conditions and expiry.
        #[serde(default)]
        props: GrantProps,
    },
    /// Removes one grant (`revoke … from`).
    RemoveAclGrant {
        /// The user or role that loses the grant.
        grantee: GranteeId,
        /// The grant removed.
        grant: GrantKey,
    },
    /// Clears every ACL, policy and label grant of a grantee.
    PurgeGrants {
        /// The user or role whose grants are cleared.
        grantee: GranteeId,
    },
    /// Turns a security flag on or off (`set CheckPermissionUsingACL=true`
    /// and the like).
    SetFlag {
        /// The flag set.
        flag: Flag,
        /// Its new value.
        value: bool,
    },
    /// Trusts another project (`add trustedproject`).
    AddTrustedProject {
        /// The project trusted.
        project: String,
    },
    /// Stops trusting a project (`remove trustedproject`).
    RemoveTrustedProject {
        /// The project no longer trusted.
        project: String,
    },
    /// Creates a package in this project (`create package`).
    CreatePackage {
        /// The package's name.
        package: String,
    },
    /// Drops a package of this project (`drop package`).
    DropPackage {
        /// The package's name.
        package: String,
    },
    /// Shares an object through a package (`add table t to package p`).
    AddPackageObject {
        /// The package.
        package: String,
        /// The object shared.
        object: ObjectRef,
        /// The privileges the package grants on it.
        #[serde(default)]
        privileges: Vec<Privilege>,
    },
    /// Takes an object out of a package (`remove table t from package p`).
    RemovePackageObject {
        /// The package.
        package: String,
        /// The object taken out.
        object: ObjectRef,
    },
    /// `project` is `*` for every project.
    AllowPackageInstall {
        /// The package that may be installed.
        package: String,
        /// The project allowed to install it.
        project: String,
        /// The label the allowance gives installers, if any (`using label`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// The privileges the allowance narrows the package to; empty for all.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        privileges: Vec<Privilege>,
        /// When the allowance ends, if ever.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Expiry>,
    },
    /// Withdraws an allowance to install (`disallow project … to install
    /// package …`).
    DisallowPackageInstall {
        /// The package.
        package: String,
        /// The project no longer allowed to install it.
        project: String,
    },
    /// Installs another project's package here (`install package`).
    InstallPackage {
        /// The package, as `project.package`.
        package: String,
    },
    /// Uninstalls a package installed here (`uninstall package`).
    UninstallPackage {
        /// The package, as `project.package`.
        package: String,
    },
    /// Sets the sensitivity label of a table or column (`set label`).
    SetObjectLabel {
        /// The table or column.
        object: ObjectRef,
        /// The label's level.
        level: String,
    },
    /// Sets a user's clearance label (`set label … to user`).
    SetUserLabel {
        /// The user.
        principal: PrincipalId,
        /// The label's level.
        level: String,
    },
    /// Grants access to labelled data above a user's clearance (`grant label`).
    AddLabelGrant {
        /// The user or role that receives the grant.
        grantee: GranteeId,
        /// The table it covers.
        object: ObjectRef,
        /// The level and expiry of the grant.
        grant: LabelGrant,
    },
    /// Revokes a label grant (`revoke label`).
    RemoveLabelGrant {
        /// The user or role that loses the grant.
        grantee: GranteeId,
        /// The table it covered.
        object: ObjectRef,
    },
    /// Adds a user to the tenant (`add tenant user`).
    AddTenantUser {
        /// The user added.
        principal: PrincipalId,
    },
    /// Removes a user from the tenant (`remove tenant user`).
    RemoveTenantUser {
        /// The user removed.
        principal: PrincipalId,
    },
    /// Creates a tenant role (`create tenant role`).
    CreateTenantRole {
        /// The new role.
        role: RoleName,
    },
    /// Drops a tenant role (`drop tenant role`).
    DropTenantRole {
        /// The role dropped.
        role: RoleName,
    },
    /// Assigns a tenant role to a tenant user (`grant tenant role`).
    GrantTenantRole {
        /// The tenant role assigned.
        role: RoleName,
        /// The user who receives it.
        principal: PrincipalId,
    },
    /// Takes a tenant role away from a tenant user (`revoke tenant role`).
    RevokeTenantRole {
        /// The tenant role taken away.
        role: RoleName,
        /// The user who loses it.
        principal: PrincipalId,
    },
    /// Makes a tenant role count in this project (`add tenant role to project`).
    AddTenantRoleToProject {
        /// The tenant role.
        role: RoleName,
    },
    /// Stops a tenant role counting in this project (`remove tenant role from project`).
    RemoveTenantRoleFromProject {
        /// The tenant role.
        role: RoleName,
    },
    /// Stores a document in a slot (replacing any before it); an empty
    /// one clears the slot.
    PutPolicy {
        /// The slot written: the project's, its security policy or a role's.
        slot: PolicySlot,
        /// The document's text, byte for byte as it was put.
        document: String,
    },
    /// Creates a user group (`add group`, `add tenant group`).
    AddGroup {
        /// The group created.
        group: Group,
        /// The comment given with the group, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Removes a user group (`remove group`).
    RemoveGroup {
        /// The group removed.
        group: Group,
    },
    /// Sets one project property (`setproject key=value`).
    SetProjectProperty {
        /// The property's name.
        key: String,
        /// Its new value.
        value: String,
    },
    /// Creates a row access policy, or replaces the one of that name.
    PutRowAccessPolicy {
        /// The table the policy filters.
        table: String,
        /// The policy's name.
        policy: String,
        /// The filter and whom it applies to.
        rule: RowAccessPolicy,
    },
    /// Drops a row access policy (`drop row access policy`).
    DropRowAccessPolicy {
        /// The table it filtered.
        table: String,
        /// The policy's name.
        policy: String,
    },
    /// Creates a data masking policy, or replaces the one of that name.
    PutMaskingPolicy {
        /// The policy's name.
        policy: String,
        /// The masking function and whom it applies to.
        rule: MaskingPolicy,
    },
    /// Drops a masking policy and every binding of it.
    DropMaskingPolicy {
        /// The policy's name.
        policy: String,
    },
    /// Applies a masking policy to a column (`apply data masking policy`).
    BindMaskingPolicy {
        /// The policy and the column.
        binding: MaskingBinding,
    },
    /// Takes a masking policy off a column (`unapply data masking policy`).
    UnbindMaskingPolicy {
        /// The policy and the column.
        binding: MaskingBinding,
    },
}

impl fmt::Display for Change {
    /// A short description for `--dry-run`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)
    }
}

/// Writes each piece in turn (cheaper than `write!` for plain strings).
macro_rules! put {
    ($w:expr, $($piece:expr),+ $(,)?) => {{
        $($w.write_str($piece)?;)+
        Ok(())
    }};
}

impl Change {
    /// Writes the [`Display`](fmt::Display) text into any writer; the
    /// plan renders straight into its buffer with it.
    pub(crate) fn describe<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Change::AddProvider { provider } => {
                put!(w, "add account provider ", provider.as_str())
            }
            Change::RemoveProvider { provider } => {
                put!(w, "remove account provider ", provider.as_str())
            }
            Change::AddMember { principal } => put!(w, "add member ", principal.as_str()),
            Change::RemoveMember { principal } => put!(w, "remove member ", principal.as_str()),
            Change::AddResidue { principal, .. } => put!(w, "add residue ", principal.as_str()),
            Change::CreateRole {
                role, role_type, ..
            } => put!(w, "create ", role_type.as_str(), " role ", role.as_str()),
            Change::DropRole { role } => put!(w, "drop role ", role.as_str()),
            Change::GrantRole { role, principal } => {
                put!(w, "grant role ", role.as_str(), " to ", principal.as_str())
            }
            Change::RevokeRole { role, principal } => {
                put!(
                    w,
                    "revoke role ",
                    role.as_str(),
                    " from ",
                    principal.as_str()
                )
            }
            Change::AddAclGrant { grantee, grant, .. } => {
                let kind = match grant.kind {
                    GrantKind::Acl => "ACL",
                    GrantKind::Policy { allow: true } => "policy allow",
                    GrantKind::Policy { allow: false } => "policy deny",
                };
                put!(w, kind, " grant ", grant.privilege.as_str(), " on ")?;
                grant.object.write_statement_text(w)?;
                w.write_str(" to ")?;
                grantee.write_display(w)
            }
            Change::RemoveAclGrant { grantee, grant } => {
                put!(w, "remove grant ", grant.privilege.as_str(), " on ")?;
                grant.object.write_statement_text(w)?;
                w.write_str(" from ")?;
                grantee.write_display(w)
            }
            Change::PurgeGrants { grantee } => {
                w.write_str("purge the grants of ")?;
                grantee.write_display(w)
            }
            Change::SetFlag { flag, value } => put!(
                w,
                "set ",
                flag.name(),
                "=",
                if *value { "true" } else { "false" }
            ),
            Change::AddTrustedProject { project } => put!(w, "trust project ", project),
            Change::RemoveTrustedProject { project } => put!(w, "untrust project ", project),
            Change::CreatePackage { package } => put!(w, "create package ", package),
            Change::DropPackage { package } => put!(w, "drop package ", package),
            Change::AddPackageObject {
                package, object, ..
            } => {
                w.write_str("add ")?;
                object.write_statement_text(w)?;
                put!(w, " to package ", package)
            }
            Change::RemovePackageObject { package, object } => {
                w.write_str("remove ")?;
                object.write_statement_text(w)?;
                put!(w, " from package ", package)
            }
            Change::AllowPackageInstall {
                package, project, ..
            } => put!(
                w,
                "allow project ",
                project,
                " to install package ",
                package
            ),
            Change::DisallowPackageInstall { package, project } => put!(
                w,
                "disallow project ",
                project,
                " to install package ",
                package
            ),
            Change::InstallPackage { package } => put!(w, "install package ", package),
            Change::UninstallPackage { package } => put!(w, "uninstall package ", package),
            Change::SetObjectLabel { object, level } => {
                put!(w, "set label ", level, " on ")?;
                object.write_statement_text(w)
            }
            Change::SetUserLabel { principal, level } => {
                put!(w, "set label ", level, " on user ", principal.as_str())
            }
            Change::AddLabelGrant {
                grantee,
                object,
                grant,
            } => {
                put!(w, "grant label ", &grant.level, " on ")?;
                object.write_statement_text(w)?;
                w.write_str(" to ")?;
                grantee.write_display(w)
            }
            Change::RemoveLabelGrant { grantee, object } => {
                w.write_str("revoke label on ")?;
                object.write_statement_text(w)?;
                w.write_str(" from ")?;
                grantee.write_display(w)
            }
            Change::AddTenantUser { principal } => {
                put!(w, "add tenant user ", principal.as_str())
            }
            Change::RemoveTenantUser { principal } => {
                put!(w, "remove tenant user ", principal.as_str())
            }
            Change::CreateTenantRole { role } => put!(w, "create tenant role ", role.as_str()),
            Change::DropTenantRole { role } => put!(w, "drop tenant role ", role.as_str()),
            Change::GrantTenantRole { role, principal } => put!(
                w,
                "grant tenant role ",
                role.as_str(),
                " to ",
                principal.as_str()
            ),
            Change::RevokeTenantRole { role, principal } => put!(
                w,
                "revoke tenant role ",
                role.as_str(),
                " from ",
                principal.as_str()
            ),
            Change::AddTenantRoleToProject { role } => {
                put!(w, "add tenant role ", role.as_str(), " to the project")
            }
            Change::RemoveTenantRoleFromProject { role } => {
                put!(w, "remove tenant role ", role.as_str(), " from the project")
            }
            Change::PutPolicy { slot, document } => {
                write!(w, "store {slot} ({} bytes)", document.len())
            }
            Change::AddGroup { group, .. } => {
                let t = if group.tenant { "tenant " } else { "" };
                put!(w, "add ", t, "group ", &group.name)
            }
            Change::RemoveGroup { group } => {
                let t = if group.tenant { "tenant " } else { "" };
                put!(w, "remove ", t, "group ", &group.name)
            }
            Change::SetProjectProperty { key, value } => {
                put!(w, "set project property ", key, "=", value)
            }
            Change::PutRowAccessPolicy { table, policy, .. } => {
                put!(w, "put row access policy ", policy, " on table ", table)
            }
            Change::DropRowAccessPolicy { table, policy } => {
                put!(w, "drop row access policy ", policy, " on table ", table)
            }
            Change::PutMaskingPolicy { policy, .. } => {
                put!(w, "put data masking policy ", policy)
            }
            Change::DropMaskingPolicy { policy } => put!(w, "drop data masking policy ", policy),
            Change::BindMaskingPolicy { binding } => put!(
                w,
                "bind data masking policy ",
                &binding.policy,
                " to table ",
                &binding.table,
                " column ",
                &binding.column
            ),
            Change::UnbindMaskingPolicy { binding } => put!(
                w,
                "unbind data masking policy ",
                &binding.policy,
                " from table ",
                &binding.table,
                " column ",
                &binding.column
            ),
        }
    }
}

/// The grants of one grantee as a mutable map: key → (properties, seq).
pub(crate) type GrantMap = std::collections::BTreeMap<GrantKey, (GrantProps, u64)>;

/// Primitive writes, implemented by [`ProjectState`] and by the overlay,
/// so that [`apply_to`] gives both exactly the same semantics.
pub(crate) trait StateMut: StateView {
    fn set_provider(&mut self, provider: Provider, on: bool);
    fn set_member(&mut self, principal: &PrincipalId, on: bool);
    fn set_residue(&mut self, principal: &PrincipalId, on: bool);
    fn set_role(&mut self, scope: RoleScope, role: &RoleName, info: Option<RoleInfo>);
    fn set_assignment(&mut self, scope: RoleScope, role: &RoleName, who: &PrincipalId, on: bool);
    /// Edits the grants of one grantee (created empty if it has none).
    fn edit_grants(&mut self, grantee: &GranteeId, edit: &mut dyn FnMut(&mut GrantMap));
    fn take_grant_seq(&mut self) -> u64;
    fn set_flag(&mut self, flag: Flag, value: bool);
    fn set_trusted(&mut self, project: &str, on: bool);
    fn set_package(&mut self, name: &str, package: Option<Package>);
    /// Edits a package in place, if it exists.
    fn edit_package(&mut self, name: &str, edit: &mut dyn FnMut(&mut Package));
    fn set_installed(&mut self, package: &str, on: bool);
    fn set_object_label(&mut self, object: &ObjectRef, level: Option<String>);
    fn set_user_label(&mut self, principal: &PrincipalId, level: Option<String>);
    fn set_label_grant(&mut self, grantee: &GranteeId, object: &ObjectRef, g: Option<LabelGrant>);
    fn set_tenant_user(&mut self, principal: &PrincipalId, on: bool);
    fn set_tenant_in_project(&mut self, role: &RoleName, on: bool);
    fn set_policy(&mut self, slot: &PolicySlot, document: Option<String>);
    /// Adds a group with its comment (`Some`) or removes it (`None`).
    fn set_group(&mut self, group: &Group, comment: Option<Option<String>>);
    fn set_project_property(&mut self, key: &str, value: Option<String>);
    fn set_row_access_policy(&mut self, table: &str, policy: &str, rule: Option<RowAccessPolicy>);
    fn set_masking_policy(&mut self, policy: &str, rule: Option<MaskingPolicy>);
    fn set_masking_binding(&mut self, binding: &MaskingBinding, on: bool);
}

/// Applies one change to a project. Total and deterministic.
pub fn apply(state: &mut ProjectState, change: &Change) {
    apply_to(state, change);
}

pub(crate) fn apply_to<M: StateMut + ?Sized>(m: &mut M, change: &Change) {
    match change {
        Change::AddProvider { provider } => m.set_provider(*provider, true),
        Change::RemoveProvider { provider } => m.set_provider(*provider, false),
        Change::AddMember { principal } => {
            if m.is_residue(principal) {
                m.set_residue(principal, false);
            }
            m.set_member(principal, true);
        }
        Change::RemoveMember { principal } => {
            m.set_member(principal, false);
            let comment = PolicySlot::MemberComment(principal.clone());
            if m.policy(&comment).is_some() {
                m.set_policy(&comment, None);
            }
        }
        Change::AddResidue { principal, roles } => {
            if m.is_member(principal) {
                m.set_member(principal, false);
            }
            m.set_residue(principal, true);
            for role in roles {
                m.set_assignment(RoleScope::Project, role, principal, true);
            }
        }
        Change::CreateRole {
            role,
            role_type,
            comment,
        } => {
            if m.role(role).is_none() {
                m.set_role(
                    RoleScope::Project,
                    role,
                    Some(RoleInfo {
                        role_type: *role_type,
                        builtin: false,
                        comment: comment.clone(),
                    }),
                );
            }
        }
        Change::DropRole { role } => drop_role(m, RoleScope::Project, role),
        Change::GrantRole { role, principal } => {
            m.set_assignment(RoleScope::Project, role, principal, true);
        }
        Change::RevokeRole { role, principal } => {
            m.set_assignment(RoleScope::Project, role, principal, false);
        }
        Change::AddAclGrant {
            grantee,
            grant,
            props,
        } => {
            let seq = match m.grant_seq(grantee, grant) {
                Some(seq) => seq,
                None => m.take_grant_seq(),
            };
            m.edit_grants(grantee, &mut |g| {
                g.insert(grant.clone(), (props.clone(), seq));
            });
        }
        Change::RemoveAclGrant { grantee, grant } => {
            if m.grant_seq(grantee, grant).is_some() {
                m.edit_grants(grantee, &mut |g| {
                    g.remove(grant);
                });
            }
        }
        Change::PurgeGrants { grantee } => {
            if m.has_grants(grantee) {
                m.edit_grants(grantee, &mut |g| g.clear());
            }
            let held: Vec<(GranteeId, ObjectRef)> = m
                .label_grants()
                .into_iter()
                .filter(|(g, _, _)| *g == grantee)
                .map(|(g, o, _)| (g.clone(), o.clone()))
                .collect();
            for (g, o) in held {
                m.set_label_grant(&g, &o, None);
            }
        }
        Change::SetFlag { flag, value } => m.set_flag(*flag, *value),
        Change::AddTrustedProject { project } => m.set_trusted(project, true),
        Change::RemoveTrustedProject { project } => m.set_trusted(project, false),
        Change::CreatePackage { package } => {
            if !m.has_package(package) {
                m.set_package(package, Some(Package::default()));
            }
        }
        Change::DropPackage { package } => m.set_package(package, None),
        Change::AddPackageObject {
            package,
            object,
            privileges,
        } => {
            m.edit_package(package, &mut |p| {
                p.objects.insert(object.clone(), privileges.clone());
            });
        }
        Change::RemovePackageObject { package, object } => {
            m.edit_package(package, &mut |p| {
                p.objects.remove(object);
            });
        }
        Change::AllowPackageInstall {
            package,
            project,
            label,
            privileges,
            until,
        } => {
            m.edit_package(package, &mut |p| {
                p.allowed.insert(project.clone(), label.clone());
                if privileges.is_empty() {
                    p.allowed_privileges.remove(project);
                } else {
                    p.allowed_privileges
                        .insert(project.clone(), privileges.clone());
                }
                match until {
                    Some(e) => p.allowed_until.insert(project.clone(), *e),
                    None => p.allowed_until.remove(project),
                };
            });
        }
        Change::DisallowPackageInstall { package, project } => {
            m.edit_package(package, &mut |p| {
                p.allowed.remove(project);
                p.allowed_privileges.remove(project);
                p.allowed_until.remove(project);
            });
        }
        Change::InstallPackage { package } => m.set_installed(package, true),
        Change::UninstallPackage { package } => m.set_installed(package, false),
        Change::SetObjectLabel { object, level } => {
            m.set_object_label(object, Some(level.clone()));
        }
        Change::SetUserLabel { principal, level } => {
            m.set_user_label(principal, Some(level.clone()));
        }
        Change::AddLabelGrant {
            grantee,
            object,
            grant,
        } => m.set_label_grant(grantee, object, Some(grant.clone())),
        Change::RemoveLabelGrant { grantee, object } => m.set_label_grant(grantee, object, None),
        Change::AddTenantUser { principal } => m.set_tenant_user(principal, true),
        Change::RemoveTenantUser { principal } => m.set_tenant_user(principal, false),
        Change::CreateTenantRole { role } => {
            if m.tenant_role(role).is_none() {
                let info = RoleInfo::custom(RoleType::Resource);
                m.set_role(RoleScope::Tenant, role, Some(info));
            }
        }
        Change::DropTenantRole { role } => {
            if m.tenant_role(role).is_some_and(|r| !r.builtin) {
                m.set_tenant_in_project(role, false);
            }
            drop_role(m, RoleScope::Tenant, role);
        }
        Change::GrantTenantRole { role, principal } => {
            m.set_assignment(RoleScope::Tenant, role, principal, true);
        }
        Change::RevokeTenantRole { role, principal } => {
            m.set_assignment(RoleScope::Tenant, role, principal, false);
        }
        Change::AddTenantRoleToProject { role } => m.set_tenant_in_project(role, true),
        Change::RemoveTenantRoleFromProject { role } => m.set_tenant_in_project(role, false),
        // An empty document clears the slot, as an empty PUT does in
        // MaxCompute.
        Change::PutPolicy { slot, document } => m.set_policy(
            slot,
            Some(document.clone()).filter(|d| !d.trim().is_empty()),
        ),
        Change::AddGroup { group, comment } => m.set_group(group, Some(comment.clone())),
        Change::RemoveGroup { group } => m.set_group(group, None),
        Change::SetProjectProperty { key, value } => {
            m.set_project_property(key, Some(value.clone()));
        }
        Change::PutRowAccessPolicy {
            table,
            policy,
            rule,
        } => m.set_row_access_policy(table, policy, Some(rule.clone())),
        Change::DropRowAccessPolicy { table, policy } => {
            m.set_row_access_policy(table, policy, None);
        }
        Change::PutMaskingPolicy { policy, rule } => {
            m.set_masking_policy(policy, Some(rule.clone()));
        }
        Change::DropMaskingPolicy { policy } => {
            let bound: Vec<MaskingBinding> = m
                .masking_bindings()
                .into_iter()
                .filter(|b| &b.policy == policy)
                .cloned()
                .collect();
            for b in bound {
                m.set_masking_binding(&b, false);
            }
            m.set_masking_policy(policy, None);
        }
        Change::BindMaskingPolicy { binding } => {
            if m.masking_policy(&binding.policy).is_some() {
                m.set_masking_binding(binding, true);
            }
        }
        Change::UnbindMaskingPolicy { binding } => m.set_masking_binding(binding, false),
    }
}

/// Drops a custom role of one scope: nobody holds it any more and its
/// policy goes with it; its grants stay, dormant. A built-in stays.
fn drop_role<M: StateMut + ?Sized>(m: &mut M, scope: RoleScope, role: &RoleName) {
    if m.role_in(scope, role).is_none_or(|r| r.builtin) {
        return;
    }
    let holders: Vec<PrincipalId> = m.holders(scope, role).iter().cloned().collect();
    for p in &holders {
        m.set_assignment(scope, role, p, false);
    }
    m.set_role(scope, role, None);
    let slot = match scope {
        RoleScope::Project => PolicySlot::Role(role.clone()),
        RoleScope::Tenant => PolicySlot::TenantRole(role.clone()),
    };
    m.set_policy(&slot, None);
}

fn toggle<T: Ord + Clone>(set: &mut std::collections::BTreeSet<T>, item: &T, on: bool) {
    if on {
        set.insert(item.clone());
    } else {
        set.remove(item);
    }
}

impl StateMut for ProjectState {
    fn set_provider(&mut self, provider: Provider, on: bool) {
        toggle(&mut self.providers, &provider, on);
    }

    fn set_member(&mut self, principal: &PrincipalId, on: bool) {
        toggle(&mut self.members, principal, on);
    }

    fn set_residue(&mut self, principal: &PrincipalId, on: bool) {
        toggle(&mut self.residues, principal, on);
    }

    fn set_role(&mut self, scope: RoleScope, role: &RoleName, info: Option<RoleInfo>) {
        let roles = &mut self.space_mut(scope).roles;
        match info {
            Some(info) => {
                roles.insert(role.clone(), info);
            }
            None => {
                roles.remove(role);
            }
        }
    }

    fn set_assignment(&mut self, scope: RoleScope, role: &RoleName, who: &PrincipalId, on: bool) {
        let assignments = &mut self.space_mut(scope).assignments;
        if on {
            assignments.insert(role, who);
        } else {
            assignments.remove(role, who);
        }
    }

    fn edit_grants(&mut self, grantee: &GranteeId, edit: &mut dyn FnMut(&mut GrantMap)) {
        if let Some(set) = self.grants.get_mut(grantee) {
            edit(&mut set.0);
            if set.0.is_empty() {
                self.grants.remove(grantee);
            }
        } else {
            let mut set = GrantMap::new();
            edit(&mut set);
            if !set.is_empty() {
                self.grants
                    .insert(grantee.clone(), crate::state::GrantSet(set));
            }
        }
    }

    fn take_grant_seq(&mut self) -> u64 {
        let seq = self.next_grant_seq;
        self.next_grant_seq = seq.saturating_add(1);
        seq
    }

    fn set_flag(&mut self, flag: Flag, value: bool) {
        self.flags.insert(flag, value);
    }

    fn set_trusted(&mut self, project: &str, on: bool) {
        if on {
            self.trusted_projects.insert(project.to_owned());
        } else {
            self.trusted_projects.remove(project);
        }
    }

    fn edit_package(&mut self, name: &str, edit: &mut dyn FnMut(&mut Package)) {
        if let Some(p) = self.packages.get_mut(name) {
            edit(p);
        }
    }

    fn set_package(&mut self, name: &str, package: Option<Package>) {
        match package {
            Some(p) => {
                self.packages.insert(name.to_owned(), p);
            }
            None => {
                self.packages.remove(name);
            }
        }
    }

    fn set_installed(&mut self, package: &str, on: bool) {
        if on {
            self.installed_packages.insert(package.to_owned());
        } else {
            self.installed_packages.remove(package);
        }
    }

    fn set_object_label(&mut self, object: &ObjectRef, level: Option<String>) {
        match level {
            Some(l) => {
                self.labels.objects.insert(object.clone(), l);
            }
            None => {
                self.labels.objects.remove(object);
            }
        }
    }

    fn set_user_label(&mut self, principal: &PrincipalId, level: Option<String>) {
        match level {
            Some(l) => {
                self.labels.users.insert(principal.clone(), l);
            }
            None => {
                self.labels.users.remove(principal);
            }
        }
    }

    fn set_label_grant(&mut self, grantee: &GranteeId, object: &ObjectRef, g: Option<LabelGrant>) {
        let key = (grantee.clone(), object.clone());
        match g {
            Some(g) => {
                self.labels.grants.insert(key, g);
            }
            None => {
                self.labels.grants.remove(&key);
            }
        }
    }

    fn set_tenant_user(&mut self, principal: &PrincipalId, on: bool) {
        toggle(&mut self.tenant.users, principal, on);
    }

    fn set_tenant_in_project(&mut self, role: &RoleName, on: bool) {
        toggle(&mut self.tenant.in_project, role, on);
    }

    fn set_policy(&mut self, slot: &PolicySlot, document: Option<String>) {
        match document {
            Some(doc) => {
                self.policies.insert(slot.clone(), doc);
            }
            None => {
                self.policies.remove(slot);
            }
        }
    }

    fn set_group(&mut self, group: &Group, comment: Option<Option<String>>) {
        match comment {
            Some(c) => {
                self.groups.insert(group.clone(), c);
            }
            None => {
                self.groups.remove(group);
            }
        }
    }

    fn set_project_property(&mut self, key: &str, value: Option<String>) {
        match value {
            Some(v) => {
                self.properties.insert(key.to_owned(), v);
            }
            None => {
                self.properties.remove(key);
            }
        }
    }

    fn set_row_access_policy(&mut self, table: &str, policy: &str, rule: Option<RowAccessPolicy>) {
        let key = (table.to_owned(), policy.to_owned());
        match rule {
            Some(r) => {
                self.sql_access.row_policies.insert(key, r);
            }
            None => {
                self.sql_access.row_policies.remove(&key);
            }
        }
    }

    fn set_masking_policy(&mut self, policy: &str, rule: Option<MaskingPolicy>) {
        match rule {
            Some(r) => {
                self.sql_access
                    .masking_policies
                    .insert(policy.to_owned(), r);
            }
            None => {
                self.sql_access.masking_policies.remove(policy);
            }
        }
    }

    fn set_masking_binding(&mut self, binding: &MaskingBinding, on: bool) {
        toggle(&mut self.sql_access.masking_bindings, binding, on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privilege::ObjectKind;

    fn state() -> ProjectState {
        ProjectState::new("p", PrincipalId::aliyun("owner"))
    }

    fn select_on_t() -> GrantKey {
        GrantKey {
            object: ObjectRef::new(ObjectKind::Table, "t"),
            privilege: Privilege::Select,
            kind: GrantKind::Acl,
        }
    }

    #[test]
    fn apply_is_total_on_nonsense() {
        let mut s = state();
        let before = s.clone();
        for c in [
            Change::RemoveMember {
                principal: PrincipalId::aliyun("nobody"),
            },
            Change::DropRole {
                role: RoleName::admin(),
            },
            Change::RevokeRole {
                role: RoleName::new("x"),
                principal: PrincipalId::aliyun("y"),
            },
            Change::RemoveAclGrant {
                grantee: GranteeId::Role(RoleName::new("x")),
                grant: select_on_t(),
            },
            Change::DropPackage {
                package: "none".into(),
            },
            Change::AddPackageObject {
                package: "none".into(),
                object: select_on_t().object,
                privileges: vec![],
            },
        ] {
            apply(&mut s, &c);
        }
        assert_eq!(s, before);
    }

    #[test]
    fn regrant_keeps_its_place_and_updates_properties() {
        let mut s = state();
        let g = GranteeId::Role(RoleName::new("r"));
        apply(
            &mut s,
            &Change::AddAclGrant {
                grantee: g.clone(),
                grant: select_on_t(),
                props: GrantProps::default(),
            },
        );
        let props = GrantProps {
            conditions: Some("x".into()),
            expires: None,
        };
        apply(
            &mut s,
            &Change::AddAclGrant {
                grantee: g.clone(),
                grant: select_on_t(),
                props: props.clone(),
            },
        );
        let grants = s.grants_of(&g);
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].seq, 0);
        assert_eq!(grants[0].props, &props);
        assert_eq!(s.next_grant_seq(), 1);
    }

    #[test]
    fn changes_round_trip_through_json() {
        let c = Change::AddAclGrant {
            grantee: GranteeId::User(PrincipalId::ram_user("a", "b")),
            grant: select_on_t(),
            props: GrantProps::default(),
        };
        let json = serde_json::to_string(&c).unwrap();
        let back: Change = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut s = state();
        apply(
            &mut s,
            &Change::AddMember {
                principal: PrincipalId::ram_user("a", "b"),
            },
        );
        apply(
            &mut s,
            &Change::GrantRole {
                role: RoleName::admin(),
                principal: PrincipalId::ram_user("a", "b"),
            },
        );
        apply(
            &mut s,
            &Change::AddAclGrant {
                grantee: GranteeId::User(PrincipalId::ram_user("a", "b")),
                grant: select_on_t(),
                props: GrantProps::default(),
            },
        );
        let json = serde_json::to_string(&s).unwrap();
        let back: ProjectState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert!(back.has_role(&PrincipalId::ram_user("a", "b"), &RoleName::admin()));
    }
}
