//! MaxCompute's own policies: the project policy (`put policy FILE`), whose
//! statements name a `Principal`, and role policies (`put policy FILE on role
//! r`), which apply to the holders of the role. [`ProjectPolicies`] decides
//! a request against them for one principal, as MaxCompute's access check
//! does: an applicable Deny denies explicitly, else an applicable Allow
//! allows, else nothing is said (the project's other layers decide).
//!
//! **Open context:** unlike [`super::PolicySet::simulate`], where a request
//! that lacks a condition key lacks it, here a key the request does not carry
//! is *unknown*: a statement whose conditions need it is reported as open
//! ([`Assessment::open`]) — it might apply — rather than applying or not.
//!
//! **Choices where the docs are silent:** `Principal` patterns and resource
//! names match without regard to ASCII case (MaxCompute's account and object
//! names are case-insensitive); there is no default allow (the RAM permission table's
//! ListProjects/GetProject default is RAM's, not a project's).

use serde::Serialize;

use super::condition::{self, Miss};
use super::explain::StatementInfo;
use super::request::Request;
use super::set::{Matcher, Outcome, PolicyInfo, SimulateError, StatementRef, register};
use crate::glob::Case;
use crate::model::{Dialect, Effect, PolicyDocument};

/// A statement of a project or role policy, ready to evaluate.
#[derive(Debug, Clone)]
struct Scoped {
    at: StatementRef,
    line: usize,
    effect: Effect,
    /// `Principal`, for a project policy; `None` for a role policy.
    principals: Option<Matcher>,
    actions: Matcher,
    resources: Matcher,
    conditions: Box<[condition::Compiled]>,
}

/// What one statement does to a request.
enum Applies {
    Yes,
    No,
    /// It applies if its conditions on these unknown keys hold.
    Open(Vec<String>),
}

impl Scoped {
    fn applies(&self, request: &Request, principal: Option<&str>) -> Applies {
        let principal_matches = match (&self.principals, principal) {
            (None, _) => true,
            (Some(m), Some(p)) => m.matches(p),
            (Some(_), None) => false,
        };
        if !principal_matches
            || !self.actions.matches(&request.action)
            || !self.resources.matches(&request.resource)
        {
            return Applies::No;
        }
        let mut unknown: Vec<String> = Vec::new();
        for c in &self.conditions {
            match request.context_values(&c.key) {
                None => {
                    if !unknown.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                        unknown.push(c.key.to_string());
                    }
                }
                Some(values) => {
                    if let Err(Miss::NoMatch | Miss::MissingKey) = c.eval(Some(values)) {
                        return Applies::No;
                    }
                }
            }
        }
        if unknown.is_empty() {
            Applies::Yes
        } else {
            Applies::Open(unknown)
        }
    }
}

/// A statement that might apply: its principal, action and resource match
/// and its known conditions hold, but some of its conditions need keys the
/// request does not carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenStatement {
    /// The statement.
    pub at: StatementRef,
    /// Its effect.
    pub effect: Effect,
    /// The condition keys it needs and the request does not know.
    pub keys: Vec<String>,
}

/// The answer for one principal, on what the request knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// `ExplicitDeny` when a Deny applies, `Allow` when an Allow does and no
    /// Deny, `ImplicitDeny` when none applies (the policies say nothing).
    pub outcome: Outcome,
    /// The statement that decided: the first Deny that applies, else the
    /// first Allow.
    pub decided_by: Option<StatementRef>,
    /// Every statement that applies, in order.
    pub applied: Vec<(StatementRef, Effect)>,
    /// The statements that might apply, in order.
    pub open: Vec<OpenStatement>,
}

/// Project and role policies compiled for MaxCompute's access check.
#[derive(Debug, Clone, Default)]
pub struct ProjectPolicies {
    policies: Vec<PolicyInfo>,
    statements: Vec<Scoped>,
}

impl ProjectPolicies {
    /// No policy: nothing applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document read as [`Dialect::Project`] (its statements apply to
    /// the principals they name) or [`Dialect::Role`] (they apply to whoever
    /// the role is asked for); a [`Dialect::Ram`] document reads as a role
    /// policy. Documents with reading errors are refused.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        doc: &PolicyDocument,
    ) -> Result<usize, SimulateError> {
        let policy = register(&mut self.policies, name.into(), doc)?;
        for s in &doc.statements {
            let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
                continue;
            };
            let principals = match doc.dialect {
                Dialect::Project => Some(Matcher::new(s.principal.as_ref(), Case::Insensitive)),
                Dialect::Role | Dialect::Ram => None,
            };
            self.statements.push(Scoped {
                at: StatementRef {
                    policy,
                    statement: s.index,
                },
                line: doc.line(s.span.start),
                effect,
                principals,
                actions: Matcher::new(s.action.as_ref(), Case::Insensitive),
                resources: Matcher::new(s.resource.as_ref(), Case::Insensitive),
                conditions: s.conditions.iter().map(condition::Compiled::new).collect(),
            });
        }
        Ok(policy)
    }

    /// The policies, in the order added.
    pub fn policies(&self) -> &[PolicyInfo] {
        &self.policies
    }

    /// The name, number and line of a statement.
    pub fn statement_info(&self, at: StatementRef) -> Option<StatementInfo> {
        let s = self.statements.iter().find(|s| s.at == at)?;
        Some(StatementInfo::new(&self.policies, s.at, s.line, s.effect))
    }

    /// Decides `request` for `principal` (as the docs write it:
    /// `ALIYUN$alice@aliyun.com`, `RAM$account:bob`); with `None`, the
    /// project policy's statements, which name principals, do not apply.
    pub fn assess(&self, request: &Request, principal: Option<&str>) -> Assessment {
        let mut applied = Vec::new();
        let mut open = Vec::new();
        for s in &self.statements {
            match s.applies(request, principal) {
                Applies::Yes => applied.push((s.at, s.effect)),
                Applies::No => {}
                Applies::Open(keys) => open.push(OpenStatement {
                    at: s.at,
                    effect: s.effect,
                    keys,
                }),
            }
        }
        let first = |effect: Effect| {
            applied
                .iter()
                .find(|(_, e)| *e == effect)
                .map(|(at, _)| *at)
        };
        let (outcome, decided_by) = match (first(Effect::Deny), first(Effect::Allow)) {
            (Some(at), _) => (Outcome::ExplicitDeny, Some(at)),
            (None, Some(at)) => (Outcome::Allow, Some(at)),
            (None, None) => (Outcome::ImplicitDeny, None),
        };
        Assessment {
            outcome,
            decided_by,
            applied,
            open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ParseOptions, parse_policy_str};

    fn set(docs: &[(&str, Dialect, &str)]) -> ProjectPolicies {
        let mut set = ProjectPolicies::new();
        for (name, dialect, text) in docs {
            let doc = parse_policy_str(text, &ParseOptions::dialect(*dialect))
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            set.add(*name, &doc)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        set
    }

    const PROJECT: &str = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Principal": "RAM$acct:*", "Action": "odps:Select",
         "Resource": "acs:odps:*:projects/p/tables/*"},
        {"Effect": "Deny", "Principal": ["RAM$acct:bob"], "Action": "odps:*",
         "Resource": "acs:odps:*:projects/p/tables/secret_*"},
        {"Effect": "Deny", "Principal": "*", "Action": "odps:Drop",
         "Resource": "acs:odps:*:projects/p/tables/*",
         "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}},
        {"Effect": "Allow", "Principal": "*", "Action": "odps:Describe",
         "Resource": "acs:odps:*:projects/p/tables/*",
         "Condition": {"DateLessThan": {"acs:CurrentTime": "2030-01-01T00:00:00Z"}}}
    ]}"#;

    const ROLE: &str = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": ["odps:Describe", "odps:Select"],
         "Resource": "acs:odps:*:projects/p/tables/sales_*"}
    ]}"#;

    fn table(t: &str) -> String {
        format!("acs:odps:*:projects/p/tables/{t}")
    }

    #[test]
    fn principals_deny_and_allow() {
        let s = set(&[("project", Dialect::Project, PROJECT)]);
        let select = |t: &str| Request::new("odps:Select", table(t));
        let alice = s.assess(&select("t"), Some("RAM$acct:alice"));
        assert_eq!(alice.outcome, Outcome::Allow);
        let bob = s.assess(&select("secret_1"), Some("ram$ACCT:bob"));
        assert_eq!(bob.outcome, Outcome::ExplicitDeny);
        assert_eq!(bob.applied.len(), 2);
        assert_eq!(
            bob.decided_by.map(|at| at.statement),
            Some(1),
            "the Deny decides"
        );
        let other = s.assess(&select("t"), Some("ALIYUN$x@y.com"));
        assert_eq!(other.outcome, Outcome::ImplicitDeny);
        // Asked for a role, statements that name principals do not apply.
        assert_eq!(s.assess(&select("t"), None).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn unknown_context_leaves_statements_open() {
        let s = set(&[("project", Dialect::Project, PROJECT)]);
        let drop = Request::new("odps:Drop", table("t"));
        let a = s.assess(&drop, Some("RAM$acct:alice"));
        assert_eq!(a.outcome, Outcome::ImplicitDeny);
        assert_eq!(a.open.len(), 1);
        assert_eq!(a.open[0].effect, Effect::Deny);
        assert_eq!(a.open[0].keys, vec!["acs:SourceIp".to_owned()]);
        // Known context decides.
        let inside = drop.clone().with_context("acs:SourceIp", "10.1.2.3");
        let a = s.assess(&inside, Some("RAM$acct:alice"));
        assert_eq!(a.outcome, Outcome::ExplicitDeny);
        assert!(a.open.is_empty());
        let outside = drop.with_context("acs:SourceIp", "11.1.2.3");
        assert_eq!(
            s.assess(&outside, Some("RAM$acct:alice")).outcome,
            Outcome::ImplicitDeny
        );
        let describe = |now: &str| {
            Request::new("odps:Describe", table("t")).with_context("acs:CurrentTime", now)
        };
        assert_eq!(
            s.assess(&describe("2029-06-01T00:00:00Z"), Some("ALIYUN$x@y.com"))
                .outcome,
            Outcome::Allow
        );
        assert_eq!(
            s.assess(&describe("2031-06-01T00:00:00Z"), Some("ALIYUN$x@y.com"))
                .outcome,
            Outcome::ImplicitDeny
        );
    }

    #[test]
    fn role_policies_apply_to_whoever_is_asked() {
        let s = set(&[("role", Dialect::Role, ROLE)]);
        let r = Request::new("odps:select", table("SALES_2026"));
        let a = s.assess(&r, None);
        assert_eq!(a.outcome, Outcome::Allow);
        let info = a.decided_by.and_then(|at| s.statement_info(at));
        assert_eq!(
            info.map(|i| (i.policy, i.statement, i.line)),
            Some(("role".into(), 1, 2))
        );
        let drop = Request::new("odps:Drop", table("sales_2026"));
        assert_eq!(s.assess(&drop, None).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn invalid_documents_are_refused() {
        let doc = parse_policy_str(
            r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "odps:Select", "Resource": "*"}]}"#,
            &ParseOptions::dialect(Dialect::Project),
        );
        let mut s = ProjectPolicies::new();
        let added = doc
            .map_err(|_| ())
            .map(|d| s.add("p", &d).map_err(|e| e.code()));
        assert_eq!(added, Ok(Err("mcauth::policy::simulate::invalid_policy")));
        assert!(s.policies().is_empty());
    }
}
