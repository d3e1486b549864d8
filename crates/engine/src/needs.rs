//! What a statement's check reads: the kinds of fact, and the grantees
//! whose grants, a backend must have read for the check to be exact.
//!
//! A remote backend reads only these, once each, before it checks a
//! script; a fact it cannot read stays unknown and the check says so
//! (see [`crate::Fact`]).

use std::collections::BTreeSet;

use mcauth_syntax::ast::{GrantLabel, Grantee, LabelTarget, Statement, StatementKind};

use crate::check::Caller;
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};

/// The facts one or more statements read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// The facts the checks read.
    pub facts: BTreeSet<Fact>,
    /// Grantees whose own grants the checks read.
    pub grants_of: BTreeSet<GranteeId>,
}

impl Needs {
    /// Adds what one statement reads, run by `caller` in a project owned
    /// by `owner`.
    pub fn add(&mut self, statement: &Statement, caller: &Caller, owner: &PrincipalId) {
        use Fact::*;
        use StatementKind as K;
        let account = caller.account.as_str();
        let mut facts = |list: &[Fact]| self.facts.extend(list.iter().copied());
        // Anyone but the owner: standing rests on membership and roles.
        let tenant = is_tenant(&statement.kind);
        if &caller.principal != owner {
            if tenant {
                facts(&[TenantRoles]);
            } else if !matches!(statement.kind, K::Whoami) {
                facts(&[Members, RoleHolders]);
            }
        }
        let mut grantees = Vec::new();
        match &statement.kind {
            K::AddUser {
                tenant: false,
                principal,
                ..
            } => {
                facts(&[Providers, Members]);
                // Grants kept from an earlier membership come back (only a
                // store that holds them can say so).
                grantees.push(GranteeId::User(PrincipalId::from_kind(
                    &principal.kind,
                    account,
                )));
            }
            K::RemoveUser {
                tenant: false,
                principal,
            } => {
                facts(&[Providers, Members, RoleHolders]);
                grantees.push(GranteeId::User(PrincipalId::from_kind(
                    &principal.kind,
                    account,
                )));
            }
            K::ListUsers { tenant: false } => facts(&[Members]),
            K::ListAccountProviders | K::AddAccountProvider { .. } => facts(&[Providers]),
            K::RemoveAccountProvider { .. } => facts(&[Providers, Members, RoleHolders]),
            K::AddUser { tenant: true, .. }
            | K::RemoveUser { tenant: true, .. }
            | K::ListUsers { tenant: true } => facts(&[TenantUsers, TenantRoles]),
            K::CreateRole {
                tenant: false,
                role,
                ..
            } => {
                facts(&[Roles]);
                grantees.push(GranteeId::Role(RoleName::new(&role.value)));
            }
            K::ListRoles { tenant: false } => facts(&[Roles]),
            K::DropRole {
                tenant: false,
                role,
            } => {
                facts(&[Roles, RoleHolders]);
                grantees.push(GranteeId::Role(RoleName::new(&role.value)));
            }
            K::DescribeRole {
                tenant: false,
                role,
            } => {
                facts(&[Roles, RoleHolders]);
                grantees.push(GranteeId::Role(RoleName::new(&role.value)));
            }
            K::GrantRoles { tenant: false, .. }
            | K::RevokeRoles { tenant: false, .. }
            | K::ShowPrincipals { tenant: false, .. }
            | K::ShowRoleGrant { .. } => facts(&[Providers, Members, Roles, RoleHolders]),
            K::CreateRole { tenant: true, .. }
            | K::DropRole { tenant: true, .. }
            | K::ListRoles { tenant: true }
            | K::DescribeRole { tenant: true, .. }
            | K::GrantRoles { tenant: true, .. }
            | K::RevokeRoles { tenant: true, .. }
            | K::ShowPrincipals { tenant: true, .. } => facts(&[TenantUsers, TenantRoles]),
            K::AddTenantRoleToProject { .. } | K::RemoveTenantRoleFromProject { .. } => {
                facts(&[TenantRoles, TenantRolesInProject])
            }
            K::GrantPrivileges { grantees: g, .. } | K::RevokePrivileges { grantees: g, .. } => {
                facts(&[Providers, Members, Roles]);
                // A member without the standing may grant as the object's
                // creator while ObjectCreatorHasGrantPermission is on.
                if &caller.principal != owner {
                    facts(&[Flags]);
                }
                if g.iter().any(is_tenant_role) {
                    facts(&[TenantRoles]);
                }
                grantees.extend(g.iter().filter_map(|g| grantee_id(g, account)));
            }
            K::ShowGrants { grantee, .. } => {
                facts(&[Providers, Members, Roles, RoleHolders]);
                if grantee.as_ref().is_some_and(is_tenant_role) {
                    facts(&[TenantRoles]);
                }
            }
            K::ShowAcl { .. } => facts(&[Providers, Members, Roles, RoleHolders, TenantRoles]),
            K::ClearExpiredGrants => facts(&[Grants, Labels]),
            K::PurgePrivileges { grantees: g } => {
                facts(&[Members, Roles, RoleHolders, Labels]);
                if g.iter().any(is_tenant_role) {
                    facts(&[TenantRoles]);
                }
                grantees.extend(g.iter().filter_map(|g| grantee_id(g, account)));
            }
            K::Whoami => {}
            K::ShowSecurityConfiguration => facts(&[Flags, ProjectProperties]),
            K::Set { .. } => facts(&[Flags]),
            K::ListTrustedProjects
            | K::AddTrustedProject { .. }
            | K::RemoveTrustedProject { .. } => facts(&[TrustedProjects]),
            K::CreatePackage { .. }
            | K::DropPackage { .. }
            | K::AddToPackage { .. }
            | K::RemoveFromPackage { .. }
            | K::AllowInstallPackage { .. }
            | K::DisallowInstallPackage { .. } => facts(&[Packages]),
            K::InstallPackage { .. } | K::UninstallPackage { .. } => facts(&[Installs]),
            K::ShowPackages { .. }
            | K::DescribePackage { .. }
            | K::ShowPackageItems { .. }
            | K::DescribePackageItems { .. } => facts(&[Packages, Installs]),
            // A user's label is set only on a member.
            K::SetLabel {
                target: LabelTarget::User { .. },
                ..
            } => facts(&[Providers, Members, Labels]),
            K::SetLabel { .. } => facts(&[Labels]),
            K::GrantLabel(GrantLabel { grantee, .. }) | K::RevokeLabel { grantee, .. } => {
                facts(&[Providers, Members, Roles, Labels]);
                if is_tenant_role(grantee) {
                    facts(&[TenantRoles]);
                }
            }
            K::ShowLabelGrants { .. } => facts(&[Providers, Members, Roles, Labels]),
            K::GetPolicy { role } => {
                facts(&[Roles, Policies]);
                if role.as_ref().is_some_and(|r| r.tenant) {
                    facts(&[TenantRoles]);
                }
            }
            K::GetSecurityPolicy => facts(&[Policies]),
            K::PutPolicy { role, .. } => {
                facts(&[Roles]);
                if role.as_ref().is_some_and(|r| r.tenant) {
                    facts(&[TenantRoles]);
                }
            }
            K::PutSecurityPolicy { .. } => {}
            K::AddGroup { .. } | K::RemoveGroup { .. } | K::ListGroups { user: None, .. } => {
                facts(&[Groups])
            }
            K::ListGroups { user: Some(_), .. } => facts(&[Providers, Members]),
            K::AlterUser { .. }
            | K::AlterRole { .. }
            | K::GrantSuper { .. }
            | K::RevokeSuper { .. } => {}
            K::SetProject { .. } => facts(&[ProjectProperties]),
            K::CreateRowAccessPolicy(_) => facts(&[RowAccessPolicies, MaskingPolicies]),
            K::DropRowAccessPolicy { .. }
            | K::DescribeRowAccessPolicy { .. }
            | K::ListRowAccessPolicies { .. } => facts(&[RowAccessPolicies]),
            K::ApplyMaskingPolicy { .. } => facts(&[MaskingPolicies, RowAccessPolicies]),
            K::CreateMaskingPolicy { .. }
            | K::UnapplyMaskingPolicy { .. }
            | K::DropMaskingPolicy { .. }
            | K::DescribeMaskingPolicy { .. } => facts(&[MaskingPolicies]),
        }
        self.grants_of.extend(grantees);
    }

    /// What a whole script reads.
    pub fn of<'a>(
        statements: impl IntoIterator<Item = &'a Statement>,
        caller: &Caller,
        owner: &PrincipalId,
    ) -> Needs {
        let mut needs = Needs::default();
        for statement in statements {
            needs.add(statement, caller, owner);
        }
        needs
    }
}

fn is_tenant_role(g: &Grantee) -> bool {
    matches!(g, Grantee::Role { tenant: true, .. })
}

fn is_tenant(kind: &StatementKind) -> bool {
    use StatementKind as K;
    matches!(
        kind,
        K::AddUser { tenant: true, .. }
            | K::RemoveUser { tenant: true, .. }
            | K::ListUsers { tenant: true }
            | K::CreateRole { tenant: true, .. }
            | K::DropRole { tenant: true, .. }
            | K::ListRoles { tenant: true }
            | K::DescribeRole { tenant: true, .. }
            | K::GrantRoles { tenant: true, .. }
            | K::RevokeRoles { tenant: true, .. }
            | K::ShowPrincipals { tenant: true, .. }
    )
}

/// The grantee a written one names, as the checks resolve it.
fn grantee_id(g: &Grantee, account: &str) -> Option<GranteeId> {
    match g {
        Grantee::User {
            tenant: false,
            principal,
        } => Some(GranteeId::User(PrincipalId::from_kind(
            &principal.kind,
            account,
        ))),
        Grantee::Role {
            tenant: false,
            name,
        } => Some(GranteeId::Role(RoleName::new(&name.value))),
        Grantee::Role { tenant: true, name } => {
            Some(GranteeId::TenantRole(RoleName::new(&name.value)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_of(src: &str, caller: &str) -> Needs {
        let owner = PrincipalId::aliyun("owner@x.com");
        let caller =
            Caller::from_principal(PrincipalId::parse(caller, "owner@x.com").expect("a principal"));
        let parsed = mcauth_syntax::parse(src);
        Needs::of(&parsed.statements, &caller, &owner)
    }

    #[test]
    fn the_owner_needs_only_what_the_statements_read() {
        let n = needs_of(
            "add trustedproject other; drop package pk;",
            "ALIYUN$owner@x.com",
        );
        assert_eq!(
            n.facts.into_iter().collect::<Vec<_>>(),
            [Fact::Packages, Fact::TrustedProjects]
        );
        assert!(n.grants_of.is_empty());
    }

    #[test]
    fn anyone_else_also_needs_their_standing() {
        let n = needs_of("add trustedproject other;", "RAM$owner@x.com:bob");
        assert!(n.facts.contains(&Fact::Members));
        assert!(n.facts.contains(&Fact::RoleHolders));
    }

    #[test]
    fn grants_are_needed_per_grantee() {
        let n = needs_of(
            "purge privs from user RAM$bob; grant Select on table t to role r;",
            "ALIYUN$owner@x.com",
        );
        assert_eq!(
            n.grants_of.into_iter().collect::<Vec<_>>(),
            [
                GranteeId::User(PrincipalId::ram_user("owner@x.com", "bob")),
                GranteeId::Role(RoleName::new("r")),
            ]
        );
    }

    /// Every statement a check refuses on a fact must name that fact in
    /// its needs, or a remote backend would never read it: checked against
    /// a state that knows only what the statement says it needs.
    #[test]
    fn a_statement_that_reads_only_its_needs_raises_no_not_verified() {
        use crate::{Context, ProjectState, WarningCode, check_in};
        let owner = PrincipalId::aliyun("owner@x.com");
        let caller = Caller::from_principal(owner.clone());
        let script = "add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob;
            grant Select on table t to RAM$bob; revoke Select on table t from role r;
            remove trustedproject q; set ProjectProtection=true; drop package k;
            uninstall package a.b; remove tenant user RAM$c; drop tenant role tr;
            revoke label on table t from RAM$bob; drop role r; remove user RAM$bob;
            remove accountprovider ram; setproject a=1; show securityconfiguration;
            create row access policy p on t to default filter using (1 = 1);
            drop row access policy p on t; create data masking policy m to default using X;
            apply data masking policy m bind to table u column c; drop data masking policy m;";
        for stmt in mcauth_syntax::parse(script).statements {
            let mut needs = Needs::default();
            needs.add(&stmt, &caller, &owner);
            let mut state = ProjectState::unread("p", owner.clone());
            for fact in &needs.facts {
                state.learn(*fact);
            }
            for g in &needs.grants_of {
                state.learn_grants_of(g.clone());
            }
            let effect = check_in(&state, &caller, &Context::default(), &stmt);
            if let Ok(effect) = effect {
                assert!(
                    !effect
                        .warnings
                        .iter()
                        .any(|w| w.code == WarningCode::NotVerified),
                    "{stmt}: {:?}",
                    effect.warnings
                );
            }
        }
    }
}
