//! Properties over generated scripts: no panics; `execute` is `check`
//! then `apply`; a plan predicts exactly what running the script does; the
//! overlay shows what the state would; the state survives serialisation.

use mcauth_engine::{
    Caller, Change, Context, GranteeId, Overlay, PrincipalId, ProjectState, RoleName, StateView,
    Verdict, apply, check_in, execute_in, plan_in,
};
use proptest::prelude::*;

const OWNER: &str = "owner@x.com";

const PRINCIPALS: &[&str] = &[
    "ALIYUN$a@x.com",
    "aliyun$A@X.com",
    "ALIYUN$b@x.com",
    "RAM$u1",
    "RAM$owner@x.com:U1",
    "RAM$acct2@x.com:u2",
    "`RAM$owner@x.com:role/r1`",
    "p4_123456",
    "bob",
    "ALIYUN$owner@x.com",
];
const ROLES: &[&str] = &["worker", "Reader", "admin", "super_administrator", "ops"];
const PRIVILEGES: &[&str] = &[
    "Select",
    "Describe",
    "CreateTable",
    "Read",
    "Execute",
    "All",
    "Bogus",
];
const OBJECTS: &[&str] = &[
    "table t",
    "table tb_*",
    "project p",
    "project other",
    "function f",
    "resource r.jar",
    "package x.y",
    "table p.t",
    "table t (c1, c2)",
];
const PROPS: &[&str] = &[
    "",
    "",
    r#" privilegeproperties("policy"="true", "allow"="false")"#,
    r#" privilegeproperties("policy"="true", "allow"="true", "conditions"="x")"#,
    r#" privilegeproperties("expires"="3")"#,
    r#" privilegeproperties("allow"="maybe")"#,
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> + Clone {
    proptest::sample::select(list)
}

fn grantee() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(PRINCIPALS).prop_map(str::to_owned),
        pick(ROLES).prop_map(|r| format!("role {r}")),
    ]
}

fn statement() -> impl Strategy<Value = String> {
    let p = pick(PRINCIPALS);
    let r = pick(ROLES);
    prop_oneof![
        p.clone().prop_map(|p| format!("add user {p}")),
        p.clone().prop_map(|p| format!("remove user {p}")),
        Just("list users".to_owned()),
        Just("add accountprovider ram".to_owned()),
        Just("remove accountprovider RAM".to_owned()),
        Just("list accountproviders".to_owned()),
        (
            r.clone(),
            prop_oneof![Just(""), Just(r#" privilegeproperties("type"="admin")"#)]
        )
            .prop_map(|(r, t)| format!("create role {r}{t}")),
        r.clone().prop_map(|r| format!("drop role {r}")),
        Just("list roles".to_owned()),
        r.clone().prop_map(|r| format!("describe role {r}")),
        (r.clone(), r.clone(), p.clone()).prop_map(|(a, b, p)| format!("grant {a}, {b} to {p}")),
        (r.clone(), p.clone()).prop_map(|(r, p)| format!("grant {r} to {p}")),
        (r.clone(), p.clone()).prop_map(|(r, p)| format!("revoke {r} from {p}")),
        (pick(PRIVILEGES), pick(OBJECTS), grantee(), pick(PROPS))
            .prop_map(|(x, o, g, pp)| format!("grant {x} on {o} to {g}{pp}")),
        (pick(PRIVILEGES), pick(OBJECTS), grantee())
            .prop_map(|(x, o, g)| format!("revoke {x} on {o} from {g}")),
        grantee().prop_map(|g| format!("purge privs from {g}")),
        Just("show grants".to_owned()),
        grantee().prop_map(|g| format!("show grants for {g}")),
        pick(OBJECTS).prop_map(|o| match o.split_once(' ') {
            Some((t, n)) => format!(
                "show acl for {} on type {t}",
                n.split(' ').next().unwrap_or(n)
            ),
            None => format!("show acl for {o}"),
        }),
        Just("whoami".to_owned()),
        Just("show securityconfiguration".to_owned()),
        Just("set ProjectProtection=true".to_owned()),
        Just("clear expired grants".to_owned()),
        Just("create package k".to_owned()),
        Just("drop package k".to_owned()),
        Just("add table t to package k with privileges Select".to_owned()),
        Just("install package x.y".to_owned()),
        Just("add trustedproject q".to_owned()),
        Just("remove trustedproject q".to_owned()),
        p.clone().prop_map(|p| format!("add tenant user {p}")),
        r.clone().prop_map(|r| format!("create tenant role {r}")),
        (r.clone(), p.clone()).prop_map(|(r, p)| format!("grant tenant role {r} to user {p}")),
        (r.clone(), p.clone()).prop_map(|(r, p)| format!("revoke tenant role {r} from user {p}")),
        Just("set label 2 to table t".to_owned()),
        grantee().prop_map(|g| format!("grant label 2 on table t to {g}")),
        grantee().prop_map(|g| format!("revoke label on table t from {g}")),
        Just("show label grants".to_owned()),
        Just("add group g".to_owned()),
    ]
}

fn callers() -> Vec<Caller> {
    vec![
        Caller::from_principal(PrincipalId::aliyun(OWNER)),
        Caller::from_principal(PrincipalId::aliyun("a@x.com")),
        Caller::from_principal(PrincipalId::ram_user(OWNER, "u1")),
        Caller::from_principal(PrincipalId::aliyun("stranger@y.com")),
    ]
}

fn script() -> impl Strategy<Value = Vec<(String, usize)>> {
    proptest::collection::vec((statement(), 0usize..4), 0..40)
}

fn fresh() -> ProjectState {
    ProjectState::new("p", PrincipalId::aliyun(OWNER))
}

fn ctx() -> Context {
    Context {
        now: Some(1_000_000),
        ..Context::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn execute_is_check_then_apply(script in script()) {
        let callers = callers();
        let ctx = ctx();
        let mut a = fresh();
        let mut b = fresh();
        for (src, who) in &script {
            let parsed = mcauth_syntax::parse(src);
            for stmt in &parsed.statements {
                let caller = &callers[*who];
                let executed = execute_in(&mut a, caller, &ctx, stmt);
                let checked = check_in(&b, caller, &ctx, stmt);
                if let Ok(effect) = &checked {
                    for c in &effect.changes {
                        apply(&mut b, c);
                    }
                }
                prop_assert_eq!(&executed, &checked);
                prop_assert_eq!(&a, &b);
                // Outputs render without panicking.
                if let Ok(e) = &executed {
                    let _ = e.output.to_string();
                }
            }
        }
        let json = serde_json::to_string(&a).unwrap();
        let back: ProjectState = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, a);
    }

    #[test]
    fn a_plan_predicts_the_run(script in script()) {
        let owner = Caller::from_principal(PrincipalId::aliyun(OWNER));
        let ctx = ctx();
        let statements: Vec<_> = script
            .iter()
            .flat_map(|(src, _)| mcauth_syntax::parse(src).statements)
            .collect();
        let start = fresh();
        let plan = plan_in(&start, &owner, &ctx, &statements);
        let mut state = start.clone();
        for (step, stmt) in plan.steps.iter().zip(&statements) {
            let run = execute_in(&mut state, &owner, &ctx, stmt);
            match (&step.verdict, &run) {
                (Verdict::Fails(f), Err(g)) => prop_assert_eq!(f, g),
                (Verdict::NoChange, Ok(e)) => prop_assert!(e.changes.is_empty()),
                (Verdict::WillRun { changes }, Ok(e)) => prop_assert_eq!(changes, &e.changes),
                (v, r) => prop_assert!(false, "{stmt}: plan {v:?}, run {r:?}"),
            }
        }
        // The overlay of the plan's changes reads like the final state.
        let mut overlay = Overlay::new(&start);
        overlay.extend(plan.changes().cloned());
        prop_assert_eq!(overlay.members(), state.members());
        prop_assert_eq!(overlay.residues(), state.residues());
        prop_assert_eq!(overlay.roles(), state.roles());
        prop_assert_eq!(overlay.providers(), state.providers());
        prop_assert_eq!(overlay.grantees(), state.grantees());
        prop_assert_eq!(overlay.next_grant_seq(), state.next_grant_seq());
        prop_assert_eq!(overlay.packages(), state.packages());
        prop_assert_eq!(overlay.tenant_users(), state.tenant_users());
        prop_assert_eq!(overlay.label_grants(), state.label_grants());
        for g in state.grantees() {
            prop_assert_eq!(overlay.grants_of(&g), state.grants_of(&g));
        }
        for r in state.roles() {
            prop_assert_eq!(overlay.role_members(&r), state.role_members(&r));
        }
        for p in state.members() {
            prop_assert_eq!(overlay.roles_of(&p), state.roles_of(&p));
        }
        // Replaying the plan's changes gives the same state.
        let mut replay = start.clone();
        for c in plan.changes() {
            apply(&mut replay, c);
        }
        prop_assert_eq!(replay, state);
    }

    #[test]
    fn apply_never_panics_on_arbitrary_changes(changes in proptest::collection::vec(change(), 0..30)) {
        let mut s = fresh();
        for c in &changes {
            apply(&mut s, c);
        }
    }
}

fn change() -> impl Strategy<Value = Change> {
    let p = pick(&["ALIYUN$a", "RAM$x:y", "p4_1"])
        .prop_map(|s| PrincipalId::parse(s, "x").expect("a valid principal"));
    let r = pick(&["admin", "worker"]).prop_map(RoleName::new);
    prop_oneof![
        p.clone()
            .prop_map(|principal| Change::AddMember { principal }),
        p.clone()
            .prop_map(|principal| Change::RemoveMember { principal }),
        (p.clone(), r.clone()).prop_map(|(principal, role)| Change::AddResidue {
            principal,
            roles: vec![role]
        }),
        r.clone().prop_map(|role| Change::DropRole { role }),
        (p.clone(), r.clone()).prop_map(|(principal, role)| Change::GrantRole { role, principal }),
        (p.clone(), r.clone()).prop_map(|(principal, role)| Change::RevokeRole { role, principal }),
        p.prop_map(|p| Change::PurgeGrants {
            grantee: GranteeId::User(p)
        }),
        r.prop_map(|role| Change::DropTenantRole { role }),
    ]
}
