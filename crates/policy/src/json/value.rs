//! The JSON value tree: every value and every object key carries its byte span.

use crate::span::{Span, Spanned};

/// One JSON value and the bytes it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// From the first byte of the value to one past its last byte.
    pub span: Span,
}

/// A JSON value. Objects keep their members in source order, duplicates included,
/// so that a linter can report duplicated keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, kept as written so that nothing is lost to rounding.
    Number(String),
    /// A string with its escapes decoded.
    String(String),
    /// `[...]`
    Array(Vec<Node>),
    /// `{...}`
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The decoded key and the span of its quoted form.
    pub key: Spanned<String>,
    /// The value.
    pub value: Node,
}

impl Value {
    /// A short name of the value's type, for messages.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}
