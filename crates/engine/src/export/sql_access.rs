//! The access rules that live on the SQL side as facts: row access
//! policies (one per table and name), data masking policies and their
//! bindings to columns, and the statements that add and take them away.
//!
//! Filters and masking methods are kept as the parser read them (one
//! line, comments dropped), so a statement written from one reads back
//! to the same fact.

use super::{Item, table_text};
use crate::view::StateView;

/// The row access policies of every table, as items.
pub(super) fn row_access_items(view: &(impl StateView + ?Sized)) -> Vec<Item> {
    view.row_access_policies()
        .into_iter()
        .map(|((table, policy), rule)| Item::RowAccessPolicy {
            table: table.to_owned(),
            policy: policy.to_owned(),
            targets: rule.targets.clone(),
            filter: rule.filter.clone(),
        })
        .collect()
}

/// The data masking policies and their bindings, as items.
pub(super) fn masking_items(view: &(impl StateView + ?Sized)) -> Vec<Item> {
    let policies = view
        .masking_policies()
        .into_iter()
        .map(|(policy, rule)| Item::MaskingPolicy {
            policy: policy.to_owned(),
            targets: rule.targets.clone(),
            method: rule.method.clone(),
        });
    let bindings = view
        .masking_bindings()
        .into_iter()
        .map(|b| Item::MaskingBinding(b.clone()));
    policies.chain(bindings).collect()
}

/// `create row access policy …`, with `or replace` when `replace`.
fn create_row_access(item: &Item, replace: bool) -> Option<String> {
    let Item::RowAccessPolicy {
        table,
        policy,
        targets,
        filter,
    } = item
    else {
        return None;
    };
    Some(format!(
        "create {}row access policy {policy} on {} to {} filter using ({filter});",
        if replace { "or replace " } else { "" },
        table_text(table),
        targets.to_statement_text()
    ))
}

/// The statement that changes a row access policy in place to `item`'s
/// targets and filter: `create or replace row access policy …` (empty
/// for any other item).
pub(crate) fn replace_row_access_statement(item: &Item) -> String {
    create_row_access(item, true).unwrap_or_default()
}

/// The statement that adds an SQL-side fact (empty for any other item).
pub(super) fn add_statement(item: &Item) -> String {
    match item {
        Item::RowAccessPolicy { .. } => create_row_access(item, false).unwrap_or_default(),
        Item::MaskingPolicy {
            policy,
            targets,
            method,
        } => format!(
            "create data masking policy {policy} to {} using {method};",
            targets.to_statement_text()
        ),
        Item::MaskingBinding(b) => format!(
            "apply data masking policy {} bind to table {} column {};",
            b.policy,
            table_text(&b.table),
            b.column
        ),
        _ => String::new(),
    }
}

/// The statement that takes an SQL-side fact away.
pub(super) fn remove_statement(item: &Item) -> Option<String> {
    Some(match item {
        Item::RowAccessPolicy { table, policy, .. } => {
            format!("drop row access policy {policy} on {};", table_text(table))
        }
        Item::MaskingPolicy { policy, .. } => format!("drop data masking policy {policy};"),
        Item::MaskingBinding(b) => format!(
            "unapply data masking policy {} unbind from table {} column {};",
            b.policy,
            table_text(&b.table),
            b.column
        ),
        _ => return None,
    })
}
