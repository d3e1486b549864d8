//! RAM policies attached to RAM users and RAM roles in accounts.toml, and
//! how the emulator decides the RAM action of a tenant-level statement with
//! them: RAM, not the project, decides these statements
//! (docs/seeds.md#ram-permissions).
//!
//! The engine names the action a statement needs
//! ([`mcauth_engine::ram_request`]); this module simulates it with
//! `mcauth-policy` against the caller's attached policies (system and
//! custom), on `acs:odps:<region>:<account-id>:<resource>`, and the engine
//! takes the [`RamVerdict`] on the caller.

use std::fmt;

use mcauth_engine::{RamDecision, RamVerdict};
use mcauth_policy::{Basis, Outcome, PolicyDocument, PolicySet, Request, SimulateError};

/// The policies attached to one RAM user or RAM role, compiled for
/// simulation. `Debug` and equality go by the attached names.
#[derive(Clone)]
pub struct RamPolicies {
    set: PolicySet,
    names: Vec<String>,
}

/// The request context RAM's global condition keys read.
#[derive(Clone, Debug, Default)]
pub(crate) struct RamContext<'a> {
    /// `acs:SourceIp`.
    pub source_ip: Option<&'a str>,
    /// `acs:CurrentTime`, in seconds since the Unix epoch.
    pub now: Option<i64>,
}

const SYSTEM: &str = "system:";

impl RamPolicies {
    /// No policies: every RAM-governed action is implicitly denied.
    pub fn new() -> Self {
        Self {
            set: PolicySet::new(),
            names: Vec::new(),
        }
    }

    /// Attaches the system policy `name`.
    pub(crate) fn add_system(&mut self, name: &str) -> Result<(), SimulateError> {
        self.set.add_system_policy(name)?;
        self.names.push(format!("{SYSTEM}{name}"));
        Ok(())
    }

    /// Attaches a custom policy, named by its file as accounts.toml wrote it.
    pub(crate) fn add_custom(
        &mut self,
        name: &str,
        doc: &PolicyDocument,
    ) -> Result<(), SimulateError> {
        self.set.add(name, doc)?;
        self.names.push(name.to_owned());
        Ok(())
    }

    /// The attached policies, in file order: `system:<Name>` for system
    /// policies, the file as written for custom ones.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Decides `action` on `arn`: the decision and, when a statement
    /// decided, which (`policies/x.json:4 (statement 2)`, or
    /// `statement 1 of system policy AliyunMaxComputeReadOnlyAccess`).
    pub fn decide(&self, action: &str, arn: &str) -> (RamDecision, Option<String>) {
        self.decide_in(action, arn, &RamContext::default())
    }

    pub(crate) fn decide_in(
        &self,
        action: &str,
        arn: &str,
        cx: &RamContext<'_>,
    ) -> (RamDecision, Option<String>) {
        let mut request = Request::new(action, arn);
        request.add_context("acs:SecureTransport", "false");
        if let Some(ip) = cx.source_ip {
            request.add_context("acs:SourceIp", ip);
        }
        if let Some(now) = cx.now {
            request.add_context("acs:CurrentTime", now.to_string());
        }
        let decision = self.set.simulate(&request);
        let outcome = match decision.outcome {
            Outcome::Allow => RamDecision::Allow,
            Outcome::ExplicitDeny => RamDecision::ExplicitDeny,
            Outcome::ImplicitDeny => RamDecision::ImplicitDeny,
        };
        let by = match decision.basis {
            Basis::Statement(at) => {
                self.set
                    .statement_info(at)
                    .map(|s| match s.policy.strip_prefix(SYSTEM) {
                        Some(system) => {
                            format!("statement {} of system policy {system}", s.statement)
                        }
                        None => format!("{}:{} (statement {})", s.policy, s.line, s.statement),
                    })
            }
            _ => None,
        };
        (outcome, by)
    }

    /// The verdict the engine takes for `action` on `resource` of the
    /// account `account_id` in `region`: on
    /// `acs:odps:<region>:<account-id>:<resource>`, and for tenant users
    /// and roles also on the region-less form MaxCompute's RAM permission table
    /// writes (`acs:odps:<account-id>:tenantUsers/*`), so that a policy
    /// written either way applies. A Deny on either form wins, then an
    /// Allow on either; the verdict names the ARN with the region.
    pub(crate) fn verdict(
        &self,
        action: &str,
        region: &str,
        account_id: &str,
        resource: &str,
        cx: &RamContext<'_>,
    ) -> RamVerdict {
        let full = arn(region, account_id, resource);
        let (mut decision, mut decided_by) = self.decide_in(action, &full, cx);
        if decision != RamDecision::ExplicitDeny && resource.starts_with("tenant") {
            let bare = format!("acs:odps:{account_id}:{resource}");
            let (other, by) = self.decide_in(action, &bare, cx);
            if other == RamDecision::ExplicitDeny
                || (other == RamDecision::Allow && decision == RamDecision::ImplicitDeny)
            {
                (decision, decided_by) = (other, by);
            }
        }
        RamVerdict {
            action: action.to_owned(),
            arn: full,
            decision,
            decided_by,
        }
    }
}

impl Default for RamPolicies {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RamPolicies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RamPolicies").field(&self.names).finish()
    }
}

impl PartialEq for RamPolicies {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
    }
}

impl Eq for RamPolicies {}

/// `acs:odps:<region>:<account-id>:<resource>`.
pub(crate) fn arn(region: &str, account_id: &str, resource: &str) -> String {
    format!("acs:odps:{region}:{account_id}:{resource}")
}

/// A stable 16-digit account id derived from an account name (compared
/// without regard to ASCII case), for accounts.toml entries without `id`.
/// It never starts with 0, like Alibaba Cloud's own account ids.
pub fn derived_account_id(name: &str) -> String {
    // FNV-1a over the folded name, then splitmix64's finaliser.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^= h >> 31;
    format!("{}", 1_000_000_000_000_000 + h % 9_000_000_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_policy::{ParseOptions, parse_policy_str};

    const DOC: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": "odps:*TenantUsers", "Resource": "acs:odps:*:*:tenantUsers/*"},
    {"Effect": "Deny", "Action": "odps:RemoveTenantUsers", "Resource": "*"}
  ]
}"#;

    fn policies() -> RamPolicies {
        let mut p = RamPolicies::new();
        let doc = parse_policy_str(DOC, &ParseOptions::default()).expect("reads");
        p.add_custom("policies/users.json", &doc).expect("adds");
        p.add_system("AliyunMaxComputeReadOnlyAccess")
            .expect("system");
        p
    }

    #[test]
    fn decisions_name_the_statement_that_decided() {
        let p = policies();
        let arn = arn("cn-hangzhou", "1234567890123456", "tenantUsers/*");
        assert_eq!(arn, "acs:odps:cn-hangzhou:1234567890123456:tenantUsers/*");
        assert_eq!(
            p.decide("odps:AddTenantUsers", &arn),
            (
                RamDecision::Allow,
                Some("policies/users.json:4 (statement 1)".into())
            )
        );
        assert_eq!(
            p.decide("odps:RemoveTenantUsers", &arn),
            (
                RamDecision::ExplicitDeny,
                Some("policies/users.json:5 (statement 2)".into())
            )
        );
        let roles = "acs:odps:cn-hangzhou:1234567890123456:tenantRoles/*";
        assert_eq!(
            p.decide("odps:ListAllTenantRoles", roles),
            (
                RamDecision::Allow,
                Some("statement 1 of system policy AliyunMaxComputeReadOnlyAccess".into())
            )
        );
        assert_eq!(
            p.decide("odps:CreateTenantRole", roles),
            (RamDecision::ImplicitDeny, None)
        );
        assert_eq!(
            RamPolicies::new().decide("odps:AddTenantUsers", &arn).0,
            RamDecision::ImplicitDeny
        );
        // The region-less tenant ARN of the RAM permission table applies too
        // (docs/seeds.md#ram-permissions).
        let mut bare = RamPolicies::new();
        let doc = parse_policy_str(
            r#"{"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": "odps:AddTenantUsers", "Resource": "acs:odps:1234567890123456:tenantUsers/*"},
                {"Effect": "Deny", "Action": "odps:RemoveTenantUsers", "Resource": "acs:odps:1234567890123456:tenantUsers/*"}]}"#,
            &ParseOptions::default(),
        )
        .expect("reads");
        bare.add_custom("bare.json", &doc).expect("adds");
        let cx = RamContext::default();
        let v = bare.verdict(
            "odps:AddTenantUsers",
            "cn-hangzhou",
            "1234567890123456",
            "tenantUsers/*",
            &cx,
        );
        assert_eq!(v.decision, RamDecision::Allow);
        assert_eq!(v.arn, arn);
        let v = p.verdict(
            "odps:RemoveTenantUsers",
            "cn-hangzhou",
            "1234567890123456",
            "tenantUsers/*",
            &cx,
        );
        assert_eq!(v.decision, RamDecision::ExplicitDeny);
        bare.add_system("AliyunMaxComputeFullAccess").expect("adds");
        let v = bare.verdict(
            "odps:RemoveTenantUsers",
            "cn-hangzhou",
            "1234567890123456",
            "tenantUsers/*",
            &cx,
        );
        assert_eq!(v.decision, RamDecision::ExplicitDeny, "{v:?}");
        assert_eq!(v.decided_by.as_deref(), Some("bare.json:3 (statement 2)"));
        assert_eq!(
            format!("{p:?}"),
            r#"RamPolicies(["policies/users.json", "system:AliyunMaxComputeReadOnlyAccess"])"#
        );
    }

    #[test]
    fn derived_account_ids_are_stable_16_digit_numbers() {
        let a = derived_account_id("acme@example.com");
        assert_eq!(a, derived_account_id("ACME@example.com"));
        assert_eq!(a.len(), 16, "{a}");
        assert!(a.bytes().all(|b| b.is_ascii_digit()) && !a.starts_with('0'));
        assert_ne!(a, derived_account_id("other@example.com"));
        assert!(mcauth_policy::is_account(&a));
    }
}
