//! Project roles (docs/language.md#roles, #role-grants; rules e,
//! f, g, j of #checked-rules).

use mcauth_syntax::ast::{Grantee, Ident, Properties, StringLit};

use super::resolve::existing;
use super::role_space::{
    Assignment, admin_option_unsupported, assign, describe, droppable, held, holders,
};
use super::{Cx, Outcome, is_group, ok};
use crate::authority::{Action, Authority};
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::names::{GranteeId, RoleName};
use crate::output::Output;
use crate::state::{RoleScope, RoleType};
use crate::view::{StateView, owned};

/// `role … does not exist`. When one of `known` (the roles of the project,
/// or the tenant's) is a likely misspelling of it, the help names that
/// first: a typo is likelier than a role that was never made.
pub(crate) fn role_not_found(role: &Ident, known: &[&RoleName], help: String) -> Failure {
    let names = known.iter().map(|r| r.as_str());
    let help = match mcauth_syntax::did_you_mean(&role.value, names) {
        Some(guess) => format!("did you mean `{guess}`? (otherwise: {help})"),
        None => help,
    };
    Failure::new(
        FailureCode::RoleNotFound,
        format!("role {} does not exist", role.value.to_ascii_lowercase()),
        role.span,
        "no such role",
        help,
    )
}

fn create_help(role: &Ident) -> String {
    format!(
        "create it first: create role {};",
        role.value.to_ascii_lowercase()
    )
}

/// Role names: a letter, then letters, digits or `_`, at most 64 in all.
/// (The docs say "letters and digits only" but their own examples use
/// `_`, so `_` is accepted.)
pub(crate) fn valid_role_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
}

pub(crate) fn check_role_name(role: &Ident) -> Result<RoleName, Failure> {
    if valid_role_name(&role.value) {
        Ok(RoleName::new(&role.value))
    } else {
        Err(Failure::new(
            FailureCode::InvalidRoleName,
            format!(
                "invalid role name {}: a role name starts with a letter and has at most 64 letters, digits or underscores",
                role.value
            ),
            role.span,
            "not a valid role name",
            "choose a name like: create role data_reader;",
        ))
    }
}

pub(crate) fn invalid_property(lit: &StringLit, message: String, help: &str) -> Failure {
    Failure::new(
        FailureCode::InvalidProperty,
        message,
        lit.span,
        "not accepted here",
        help,
    )
}

/// The `"type"` of `create role`, `resource` when absent.
pub(crate) fn role_type(properties: Option<&Properties>) -> Result<RoleType, Failure> {
    let mut t = RoleType::Resource;
    for p in properties.iter().flat_map(|p| p.entries.iter()) {
        if !p.key.value.eq_ignore_ascii_case("type") {
            return Err(invalid_property(
                &p.key,
                format!(
                    "create role takes only the \"type\" property, not \"{}\"",
                    p.key.value
                ),
                "create role r privilegeproperties(\"type\"=\"resource\");",
            ));
        }
        t = if p.value.value.eq_ignore_ascii_case("admin") {
            RoleType::Admin
        } else if p.value.value.eq_ignore_ascii_case("resource") {
            RoleType::Resource
        } else {
            return Err(invalid_property(
                &p.value,
                format!(
                    "role type must be admin or resource, not \"{}\"",
                    p.value.value
                ),
                "create role r privilegeproperties(\"type\"=\"admin\");",
            ));
        };
    }
    Ok(t)
}

pub(crate) fn create_role<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    role: &Ident,
    comment: Option<&StringLit>,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::CreateRole)?;
    let name = check_role_name(role)?;
    if cx.knows(Fact::Roles, role.span) && cx.view.role_exists(&name) {
        return Err(Failure::new(
            FailureCode::RoleAlreadyExists,
            format!("role {name} already exists"),
            role.span,
            "already a role",
            format!("use another name, or drop it first: drop role {name};"),
        ));
    }
    let role_type = role_type(properties)?;
    let grantee = GranteeId::Role(name.clone());
    let retained = cx.view.grant_count(&grantee);
    if retained > 0 && cx.view.knows_grants_of(&grantee) {
        cx.warn_with(
            WarningCode::RetainedGrantsRestored,
            format!("role {name} inherits {retained} grant(s) left by a dropped role of the same name"),
            role.span,
            format!("to start clean instead: drop role {name}; purge privs from role {name}; create role {name};"),
        );
    }
    ok(vec![Change::CreateRole {
        role: name,
        role_type,
        comment: comment.map(|c| c.value.clone()),
    }])
}

pub(crate) fn drop_role<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    cx.require(Action::DropRole)?;
    let name = RoleName::new(&role.value);
    if cx.knows(Fact::Roles, role.span) && !cx.view.role_exists(&name) {
        return Err(role_not_found(
            role,
            &cx.view.roles(),
            "nothing to drop; `list roles;` shows the roles".into(),
        ));
    }
    droppable(cx, RoleScope::Project, role, &name)?;
    let grantee = GranteeId::Role(name.clone());
    if cx.view.has_grants(&grantee) && cx.view.knows_grants_of(&grantee) {
        cx.warn_with(
            WarningCode::GrantsRetained,
            format!("the grants of role {name} are kept and pass to a new role of the same name"),
            role.span,
            format!("to clear them after dropping: purge privs from role {name};"),
        );
    }
    ok(vec![Change::DropRole { role: name }])
}

pub(crate) fn list_roles<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ListRoles)?;
    Ok((Vec::new(), Output::Roles(owned(cx.view.roles()))))
}

pub(crate) fn describe_role<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    cx.require(Action::DescribeRole)?;
    let name = RoleName::new(&role.value);
    if cx.view.role(&name).is_none() && cx.knows(Fact::Roles, role.span) {
        return Err(role_not_found(role, &cx.view.roles(), create_help(role)));
    }
    describe(cx, RoleScope::Project, name)
}

/// Rule g: Admin cannot grant or revoke `admin` / `super_administrator`.
fn may_assign(a: Authority, role: &RoleName) -> bool {
    !(role.is_builtin() && a == Authority::Admin)
}

fn builtin_denied<V: StateView + ?Sized>(cx: &Cx<'_, V>, role: &Ident, grant: bool) -> Failure {
    let name = RoleName::new(&role.value);
    let verb = if grant { "grant" } else { "revoke" };
    Failure::new(
        FailureCode::PermissionDenied,
        format!(
            "ODPS-0420095: Access Denied - a user with the Admin role cannot {verb} the {name} role"
        ),
        role.span,
        "only the owner or Super_Administrator may assign this role",
        format!(
            "ask the owner ({}) or a Super_Administrator to run: {}",
            cx.view.owner(),
            cx.stmt
        ),
    )
}

fn user_grantee<'g, V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    g: &'g Grantee,
) -> Result<&'g mcauth_syntax::ast::Principal, Failure> {
    match g {
        Grantee::User {
            tenant: false,
            principal,
        } => Ok(principal),
        Grantee::User { tenant: true, .. } => Err(cx.unsupported(
            "project roles for tenant users",
            "add the user to the project and grant the role there: add user <user>; grant <role> to <user>;",
        )),
        Grantee::Role { name, .. } => Err(Failure::new(
            FailureCode::InvalidAccountName,
            format!("Invalid account Name {}", name.value),
            name.span,
            "roles are granted to users, not to roles",
            "grant the role to a user: grant <role> to <user>;",
        )),
        _ if is_group(g) => Err(cx.unsupported(
            "groups",
            "grant the role to users instead: grant <role> to <user>;",
        )),
        _ => Err(cx.unsupported("this grantee", "grant <role> to <user>;")),
    }
}

/// `grant r1, r2 to u1, u2` or `revoke r1, r2 from u1, u2`.
pub(crate) fn assign_roles<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, a: &Assignment) -> Outcome {
    let (roles, grant) = (a.roles, a.grant);
    let action = if grant {
        Action::GrantRole
    } else {
        Action::RevokeRole
    };
    let authority = cx.require(action)?;
    if a.admin_option {
        return Err(admin_option_unsupported(cx, RoleScope::Project, grant));
    }
    let mut names = Vec::with_capacity(roles.len());
    for role in roles {
        let name = RoleName::new(&role.value);
        if !cx.view.role_exists(&name) && cx.knows(Fact::Roles, role.span) {
            let help = if grant {
                create_help(role)
            } else {
                "nothing to revoke; `list roles;` shows the roles".into()
            };
            return Err(role_not_found(role, &cx.view.roles(), help));
        }
        if !may_assign(authority, &name) {
            return Err(builtin_denied(cx, role, grant));
        }
        names.push(name);
    }
    // A revoke may name a residue: it keeps the roles it held.
    assign(cx, RoleScope::Project, a, &names, |cx, g| {
        existing(cx, user_grantee(cx, g)?, !grant)
    })
}

pub(crate) fn show_principals<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    cx.require(Action::ListRolePrincipals)?;
    let name = RoleName::new(&role.value);
    if !cx.view.role_exists(&name) && cx.knows(Fact::Roles, role.span) {
        return Err(role_not_found(role, &cx.view.roles(), create_help(role)));
    }
    let holders = holders(cx.view, RoleScope::Project, &name);
    Ok((Vec::new(), Output::Principals(holders)))
}

pub(crate) fn show_role_grant<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    grantee: &Grantee,
) -> Outcome {
    let principal = user_grantee(cx, grantee)?;
    let id = existing(cx, principal, true)?;
    if id != cx.caller.principal || cx.authority() == Authority::Outsider {
        cx.require(Action::ListUserRoles)?;
    }
    let held = held(cx.view, RoleScope::Project, &id);
    Ok((Vec::new(), Output::Roles(held)))
}
