//! Names: identifiers, string literals, object names and file paths.

use crate::span::{NodeSpan, Span};

/// A plain name: role, project, package, account provider, column, label
/// level, privilege. Written bare or back-quoted; the value is unquoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Ident {
    /// The name, unquoted, in the case it was written.
    pub value: String,
    /// Where the name was written.
    pub span: NodeSpan,
}

impl Ident {
    /// A name made in code, with no position in a source.
    pub fn new(value: impl Into<String>) -> Self {
        Ident {
            value: value.into(),
            span: NodeSpan::default(),
        }
    }

    /// A name read from `span` of a source.
    pub fn with_span(value: impl Into<String>, span: Span) -> Self {
        Ident {
            value: value.into(),
            span: span.into(),
        }
    }

    /// Case-insensitive comparison, as MaxCompute compares keywords, roles
    /// and privileges.
    pub fn eq_ignore_case(&self, other: &str) -> bool {
        self.value.eq_ignore_ascii_case(other)
    }
}

/// A `'…'` or `"…"` literal; the value is unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct StringLit {
    /// The text between the quotes, escapes resolved.
    pub value: String,
    /// Where the literal was written, quotes included.
    pub span: NodeSpan,
}

impl StringLit {
    /// A literal made in code, with no position in a source.
    pub fn new(value: impl Into<String>) -> Self {
        StringLit {
            value: value.into(),
            span: NodeSpan::default(),
        }
    }
}

/// The name of an object in an ACL statement, as written: `sales`,
/// `prj.sales`, `prj.sch.sales`, `tb_*`, `udtf.jar`, `prj.pkg`. Its
/// structure depends on the object type, so it is kept whole here and
/// read by [`ObjectName::parts`] where needed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ObjectName {
    /// The name as written, dots and wildcards included, unquoted.
    pub value: String,
    /// Where the name was written.
    pub span: NodeSpan,
}

impl ObjectName {
    /// A name made in code, with no position in a source.
    pub fn new(value: impl Into<String>) -> Self {
        ObjectName {
            value: value.into(),
            span: NodeSpan::default(),
        }
    }

    /// The dot-separated parts (`prj.sch.tbl` → `["prj", "sch", "tbl"]`).
    pub fn parts(&self) -> Vec<&str> {
        self.value.split('.').collect()
    }

    /// Whether the name holds a `*` or `?` wildcard.
    pub fn is_pattern(&self) -> bool {
        self.value.contains(['*', '?'])
    }
}

/// A local file named by `put policy`; written bare or as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FilePath {
    /// The path as written, unquoted.
    pub value: String,
    /// Where the path was written.
    pub span: NodeSpan,
}

/// `privilegeproperties("k"="v", …)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Properties {
    /// The pairs in the order written.
    pub entries: Vec<Property>,
    /// Where the whole `privilegeproperties(…)` clause was written.
    pub span: NodeSpan,
}

/// One `"key"="value"` pair of [`Properties`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Property {
    /// The key, as written (keys compare case-insensitively).
    pub key: StringLit,
    /// The value given to the key.
    pub value: StringLit,
}

impl Properties {
    /// The value of a key, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&StringLit> {
        self.entries
            .iter()
            .find(|p| p.key.value.eq_ignore_ascii_case(key))
            .map(|p| &p.value)
    }
}

/// Text the security language carries without reading it: a row access
/// policy's filter expression, a masking method, a `setproject` value.
/// `text` is the tokens as written, comments dropped, and every gap
/// between two tokens (white space, comments, line breaks) one space, so
/// that it prints on one line and reads back as itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RawText {
    /// The tokens as written, each gap between them one space.
    pub text: String,
    /// Where the text was written, from its first token to its last.
    pub span: NodeSpan,
}

impl RawText {
    /// Text made in code, with no position in a source.
    pub fn new(text: impl Into<String>) -> Self {
        RawText {
            text: text.into(),
            span: NodeSpan::default(),
        }
    }
}
