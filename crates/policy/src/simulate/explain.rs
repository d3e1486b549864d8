//! Explanations: which statement decided a request, and why each other one did not apply.

use serde::Serialize;

use super::condition::Miss;
use super::request::Request;
use super::set::{Basis, Compiled, Decision, Outcome, PolicyInfo, PolicySet, Skip, StatementRef};
use crate::model::Effect;

/// A statement, named for people: policy name, 1-based statement number and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementInfo {
    /// The policy's name in the set.
    pub policy: String,
    /// The statement's number in its policy, from 1.
    pub statement: usize,
    /// The line its `{` is on, from 1.
    pub line: usize,
    /// Its effect.
    pub effect: Effect,
}

impl StatementInfo {
    /// Statement `at` of `policies`, on `line`, with `effect`.
    pub(super) fn new(
        policies: &[PolicyInfo],
        at: StatementRef,
        line: usize,
        effect: Effect,
    ) -> Self {
        StatementInfo {
            policy: policies
                .get(at.policy)
                .map_or_else(String::new, |p| p.name.clone()),
            statement: at.statement + 1,
            line,
            effect,
        }
    }
}

/// What happened to one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It decided the request.
    Decided,
    /// It applied, but another statement decided (a Deny overrides an Allow; the first
    /// applicable Allow is named).
    AlsoApplied,
    /// Its `Action`/`NotAction` does not cover the request's action.
    ActionNotMatched,
    /// Its `Resource`/`NotResource` does not cover the request's resource.
    ResourceNotMatched,
    /// One of its conditions does not hold.
    ConditionNotMet,
}

/// One statement's part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementTrace {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementInfo,
    /// What happened to it.
    pub status: Status,
    /// Why, in words.
    pub reason: String,
}

/// A decision with its reasons, for people and for `--format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The request's action.
    pub action: String,
    /// The request's resource.
    pub resource: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The statement that decided, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<StatementInfo>,
    /// One sentence saying why.
    pub summary: String,
    /// Every statement whose action matched or not, in policy order.
    pub statements: Vec<StatementTrace>,
    /// The bare decision.
    #[serde(skip)]
    pub decision: Decision,
}

impl PolicySet {
    /// The name, number and line of a statement of this set.
    pub fn statement_info(&self, at: StatementRef) -> Option<StatementInfo> {
        let s = self.statements.iter().find(|s| s.at == at)?;
        Some(self.info(s))
    }

    fn info(&self, s: &Compiled) -> StatementInfo {
        StatementInfo::new(&self.policies, s.at, s.line, s.effect)
    }

    /// Decides `request` and explains the decision statement by statement.
    pub fn explain(&self, request: &Request) -> Explanation {
        let decision = self.simulate(request);
        let decided = match decision.basis {
            Basis::Statement(at) => Some(at),
            _ => None,
        };
        let statements = self
            .statements
            .iter()
            .map(|s| {
                let (status, reason) = match s.check(request) {
                    Ok(()) if Some(s.at) == decided => (Status::Decided, decided_reason(s.effect)),
                    Ok(()) => (Status::AlsoApplied, also_reason(s.effect, decision.outcome)),
                    Err(skip) => skipped(s, skip, request),
                };
                StatementTrace {
                    statement: self.info(s),
                    status,
                    reason,
                }
            })
            .collect();
        let decided_by = decided.and_then(|at| self.statement_info(at));
        let summary = match (&decided_by, decision.basis) {
            (Some(d), _) => format!(
                "{} by statement {} of {} (line {})",
                outcome_word(decision.outcome),
                d.statement,
                d.policy,
                d.line
            ),
            (None, Basis::DefaultProjectVisibility) => format!(
                "allowed by default: no policy decides {}, so the caller sees only the projects they were added to (MaxCompute's documented default); an explicit Allow would show every project in the region",
                request.action
            ),
            (None, _) => "implicitly denied: no statement allows this request".to_owned(),
        };
        Explanation {
            action: request.action.clone(),
            resource: request.resource.clone(),
            outcome: decision.outcome,
            decided_by,
            summary,
            statements,
            decision,
        }
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allow => "allowed",
        Outcome::ExplicitDeny => "explicitly denied",
        Outcome::ImplicitDeny => "implicitly denied",
    }
}

fn decided_reason(effect: Effect) -> String {
    match effect {
        Effect::Deny => {
            "action, resource and conditions match; a Deny overrides every Allow".to_owned()
        }
        Effect::Allow => "action, resource and conditions match, and no Deny applies".to_owned(),
    }
}

fn also_reason(effect: Effect, outcome: Outcome) -> String {
    match (effect, outcome) {
        (Effect::Allow, Outcome::ExplicitDeny) => "applies, but a Deny overrides it".to_owned(),
        (Effect::Allow, _) => "applies too; an earlier Allow is named".to_owned(),
        (Effect::Deny, _) => "applies too; an earlier Deny is named".to_owned(),
    }
}

fn skipped(s: &Compiled, skip: Skip, request: &Request) -> (Status, String) {
    match skip {
        Skip::Action => (
            Status::ActionNotMatched,
            format!("its actions do not cover {}", request.action),
        ),
        Skip::Resource => (
            Status::ResourceNotMatched,
            format!("its resources do not cover {}", request.resource),
        ),
        Skip::Condition(i, miss) => {
            let (op, key) = s
                .conditions
                .get(i)
                .map_or(("?", "?"), |c| (c.op.name(), &*c.key));
            let why = match miss {
                Miss::MissingKey => format!("the request has no {key}"),
                Miss::NoMatch => {
                    let given = request.context_values(key).unwrap_or_default().join(", ");
                    format!("{key} = {given} does not satisfy it")
                }
            };
            (
                Status::ConditionNotMet,
                format!("condition {op} on {key} does not hold: {why}"),
            )
        }
    }
}
