//! `who-can` and `why` agree: for random projects built from statements,
//! a principal is listed by `who_can` exactly when `explain` allows it,
//! with the same deciding statement; and `check_access` (the emulator's
//! checkPermission) gives the same answer and reason. The states include
//! project and role policy documents (Allow, Deny, wildcards, conditions
//! on known and unknown context), Download control on and off, and
//! questions that name the object's owner (its creator) or do not.

use mcauth_engine::explain::{Question, Subject, explain};
use mcauth_engine::{
    Caller, Context, ObjectKind, ObjectRef, PrincipalId, Privilege, ProjectState, StateView,
    check_access, execute_in, who_can,
};
use proptest::prelude::*;

const OWNER: &str = "owner@x.com";
const USERS: &[&str] = &[
    "RAM$owner@x.com:a",
    "RAM$owner@x.com:b",
    "RAM$owner@x.com:c",
    "ALIYUN$d@x.com",
];
const ROLES: &[&str] = &["r1", "r2", "admin"];
const PRIVILEGES: &[&str] = &["Select", "Describe", "All", "Drop", "Download"];
const TABLES: &[&str] = &["t", "t_*", "u", "*", "t (c1)"];
const PROPS: &[&str] = &[
    "",
    " privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\")",
    " privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\")",
    " privilegeproperties(\"expires\"=\"3\")",
];

/// Fixed documents `put policy NAME` may read: project policies first,
/// then role policies.
const DOCUMENTS: &[(&str, &str)] = &[
    (
        "deny-a.json",
        r#"{"Version": "1", "Statement": [
          {"Effect": "Deny", "Principal": "RAM$owner@x.com:a", "Action": "odps:Select",
           "Resource": "acs:odps:*:projects/p/tables/t*"},
          {"Effect": "Allow", "Principal": "*", "Action": "odps:Describe",
           "Resource": "acs:odps:*:projects/p/tables/*"}]}"#,
    ),
    (
        "allow-b.json",
        r#"{"Version": "1", "Statement": [
          {"Effect": "Allow", "Principal": ["ram$owner@x.com:b", "ALIYUN$d@x.com"],
           "Action": "odps:*", "Resource": "acs:odps:*:projects/p/tables/u"},
          {"Effect": "Deny", "Principal": "RAM$*", "Action": "odps:Drop",
           "Resource": "*",
           "Condition": {"DateGreaterThan": {"acs:CurrentTime": "2020-01-01T00:00:00Z"}}}]}"#,
    ),
    (
        "role-select.json",
        r#"{"Version": "1", "Statement": [
          {"Effect": "Allow", "Action": ["odps:Select", "odps:Describe"],
           "Resource": "acs:odps:*:projects/p/tables/t_*"}]}"#,
    ),
    (
        "role-deny.json",
        r#"{"Version": "1", "Statement": [
          {"Effect": "Deny", "Action": "odps:Select",
           "Resource": "acs:odps:*:projects/p/tables/t"},
          {"Effect": "Allow", "Action": "odps:Drop", "Resource": "acs:odps:*:projects/p/tables/*",
           "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}"#,
    ),
];
const PROJECT_DOCUMENTS: usize = 2;

fn statement() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..PROJECT_DOCUMENTS).prop_map(|d| format!("put policy {};", DOCUMENTS[d].0)),
        (PROJECT_DOCUMENTS..DOCUMENTS.len(), 0..ROLES.len())
            .prop_map(|(d, r)| format!("put policy {} on role {};", DOCUMENTS[d].0, ROLES[r])),
        (0..USERS.len()).prop_map(|u| format!("add user {};", USERS[u])),
        (0..USERS.len()).prop_map(|u| format!("remove user {};", USERS[u])),
        (0..ROLES.len(), 0..USERS.len())
            .prop_map(|(r, u)| format!("grant {} to {};", ROLES[r], USERS[u])),
        (0..ROLES.len(), 0..USERS.len())
            .prop_map(|(r, u)| format!("revoke {} from {};", ROLES[r], USERS[u])),
        (0..PRIVILEGES.len(), 0..TABLES.len(), 0..USERS.len()).prop_map(|(p, t, u)| format!(
            "grant {} on table {} to {};",
            PRIVILEGES[p], TABLES[t], USERS[u]
        )),
        (
            0..PRIVILEGES.len(),
            0..TABLES.len(),
            0..ROLES.len(),
            0..PROPS.len()
        )
            .prop_map(|(p, t, r, x)| format!(
                "grant {} on table {} to role {}{};",
                PRIVILEGES[p], TABLES[t], ROLES[r], PROPS[x]
            )),
        Just("set CheckPermissionUsingACL=false;".to_owned()),
        Just("set CheckPermissionUsingPolicy=false;".to_owned()),
        Just("set LabelSecurity=true;".to_owned()),
        Just("set ObjectCreatorHasAccessPermission=false;".to_owned()),
        Just("setproject odps.security.enabledownloadprivilege=true;".to_owned()),
        (0..USERS.len()).prop_map(|u| format!("set label 2 to user {};", USERS[u])),
        Just("set label 3 to table t(c1);".to_owned()),
        (0..USERS.len())
            .prop_map(|u| format!("grant label 3 on table t(c1) to user {};", USERS[u])),
    ]
}

fn build(script: &[String]) -> ProjectState {
    let mut state = ProjectState::new("p", PrincipalId::aliyun(OWNER));
    let owner = Caller::owner_of(&state);
    let mut ctx = Context {
        now: Some(1_800_000_000),
        ..Context::default()
    };
    for (name, text) in DOCUMENTS {
        ctx.documents.insert((*name).to_owned(), (*text).to_owned());
    }
    let setup = "add accountprovider ram; create role r1; create role r2;";
    for stmt in mcauth_syntax::parse(setup).statements.iter().chain(
        script
            .iter()
            .flat_map(|s| mcauth_syntax::parse(s).statements)
            .collect::<Vec<_>>()
            .iter(),
    ) {
        // Statements the rules refuse change nothing; that is fine here.
        let _ = execute_in(&mut state, &owner, &ctx, stmt);
    }
    state
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn who_can_lists_exactly_those_why_allows(
        script in proptest::collection::vec(statement(), 0..25),
        privilege in 0..4usize,
        object in 0..4usize,
        creator in 0..=USERS.len(),
    ) {
        let state = build(&script);
        let privilege =
            [Privilege::Select, Privilege::Describe, Privilege::Drop, Privilege::Download][privilege];
        // The object's owner: one of the users, or not known.
        let creator = USERS.get(creator).and_then(|u| PrincipalId::parse(u, OWNER));
        let object = [
            ObjectRef::new(ObjectKind::Table, "t"),
            ObjectRef::column(ObjectKind::Table, "t", "c1"),
            ObjectRef::new(ObjectKind::Table, "t_2026"),
            ObjectRef::new(ObjectKind::Table, "u"),
        ][object].clone();
        let now = Some(1_800_000_000 + 5 * 86_400);
        let listed = who_can(&state, privilege, &object, creator.as_ref(), now);
        let mut everyone: Vec<PrincipalId> = vec![state.owner().clone()];
        everyone.extend(state.members().into_iter().cloned());
        everyone.extend(USERS.iter().filter_map(|u| PrincipalId::parse(u, OWNER)));
        for p in everyone {
            let q = Question::new(Subject::Principal(p.clone()), privilege, object.clone())
                .owned_by(creator.clone());
            let trace = explain(&state, &q, now);
            let holder = listed.principals.iter().find(|h| h.principal == p);
            prop_assert_eq!(trace.allowed(), holder.is_some(), "{} {:?}\n{}", p, script, trace);
            if let Some(h) = holder {
                prop_assert_eq!(&h.statement, &trace.decisive().and_then(|s| s.statement.clone()));
            }
            let decision = check_access(&state, &p, &object, creator.as_ref(), privilege, now);
            prop_assert_eq!(decision.allowed, trace.allowed());
            prop_assert_eq!(decision.reason, trace.reason);
        }
    }
}
