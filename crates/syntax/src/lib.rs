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

#![warn(missing_docs)]

// The syntax tree keeps its namespace: some forty node types, several of
// whose names (`Privilege`, `Statement`, `Object`, `Property`) read
// ambiguously, or clash with the catalogue enums, at the crate root. The
// rest of the crate is reached through the flat re-exports below.
pub mod ast;
mod catalog;
mod complete;
mod diagnostic;
mod format;
mod keywords;
mod lexer;
mod parser;
mod span;
mod suggest;

pub use catalog::{ObjectType, Privilege, SecurityFlag};
pub use complete::is_complete;
pub use diagnostic::{ErrorCode, SyntaxError, renderable_source};
pub use format::{format, format_checked};
pub use keywords::ALL as KEYWORDS;
pub use lexer::{Lexer, Token, TokenKind, is_word_char};
pub use parser::{Parsed, Statements, decode, parse, parse_statement, statements};
pub use parser::{lost_to_the_shell, shell_help};
pub use span::{LineCol, NodeSpan, Span, line_col};
pub use suggest::did_you_mean;
