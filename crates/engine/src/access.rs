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
//! and the project and role policy documents while
//! `CheckPermissionUsingPolicy` is, and a Deny from a policy grant or a
//! document wins over any allow (but not over the owner's or an admin
//! role's standing, which decides first). Expired grants do not count.
//! With `LabelSecurity` on, data labelled above the principal's clearance
//! needs a label grant. The object's creator, where the caller knows it,
//! may use it while `ObjectCreatorHasAccessPermission` is on; while
//! Download control is off a Download is judged as a Select. The security
//! policy and installed packages are not evaluated. The rules live in
//! [`crate::explain`].

use crate::explain::{Depth, FromView, Question, Subject, evaluate};
use crate::names::PrincipalId;
use crate::privilege::{ObjectRef, Privilege};
use crate::view::StateView;

/// The answer, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDecision {
    /// Whether the principal may use the privilege.
    pub allowed: bool,
    /// Why, in words (the grant or role that allows it, or what is missing).
    pub reason: String,
}

/// Whether `principal` may use `privilege` on `object`, owned (created)
/// by `object_owner` where that is known; `now` (Unix seconds) lets
/// expired grants lapse. This is the decision of
/// [`crate::explain`](mod@crate::explain), without the trace.
pub fn check_access(
    view: &(impl StateView + ?Sized),
    principal: &PrincipalId,
    object: &ObjectRef,
    object_owner: Option<&PrincipalId>,
    privilege: Privilege,
    now: Option<i64>,
) -> AccessDecision {
    let question = Question::new(
        Subject::Principal(principal.clone()),
        privilege,
        object.clone(),
    )
    .owned_by(object_owner.cloned());
    let trace = evaluate(view, &FromView(view), &question, now, Depth::Decision);
    AccessDecision {
        allowed: trace.allowed(),
        reason: trace.reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privilege::ObjectKind;
    use crate::state::ProjectState;

    fn table(name: &str, column: Option<&str>) -> ObjectRef {
        match column {
            Some(column) => ObjectRef::column(ObjectKind::Table, name, column),
            None => ObjectRef::new(ObjectKind::Table, name),
        }
    }

    fn state(script: &str) -> ProjectState {
        crate::testing::project_after(script, None)
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
        let ok =
            |p: &PrincipalId, o: &ObjectRef, pr| check_access(&s, p, o, None, pr, None).allowed;

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
            None,
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
        assert!(!check_access(&s, &bob, &table("t", None), None, Privilege::Select, None).allowed);
    }
}
