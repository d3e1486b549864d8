//! Project members and account providers (docs/language.md#users,
//! #account-providers; rules a, b, c, d, i of #checked-rules).

use mcauth_syntax::ast::{Ident, Principal, PrincipalKind, StringLit};

use super::resolve::{existing, id_of, invalid_account, need_provider};
use super::role_space::revoke_all;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, Warning, WarningCode};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalClass, PrincipalId, Provider, RoleName};
use crate::output::Output;
use crate::state::PolicySlot;
use crate::state::RoleScope;
use crate::view::{StateView, owned};

/// `revoke r1, r2 from <p>;`
/// `add user <p> [comment '…']`: the comment is kept with the member
/// (listings show it) and goes when the member does.
pub(crate) fn add_user<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    p: &Principal,
    comment: Option<&StringLit>,
) -> Outcome {
    cx.require(Action::AddUser)?;
    let id = id_of(cx, p);
    match &p.kind {
        PrincipalKind::Bare { name } => {
            return Err(Failure::new(
                FailureCode::BarePrincipal,
                format!("`{name}` names no account provider"),
                p.span,
                "an Alibaba Cloud account or a RAM user?",
                match mcauth_syntax::lost_to_the_shell(name) {
                    Some(example) => mcauth_syntax::shell_help(
                        name,
                        &example,
                        &format!("mcauth -e 'add user {example};'"),
                    ),
                    None => format!(
                        "write the provider: add user ALIYUN${name}; or add user RAM${name};"
                    ),
                },
            ));
        }
        PrincipalKind::Residue { .. } => return Err(invalid_account(cx, &id, p)),
        _ => {}
    }
    need_provider(cx, &id, p)?;
    if &id == cx.view.owner() {
        return Err(Failure::new(
            FailureCode::OwnerIsImplicit,
            format!("{id} is the project owner and is always in the project"),
            p.span,
            "the project owner",
            "nothing to add; `list users;` shows the other members",
        ));
    }
    // Rule b: only RAM principals of the caller's own account.
    if id.is_ram() {
        let account = id.account().unwrap_or_default();
        if !account.eq_ignore_ascii_case(&cx.caller.account) {
            let aliyun = PrincipalId::aliyun(account);
            let step1 = if cx.view.is_member(&aliyun) {
                format!(
                    "{aliyun} is already a member (it needs a role that may add users, e.g. grant admin to {aliyun};)"
                )
            } else {
                format!(
                    "first add the account and let it add users: add user {aliyun}; grant admin to {aliyun};"
                )
            };
            return Err(Failure::new(
                FailureCode::OtherAccountRamUser,
                format!(
                    "cannot add {id}: MaxCompute only adds RAM users of the caller's own Alibaba Cloud account ({})",
                    cx.caller.account
                ),
                p.span,
                "a RAM principal of another Alibaba Cloud account",
                format!(
                    "two steps: {step1} then, as {aliyun}, run: add user {};",
                    id.to_statement_text()
                ),
            ));
        }
    }
    if cx.knows(Fact::Members, p.span) && cx.view.is_member(&id) {
        return Err(Failure::new(
            FailureCode::UserAlreadyExists,
            format!("{id} is already in the project"),
            p.span,
            "already a member",
            format!("to start afresh: remove user {};", id.to_statement_text()),
        ));
    }
    let grantee = GranteeId::User(id.clone());
    let retained = cx.view.grant_count(&grantee);
    if retained > 0 && cx.view.knows_grants_of(&grantee) {
        cx.warn_with(
            WarningCode::RetainedGrantsRestored,
            format!("{retained} grant(s) retained from an earlier membership of {id} are active again"),
            p.span,
            format!(
                "to start without them, remove the user, purge and add it again: remove user {0}; purge privs from user {0}; add user {0};",
                id.to_statement_text()
            ),
        );
    }
    let mut changes = vec![Change::AddMember {
        principal: id.clone(),
    }];
    if let Some(c) = comment.filter(|c| !c.value.is_empty()) {
        changes.push(Change::PutPolicy {
            slot: PolicySlot::MemberComment(id),
            document: c.value.clone(),
        });
    }
    ok(changes)
}

pub(crate) fn remove_user<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, p: &Principal) -> Outcome {
    cx.require(Action::RemoveUser)?;
    let id = id_of(cx, p);
    if id.class() == PrincipalClass::Residue {
        let roles = cx.view.roles_of(&id);
        let help = if roles.is_empty() {
            "a p4_ residue stays in `list users` for good; it does not affect the project"
                .to_owned()
        } else {
            format!(
                "a p4_ residue cannot be removed; to take back its roles: {}",
                revoke_all(RoleScope::Project, roles, &id)
            )
        };
        return Err(Failure::new(
            FailureCode::ResidueNotRemovable,
            format!("lack of account provider, principalName {id}"),
            p.span,
            "what remains of a RAM user removed while holding roles",
            help,
        ));
    }
    let id = existing(cx, p, false)?;
    if &id == cx.view.owner() {
        return Err(Failure::new(
            FailureCode::OwnerIsImplicit,
            format!("{id} is the project owner and cannot be removed"),
            p.span,
            "the project owner",
            "the owner stays; `list users;` shows the members that can be removed",
        ));
    }
    // Rule c.
    let roles = cx.view.roles_of(&id);
    if cx.knows(Fact::RoleHolders, p.span) && !roles.is_empty() {
        let names: Vec<&str> = roles.iter().map(RoleName::as_str).collect();
        let mut failure = Failure::new(
            FailureCode::UserHoldsRoles,
            format!(
                "{id} still holds role(s) {}; revoke them before removing the user",
                names.join(", ")
            ),
            p.span,
            "holds roles",
            format!(
                "{} then: remove user {};",
                revoke_all(RoleScope::Project, roles, &id),
                id.to_statement_text()
            ),
        );
        if id.is_ram() {
            failure = failure.with_warning(
                Warning::new(
                    WarningCode::ResidueRisk,
                    format!(
                        "if {id} is deleted while it still holds roles (e.g. in RAM or DataWorks), MaxCompute leaves an unremovable p4_… residue in `list users`"
                    ),
                    p.span,
                )
                .with_help(revoke_all(RoleScope::Project, roles, &id)),
            );
        }
        return Err(failure);
    }
    let grantee = GranteeId::User(id.clone());
    if cx.view.has_grants(&grantee) && cx.view.knows_grants_of(&grantee) {
        cx.warn_with(
            WarningCode::GrantsRetained,
            format!("the grants of {id} are kept, dormant, and come back if it is added again"),
            p.span,
            format!(
                "to clear them after removing: purge privs from user {};",
                id.to_statement_text()
            ),
        );
    }
    ok(vec![Change::RemoveMember { principal: id }])
}

pub(crate) fn list_users<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ListUsers)?;
    let mut users = cx.view.members();
    let residues = cx.view.residues();
    if !residues.is_empty() {
        users.extend(residues);
        users.sort();
    }
    Ok((Vec::new(), Output::Users(owned(users))))
}

pub(crate) fn list_providers<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ListAccountProviders)?;
    Ok((Vec::new(), Output::AccountProviders(cx.view.providers())))
}

fn provider(name: &Ident) -> Result<Provider, Failure> {
    Provider::from_name(&name.value).ok_or_else(|| {
        Failure::new(
            FailureCode::UnknownAccountProvider,
            format!("unknown account provider {}", name.value),
            name.span,
            "not ALIYUN or RAM",
            "the account providers are ALIYUN and RAM, e.g. add accountprovider ram;",
        )
    })
}

pub(crate) fn add_provider<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, name: &Ident) -> Outcome {
    cx.require(Action::UpdateAccountProviders)?;
    let p = provider(name)?;
    if cx.knows(Fact::Providers, name.span) && cx.view.has_provider(p) {
        cx.warn(
            WarningCode::NoEffect,
            format!("the project already has the {p} account provider"),
            name.span,
        );
        return ok(Vec::new());
    }
    ok(vec![Change::AddProvider { provider: p }])
}

/// Rule i. **Choice (the docs leave it open):** removing `RAM` while RAM
/// users or RAM roles are members fails and names them, because keeping
/// members the project can no longer recognise would leave them stranded
/// (every statement about them would fail with "lack of account
/// provider"). `p4_…` residues and the dormant grants of removed RAM
/// users do not block it.
pub(crate) fn remove_provider<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, name: &Ident) -> Outcome {
    cx.require(Action::UpdateAccountProviders)?;
    let p = provider(name)?;
    if p == Provider::Aliyun {
        return Err(Failure::new(
            FailureCode::AliyunProviderRequired,
            "the ALIYUN account provider cannot be removed",
            name.span,
            "every project recognises Alibaba Cloud accounts",
            "only RAM can be removed: remove accountprovider ram;",
        ));
    }
    if cx.knows(Fact::Providers, name.span) && !cx.view.has_provider(p) {
        cx.warn(
            WarningCode::NoEffect,
            format!("the project has no {p} account provider"),
            name.span,
        );
        return ok(Vec::new());
    }
    let ram: Vec<&PrincipalId> = cx
        .view
        .members()
        .into_iter()
        .filter(|m| m.is_ram())
        .collect();
    if cx.knows(Fact::Members, name.span) && !ram.is_empty() {
        let names: Vec<String> = ram.iter().map(ToString::to_string).collect();
        let mut fix = String::new();
        for m in &ram {
            let roles = cx.view.roles_of(m);
            if !roles.is_empty() {
                fix.push_str(&revoke_all(RoleScope::Project, roles, m));
                fix.push(' ');
            }
            fix.push_str(&format!("remove user {}; ", m.to_statement_text()));
        }
        fix.push_str("remove accountprovider ram;");
        return Err(Failure::new(
            FailureCode::AccountProviderInUse,
            format!(
                "cannot remove account provider RAM while RAM members exist: {}",
                names.join(", ")
            ),
            name.span,
            "RAM members are still in the project",
            format!("remove them first: {fix}"),
        ));
    }
    ok(vec![Change::RemoveProvider { provider: p }])
}
