//! A simulated copy: pending changes over a base view, without copying it.
//!
//! Each part of the state the pending changes touch is recorded by key
//! (a member added or removed, a role's members copied once and then
//! edited, …), so a lookup costs one map lookup in the overlay and at most
//! one in the base. [`apply_to`](crate::change::apply_to) gives the overlay
//! exactly the semantics it gives a [`ProjectState`](crate::ProjectState).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

use mcauth_syntax::ast::Statement;

use crate::change::{Change, GrantMap, StateMut, apply_to};
use crate::check::{Caller, Context, Effect, check_in};
use crate::failure::Failure;
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::ObjectRef;
use crate::state::{
    Flag, Group, LabelGrant, MaskingBinding, MaskingPolicy, Package, PolicySlot, RoleInfo,
    RoleScope, RowAccessPolicy,
};
use crate::view::StateView;

/// Pending [`Change`]s over a base [`StateView`]; itself a `StateView`.
pub struct Overlay<'a, V: StateView + ?Sized> {
    base: &'a V,
    changes: Vec<Change>,
    providers: BTreeMap<Provider, bool>,
    members: FastMap<PrincipalId, bool>,
    residues: FastMap<PrincipalId, bool>,
    project_roles: SpaceDelta,
    grants: FastMap<GranteeId, GrantMap>,
    grant_seq: Option<u64>,
    flags: BTreeMap<Flag, bool>,
    trusted: BTreeMap<String, bool>,
    packages: BTreeMap<String, Option<Package>>,
    installed: BTreeMap<String, bool>,
    object_labels: BTreeMap<ObjectRef, Option<String>>,
    user_labels: BTreeMap<PrincipalId, Option<String>>,
    label_grants: BTreeMap<(GranteeId, ObjectRef), Option<LabelGrant>>,
    tenant_users: BTreeMap<PrincipalId, bool>,
    tenant_roles: SpaceDelta,
    tenant_in_project: BTreeMap<RoleName, bool>,
    policies: BTreeMap<PolicySlot, Option<String>>,
    groups: BTreeMap<Group, Option<Option<String>>>,
    properties: BTreeMap<String, Option<String>>,
    row_policies: BTreeMap<(String, String), Option<RowAccessPolicy>>,
    masking_policies: BTreeMap<String, Option<MaskingPolicy>>,
    masking_bindings: BTreeMap<MaskingBinding, bool>,
}

impl<'a, V: StateView + ?Sized> Overlay<'a, V> {
    /// An overlay with no changes yet: it reads as `base`.
    pub fn new(base: &'a V) -> Self {
        Overlay {
            base,
            changes: Vec::new(),
            providers: BTreeMap::new(),
            members: FastMap::default(),
            residues: FastMap::default(),
            project_roles: SpaceDelta::default(),
            grants: FastMap::default(),
            grant_seq: None,
            flags: BTreeMap::new(),
            trusted: BTreeMap::new(),
            packages: BTreeMap::new(),
            installed: BTreeMap::new(),
            object_labels: BTreeMap::new(),
            user_labels: BTreeMap::new(),
            label_grants: BTreeMap::new(),
            tenant_users: BTreeMap::new(),
            tenant_roles: SpaceDelta::default(),
            tenant_in_project: BTreeMap::new(),
            policies: BTreeMap::new(),
            groups: BTreeMap::new(),
            properties: BTreeMap::new(),
            row_policies: BTreeMap::new(),
            masking_policies: BTreeMap::new(),
            masking_bindings: BTreeMap::new(),
        }
    }

    /// Records a change and makes it visible to every later read.
    pub fn push(&mut self, change: Change) {
        apply_to(self, &change);
        self.changes.push(change);
    }

    /// Checks `statement` against this simulated state and, when it
    /// passes, applies its changes (without recording them): the step of a
    /// plan, for callers that keep only what they need of each statement.
    pub fn check(
        &mut self,
        caller: &Caller,
        ctx: &Context,
        statement: &Statement,
    ) -> Result<Effect, Failure> {
        let effect = check_in(self, caller, ctx, statement)?;
        for change in &effect.changes {
            apply_to(self, change);
        }
        Ok(effect)
    }

    /// Adds `changes` on top, in order, without checking them.
    pub fn extend(&mut self, changes: impl IntoIterator<Item = Change>) {
        for c in changes {
            self.push(c);
        }
    }

    /// The pending changes, in order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    fn space(&self, scope: RoleScope) -> &SpaceDelta {
        match scope {
            RoleScope::Project => &self.project_roles,
            RoleScope::Tenant => &self.tenant_roles,
        }
    }

    fn space_mut(&mut self, scope: RoleScope) -> &mut SpaceDelta {
        match scope {
            RoleScope::Project => &mut self.project_roles,
            RoleScope::Tenant => &mut self.tenant_roles,
        }
    }
}

/// The pending changes to one [`RoleScope`]: roles made (`Some`) or
/// dropped (`None`), and the assignments of the principals and roles they
/// touch, copied from the base on first write.
#[derive(Default)]
struct SpaceDelta {
    roles: BTreeMap<RoleName, Option<RoleInfo>>,
    roles_by_principal: FastMap<PrincipalId, BTreeSet<RoleName>>,
    members_by_role: FastMap<RoleName, BTreeSet<PrincipalId>>,
}

/// The maps a plan touches once per statement: a fast, deterministic hash
/// (rustc's own), since their order never shows.
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Edits the overlay's copy of `key`'s entry, made from the base on first
/// use. Looks up before inserting so that the key is cloned only once.
fn cow<K: Eq + Hash + Clone, T>(
    map: &mut FastMap<K, T>,
    key: &K,
    init: impl FnOnce() -> T,
    edit: impl FnOnce(&mut T),
) {
    if !map.contains_key(key) {
        map.insert(key.clone(), init());
    }
    if let Some(v) = map.get_mut(key) {
        edit(v);
    }
}

/// A base set with added (`true`) and removed (`false`) items on top.
/// The items are borrows, from the base or from the overlay.
fn merged<T: Ord>(base: Vec<T>, delta: impl IntoIterator<Item = (T, bool)>) -> Vec<T> {
    let mut delta = delta.into_iter().peekable();
    if delta.peek().is_none() {
        return base;
    }
    let mut set: BTreeSet<T> = base.into_iter().collect();
    for (item, on) in delta {
        if on {
            set.insert(item);
        } else {
            set.remove(&item);
        }
    }
    set.into_iter().collect()
}

/// A base list of entries with set (`Some`) and removed (`None`) ones on
/// top, in key order.
fn merged_entries<K: Ord, T>(
    base: Vec<(K, T)>,
    delta: impl IntoIterator<Item = (K, Option<T>)>,
) -> Vec<(K, T)> {
    let mut delta = delta.into_iter().peekable();
    if delta.peek().is_none() {
        return base;
    }
    let mut map: BTreeMap<K, T> = base.into_iter().collect();
    for (key, value) in delta {
        match value {
            Some(v) => {
                map.insert(key, v);
            }
            None => {
                map.remove(&key);
            }
        }
    }
    map.into_iter().collect()
}

/// The keys of a map of set (`Some`) and removed (`None`) entries, as
/// [`merged`] takes them.
fn present<K, T>(delta: &BTreeMap<K, Option<T>>) -> impl Iterator<Item = (&K, bool)> {
    delta.iter().map(|(k, v)| (k, v.is_some()))
}

/// A map of added (`true`) and removed (`false`) items, as [`merged`]
/// takes them.
fn flags<'d, K: 'd>(
    delta: impl IntoIterator<Item = (&'d K, &'d bool)>,
) -> impl Iterator<Item = (&'d K, bool)> {
    delta.into_iter().map(|(k, on)| (k, *on))
}

impl<V: StateView + ?Sized> StateView for Overlay<'_, V> {
    fn project(&self) -> &str {
        self.base.project()
    }

    fn owner(&self) -> &PrincipalId {
        self.base.owner()
    }

    fn has_provider(&self, provider: Provider) -> bool {
        match self.providers.get(&provider) {
            Some(on) => *on,
            None => self.base.has_provider(provider),
        }
    }

    fn is_member(&self, principal: &PrincipalId) -> bool {
        match self.members.get(principal) {
            Some(on) => *on,
            None => self.base.is_member(principal),
        }
    }

    fn members(&self) -> Vec<&PrincipalId> {
        merged(self.base.members(), flags(&self.members))
    }

    fn member_count(&self) -> usize {
        let mut count = self.base.member_count();
        for (principal, on) in &self.members {
            match (*on, self.base.is_member(principal)) {
                (true, false) => count += 1,
                (false, true) => count = count.saturating_sub(1),
                _ => {}
            }
        }
        count
    }

    fn is_residue(&self, principal: &PrincipalId) -> bool {
        match self.residues.get(principal) {
            Some(on) => *on,
            None => self.base.is_residue(principal),
        }
    }

    fn residues(&self) -> Vec<&PrincipalId> {
        merged(self.base.residues(), flags(&self.residues))
    }

    fn role_in(&self, scope: RoleScope, role: &RoleName) -> Option<&RoleInfo> {
        match self.space(scope).roles.get(role) {
            Some(info) => info.as_ref(),
            None => self.base.role_in(scope, role),
        }
    }

    fn roles_in(&self, scope: RoleScope) -> Vec<&RoleName> {
        merged(self.base.roles_in(scope), present(&self.space(scope).roles))
    }

    fn roles_held(&self, scope: RoleScope, principal: &PrincipalId) -> &BTreeSet<RoleName> {
        match self.space(scope).roles_by_principal.get(principal) {
            Some(set) => set,
            None => self.base.roles_held(scope, principal),
        }
    }

    fn holders(&self, scope: RoleScope, role: &RoleName) -> &BTreeSet<PrincipalId> {
        match self.space(scope).members_by_role.get(role) {
            Some(set) => set,
            None => self.base.holders(scope, role),
        }
    }

    fn grants_held(&self, grantee: &GranteeId) -> Option<&GrantMap> {
        match self.grants.get(grantee) {
            Some(map) => Some(map),
            None => self.base.grants_held(grantee),
        }
    }

    fn grantees(&self) -> Vec<&GranteeId> {
        let delta = self.grants.iter().map(|(g, map)| (g, !map.is_empty()));
        merged(self.base.grantees(), delta)
    }

    fn next_grant_seq(&self) -> u64 {
        self.grant_seq.unwrap_or_else(|| self.base.next_grant_seq())
    }

    fn flag(&self, flag: Flag) -> bool {
        match self.flags.get(&flag) {
            Some(v) => *v,
            None => self.base.flag(flag),
        }
    }

    fn is_trusted_project(&self, project: &str) -> bool {
        match self.trusted.get(project) {
            Some(on) => *on,
            None => self.base.is_trusted_project(project),
        }
    }

    fn trusted_projects(&self) -> Vec<&str> {
        let delta = self.trusted.iter().map(|(p, on)| (p.as_str(), *on));
        merged(self.base.trusted_projects(), delta)
    }

    fn package(&self, name: &str) -> Option<&Package> {
        match self.packages.get(name) {
            Some(p) => p.as_ref(),
            None => self.base.package(name),
        }
    }

    fn packages(&self) -> Vec<&str> {
        let delta = present(&self.packages).map(|(p, on)| (p.as_str(), on));
        merged(self.base.packages(), delta)
    }

    fn is_installed(&self, package: &str) -> bool {
        match self.installed.get(package) {
            Some(on) => *on,
            None => self.base.is_installed(package),
        }
    }

    fn installed_packages(&self) -> Vec<&str> {
        let delta = self.installed.iter().map(|(p, on)| (p.as_str(), *on));
        merged(self.base.installed_packages(), delta)
    }

    fn object_label(&self, object: &ObjectRef) -> Option<&str> {
        match self.object_labels.get(object) {
            Some(l) => l.as_deref(),
            None => self.base.object_label(object),
        }
    }

    fn object_labels(&self) -> Vec<(&ObjectRef, &str)> {
        let delta = self.object_labels.iter().map(|(o, l)| (o, l.as_deref()));
        merged_entries(self.base.object_labels(), delta)
    }

    fn user_label(&self, principal: &PrincipalId) -> Option<&str> {
        match self.user_labels.get(principal) {
            Some(l) => l.as_deref(),
            None => self.base.user_label(principal),
        }
    }

    fn label_grant(&self, grantee: &GranteeId, object: &ObjectRef) -> Option<&LabelGrant> {
        match self.label_grants.get(&(grantee.clone(), object.clone())) {
            Some(g) => g.as_ref(),
            None => self.base.label_grant(grantee, object),
        }
    }

    fn label_grants(&self) -> Vec<(&GranteeId, &ObjectRef, &LabelGrant)> {
        let base = self.base.label_grants().into_iter();
        let base = base.map(|(g, o, l)| ((g, o), l)).collect();
        let delta = self
            .label_grants
            .iter()
            .map(|((g, o), l)| ((g, o), l.as_ref()));
        let merged = merged_entries(base, delta);
        merged.into_iter().map(|((g, o), l)| (g, o, l)).collect()
    }

    fn is_tenant_user(&self, principal: &PrincipalId) -> bool {
        match self.tenant_users.get(principal) {
            Some(on) => *on,
            None => self.base.is_tenant_user(principal),
        }
    }

    fn tenant_users(&self) -> Vec<&PrincipalId> {
        merged(self.base.tenant_users(), flags(&self.tenant_users))
    }

    fn is_tenant_role_in_project(&self, role: &RoleName) -> bool {
        match self.tenant_in_project.get(role) {
            Some(on) => *on,
            None => self.base.is_tenant_role_in_project(role),
        }
    }

    fn policy(&self, slot: &PolicySlot) -> Option<&str> {
        match self.policies.get(slot) {
            Some(doc) => doc.as_deref(),
            None => self.base.policy(slot),
        }
    }

    fn group(&self, group: &Group) -> Option<Option<&str>> {
        match self.groups.get(group) {
            Some(g) => g.as_ref().map(Option::as_deref),
            None => self.base.group(group),
        }
    }

    fn groups(&self) -> Vec<(&Group, Option<&str>)> {
        let delta = self
            .groups
            .iter()
            .map(|(g, c)| (g, c.as_ref().map(Option::as_deref)));
        merged_entries(self.base.groups(), delta)
    }

    fn project_property(&self, key: &str) -> Option<&str> {
        match self.properties.get(key) {
            Some(v) => v.as_deref(),
            None => self.base.project_property(key),
        }
    }

    fn project_properties(&self) -> Vec<(&str, &str)> {
        let delta = self
            .properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_deref()));
        merged_entries(self.base.project_properties(), delta)
    }

    fn row_access_policy(&self, table: &str, policy: &str) -> Option<&RowAccessPolicy> {
        match self
            .row_policies
            .get(&(table.to_owned(), policy.to_owned()))
        {
            Some(r) => r.as_ref(),
            None => self.base.row_access_policy(table, policy),
        }
    }

    fn row_access_policies(&self) -> Vec<((&str, &str), &RowAccessPolicy)> {
        let delta = self.row_policies.iter();
        let delta = delta.map(|((t, p), r)| ((t.as_str(), p.as_str()), r.as_ref()));
        merged_entries(self.base.row_access_policies(), delta)
    }

    fn masking_policy(&self, policy: &str) -> Option<&MaskingPolicy> {
        match self.masking_policies.get(policy) {
            Some(m) => m.as_ref(),
            None => self.base.masking_policy(policy),
        }
    }

    fn masking_policies(&self) -> Vec<(&str, &MaskingPolicy)> {
        let delta = self.masking_policies.iter();
        let delta = delta.map(|(k, m)| (k.as_str(), m.as_ref()));
        merged_entries(self.base.masking_policies(), delta)
    }

    fn masking_bindings(&self) -> Vec<&MaskingBinding> {
        merged(self.base.masking_bindings(), flags(&self.masking_bindings))
    }

    fn knows(&self, fact: Fact) -> bool {
        self.base.knows(fact)
    }

    fn knows_grants_of(&self, grantee: &GranteeId) -> bool {
        self.base.knows_grants_of(grantee)
    }
}

impl<V: StateView + ?Sized> StateMut for Overlay<'_, V> {
    fn set_provider(&mut self, provider: Provider, on: bool) {
        self.providers.insert(provider, on);
    }

    // Names are equal whatever their case, and a map keeps the first key
    // it was given: remove it first, so that the name shows as last
    // written, as it does in a ProjectState.
    fn set_member(&mut self, principal: &PrincipalId, on: bool) {
        self.members.remove(principal);
        self.members.insert(principal.clone(), on);
    }

    fn set_residue(&mut self, principal: &PrincipalId, on: bool) {
        self.residues.remove(principal);
        self.residues.insert(principal.clone(), on);
    }

    fn set_role(&mut self, scope: RoleScope, role: &RoleName, info: Option<RoleInfo>) {
        let space = self.space_mut(scope);
        space.roles.insert(role.clone(), info);
    }

    fn set_assignment(&mut self, scope: RoleScope, role: &RoleName, who: &PrincipalId, on: bool) {
        let base = self.base;
        let space = self.space_mut(scope);
        cow(
            &mut space.roles_by_principal,
            who,
            || base.roles_held(scope, who).clone(),
            |roles| {
                if on {
                    roles.insert(role.clone());
                } else {
                    roles.remove(role);
                }
            },
        );
        cow(
            &mut space.members_by_role,
            role,
            || base.holders(scope, role).clone(),
            |members| {
                if on {
                    members.insert(who.clone());
                } else {
                    members.remove(who);
                }
            },
        );
    }

    fn edit_grants(&mut self, grantee: &GranteeId, edit: &mut dyn FnMut(&mut GrantMap)) {
        let base = self.base;
        cow(
            &mut self.grants,
            grantee,
            || base.grants_held(grantee).cloned().unwrap_or_default(),
            edit,
        );
    }

    fn take_grant_seq(&mut self) -> u64 {
        let seq = self.next_grant_seq();
        self.grant_seq = Some(seq.saturating_add(1));
        seq
    }

    fn set_flag(&mut self, flag: Flag, value: bool) {
        self.flags.insert(flag, value);
    }

    fn set_trusted(&mut self, project: &str, on: bool) {
        self.trusted.insert(project.to_owned(), on);
    }

    fn set_package(&mut self, name: &str, package: Option<Package>) {
        self.packages.insert(name.to_owned(), package);
    }

    fn edit_package(&mut self, name: &str, edit: &mut dyn FnMut(&mut Package)) {
        // Copied from the base once, on the first edit.
        if !self.packages.contains_key(name) {
            let base = self.base.package(name).cloned();
            self.packages.insert(name.to_owned(), base);
        }
        if let Some(Some(p)) = self.packages.get_mut(name) {
            edit(p);
        }
    }

    fn set_installed(&mut self, package: &str, on: bool) {
        self.installed.insert(package.to_owned(), on);
    }

    fn set_object_label(&mut self, object: &ObjectRef, level: Option<String>) {
        self.object_labels.insert(object.clone(), level);
    }

    fn set_user_label(&mut self, principal: &PrincipalId, level: Option<String>) {
        self.user_labels.insert(principal.clone(), level);
    }

    fn set_label_grant(&mut self, grantee: &GranteeId, object: &ObjectRef, g: Option<LabelGrant>) {
        self.label_grants
            .insert((grantee.clone(), object.clone()), g);
    }

    fn set_tenant_user(&mut self, principal: &PrincipalId, on: bool) {
        self.tenant_users.insert(principal.clone(), on);
    }

    fn set_tenant_in_project(&mut self, role: &RoleName, on: bool) {
        self.tenant_in_project.insert(role.clone(), on);
    }

    fn set_policy(&mut self, slot: &PolicySlot, document: Option<String>) {
        self.policies.insert(slot.clone(), document);
    }

    fn set_group(&mut self, group: &Group, comment: Option<Option<String>>) {
        self.groups.insert(group.clone(), comment);
    }

    fn set_project_property(&mut self, key: &str, value: Option<String>) {
        self.properties.insert(key.to_owned(), value);
    }

    fn set_row_access_policy(&mut self, table: &str, policy: &str, rule: Option<RowAccessPolicy>) {
        self.row_policies
            .insert((table.to_owned(), policy.to_owned()), rule);
    }

    fn set_masking_policy(&mut self, policy: &str, rule: Option<MaskingPolicy>) {
        self.masking_policies.insert(policy.to_owned(), rule);
    }

    fn set_masking_binding(&mut self, binding: &MaskingBinding, on: bool) {
        self.masking_bindings.insert(binding.clone(), on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProjectState;
    use crate::change::apply;

    #[test]
    fn overlay_reads_through_and_shadows_the_base() {
        let mut base = ProjectState::new("p", PrincipalId::aliyun("o"));
        let alice = PrincipalId::aliyun("alice");
        let bob = PrincipalId::aliyun("bob");
        apply(
            &mut base,
            &Change::AddMember {
                principal: alice.clone(),
            },
        );
        let mut o = Overlay::new(&base);
        assert!(o.is_member(&alice));
        o.push(Change::RemoveMember {
            principal: alice.clone(),
        });
        o.push(Change::AddMember {
            principal: bob.clone(),
        });
        o.push(Change::GrantRole {
            role: RoleName::admin(),
            principal: bob.clone(),
        });
        assert!(!o.is_member(&alice));
        assert_eq!(o.members(), vec![&bob]);
        assert!(o.roles_of(&bob).iter().eq([&RoleName::admin()]));
        assert!(o.role_members(&RoleName::admin()).iter().eq([&bob]));
        // The base is untouched.
        assert!(base.is_member(&alice));
        assert!(!base.is_member(&bob));
        // Replaying the overlay's changes on the base gives what it showed.
        let mut replay = base.clone();
        for c in o.changes() {
            apply(&mut replay, c);
        }
        assert_eq!(replay.members(), o.members());
        assert_eq!(replay.roles_of(&bob), o.roles_of(&bob));
    }
}
