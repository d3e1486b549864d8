//! What the project's roles and the tenant's have in common: granting and
//! revoking them, describing one, listing its holders. Each statement
//! module resolves names and authorises the caller its own way, then
//! calls in here with the [`RoleScope`].

use mcauth_syntax::ast::{Grantee, Ident};
use rustc_hash::FxHashSet;

use super::{Cx, Outcome};
use crate::change::Change;
use crate::failure::{Failure, FailureCode};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::output::{AuthorizationType, Output, RoleDescription};
use crate::report::{Filter, grant_lines};
use crate::state::{RoleScope, RoleType};
use crate::view::StateView;

/// What tells who holds the roles of a scope.
fn holders_fact(scope: RoleScope) -> Fact {
    match scope {
        RoleScope::Project => Fact::RoleHolders,
        RoleScope::Tenant => Fact::TenantRoles,
    }
}

/// The grantee a role of a scope is, for its grants.
fn grantee_of(scope: RoleScope, role: RoleName) -> GranteeId {
    match scope {
        RoleScope::Project => GranteeId::Role(role),
        RoleScope::Tenant => GranteeId::TenantRole(role),
    }
}

/// How statements name a role of a scope and its holder: `grant r to
/// u;` and `grant tenant role r to user u;`.
fn words(scope: RoleScope) -> (&'static str, &'static str) {
    match scope {
        RoleScope::Project => ("", ""),
        RoleScope::Tenant => ("tenant role ", "user "),
    }
}

/// `with admin option` and `admin option for`, which the model lacks.
pub(crate) fn admin_option_unsupported<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    scope: RoleScope,
    grant: bool,
) -> Failure {
    let (role, user) = words(scope);
    if grant {
        cx.unsupported(
            "`with admin option`",
            &format!("grant the role without it: grant {role}<role> to {user}<user>;"),
        )
    } else {
        cx.unsupported(
            "`admin option for`",
            &format!("revoke the role itself: revoke {role}<role> from {user}<user>;"),
        )
    }
}

/// The statement that takes every role of `roles` from `p`: `revoke r1,
/// r2 from u;`, or `revoke tenant role r1, r2 from user u;`.
pub(crate) fn revoke_all<'r>(
    scope: RoleScope,
    roles: impl IntoIterator<Item = &'r RoleName>,
    p: &PrincipalId,
) -> String {
    let names: Vec<&str> = roles.into_iter().map(RoleName::as_str).collect();
    let (role, user) = words(scope);
    format!(
        "revoke {role}{} from {user}{};",
        names.join(", "),
        p.to_statement_text()
    )
}

/// A `grant` or a `revoke` of roles, as the statement wrote it.
pub(crate) struct Assignment<'s> {
    pub roles: &'s [Ident],
    pub grantees: &'s [Grantee],
    /// `with admin option` (of a grant) or `admin option for` (of a revoke).
    pub admin_option: bool,
    pub grant: bool,
}

/// Checks a grant or a revoke of roles of either scope.
pub(crate) fn assign_roles<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    tenant: bool,
    a: &Assignment,
) -> Outcome {
    if tenant {
        super::tenant::assign_roles(cx, a)
    } else {
        super::roles::assign_roles(cx, a)
    }
}

/// Grants or revokes each of `names` (the roles `a` writes, resolved) to
/// or from each of its grantees, which `principal` resolves. A pair that
/// is already as asked, or that the statement names twice, fails.
pub(crate) fn assign<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    scope: RoleScope,
    a: &Assignment,
    names: &[RoleName],
    principal: impl Fn(&mut Cx<'_, V>, &Grantee) -> Result<PrincipalId, Failure>,
) -> Outcome {
    let (roles, grant) = (a.roles, a.grant);
    let fact = holders_fact(scope);
    // The pairs this statement has assigned so far.
    let mut done: FxHashSet<(&RoleName, PrincipalId)> = FxHashSet::default();
    let mut changes = Vec::new();
    for g in a.grantees {
        let id = principal(cx, g)?;
        for (role, name) in roles.iter().zip(names) {
            let again = !done.insert((name, id.clone()));
            if again || (cx.knows(fact, role.span) && cx.view.holds(scope, &id, name) == grant) {
                return Err(if grant {
                    already_granted(scope, role, name, &id)
                } else {
                    not_granted(cx, scope, role, name, &id)
                });
            }
            let (role, principal) = (name.clone(), id.clone());
            changes.push(match (scope, grant) {
                (RoleScope::Project, true) => Change::GrantRole { role, principal },
                (RoleScope::Project, false) => Change::RevokeRole { role, principal },
                (RoleScope::Tenant, true) => Change::GrantTenantRole { role, principal },
                (RoleScope::Tenant, false) => Change::RevokeTenantRole { role, principal },
            });
        }
    }
    super::ok(changes)
}

fn already_granted(scope: RoleScope, role: &Ident, name: &RoleName, id: &PrincipalId) -> Failure {
    let help = match scope {
        RoleScope::Project => format!(
            "`show grants for {};` lists its roles",
            id.to_statement_text()
        ),
        RoleScope::Tenant => format!(
            "to grant it afresh: revoke tenant role {name} from user {};",
            id.to_statement_text()
        ),
    };
    Failure::new(
        FailureCode::RoleAlreadyGranted,
        format!("Principal already have the Role:{name}"),
        role.span,
        format!("{id} already holds {name}"),
        help,
    )
}

fn not_granted<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    scope: RoleScope,
    role: &Ident,
    name: &RoleName,
    id: &PrincipalId,
) -> Failure {
    let help = match scope {
        RoleScope::Project => {
            let held = cx.view.roles_held(scope, id);
            if held.is_empty() {
                format!("{id} holds no roles; nothing to revoke")
            } else {
                format!("{id} holds: {}", revoke_all(scope, held, id))
            }
        }
        RoleScope::Tenant => format!(
            "nothing to revoke; to grant it: grant tenant role {name} to user {};",
            id.to_statement_text()
        ),
    };
    Failure::new(
        FailureCode::RoleNotGranted,
        format!("Principal {id} does not have the Role:{name}"),
        role.span,
        format!("{id} does not hold {name}"),
        help,
    )
}

/// Whether a role of a scope may be dropped: not a built-in, and held by
/// nobody (when who holds it was read).
pub(crate) fn droppable<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    scope: RoleScope,
    role: &Ident,
    name: &RoleName,
) -> Result<(), Failure> {
    if name.is_builtin() {
        let (message, help) = match scope {
            RoleScope::Project => (
                format!("built-in role {name} cannot be dropped"),
                format!("built-in roles stay; to take it from someone: revoke {name} from <user>;"),
            ),
            RoleScope::Tenant => (
                format!("built-in tenant role {name} cannot be dropped"),
                format!("to take it from someone: revoke tenant role {name} from user <user>;"),
            ),
        };
        let label = "a built-in role";
        return Err(Failure::new(
            FailureCode::BuiltinRole,
            message,
            role.span,
            label,
            help,
        ));
    }
    let members = cx.view.holders(scope, name);
    if !cx.knows(holders_fact(scope), role.span) || members.is_empty() {
        return Ok(());
    }
    let who: Vec<String> = members.iter().map(PrincipalId::to_statement_text).collect();
    let (message, help) = match scope {
        RoleScope::Project => {
            let names: Vec<String> = members.iter().map(ToString::to_string).collect();
            (
                format!(
                    "role {name} is assigned to {}; revoke it from every user before dropping it",
                    names.join(", ")
                ),
                format!(
                    "revoke {name} from {}; then: drop role {name};",
                    who.join(", ")
                ),
            )
        }
        RoleScope::Tenant => (
            format!("tenant role {name} is assigned to {}", who.join(", ")),
            format!(
                "revoke tenant role {name} from user {}; then: drop tenant role {name};",
                who.join(", user ")
            ),
        ),
    };
    let label = "still assigned";
    Err(Failure::new(
        FailureCode::RoleInUse,
        message,
        role.span,
        label,
        help,
    ))
}

/// `describe [tenant] role r`: its type, holders and grants.
pub(crate) fn describe<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    scope: RoleScope,
    name: RoleName,
) -> Outcome {
    let role_type = cx
        .view
        .role_in(scope, &name)
        .map_or(RoleType::Resource, |i| i.role_type);
    let grants = cx.view.grants_of(&grantee_of(scope, name.clone()));
    let sections = [AuthorizationType::Acl, AuthorizationType::Policy]
        .into_iter()
        .filter_map(|t| {
            let lines = grant_lines(cx.view.project(), &grants, t, &Filter::All);
            (!lines.is_empty()).then_some((t, lines))
        })
        .collect();
    Ok((
        Vec::new(),
        Output::RoleDescription(RoleDescription {
            users: holders(cx.view, scope, &name),
            role: name,
            role_type,
            sections,
        }),
    ))
}

/// Who holds a role of a scope, in order.
pub(crate) fn holders<V: StateView + ?Sized>(
    view: &V,
    scope: RoleScope,
    role: &RoleName,
) -> Vec<PrincipalId> {
    view.holders(scope, role).iter().cloned().collect()
}

/// The roles of a scope a principal holds, in order.
pub(crate) fn held<V: StateView + ?Sized>(
    view: &V,
    scope: RoleScope,
    p: &PrincipalId,
) -> Vec<RoleName> {
    view.roles_held(scope, p).iter().cloned().collect()
}
