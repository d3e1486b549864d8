//! Syntax errors: what went wrong, where, and how to fix it.

use std::fmt;

use miette::{Diagnostic, LabeledSpan};

use crate::span::Span;

/// The stable code of a syntax error. Codes never change meaning; new
/// kinds of error get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A token other than one the grammar allows here.
    UnexpectedToken,
    /// The first word is not a statement.
    UnknownStatement,
    /// Two statements with no `;` between them.
    MissingSemicolon,
    /// A `'…'` or `"…"` with no closing quote.
    UnterminatedString,
    /// A `` `…` `` with no closing backtick.
    UnterminatedIdentifier,
    /// A character that no token starts with.
    UnexpectedCharacter,
    /// `RAM$acct:role/name` written without backticks.
    RamRoleNeedsBackticks,
    /// A principal of the wrong shape (`ALIYUN$`, `RAM$a:`, …).
    InvalidPrincipal,
    /// `XYZ$name` with a provider other than ALIYUN or RAM.
    UnknownAccountProvider,
    /// `grant CreateTable to …`: a privilege with no `on` clause.
    PrivilegeWithoutOn,
    /// A name that cannot be a role, project, package… name.
    InvalidName,
    /// `set <flag>=<value>` where the flag takes `true` or `false`.
    InvalidFlagValue,
    /// Input that is not UTF-8.
    InvalidUtf8,
    /// A statement of more tokens than any real one has
    /// ([`crate::MAX_STATEMENT_TOKENS`]).
    StatementTooLong,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::UnexpectedToken,
        ErrorCode::UnknownStatement,
        ErrorCode::MissingSemicolon,
        ErrorCode::UnterminatedString,
        ErrorCode::UnterminatedIdentifier,
        ErrorCode::UnexpectedCharacter,
        ErrorCode::RamRoleNeedsBackticks,
        ErrorCode::InvalidPrincipal,
        ErrorCode::UnknownAccountProvider,
        ErrorCode::PrivilegeWithoutOn,
        ErrorCode::InvalidName,
        ErrorCode::InvalidFlagValue,
        ErrorCode::InvalidUtf8,
        ErrorCode::StatementTooLong,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnexpectedToken => "mcauth::syntax::unexpected_token",
            ErrorCode::UnknownStatement => "mcauth::syntax::unknown_statement",
            ErrorCode::MissingSemicolon => "mcauth::syntax::missing_semicolon",
            ErrorCode::UnterminatedString => "mcauth::syntax::unterminated_string",
            ErrorCode::UnterminatedIdentifier => "mcauth::syntax::unterminated_identifier",
            ErrorCode::UnexpectedCharacter => "mcauth::syntax::unexpected_character",
            ErrorCode::RamRoleNeedsBackticks => "mcauth::syntax::ram_role_needs_backticks",
            ErrorCode::InvalidPrincipal => "mcauth::syntax::invalid_principal",
            ErrorCode::UnknownAccountProvider => "mcauth::syntax::unknown_account_provider",
            ErrorCode::PrivilegeWithoutOn => "mcauth::syntax::privilege_without_on",
            ErrorCode::InvalidName => "mcauth::syntax::invalid_name",
            ErrorCode::InvalidFlagValue => "mcauth::syntax::invalid_flag_value",
            ErrorCode::InvalidUtf8 => "mcauth::syntax::invalid_utf8",
            ErrorCode::StatementTooLong => "mcauth::syntax::statement_too_long",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One syntax error, with the span it points at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyntaxError {
    pub code: ErrorCode,
    pub message: String,
    pub span: Span,
    /// The text under the span's marker.
    pub label: String,
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(code: ErrorCode, span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            code,
            message: message.into(),
            span,
            label: String::from("here"),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

impl Diagnostic for SyntaxError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span),
        )))
    }
}

/// The text to give a renderer along with these errors. miette silently
/// drops a zero-width label at the very end of a source that does not end
/// in a newline (miette issue #465's neighbour), so add one.
pub fn renderable_source(text: &str) -> std::borrow::Cow<'_, str> {
    if text.ends_with('\n') {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("{text}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_namespaced() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(code.as_str().starts_with("mcauth::syntax::"));
            assert!(seen.insert(code.as_str()));
        }
    }
}
