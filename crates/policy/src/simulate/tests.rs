//! One test per decision rule.

use super::*;
use crate::lint::tests::{SEED_ENCRYPTION, SEED_PROJECTS, SEED_QUOTAS};
use crate::model::{Dialect, Effect, ParseOptions, parse_policy_str};

fn set(policies: &[(&str, &str)]) -> PolicySet {
    let mut set = PolicySet::new();
    for (name, src) in policies {
        let doc = parse_policy_str(src, &ParseOptions::default());
        let added = doc
            .map_err(|e| e.to_string())
            .and_then(|d| set.add(*name, &d).map_err(|e| e.to_string()));
        assert!(added.is_ok(), "{name}: {added:?}");
    }
    set
}

fn policy(statements: &[&str]) -> String {
    let body: Vec<String> = statements.iter().map(|s| format!("{{{s}}}")).collect();
    format!(r#"{{"Version": "1", "Statement": [{}]}}"#, body.join(",\n"))
}

const PROJECTS: &str = "acs:odps:cn-hangzhou:12345:projects/*";
const PRJ_1: &str = "acs:odps:cn-hangzhou:12345:projects/prj_1";

fn outcome(set: &PolicySet, request: &Request) -> Outcome {
    set.simulate(request).outcome
}

#[test]
fn nothing_attached_is_an_implicit_deny() {
    let d = PolicySet::new().simulate(&Request::new("odps:CreateProject", PROJECTS));
    assert_eq!(
        d,
        Decision {
            outcome: Outcome::ImplicitDeny,
            basis: Basis::NoStatementApplied
        }
    );
}

#[test]
fn seed_default_allows_list_and_get_project() {
    let empty = PolicySet::new();
    for action in ["odps:ListProjects", "odps:GetProject", "ODPS:getproject"] {
        let d = empty.simulate(&Request::new(action, PRJ_1));
        assert_eq!(
            d,
            Decision {
                outcome: Outcome::Allow,
                basis: Basis::DefaultProjectVisibility
            },
            "{action}"
        );
    }
    assert_eq!(
        outcome(&empty, &Request::new("odps:DeleteProject", PRJ_1)),
        Outcome::ImplicitDeny
    );
}

#[test]
fn explicit_deny_overrides_the_default() {
    let s = set(&[(
        "deny.json",
        &policy(&[
            r#""Effect": "Deny", "Action": ["odps:ListProjects", "odps:GetProject"], "Resource": "*""#,
        ]),
    )]);
    assert_eq!(
        outcome(&s, &Request::new("odps:ListProjects", PROJECTS)),
        Outcome::ExplicitDeny
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:GetProject", PRJ_1)),
        Outcome::ExplicitDeny
    );
}

#[test]
fn explicit_allow_is_named_instead_of_the_default() {
    let s = set(&[("p.json", SEED_PROJECTS)]);
    let d = s.simulate(&Request::new("odps:ListProjects", PROJECTS));
    assert_eq!(d.outcome, Outcome::Allow);
    assert_eq!(
        d.basis,
        Basis::Statement(StatementRef {
            policy: 0,
            statement: 0
        })
    );
}

#[test]
fn default_applies_when_no_statement_applies() {
    let s = set(&[(
        "other.json",
        &policy(&[
            r#""Effect": "Allow", "Action": "odps:GetProject", "Resource": "acs:odps:*:*:projects/other""#,
        ]),
    )]);
    let d = s.simulate(&Request::new("odps:GetProject", PRJ_1));
    assert_eq!(d.basis, Basis::DefaultProjectVisibility);
}

#[test]
fn allow_statement_allows() {
    let s = set(&[("p.json", SEED_PROJECTS), ("q.json", SEED_QUOTAS)]);
    assert_eq!(
        outcome(&s, &Request::new("odps:CreateProject", PROJECTS)),
        Outcome::Allow
    );
    let d = s.simulate(&Request::new(
        "odps:UpdateQuota",
        "acs:odps:cn-hangzhou:12345:quotas/q1",
    ));
    assert_eq!(
        d.basis,
        Basis::Statement(StatementRef {
            policy: 1,
            statement: 0
        })
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:UpdateProjectStatus", PRJ_1)),
        Outcome::ImplicitDeny
    );
}

#[test]
fn deny_overrides_allow_in_any_order_and_policy() {
    let allow = policy(&[r#""Effect": "Allow", "Action": "odps:*", "Resource": "*""#]);
    let deny = policy(&[r#""Effect": "Deny", "Action": "odps:DeleteProject", "Resource": "*""#]);
    for order in [[("a", &allow), ("d", &deny)], [("d", &deny), ("a", &allow)]] {
        let s = set(&[(order[0].0, order[0].1), (order[1].0, order[1].1)]);
        let d = s.simulate(&Request::new("odps:DeleteProject", PRJ_1));
        assert_eq!(d.outcome, Outcome::ExplicitDeny);
        let Basis::Statement(at) = d.basis else {
            panic!("a statement decides");
        };
        assert_eq!(s.policies()[at.policy].name, "d");
        assert_eq!(
            outcome(&s, &Request::new("odps:GetProject", PRJ_1)),
            Outcome::Allow
        );
    }
}

#[test]
fn seed_encryption_policy_denies_only_unencrypted_create_project() {
    let s = set(&[("encryption.json", SEED_ENCRYPTION)]);
    let create = Request::new("odps:CreateProject", PROJECTS);
    let unencrypted = create.clone().with_context("odps:Encryption", "false");
    let d = s.simulate(&unencrypted);
    assert_eq!(
        d,
        Decision {
            outcome: Outcome::ExplicitDeny,
            basis: Basis::Statement(StatementRef {
                policy: 0,
                statement: 0
            })
        }
    );
    // Otherwise it does not decide.
    let encrypted = create.clone().with_context("odps:Encryption", "true");
    assert_eq!(s.simulate(&encrypted).basis, Basis::NoStatementApplied);
    assert_eq!(s.simulate(&create).basis, Basis::NoStatementApplied);
    assert_eq!(
        s.simulate(
            &Request::new("odps:DeleteProject", PRJ_1).with_context("odps:Encryption", "false")
        )
        .basis,
        Basis::NoStatementApplied
    );
    // Together with the seed's project policy: encrypted projects may be created.
    let both = set(&[
        ("projects.json", SEED_PROJECTS),
        ("encryption.json", SEED_ENCRYPTION),
    ]);
    assert_eq!(outcome(&both, &unencrypted), Outcome::ExplicitDeny);
    assert_eq!(outcome(&both, &encrypted), Outcome::Allow);
}

#[test]
fn resources_are_matched_with_wildcards_and_case() {
    let s = set(&[(
        "p",
        &policy(&[
            r#""Effect": "Allow", "Action": "odps:GetProject", "Resource": "acs:odps:*:12345:projects/prj_?""#,
        ]),
    )]);
    assert_eq!(
        s.simulate(&Request::new("odps:GetProject", PRJ_1)).basis,
        Basis::Statement(StatementRef {
            policy: 0,
            statement: 0
        })
    );
    assert_eq!(
        s.simulate(&Request::new(
            "odps:GetProject",
            "acs:odps:cn-hangzhou:12345:projects/prj_10"
        ))
        .basis,
        Basis::DefaultProjectVisibility
    );
    assert_eq!(
        s.simulate(&Request::new(
            "odps:GetProject",
            "acs:odps:cn-hangzhou:12345:projects/PRJ_1"
        ))
        .basis,
        Basis::DefaultProjectVisibility
    );
}

#[test]
fn actions_ignore_case_and_match_wildcards() {
    let s = set(&[(
        "p",
        &policy(&[r#""Effect": "Allow", "Action": "odps:update*", "Resource": "*""#]),
    )]);
    assert_eq!(
        outcome(&s, &Request::new("odps:UpdateQuota", "*")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &Request::new("ODPS:UPDATEQUOTA", "*")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:CreateQuotaPlan", "*")),
        Outcome::ImplicitDeny
    );
}

#[test]
fn not_action_and_not_resource() {
    let s = set(&[(
        "p",
        &policy(&[
            r#""Effect": "Allow", "NotAction": "odps:Delete*", "Resource": "*""#,
            r#""Effect": "Deny", "Action": "odps:*", "NotResource": "acs:odps:*:*:projects/*""#,
        ]),
    )]);
    assert_eq!(
        outcome(&s, &Request::new("odps:CreateProject", PROJECTS)),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:DeleteProject", PRJ_1)),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(
            &s,
            &Request::new("odps:UpdateQuota", "acs:odps:cn-hangzhou:12345:quotas/q")
        ),
        Outcome::ExplicitDeny
    );
}

#[test]
fn actions_outside_the_catalogue() {
    let s = set(&[(
        "p",
        &policy(&[r#""Effect": "Allow", "Action": "ram:List*", "Resource": "*""#]),
    )]);
    assert_eq!(
        outcome(&s, &Request::new("ram:ListUsers", "*")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &Request::new("ram:CreateUser", "*")),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:ListProjects", "*")),
        Outcome::Allow
    );
}

#[test]
fn every_condition_must_hold() {
    let s = set(&[(
        "p",
        &policy(&[
            r#""Effect": "Allow", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "true"}, "IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}"#,
        ]),
    )]);
    let r = Request::new("odps:CreateProject", PROJECTS).with_context("odps:Encryption", "true");
    assert_eq!(outcome(&s, &r), Outcome::ImplicitDeny);
    assert_eq!(
        outcome(&s, &r.clone().with_context("acs:SourceIp", "10.1.2.3")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &r.with_context("acs:SourceIp", "11.1.2.3")),
        Outcome::ImplicitDeny
    );
}

#[test]
fn tenant_actions() {
    let s = set(&[(
        "tenant",
        &policy(&[
            r#""Effect": "Allow", "Action": ["odps:AddTenantUsers", "odps:CreateTenantRole"], "Resource": ["acs:odps:12345:tenantUsers/*", "acs:odps:12345:tenantRoles/*"]"#,
        ]),
    )]);
    assert_eq!(
        outcome(
            &s,
            &Request::new("odps:AddTenantUsers", "acs:odps:12345:tenantUsers/*")
        ),
        Outcome::Allow
    );
    assert_eq!(
        outcome(
            &s,
            &Request::new("odps:CreateTenantRole", "acs:odps:12345:tenantRoles/*")
        ),
        Outcome::Allow
    );
    assert_eq!(
        outcome(
            &s,
            &Request::new("odps:RemoveTenantRole", "acs:odps:12345:tenantRoles/r1")
        ),
        Outcome::ImplicitDeny
    );
}

#[test]
fn system_policies() {
    let mut s = PolicySet::new();
    assert!(
        s.add_system_policy("AliyunMaxComputeReadOnlyAccess")
            .is_ok()
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:GetTenantRolePolicy", "*")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&s, &Request::new("odps:CreateProject", "*")),
        Outcome::ImplicitDeny
    );
    assert!(s.add_system_policy("AliyunMaxComputeFullAccess").is_ok());
    assert_eq!(
        outcome(&s, &Request::new("odps:CreateProject", "*")),
        Outcome::Allow
    );
    assert_eq!(s.policies()[1].name, "system:AliyunMaxComputeFullAccess");
    let mut admin = PolicySet::new();
    assert!(admin.add_system_policy("AdministratorAccess").is_ok());
    assert_eq!(
        outcome(&admin, &Request::new("ram:CreateUser", "*")),
        Outcome::Allow
    );
    assert_eq!(
        s.add_system_policy("NoSuchPolicy").map_err(|e| e.code()),
        Err("mcauth::policy::simulate::unknown_system_policy")
    );
}

#[test]
fn invalid_and_project_policies_are_refused() {
    let mut s = PolicySet::new();
    let bad = parse_policy_str(
        r#"{"Version": "1", "Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]}"#,
        &ParseOptions::default(),
    );
    let added = bad
        .map_err(|_| ())
        .map(|d| s.add("bad", &d).map_err(|e| e.code()));
    assert_eq!(added, Ok(Err("mcauth::policy::simulate::invalid_policy")));
    let project = parse_policy_str(
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#,
        &ParseOptions::dialect(Dialect::Project),
    );
    let added = project
        .map_err(|_| ())
        .map(|d| s.add("prj", &d).map_err(|e| e.code()));
    assert_eq!(
        added,
        Ok(Err("mcauth::policy::simulate::unsupported_dialect"))
    );
    assert!(s.policies().is_empty());
}

#[test]
fn explanation_names_the_deciding_statement_and_the_others() {
    let src = policy(&[
        r#""Effect": "Allow", "Action": "odps:GetProject", "Resource": "*""#,
        r#""Effect": "Allow", "Action": "odps:CreateProject", "Resource": "acs:odps:*:*:quotas/*""#,
        r#""Effect": "Allow", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "true"}}"#,
        r#""Effect": "Allow", "Action": "odps:*", "Resource": "*""#,
        r#""Effect": "Deny", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "false"}}"#,
    ]);
    let s = set(&[("team.json", &src)]);
    let e = s.explain(
        &Request::new("odps:CreateProject", PROJECTS).with_context("odps:Encryption", "false"),
    );
    assert_eq!(e.outcome, Outcome::ExplicitDeny);
    let by = e.decided_by.clone();
    assert_eq!(
        by,
        Some(StatementInfo {
            policy: "team.json".into(),
            statement: 5,
            line: 5,
            effect: Effect::Deny
        })
    );
    let statuses: Vec<Status> = e.statements.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [
            Status::ActionNotMatched,
            Status::ResourceNotMatched,
            Status::ConditionNotMet,
            Status::AlsoApplied,
            Status::Decided
        ]
    );
    assert_eq!(
        e.statements[2].reason,
        "condition Bool on odps:Encryption does not hold: odps:Encryption = false does not satisfy it"
    );
    assert_eq!(
        e.summary,
        "explicitly denied by statement 5 of team.json (line 5)"
    );
    let missing = s.explain(&Request::new("odps:CreateProject", PROJECTS));
    assert_eq!(missing.outcome, Outcome::Allow);
    assert_eq!(
        missing.statements[2].reason,
        "condition Bool on odps:Encryption does not hold: the request has no odps:Encryption"
    );
}

#[test]
fn explanation_of_the_default() {
    let e = PolicySet::new().explain(&Request::new("odps:ListProjects", PROJECTS));
    assert_eq!(e.outcome, Outcome::Allow);
    assert!(e.decided_by.is_none());
    assert!(e.summary.contains("added to"));
}

#[test]
fn batches_decide_each_request() {
    let s = set(&[("encryption.json", SEED_ENCRYPTION)]);
    let requests = [
        Request::new("odps:CreateProject", PROJECTS).with_context("odps:Encryption", "false"),
        Request::new("odps:CreateProject", PROJECTS).with_context("odps:Encryption", "true"),
        Request::new("odps:ListProjects", PROJECTS),
    ];
    let outcomes: Vec<Outcome> = s
        .simulate_batch(&requests)
        .iter()
        .map(|d| d.outcome)
        .collect();
    assert_eq!(
        outcomes,
        [Outcome::ExplicitDeny, Outcome::ImplicitDeny, Outcome::Allow]
    );
    let lines: Vec<Request> = [
        r#"{"action": "odps:CreateProject", "resource": "*", "context": {"odps:Encryption": false}}"#,
    ]
    .iter()
    .filter_map(|l| Request::from_json(l).ok())
    .collect();
    assert_eq!(s.simulate_batch(&lines)[0].outcome, Outcome::ExplicitDeny);
}
