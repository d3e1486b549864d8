//! One test per finding, on whole policies.

use super::*;
use crate::catalog::SYSTEM_POLICIES;
use crate::finding::{Code, Severity};

fn findings(src: &str) -> Vec<Finding> {
    lint_source(src.as_bytes(), &ParseOptions::default()).1
}

fn codes(src: &str) -> Vec<Code> {
    findings(src).iter().map(|f| f.code).collect()
}

fn policy(statements: &[&str]) -> String {
    format!(
        r#"{{"Version": "1", "Statement": [{}]}}"#,
        statements
            .iter()
            .map(|s| format!("{{{s}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn allow(action: &str, resource: &str) -> String {
    format!(r#""Effect": "Allow", "Action": {action}, "Resource": {resource}"#)
}

fn text<'a>(src: &'a str, f: &Finding) -> &'a str {
    src.get(f.span.start..f.span.end).unwrap_or("")
}

pub(crate) const SEED_PROJECTS: &str = r#"{
    "Version": "1",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "odps:ListProjects",
                "odps:GetProject",
                "odps:CreateProject",
                "odps:DeleteProject",
                "odps:UpdateProjectDefaultQuota"
            ],
            "Resource": "*"
        }
    ]
}"#;

pub(crate) const SEED_QUOTAS: &str = r#"{
    "Version": "1",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "odps:UpdateQuota",
                "odps:UpdateQuotaPlan",
                "odps:UpdateSubQuotas",
                "odps:UpdateQuotaSchedule",
                "odps:CreateQuotaPlan",
                "odps:DeleteQuotaPlan",
                "odps:CreateQuotaSchedule"
            ],
            "Resource": "*"
        }
    ]
}"#;

pub(crate) const SEED_ENCRYPTION: &str = r#"{
 "Version": "1",
 "Statement": [
 {
 "Effect": "Deny",
 "Action": "odps:CreateProject",
            "Resource": "*",
            "Condition": {
                "Bool": {
                    "odps:Encryption": [
                        "false"
                    ]
                }
            }
        }
    ]
}"#;

#[test]
fn seed_examples_lint_clean() {
    for src in [SEED_PROJECTS, SEED_QUOTAS, SEED_ENCRYPTION] {
        assert_eq!(findings(src), Vec::new(), "{src}");
    }
}

#[test]
fn system_policies_parse_and_only_broad_ones_warn() {
    for p in SYSTEM_POLICIES {
        let f = findings(p.document);
        assert!(f.iter().all(|f| !f.is_error()), "{}: {f:?}", p.name);
    }
    let full =
        crate::catalog::system_policy("AliyunMaxComputeFullAccess").map(|p| codes(p.document));
    assert_eq!(full, Some(vec![Code::OverlyBroadGrant]));
    let read =
        crate::catalog::system_policy("AliyunMaxComputeReadOnlyAccess").map(|p| codes(p.document));
    assert_eq!(read, Some(vec![]));
}

#[test]
fn unknown_action_with_did_you_mean() {
    let src = policy(&[&allow(r#"["odps:CreateProjects"]"#, r#""*""#)]);
    let f = findings(&src);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, Code::UnknownAction);
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(text(&src, &f[0]), "\"odps:CreateProjects\"");
    assert_eq!(
        f[0].help.as_deref(),
        Some("did you mean `odps:CreateProject`?")
    );
}

#[test]
fn malformed_action() {
    assert_eq!(
        codes(&policy(&[&allow(r#""GetProject""#, r#""*""#)])),
        [Code::MalformedAction]
    );
}

#[test]
fn wildcard_action_matching_nothing() {
    let src = policy(&[&allow(r#""odps:Drop*""#, r#""*""#)]);
    assert_eq!(codes(&src), [Code::WildcardMatchesNothing]);
}

#[test]
fn other_services_are_noted_not_checked() {
    let src = policy(&[&allow(
        r#""ecs:DescribeInstances""#,
        r#""acs:ecs:*:*:instance/*""#,
    )]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::UncheckedService]
    );
    assert_eq!(f[0].severity, Severity::Info);
}

#[test]
fn resource_matching_no_arn_of_the_actions() {
    let src = policy(&[&allow(
        r#""odps:CreateProject""#,
        r#""acs:odps:*:*:quotas/*""#,
    )]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::ResourceMatchesNoArn]
    );
    assert_eq!(text(&src, &f[0]), "\"acs:odps:*:*:quotas/*\"");
    assert!(
        f[0].help
            .as_deref()
            .is_some_and(|h| h.contains("projects/*"))
    );
}

#[test]
fn resources_matching_an_arn_pass() {
    for (action, resource) in [
        (
            "odps:CreateProject",
            "acs:odps:cn-hangzhou:12345:projects/*",
        ),
        ("odps:GetProject", "acs:odps:*:*:projects/prj_1"),
        (
            "odps:UpdateQuota",
            "acs:odps:cn-hangzhou:12345:quotas/quota_1",
        ),
        ("odps:AddTenantUsers", "acs:odps:12345:tenantUsers/*"),
        (
            "odps:AddTenantUsers",
            "acs:odps:cn-hangzhou:12345:tenantUsers/*",
        ),
        (
            "odps:CreateQuotaRoutingRule",
            "acs:odps:cn-hangzhou:12345:quotaRoutingRules/q1#q2",
        ),
        ("odps:Get*", "acs:odps:*:*:networkLinks/nl_1"),
        ("odps:SumBills", "acs:odps:*"),
    ] {
        let src = policy(&[&allow(&format!("\"{action}\""), &format!("\"{resource}\""))]);
        assert_eq!(findings(&src), Vec::new(), "{action} on {resource}");
    }
}

#[test]
fn malformed_arn_region_and_account() {
    let src = policy(&[&allow(
        r#""odps:GetProject""#,
        r#"["projects/p1", "acs:odps:Hangzhou:12345:projects/p1", "acs:odps:cn-hangzhou:alice:projects/p1"]"#,
    )]);
    let f = findings(&src);
    let got: Vec<_> = f.iter().map(|f| (f.code, text(&src, f))).collect();
    assert_eq!(
        got,
        [
            (Code::MalformedArn, "\"projects/p1\""),
            (Code::MalformedRegion, "Hangzhou"),
            (Code::MalformedAccountId, "alice"),
        ]
    );
}

#[test]
fn condition_key_not_supported_by_the_action() {
    let src = policy(&[
        r#""Effect": "Deny", "Action": "odps:DeleteProject", "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "false"}}"#,
    ]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::UnsupportedConditionKey]
    );
    assert_eq!(text(&src, &f[0]), "\"odps:Encryption\"");
    assert!(
        f[0].help
            .as_deref()
            .is_some_and(|h| h.contains("odps:CreateProject"))
    );
}

#[test]
fn condition_key_supported_by_one_of_the_actions_passes() {
    let src = policy(&[
        r#""Effect": "Deny", "Action": ["odps:CreateProject", "odps:DeleteProject"], "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "false"}}"#,
    ]);
    assert_eq!(findings(&src), Vec::new());
}

#[test]
fn unknown_condition_key_with_did_you_mean() {
    let src = policy(&[
        r#""Effect": "Deny", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"Bool": {"odps:Encrypted": "false"}}"#,
    ]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::UnknownConditionKey]
    );
    assert_eq!(
        f[0].help.as_deref(),
        Some("did you mean `odps:Encryption`?")
    );
}

#[test]
fn global_keys_are_known() {
    let src = policy(&[
        r#""Effect": "Allow", "Action": "odps:GetProject", "Resource": "*", "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}, "DateLessThan": {"acs:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
    ]);
    assert_eq!(findings(&src), Vec::new());
}

#[test]
fn operator_that_does_not_fit_the_key() {
    let src = policy(&[
        r#""Effect": "Deny", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"StringEquals": {"odps:Encryption": "false"}}"#,
    ]);
    assert_eq!(codes(&src), [Code::OperatorMismatch]);
}

#[test]
fn bool_value_not_true_or_false() {
    let src = policy(&[
        r#""Effect": "Deny", "Action": "odps:CreateProject", "Resource": "*", "Condition": {"Bool": {"odps:Encryption": "no"}}"#,
    ]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::InvalidBoolValue]
    );
    assert_eq!(text(&src, &f[0]), "\"no\"");
}

#[test]
fn misspelt_effect_and_key() {
    let src = policy(&[r#""Effect": "Alow", "Actoin": "odps:GetProject", "Resource": "*""#]);
    let f = findings(&src);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.code, f.help.clone().unwrap_or_default()))
        .collect();
    // With `Action` misspelt the statement has none; that finding points at its `{`.
    assert_eq!(got[0].0, Code::MissingKey);
    assert_eq!(
        got[1],
        (
            Code::InvalidEffect,
            "did you mean `Allow`? `Effect` is case-sensitive".to_owned()
        )
    );
    assert_eq!(
        got[2],
        (Code::MisspeltKey, "did you mean `Action`?".to_owned())
    );
}

#[test]
fn unknown_and_duplicated_keys() {
    let src = policy(&[&format!(
        r#"{}, "Sid": "x", "Resource": "*""#,
        allow(r#""odps:GetProject""#, r#""*""#)
    )]);
    assert_eq!(codes(&src), [Code::UnknownKey, Code::DuplicateKey]);
}

#[test]
fn empty_statement() {
    assert_eq!(
        codes(r#"{"Version": "1", "Statement": []}"#),
        [Code::EmptyStatement]
    );
}

#[test]
fn duplicated_statement() {
    let s = allow(r#""odps:GetProject""#, r#""*""#);
    let src = policy(&[&s, &s]);
    let f = findings(&src);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::DuplicateStatement]
    );
    assert!(f[0].message.contains("statement 2 repeats statement 1"));
    assert!(f[0].related[0].span.start < f[0].span.start);
}

#[test]
fn duplicates_ignore_order_within_lists() {
    let a = allow(r#"["odps:GetProject", "odps:ListProjects"]"#, r#""*""#);
    let b = allow(r#"["odps:ListProjects", "odps:GetProject"]"#, r#""*""#);
    assert_eq!(codes(&policy(&[&a, &b])), [Code::DuplicateStatement]);
}

#[test]
fn statement_shadowed_by_a_broader_one() {
    let broad = allow(r#""odps:Get*""#, r#""acs:odps:*:*:projects/*""#);
    let narrow = allow(
        r#""odps:GetProject""#,
        r#""acs:odps:cn-hangzhou:12345:projects/prj_1""#,
    );
    let f = findings(&policy(&[&narrow, &broad]));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::ShadowedStatement]
    );
    assert!(
        f[0].message
            .contains("statement 1 is redundant: statement 2 already allows")
    );
}

#[test]
fn allow_shadowed_by_an_unconditional_deny() {
    let deny = r#""Effect": "Deny", "Action": "odps:*", "Resource": "acs:odps:*:*:projects/*""#;
    let narrow = allow(r#""odps:DeleteProject""#, r#""acs:odps:*:*:projects/p1""#);
    let f = findings(&policy(&[&narrow, deny]));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::ShadowedStatement]
    );
    assert!(f[0].message.contains("never allows anything"));
}

#[test]
fn conditions_keep_statements_apart() {
    let plain = allow(r#""odps:CreateProject""#, r#""*""#);
    let conditional = format!(r#"{plain}, "Condition": {{"Bool": {{"odps:Encryption": "true"}}}}"#);
    // The unconditional Allow covers the conditional one...
    assert_eq!(
        codes(&policy(&[&plain, &conditional])),
        [Code::ShadowedStatement]
    );
    // ...but a conditional Deny does not shadow an Allow.
    let deny = conditional.replace("Allow", "Deny");
    assert_eq!(codes(&policy(&[&deny, &plain])), Vec::new());
}

#[test]
fn overly_broad_grant() {
    for (action, resource) in [
        (r#""odps:*""#, r#""*""#),
        (r#""*""#, r#""*""#),
        (r#""odps:*""#, r#""acs:odps:*""#),
    ] {
        let src = policy(&[&allow(action, resource)]);
        assert_eq!(
            codes(&src),
            [Code::OverlyBroadGrant],
            "{action} on {resource}"
        );
    }
    // A Deny, a condition, or a narrower resource is not a broad grant.
    assert_eq!(
        codes(&policy(&[
            r#""Effect": "Deny", "Action": "odps:*", "Resource": "*""#
        ])),
        Vec::new()
    );
    assert_eq!(
        codes(&policy(&[&allow(
            r#""odps:*""#,
            r#""acs:odps:*:*:projects/*""#
        )])),
        Vec::new()
    );
}

#[test]
fn reference_to_a_high_risk_system_policy() {
    let src = policy(&[&allow(
        r#""ram:AttachPolicyToUser""#,
        r#""acs:ram:*:*:policy/AdministratorAccess""#,
    )]);
    let f = findings(&src);
    assert!(f.iter().any(|f| f.code == Code::HighRiskPolicy), "{f:?}");
}

#[test]
fn project_dialect_skips_the_console_catalogue() {
    let src = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Principal": ["RAM$acct:alice"], "Action": ["odps:Read", "odps:List"], "Resource": "acs:odps:*:projects/prj/tables/*"}]}"#;
    let (_, f) = lint_source(src.as_bytes(), &ParseOptions::dialect(Dialect::Project));
    assert_eq!(f, Vec::new());
    let (_, f) = lint_source(src.as_bytes(), &ParseOptions::default());
    assert!(f.iter().any(|f| f.code == Code::PrincipalNotAllowed));
}

#[test]
fn syntax_errors_are_single_findings() {
    let f = findings("{\"Version\": \"1\", \"Statement\": [");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code.as_str(), "mcauth::policy::json::unexpected_eof");
}

#[test]
fn findings_are_sorted_by_position() {
    let src = policy(&[
        &allow(r#""odps:Nope""#, r#""*""#),
        &allow(r#""odps:AlsoNope""#, r#""*""#),
    ]);
    let f = findings(&src);
    assert!(f.windows(2).all(|w| w[0].span.start <= w[1].span.start));
}

#[test]
fn a_thousand_identical_statements_are_cheap() {
    let s = allow(r#""odps:GetProject""#, r#""acs:odps:*:*:projects/p""#);
    let many: Vec<&str> = std::iter::repeat_n(s.as_str(), 1000).collect();
    let f = findings(&policy(&many));
    assert_eq!(f.len(), 999);
}
