//! Converging the access rules that live on the SQL side: row access
//! policies, data masking policies and their bindings to columns.
//!
//! A table takes row access policies or data masking, not both, so what
//! goes comes before what is added: bindings are unapplied and policies
//! dropped first, then policies are created and bound. A row access
//! policy that changes is replaced in place (`create or replace`);
//! MaxCompute has no statement that changes a masking policy, so one that
//! changes is unbound from its columns, dropped, created again and bound
//! again to the columns the file binds it to. A policy is unbound before
//! it is dropped, so that no drop leaves bindings behind unsaid.

use std::collections::{BTreeMap, BTreeSet};

use super::{Sign, Step, step};
use crate::export::{Item, Key, add_statement, remove_statement, replace_row_access_statement};

/// Whether an item is one of the SQL-side facts this module converges.
pub(super) fn handles(item: &Item) -> bool {
    matches!(
        item,
        Item::RowAccessPolicy { .. } | Item::MaskingPolicy { .. } | Item::MaskingBinding(_)
    )
}

/// The facts of `m` this module handles.
fn only<'k, 'i>(m: &BTreeMap<Key<'k>, &'i Item>) -> BTreeMap<Key<'k>, &'i Item> {
    m.iter()
        .filter(|(_, item)| handles(item))
        .map(|(key, item)| (*key, *item))
        .collect()
}

/// The steps that take the SQL-side facts of `have` to those of `want`.
pub(super) fn steps(have: &BTreeMap<Key<'_>, &Item>, want: &BTreeMap<Key<'_>, &Item>) -> Vec<Step> {
    // Only these facts, looked at from here on: the grants and the rest
    // of a large project are not walked again (keys of these kinds match
    // only each other).
    let (have, want) = (&only(have), &only(want));
    let gone = || {
        have.iter()
            .filter(|(key, _)| !want.contains_key(*key))
            .map(|(_, item)| *item)
    };
    let added = || {
        want.iter()
            .filter(|(key, _)| !have.contains_key(*key))
            .map(|(_, item)| *item)
    };
    let changed = || {
        want.iter().filter_map(|(key, item)| match have.get(key) {
            Some(old) if old != item => Some((*old, *item)),
            _ => None,
        })
    };
    let replaced: BTreeSet<&str> = changed()
        .filter_map(|(_, new)| match new {
            Item::MaskingPolicy { policy, .. } => Some(policy.as_str()),
            _ => None,
        })
        .collect();
    let why_gone = || "in the project, not in the file".to_owned();
    let why_new = || "in the file, not in the project".to_owned();
    let mut out = Vec::new();

    // Bindings that go, and those of masking policies dropped to change.
    for item in have.values().copied() {
        let Item::MaskingBinding(b) = item else {
            continue;
        };
        let (sign, why) = if !want.contains_key(&item.key()) {
            (Sign::Remove, why_gone())
        } else if replaced.contains(b.policy.as_str()) {
            (
                Sign::Change,
                format!("data masking policy {} is dropped to change it", b.policy),
            )
        } else {
            continue;
        };
        if let Some(statement) = remove_statement(item) {
            out.push(step(sign, statement, why, false));
        }
    }
    // Policies that go: row access ones, then masking ones (now unbound).
    let dropped = gone().filter(|i| matches!(i, Item::RowAccessPolicy { .. }));
    let dropped = dropped.chain(gone().filter(|i| matches!(i, Item::MaskingPolicy { .. })));
    for item in dropped {
        if let Some(statement) = remove_statement(item) {
            out.push(step(Sign::Remove, statement, why_gone(), true));
        }
    }
    // Masking policies that change: dropped and created again.
    for (old, new) in changed() {
        let Item::MaskingPolicy { policy, .. } = new else {
            continue;
        };
        if let Some(statement) = remove_statement(old) {
            out.push(step(
                Sign::Change,
                statement,
                format!(
                    "the file gives data masking policy {policy} other targets or another method, which no statement changes in place"
                ),
                true,
            ));
        }
        out.push(step(
            Sign::Change,
            add_statement(new),
            format!("data masking policy {policy} again, as the file has it"),
            false,
        ));
    }
    // New masking policies, then row access policies new and changed.
    for item in added().filter(|i| matches!(i, Item::MaskingPolicy { .. })) {
        out.push(step(Sign::Add, add_statement(item), why_new(), false));
    }
    for (key, item) in want.iter() {
        if !matches!(item, Item::RowAccessPolicy { .. }) {
            continue;
        }
        match have.get(key) {
            None => out.push(step(Sign::Add, add_statement(item), why_new(), false)),
            Some(old) if old != item => out.push(step(
                Sign::Change,
                replace_row_access_statement(item),
                "the file gives it other targets or another filter".into(),
                false,
            )),
            Some(_) => {}
        }
    }
    // Bindings: new ones, and those of the masking policies created again.
    for (key, item) in want.iter() {
        let Item::MaskingBinding(b) = item else {
            continue;
        };
        let (sign, why) = if !have.contains_key(key) {
            (Sign::Add, why_new())
        } else if replaced.contains(b.policy.as_str()) {
            (
                Sign::Change,
                format!(
                    "bound again after data masking policy {} was created again",
                    b.policy
                ),
            )
        } else {
            continue;
        };
        out.push(step(sign, add_statement(item), why, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ProjectState;
    use crate::converge::{Step, converge};
    use crate::export::{Kind, export, items, kind_known, unknown_kinds};
    use crate::knowledge::Fact;

    const KINDS: [Kind; 2] = [Kind::RowAccessPolicies, Kind::MaskingPolicies];

    fn state(script: &str) -> ProjectState {
        crate::testing::project_after(script, None)
    }

    fn plan_text(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| format!("{} {}", s.sign.symbol(), s.statement))
            .collect()
    }

    const RULES: &str = "add accountprovider ram; add user RAM$bob; create role analyst;
        create row access policy sales_cn on sales to user RAM$bob, ALIYUN$ada@x.com filter using (region = 'cn' -- china
          and  year>=2020);
        create row access policy rest on sales to default filter using (1 = 0);
        create row access policy by_role on orders to role analyst filter using (1 = 1);
        create data masking policy phone_mask to role analyst using MASKED_STRING_MASKED_BA( 2,
          5 );
        create data masking policy everyone to default using UNMASKED;
        apply data masking policy phone_mask bind to table customers column Phone;
        apply data masking policy everyone bind to table customers column phone;
        apply data masking policy everyone bind to table customers column email;";

    #[test]
    fn an_export_reads_back_as_the_same_rules_and_plans_to_nothing() {
        let from = state(RULES);
        let script = export(&from, None).script;
        for line in [
            "create row access policy sales_cn on sales to user RAM$owner@x.com:bob, ALIYUN$ada@x.com filter using (region = 'cn' and year>=2020);",
            "create row access policy rest on sales to default filter using (1 = 0);",
            "create row access policy by_role on orders to role analyst filter using (1 = 1);",
            "create data masking policy phone_mask to role analyst using MASKED_STRING_MASKED_BA( 2, 5 );",
            "apply data masking policy everyone bind to table customers column email;",
            "apply data masking policy phone_mask bind to table customers column phone;",
        ] {
            assert!(script.contains(line), "{line} in\n{script}");
        }
        assert!(
            script.contains(", row-access-policies, masking-policies\n"),
            "{script}"
        );
        // Each statement is the parser's canonical form of itself.
        for line in script.lines().filter(|l| !l.starts_with("--")) {
            let parsed = mcauth_syntax::parse(line);
            assert!(parsed.errors.is_empty(), "{line}: {:?}", parsed.errors);
            let again: Vec<String> = parsed.statements.iter().map(ToString::to_string).collect();
            if line.contains("policy") {
                assert_eq!(again, [line], "formats as itself");
            }
        }
        let again = state(&script);
        assert_eq!(items(&again, &KINDS, None), items(&from, &KINDS, None));
        assert!(converge(&again, &from, &Kind::ALL, None).is_empty());
        assert_eq!(export(&again, None).script, script, "stable");
    }

    #[test]
    fn rules_are_created_replaced_and_dropped_in_an_order_the_checks_accept() {
        let from = state(RULES);
        let to = state(
            "add accountprovider ram; add user RAM$bob; create role analyst;
             create row access policy sales_cn on sales to user RAM$bob, ALIYUN$ada@x.com filter using (region = 'us');
             create data masking policy phone_mask to default using MASKED_HASH;
             apply data masking policy phone_mask bind to table customers column phone;
             apply data masking policy phone_mask bind to table orders column phone;
             create data masking policy mail to default using UNMASKED;",
        );
        let steps = converge(&from, &to, &Kind::ALL, None);
        assert_eq!(
            plan_text(&steps),
            [
                "- unapply data masking policy everyone unbind from table customers column email;",
                "- unapply data masking policy everyone unbind from table customers column phone;",
                "~ unapply data masking policy phone_mask unbind from table customers column phone;",
                "- drop row access policy by_role on orders;",
                "- drop row access policy rest on sales;",
                "- drop data masking policy everyone;",
                "~ drop data masking policy phone_mask;",
                "~ create data masking policy phone_mask to default using MASKED_HASH;",
                "+ create data masking policy mail to default using UNMASKED;",
                "~ create or replace row access policy sales_cn on sales to user RAM$owner@x.com:bob, ALIYUN$ada@x.com filter using (region = 'us');",
                "~ apply data masking policy phone_mask bind to table customers column phone;",
                "+ apply data masking policy phone_mask bind to table orders column phone;",
            ]
        );
        let destructive: Vec<&str> = steps
            .iter()
            .filter(|s| s.destructive)
            .map(|s| s.statement.as_str())
            .collect();
        assert_eq!(
            destructive,
            [
                "drop row access policy by_role on orders;",
                "drop row access policy rest on sales;",
                "drop data masking policy everyone;",
                "drop data masking policy phone_mask;",
            ]
        );
        // The steps run, without a warning, and reach the file's state.
        let mut after = from.clone();
        let script: String = steps.iter().map(|s| s.statement.clone() + "\n").collect();
        let owner = crate::Caller::owner_of(&after);
        for stmt in mcauth_syntax::parse(&script).statements {
            let warnings = crate::check::execute_in(&mut after, &owner, &Default::default(), &stmt)
                .unwrap_or_else(|f| panic!("{stmt}: {}", f.message))
                .warnings;
            assert!(warnings.is_empty(), "{stmt}: {warnings:?}");
        }
        assert_eq!(items(&after, &KINDS, None), items(&to, &KINDS, None));
        assert!(converge(&after, &to, &Kind::ALL, None).is_empty());
    }

    #[test]
    fn a_table_moves_from_row_access_to_masking() {
        let from = state("create row access policy p on t to default filter using (1 = 1);");
        let to = state(
            "create data masking policy m to default using UNMASKED;
             apply data masking policy m bind to table t column c;",
        );
        assert_eq!(
            plan_text(&converge(&from, &to, &KINDS, None)),
            [
                "- drop row access policy p on t;",
                "+ create data masking policy m to default using UNMASKED;",
                "+ apply data masking policy m bind to table t column c;",
            ]
        );
        assert_eq!(
            plan_text(&converge(&to, &from, &KINDS, None)),
            [
                "- unapply data masking policy m unbind from table t column c;",
                "- drop data masking policy m;",
                "+ create row access policy p on t to default filter using (1 = 1);",
            ]
        );
    }

    #[test]
    fn a_table_in_a_schema_is_named_with_its_project() {
        let from = state(
            "set odps.namespace.schema=true;
             create row access policy p on fin.t to default filter using (1 = 1);
             create data masking policy m to default using UNMASKED;
             apply data masking policy m bind to table fin.u column c;",
        );
        let script = export(&from, None).script;
        assert!(script.contains(" on p.fin.t to default"), "{script}");
        assert!(
            script.contains(" bind to table p.fin.u column c;"),
            "{script}"
        );
        assert_eq!(
            items(&state(&script), &KINDS, None),
            items(&from, &KINDS, None)
        );
    }

    #[test]
    fn a_view_that_has_not_read_them_does_not_hold_them() {
        let mut unread = ProjectState::unread("p", crate::PrincipalId::aliyun("owner@x.com"));
        assert_eq!(unknown_kinds(&unread, &KINDS), KINDS);
        unread.learn(Fact::RowAccessPolicies);
        assert!(kind_known(&unread, Kind::RowAccessPolicies));
        assert!(!kind_known(&unread, Kind::MaskingPolicies));
        let script = export(&unread, None).script;
        assert!(
            script
                .lines()
                .any(|l| l.starts_with("-- not read from the service")
                    && l.ends_with("masking-policies")),
            "{script}"
        );
    }
}
