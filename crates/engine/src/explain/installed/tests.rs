use super::*;
use crate::explain::{Subject, explain};
use crate::names::{PrincipalId, RoleName};
use crate::state::ProjectState;
use crate::testing::named_project_after;
use crate::who_can::{Path, who_can_asked};

const NOW: i64 = 1_800_000_000;

/// Project `b` shares table `t` (and column `t.ssn`, labelled 3) with
/// project `p` through package `pk`.
fn sharing(allow: &str) -> ProjectState {
    named_project_after(
        "b",
        &format!(
            "create package pk; add table t to package pk with privileges Select, Describe;
             set label 3 to table t(ssn); set LabelSecurity=true; {allow}"
        ),
        Some(NOW),
    )
}

/// Project `p`: bob holds role analyst, which may use package `b.pk`.
fn installing() -> ProjectState {
    named_project_after(
        "p",
        "add accountprovider ram; add user RAM$bob; add user RAM$carol;
         create role analyst; grant analyst to RAM$bob;
         install package b.pk; grant Read on package b.pk to role analyst;",
        Some(NOW),
    )
}

fn bob() -> PrincipalId {
    PrincipalId::ram_user("owner@x.com", "bob")
}

fn ask(here: &ProjectState, who: PrincipalId, privilege: Privilege, from: SharingProject) -> Trace {
    let asked = ObjectRef {
        name: format!("b.{}", from.object.name),
        ..from.object.clone()
    };
    let q = Question::new(Subject::Principal(who), privilege, asked).shared_by(Some(from));
    explain(here, &q, Some(NOW))
}

use super::super::Trace;

fn table(column: Option<&str>) -> ObjectRef {
    match column {
        Some(c) => ObjectRef::column(ObjectKind::Table, "t", c),
        None => ObjectRef::new(ObjectKind::Table, "t"),
    }
}

#[test]
fn a_role_holding_read_on_the_package_lets_its_holder_use_what_it_shares() {
    let b = sharing("allow project p to install package pk;");
    let from = SharingProject::read_from(&b, table(None));
    let t = ask(&installing(), bob(), Privilege::Select, from.clone());
    assert!(t.allowed() && t.verified, "{t}");
    let step = t.decisive().expect("the package decides");
    assert_eq!(step.layer, Layer::Package);
    assert_eq!(step.package.as_deref(), Some("b.pk"));
    assert_eq!(
        step.statement.as_deref(),
        Some("grant Read on package b.pk to role analyst;")
    );
    assert_eq!(
        step.grantee,
        Some(GranteeId::Role(RoleName::new("analyst")))
    );
    // The package shares no Update, and carol holds no Read on it.
    let t = ask(&installing(), bob(), Privilege::Update, from.clone());
    assert!(!t.allowed(), "{t}");
    let carol = PrincipalId::ram_user("owner@x.com", "carol");
    let t = ask(&installing(), carol, Privilege::Select, from.clone());
    assert!(!t.allowed() && t.verified, "{t}");
    assert!(
        t.steps.iter().any(|s| s.statement.as_deref()
            == Some("grant Read on package b.pk to user RAM$owner@x.com:carol;")),
        "{t}"
    );
    // The owner of p may use every package installed in p.
    let owner = PrincipalId::aliyun("owner@x.com");
    assert!(ask(&installing(), owner, Privilege::Select, from).allowed());
}

#[test]
fn who_can_lists_the_holders_by_the_package() {
    let b = sharing("allow project p to install package pk;");
    let from = SharingProject::read_from(&b, table(None));
    let asked = ObjectRef::new(ObjectKind::Table, "b.t");
    let who = who_can_asked(
        &installing(),
        &Question::new(Subject::Principal(bob()), Privilege::Select, asked.clone())
            .shared_by(Some(from.clone())),
        Some(NOW),
    );
    let names: Vec<(String, String)> = who
        .principals
        .iter()
        .map(|h| (h.principal.to_string(), h.path.to_string()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("ALIYUN$owner@x.com".to_owned(), "package b.pk".to_owned()),
            ("RAM$owner@x.com:bob".to_owned(), "package b.pk".to_owned()),
        ]
    );
    assert!(matches!(&who.principals[1].path, Path::Package { package } if package == "b.pk"));
}

#[test]
fn a_disallowed_or_expired_allowance_no_longer_lets_anyone_in() {
    let b =
        sharing("allow project p to install package pk; disallow project p to install package pk;");
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::read_from(&b, table(None)),
    );
    assert!(!t.allowed() && t.verified, "{t}");
    assert!(
        t.steps
            .iter()
            .any(|s| s.detail.contains("no longer allows project p")),
        "{t}"
    );
    let mut b = sharing("allow project p to install package pk;");
    if let Some(pk) = b.packages.get_mut("pk") {
        pk.allowed_until.insert("p".into(), Expiry::At(NOW - 1));
    }
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::read_from(&b, table(None)),
    );
    assert!(!t.allowed(), "{t}");
    assert!(
        t.steps.iter().any(|s| s.detail.contains("has expired")),
        "{t}"
    );
}

#[test]
fn the_allowance_label_caps_the_data_under_label_security() {
    let low = sharing("allow project p to install package pk;");
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::read_from(&low, table(Some("ssn"))),
    );
    assert!(!t.allowed(), "{t}");
    assert!(
        t.steps.iter().any(|s| s
            .detail
            .contains("labelled 3 in project b, above the label 0")),
        "{t}"
    );
    // An unlabelled column is within the default label 0.
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::read_from(&low, table(Some("region"))),
    );
    assert!(t.allowed(), "{t}");
    let high = sharing("allow project p to install package pk using label 3;");
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::read_from(&high, table(Some("ssn"))),
    );
    assert!(t.allowed() && t.verified, "{t}");
}

#[test]
fn what_was_not_read_of_the_other_project_is_not_verified() {
    let t = ask(
        &installing(),
        bob(),
        Privilege::Select,
        SharingProject::unread("b", table(None)),
    );
    assert!(!t.allowed() && !t.verified, "{t}");
    assert!(
        t.steps
            .iter()
            .any(|s| s.outcome == Outcome::NotVerified && s.detail.contains("were not read")),
        "{t}"
    );
    // Labels not read leave a Select not verified, yet allowed.
    let b = sharing("allow project p to install package pk;");
    let mut from = SharingProject::read_from(&b, table(None));
    from.labels = None;
    let t = ask(&installing(), bob(), Privilege::Select, from);
    assert!(t.allowed() && !t.verified, "{t}");
    // Nothing of b installed here: the package layer denies.
    let here = named_project_after("p", "add accountprovider ram; add user RAM$bob;", Some(NOW));
    let t = ask(
        &here,
        bob(),
        Privilege::Select,
        SharingProject::read_from(&b, table(None)),
    );
    assert!(!t.allowed() && t.verified, "{t}");
    assert_eq!(t.decisive().map(|s| s.layer), Some(Layer::Package));
}
