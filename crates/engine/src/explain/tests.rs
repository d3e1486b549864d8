use super::*;
use crate::check::{Caller, Context, execute_in};
use crate::privilege::ObjectKind;
use crate::state::ProjectState;

const NOW: i64 = 1_800_000_000;

fn state(script: &str) -> ProjectState {
    crate::testing::project_after(script, Some(NOW))
}

fn ask(
    s: &ProjectState,
    who: &str,
    privilege: Privilege,
    table: &str,
    column: Option<&str>,
) -> Trace {
    let subject = match who.strip_prefix("role ") {
        Some(r) => Subject::Role(RoleName::new(r)),
        None => Subject::Principal(PrincipalId::ram_user("owner@x.com", who)),
    };
    let object = match column {
        Some(c) => ObjectRef::column(ObjectKind::Table, table, c),
        None => ObjectRef::new(ObjectKind::Table, table),
    };
    explain(
        s,
        &Question {
            subject,
            privilege,
            object,
            object_owner: None,
            shared_by: None,
            leaving_to: None,
        },
        Some(NOW),
    )
}

const BASE: &str = "add accountprovider ram; add user RAM$bob; add user RAM$carol;
    create role analyst; grant analyst to RAM$bob;
    grant Select on table sales to role analyst;";

#[test]
fn a_role_grant_decides_and_the_trace_names_it() {
    let s = state(BASE);
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("a deciding step");
    assert_eq!(step.layer, Layer::AclGrant);
    assert_eq!(
        step.statement.as_deref(),
        Some("grant Select on table sales to role analyst;")
    );
    assert_eq!(
        step.grantee,
        Some(GranteeId::Role(RoleName::new("analyst")))
    );
    // The grant to the user itself was consulted too.
    assert!(
        t.steps
            .iter()
            .any(|s| s.detail.contains("no grant to user/")),
        "{t}"
    );
    // Not modelled layers say so.
    assert!(
        t.steps
            .iter()
            .any(|s| s.layer == Layer::ObjectCreator && s.outcome == Outcome::NotModelled)
    );
}

#[test]
fn a_grant_for_another_privilege_is_listed_as_not_applying() {
    let s = state(BASE);
    let t = ask(&s, "bob", Privilege::Drop, "sales", None);
    assert!(!t.allowed());
    assert!(t.decided_by.is_none());
    assert!(
        t.steps
            .iter()
            .any(|s| s.detail.contains("it grants Select, not Drop")),
        "{t}"
    );
}

#[test]
fn an_explicit_deny_beats_an_allow() {
    let s = state(&format!(
        "{BASE} grant Select on table sales to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");"
    ));
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(!t.allowed());
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::PolicyGrant));
    assert!(t.reason.starts_with("denied by the policy grant"), "{t}");
    assert!(t.steps.iter().any(|s| s.outcome == Outcome::Allows), "{t}");
}

#[test]
fn wildcards_owner_admin_and_outsiders() {
    let s = state(&format!(
        "{BASE} grant admin to RAM$carol; grant Describe on table sales_* to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");"
    ));
    let t = ask(&s, "bob", Privilege::Describe, "sales_2026", None);
    assert!(t.allowed(), "{t}");
    assert!(
        t.decisive()
            .is_some_and(|s| s.detail.contains("pattern sales_*")),
        "{t}"
    );
    assert_eq!(
        ask(&s, "carol", Privilege::Drop, "x", None)
            .decisive()
            .map(|s| s.layer),
        Some(Layer::AdminRole)
    );
    let outsider = ask(&s, "eve", Privilege::Select, "sales", None);
    assert!(!outsider.allowed());
    assert_eq!(
        outsider.decisive().map(|s| s.layer),
        Some(Layer::Membership)
    );
    let owner = explain(
        &s,
        &Question {
            subject: Subject::Principal(PrincipalId::aliyun("owner@x.com")),
            privilege: Privilege::Drop,
            object: ObjectRef::new(ObjectKind::Table, "sales"),
            object_owner: None,
            shared_by: None,
            leaving_to: None,
        },
        Some(NOW),
    );
    assert_eq!(owner.decisive().map(|s| s.layer), Some(Layer::Owner));
}

#[test]
fn expired_grants_lapse() {
    let s = state(
        "add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob;
         grant Select on table t to role r privilegeproperties(\"expires\"=\"1\");",
    );
    assert!(ask(&s, "bob", Privilege::Select, "t", None).allowed());
    let later = explain(
        &s,
        &Question {
            subject: Subject::Principal(PrincipalId::ram_user("owner@x.com", "bob")),
            privilege: Privilege::Select,
            object: ObjectRef::new(ObjectKind::Table, "t"),
            object_owner: None,
            shared_by: None,
            leaving_to: None,
        },
        Some(NOW + 2 * 86_400),
    );
    assert!(!later.allowed());
    assert!(
        later
            .steps
            .iter()
            .any(|s| s.detail.contains("it has expired")),
        "{later}"
    );
}

#[test]
fn labels_hold_back_data_above_the_clearance() {
    let s = state(&format!(
        "{BASE} set LabelSecurity=true; set label 3 to table sales(ssn);
         grant label 3 on table sales(ssn) to user RAM$carol with exp 10;
         grant Select on table sales to RAM$carol;"
    ));
    let bob = ask(&s, "bob", Privilege::Select, "sales", Some("ssn"));
    assert!(!bob.allowed(), "{bob}");
    assert_eq!(bob.decisive().map(|s| s.layer), Some(Layer::LabelSecurity));
    assert_eq!(
        bob.decisive().and_then(|s| s.statement.as_deref()),
        Some("grant label 3 on table sales (ssn) to user RAM$owner@x.com:bob;")
    );
    assert!(ask(&s, "bob", Privilege::Select, "sales", Some("amount")).allowed());
    let carol = ask(&s, "carol", Privilege::Select, "sales", Some("ssn"));
    assert!(carol.allowed(), "{carol}");
    assert!(
        carol
            .steps
            .iter()
            .any(|s| s.layer == Layer::LabelSecurity && s.detail.contains("expires in 10 day(s)")),
        "{carol}"
    );
}

#[test]
fn a_role_alone_is_judged_by_its_own_grants() {
    let s = state(BASE);
    assert!(ask(&s, "role analyst", Privilege::Select, "sales", None).allowed());
    assert!(!ask(&s, "role analyst", Privilege::Drop, "sales", None).allowed());
    assert!(!ask(&s, "role nobody", Privilege::Select, "sales", None).allowed());
    assert!(ask(&s, "role admin", Privilege::Drop, "sales", None).allowed());
}

#[test]
fn what_was_not_read_is_not_verified() {
    use crate::change::{Change, apply};
    use crate::state::{GrantKey, GrantKind, RoleType};
    let bob = PrincipalId::ram_user("owner@x.com", "bob");
    let analyst = RoleName::new("analyst");
    let mut partial = ProjectState::unread("p", PrincipalId::aliyun("owner@x.com"));
    for change in [
        Change::AddMember {
            principal: bob.clone(),
        },
        Change::CreateRole {
            role: analyst.clone(),
            role_type: RoleType::Resource,
            comment: None,
        },
        Change::GrantRole {
            role: analyst.clone(),
            principal: bob.clone(),
        },
        Change::AddAclGrant {
            grantee: GranteeId::Role(analyst.clone()),
            grant: GrantKey {
                object: ObjectRef::new(ObjectKind::Table, "sales"),
                privilege: Privilege::Select,
                kind: GrantKind::Acl,
            },
            props: Default::default(),
        },
    ] {
        apply(&mut partial, &change);
    }
    partial.learn(Fact::Members);
    partial.learn(Fact::RoleHolders);
    partial.learn(Fact::Roles);
    let t = ask(&partial, "bob", Privilege::Select, "sales", None);
    assert!(!t.verified, "{t}");
    assert!(!t.allowed());
    assert!(
        t.steps
            .iter()
            .any(|s| s.outcome == Outcome::NotVerified && s.detail.contains("role/analyst")),
        "{t}"
    );
    partial.learn_grants_of(GranteeId::Role(RoleName::new("analyst")));
    let t = ask(&partial, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed(), "{t}");
}

/// `BASE` with `script` run, where `put policy NAME` reads `docs`.
fn with_documents(script: &str, docs: &[(&str, &str)]) -> ProjectState {
    let mut state = state(BASE);
    let owner = Caller::owner_of(&state);
    let mut ctx = Context {
        now: Some(NOW),
        ..Context::default()
    };
    for (name, text) in docs {
        ctx.documents.insert((*name).to_owned(), (*text).to_owned());
    }
    for stmt in mcauth_syntax::parse(script).statements {
        execute_in(&mut state, &owner, &ctx, &stmt).unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
    }
    state
}

const DENY_SALES: &str = r#"{"Version": "1", "Statement": [
  {"Effect": "Deny", "Principal": ["RAM$owner@x.com:bob", "RAM$owner@x.com:dave"],
   "Action": "odps:Select", "Resource": "acs:odps:*:projects/p/tables/sales"}]}"#;

const ANALYST: &str = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": ["odps:Describe", "odps:Select"],
   "Resource": "acs:odps:*:projects/p/tables/sales_*"}]}"#;

#[test]
fn a_project_policy_deny_beats_an_acl_grant() {
    let s = with_documents("put policy deny.json;", &[("deny.json", DENY_SALES)]);
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(!t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("a deciding step");
    assert_eq!(step.layer, Layer::PolicyDocument);
    assert_eq!(step.outcome, Outcome::Denies);
    assert_eq!(
        t.reason,
        "explicitly denied by statement 1 of the project policy (line 2)"
    );
    // The ACL grant was consulted and allowed; the Deny won.
    assert!(
        t.steps
            .iter()
            .any(|s| s.layer == Layer::AclGrant && s.outcome == Outcome::Allows)
    );
    // A column is checked as its table; others are not named.
    assert!(!ask(&s, "bob", Privilege::Select, "sales", Some("amount")).allowed());
    assert!(!ask(&s, "bob", Privilege::Select, "sales_2026", None).allowed());
    let carol = with_documents(
        "put policy deny.json; grant Select on table sales to RAM$carol;",
        &[("deny.json", DENY_SALES)],
    );
    assert!(ask(&carol, "carol", Privilege::Select, "sales", None).allowed());
    // Neither the owner nor an admin is bound by it.
    let admin = with_documents(
        "put policy deny.json; add user RAM$dave; grant admin to RAM$dave;",
        &[("deny.json", DENY_SALES)],
    );
    let t = ask(&admin, "dave", Privilege::Select, "sales", None);
    assert!(t.allowed(), "{t}");
    assert!(
        t.steps
            .iter()
            .any(|s| s.layer == Layer::PolicyDocument && s.detail.contains("no Deny there binds")),
        "{t}"
    );
    let owner = Question {
        subject: Subject::Principal(PrincipalId::aliyun("owner@x.com")),
        privilege: Privilege::Select,
        object: ObjectRef::new(ObjectKind::Table, "sales"),
        object_owner: None,
        shared_by: None,
        leaving_to: None,
    };
    assert!(explain(&admin, &owner, Some(NOW)).allowed());
}

#[test]
fn a_role_policy_allow_with_a_wildcard_allows_its_holders() {
    let s = with_documents(
        "put policy analyst.json on role analyst;",
        &[("analyst.json", ANALYST)],
    );
    let t = ask(&s, "bob", Privilege::Describe, "SALES_2026", None);
    assert!(t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("a deciding step");
    assert_eq!(step.layer, Layer::PolicyDocument);
    assert_eq!(
        step.grantee,
        Some(GranteeId::Role(RoleName::new("analyst")))
    );
    assert_eq!(
        t.reason,
        "allowed by statement 1 of the policy of role analyst (line 2)"
    );
    assert!(!ask(&s, "bob", Privilege::Drop, "sales_2026", None).allowed());
    assert!(!ask(&s, "carol", Privilege::Describe, "sales_2026", None).allowed());
    assert!(ask(&s, "role analyst", Privilege::Select, "sales_x", None).allowed());
    let who = crate::who_can(
        &s,
        Privilege::Describe,
        &ObjectRef::new(ObjectKind::Table, "sales_2026"),
        None,
        Some(NOW),
    );
    assert!(
        who.principals.iter().any(
            |h| h.principal == PrincipalId::ram_user("owner@x.com", "bob")
                && h.path.to_string() == "role analyst (role policy)"
        ),
        "{who}"
    );
    // The flag that turns policies off turns documents off too.
    let off = with_documents(
        "put policy analyst.json on role analyst; set CheckPermissionUsingPolicy=false;",
        &[("analyst.json", ANALYST)],
    );
    let t = ask(&off, "bob", Privilege::Describe, "sales_2026", None);
    assert!(!t.allowed(), "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::PolicyDocument
        && s.detail.contains("CheckPermissionUsingPolicy=false")));
}

#[test]
fn conditions_on_unknown_context_are_not_verified() {
    let ip_deny = r#"{"Version": "1", "Statement": [
      {"Effect": "Deny", "Principal": "*", "Action": "odps:Select",
       "Resource": "acs:odps:*:projects/p/tables/*",
       "Condition": {"NotIpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}"#;
    let s = with_documents("put policy ip.json;", &[("ip.json", ip_deny)]);
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed() && !t.verified, "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::PolicyDocument
        && s.outcome == Outcome::NotVerified
        && s.detail.contains("acs:SourceIp")));
    // Where the statement could not change the answer, it is said so.
    let t = ask(&s, "carol", Privilege::Select, "sales", None);
    assert!(!t.allowed() && t.verified, "{t}");
    // acs:CurrentTime is known: an expired Allow does not allow.
    let timed = |until: &str| {
        format!(
            r#"{{"Version": "1", "Statement": [{{"Effect": "Allow", "Principal": "RAM$owner@x.com:*",
            "Action": "odps:Describe", "Resource": "acs:odps:*:projects/p/tables/*",
            "Condition": {{"DateLessThan": {{"acs:CurrentTime": "{until}"}}}}}}]}}"#
        )
    };
    let later = timed("2099-01-01T00:00:00Z");
    let earlier = timed("2020-01-01T00:00:00Z");
    let s = with_documents("put policy t.json;", &[("t.json", &later)]);
    let t = ask(&s, "carol", Privilege::Describe, "sales", None);
    assert!(t.allowed() && t.verified, "{t}");
    let s = with_documents("put policy t.json;", &[("t.json", &earlier)]);
    let t = ask(&s, "carol", Privilege::Describe, "sales", None);
    assert!(!t.allowed() && t.verified, "{t}");
}

#[test]
fn documents_not_read_are_not_verified_and_the_security_policy_is_not_modelled() {
    let mut partial = ProjectState::unread("p", PrincipalId::aliyun("owner@x.com"));
    crate::change::apply(
        &mut partial,
        &crate::change::Change::AddMember {
            principal: PrincipalId::ram_user("owner@x.com", "bob"),
        },
    );
    for f in [Fact::Members, Fact::RoleHolders, Fact::Roles, Fact::Flags] {
        partial.learn(f);
    }
    let t = ask(&partial, "bob", Privilege::Select, "sales", None);
    assert!(
        t.steps.iter().any(|s| s.layer == Layer::PolicyDocument
            && s.outcome == Outcome::NotVerified
            && s.detail.contains("policy documents were not read")),
        "{t}"
    );
    let s = with_documents(
        "put security policy deny.json;",
        &[("deny.json", DENY_SALES)],
    );
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed(), "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::PolicyDocument
        && s.outcome == Outcome::NotModelled
        && s.detail.contains("security policy")));
}

/// A question about table `table` whose owner is `owner` (a RAM user of
/// the test account), where given.
fn ask_owned(s: &ProjectState, who: &str, privilege: Privilege, owner: Option<&str>) -> Trace {
    let question = Question::new(
        Subject::Principal(PrincipalId::ram_user("owner@x.com", who)),
        privilege,
        ObjectRef::new(ObjectKind::Table, "sales"),
    )
    .owned_by(owner.map(|o| PrincipalId::ram_user("owner@x.com", o)));
    explain(s, &question, Some(NOW))
}

#[test]
fn the_creator_may_use_what_it_created_while_the_flag_is_on() {
    let s = state(BASE);
    // carol holds no grant; as the table's owner she may use it.
    let t = ask_owned(&s, "carol", Privilege::Drop, Some("carol"));
    assert!(t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("a deciding step");
    assert_eq!(step.layer, Layer::ObjectCreator);
    assert!(
        step.detail
            .starts_with("creator of table sales (ObjectCreatorHasAccessPermission=true)"),
        "{t}"
    );
    assert_eq!(
        t.reason,
        "allowed as the creator of table sales (ObjectCreatorHasAccessPermission=true)"
    );
    // Someone else's table: the layer is consulted and does not apply.
    let t = ask_owned(&s, "carol", Privilege::Drop, Some("bob"));
    assert!(!t.allowed(), "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::ObjectCreator
        && s.outcome == Outcome::DoesNotApply
        && s.detail.contains("was created by RAM$owner@x.com:bob")));
    // Owner not known: not modelled, with the way to name it.
    let t = ask_owned(&s, "carol", Privilege::Drop, None);
    assert!(!t.allowed() && t.verified, "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::ObjectCreator
        && s.outcome == Outcome::NotModelled
        && s.detail.contains("--owner")));
    // The flag off: creators have no access of their own.
    let off = state(&format!(
        "{BASE} set ObjectCreatorHasAccessPermission=false;"
    ));
    let t = ask_owned(&off, "carol", Privilege::Drop, Some("carol"));
    assert!(!t.allowed(), "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::ObjectCreator
        && s.detail.contains("ObjectCreatorHasAccessPermission=false")));
    // A role creates nothing; a project's creator is its owner.
    let role = explain(
        &s,
        &Question::new(
            Subject::Role(RoleName::new("analyst")),
            Privilege::Drop,
            ObjectRef::new(ObjectKind::Table, "sales"),
        )
        .owned_by(Some(PrincipalId::ram_user("owner@x.com", "carol"))),
        Some(NOW),
    );
    assert!(!role.allowed(), "{role}");
}

#[test]
fn an_explicit_deny_beats_the_creator_and_labels_still_hold_it_back() {
    let s = state(&format!(
        "{BASE} create role held; grant held to RAM$carol;
         grant Drop on table sales to role held privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");"
    ));
    let t = ask_owned(&s, "carol", Privilege::Drop, Some("carol"));
    assert!(!t.allowed(), "{t}");
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::PolicyGrant));
    assert!(
        t.steps
            .iter()
            .any(|s| s.layer == Layer::ObjectCreator && s.detail.ends_with("beats it")),
        "{t}"
    );
    // A project policy's Deny beats it too.
    let denied = with_documents("put policy deny.json;", &[("deny.json", DENY_SALES)]);
    let t = ask_owned(&denied, "bob", Privilege::Select, Some("bob"));
    assert!(!t.allowed(), "{t}");
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::PolicyDocument));
    // LabelSecurity holds the creator's Allow back like any other.
    let labelled = state(&format!(
        "{BASE} set LabelSecurity=true; set label 3 to table sales;"
    ));
    let t = ask_owned(&labelled, "carol", Privilege::Select, Some("carol"));
    assert!(!t.allowed(), "{t}");
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::LabelSecurity));
}

#[test]
fn who_can_lists_the_creator_and_check_access_agrees() {
    let s = state(BASE);
    let sales = ObjectRef::new(ObjectKind::Table, "sales");
    let carol = PrincipalId::ram_user("owner@x.com", "carol");
    let who = crate::who_can(&s, Privilege::Drop, &sales, Some(&carol), Some(NOW));
    let holder = who
        .principals
        .iter()
        .find(|h| h.principal == carol)
        .expect("carol is listed");
    assert_eq!(holder.path, crate::who_can::Path::Creator);
    assert_eq!(holder.path.to_string(), "creator");
    let json = serde_json::to_string(&who).expect("json");
    assert!(json.contains(r#""path":{"type":"creator"}"#), "{json}");
    assert!(
        crate::check_access(&s, &carol, &sales, Some(&carol), Privilege::Drop, Some(NOW)).allowed
    );
    assert!(!crate::check_access(&s, &carol, &sales, None, Privilege::Drop, Some(NOW)).allowed);
}

#[test]
fn without_download_control_a_download_is_judged_as_a_select() {
    let s = state(BASE);
    // bob may Select sales through his role: without the control he may
    // download it, and the trace says why.
    let t = ask(&s, "bob", Privilege::Download, "sales", None);
    assert!(t.allowed() && t.verified, "{t}");
    assert!(t.steps.iter().any(|s| {
        s.layer == Layer::DownloadControl
            && s.detail
                .contains("the answer is whether RAM$owner@x.com:bob may Select table sales")
    }));
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::AclGrant));
    assert!(!ask(&s, "carol", Privilege::Download, "sales", None).allowed());
    // With the control on, Download must be granted.
    let on = state(&format!(
        "{BASE} setproject odps.security.enabledownloadprivilege=true;"
    ));
    let t = ask(&on, "bob", Privilege::Download, "sales", None);
    assert!(!t.allowed(), "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::DownloadControl
        && s.detail == "Download control is on: downloading needs this Download privilege"));
    let granted = state(&format!(
        "{BASE} setproject odps.security.enabledownloadprivilege=true; grant Download on table sales to RAM$carol;"
    ));
    assert!(ask(&granted, "carol", Privilege::Download, "sales", None).allowed());
    // A Select keeps its note.
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.steps.iter().any(|s| s.layer == Layer::DownloadControl
        && s.outcome == Outcome::Note
        && s.detail.contains("does not ask for Download")));
}

#[test]
fn a_grant_with_a_condition_decides_nothing_and_leaves_the_answer_open() {
    const IF_IP: &str = r#"privilegeproperties("conditions"="acs:SourceIp in ('10.0.0.0/8')")"#;
    // Only a conditional Allow: denied, but it could allow.
    let s = state(&format!(
        "add accountprovider ram; add user RAM$carol;
         grant Select on table sales to RAM$carol {IF_IP};"
    ));
    let t = ask(&s, "carol", Privilege::Select, "sales", None);
    assert!(!t.allowed() && !t.verified, "{t}");
    assert!(t.steps.iter().any(|s| s.layer == Layer::AclGrant
        && s.outcome == Outcome::NotVerified
        && s.detail.contains("it would allow if its condition")));
    // An Allow that holds anyway: the conditional one changes nothing.
    let s = state(&format!(
        "{BASE} grant Select on table sales to RAM$bob {IF_IP};"
    ));
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed() && t.verified, "{t}");
    assert!(
        t.steps
            .iter()
            .any(|s| s.detail.ends_with("it could not change the answer"))
    );
    // A conditional policy Deny could take bob's Allow away.
    let s = state(&format!(
        "{BASE} grant Select on table sales to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\", \"conditions\"=\"acs:SourceIp in ('10.0.0.0/8')\");"
    ));
    let t = ask(&s, "bob", Privilege::Select, "sales", None);
    assert!(t.allowed() && !t.verified, "{t}");
    assert!(t.steps.iter().any(|s| s.outcome == Outcome::NotVerified
        && s.detail.contains("it would deny if its condition")));
    // check_access (the emulator's checkPermission) takes the same decision.
    let d = crate::check_access(
        &s,
        &PrincipalId::ram_user("owner@x.com", "bob"),
        &ObjectRef::new(ObjectKind::Table, "sales"),
        None,
        Privilege::Select,
        Some(NOW),
    );
    assert!(d.allowed);
}
