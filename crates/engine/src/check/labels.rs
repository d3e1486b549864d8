//! Label security (docs/language.md#other-statements): labels on tables, columns and users, label
//! grants. Output formats are undocumented.
//!
//! **Choices:** `WITH EXP <days>` defaults to 180 days, as documented.
//! The SDK grammar's `privilegeproperties` on label statements are
//! recorded, not read (with a `not_verified` warning), and `show label
//! grants for table t` is read as `on table t`.

use mcauth_syntax::ast::{
    GrantLabel, Grantee, Ident, LabelGrantsScope, LabelTarget, ObjectName, Properties,
};

use super::acl::{grantee, object_name};
use super::resolve::existing;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::output::{LabelGrantLine, Output};
use crate::privilege::{ObjectKind, ObjectRef};
use crate::state::LabelGrant;
use crate::time::{expiry_after, expiry_text};
use crate::view::StateView;

const DEFAULT_DAYS: u32 = 180;

fn table_refs<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    table: &ObjectName,
    columns: Option<&[Ident]>,
) -> Result<Vec<ObjectRef>, Failure> {
    let name = object_name(cx, ObjectKind::Table, table, false)?;
    Ok(match columns {
        Some(cols) => cols
            .iter()
            .map(|c| {
                ObjectRef::column(
                    ObjectKind::Table,
                    name.clone(),
                    c.value.to_ascii_lowercase(),
                )
            })
            .collect(),
        None => vec![ObjectRef::new(ObjectKind::Table, name)],
    })
}

/// Notes `privilegeproperties` on a label statement: kept, not read.
fn properties_not_read<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, properties: Option<&Properties>) {
    if let Some(p) = properties {
        cx.warn_with(
            WarningCode::NotVerified,
            "what privilegeproperties mean on a label statement is not documented; mcauth keeps them in the statement and does not read them",
            p.span,
            "MaxCompute's answer is the verdict",
        );
    }
}

pub(crate) fn set_label<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    level: &Ident,
    target: &LabelTarget,
) -> Outcome {
    cx.require(Action::SetDataLabel)?;
    let level = level.value.clone();
    match target {
        LabelTarget::Table { table, columns } => ok(table_refs(cx, table, columns.as_deref())?
            .into_iter()
            .map(|object| Change::SetObjectLabel {
                object,
                level: level.clone(),
            })
            .collect()),
        LabelTarget::User { principal } => {
            let id = existing(cx, principal, false)?;
            ok(vec![Change::SetUserLabel {
                principal: id,
                level,
            }])
        }
    }
}

pub(crate) fn grant<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, args: &GrantLabel) -> Outcome {
    let columns = args.columns.as_deref();
    let (level, table, to) = (&args.level, &args.table, &args.grantee);
    let (days, properties) = (args.days.as_ref(), args.properties.as_ref());
    cx.require(Action::GrantLabel)?;
    let objects = table_refs(cx, table, columns)?;
    let id = grantee(cx, to, None)?;
    properties_not_read(cx, properties);
    let days = match days {
        None => DEFAULT_DAYS,
        Some(d) => d.value.parse().map_err(|_| {
            Failure::new(
                FailureCode::InvalidProperty,
                format!("`with exp` takes a number of days, not {}", d.value),
                d.span,
                "not a number of days",
                format!(
                    "e.g. grant label {} on table {} to <user> with exp 30;",
                    level.value, table.value
                ),
            )
        })?,
    };
    let grant = LabelGrant {
        level: level.value.clone(),
        expires: Some(expiry_after(days, cx.ctx.now)),
    };
    ok(objects
        .into_iter()
        .map(|object| Change::AddLabelGrant {
            grantee: id.clone(),
            object,
            grant: grant.clone(),
        })
        .collect())
}

pub(crate) fn revoke<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    table: &ObjectName,
    columns: Option<&[Ident]>,
    from: &Grantee,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::RevokeLabel)?;
    let objects = table_refs(cx, table, columns)?;
    let id = grantee(cx, from, None)?;
    properties_not_read(cx, properties);
    let known = cx.knows(Fact::Labels, table.span);
    let mut changes = Vec::new();
    for object in objects {
        if !known || cx.view.label_grant(&id, &object).is_some() {
            changes.push(Change::RemoveLabelGrant {
                grantee: id.clone(),
                object,
            });
        }
    }
    if changes.is_empty() {
        cx.warn(
            WarningCode::NoEffect,
            format!("{} holds no label grant on {}", id.name(), table.value),
            table.span,
        );
    }
    ok(changes)
}

pub(crate) fn show<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    level: Option<&Ident>,
    scope: &LabelGrantsScope,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::ShowLabelGrants)?;
    properties_not_read(cx, properties);
    let (table, who): (Option<&ObjectName>, Option<&Grantee>) = match scope {
        LabelGrantsScope::All => (None, None),
        LabelGrantsScope::OnTable { table, grantee } => (Some(table), grantee.as_ref()),
        LabelGrantsScope::For { grantee } => (None, Some(grantee)),
        LabelGrantsScope::ForTable { table } => (Some(table), None),
    };
    let table = match table {
        Some(t) => Some(object_name(cx, ObjectKind::Table, t, false)?),
        None => None,
    };
    let user = match who {
        Some(g) => Some(label_grantee(cx, g)?),
        None => None,
    };
    let project = cx.view.project().to_owned();
    let lines = cx
        .view
        .label_grants()
        .into_iter()
        .filter(|(g, o, l)| {
            level.is_none_or(|lv| lv.value.eq_ignore_ascii_case(&l.level))
                && table.as_ref().is_none_or(|t| &o.name == t)
                && user.as_ref().is_none_or(|u| u == *g)
        })
        .map(|(g, o, l)| LabelGrantLine {
            grantee: g.clone(),
            resource: o.resource(&project),
            level: l.level.clone(),
            expires: l.expires.as_ref().map(expiry_text),
        })
        .collect();
    Ok((Vec::new(), Output::LabelGrants(lines)))
}

/// The grantee `show label grants … for <grantee>` asks about: a member,
/// or a role (which need not exist: its label grants may outlive it).
fn label_grantee<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    g: &Grantee,
) -> Result<crate::names::GranteeId, Failure> {
    use crate::names::{GranteeId, RoleName};
    Ok(match g {
        Grantee::User {
            tenant: false,
            principal,
        } => GranteeId::User(existing(cx, principal, false)?),
        Grantee::Role {
            tenant: false,
            name,
        } => GranteeId::Role(RoleName::new(&name.value)),
        Grantee::Role { tenant: true, name } => GranteeId::TenantRole(RoleName::new(&name.value)),
        _ => {
            return Err(cx.unsupported(
                "label grants of tenant users and groups",
                "show the label grants of a project user or role: show label grants for user <user>;",
            ));
        }
    })
}
