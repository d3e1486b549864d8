//! RAM policies for MaxCompute: read them with spans, lint them, simulate them.
pub mod arn;
pub mod catalog;
pub mod finding;
pub mod glob;
pub mod json;
pub mod lint;
pub mod model;
#[cfg(test)]
mod robustness;
pub mod simulate;
#[cfg(test)]
mod snapshots_test;
pub mod span;
mod suggest;
pub mod values;

pub use finding::{Code, Finding, Related, Severity};
pub use lint::{check_system_policy, lint, lint_source};
pub use model::{Dialect, ParseOptions, PolicyDocument, parse_policy, parse_policy_str};
pub use simulate::{
    Assessment, Basis, Decision, Explanation, Outcome, PolicySet, ProjectPolicies, Request,
    RequestError, SimulateCode, SimulateError, simulate,
};
pub use span::{LineCol, LineIndex, Span, Spanned};
