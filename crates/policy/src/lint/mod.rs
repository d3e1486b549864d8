//! Lint: every problem found in a policy, as [`Finding`]s sorted by position.

mod actions;
mod conditions;
mod resources;
mod risk;
mod shadow;

pub use risk::check_system_policy;

use crate::finding::{self, Finding};
use crate::model::{Dialect, ParseOptions, PolicyDocument, parse_policy};

/// Lints a document read by [`crate::parse_policy`]: its reading problems plus every
/// finding about actions, resources, conditions, shadowing and risk.
///
/// Project-level policies (see [`Dialect::Project`]) use the project's own actions and
/// resources, which the RAM permission table's catalogue does not describe, so only their structure, their
/// condition values and the risk checks apply to them.
pub fn lint(doc: &PolicyDocument) -> Vec<Finding> {
    let mut out = doc.problems().to_vec();
    let ram = doc.dialect == Dialect::Ram;
    let mut templates = resources::Templates::new();
    let mut sets = Vec::with_capacity(doc.statements.len());
    for statement in &doc.statements {
        let set = if ram {
            actions::resolve(statement, &mut out)
        } else {
            None
        };
        if ram {
            let malformed = resources::check_syntax(statement, &mut out);
            if let Some(set) = &set {
                resources::check_match(statement, set, &mut templates, malformed, &mut out);
            }
            conditions::check(statement, set.as_ref(), &mut out);
            risk::check_broad(statement, set.as_ref(), &mut out);
        }
        risk::check_references(statement, &mut out);
        sets.push(set);
    }
    if ram {
        shadow::check(&doc.statements, &sets, doc.span, &mut out);
    }
    finding::sort(&mut out);
    out
}

/// Reads and lints `bytes` in one step. Returns the document when the bytes were JSON, and
/// the findings, which include any JSON syntax error.
pub fn lint_source(bytes: &[u8], options: &ParseOptions) -> (Option<PolicyDocument>, Vec<Finding>) {
    match parse_policy(bytes, options) {
        Ok(doc) => {
            let findings = lint(&doc);
            (Some(doc), findings)
        }
        Err(e) => (None, vec![e]),
    }
}

#[cfg(test)]
pub(crate) mod tests;
