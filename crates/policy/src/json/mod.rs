//! Spanned JSON: a reader whose value tree records the byte span of every key and value.

mod error;
mod parse;
mod value;

pub use error::{JsonError, JsonErrorKind};
pub use parse::{DEFAULT_MAX_DEPTH, parse_str, parse_with_depth};
pub use value::{Member, Node, Value};
