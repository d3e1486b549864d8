//! Row access policies and data masking policies: the access rules that
//! live on the SQL side, beside the security language.
//!
//! Documented, and checked: only the project owner, Super_Administrator
//! and Admin manage them (row access policies also the table's owner,
//! which mcauth cannot see); a table takes row access policies or data
//! masking, not both.
//!
//! **Choices where the docs are silent** (each named in the grammar):
//! - a policy name is unique per table (row access) or per project
//!   (masking); creating one that exists fails, unless `if not exists`
//!   (nothing happens) or `or replace` (it is replaced);
//! - dropping or describing a policy that does not exist fails; applying
//!   a masking policy needs the policy; unapplying one that is not bound
//!   changes nothing;
//! - users and roles a policy names are not checked (a row access policy
//!   may name users of the tenant who are not in the project);
//! - dropping a masking policy still bound to columns drops its bindings
//!   too, with a `not_verified` warning;
//! - filters and masking methods are kept as written, never evaluated.

use mcauth_syntax::ast::{CreateRowAccessPolicy, Ident, ObjectName, PolicyTargets, RawText};

use super::acl::object_name;
use super::resolve::id_of;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::names::RoleName;
use crate::output::{MaskingPolicyInfo, Output, RowAccessPolicyInfo};
use crate::privilege::ObjectKind;
use crate::state::{MaskingBinding, MaskingPolicy, PolicyTargetIds, RowAccessPolicy};
use crate::view::StateView;

fn targets<V: StateView + ?Sized>(cx: &Cx<'_, V>, to: &PolicyTargets) -> PolicyTargetIds {
    match to {
        PolicyTargets::Default => PolicyTargetIds::Default,
        PolicyTargets::Users { users } => {
            PolicyTargetIds::Users(users.iter().map(|p| id_of(cx, p)).collect())
        }
        PolicyTargets::Roles { roles } => {
            PolicyTargetIds::Roles(roles.iter().map(|r| RoleName::new(&r.value)).collect())
        }
    }
}

fn table_of<V: StateView + ?Sized>(cx: &Cx<'_, V>, table: &ObjectName) -> Result<String, Failure> {
    object_name(cx, ObjectKind::Table, table, false)
}

fn exclusive(
    table: &str,
    span: impl Into<mcauth_syntax::Span>,
    has: &str,
    adding: &str,
) -> Failure {
    Failure::new(
        FailureCode::AccessRulesExclusive,
        format!(
            "table {table} has {has}; a table cannot have both row access policies and data masking policies"
        ),
        span,
        format!("already has {has}"),
        format!("remove the {has} of table {table} before adding {adding}"),
    )
}

fn row_policy_not_found(policy: &Ident, table: &str) -> Failure {
    Failure::new(
        FailureCode::RowAccessPolicyNotFound,
        format!(
            "table {table} has no row access policy {}",
            policy.value.to_ascii_lowercase()
        ),
        policy.span,
        "no such row access policy",
        format!("`list row access policy on {table};` shows the table's policies"),
    )
}

fn masking_policy_not_found(policy: &Ident) -> Failure {
    let name = policy.value.to_ascii_lowercase();
    Failure::new(
        FailureCode::MaskingPolicyNotFound,
        format!("data masking policy {name} does not exist"),
        policy.span,
        "no such data masking policy",
        format!("create it first: create data masking policy {name} to default using <method>;"),
    )
}

/// The table and the (lower-case) name of the row access policy a
/// statement names, once the caller is found to manage them.
fn row_policy_named<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
    table: &ObjectName,
) -> Result<(String, String), Failure> {
    cx.require(Action::ManageRowAccessPolicies)?;
    Ok((table_of(cx, table)?, policy.value.to_ascii_lowercase()))
}

pub(crate) fn create_row_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    args: &CreateRowAccessPolicy,
) -> Outcome {
    let (table, name) = row_policy_named(cx, &args.policy, &args.table)?;
    let rule = RowAccessPolicy {
        targets: targets(cx, &args.to),
        filter: args.filter.text.clone(),
    };
    // A binding the view shows is known even where the kind was not read
    // whole (one the script made earlier): only its absence is unverified.
    let masked = cx.view.masking_bindings().iter().any(|b| b.table == table);
    if !masked {
        cx.knows(Fact::MaskingPolicies, args.table.span);
    }
    if masked {
        return Err(exclusive(
            &table,
            args.table.span,
            "data masking policies",
            "a row access policy",
        ));
    }
    let existing = cx.view.row_access_policy(&table, &name);
    if existing.is_none() {
        cx.knows(Fact::RowAccessPolicies, args.policy.span);
    }
    if let Some(existing) = existing {
        if args.if_not_exists || (args.or_replace && *existing == rule) {
            cx.warn(
                WarningCode::NoEffect,
                format!("table {table} already has row access policy {name}"),
                args.policy.span,
            );
            return ok(Vec::new());
        }
        if !args.or_replace {
            return Err(Failure::new(
                FailureCode::RowAccessPolicyExists,
                format!("table {table} already has row access policy {name}"),
                args.policy.span,
                "already a policy of this table",
                format!(
                    "replace it: create or replace row access policy {name} on {table} to {} filter using ({});",
                    rule.targets.to_statement_text(),
                    rule.filter
                ),
            ));
        }
    }
    ok(vec![Change::PutRowAccessPolicy {
        table,
        policy: name,
        rule,
    }])
}

pub(crate) fn drop_row_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
    table: &ObjectName,
) -> Outcome {
    let (table, name) = row_policy_named(cx, policy, table)?;
    if cx.knows(Fact::RowAccessPolicies, policy.span)
        && cx.view.row_access_policy(&table, &name).is_none()
    {
        return Err(row_policy_not_found(policy, &table));
    }
    ok(vec![Change::DropRowAccessPolicy {
        table,
        policy: name,
    }])
}

fn row_info(table: &str, policy: &str, rule: &RowAccessPolicy) -> RowAccessPolicyInfo {
    RowAccessPolicyInfo {
        policy: policy.to_owned(),
        table: table.to_owned(),
        to: rule.targets.to_statement_text(),
        filter: rule.filter.clone(),
    }
}

pub(crate) fn describe_row_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
    table: &ObjectName,
) -> Outcome {
    let (table, name) = row_policy_named(cx, policy, table)?;
    match cx.view.row_access_policy(&table, &name) {
        Some(rule) => Ok((
            Vec::new(),
            Output::RowAccessPolicy(row_info(&table, &name, rule)),
        )),
        None if cx.knows(Fact::RowAccessPolicies, policy.span) => {
            Err(row_policy_not_found(policy, &table))
        }
        None => Ok((Vec::new(), Output::RowAccessPolicies(Vec::new()))),
    }
}

pub(crate) fn list_row_policies<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    table: &ObjectName,
) -> Outcome {
    cx.require(Action::ManageRowAccessPolicies)?;
    let table = table_of(cx, table)?;
    let list = cx
        .view
        .row_access_policies_of(&table)
        .into_iter()
        .map(|(name, rule)| row_info(&table, name, rule))
        .collect();
    Ok((Vec::new(), Output::RowAccessPolicies(list)))
}

pub(crate) fn create_masking_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    if_not_exists: bool,
    policy: &Ident,
    to: &PolicyTargets,
    method: &RawText,
) -> Outcome {
    cx.require(Action::ManageMaskingPolicies)?;
    let name = policy.value.to_ascii_lowercase();
    let rule = MaskingPolicy {
        targets: targets(cx, to),
        method: method.text.clone(),
    };
    let exists = cx.view.masking_policy(&name).is_some();
    if !exists {
        cx.knows(Fact::MaskingPolicies, policy.span);
    }
    if exists {
        if if_not_exists {
            cx.warn(
                WarningCode::NoEffect,
                format!("data masking policy {name} already exists"),
                policy.span,
            );
            return ok(Vec::new());
        }
        return Err(Failure::new(
            FailureCode::MaskingPolicyExists,
            format!("data masking policy {name} already exists"),
            policy.span,
            "already a data masking policy",
            format!(
                "use another name, or drop it first: drop data masking policy {name}; (or add `if not exists`)"
            ),
        ));
    }
    ok(vec![Change::PutMaskingPolicy { policy: name, rule }])
}

pub(crate) fn bind_masking_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
    table: &ObjectName,
    column: &Ident,
    bind: bool,
) -> Outcome {
    cx.require(Action::ManageMaskingPolicies)?;
    let binding = MaskingBinding {
        table: table_of(cx, table)?,
        column: column.value.to_ascii_lowercase(),
        policy: policy.value.to_ascii_lowercase(),
    };
    let known = cx.knows(Fact::MaskingPolicies, policy.span);
    let bound = known && cx.view.masking_bindings().contains(&&binding);
    if !bind {
        if known && !bound {
            cx.warn(
                WarningCode::NoEffect,
                format!(
                    "data masking policy {} is not bound to column {} of table {}",
                    binding.policy, binding.column, binding.table
                ),
                column.span,
            );
            return ok(Vec::new());
        }
        return ok(vec![Change::UnbindMaskingPolicy { binding }]);
    }
    if known && cx.view.masking_policy(&binding.policy).is_none() {
        return Err(masking_policy_not_found(policy));
    }
    // As for bindings above: policies the view shows are known.
    let filtered = !cx.view.row_access_policies_of(&binding.table).is_empty();
    if !filtered {
        cx.knows(Fact::RowAccessPolicies, table.span);
    }
    if filtered {
        return Err(exclusive(
            &binding.table,
            table.span,
            "row access policies",
            "a data masking policy",
        ));
    }
    if bound {
        cx.warn(
            WarningCode::NoEffect,
            format!(
                "data masking policy {} is already bound to column {} of table {}",
                binding.policy, binding.column, binding.table
            ),
            column.span,
        );
        return ok(Vec::new());
    }
    ok(vec![Change::BindMaskingPolicy { binding }])
}

pub(crate) fn drop_masking_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
) -> Outcome {
    cx.require(Action::ManageMaskingPolicies)?;
    let name = policy.value.to_ascii_lowercase();
    if cx.knows(Fact::MaskingPolicies, policy.span) {
        if cx.view.masking_policy(&name).is_none() {
            return Err(masking_policy_not_found(policy));
        }
        if cx.view.masking_bindings().iter().any(|b| b.policy == name) {
            cx.warn_with(
                WarningCode::NotVerified,
                format!(
                    "data masking policy {name} is still bound to columns; whether MaxCompute drops a bound policy is not documented, and mcauth drops its bindings with it"
                ),
                policy.span,
                format!(
                    "to be sure, unbind it first: unapply data masking policy {name} unbind from table <table> column <column>;"
                ),
            );
        }
    }
    ok(vec![Change::DropMaskingPolicy { policy: name }])
}

pub(crate) fn describe_masking_policy<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    policy: &Ident,
) -> Outcome {
    cx.require(Action::ManageMaskingPolicies)?;
    let name = policy.value.to_ascii_lowercase();
    let Some(rule) = cx.view.masking_policy(&name) else {
        if cx.knows(Fact::MaskingPolicies, policy.span) {
            return Err(masking_policy_not_found(policy));
        }
        return Ok((Vec::new(), Output::Ok));
    };
    let bound_to = cx
        .view
        .masking_bindings()
        .into_iter()
        .filter(|b| b.policy == name)
        .map(|b| format!("{}.{}", b.table, b.column))
        .collect();
    Ok((
        Vec::new(),
        Output::MaskingPolicy(MaskingPolicyInfo {
            policy: name,
            to: rule.targets.to_statement_text(),
            method: rule.method.clone(),
            bound_to,
        }),
    ))
}
