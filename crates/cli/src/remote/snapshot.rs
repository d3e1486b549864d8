//! Reading a project's authorization state from MaxCompute into the
//! engine's model, by replaying what was read as engine changes.

use mcauth_engine::{
    Caller, Change, Fact, PrincipalId, ProjectState, Provider, RoleName, RoleType, StateView, apply,
};
use mcauth_odps::{Client, OdpsError, SecurityQuery};

/// Providers, members (and `p4_…` residues), roles and who holds them.
/// Every other kind of fact stays unknown (see [`mcauth_engine::Fact`]):
/// the checks that need them pass with a `not_verified` warning, and
/// MaxCompute decides.
pub async fn read(
    client: &Client,
    project: &str,
    caller: &Caller,
) -> Result<ProjectState, OdpsError> {
    let meta = client.project_meta(project).await?;
    let owner = meta
        .owner
        .as_deref()
        .and_then(|o| PrincipalId::parse(o, ""))
        .unwrap_or_else(|| caller.principal.clone());
    let mut state = ProjectState::unread(project, owner);
    let providers = client
        .run_security_query(
            project,
            &SecurityQuery::new("list accountproviders").json(false),
            std::future::pending(),
        )
        .await?;
    // `ALIYUN, RAM` as text; tolerate a JSON array too.
    let names = providers
        .split([',', '\n'])
        .map(|n| n.trim().trim_matches(['[', ']', '"', ' ']));
    for name in names.filter(|n| !n.is_empty()) {
        if let Some(provider) = Provider::from_name(name)
            && provider != Provider::Aliyun
        {
            apply(&mut state, &Change::AddProvider { provider });
        }
    }
    let users = client.list_users(project).await?;
    for user in &users {
        let Some(principal) = PrincipalId::parse(&user.display_name, "") else {
            continue;
        };
        let change = if user.display_name.starts_with("p4_") {
            Change::AddResidue {
                principal,
                roles: Vec::new(),
            }
        } else {
            Change::AddMember { principal }
        };
        apply(&mut state, &change);
    }
    let roles = client.list_roles(project).await?;
    for role in &roles {
        let name = RoleName::new(&role.name);
        if !name.is_builtin() {
            apply(
                &mut state,
                &Change::CreateRole {
                    role: name,
                    role_type: role_type(role.role_type.as_deref()),
                    comment: None,
                },
            );
        }
    }
    // Who holds which role: ask per user or per role, whichever takes
    // fewer requests.
    if users.len() <= roles.len() {
        for user in &users {
            let Some(principal) = PrincipalId::parse(&user.display_name, "") else {
                continue;
            };
            for role in client.user_roles(project, &user.display_name).await? {
                apply(
                    &mut state,
                    &Change::GrantRole {
                        role: RoleName::new(&role.name),
                        principal: principal.clone(),
                    },
                );
            }
        }
    } else {
        for role in &roles {
            for user in client.role_users(project, &role.name).await? {
                if let Some(principal) = PrincipalId::parse(&user.display_name, "") {
                    apply(
                        &mut state,
                        &Change::GrantRole {
                            role: RoleName::new(&role.name),
                            principal,
                        },
                    );
                }
            }
        }
    }
    for fact in [
        Fact::Providers,
        Fact::Members,
        Fact::Roles,
        Fact::RoleHolders,
    ] {
        state.learn(fact);
    }
    Ok(state)
}

/// A listed role's type. The Java SDK reads `<Type>`; where the answer
/// does not carry it (the emulator's does not, and no statement's text
/// shows it either: `describe role` prints users and grants only), the
/// role is taken as a resource role, the default, so that ACL checks stay
/// lenient rather than wrong.
fn role_type(listed: Option<&str>) -> RoleType {
    match listed {
        Some(t) if t.eq_ignore_ascii_case("admin") => RoleType::Admin,
        _ => RoleType::Resource,
    }
}

/// Whether two states agree on providers, members and role assignments:
/// what a statement whose outcome is unknown can be judged by.
pub fn same_membership(a: &ProjectState, b: &ProjectState) -> bool {
    a.providers() == b.providers()
        && a.members() == b.members()
        && a.roles() == b.roles()
        && a.roles()
            .iter()
            .all(|r| a.role_members(r) == b.role_members(r))
}

/// Whether reading the state back shows this change.
pub fn is_observable(change: &Change) -> bool {
    matches!(
        change,
        Change::AddProvider { .. }
            | Change::RemoveProvider { .. }
            | Change::AddMember { .. }
            | Change::RemoveMember { .. }
            | Change::CreateRole { .. }
            | Change::DropRole { .. }
            | Change::GrantRole { .. }
            | Change::RevokeRole { .. }
    )
}

/// Whether MaxCompute accepts this change again without effect.
pub fn is_idempotent(change: &Change) -> bool {
    matches!(
        change,
        Change::AddAclGrant { .. }
            | Change::RemoveAclGrant { .. }
            | Change::PurgeGrants { .. }
            | Change::SetFlag { .. }
            | Change::AddLabelGrant { .. }
            | Change::RemoveLabelGrant { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_type_decides_and_resource_is_the_default() {
        assert_eq!(role_type(Some("admin")), RoleType::Admin);
        assert_eq!(role_type(Some("ADMIN")), RoleType::Admin);
        assert_eq!(role_type(Some("Resource")), RoleType::Resource);
        assert_eq!(role_type(Some("something else")), RoleType::Resource);
        assert_eq!(role_type(None), RoleType::Resource);
    }
}
