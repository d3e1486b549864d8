//! Whether a principal may act on an object of the project: the question
//! the Java SDK's `SecurityManager.checkPermission` puts to
//! `/projects/{p}/auth`, answered from the state.
//!
//! **Choices where the docs are silent:** the owner may do anything, and
//! so may holders of `super_administrator` and `admin` ("operation
//! permissions on all resources of the project"); anyone else needs a
//! grant to themselves or to a role they hold that names the object (a
//! policy grant's name may be a `*` pattern; a table grant covers its
//! columns, a column grant only its column) and the privilege or `All`:
//! ACL grants count while `CheckPermissionUsingACL` is on, policy grants
//! while `CheckPermissionUsingPolicy` is, and a policy deny wins over any
//! allow. Expired grants do not count. Project and security policy
//! documents, labels and installed packages are not evaluated.

use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::privilege::{ObjectRef, Privilege};
use crate::state::{Expiry, Flag, GrantKind};
use crate::view::StateView;

/// The answer, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDecision {
    pub allowed: bool,
    pub reason: String,
}

impl AccessDecision {
    fn allow(reason: String) -> Self {
        AccessDecision {
            allowed: true,
            reason,
        }
    }

    fn deny(reason: String) -> Self {
        AccessDecision {
            allowed: false,
            reason,
        }
    }
}

/// Whether `principal` may use `privilege` on `object`; `now` (Unix
/// seconds) lets expired grants lapse.
pub fn check_access(
    view: &(impl StateView + ?Sized),
    principal: &PrincipalId,
    object: &ObjectRef,
    privilege: Privilege,
    now: Option<i64>,
) -> AccessDecision {
    if principal == view.owner() {
        return AccessDecision::allow(format!("{principal} owns project {}", view.project()));
    }
    if !view.is_member(principal) {
        return AccessDecision::deny(format!("{principal} is not in project {}", view.project()));
    }
    for role in [RoleName::super_administrator(), RoleName::admin()] {
        if view.has_role(principal, &role) {
            return AccessDecision::allow(format!("{principal} holds role {role}"));
        }
    }
    let acl = view.flag(Flag::CheckPermissionUsingAcl);
    let policy = view.flag(Flag::CheckPermissionUsingPolicy);
    let mut grantees = vec![GranteeId::User(principal.clone())];
    grantees.extend(view.roles_of(principal).into_iter().map(GranteeId::Role));
    let mut allowed_by: Option<String> = None;
    for grantee in &grantees {
        for grant in view.grants_of(grantee) {
            let key = &grant.key;
            let counts = match key.kind {
                GrantKind::Acl => acl,
                GrantKind::Policy { .. } => policy,
            };
            let lapsed = matches!(
                (grant.props.expires, now),
                (Some(Expiry::At(at)), Some(now)) if at <= now
            );
            if !counts
                || lapsed
                || !(key.privilege == privilege || key.privilege == Privilege::All)
                || !covers(&key.object, object)
            {
                continue;
            }
            let what = format!(
                "{} on {} {} to {grantee}",
                key.privilege, key.object.kind, key.object.name
            );
            if key.kind == (GrantKind::Policy { allow: false }) {
                return AccessDecision::deny(format!("denied by the policy grant of {what}"));
            }
            allowed_by.get_or_insert_with(|| {
                let kind = if key.kind == GrantKind::Acl {
                    "ACL"
                } else {
                    "policy"
                };
                format!("allowed by the {kind} grant of {what}")
            });
        }
    }
    match allowed_by {
        Some(reason) => AccessDecision::allow(reason),
        None => AccessDecision::deny(format!(
            "no grant to {principal} or its roles allows {privilege} on {} {}",
            object.kind, object.name
        )),
    }
}

/// Whether a grant's object covers the object asked about.
fn covers(granted: &ObjectRef, asked: &ObjectRef) -> bool {
    granted.kind == asked.kind
        && star_match(&granted.name, &asked.name)
        && match (&granted.column, &asked.column) {
            (None, _) => true,
            (Some(g), Some(a)) => g.eq_ignore_ascii_case(a),
            (Some(_), None) => false,
        }
}

/// `pattern` against `name`, `*` matching any run of characters (names
/// are compared case-insensitively, as MaxCompute's are).
fn star_match(pattern: &str, name: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return name.is_empty();
    };
    if !pattern.contains('*') {
        return pattern == name;
    }
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let (last, middle) = middle.split_last().map_or(("", &[][..]), |(l, m)| (*l, m));
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Caller, execute};
    use crate::privilege::ObjectKind;
    use crate::state::ProjectState;

    fn table(name: &str, column: Option<&str>) -> ObjectRef {
        ObjectRef {
            kind: ObjectKind::Table,
            name: name.into(),
            column: column.map(str::to_owned),
            partition: None,
        }
    }

    fn state(script: &str) -> ProjectState {
        let mut state = ProjectState::new("p", PrincipalId::aliyun("owner@x.com"));
        let owner = Caller::owner_of(&state);
        for stmt in mcauth_syntax::parse(script).statements {
            execute(&mut state, &owner, &stmt).unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
        }
        state
    }

    #[test]
    fn grants_roles_and_denies_decide() {
        let s = state(
            "add accountprovider ram; add user RAM$bob; add user RAM$carol; add user RAM$dave;
             create role analyst; grant analyst to RAM$bob; grant admin to RAM$dave;
             grant Select on table sales to role analyst;
             grant Describe on table sales (amount) to RAM$carol;
             grant Select on table sales_* to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");
             grant Select on table sales_secret to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");",
        );
        let bob = PrincipalId::ram_user("owner@x.com", "bob");
        let carol = PrincipalId::ram_user("owner@x.com", "carol");
        let dave = PrincipalId::ram_user("owner@x.com", "dave");
        let owner = PrincipalId::aliyun("owner@x.com");
        let stranger = PrincipalId::ram_user("owner@x.com", "eve");
        let ok = |p: &PrincipalId, o: &ObjectRef, pr| check_access(&s, p, o, pr, None).allowed;

        assert!(ok(&owner, &table("anything", None), Privilege::Drop));
        assert!(ok(&dave, &table("anything", None), Privilege::Drop));
        assert!(!ok(&stranger, &table("sales", None), Privilege::Select));
        // Through a role, by ACL.
        assert!(ok(&bob, &table("sales", None), Privilege::Select));
        assert!(ok(&bob, &table("SALES", Some("amount")), Privilege::Select));
        assert!(!ok(&bob, &table("sales", None), Privilege::Drop));
        // A policy pattern, and a policy deny that beats it.
        assert!(ok(&bob, &table("sales_2026", None), Privilege::Select));
        let denied = check_access(
            &s,
            &bob,
            &table("sales_secret", None),
            Privilege::Select,
            None,
        );
        assert!(!denied.allowed);
        assert!(
            denied.reason.contains("denied by the policy grant"),
            "{}",
            denied.reason
        );
        // A column grant covers that column only.
        assert!(ok(
            &carol,
            &table("sales", Some("amount")),
            Privilege::Describe
        ));
        assert!(!ok(
            &carol,
            &table("sales", Some("other")),
            Privilege::Describe
        ));
        assert!(!ok(&carol, &table("sales", None), Privilege::Describe));
    }

    #[test]
    fn the_flags_switch_grant_kinds_off() {
        let s = state(
            "add accountprovider ram; add user RAM$bob;
             grant Select on table t to RAM$bob;
             set CheckPermissionUsingACL=false;",
        );
        let bob = PrincipalId::ram_user("owner@x.com", "bob");
        assert!(!check_access(&s, &bob, &table("t", None), Privilege::Select, None).allowed);
    }

    #[test]
    fn stars_match_runs_of_characters() {
        assert!(star_match("*", "anything"));
        assert!(star_match("sales_*", "sales_2026"));
        assert!(star_match("*_tmp", "x_tmp"));
        assert!(star_match("a*b*c", "aXXbYYc"));
        assert!(!star_match("a*b*c", "aXXbYY"));
        assert!(!star_match("sales", "sales_2026"));
        assert!(star_match("Sales", "sales"));
        assert!(!star_match("ab*ba", "aba"));
    }
}
