//! RAM policies for MaxCompute: read them with spans, lint them, simulate them.
pub mod catalog;
pub mod json;
pub mod span;
