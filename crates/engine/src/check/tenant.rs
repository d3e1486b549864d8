//! Account-level ("tenant") users and roles (docs/language.md#tenant-statements).
//!
//! **Choices:** tenant users are RAM users or RAM roles of the caller's
//! account; tenant statements are run by the Alibaba Cloud account itself
//! (`ALIYUN$<account>` with that account) or a holder of the tenant
//! `super_administrator` role (reads also by tenant `admin`); tenant
//! custom roles are resource roles only; the project's account providers
//! do not apply at account level.

use mcauth_syntax::ast::{Grantee, Ident, Principal, Properties};

use super::resolve::id_of;
use super::role_space::{
    Assignment, admin_option_unsupported, assign, describe, droppable, holders, revoke_all,
};
use super::roles::{check_role_name, invalid_property, role_not_found};
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::names::{PrincipalClass, PrincipalId, RoleName};
use crate::output::Output;
use crate::ram::{RamDecision, RamVerdict, ram_request};
use crate::state::RoleScope;
use crate::view::{StateView, owned};

/// Whether the caller may run this tenant-level statement: the account
/// itself, a RAM verdict of Allow for the statement's action, or (unless a
/// RAM policy explicitly denies it) a tenant Super_Administrator, or a
/// tenant Admin for reads.
pub(crate) fn require_tenant<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    read: bool,
) -> Result<(), Failure> {
    let p = &cx.caller.principal;
    // The tenant is the project owner's account: another account, even a
    // member of the project, is not its root.
    let owner_account = cx.view.owner().account().unwrap_or_default();
    let is_account = p.class() == PrincipalClass::Aliyun
        && p.account()
            .is_some_and(|a| a.eq_ignore_ascii_case(owner_account));
    if is_account {
        return Ok(());
    }
    // A verdict counts only for the action this statement needs.
    let verdict = cx
        .caller
        .ram
        .as_ref()
        .filter(|v| ram_request(cx.stmt).is_some_and(|n| n.action == v.action));
    match verdict.map(|v| v.decision) {
        Some(RamDecision::Allow) => return Ok(()),
        Some(RamDecision::ExplicitDeny) => {
            return Err(ram_denied(cx, verdict, true));
        }
        Some(RamDecision::ImplicitDeny) | None => {}
    }
    let sa = cx.view.has_tenant_role(p, &RoleName::super_administrator());
    let admin = read && cx.view.has_tenant_role(p, &RoleName::admin());
    if sa || admin || !cx.knows(Fact::TenantRoles, cx.stmt.span) {
        return Ok(());
    }
    if verdict.is_none() && cx.caller.ram_policies_unknown && p.is_ram() {
        cx.not_verified("the caller's RAM policies", cx.stmt.span);
        return Ok(());
    }
    if verdict.is_some() {
        return Err(ram_denied(cx, verdict, false));
    }
    Err(Failure::new(
        FailureCode::PermissionDenied,
        format!(
            "ODPS-0420095: Access Denied - {p} may not manage the tenant users and roles of account {}",
            cx.caller.account
        ),
        cx.stmt.span,
        "needs the Alibaba Cloud account or a tenant Super_Administrator",
        format!("run it as ALIYUN${}: {}", cx.caller.account, cx.stmt),
    ))
}

/// The refusal of a RAM-governed statement: which action on which ARN.
fn ram_denied<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    verdict: Option<&RamVerdict>,
    explicit: bool,
) -> Failure {
    let p = &cx.caller.principal;
    let (action, arn) = verdict.map_or(("", ""), |v| (v.action.as_str(), v.arn.as_str()));
    let why = if explicit {
        match verdict.and_then(|v| v.decided_by.as_deref()) {
            Some(by) => format!("explicitly denied by {by}"),
            None => "explicitly denied by a RAM policy".to_owned(),
        }
    } else {
        "no RAM policy attached to it allows this".to_owned()
    };
    let help = if explicit {
        format!(
            "remove the Deny for {action} from the RAM policies of {p}, or run it as ALIYUN${}",
            cx.caller.account
        )
    } else {
        format!(
            "attach a RAM policy allowing {action} on {arn} to {p} (or AliyunMaxComputeFullAccess), or grant it the tenant role super_administrator"
        )
    };
    Failure::new(
        FailureCode::PermissionDenied,
        format!("ODPS-0420095: Access Denied - {p} is not allowed {action} on {arn}: {why}"),
        cx.stmt.span,
        format!("{action} on {arn} denied"),
        help,
    )
}

fn tenant_user_id<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    p: &Principal,
) -> Result<PrincipalId, Failure> {
    let id = id_of(cx, p);
    if !id.is_ram() {
        return Err(Failure::new(
            FailureCode::InvalidAccountName,
            format!("Invalid account Name {id}"),
            p.span,
            "tenant users are RAM users or RAM roles",
            format!(
                "name a RAM user of the account: add tenant user RAM${};",
                id.short_name()
            ),
        ));
    }
    Ok(id)
}

fn existing_tenant_user<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    p: &Principal,
) -> Result<PrincipalId, Failure> {
    let id = tenant_user_id(cx, p)?;
    if cx.knows(Fact::TenantUsers, p.span) && !cx.view.is_tenant_user(&id) {
        return Err(Failure::new(
            FailureCode::TenantUserNotFound,
            format!("Invalid account Name {id}"),
            p.span,
            "not a tenant user",
            format!("add it first: add tenant user {};", id.to_statement_text()),
        ));
    }
    Ok(id)
}

fn existing_role<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    role: &Ident,
) -> Result<RoleName, Failure> {
    let name = RoleName::new(&role.value);
    if cx.knows(Fact::TenantRoles, role.span) && cx.view.tenant_role(&name).is_none() {
        return Err(role_not_found(
            role,
            &cx.view.tenant_roles(),
            format!("create it first: create tenant role {name};"),
        ));
    }
    Ok(name)
}

pub(crate) fn add_user<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, p: &Principal) -> Outcome {
    require_tenant(cx, false)?;
    let id = tenant_user_id(cx, p)?;
    let account = id.account().unwrap_or_default();
    if !account.eq_ignore_ascii_case(&cx.caller.account) {
        return Err(Failure::new(
            FailureCode::OtherAccountRamUser,
            format!(
                "cannot add {id}: tenant users belong to the caller's own account ({})",
                cx.caller.account
            ),
            p.span,
            "a RAM principal of another Alibaba Cloud account",
            format!(
                "the owning account adds it: as ALIYUN${account}, run: add tenant user {};",
                id.to_statement_text()
            ),
        ));
    }
    if cx.knows(Fact::TenantUsers, p.span) && cx.view.is_tenant_user(&id) {
        return Err(Failure::new(
            FailureCode::TenantUserExists,
            format!("{id} is already a tenant user"),
            p.span,
            "already a tenant user",
            format!(
                "to start afresh: remove tenant user {};",
                id.to_statement_text()
            ),
        ));
    }
    ok(vec![Change::AddTenantUser { principal: id }])
}

pub(crate) fn remove_user<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, p: &Principal) -> Outcome {
    require_tenant(cx, false)?;
    let id = existing_tenant_user(cx, p)?;
    let roles = cx.view.tenant_roles_of(&id);
    if cx.knows(Fact::TenantRoles, p.span) && !roles.is_empty() {
        let names: Vec<&str> = roles.iter().map(RoleName::as_str).collect();
        return Err(Failure::new(
            FailureCode::UserHoldsRoles,
            format!("{id} still holds tenant role(s) {}", names.join(", ")),
            p.span,
            "holds tenant roles",
            format!(
                "{} then: remove tenant user {};",
                revoke_all(RoleScope::Tenant, roles, &id),
                id.to_statement_text()
            ),
        ));
    }
    ok(vec![Change::RemoveTenantUser { principal: id }])
}

pub(crate) fn list_users<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    require_tenant(cx, true)?;
    Ok((
        Vec::new(),
        Output::Principals(owned(cx.view.tenant_users())),
    ))
}

pub(crate) fn create_role<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    role: &Ident,
    properties: Option<&Properties>,
) -> Outcome {
    require_tenant(cx, false)?;
    let name = check_role_name(role)?;
    if cx.knows(Fact::TenantRoles, role.span) && cx.view.tenant_role(&name).is_some() {
        return Err(Failure::new(
            FailureCode::RoleAlreadyExists,
            format!("tenant role {name} already exists"),
            role.span,
            "already a tenant role",
            format!("use another name, or drop it first: drop tenant role {name};"),
        ));
    }
    for p in properties.iter().flat_map(|p| p.entries.iter()) {
        if !(p.key.value.eq_ignore_ascii_case("type")
            && p.value.value.eq_ignore_ascii_case("resource"))
        {
            return Err(invalid_property(
                &p.value,
                "tenant custom roles are resource roles only".into(),
                "create tenant role r;",
            ));
        }
    }
    ok(vec![Change::CreateTenantRole { role: name }])
}

pub(crate) fn drop_role<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    require_tenant(cx, false)?;
    let name = existing_role(cx, role)?;
    droppable(cx, RoleScope::Tenant, role, &name)?;
    ok(vec![Change::DropTenantRole { role: name }])
}

pub(crate) fn list_roles<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    require_tenant(cx, true)?;
    Ok((Vec::new(), Output::Roles(owned(cx.view.tenant_roles()))))
}

pub(crate) fn describe_role<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    require_tenant(cx, true)?;
    let name = existing_role(cx, role)?;
    describe(cx, RoleScope::Tenant, name)
}

fn grantee_principal<'g, V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    g: &'g Grantee,
) -> Result<&'g Principal, Failure> {
    match g {
        Grantee::User { principal, .. } => Ok(principal),
        _ => Err(cx.unsupported(
            "tenant roles for roles or groups",
            "grant the tenant role to a tenant user: grant tenant role <role> to user <user>;",
        )),
    }
}

/// `grant tenant role r to user u` (`grant`) or `revoke tenant role r
/// from user u`.
pub(crate) fn assign_roles<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, a: &Assignment) -> Outcome {
    require_tenant(cx, false)?;
    if a.admin_option {
        return Err(admin_option_unsupported(cx, RoleScope::Tenant, a.grant));
    }
    let names = a
        .roles
        .iter()
        .map(|r| existing_role(cx, r))
        .collect::<Result<Vec<_>, _>>()?;
    assign(cx, RoleScope::Tenant, a, &names, |cx, g| {
        existing_tenant_user(cx, grantee_principal(cx, g)?)
    })
}

pub(crate) fn show_principals<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: &Ident) -> Outcome {
    require_tenant(cx, true)?;
    let name = existing_role(cx, role)?;
    let holders = holders(cx.view, RoleScope::Tenant, &name);
    Ok((Vec::new(), Output::Principals(holders)))
}

pub(crate) fn role_to_project<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    role: &Ident,
    project: &Ident,
    add: bool,
) -> Outcome {
    cx.require(Action::TenantRoleToProject)?;
    if !project.value.eq_ignore_ascii_case(cx.view.project()) {
        return Err(Failure::new(
            FailureCode::UnsupportedLocally,
            format!(
                "project {} is not visible locally; only {} is",
                project.value,
                cx.view.project()
            ),
            project.span,
            "another project",
            format!(
                "run it against project {}, or name this one: {} tenant role {} {} project {};",
                project.value,
                if add { "add" } else { "remove" },
                role.value,
                if add { "to" } else { "from" },
                cx.view.project()
            ),
        ));
    }
    let name = existing_role(cx, role)?;
    let present = cx.view.is_tenant_role_in_project(&name);
    if cx.knows(Fact::TenantRolesInProject, role.span) && present == add {
        cx.warn(
            WarningCode::NoEffect,
            if add {
                format!("tenant role {name} is already in the project")
            } else {
                format!("tenant role {name} is not in the project")
            },
            role.span,
        );
        return ok(Vec::new());
    }
    ok(vec![if add {
        Change::AddTenantRoleToProject { role: name }
    } else {
        Change::RemoveTenantRoleFromProject { role: name }
    }])
}
