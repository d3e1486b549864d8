//! The MaxCompute (ODPS) project security language: its tokens, its typed
//! syntax tree, a parser that reports every error with its span, and the
//! canonical printer.
//!
//! ```
//! let parsed = mcauth_syntax::parse("add user RAM$acct:ram_test; list users");
//! assert!(parsed.errors.is_empty());
//! assert_eq!(parsed.statements[0].to_string(), "add user RAM$acct:ram_test;");
//! assert_eq!(parsed.statements[1].to_string(), "list users;");
//! ```

pub mod ast;
pub mod catalog;
pub mod complete;
pub mod diagnostic;
pub mod format;
pub mod keywords;
pub mod lexer;
mod parser;
pub mod span;
mod suggest;

pub use diagnostic::{ErrorCode, SyntaxError};
pub use lexer::MAX_STATEMENT_TOKENS;
pub use parser::{Parsed, Statements, decode, parse, parse_statement, statements};
pub use parser::{lost_to_the_shell, shell_help};
pub use span::{LineCol, NodeSpan, Span, line_col};
pub use suggest::did_you_mean;
