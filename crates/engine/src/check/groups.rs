//! Groups (docs/language.md#other-statements, grammar only). Their meaning is not documented: mcauth
//! keeps the groups added, with their comments, and lists them. Nothing
//! puts a user in a group, so no membership is modelled, and grants to
//! groups are refused as unsupported (see `acl`).

use mcauth_syntax::ast::{Ident, Principal, StringLit};

use super::resolve::existing;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::output::Output;
use crate::state::Group;
use crate::view::StateView;

fn group_of(tenant: bool, name: &Ident) -> Group {
    Group {
        tenant,
        name: name.value.to_ascii_lowercase(),
    }
}

fn written(g: &Group) -> String {
    let t = if g.tenant { "tenant " } else { "" };
    format!("{t}group {}", g.name)
}

/// Says once per statement that groups are kept, not modelled.
fn kept_only<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, name: &Ident) {
    cx.warn_with(
        WarningCode::NotVerified,
        "groups have no documented meaning; mcauth keeps the group and its comment, and models nothing else about it",
        name.span,
        "MaxCompute's answer is the verdict",
    );
}

pub(crate) fn add<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    tenant: bool,
    name: &Ident,
    comment: Option<&StringLit>,
) -> Outcome {
    cx.require(Action::ManageGroups)?;
    let group = group_of(tenant, name);
    if cx.knows(Fact::Groups, name.span) && cx.view.group(&group).is_some() {
        return Err(Failure::new(
            FailureCode::GroupExists,
            format!("{} already exists", written(&group)),
            name.span,
            "already a group",
            format!(
                "use another name, or remove it first: remove {};",
                written(&group)
            ),
        ));
    }
    kept_only(cx, name);
    ok(vec![Change::AddGroup {
        group,
        comment: comment.map(|c| c.value.clone()),
    }])
}

pub(crate) fn remove<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    tenant: bool,
    name: &Ident,
) -> Outcome {
    cx.require(Action::ManageGroups)?;
    let group = group_of(tenant, name);
    if cx.knows(Fact::Groups, name.span) && cx.view.group(&group).is_none() {
        let list = if tenant {
            "list tenant groups;"
        } else {
            "list groups;"
        };
        return Err(Failure::new(
            FailureCode::GroupNotFound,
            format!("{} does not exist", written(&group)),
            name.span,
            "no such group",
            format!("nothing to remove; `{list}` shows the groups"),
        ));
    }
    kept_only(cx, name);
    ok(vec![Change::RemoveGroup { group }])
}

pub(crate) fn list<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    tenant: bool,
    user: Option<&Principal>,
) -> Outcome {
    cx.require(Action::ManageGroups)?;
    if let Some(p) = user {
        existing(cx, p, false)?;
        cx.warn_with(
            WarningCode::NotVerified,
            "no statement puts a user in a group, so mcauth knows no group's members; it lists none",
            p.span,
            "MaxCompute's answer is the verdict",
        );
        return Ok((Vec::new(), Output::Groups(Vec::new())));
    }
    let names = cx
        .view
        .groups()
        .into_iter()
        .filter(|(g, _)| g.tenant == tenant)
        .map(|(g, _)| g.name.clone())
        .collect();
    Ok((Vec::new(), Output::Groups(names)))
}
