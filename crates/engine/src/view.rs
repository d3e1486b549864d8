//! Reading state: the queries the rules need.
//!
//! [`ProjectState`] answers them from memory, [`crate::Overlay`] from a
//! base view plus pending changes, and a remote backend may answer them by
//! reading MaxCompute. Lookups by key should be O(log n) or better and
//! lend what they find (a role, a grantee's grants, who holds a role, a
//! package, a policy); the listings lend too, collected in order, and
//! callers copy only what they keep. The project's roles and the
//! tenant's are one [`RoleScope`] each of the same methods.
//!
//! The trait is infallible: a backend that reads lazily over the network
//! is expected to fetch what a plan needs up front (or to cache and report
//! its own errors out of band), so that planning stays a pure function of
//! what it reads.

use std::collections::BTreeSet;

use crate::change::GrantMap;
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::ObjectRef;
use crate::state::{
    Flag, GrantKey, GrantProps, GrantRef, Group, LabelGrant, MaskingBinding, MaskingPolicy,
    Package, PolicySlot, ProjectState, RoleInfo, RoleScope, RowAccessPolicy,
};

/// Read-only access to one project's authorization state: what every
/// check, report and export reads.
pub trait StateView {
    /// The project's name.
    fn project(&self) -> &str;
    /// The project owner (an `ALIYUN$…` account). Not a member: the owner
    /// is always in the project and is not listed by `list users`.
    fn owner(&self) -> &PrincipalId;

    /// Whether an account provider is enabled.
    fn has_provider(&self, provider: Provider) -> bool;
    /// In `ALIYUN`, `RAM` order.
    fn providers(&self) -> Vec<Provider> {
        Provider::ALL
            .into_iter()
            .filter(|p| self.has_provider(*p))
            .collect()
    }

    /// Whether a principal is a member (the owner is not one).
    fn is_member(&self, principal: &PrincipalId) -> bool;
    /// Members in order (case-insensitive), residues excluded.
    fn members(&self) -> Vec<&PrincipalId>;
    /// How many members there are, residues excluded.
    fn member_count(&self) -> usize {
        self.members().len()
    }
    /// Whether a principal is a `p4_…` residue (see [`crate::Change::AddResidue`]).
    fn is_residue(&self, principal: &PrincipalId) -> bool;
    /// Every residue, in order.
    fn residues(&self) -> Vec<&PrincipalId>;

    /// A role of one scope, if it exists.
    fn role_in(&self, scope: RoleScope, role: &RoleName) -> Option<&RoleInfo>;
    /// Every role of one scope, built-ins included, in order.
    fn roles_in(&self, scope: RoleScope) -> Vec<&RoleName>;
    /// The roles of one scope a principal holds.
    fn roles_held(&self, scope: RoleScope, principal: &PrincipalId) -> &BTreeSet<RoleName>;
    /// Who holds a role of one scope.
    fn holders(&self, scope: RoleScope, role: &RoleName) -> &BTreeSet<PrincipalId>;
    /// Whether a principal holds a role of one scope.
    fn holds(&self, scope: RoleScope, principal: &PrincipalId, role: &RoleName) -> bool {
        self.roles_held(scope, principal).contains(role)
    }

    /// A project role, if it exists.
    fn role(&self, role: &RoleName) -> Option<&RoleInfo> {
        self.role_in(RoleScope::Project, role)
    }
    /// Whether a project role exists.
    fn role_exists(&self, role: &RoleName) -> bool {
        self.role(role).is_some()
    }
    /// Every project role, built-ins included, in order.
    fn roles(&self) -> Vec<&RoleName> {
        self.roles_in(RoleScope::Project)
    }
    /// Whether a principal holds a project role.
    fn has_role(&self, principal: &PrincipalId, role: &RoleName) -> bool {
        self.holds(RoleScope::Project, principal, role)
    }
    /// The project roles a principal holds.
    fn roles_of(&self, principal: &PrincipalId) -> &BTreeSet<RoleName> {
        self.roles_held(RoleScope::Project, principal)
    }
    /// Who holds a project role.
    fn role_members(&self, role: &RoleName) -> &BTreeSet<PrincipalId> {
        self.holders(RoleScope::Project, role)
    }

    /// The grants of a grantee, dormant or not, by key (`None` when it
    /// holds none).
    fn grants_held(&self, grantee: &GranteeId) -> Option<&GrantMap>;
    /// The grant-order number of one grant, if it exists.
    fn grant_seq(&self, grantee: &GranteeId, key: &GrantKey) -> Option<u64> {
        self.grants_held(grantee)?.get(key).map(|(_, seq)| *seq)
    }
    /// The properties of one grant, if it exists.
    fn grant_props(&self, grantee: &GranteeId, key: &GrantKey) -> Option<&GrantProps> {
        self.grants_held(grantee)?.get(key).map(|(props, _)| props)
    }
    /// Every grant of a grantee, dormant or not, in key order.
    fn grants_of(&self, grantee: &GranteeId) -> Vec<GrantRef<'_>> {
        self.grants_held(grantee)
            .into_iter()
            .flatten()
            .map(GrantRef::of)
            .collect()
    }
    /// Whether a grantee holds any grant, dormant or not.
    fn has_grants(&self, grantee: &GranteeId) -> bool {
        self.grant_count(grantee) > 0
    }
    /// How many grants a grantee holds, dormant or not.
    fn grant_count(&self, grantee: &GranteeId) -> usize {
        self.grants_held(grantee).map_or(0, |m| m.len())
    }
    /// Every grantee holding at least one grant, dormant or not.
    fn grantees(&self) -> Vec<&GranteeId>;
    /// The sequence number the next new grant will get.
    fn next_grant_seq(&self) -> u64;

    /// Whether a security flag is on.
    fn flag(&self, flag: Flag) -> bool;

    /// Whether a project is trusted.
    fn is_trusted_project(&self, project: &str) -> bool;
    /// Every trusted project, in order.
    fn trusted_projects(&self) -> Vec<&str>;

    /// A package created in this project, if it exists.
    fn package(&self, name: &str) -> Option<&Package>;
    /// Whether a package of this project exists.
    fn has_package(&self, name: &str) -> bool {
        self.package(name).is_some()
    }
    /// Whether a package of this project shares an object.
    fn package_has_object(&self, name: &str, object: &ObjectRef) -> bool {
        self.package(name)
            .is_some_and(|p| p.objects.contains_key(object))
    }
    /// Every package created in this project, in order.
    fn packages(&self) -> Vec<&str>;
    /// Whether a package of another project (`project.package`) is installed here.
    fn is_installed(&self, package: &str) -> bool;
    /// Every package installed here, in order.
    fn installed_packages(&self) -> Vec<&str>;

    /// The label level of a table or column, if one is set.
    fn object_label(&self, object: &ObjectRef) -> Option<&str>;
    /// Every label set on a table or column, in order.
    fn object_labels(&self) -> Vec<(&ObjectRef, &str)>;
    /// A user's label level, if one is set.
    fn user_label(&self, principal: &PrincipalId) -> Option<&str>;
    /// A grantee's label grant on a table, if any.
    fn label_grant(&self, grantee: &GranteeId, object: &ObjectRef) -> Option<&LabelGrant>;
    /// Every label grant, by grantee and table.
    fn label_grants(&self) -> Vec<(&GranteeId, &ObjectRef, &LabelGrant)>;

    /// Whether a principal is a user of the tenant.
    fn is_tenant_user(&self, principal: &PrincipalId) -> bool;
    /// Every tenant user, in order.
    fn tenant_users(&self) -> Vec<&PrincipalId>;
    /// A tenant role, if it exists.
    fn tenant_role(&self, role: &RoleName) -> Option<&RoleInfo> {
        self.role_in(RoleScope::Tenant, role)
    }
    /// Every tenant role, in order.
    fn tenant_roles(&self) -> Vec<&RoleName> {
        self.roles_in(RoleScope::Tenant)
    }
    /// Whether a principal holds a tenant role.
    fn has_tenant_role(&self, principal: &PrincipalId, role: &RoleName) -> bool {
        self.holds(RoleScope::Tenant, principal, role)
    }
    /// The tenant roles a principal holds.
    fn tenant_roles_of(&self, principal: &PrincipalId) -> &BTreeSet<RoleName> {
        self.roles_held(RoleScope::Tenant, principal)
    }
    /// Who holds a tenant role.
    fn tenant_role_members(&self, role: &RoleName) -> &BTreeSet<PrincipalId> {
        self.holders(RoleScope::Tenant, role)
    }
    /// Whether a tenant role counts in the project.
    fn is_tenant_role_in_project(&self, role: &RoleName) -> bool;

    /// The policy document stored in a slot, as it was put.
    fn policy(&self, slot: &PolicySlot) -> Option<&str>;

    /// A group, with its comment, if it exists.
    fn group(&self, group: &Group) -> Option<Option<&str>>;
    /// Every group, in order.
    fn groups(&self) -> Vec<(&Group, Option<&str>)>;

    /// A project property, as `setproject` set it.
    fn project_property(&self, key: &str) -> Option<&str>;
    /// Every project property, by key.
    fn project_properties(&self) -> Vec<(&str, &str)>;

    /// One row access policy of a table.
    fn row_access_policy(&self, table: &str, policy: &str) -> Option<&RowAccessPolicy>;
    /// Every row access policy, by (table, policy).
    fn row_access_policies(&self) -> Vec<((&str, &str), &RowAccessPolicy)>;
    /// The row access policies of one table, by name.
    fn row_access_policies_of(&self, table: &str) -> Vec<(&str, &RowAccessPolicy)> {
        self.row_access_policies()
            .into_iter()
            .filter(|((t, _), _)| *t == table)
            .map(|((_, p), rule)| (p, rule))
            .collect()
    }

    /// A data masking policy.
    fn masking_policy(&self, policy: &str) -> Option<&MaskingPolicy>;
    /// Every data masking policy, by name.
    fn masking_policies(&self) -> Vec<(&str, &MaskingPolicy)>;
    /// Every binding of a masking policy to a column, in order.
    fn masking_bindings(&self) -> Vec<&MaskingBinding>;

    /// Whether this view holds a kind of fact. A fact it does not hold is
    /// unknown, not absent: the answers above say nothing about it.
    fn knows(&self, fact: Fact) -> bool {
        let _ = fact;
        true
    }

    /// Whether this view holds the grants of one grantee.
    fn knows_grants_of(&self, grantee: &GranteeId) -> bool {
        let _ = grantee;
        self.knows(Fact::Grants)
    }
}

/// Copies of what a view lent, for those who keep them.
pub(crate) fn owned<T: ToOwned + ?Sized>(lent: Vec<&T>) -> Vec<T::Owned> {
    lent.into_iter().map(T::to_owned).collect()
}

impl ProjectState {
    /// The project's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl StateView for ProjectState {
    fn project(&self) -> &str {
        &self.name
    }

    fn owner(&self) -> &PrincipalId {
        &self.owner
    }

    fn has_provider(&self, provider: Provider) -> bool {
        self.providers.contains(&provider)
    }

    fn is_member(&self, principal: &PrincipalId) -> bool {
        self.members.contains(principal)
    }

    fn members(&self) -> Vec<&PrincipalId> {
        self.members.iter().collect()
    }

    fn member_count(&self) -> usize {
        self.members.len()
    }

    fn is_residue(&self, principal: &PrincipalId) -> bool {
        self.residues.contains(principal)
    }

    fn residues(&self) -> Vec<&PrincipalId> {
        self.residues.iter().collect()
    }

    fn role_in(&self, scope: RoleScope, role: &RoleName) -> Option<&RoleInfo> {
        self.space(scope).roles.get(role)
    }

    fn roles_in(&self, scope: RoleScope) -> Vec<&RoleName> {
        self.space(scope).roles.keys().collect()
    }

    fn roles_held(&self, scope: RoleScope, principal: &PrincipalId) -> &BTreeSet<RoleName> {
        self.space(scope).assignments.roles_of(principal)
    }

    fn holders(&self, scope: RoleScope, role: &RoleName) -> &BTreeSet<PrincipalId> {
        self.space(scope).assignments.members_of(role)
    }

    fn grants_held(&self, grantee: &GranteeId) -> Option<&GrantMap> {
        self.grants.get(grantee).map(|s| &s.0)
    }

    fn grantees(&self) -> Vec<&GranteeId> {
        self.grants
            .iter()
            .filter(|(_, s)| !s.0.is_empty())
            .map(|(g, _)| g)
            .collect()
    }

    fn next_grant_seq(&self) -> u64 {
        self.next_grant_seq
    }

    fn flag(&self, flag: Flag) -> bool {
        self.flags
            .get(&flag)
            .copied()
            .unwrap_or(flag.default_value())
    }

    fn is_trusted_project(&self, project: &str) -> bool {
        self.trusted_projects.contains(project)
    }

    fn trusted_projects(&self) -> Vec<&str> {
        self.trusted_projects.iter().map(String::as_str).collect()
    }

    fn package(&self, name: &str) -> Option<&Package> {
        self.packages.get(name)
    }

    fn packages(&self) -> Vec<&str> {
        self.packages.keys().map(String::as_str).collect()
    }

    fn is_installed(&self, package: &str) -> bool {
        self.installed_packages.contains(package)
    }

    fn installed_packages(&self) -> Vec<&str> {
        self.installed_packages.iter().map(String::as_str).collect()
    }

    fn object_label(&self, object: &ObjectRef) -> Option<&str> {
        self.labels.objects.get(object).map(String::as_str)
    }

    fn object_labels(&self) -> Vec<(&ObjectRef, &str)> {
        self.labels
            .objects
            .iter()
            .map(|(o, l)| (o, l.as_str()))
            .collect()
    }

    fn user_label(&self, principal: &PrincipalId) -> Option<&str> {
        self.labels.users.get(principal).map(String::as_str)
    }

    fn label_grant(&self, grantee: &GranteeId, object: &ObjectRef) -> Option<&LabelGrant> {
        self.labels.grants.get(&(grantee.clone(), object.clone()))
    }

    fn label_grants(&self) -> Vec<(&GranteeId, &ObjectRef, &LabelGrant)> {
        self.labels
            .grants
            .iter()
            .map(|((g, o), l)| (g, o, l))
            .collect()
    }

    fn is_tenant_user(&self, principal: &PrincipalId) -> bool {
        self.tenant.users.contains(principal)
    }

    fn tenant_users(&self) -> Vec<&PrincipalId> {
        self.tenant.users.iter().collect()
    }

    fn is_tenant_role_in_project(&self, role: &RoleName) -> bool {
        self.tenant.in_project.contains(role)
    }

    fn policy(&self, slot: &PolicySlot) -> Option<&str> {
        self.policies.get(slot).map(String::as_str)
    }

    fn group(&self, group: &Group) -> Option<Option<&str>> {
        self.groups.get(group).map(Option::as_deref)
    }

    fn groups(&self) -> Vec<(&Group, Option<&str>)> {
        self.groups.iter().map(|(g, c)| (g, c.as_deref())).collect()
    }

    fn project_property(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    fn project_properties(&self) -> Vec<(&str, &str)> {
        self.properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn row_access_policy(&self, table: &str, policy: &str) -> Option<&RowAccessPolicy> {
        self.sql_access
            .row_policies
            .get(&(table.to_owned(), policy.to_owned()))
    }

    fn row_access_policies(&self) -> Vec<((&str, &str), &RowAccessPolicy)> {
        self.sql_access
            .row_policies
            .iter()
            .map(|((t, p), v)| ((t.as_str(), p.as_str()), v))
            .collect()
    }

    fn masking_policy(&self, policy: &str) -> Option<&MaskingPolicy> {
        self.sql_access.masking_policies.get(policy)
    }

    fn masking_policies(&self) -> Vec<(&str, &MaskingPolicy)> {
        self.sql_access
            .masking_policies
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect()
    }

    fn masking_bindings(&self) -> Vec<&MaskingBinding> {
        self.sql_access.masking_bindings.iter().collect()
    }

    fn knows(&self, fact: Fact) -> bool {
        self.knowledge.knows(fact)
    }

    fn knows_grants_of(&self, grantee: &GranteeId) -> bool {
        self.knowledge.grants_known(grantee)
    }
}
