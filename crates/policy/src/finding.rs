//! Findings: what the linter reports, with a stable code, a severity, a span and help.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::json::{JsonError, JsonErrorKind};
use crate::span::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Probably not what the author meant.
    Warning,
    /// RAM would reject the policy, or it cannot mean anything.
    Error,
}

impl From<Severity> for miette::Severity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        }
    }
}

/// Declares the lint codes in the style of [`mcauth_codes::catalogue!`],
/// with a severity each, beside the JSON syntax codes.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident => $code:literal, $severity:ident $(, help $help:literal)?;)*) => {
        /// The stable code of a finding. Codes never change meaning once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            /// The input is not well-formed JSON.
            Json(JsonErrorKind),
            $($(#[doc = $doc])+ $name,)*
        }

        impl Code {
            /// Every policy code (JSON syntax codes are in [`JsonErrorKind`]).
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code as text, e.g. `mcauth::policy::unknown_action`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    Code::Json(kind) => kind.code(),
                    $(Code::$name => concat!("mcauth::policy::", $code),)*
                }
            }

            /// The severity findings with this code have.
            pub const fn severity(self) -> Severity {
                match self {
                    Code::Json(_) => Severity::Error,
                    $(Code::$name => Severity::$severity,)*
                }
            }

            /// What the code means (its doc comment).
            pub fn meaning(self) -> &'static str {
                match self {
                    Code::Json(kind) => kind.meaning(),
                    $(Code::$name => concat!($($doc),+).trim(),)*
                }
            }

            /// How to fix what it reports, in general; a finding's own
            /// help names the case.
            pub const fn help(self) -> Option<&'static str> {
                match self {
                    Code::Json(kind) => kind.help(),
                    $(Code::$name => mcauth_codes::__help!($($help)?),)*
                }
            }

            /// Every policy code, the JSON syntax codes first, as
            /// `docs/codes.md` lists them.
            pub fn entries() -> impl Iterator<Item = mcauth_codes::Entry> {
                JsonErrorKind::entries().chain(Code::ALL.iter().map(|c| mcauth_codes::Entry {
                    code: c.as_str(),
                    meaning: c.meaning(),
                    help: c.help(),
                }))
            }
        }
    };
}

codes! {
    /// The document is not a JSON object.
    NotAnObject => "not_an_object", Error,
        help "write the policy as one JSON object: {\"Version\": \"1\", \"Statement\": [...]}";
    /// `Version` is missing.
    MissingVersion => "missing_version", Error,
        help "add \"Version\": \"1\"";
    /// `Version` is not the string `"1"`.
    InvalidVersion => "invalid_version", Error,
        help "write \"Version\": \"1\"";
    /// A required key is missing.
    MissingKey => "missing_key", Error,
        help "add the key the message names";
    /// A key the policy language does not have.
    UnknownKey => "unknown_key", Error,
        help "remove the key, or spell it as the policy language does";
    /// A key that looks like a misspelling of a known key.
    MisspeltKey => "misspelt_key", Error,
        help "spell the key as the message suggests";
    /// A key given twice in one object.
    DuplicateKey => "duplicate_key", Error,
        help "keep one of the two";
    /// A value of the wrong JSON type.
    WrongType => "wrong_type", Error,
        help "write the value as the type the message names";
    /// `Effect` is neither `Allow` nor `Deny`.
    InvalidEffect => "invalid_effect", Error,
        help "write \"Allow\" or \"Deny\"";
    /// `Statement` is an empty list.
    EmptyStatement => "empty_statement", Error,
        help "add a statement, or remove the policy";
    /// An empty list or string where values are required.
    EmptyValue => "empty_value", Error,
        help "give at least one value";
    /// Both `Action` and `NotAction`, or both `Resource` and `NotResource`.
    ConflictingKeys => "conflicting_keys", Error,
        help "keep one of the two keys";
    /// `Principal` in a RAM policy, which has none.
    PrincipalNotAllowed => "principal_not_allowed", Error,
        help "remove Principal; a RAM policy applies to whom it is attached to";
    /// A project-level policy statement without `Principal`.
    MissingPrincipal => "missing_principal", Error,
        help "add the Principal the statement is for";
    /// A condition operator RAM does not have.
    UnknownOperator => "unknown_operator", Error,
        help "use one of RAM's condition operators";
    /// A `Bool` condition value that is not `"true"` or `"false"`.
    InvalidBoolValue => "invalid_bool_value", Error,
        help "write \"true\" or \"false\"";
    /// A Numeric, Date or IP condition value that does not parse.
    InvalidConditionValue => "invalid_condition_value", Error,
        help "write the value in the form the operator reads";
    /// An `odps:` action that is not in the catalogue.
    UnknownAction => "unknown_action", Error,
        help "check the action's spelling against the odps: catalogue";
    /// An action without a `service:` prefix.
    MalformedAction => "malformed_action", Error,
        help "write service:Action, e.g. odps:CreateTable";
    /// A wildcard action that matches no catalogued action.
    WildcardMatchesNothing => "wildcard_matches_nothing", Warning,
        help "check the pattern's spelling";
    /// An action of another service, which is not checked.
    UncheckedService => "unchecked_service", Info;
    /// A resource that matches no ARN pattern of the statement's actions.
    ResourceMatchesNoArn => "resource_matches_no_arn", Warning,
        help "check the resource against the ARNs of the statement's actions";
    /// A resource that is not an ARN.
    MalformedArn => "malformed_arn", Error,
        help "write acs:odps:region:account:resource";
    /// An ARN whose region is not a region id.
    MalformedRegion => "malformed_region", Error,
        help "write a region id such as cn-hangzhou, or *";
    /// An ARN whose account id is not numeric.
    MalformedAccountId => "malformed_account_id", Error,
        help "write the numeric account id, or *";
    /// A condition key that is not known.
    UnknownConditionKey => "unknown_condition_key", Warning,
        help "check the key's spelling";
    /// A condition key that none of the statement's actions supports.
    UnsupportedConditionKey => "unsupported_condition_key", Warning,
        help "remove the key, or use one the actions support";
    /// An operator that does not fit the key's type, e.g. StringEquals on a Bool key.
    OperatorMismatch => "operator_mismatch", Warning,
        help "use an operator of the key's type";
    /// A statement identical to an earlier one.
    DuplicateStatement => "duplicate_statement", Warning,
        help "remove one of the two";
    /// A statement that can never change a decision because another covers it.
    ShadowedStatement => "shadowed_statement", Warning,
        help "remove the statement, or narrow the one that covers it";
    /// The shadowing analysis stopped early on a very large policy.
    AnalysisLimit => "analysis_limit", Info;
    /// `Allow` of every MaxCompute action on every resource.
    OverlyBroadGrant => "overly_broad_grant", Warning,
        help "allow only the actions and resources that are needed";
    /// A reference to a system policy that RAM flags as high-risk.
    HighRiskPolicy => "high_risk_policy", Warning,
        help "attach a narrower policy instead";
    /// A system policy that may grant excessive permissions.
    ExcessivePolicy => "excessive_policy", Info,
        help "attach a narrower policy if this one grants more than needed";
    /// A system policy name mcauth does not know.
    UnknownSystemPolicy => "unknown_system_policy", Error,
        help "check the system policy's name";
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A second place a finding refers to, such as the statement that shadows another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What is there.
    pub label: String,
}

/// One problem found in a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where in the source.
    pub span: Span,
    /// A short label for the span.
    pub label: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding with the code's own severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        let message = message.into();
        Finding {
            code,
            severity: code.severity(),
            label: String::new(),
            message,
            span,
            help: None,
            related: Vec::new(),
        }
    }

    /// Sets the label shown under the span.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help text if there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Whether this finding is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl From<JsonError> for Finding {
    fn from(e: JsonError) -> Self {
        let width = usize::from(e.kind != JsonErrorKind::UnexpectedEof);
        Finding::new(
            Code::Json(e.kind),
            Span::new(e.offset, e.offset + width),
            e.kind.message(),
        )
        .label("here")
        .maybe_help(e.kind.help().map(str::to_owned))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding {}

impl miette::Diagnostic for Finding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity.into())
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = miette::LabeledSpan::new_primary_with_span(
            (!self.label.is_empty()).then(|| self.label.clone()),
            self.span,
        );
        let related = self
            .related
            .iter()
            .map(|r| miette::LabeledSpan::new_with_span(Some(r.label.clone()), r.span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// Sorts findings by position, then by code, so output is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code.as_str()).cmp(&(
            b.span.start,
            b.span.end,
            b.code.as_str(),
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::Diagnostic;

    #[test]
    fn codes_are_unique_and_namespaced() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert!(code.as_str().starts_with("mcauth::policy::"));
            assert!(!Code::ALL[..i].iter().any(|c| c.as_str() == code.as_str()));
        }
        assert_eq!(
            Code::UnknownAction.as_str(),
            "mcauth::policy::unknown_action"
        );
    }

    #[test]
    fn findings_are_diagnostics() {
        let f = Finding::new(Code::UnknownAction, Span::new(3, 8), "unknown action")
            .label("this one")
            .help("did you mean `odps:CreateProject`?")
            .related(Span::new(0, 1), "there");
        assert_eq!(
            f.code().map(|c| c.to_string()).as_deref(),
            Some("mcauth::policy::unknown_action")
        );
        assert_eq!(Diagnostic::severity(&f), Some(miette::Severity::Error));
        assert_eq!(f.labels().map(Iterator::count), Some(2));
        assert!(Diagnostic::help(&f).is_some());
    }

    #[test]
    fn json_errors_become_findings() {
        let f = Finding::from(JsonError {
            kind: JsonErrorKind::TooDeep,
            offset: 128,
        });
        assert_eq!(f.code.as_str(), "mcauth::policy::json::too_deep");
        assert_eq!(f.span, Span::new(128, 129));
        assert!(f.is_error());
    }
}
