//! RAM policies for MaxCompute: read them with spans, lint them, simulate them.
//!
//! Every module is private; the API is the flat list below: what the other
//! crates use, and every type that appears in its fields and signatures, so
//! that a caller can name whatever it holds.
#![warn(missing_docs)]

mod arn;
mod catalog;
mod finding;
mod glob;
mod json;
mod lint;
mod model;
#[cfg(test)]
mod robustness;
mod simulate;
#[cfg(test)]
mod snapshots_test;
mod span;
mod suggest;
mod values;

pub use arn::{is_account, is_region};
pub use catalog::{
    ACTIONS, ActionInfo, Category, Risk, SystemPolicy, action_info, suggest_action, system_policy,
};
pub use finding::{Code, Finding, Related, Severity};
pub use json::JsonErrorKind;
pub use lint::{check_system_policy, lint, lint_source};
pub use model::{
    Condition, Dialect, Effect, Family, Operator, ParseOptions, Patterns, PolicyDocument,
    Statement, parse_policy, parse_policy_str,
};
pub use simulate::{
    Assessment, Basis, ContextEntry, Decision, Explanation, OpenStatement, Outcome, PolicyInfo,
    PolicySet, ProjectPolicies, Request, RequestError, SimulateCode, SimulateError, StatementInfo,
    StatementRef, StatementTrace, Status,
};
pub use span::{LineCol, LineIndex, Span, Spanned};
