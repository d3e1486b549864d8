//! Policy documents: `put policy FILE [on [tenant] role r];`,
//! `put security policy FILE;` and their `get` forms.
//!
//! The engine does no I/O: whoever runs a `put` reads the file and passes
//! its text in [`Context::documents`](super::Context), keyed by the path as
//! the statement wrote it (the CLI lints it first). The document is stored
//! exactly as read; `get` returns it unchanged, or an empty document when
//! nothing was put, as MaxCompute does.
//!
//! **Choices where the docs are silent:** the project policy and the
//! security policy govern the whole project, so putting one needs the
//! owner or Super_Administrator (as the security configuration does);
//! a role's policy is a grant to that role, so Admin may put it; reading
//! any of them needs Admin. A dropped role's policy goes with it.

use mcauth_syntax::ast::{FilePath, RoleRef};

use super::tenant::require_tenant;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode};
use crate::knowledge::Fact;
use crate::names::RoleName;
use crate::output::Output;
use crate::state::PolicySlot;
use crate::view::StateView;

/// The slot a `… policy [on [tenant] role r]` statement names, after
/// checking the caller's authority and that the role exists.
fn slot<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    role: Option<&RoleRef>,
    put: bool,
) -> Result<PolicySlot, Failure> {
    let Some(r) = role else {
        cx.require(if put {
            Action::PutProjectPolicy
        } else {
            Action::GetProjectPolicy
        })?;
        return Ok(PolicySlot::Project);
    };
    let name = RoleName::new(&r.role.value);
    if r.tenant {
        require_tenant(cx, !put)?;
        if cx.knows(Fact::TenantRoles, r.role.span) && cx.view.tenant_role(&name).is_none() {
            return Err(super::roles::role_not_found(
                &r.role,
                &cx.view.tenant_roles(),
                format!("create it first: create tenant role {name};"),
            ));
        }
        return Ok(PolicySlot::TenantRole(name));
    }
    cx.require(if put {
        Action::PutRolePolicy
    } else {
        Action::GetRolePolicy
    })?;
    if cx.knows(Fact::Roles, r.role.span) && !cx.view.role_exists(&name) {
        return Err(super::roles::role_not_found(
            &r.role,
            &cx.view.roles(),
            format!("create it first: create role {name};"),
        ));
    }
    Ok(PolicySlot::Role(name))
}

/// The text of the file a `put` names, as its runner read it.
fn document<V: StateView + ?Sized>(cx: &Cx<'_, V>, file: &FilePath) -> Result<String, Failure> {
    cx.ctx.documents.get(&file.value).cloned().ok_or_else(|| {
        Failure::new(
            FailureCode::PolicyDocumentMissing,
            format!("the policy file {} was not read", file.value),
            file.span,
            "no document for this path",
            "run the statement through mcauth (a script, stdin or the REPL), which reads and lints the file before the statement runs",
        )
    })
}

pub(crate) fn put<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    file: &FilePath,
    role: Option<&RoleRef>,
) -> Outcome {
    let slot = slot(cx, role, true)?;
    let document = document(cx, file)?;
    ok(vec![Change::PutPolicy { slot, document }])
}

pub(crate) fn get<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, role: Option<&RoleRef>) -> Outcome {
    let slot = slot(cx, role, false)?;
    Ok((
        Vec::new(),
        Output::Policy(cx.view.policy(&slot).unwrap_or_default().to_owned()),
    ))
}

pub(crate) fn put_security<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, file: &FilePath) -> Outcome {
    cx.require(Action::PutSecurityPolicy)?;
    let document = document(cx, file)?;
    ok(vec![Change::PutPolicy {
        slot: PolicySlot::Security,
        document,
    }])
}

pub(crate) fn get_security<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::GetSecurityPolicy)?;
    Ok((
        Vec::new(),
        Output::Policy(
            cx.view
                .policy(&PolicySlot::Security)
                .unwrap_or_default()
                .to_owned(),
        ),
    ))
}
