//! `mcauth audit`: what in a project's state deserves a second look, each
//! finding with a severity, a stable code and the statement that fixes
//! it. Pure: the caller gives the clock, and findings about facts the view
//! did not read are replaced by one `not_verified` finding naming them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::export::{self, ExpiryDays, Item};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::privilege::{ObjectRef, Privilege};
use crate::state::{Expiry, Flag, GrantKind, GrantProps};
use crate::view::StateView;

const DAY: i64 = 86_400;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A small risk, worth knowing about.
    Low,
    /// A real risk, worth fixing.
    Medium,
    /// A serious risk: fix it first.
    High,
}

impl Severity {
    /// The severity as reports print it: `low`, `medium`, `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

mcauth_codes::catalogue! {
    /// The kinds of finding; each has a stable code under `mcauth::audit::`
    /// and a one-line description (SARIF's rule description) of what the
    /// rule looks for.
    pub enum AuditCode in "mcauth::audit::" {
        /// a principal holds super_administrator
        SuperAdministratorHolder => "super_administrator_holder",
            help "keep super_administrator to the few who need it; revoke it from the rest";
        /// a principal holds admin
        AdminHolder => "admin_holder",
            help "keep admin to the few who need it; revoke it from the rest";
        /// a removed user or dropped role keeps its grants
        RetainedGrants => "retained_grants",
            help "purge privs from the removed user or dropped role";
        /// a p4_ residue of a removed RAM user stays in the project
        P4Residue => "p4_residue",
            help "purge privs from the residue";
        /// a role nobody holds
        RoleWithoutMembers => "role_without_members",
            help "grant the role to someone, or drop it";
        /// a role granted nothing
        RoleWithoutGrants => "role_without_grants",
            help "grant the role what it is for, or drop it";
        /// users hold the same grant directly where a role would serve
        DirectUserGrants => "direct_user_grants",
            help "grant it to a role once and the role to the users";
        /// a label grant has expired
        LabelGrantExpired => "label_grant_expired",
            help "revoke the expired label grant";
        /// a label grant expires soon
        LabelGrantExpiring => "label_grant_expiring",
            help "renew the label grant if it is still needed";
        /// a policy grant allows a pattern of objects
        WildcardPolicyGrant => "wildcard_policy_grant",
            help "name the objects the grant is for";
        /// ProjectProtection is off while labels mark sensitive data
        ProtectionOffWithLabels => "protection_off_with_labels",
            help "set ProjectProtection=true;";
        /// Download control is off
        DownloadUnrestricted => "download_unrestricted",
            help "setproject odps.security.enabledownloadprivilege=true;";
        /// a RAM user has a high-risk RAM policy attached
        RamHighRiskPolicy => "ram_high_risk_policy",
            help "attach a narrower policy instead";
        /// facts the audit needs were not read
        NotVerified => "not_verified",
            help "run the audit as a caller who may read them, or on the store";
    }
}

impl AuditCode {
    /// One line on what the rule looks for (SARIF's rule description).
    pub fn describe(self) -> &'static str {
        self.meaning()
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of finding this is.
    pub code: AuditCode,
    /// How much it matters.
    pub severity: Severity,
    /// What was found.
    pub message: String,
    /// The statement(s) that fix it, where a statement does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// What an audit is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditOptions {
    /// The clock (Unix seconds); without it expiries cannot be judged.
    pub now: Option<i64>,
    /// Label grants expiring within this many days are reported.
    pub expiring_within_days: u32,
}

/// Every finding about the project, most severe first, then by code.
pub fn audit(view: &(impl StateView + ?Sized), options: AuditOptions) -> Vec<Finding> {
    let mut a = Audit {
        out: Vec::new(),
        unread: Vec::new(),
    };
    admins(view, &mut a);
    retained(view, &mut a, options.now);
    roles(view, &mut a);
    direct_grants(view, &mut a);
    label_grants(view, &mut a, options);
    wildcards(view, &mut a);
    protection(view, &mut a);
    download(view, &mut a);
    if !a.unread.is_empty() {
        a.unread.sort();
        a.unread.dedup();
        let what: Vec<&str> = a.unread.iter().map(|f| f.describe()).collect();
        a.out.push(Finding {
            code: AuditCode::NotVerified,
            severity: Severity::Low,
            message: format!(
                "not checked, because {} were not read: findings that depend on them may be missing",
                what.join(", ")
            ),
            fix: None,
        });
    }
    a.out
        .sort_by(|x, y| y.severity.cmp(&x.severity).then(x.code.cmp(&y.code)));
    a.out
}

struct Audit {
    out: Vec<Finding>,
    unread: Vec<Fact>,
}

impl Audit {
    /// Whether every fact is known; notes those that are not.
    fn knows(&mut self, view: &(impl StateView + ?Sized), facts: &[Fact]) -> bool {
        let missing: Vec<Fact> = facts.iter().copied().filter(|f| !view.knows(*f)).collect();
        self.unread.extend(&missing);
        missing.is_empty()
    }

    fn push(&mut self, code: AuditCode, severity: Severity, message: String, fix: Option<String>) {
        self.out.push(Finding {
            code,
            severity,
            message,
            fix,
        });
    }
}

fn admins(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::RoleHolders]) {
        return;
    }
    for (role, code, severity) in [
        (
            RoleName::super_administrator(),
            AuditCode::SuperAdministratorHolder,
            Severity::High,
        ),
        (RoleName::admin(), AuditCode::AdminHolder, Severity::Medium),
    ] {
        for p in view.role_members(&role) {
            a.push(
                code,
                severity,
                format!(
                    "{p} holds {role}: every resource of project {}",
                    view.project()
                ),
                Some(format!("revoke {role} from {};", p.to_statement_text())),
            );
        }
    }
}

fn retained(view: &(impl StateView + ?Sized), a: &mut Audit, now: Option<i64>) {
    if a.knows(view, &[Fact::Members, Fact::Roles, Fact::Grants]) {
        let mut by_grantee: BTreeMap<GranteeId, usize> = BTreeMap::new();
        for item in export::retained(view, now) {
            if let Item::Grant { grantee, .. } = item {
                *by_grantee.entry(grantee).or_default() += 1;
            }
        }
        for (grantee, n) in by_grantee {
            let (what, fix) = match &grantee {
                GranteeId::User(p) => (
                    format!("removed user {p}"),
                    format!("purge privs from {};", p.to_statement_text()),
                ),
                GranteeId::Role(r) => (
                    format!("dropped role {r}"),
                    format!("purge privs from role {r};"),
                ),
                GranteeId::TenantRole(r) => (
                    format!("tenant role {r}"),
                    format!("purge privs from tenant role {r};"),
                ),
            };
            a.push(
                AuditCode::RetainedGrants,
                Severity::Medium,
                format!("{what} keeps {n} grant(s): re-adding the name brings them back"),
                Some(fix),
            );
        }
    }
    if a.knows(view, &[Fact::Members]) {
        for p in view.residues() {
            a.push(
                AuditCode::P4Residue,
                Severity::Medium,
                format!(
                    "{p} is the residue of a RAM user removed while it held roles; `remove user` cannot take it out"
                ),
                None,
            );
        }
    }
}

fn roles(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::Roles, Fact::RoleHolders]) {
        return;
    }
    let grants_known = view.knows(Fact::Grants);
    let policies_known = view.knows(Fact::Policies);
    for role in view.roles() {
        if role.is_builtin() {
            continue;
        }
        let members = view.role_members(role);
        if members.is_empty() {
            a.push(
                AuditCode::RoleWithoutMembers,
                Severity::Low,
                format!("role {role} has no members"),
                Some(format!("drop role {role};")),
            );
        }
        let grantee = GranteeId::Role(role.clone());
        if !view.knows_grants_of(&grantee) || !policies_known {
            if !grants_known {
                a.unread.push(Fact::Grants);
            }
            if !policies_known {
                a.unread.push(Fact::Policies);
            }
            continue;
        }
        let has_policy = view
            .policy(&crate::state::PolicySlot::Role(role.clone()))
            .is_some();
        if !view.has_grants(&grantee) && !has_policy {
            a.push(
                AuditCode::RoleWithoutGrants,
                Severity::Low,
                format!(
                    "role {role} is granted nothing{}",
                    if members.is_empty() {
                        ""
                    } else {
                        ": its members get nothing from it"
                    }
                ),
                if members.is_empty() {
                    Some(format!("drop role {role};"))
                } else {
                    None
                },
            );
        }
    }
}

/// Users holding the same ACL grant directly: a role would serve.
fn direct_grants(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::Members, Fact::Grants]) {
        return;
    }
    let mut by_grant: BTreeMap<(ObjectRef, Privilege, Option<String>), Vec<PrincipalId>> =
        BTreeMap::new();
    for grantee in view.grantees() {
        let GranteeId::User(p) = &grantee else {
            continue;
        };
        if !view.is_member(p) {
            continue;
        }
        for (key, (props, _)) in view.grants_held(grantee).into_iter().flatten() {
            if key.kind == GrantKind::Acl && *props == GrantProps::default() {
                by_grant
                    .entry((key.object.clone(), key.privilege, None))
                    .or_default()
                    .push(p.clone());
            }
        }
    }
    for ((object, privilege, _), users) in by_grant {
        if users.len() < 2 {
            continue;
        }
        let names: Vec<String> = users.iter().map(ToString::to_string).collect();
        let role = format!(
            "{}_{}",
            privilege.as_str().to_ascii_lowercase(),
            object.name.replace(['.', '*', '-'], "_")
        );
        let on = object.to_statement_text();
        let mut fix = format!("create role {role}; grant {privilege} on {on} to role {role};");
        for u in &users {
            let u = u.to_statement_text();
            fix.push_str(&format!(
                " grant {role} to {u}; revoke {privilege} on {on} from user {u};"
            ));
        }
        a.push(
            AuditCode::DirectUserGrants,
            Severity::Low,
            format!(
                "{} users hold {privilege} on {on} directly: {}",
                users.len(),
                names.join(", ")
            ),
            Some(fix),
        );
    }
}

fn label_grants(view: &(impl StateView + ?Sized), a: &mut Audit, options: AuditOptions) {
    if !a.knows(view, &[Fact::Labels]) {
        return;
    }
    let Some(now) = options.now else { return };
    let soon = now.saturating_add(i64::from(options.expiring_within_days).saturating_mul(DAY));
    for (grantee, object, grant) in view.label_grants() {
        let Some(Expiry::At(at)) = grant.expires else {
            continue;
        };
        let to = match &grantee {
            GranteeId::User(p) => format!("user {}", p.to_statement_text()),
            other => other.to_statement_text(),
        };
        let on = object.to_statement_text();
        if at <= now {
            a.push(
                AuditCode::LabelGrantExpired,
                Severity::Low,
                format!(
                    "the label grant of level {} on {on} to {grantee} has expired",
                    grant.level
                ),
                Some("clear expired grants;".to_owned()),
            );
        } else if at <= soon {
            let ExpiryDays(days) = ExpiryDays::of(&Expiry::At(at), Some(now));
            a.push(
                AuditCode::LabelGrantExpiring,
                Severity::Medium,
                format!(
                    "the label grant of level {} on {on} to {grantee} expires in {days} day(s)",
                    grant.level
                ),
                Some(format!(
                    "grant label {} on {on} to {to} with exp 180;",
                    grant.level
                )),
            );
        }
    }
}

fn wildcards(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::Grants]) {
        return;
    }
    for grantee in view.grantees() {
        for key in view.grants_held(grantee).into_iter().flat_map(|m| m.keys()) {
            if key.kind != (GrantKind::Policy { allow: true }) || !key.object.name.contains('*') {
                continue;
            }
            let everything = key.object.name == "*";
            a.push(
                AuditCode::WildcardPolicyGrant,
                if everything {
                    Severity::High
                } else {
                    Severity::Medium
                },
                format!(
                    "a policy grant allows {} on every {} matching `{}` to {grantee}",
                    key.privilege, key.object.kind, key.object.name
                ),
                Some(export::revoke_statement(&[Item::Grant {
                    grantee: grantee.clone(),
                    object: key.object.clone(),
                    kind: key.kind,
                    privilege: key.privilege,
                    conditions: None,
                    expires: None,
                }])),
            );
        }
    }
}

fn protection(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::Flags, Fact::ObjectLabels]) {
        return;
    }
    if view.flag(Flag::ProjectProtection) {
        return;
    }
    let labelled: Vec<String> = view
        .object_labels()
        .into_iter()
        .filter(|(_, level)| level.trim() != "0")
        .map(|(object, level)| format!("{} (level {level})", object.to_statement_text()))
        .collect();
    if labelled.is_empty() {
        return;
    }
    a.push(
        AuditCode::ProtectionOffWithLabels,
        Severity::High,
        format!(
            "ProjectProtection is off while labels mark sensitive data: {}; whoever may read it may copy it out of the project",
            labelled.join(", ")
        ),
        Some("set ProjectProtection=true;".to_owned()),
    );
}

fn download(view: &(impl StateView + ?Sized), a: &mut Audit) {
    if !a.knows(view, &[Fact::ProjectProperties]) {
        return;
    }
    let property = crate::explain::DOWNLOAD_PROPERTY;
    let on = view
        .project_property(property)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !on {
        a.push(
            AuditCode::DownloadUnrestricted,
            Severity::Medium,
            format!(
                "Download control is off ({property} is not true): whoever may Select may download"
            ),
            Some(format!("setproject {property}=true;")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ProjectState;

    const NOW: i64 = 1_800_000_000;

    fn state(script: &str) -> ProjectState {
        crate::testing::project_after(script, Some(NOW))
    }

    fn codes(s: &ProjectState) -> Vec<AuditCode> {
        audit(
            s,
            AuditOptions {
                now: Some(NOW),
                expiring_within_days: 30,
            },
        )
        .into_iter()
        .map(|f| f.code)
        .collect()
    }

    #[test]
    fn a_clean_project_has_only_the_download_finding() {
        let s = state("setproject odps.security.enabledownloadprivilege=true;");
        assert!(codes(&s).is_empty(), "{:?}", codes(&s));
        assert_eq!(codes(&state("")), [AuditCode::DownloadUnrestricted]);
    }

    #[test]
    fn each_rule_finds_what_it_names() {
        let s = state(
            "add accountprovider ram; add user RAM$a; add user RAM$b; add user RAM$c;
             grant super_administrator to RAM$a; grant admin to RAM$b;
             create role empty; create role idle; grant idle to RAM$c;
             grant Select on table t to RAM$b; grant Select on table t to RAM$c;
             add user RAM$gone; grant Describe on table t to RAM$gone; remove user RAM$gone;
             create role wide; grant wide to RAM$c;
             grant Select on table * to role wide privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");
             set LabelSecurity=true; set label 3 to table t(ssn);
             grant label 3 on table t(ssn) to user RAM$c with exp 5;",
        );
        let mut s = s;
        // A RAM user deleted while it held roles leaves a p4_ residue
        // (docs/seeds.md#project-users); only reading `list users` back shows one.
        crate::change::apply(
            &mut s,
            &crate::change::Change::AddResidue {
                principal: PrincipalId::parse("p4_2652900123", "").expect("a residue"),
                roles: Vec::new(),
            },
        );
        let found = audit(
            &s,
            AuditOptions {
                now: Some(NOW),
                expiring_within_days: 30,
            },
        );
        let has = |c: AuditCode| found.iter().any(|f| f.code == c);
        // Every finding but the three this project does not call for.
        let absent = [
            AuditCode::LabelGrantExpired,
            AuditCode::RamHighRiskPolicy,
            AuditCode::NotVerified,
        ];
        for code in AuditCode::ALL
            .iter()
            .copied()
            .filter(|c| !absent.contains(c))
        {
            assert!(has(code), "{code} missing from {found:#?}");
        }
        assert_eq!(found.first().map(|f| f.severity), Some(Severity::High));
        let retained = found.iter().find(|f| f.code == AuditCode::RetainedGrants);
        assert_eq!(
            retained.and_then(|f| f.fix.as_deref()),
            Some("purge privs from RAM$owner@x.com:gone;")
        );
        // Later, the label grant has expired.
        let later = audit(
            &s,
            AuditOptions {
                now: Some(NOW + 10 * DAY),
                expiring_within_days: 30,
            },
        );
        assert!(later.iter().any(|f| f.code == AuditCode::LabelGrantExpired));
    }

    #[test]
    fn what_was_not_read_is_said_not_assumed() {
        let s = ProjectState::unread("p", PrincipalId::aliyun("owner@x.com"));
        let found = audit(
            &s,
            AuditOptions {
                now: Some(NOW),
                expiring_within_days: 30,
            },
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, AuditCode::NotVerified);
    }

    #[test]
    fn codes_are_distinct() {
        let mut names: Vec<&str> = AuditCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditCode::ALL.len());
    }
}
