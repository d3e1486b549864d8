//! Syntax errors: what went wrong, where, and how to fix it.

use std::fmt;

use miette::{Diagnostic, LabeledSpan};

use crate::span::Span;

mcauth_codes::catalogue! {
    /// The stable code of a syntax error. Codes never change meaning; new
    /// kinds of error get new codes. Printed and serialised as the full
    /// text, e.g. `mcauth::syntax::unexpected_token`.
    pub enum ErrorCode in "mcauth::syntax::" {
        /// A token other than one the grammar allows here.
        UnexpectedToken => "unexpected_token",
            help "write one of the words the message expects";
        /// The first word is not a statement.
        UnknownStatement => "unknown_statement",
            help "see grammar/mcauth.ebnf for the statements";
        /// Two statements with no `;` between them.
        MissingSemicolon => "missing_semicolon",
            help "end each statement with `;`";
        /// A `'…'` or `"…"` with no closing quote.
        UnterminatedString => "unterminated_string",
            help "close the string with the quote it opened with";
        /// A `` `…` `` with no closing backtick.
        UnterminatedIdentifier => "unterminated_identifier",
            help "close the name with a backtick";
        /// A character that no token starts with.
        UnexpectedCharacter => "unexpected_character",
            help "remove it, or quote the name it belongs to with backticks";
        /// `RAM$acct:role/name` written without backticks.
        RamRoleNeedsBackticks => "ram_role_needs_backticks",
            help "write it in backticks: `RAM$acct:role/name`";
        /// A principal of the wrong shape (`ALIYUN$`, `RAM$a:`, …).
        InvalidPrincipal => "invalid_principal",
            help "write ALIYUN$name, RAM$account:name or `RAM$account:role/name`";
        /// `XYZ$name` with a provider other than ALIYUN or RAM.
        UnknownAccountProvider => "unknown_account_provider",
            help "the providers are ALIYUN and RAM";
        /// `grant CreateTable to …`: a privilege with no `on` clause.
        PrivilegeWithoutOn => "privilege_without_on",
            help "name the object: grant … on TYPE NAME to …";
        /// A name that cannot be a role, project, package… name.
        InvalidName => "invalid_name",
            help "names are made of letters, digits, `_` and `$`; back-quote any other name";
        /// `set <flag>=<value>` where the flag takes `true` or `false`.
        InvalidFlagValue => "invalid_flag_value",
            help "write true or false";
        /// Input that is not UTF-8.
        InvalidUtf8 => "invalid_utf8",
            help "save the file as UTF-8";
        /// A statement of more tokens than any real one has (65,536,
        /// `MAX_STATEMENT_TOKENS`).
        StatementTooLong => "statement_too_long",
            help "is a `;` missing, or a bracket or quote left open?";
    }
}

/// One syntax error, with the span it points at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyntaxError {
    /// What kind of error it is.
    pub code: ErrorCode,
    /// The one-line description of this occurrence.
    pub message: String,
    /// The source text the error points at (empty at a missing token).
    pub span: Span,
    /// The text under the span's marker.
    pub label: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
}

impl SyntaxError {
    /// An error labelled "here", with no help.
    pub fn new(code: ErrorCode, span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            code,
            message: message.into(),
            span,
            label: String::from("here"),
            help: None,
        }
    }

    /// The same error with `label` under its marker.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// The same error with a help line.
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
        for code in ErrorCode::ALL.iter().copied() {
            assert!(code.as_str().starts_with("mcauth::syntax::"));
            assert!(seen.insert(code.as_str()));
        }
    }

    #[test]
    fn codes_serialise_as_their_full_text() {
        let json = serde_json::to_string(&ErrorCode::UnexpectedToken).unwrap_or_default();
        assert_eq!(json, "\"mcauth::syntax::unexpected_token\"");
    }
}
