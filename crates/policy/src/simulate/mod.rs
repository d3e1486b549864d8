//! Simulation: decide requests against policies, as RAM would, and explain the decision.

mod codes;
mod condition;
mod explain;
mod project;
mod request;
mod set;

pub use codes::SimulateCode;
pub use explain::{Explanation, StatementInfo, StatementTrace, Status};
pub use project::{Assessment, OpenStatement, ProjectPolicies};
pub use request::{ContextEntry, Request, RequestError};
pub use set::{Basis, Decision, Outcome, PolicyInfo, PolicySet, SimulateError, StatementRef};

#[cfg(test)]
mod tests;
