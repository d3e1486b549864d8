//! The policy model: a RAM policy document read from spanned JSON.

mod build;
mod operator;

pub use build::{Dialect, ParseOptions, parse_policy, parse_policy_str};
pub use operator::{Family, Operator};

use serde::Serialize;

use crate::finding::Finding;
use crate::span::{LineIndex, Span, Spanned};

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    /// Grants the matched requests.
    Allow,
    /// Refuses the matched requests, whatever else allows them.
    Deny,
}

impl Effect {
    /// As written in policies.
    pub const fn name(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// `Action`/`NotAction`, `Resource`/`NotResource` or `Principal`: a list of patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patterns {
    /// Whether the key was the `Not...` form: the statement applies to what is *not* listed.
    pub negated: bool,
    /// The key's span.
    pub key: Span,
    /// The value's span (a string or a list).
    pub span: Span,
    /// The patterns, each with its span.
    pub items: Vec<Spanned<String>>,
}

/// One condition: an operator applied to a key and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator and the span of its key.
    pub operator: Spanned<Operator>,
    /// The condition key and its span.
    pub key: Spanned<String>,
    /// The values, each with its span. Booleans and numbers are kept as written.
    pub values: Vec<Spanned<String>>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the document's statement list, from 0.
    pub index: usize,
    /// The statement object's span.
    pub span: Span,
    /// `Effect`, if present and valid.
    pub effect: Option<Spanned<Effect>>,
    /// `Action` or `NotAction`.
    pub action: Option<Patterns>,
    /// `Resource` or `NotResource`.
    pub resource: Option<Patterns>,
    /// `Principal` (project-level policies only).
    pub principal: Option<Patterns>,
    /// `Condition`, flattened; empty when absent.
    pub conditions: Vec<Condition>,
}

/// A policy document and the problems found while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// The dialect it was read as.
    pub dialect: Dialect,
    /// The whole document's span.
    pub span: Span,
    /// `Version`, if it is a string.
    pub version: Option<Spanned<String>>,
    /// The statements that are objects, in order.
    pub statements: Vec<Statement>,
    /// Line starts of the source, for positions in reports.
    pub lines: LineIndex,
    problems: Vec<Finding>,
}

impl PolicyDocument {
    /// Structural problems found while reading: unknown keys, wrong types, bad values.
    /// [`crate::lint`] returns these together with its own findings.
    pub fn problems(&self) -> &[Finding] {
        &self.problems
    }

    /// Whether reading found no error, so that the document can be simulated.
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(Finding::is_error)
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }
}
