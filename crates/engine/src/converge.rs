//! From the state a project is in to the state a file describes: the
//! ordered statements that take it there (`mcauth plan`, `apply`,
//! `diff`), each with why.
//!
//! Both states are compared as facts ([`crate::export::Item`]) of the
//! kinds managed: a fact only the file has is added, one only the project
//! has is taken away, one both have with another value is changed. What a
//! step needs first comes first, whether or not its kind is managed:
//! roles are revoked before their holder is removed or the role dropped,
//! the RAM provider comes before RAM users and goes after them, and what a
//! removed principal keeps is purged after it goes. The owner and the
//! built-in roles themselves are never touched.

use std::collections::{BTreeMap, BTreeSet};

use crate::export::{
    Item, Key, Kind, add_phase, add_statement, grant_statement, items, remove_statement,
    revoke_statement, same_statement,
};
use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::state::PolicySlot;
use crate::view::StateView;

mod sql_access;

/// What a step does to the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sign {
    /// `+`: adds what the file has and the project lacks.
    Add,
    /// `~`: changes a fact both have to the file's value.
    Change,
    /// `-`: takes away what the project has and the file lacks, or what a
    /// removal needs first.
    Remove,
}

impl Sign {
    /// The sign plans print before the statement: `+`, `~` or `-`.
    pub fn symbol(self) -> char {
        match self {
            Sign::Add => '+',
            Sign::Change => '~',
            Sign::Remove => '-',
        }
    }
}

/// One statement of a convergence plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Whether it adds, changes or takes away.
    pub sign: Sign,
    /// The statement, as the plan prints and runs it.
    pub statement: String,
    /// Why it is needed, in words.
    pub why: String,
    /// Removes a user, a role, a package, a provider, grants kept by a
    /// removed principal, an administrator's role, or a row access or data
    /// masking policy.
    pub destructive: bool,
}

/// A fact the project has and the file lacks that no statement can take
/// away (MaxCompute has none that removes a label): a plan leaves it and
/// says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftAlone {
    /// The statement that set it, as the project holds it.
    pub fact: String,
    /// Why no statement can take it away.
    pub why: String,
}

/// The steps that take `current` to `desired`, for the kinds managed.
pub fn converge(
    current: &(impl StateView + ?Sized),
    desired: &(impl StateView + ?Sized),
    kinds: &[Kind],
    now: Option<i64>,
) -> Vec<Step> {
    converge_noting(current, desired, kinds, now).0
}

/// [`converge`], and the facts the steps cannot take away.
pub fn converge_noting(
    current: &(impl StateView + ?Sized),
    desired: &(impl StateView + ?Sized),
    kinds: &[Kind],
    now: Option<i64>,
) -> (Vec<Step>, Vec<LeftAlone>) {
    let project = current.project();
    // Keyed by borrowed keys: a project's 100,000 grants are held once
    // per side, not again as keys.
    let have_items = items(current, kinds, now);
    let mut want_items = items(desired, kinds, now);
    // What the project's view has not read is not compared: a level set
    // on a table is never shown remotely, and adding it again each time
    // would never converge.
    if !current.knows(crate::knowledge::Fact::ObjectLabels) {
        want_items.retain(|i| !matches!(i, Item::ObjectLabel(..)));
    }
    let have: BTreeMap<Key<'_>, &Item> = have_items.iter().map(|i| (i.key(), i)).collect();
    let want: BTreeMap<Key<'_>, &Item> = want_items.iter().map(|i| (i.key(), i)).collect();

    let mut adds: Vec<(Sign, Item, String)> = Vec::new();
    let mut gone: Vec<Item> = Vec::new();
    let mut replaced_roles: Vec<(Item, Item)> = Vec::new();
    for (key, &item) in &want {
        if sql_access::handles(item) {
            continue;
        }
        match have.get(key).copied() {
            None => adds.push((
                Sign::Add,
                item.clone(),
                "in the file, not in the project".into(),
            )),
            Some(old) if old == item => {}
            Some(old) => match (old, item) {
                (Item::Role { .. }, Item::Role { .. }) => {
                    replaced_roles.push((old.clone(), item.clone()));
                }
                // A group's comment is not compared: MaxCompute lists groups
                // without it, and no statement changes it.
                (Item::Group { .. }, Item::Group { .. }) => {}
                (Item::PackageObject { .. }, Item::PackageObject { .. }) => {
                    gone.push(old.clone());
                    adds.push((
                        Sign::Change,
                        item.clone(),
                        "the file gives other privileges".into(),
                    ));
                }
                _ => adds.push((Sign::Change, item.clone(), change_reason(old, item))),
            },
        }
    }
    // Turning ProjectProtection off takes its exception policy with it.
    let protection_off = matches!(
        want.get(&Key::Flag(crate::state::Flag::ProjectProtection)),
        Some(Item::Flag(_, false))
    );
    for (key, &item) in &have {
        let cleared_by_flag = protection_off
            && matches!(
                item,
                Item::Policy {
                    slot: PolicySlot::ProtectionException,
                    ..
                }
            );
        if !want.contains_key(key) && !sql_access::handles(item) && !cleared_by_flag {
            gone.push(item.clone());
        }
    }

    let mut steps = Vec::new();
    // Roles whose type changes are dropped and created again: MaxCompute
    // cannot change a role's type. Their grants come back with the role;
    // their holders are granted again below.
    let mut regrant: Vec<Item> = Vec::new();
    let mut revoked_early: BTreeSet<(RoleName, PrincipalId)> = BTreeSet::new();
    for (old, new) in &replaced_roles {
        let (Item::Role { role, .. }, Item::Role { role_type, .. }) = (old, new) else {
            continue;
        };
        for holder in current.role_members(role) {
            steps.push(step(
                Sign::Change,
                format!("revoke {role} from {};", holder.to_statement_text()),
                format!("role {role} is dropped to change its type"),
                true,
            ));
            revoked_early.insert((role.clone(), holder.clone()));
            regrant.push(Item::RoleGrant {
                role: role.clone(),
                principal: holder.clone(),
            });
        }
        steps.push(step(
            Sign::Change,
            format!("drop role {role};"),
            format!("the file makes {role} an {} role", role_type.as_str()),
            true,
        ));
        steps.push(step(
            Sign::Change,
            add_statement(new),
            format!("{role} again, as an {} role", role_type.as_str()),
            false,
        ));
    }
    for item in regrant {
        if want.contains_key(&item.key()) {
            steps.push(step(
                Sign::Change,
                add_statement(&item),
                "granted again after the role was re-created".into(),
                false,
            ));
        }
    }

    // A principal or role added back would get back the grants it kept:
    // with grants managed, they are purged first, so that only the file's
    // grants are in force afterwards.
    if kinds.contains(&Kind::Grants) {
        for (sign, item, _) in &adds {
            let grantee = match (sign, item) {
                (Sign::Add, Item::Member(p)) => GranteeId::User(p.clone()),
                (Sign::Add, Item::Role { role, .. }) => GranteeId::Role(role.clone()),
                (Sign::Add, Item::TenantRole(r)) => GranteeId::TenantRole(r.clone()),
                _ => continue,
            };
            if keeps_something(current, &grantee) {
                steps.push(step(
                    Sign::Remove,
                    format!("purge privs from {};", purge_target(&grantee)),
                    format!(
                        "{} kept grants from before; only the file's come back with it",
                        grantee.name()
                    ),
                    true,
                ));
            }
        }
    }

    // Additions and changes, what they depend on first.
    adds.sort_by(|a, b| (add_phase(&a.1), &a.1).cmp(&(add_phase(&b.1), &b.1)));
    let mut i = 0;
    while i < adds.len() {
        let (sign, item, why) = &adds[i];
        if matches!(item, Item::Grant { .. }) {
            let mut group = vec![item.clone()];
            let mut j = i + 1;
            while j < adds.len() && adds[j].0 == *sign && same_statement(item, &adds[j].1) {
                group.push(adds[j].1.clone());
                j += 1;
            }
            steps.push(step(*sign, grant_statement(&group), why.clone(), false));
            i = j;
        } else {
            steps.push(step(*sign, add_statement(item), why.clone(), false));
            i += 1;
        }
    }

    steps.extend(removals(current, &gone, kinds, revoked_early));
    // Last: nothing else depends on them, and the users and roles they
    // name are not checked.
    steps.extend(sql_access::steps(&have, &want));
    let mut left: Vec<LeftAlone> = gone.iter().filter_map(left_alone).collect();
    // A statement names this project as `{project}` where a name needs
    // it (an export may be applied to another project): filled in once,
    // here, for every step and note.
    let fill = |text: &mut String| {
        if text.contains(PROJECT) {
            *text = text.replace(PROJECT, project);
        }
    };
    steps.iter_mut().for_each(|s| fill(&mut s.statement));
    left.iter_mut().for_each(|l| fill(&mut l.fact));
    (steps, left)
}

/// How statements name the project they run in.
const PROJECT: &str = "{project}";

/// A fact the project has and the file lacks that no statement takes
/// away, and why.
fn left_alone(item: &Item) -> Option<LeftAlone> {
    let why = match item {
        Item::ObjectLabel(..) | Item::UserLabel(..) => {
            "MaxCompute has no statement that takes a label off; set another level if this one is wrong"
        }
        Item::ProjectProperty { .. } => {
            "MaxCompute has no statement that unsets a project property; set another value if this one is wrong"
        }
        _ => return None,
    };
    Some(LeftAlone {
        fact: add_statement(item),
        why: why.into(),
    })
}

fn step(sign: Sign, statement: String, why: String, destructive: bool) -> Step {
    Step {
        sign,
        statement,
        why,
        destructive,
    }
}

fn change_reason(old: &Item, new: &Item) -> String {
    match (old, new) {
        (Item::Flag(_, a), Item::Flag(_, b)) => format!("{a} in the project, {b} in the file"),
        (Item::Grant { .. }, Item::Grant { .. }) => {
            "granted with other properties in the project".into()
        }
        (Item::Policy { .. }, _) => "the file's document differs".into(),
        (Item::PackageAllow { .. }, _) => {
            "allowed with another label, privileges or expiry in the project".into()
        }
        (Item::ObjectLabel(_, a), Item::ObjectLabel(_, b))
        | (Item::UserLabel(_, a), Item::UserLabel(_, b)) => {
            format!("label {a} in the project, {b} in the file")
        }
        (Item::LabelGrant { .. }, _) => "another label grant in the project".into(),
        (Item::ProjectProperty { value: a, .. }, Item::ProjectProperty { value: b, .. }) => {
            format!("{a} in the project, {b} in the file")
        }
        _ => "differs from the file".into(),
    }
}

/// The removals, each after what it needs: grants and labels first, then
/// role assignments, then principals (each purged after it goes), then
/// roles, packages and, last, the RAM provider.
fn removals(
    current: &(impl StateView + ?Sized),
    gone: &[Item],
    kinds: &[Kind],
    revoked_early: BTreeSet<(RoleName, PrincipalId)>,
) -> Vec<Step> {
    let grants_managed = kinds.contains(&Kind::Grants);
    let removed_users: BTreeSet<PrincipalId> = gone
        .iter()
        .filter_map(|i| match i {
            Item::Member(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let dropped_roles: BTreeSet<RoleName> = gone
        .iter()
        .filter_map(|i| match i {
            Item::Role { role, .. } => Some(role.clone()),
            _ => None,
        })
        .collect();
    let dropped_tenant_roles: BTreeSet<RoleName> = gone
        .iter()
        .filter_map(|i| match i {
            Item::TenantRole(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let dropped_packages: BTreeSet<&str> = gone
        .iter()
        .filter_map(|i| match i {
            Item::Package(p) => Some(p.as_str()),
            _ => None,
        })
        .collect();
    let grantee_goes = |g: &GranteeId| match g {
        GranteeId::User(p) => removed_users.contains(p),
        GranteeId::Role(r) => dropped_roles.contains(r),
        GranteeId::TenantRole(_) => false,
    };
    let mut steps = Vec::new();
    let why_gone = "in the project, not in the file".to_owned();

    // Grants of principals that stay (a removed one is purged instead).
    let revokes: Vec<&Item> = gone
        .iter()
        .filter(|i| matches!(i, Item::Grant { grantee, .. } if !grantee_goes(grantee)))
        .collect();
    let mut i = 0;
    while i < revokes.len() {
        let mut group = vec![revokes[i].clone()];
        let mut j = i + 1;
        while j < revokes.len() && same_revoke(revokes[i], revokes[j]) {
            group.push(revokes[j].clone());
            j += 1;
        }
        steps.push(step(
            Sign::Remove,
            revoke_statement(&group),
            why_gone.clone(),
            false,
        ));
        i = j;
    }
    for item in gone {
        let statement = match item {
            Item::LabelGrant { grantee, .. } if !grantee_goes(grantee) => remove_statement(item),
            Item::PackageObject { package, .. } | Item::PackageAllow { package, .. }
                if !dropped_packages.contains(package.as_str()) =>
            {
                remove_statement(item)
            }
            Item::Install(_) | Item::TrustedProject(_) | Item::Group { .. } => {
                remove_statement(item)
            }
            // A role's policy goes with the role.
            Item::Policy {
                slot: PolicySlot::Role(r),
                ..
            } if dropped_roles.contains(r) => None,
            Item::Policy {
                slot: PolicySlot::TenantRole(r),
                ..
            } if dropped_tenant_roles.contains(r) => None,
            Item::Policy { .. } => remove_statement(item),
            _ => None,
        };
        if let Some(statement) = statement {
            steps.push(step(Sign::Remove, statement, why_gone.clone(), false));
        }
    }

    // Role assignments: those the file drops, and every role of a user
    // removed or held in a role dropped (revoke before remove or drop).
    let mut revoked: BTreeSet<(RoleName, PrincipalId)> = BTreeSet::new();
    for item in gone {
        if let Item::RoleGrant { role, principal } = item {
            revoked.insert((role.clone(), principal.clone()));
        }
    }
    let mut needed: Vec<(RoleName, PrincipalId, String)> = Vec::new();
    for user in &removed_users {
        for role in current.roles_of(user) {
            needed.push((
                role.clone(),
                user.clone(),
                format!("{user} is removed: revoke before remove"),
            ));
        }
    }
    for role in &dropped_roles {
        for holder in current.role_members(role) {
            needed.push((
                role.clone(),
                holder.clone(),
                format!("role {role} is dropped"),
            ));
        }
    }
    let mut done = revoked_early;
    for (role, principal) in &revoked {
        if done.insert((role.clone(), principal.clone())) {
            steps.push(step(
                Sign::Remove,
                format!("revoke {role} from {};", principal.to_statement_text()),
                why_gone.clone(),
                role.is_builtin(),
            ));
        }
    }
    for (role, principal, why) in needed {
        if done.insert((role.clone(), principal.clone())) {
            steps.push(step(
                Sign::Remove,
                format!("revoke {role} from {};", principal.to_statement_text()),
                why,
                role.is_builtin(),
            ));
        }
    }
    // Tenant role assignments.
    for item in gone {
        if let Item::TenantRoleGrant { .. } | Item::TenantRoleInProject(_) = item
            && let Some(statement) = remove_statement(item)
        {
            steps.push(step(Sign::Remove, statement, why_gone.clone(), false));
        }
    }

    // Principals, each purged after it goes when grants are managed.
    for user in &removed_users {
        steps.push(step(
            Sign::Remove,
            format!("remove user {};", user.to_statement_text()),
            why_gone.clone(),
            true,
        ));
        if grants_managed && keeps_something(current, &GranteeId::User(user.clone())) {
            steps.push(step(
                Sign::Remove,
                format!("purge privs from user {};", user.to_statement_text()),
                format!("clear the grants {user} keeps after removal"),
                true,
            ));
        }
    }
    for role in &dropped_roles {
        steps.push(step(
            Sign::Remove,
            format!("drop role {role};"),
            why_gone.clone(),
            true,
        ));
        if grants_managed && keeps_something(current, &GranteeId::Role(role.clone())) {
            steps.push(step(
                Sign::Remove,
                format!("purge privs from role {role};"),
                format!("clear the grants role {role} keeps after it is dropped"),
                true,
            ));
        }
    }
    for item in gone {
        let destructive = match item {
            Item::Package(_) | Item::TenantRole(_) | Item::TenantUser(_) => true,
            _ => continue,
        };
        if let Some(statement) = remove_statement(item) {
            steps.push(step(Sign::Remove, statement, why_gone.clone(), destructive));
        }
    }
    if gone.contains(&Item::Provider(Provider::Ram)) {
        steps.push(step(
            Sign::Remove,
            "remove accountprovider ram;".into(),
            "in the project, not in the file: after its RAM users".into(),
            true,
        ));
    }
    steps
}

fn same_revoke(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (
            Item::Grant {
                grantee: g1,
                object: o1,
                kind: k1,
                ..
            },
            Item::Grant {
                grantee: g2,
                object: o2,
                kind: k2,
                ..
            },
        ) => g1 == g2 && o1 == o2 && k1 == k2,
        _ => false,
    }
}

/// The grantee as `purge privs from` names it.
fn purge_target(grantee: &GranteeId) -> String {
    match grantee {
        GranteeId::User(p) => format!("user {}", p.to_statement_text()),
        other => other.to_statement_text(),
    }
}

/// Whether a grantee holds grants or label grants that would stay behind.
fn keeps_something(view: &(impl StateView + ?Sized), grantee: &GranteeId) -> bool {
    view.has_grants(grantee) || view.label_grants().iter().any(|(g, _, _)| *g == grantee)
}

/// The kinds a desired-state file manages: those it states something of,
/// or those its `-- mcauth: manage …` header names.
pub fn managed_kinds(items: &[Item], header: Option<&[Kind]>) -> Vec<Kind> {
    if let Some(kinds) = header {
        return kinds.to_vec();
    }
    let mut kinds: Vec<Kind> = items.iter().map(Item::kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The `-- mcauth: manage a, b` header of a file, if it has one: the
/// kinds it names, or the names it does not know.
pub fn manage_header(text: &str) -> Option<Result<Vec<Kind>, String>> {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let comment = line.strip_prefix("--")?;
        if let Some(list) = comment.trim().strip_prefix("mcauth: manage") {
            return Some(parse_kinds(list));
        }
    }
    None
}

/// A comma-separated list of kind names.
pub fn parse_kinds(list: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Kind::from_name(name) {
            Some(k) => kinds.push(k),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(format!(
                    "unknown kind `{name}`; the kinds are {}",
                    known.join(", ")
                ));
            }
        }
    }
    kinds.sort();
    kinds.dedup();
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProjectState;

    fn state(script: &str) -> ProjectState {
        crate::testing::project_after(script, None)
    }

    fn plan(from: &ProjectState, to: &ProjectState) -> Vec<String> {
        converge(from, to, &Kind::ALL, None)
            .into_iter()
            .map(|s| format!("{} {}", s.sign.symbol(), s.statement))
            .collect()
    }

    #[test]
    fn groups_are_added_and_removed() {
        let from = state("add group old; add tenant group t;");
        let to = state("add group g comment 'the \"team\"'; add tenant group t;");
        assert_eq!(
            plan(&from, &to),
            [
                "+ add group g comment \"the \\\"team\\\"\";",
                "- remove group old;",
            ]
        );
        let again = state("add group g comment 'other'; add tenant group t;");
        assert!(
            plan(&to, &again).is_empty(),
            "a comment is not compared: MaxCompute lists groups without it"
        );
    }

    #[test]
    fn a_project_property_is_set_and_never_unset() {
        let from = state("setproject a=1 gone=x;");
        let to = state("setproject a=2 motd=\"hello world\" flag_only;");
        let (steps, left) = converge_noting(&from, &to, &Kind::ALL, None);
        let steps: Vec<String> = steps
            .into_iter()
            .map(|s| format!("{} {}", s.sign.symbol(), s.statement))
            .collect();
        assert_eq!(
            steps,
            [
                "~ setproject a=2;",
                "+ setproject flag_only;",
                "+ setproject motd=\"hello world\";",
            ]
        );
        let left: Vec<&str> = left.iter().map(|l| l.fact.as_str()).collect();
        assert_eq!(left, ["setproject gone=x;"]);
    }

    #[test]
    fn an_export_of_groups_and_properties_runs_back_to_itself() {
        let from = state(
            "add group g comment 'c'; add tenant group t; setproject motd=\"hello world\" k={\"a\": \"b\"} flag_only;",
        );
        let script = crate::export::export(&from, None).script;
        let again = state(&script);
        let kinds = [Kind::Groups, Kind::ProjectProperties];
        assert_eq!(
            crate::export::items(&again, &kinds, None),
            crate::export::items(&from, &kinds, None),
            "{script}"
        );
    }

    /// A state after `script`, with `ex.json` holding `exception`.
    fn with_exception(script: &str, exception: &str) -> ProjectState {
        let mut state = state("");
        let owner = crate::check::Caller::owner_of(&state);
        let mut ctx = crate::check::Context::default();
        ctx.documents.insert("ex.json".into(), exception.into());
        for stmt in mcauth_syntax::parse(script).statements {
            crate::check::execute_in(&mut state, &owner, &ctx, &stmt)
                .unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
        }
        state
    }

    #[test]
    fn the_exception_policy_is_exported_set_and_cleared_with_the_flag() {
        const EX: &str = r#"{"Version": "1", "Statement": []}"#;
        let on = with_exception("set ProjectProtection=true with exception ex.json;", EX);
        // Exported after the flag, which would clear it if it came later.
        let export = crate::export::export(&on, None);
        let flag = export.script.find("set ProjectProtection=true;");
        let with = export
            .script
            .find("set ProjectProtection=true with exception policies/protection-exception.json;");
        assert!(flag.is_some() && with > flag, "{}", export.script);
        assert_eq!(
            export
                .documents
                .get("policies/protection-exception.json")
                .map(String::as_str),
            Some(EX)
        );
        let plain = state("set ProjectProtection=true;");
        assert_eq!(
            plan(&plain, &on),
            ["+ set ProjectProtection=true with exception policies/protection-exception.json;"]
        );
        // Without it in the file: the flag set again clears it.
        assert_eq!(plan(&on, &plain), ["- set ProjectProtection=true;"]);
        // Protection off takes it away: one step, not one that turns it on.
        let off = state("set ProjectProtection=false;");
        assert_eq!(plan(&on, &off), ["~ set ProjectProtection=false;"]);
        // Each plan, run, lands on its file's state.
        for (from, to) in [(&plain, &on), (&on, &plain), (&on, &off)] {
            let mut s = from.clone();
            let owner = crate::check::Caller::owner_of(&s);
            let mut ctx = crate::check::Context::default();
            ctx.documents
                .insert("policies/protection-exception.json".into(), EX.into());
            for step in converge(from, to, &Kind::ALL, None) {
                for stmt in mcauth_syntax::parse(&step.statement).statements {
                    crate::check::execute_in(&mut s, &owner, &ctx, &stmt)
                        .unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
                }
            }
            assert!(plan(&s, to).is_empty(), "{:?}", plan(&s, to));
        }
    }

    #[test]
    fn nothing_to_do_between_equal_states() {
        let s = state(
            "add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob; grant Select on table t to role r;",
        );
        assert!(plan(&s, &s.clone()).is_empty());
    }

    #[test]
    fn removals_come_in_maxcomputes_order() {
        let from = state(
            "add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob;
             grant Select on table t to RAM$bob; grant Describe on table t to role r;",
        );
        let to = state("");
        assert_eq!(
            plan(&from, &to),
            [
                "- revoke r from RAM$owner@x.com:bob;",
                "- remove user RAM$owner@x.com:bob;",
                "- purge privs from user RAM$owner@x.com:bob;",
                "- drop role r;",
                "- purge privs from role r;",
                "- remove accountprovider ram;",
            ]
        );
    }

    #[test]
    fn a_table_in_a_schema_is_revoked_with_its_project() {
        let from = state(
            "add accountprovider ram; add user RAM$bob; create role r; set odps.namespace.schema=true;
             grant Select on table fin.t to role r; grant label 2 on table fin.t to RAM$bob;
             set label 3 to table fin.t;",
        );
        let to = state("add accountprovider ram; add user RAM$bob; create role r;");
        let steps = plan(&from, &to);
        assert!(
            steps.iter().all(|s| !s.contains("{project}")),
            "every statement names the project: {steps:?}"
        );
        for s in &steps {
            let statement = s.get(2..).unwrap_or_default();
            assert!(
                mcauth_syntax::parse(statement).errors.is_empty(),
                "{statement} reads back"
            );
        }
        assert!(
            steps.contains(&"- revoke Select on table p.fin.t from role r;".to_owned()),
            "{steps:?}"
        );
        assert!(
            steps.contains(&"- revoke label on table p.fin.t from RAM$owner@x.com:bob;".to_owned()),
            "{steps:?}"
        );
        // And back: the export names the project too, and runs as itself.
        let script = crate::export::export(&from, None).script;
        assert!(script.contains("set label 3 to table p.fin.t;"), "{script}");
        assert_eq!(
            crate::export::items(&state(&script), &Kind::ALL, None),
            crate::export::items(&from, &Kind::ALL, None),
            "{script}"
        );
    }

    #[test]
    fn additions_come_after_what_they_need() {
        let from = state("");
        let to = state(
            "add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob;
             grant Select, Describe on table t to role r; set ProjectProtection=true;",
        );
        assert_eq!(
            plan(&from, &to),
            [
                "+ add accountprovider ram;",
                "+ add user RAM$owner@x.com:bob;",
                "+ create role r;",
                "+ grant r to RAM$owner@x.com:bob;",
                "+ grant Describe, Select on table t to role r;",
                "~ set ProjectProtection=true;",
            ]
        );
    }

    #[test]
    fn a_role_whose_type_changes_is_dropped_and_created_again() {
        let from =
            state("add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob;");
        let to = state(
            "add accountprovider ram; add user RAM$bob; create role r privilegeproperties(\"type\"=\"admin\"); grant r to RAM$bob;",
        );
        assert_eq!(
            plan(&from, &to),
            [
                "~ revoke r from RAM$owner@x.com:bob;",
                "~ drop role r;",
                "~ create role r privilegeproperties(\"type\"=\"admin\");",
                "~ grant r to RAM$owner@x.com:bob;",
            ]
        );
    }

    #[test]
    fn a_user_added_back_does_not_get_its_old_grants_back() {
        let from = state(
            "add accountprovider ram; add user RAM$bob; grant Select on table t to RAM$bob; remove user RAM$bob;",
        );
        let to = state("add accountprovider ram; add user RAM$bob;");
        assert_eq!(
            plan(&from, &to),
            [
                "- purge privs from user RAM$owner@x.com:bob;",
                "+ add user RAM$owner@x.com:bob;",
            ]
        );
    }

    #[test]
    fn unmanaged_kinds_are_left_alone() {
        let from = state("add accountprovider ram; add user RAM$bob; add trustedproject q;");
        let to = state("add accountprovider ram;");
        let steps = converge(&from, &to, &[Kind::Providers, Kind::TrustedProjects], None);
        let text: Vec<&str> = steps.iter().map(|s| s.statement.as_str()).collect();
        assert_eq!(text, ["remove trustedproject q;"]);
    }

    #[test]
    fn the_header_names_the_kinds() {
        assert_eq!(
            manage_header("-- a comment\n-- mcauth: manage users, grants\nadd user x;"),
            Some(Ok(vec![Kind::Users, Kind::Grants]))
        );
        assert_eq!(manage_header("add user x;\n-- mcauth: manage users"), None);
        assert!(matches!(
            manage_header("-- mcauth: manage users, lables"),
            Some(Err(m)) if m.contains("lables")
        ));
    }
}
