use crate::check::{Caller, Context, execute_in};
use crate::explain::{Layer, Outcome, Question, Subject, Trace, explain};
use crate::names::PrincipalId;
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::ProjectState;
use crate::who_can::who_can_asked;

const NOW: i64 = 1_800_000_000;

/// Project `p`: bob may Select sales, carol may not.
const BASE: &str = "add accountprovider ram; add user RAM$bob; add user RAM$carol;
    grant Select on table sales to RAM$bob;";

fn project(script: &str, exception: Option<&str>) -> ProjectState {
    let mut state = crate::testing::project_after(BASE, Some(NOW));
    let owner = Caller::owner_of(&state);
    let mut ctx = Context {
        now: Some(NOW),
        ..Context::default()
    };
    if let Some(doc) = exception {
        ctx.documents.insert("ex.json".into(), doc.into());
    }
    for stmt in mcauth_syntax::parse(script).statements {
        execute_in(&mut state, &owner, &ctx, &stmt).unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
    }
    state
}

fn user(name: &str) -> PrincipalId {
    PrincipalId::ram_user("owner@x.com", name)
}

fn ask(s: &ProjectState, who: &str, to: &str) -> Trace {
    let q = Question::new(
        Subject::Principal(user(who)),
        Privilege::Select,
        ObjectRef::new(ObjectKind::Table, "sales"),
    )
    .leaving_to(Some(to.to_owned()));
    explain(s, &q, Some(NOW))
}

fn protection(t: &Trace) -> Vec<(Outcome, String)> {
    t.steps
        .iter()
        .filter(|s| s.layer == Layer::ProjectProtection)
        .map(|s| (s.outcome, s.detail.clone()))
        .collect()
}

#[test]
fn without_protection_whoever_may_read_may_take_the_data_anywhere() {
    let s = project("", None);
    let t = ask(&s, "bob", "partner");
    assert!(t.allowed() && t.verified, "{t}");
    assert!(protection(&t)[0].1.starts_with("ProjectProtection=false"));
    // carol may not read it, so it cannot leave with her.
    let t = ask(&s, "carol", "partner");
    assert!(!t.allowed(), "{t}");
    assert!(protection(&t)[0].1.contains("may not be read"));
}

#[test]
fn protection_lets_data_out_only_to_trusted_projects() {
    let s = project(
        "set ProjectProtection=true; add trustedproject partner;",
        None,
    );
    let t = ask(&s, "bob", "PARTNER");
    assert!(t.allowed() && t.verified, "{t}");
    let t = ask(&s, "bob", "elsewhere");
    assert!(!t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("ProjectProtection decides");
    assert_eq!(step.layer, Layer::ProjectProtection);
    assert_eq!(step.outcome, Outcome::Denies);
    assert_eq!(
        step.statement.as_deref(),
        Some("add trustedproject elsewhere;")
    );
    assert!(
        step.detail
            .contains("it trusts partner, and it has no exception policy")
    );
    // Within the project, nothing leaves.
    let t = ask(&s, "bob", "p");
    assert!(t.allowed(), "{t}");
    // A Drop moves no data: protection does not take part.
    let s = project(
        "grant Drop on table sales to RAM$bob; set ProjectProtection=true;",
        None,
    );
    let q = Question::new(
        Subject::Principal(user("bob")),
        Privilege::Drop,
        ObjectRef::new(ObjectKind::Table, "sales"),
    )
    .leaving_to(Some("elsewhere".into()));
    let t = explain(&s, &q, Some(NOW));
    assert!(t.allowed() && t.verified, "{t}");
    assert!(protection(&t)[0].1.contains("moves no data"));
}

#[test]
fn the_exception_policy_lets_named_principals_out() {
    let ex = r#"{"Version": "1", "Statement": [
      {"Effect": "Allow", "Principal": "RAM$owner@x.com:bob", "Action": "odps:Select",
       "Resource": "acs:odps:*:projects/p/tables/sales"},
      {"Effect": "Allow", "Principal": "RAM$owner@x.com:carol", "Action": "odps:Select",
       "Resource": "acs:odps:*:projects/p/tables/*",
       "Condition": {"StringEquals": {"odps:TaskType": ["DT"]}}}]}"#;
    let s = project(
        "grant Select on table sales to RAM$carol;
         set ProjectProtection=true with exception ex.json;",
        Some(ex),
    );
    let t = ask(&s, "bob", "partner");
    assert!(t.allowed() && t.verified, "{t}");
    assert!(
        protection(&t)[0]
            .1
            .contains("statement 1 of the exception policy")
    );
    // carol's statement needs the task type: not verified.
    let t = ask(&s, "carol", "partner");
    assert!(t.allowed() && !t.verified, "{t}");
    assert_eq!(protection(&t)[0].0, Outcome::NotVerified);
    assert!(protection(&t)[0].1.contains("odps:TaskType"));
}

#[test]
fn a_deny_in_the_exception_policy_beats_its_allow() {
    let ex = r#"{"Version": "1", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "odps:Select",
       "Resource": "acs:odps:*:projects/p/tables/*"},
      {"Effect": "Deny", "Principal": "RAM$owner@x.com:bob", "Action": "odps:Select",
       "Resource": "acs:odps:*:projects/p/tables/sales"}]}"#;
    let s = project(
        "grant Select on table sales to RAM$carol;
         set ProjectProtection=true with exception ex.json;",
        Some(ex),
    );
    assert!(!ask(&s, "bob", "partner").allowed());
    assert!(ask(&s, "carol", "partner").allowed());
}

#[test]
fn who_can_take_the_data_out_agrees_with_why() {
    let object = ObjectRef::new(ObjectKind::Table, "sales");
    let names = |s: &ProjectState, to: &str| -> Vec<String> {
        who_can_asked(
            s,
            &Question::new(
                Subject::Principal(user("bob")),
                Privilege::Select,
                object.clone(),
            )
            .leaving_to(Some(to.to_owned())),
            Some(NOW),
        )
        .principals
        .iter()
        .map(|h| h.principal.to_string())
        .collect()
    };
    let s = project(
        "grant Select on table sales to RAM$carol; set ProjectProtection=true;",
        None,
    );
    // Protection binds the owner too: nobody takes the data out.
    assert_eq!(names(&s, "partner"), Vec::<String>::new());
    for who in ["bob", "carol"] {
        assert!(!ask(&s, who, "partner").allowed());
    }
    let s = project(
        "grant Select on table sales to RAM$carol; set ProjectProtection=true;
         add trustedproject partner;",
        None,
    );
    assert_eq!(
        names(&s, "partner"),
        [
            "ALIYUN$owner@x.com",
            "RAM$owner@x.com:bob",
            "RAM$owner@x.com:carol"
        ]
    );
    assert!(ask(&s, "carol", "partner").allowed());
}
