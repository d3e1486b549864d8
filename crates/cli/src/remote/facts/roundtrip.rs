//! Round trips per kind: a random project state, built by running random
//! statements through the engine, is printed as the engine prints each
//! query's answer (which is what the emulator sends), read back by the
//! reader's parser into changes, applied to an unread state, and the
//! facts of that kind compared with the original's.

use std::collections::BTreeMap;

use mcauth_engine::{
    Caller, Change, Context, Flag, GrantKey, GrantProps, GranteeId, Output, PolicySlot,
    PrincipalId, ProjectState, StateView, apply, check_in, execute_in,
};
use proptest::prelude::*;

use super::grants::CONDITIONS_NOT_SHOWN;
use super::{flags, grants, groups, labels, packages, policies, tenant, trusted};
use crate::remote::snapshot::group_names;

const PROJECT: &str = "p";
const OWNER: &str = "owner@x.com";
const DOCUMENT: &str = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"odps:Read\"], \"Resource\": [\"acs:odps:*:projects/p/tables/t\"]}]}\n";

const USERS: &[&str] = &[
    "RAM$owner@x.com:alice",
    "RAM$owner@x.com:Bo$b",
    "RAM$owner@x.com:c@d:e",
    "`RAM$owner@x.com:role/etl`",
    "ALIYUN$a@x.com",
    "ALIYUN$owner@x.com",
];
const ROLES: &[&str] = &["worker", "Reader", "OPS_1", "Ops_1", "admin"];
const OBJECTS: &[&str] = &[
    "project p",
    "table t",
    "table T$1",
    "table tb_*",
    "table p.s.t",
    "table t (c1, C2)",
    "function f/x",
    "resource a:b.jar",
    "instance Inst_01",
    "package other.pkg",
    "model m@x",
    "volume v",
];
const PRIVILEGES: &[&str] = &[
    "Select",
    "Describe",
    "Drop",
    "All",
    "Read",
    "Write",
    "List",
    "CreateTable",
    "Execute",
];
const PROPS: &[&str] = &[
    "",
    "",
    r#" privilegeproperties("policy"="true", "allow"="true")"#,
    r#" privilegeproperties("policy"="true", "allow"="false")"#,
    r#" privilegeproperties("policy"="true", "allow"="true", "conditions"="x")"#,
    r#" privilegeproperties("conditions"="c")"#,
    r#" privilegeproperties("expires"="3")"#,
    r#" privilegeproperties("policy"="true", "allow"="false", "expires"="40000")"#,
];
const PACKAGE_OBJECTS: &[&str] = &[
    "table t",
    "table T$1",
    "function f/x",
    "resource a:b.jar",
    "instance Inst_01",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> + Clone {
    proptest::sample::select(list)
}

fn grantee() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(USERS).prop_map(str::to_owned),
        pick(ROLES).prop_map(|r| format!("role {r}")),
        pick(ROLES).prop_map(|r| format!("tenant role {r}")),
    ]
}

fn statement() -> impl Strategy<Value = String> {
    let u = pick(USERS);
    let r = pick(ROLES);
    let flag = pick(&[
        "CheckPermissionUsingACL",
        "CheckPermissionUsingPolicy",
        "ObjectCreatorHasAccessPermission",
        "ObjectCreatorHasGrantPermission",
        "LabelSecurity",
        "ProjectProtection",
        "ExternalResourceAccessControl",
    ]);
    let package = pick(&["k", "K2$x", "k.3"]);
    let project = pick(&["q", "Q$1", "r-2"]);
    prop_oneof![
        u.clone().prop_map(|u| format!("add user {u}")),
        u.clone().prop_map(|u| format!("remove user {u}")),
        (
            r.clone(),
            prop_oneof![Just(""), Just(r#" privilegeproperties("type"="admin")"#)]
        )
            .prop_map(|(r, t)| format!("create role {r}{t}")),
        r.clone().prop_map(|r| format!("drop role {r}")),
        (r.clone(), u.clone()).prop_map(|(r, u)| format!("grant {r} to {u}")),
        (r.clone(), u.clone()).prop_map(|(r, u)| format!("revoke {r} from {u}")),
        (
            proptest::sample::subsequence(PRIVILEGES, 1..4),
            pick(OBJECTS),
            grantee(),
            pick(PROPS)
        )
            .prop_map(|(x, o, g, pp)| format!("grant {} on {o} to {g}{pp}", x.join(", "))),
        (pick(PRIVILEGES), pick(OBJECTS), grantee())
            .prop_map(|(x, o, g)| format!("revoke {x} on {o} from {g}")),
        grantee().prop_map(|g| format!("purge privs from {g}")),
        (flag, any::<bool>()).prop_map(|(f, v)| format!("set {f}={v}")),
        project
            .clone()
            .prop_map(|p| format!("add trustedproject {p}")),
        project
            .clone()
            .prop_map(|p| format!("remove trustedproject {p}")),
        package.clone().prop_map(|k| format!("create package {k}")),
        package.clone().prop_map(|k| format!("drop package {k}")),
        (
            pick(PACKAGE_OBJECTS),
            package.clone(),
            proptest::sample::subsequence(&["Select", "Describe", "Read", "Write"][..], 0..3)
        )
            .prop_map(|(o, k, x)| if x.is_empty() {
                format!("add {o} to package {k}")
            } else {
                format!("add {o} to package {k} with privileges {}", x.join(", "))
            }),
        (pick(PACKAGE_OBJECTS), package.clone())
            .prop_map(|(o, k)| format!("remove {o} from package {k}")),
        (
            project.clone(),
            package.clone(),
            prop_oneof![Just(""), Just(" using label 2"), Just(" using label L$3")]
        )
            .prop_map(|(p, k, l)| format!("allow project {p} to install package {k}{l}")),
        (project.clone(), package.clone())
            .prop_map(|(p, k)| format!("disallow project {p} to install package {k}")),
        pick(&["other.pkg", "o2.P$k"]).prop_map(|k| format!("install package {k}")),
        pick(&["other.pkg", "o2.P$k"]).prop_map(|k| format!("uninstall package {k}")),
        u.clone().prop_map(|u| format!("add tenant user {u}")),
        u.clone().prop_map(|u| format!("remove tenant user {u}")),
        r.clone().prop_map(|r| format!("create tenant role {r}")),
        (
            pick(&["2", "L$3"]),
            pick(&["t", "T$1", "p.s.t", "t (c1, C2)"]),
            grantee(),
            prop_oneof![Just(""), Just(" with exp 5")]
        )
            .prop_map(|(l, t, g, e)| format!("grant label {l} on table {t} to {g}{e}")),
        (pick(&["t", "t (c1)"]), grantee())
            .prop_map(|(t, g)| format!("revoke label on table {t} from {g}")),
        Just("put policy p.json".to_owned()),
        Just("put security policy p.json".to_owned()),
        (any::<bool>(), pick(&["g", "Data_Team", "r$1", "G"]))
            .prop_map(|(t, g)| format!("add {}group {g}", if t { "tenant " } else { "" })),
        (any::<bool>(), pick(&["g", "Data_Team", "r$1"]))
            .prop_map(|(t, g)| format!("remove {}group {g}", if t { "tenant " } else { "" })),
        r.clone()
            .prop_map(|r| format!("put policy p.json on role {r}")),
    ]
}

/// A project after the statements that passed, and the context they ran in.
fn project(script: &[String], now: Option<i64>) -> (ProjectState, Context) {
    let mut state = ProjectState::new(PROJECT, PrincipalId::aliyun(OWNER));
    let owner = Caller::owner_of(&state);
    let mut ctx = Context {
        now,
        ..Context::default()
    };
    ctx.documents.insert("p.json".into(), DOCUMENT.into());
    for text in ["add accountprovider ram"]
        .into_iter()
        .chain(script.iter().map(String::as_str))
    {
        if let Ok(statement) = mcauth_syntax::parse_statement(text) {
            let _ = execute_in(&mut state, &owner, &ctx, &statement);
        }
    }
    (state, ctx)
}

/// The text the engine (and so the emulator) answers to a query.
fn answer(state: &ProjectState, ctx: &Context, text: &str) -> String {
    let statement = mcauth_syntax::parse_statement(text)
        .unwrap_or_else(|e| panic!("{text} does not parse: {e:?}"));
    let effect = check_in(state, &Caller::owner_of(state), ctx, &statement)
        .unwrap_or_else(|f| panic!("{text} fails: {}", f.message));
    assert!(effect.changes.is_empty(), "{text} is a query");
    match effect.output {
        Output::Ok => String::new(),
        output => output.to_string(),
    }
}

fn unread(changes: &[Change]) -> ProjectState {
    let mut state = ProjectState::unread(PROJECT, PrincipalId::aliyun(OWNER));
    for c in changes {
        apply(&mut state, c);
    }
    state
}

/// A grantee's grants, as the text can show them: a condition only as
/// being there.
fn shown_grants(state: &ProjectState, g: &GranteeId) -> BTreeMap<GrantKey, GrantProps> {
    state
        .grants_of(g)
        .into_iter()
        .map(|grant| {
            let mut props = grant.props.clone();
            if props.conditions.is_some() {
                props.conditions = Some(CONDITIONS_NOT_SHOWN.to_owned());
            }
            (grant.key.clone(), props)
        })
        .collect()
}

/// The grantees whose grants the service shows: members other than the
/// owner, roles and tenant roles that exist.
fn askable(state: &ProjectState) -> Vec<GranteeId> {
    let owner = state.owner();
    let users = state
        .members()
        .into_iter()
        .filter(move |m| *m != owner)
        .cloned()
        .map(GranteeId::User);
    let roles = state.roles().into_iter().cloned().map(GranteeId::Role);
    let tenant_roles = state.tenant_roles().into_iter().cloned();
    let tenant_roles = tenant_roles.map(GranteeId::TenantRole);
    users.chain(roles).chain(tenant_roles).collect()
}

fn script() -> impl Strategy<Value = (Vec<String>, Option<i64>)> {
    (
        proptest::collection::vec(statement(), 1..60),
        prop_oneof![Just(None), (0i64..4_000_000_000).prop_map(Some)],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn trusted_projects_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let changes = trusted::parse(&answer(&state, &ctx, trusted::STATEMENT)).expect("reads");
        let back = unread(&changes);
        prop_assert_eq!(back.trusted_projects(), state.trusted_projects());
    }

    #[test]
    fn flags_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let changes = flags::parse(&answer(&state, &ctx, flags::STATEMENT)).expect("reads");
        let back = unread(&changes);
        for flag in Flag::ALL {
            prop_assert_eq!(back.flag(flag), state.flag(flag), "{:?}", flag);
        }
    }

    #[test]
    fn packages_and_installs_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let listing = packages::parse_list(&answer(&state, &ctx, packages::LIST)).expect("reads");
        let mut changes = packages::installs(&listing);
        for k in &listing.created {
            let text = answer(&state, &ctx, &packages::describe(k));
            changes.extend(packages::parse_description(k, &text).expect("reads"));
        }
        let back = unread(&changes);
        prop_assert_eq!(back.packages(), state.packages());
        for k in state.packages() {
            prop_assert_eq!(back.package(k), state.package(k), "{}", k);
        }
        prop_assert_eq!(back.installed_packages(), state.installed_packages());
    }

    #[test]
    fn tenant_users_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let changes = tenant::parse_users(&answer(&state, &ctx, tenant::USERS)).expect("reads");
        let back = unread(&changes);
        prop_assert_eq!(back.tenant_users(), state.tenant_users());
    }

    #[test]
    fn groups_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let mut changes = groups::parse(false, &answer(&state, &ctx, groups::PROJECT)).expect("reads");
        changes.extend(groups::parse(true, &answer(&state, &ctx, groups::TENANT)).expect("reads"));
        // The listing shows names, not comments.
        let back = unread(&changes);
        prop_assert_eq!(group_names(&back), group_names(&state));
    }

    #[test]
    fn label_grants_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let changes = labels::parse(PROJECT, &answer(&state, &ctx, labels::STATEMENT)).expect("reads");
        let back = unread(&changes);
        prop_assert_eq!(back.label_grants(), state.label_grants());
    }

    #[test]
    fn grants_round_trip((script, now) in script()) {
        let (state, ctx) = project(&script, now);
        let mut changes = Vec::new();
        let asked = askable(&state);
        for g in &asked {
            let text = answer(&state, &ctx, &grants::statement(g));
            let read = grants::parse(PROJECT, g, &text)
                .unwrap_or_else(|e| panic!("{g}: line {}: {}\n{text}", e.line, e.message))
                .expect("not the owner");
            let own = read
                .iter()
                .all(|c| matches!(c, Change::AddAclGrant { grantee, .. } if grantee == g));
            prop_assert!(own, "{}", g);
            changes.extend(read);
        }
        // The grantees' roles and tenant roles, so that the answers below
        // can be asked of the state read back too.
        let mut back = ProjectState::new(PROJECT, PrincipalId::aliyun(OWNER));
        for c in project_shape(&state).iter().chain(&changes) {
            apply(&mut back, c);
        }
        for g in &asked {
            prop_assert_eq!(shown_grants(&back, g), shown_grants(&state, g), "{}", g);
            // The same lines, privileges in the same order.
            let text = grants::statement(g);
            prop_assert_eq!(answer(&back, &ctx, &text), answer(&state, &ctx, &text), "{}", g);
        }
        // `describe role` prints the lines without blocks.
        for r in state.roles() {
            let text = answer(&state, &ctx, &format!("describe role {r}"));
            let g = GranteeId::Role(r.clone());
            let read = grants::parse(PROJECT, &g, &text).expect("reads").expect("a role");
            prop_assert_eq!(shown_grants(&unread(&read), &g), shown_grants(&state, &g), "{}", r);
        }
    }

    #[test]
    fn policies_round_trip((script, now) in script()) {
        let (state, _) = project(&script, now);
        let slots: Vec<PolicySlot> = [PolicySlot::Project, PolicySlot::Security]
            .into_iter()
            .chain(state.roles().into_iter().cloned().map(PolicySlot::Role))
            .collect();
        // The REST body is the document byte for byte, empty when none.
        let changes: Vec<Change> = slots
            .iter()
            .filter_map(|s| policies::change(s.clone(), state.policy(s).unwrap_or_default().to_owned()))
            .collect();
        let back = unread(&changes);
        for s in &slots {
            prop_assert_eq!(back.policy(s), state.policy(s), "{}", s);
        }
    }
}

/// What `snapshot::read` and the tenant statements would give: providers,
/// members, roles (with their types) and who holds them, tenant users
/// and roles.
fn project_shape(state: &ProjectState) -> Vec<Change> {
    let mut changes: Vec<Change> = state
        .providers()
        .into_iter()
        .map(|provider| Change::AddProvider { provider })
        .collect();
    for principal in state.members() {
        for role in state.roles_of(principal) {
            changes.push(Change::GrantRole {
                role: role.clone(),
                principal: principal.clone(),
            });
        }
        changes.push(Change::AddMember {
            principal: principal.clone(),
        });
    }
    for role in state.roles() {
        if let Some(info) = state.role(role) {
            changes.push(Change::CreateRole {
                role: role.clone(),
                role_type: info.role_type,
                comment: None,
            });
        }
    }
    for role in state.tenant_roles() {
        changes.push(Change::CreateTenantRole { role: role.clone() });
    }
    changes
}

#[test]
fn the_generators_reach_every_kind() {
    // One fixed script touching each kind, so a generator that stopped
    // producing a kind shows here rather than as vacuous passes.
    let script: Vec<String> = [
        "add user RAM$owner@x.com:alice",
        "create role Worker",
        "grant worker to RAM$owner@x.com:alice",
        "grant Select, Describe on table t (c1) to RAM$owner@x.com:alice privilegeproperties(\"conditions\"=\"c\", \"expires\"=\"3\")",
        "grant Drop on table tb_* to role worker privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\")",
        "set ProjectProtection=true",
        "add trustedproject Q$1",
        "create package k",
        "add function f/x to package k with privileges Read",
        "allow project q to install package k using label 2",
        "install package other.pkg",
        "add tenant user RAM$owner@x.com:alice",
        "create tenant role R_x",
        "grant label 2 on table t to role worker",
        "put policy p.json on role worker",
        "add group Data_Team comment 'reviews'",
        "add tenant group g",
    ]
    .map(str::to_owned)
    .to_vec();
    let (state, ctx) = project(&script, Some(1_700_000_000));
    let alice = GranteeId::User(PrincipalId::ram_user(OWNER, "alice"));
    let worker = GranteeId::Role(mcauth_engine::RoleName::new("worker"));
    assert_eq!(state.grants_of(&alice).len(), 2);
    assert_eq!(state.grants_of(&worker).len(), 1);
    assert_eq!(state.trusted_projects(), ["q$1"]);
    assert_eq!(state.packages(), ["k"]);
    assert_eq!(state.installed_packages(), ["other.pkg"]);
    assert_eq!(state.tenant_users().len(), 1);
    assert_eq!(state.label_grants().len(), 1);
    assert_eq!(state.groups().len(), 2);
    assert!(
        state
            .policy(&PolicySlot::Role(mcauth_engine::RoleName::new("worker")))
            .is_some()
    );
    let text = answer(&state, &ctx, &grants::statement(&alice));
    assert!(
        text.contains("[role/worker]") && text.contains("AC      "),
        "{text}"
    );
    let read = grants::parse(PROJECT, &alice, &text)
        .expect("reads")
        .expect("grants");
    assert_eq!(read.len(), 2);
}

/// Pieces of the answers' formats, to assemble near-misses from.
const FRAGMENTS: &[&str] = &[
    "Authorization Type: ACL",
    "Authorization Type: Policy",
    "Authorization Type: ObjectCreator",
    "[roles]",
    "[users]",
    "[user/RAM$owner@x.com:alice]",
    "[role/worker]",
    "[ALIYUN$owner@x.com]",
    "projects/p: Project Owner",
    "A       projects/p/tables/t: Select",
    "DC      projects/p/schemas/s/tables/t/c: Drop | All\tExpires:P3D",
    "AC      projects/p/resources/a:b: Read\tExpires:2025-01-01T00:00:00+0000",
    "user/RAM$a:b\tprojects/p/tables/t\tLabel 2\tExpires:P1D",
    "Packages created:",
    "Packages installed:",
    "Package: k",
    "Objects:",
    "table t: Select | Describe",
    "Allowed projects:",
    "q (label 2)",
    "CheckPermissionUsingAcl=true",
    "LabelSecurity=maybe",
    "Expires:",
    ": ",
    "\t",
    "|",
    "/",
    "[",
    "]",
    "(label ",
    "é",
    "\0",
    "\r",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the text, every parser answers (Ok or Err) without
    /// panicking.
    #[test]
    fn parsers_never_panic_on_odd_text(
        pieces in proptest::collection::vec(
            prop_oneof![pick(FRAGMENTS).prop_map(str::to_owned), any::<String>()],
            0..30,
        ),
        separators in proptest::collection::vec(pick(&["\n", "\r\n", "", " ", "\t"]), 30),
    ) {
        let mut text = String::new();
        for (piece, sep) in pieces.iter().zip(separators.iter().cycle()) {
            text.push_str(piece);
            text.push_str(sep);
        }
        let owner = GranteeId::User(PrincipalId::aliyun(OWNER));
        let alice = GranteeId::User(PrincipalId::ram_user(OWNER, "alice"));
        let worker = GranteeId::Role(mcauth_engine::RoleName::new("worker"));
        for g in [&owner, &alice, &worker] {
            let _ = grants::parse(PROJECT, g, &text);
        }
        let _ = trusted::parse(&text);
        let _ = flags::parse(&text);
        let _ = packages::parse_list(&text);
        let _ = packages::parse_description("k", &text);
        let _ = tenant::parse_users(&text);
        let _ = labels::parse(PROJECT, &text);
        let _ = groups::parse(true, &text);
        let _ = super::text::expiry_of(&text);
        let _ = super::text::object_of(PROJECT, &text);
    }
}
