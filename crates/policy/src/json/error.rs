//! JSON syntax errors, each with a stable code and the byte offset where it was found.

use serde::Serialize;

/// What went wrong while reading JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonErrorKind {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The input ended inside a value.
    UnexpectedEof,
    /// A character that cannot start a value.
    ExpectedValue,
    /// Something other than `,` or the closing bracket after an element or member.
    ExpectedCommaOrEnd,
    /// A string was not closed before the end of the input.
    UnterminatedString,
    /// An unknown escape such as `\x`, or a malformed `\u` escape.
    InvalidEscape,
    /// A `\u` escape naming half of a surrogate pair without the other half.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// A number that does not follow JSON's grammar, such as `01` or `1.`.
    InvalidNumber,
    /// A `,` directly before `]` or `}`.
    TrailingComma,
    /// An object key that is not a string.
    ExpectedKey,
    /// A key not followed by `:`.
    ExpectedColon,
    /// Something after the top-level value.
    TrailingCharacters,
    /// Arrays and objects nested deeper than the limit.
    TooDeep,
}

impl JsonErrorKind {
    /// The stable code, e.g. `mcauth::policy::json::unexpected_eof`.
    pub const fn code(self) -> &'static str {
        match self {
            JsonErrorKind::InvalidUtf8 => "mcauth::policy::json::invalid_utf8",
            JsonErrorKind::UnexpectedEof => "mcauth::policy::json::unexpected_eof",
            JsonErrorKind::ExpectedValue => "mcauth::policy::json::expected_value",
            JsonErrorKind::ExpectedCommaOrEnd => "mcauth::policy::json::expected_comma_or_end",
            JsonErrorKind::UnterminatedString => "mcauth::policy::json::unterminated_string",
            JsonErrorKind::InvalidEscape => "mcauth::policy::json::invalid_escape",
            JsonErrorKind::LoneSurrogate => "mcauth::policy::json::lone_surrogate",
            JsonErrorKind::ControlCharacter => "mcauth::policy::json::control_character",
            JsonErrorKind::InvalidNumber => "mcauth::policy::json::invalid_number",
            JsonErrorKind::TrailingComma => "mcauth::policy::json::trailing_comma",
            JsonErrorKind::ExpectedKey => "mcauth::policy::json::expected_key",
            JsonErrorKind::ExpectedColon => "mcauth::policy::json::expected_colon",
            JsonErrorKind::TrailingCharacters => "mcauth::policy::json::trailing_characters",
            JsonErrorKind::TooDeep => "mcauth::policy::json::too_deep",
        }
    }

    /// A one-line description.
    pub const fn message(self) -> &'static str {
        match self {
            JsonErrorKind::InvalidUtf8 => "the file is not valid UTF-8",
            JsonErrorKind::UnexpectedEof => "the JSON ends too early",
            JsonErrorKind::ExpectedValue => "expected a JSON value",
            JsonErrorKind::ExpectedCommaOrEnd => "expected `,` or a closing bracket",
            JsonErrorKind::UnterminatedString => "string is not closed",
            JsonErrorKind::InvalidEscape => "invalid escape sequence in string",
            JsonErrorKind::LoneSurrogate => "\\u escape is half of a surrogate pair",
            JsonErrorKind::ControlCharacter => "raw control character in string",
            JsonErrorKind::InvalidNumber => "malformed number",
            JsonErrorKind::TrailingComma => "trailing comma",
            JsonErrorKind::ExpectedKey => "expected a string key",
            JsonErrorKind::ExpectedColon => "expected `:` after the key",
            JsonErrorKind::TrailingCharacters => "unexpected text after the JSON value",
            JsonErrorKind::TooDeep => "arrays and objects are nested too deeply",
        }
    }

    /// Advice on fixing it.
    pub const fn help(self) -> &'static str {
        match self {
            JsonErrorKind::InvalidUtf8 => "save the policy as UTF-8",
            JsonErrorKind::UnexpectedEof => {
                "the file looks truncated: close every open string, array and object"
            }
            JsonErrorKind::ExpectedValue => {
                "a value is a string, number, object, array, true, false or null"
            }
            JsonErrorKind::ExpectedCommaOrEnd => {
                "separate elements with `,` and close arrays with `]`, objects with `}`"
            }
            JsonErrorKind::UnterminatedString => "add the closing `\"`",
            JsonErrorKind::InvalidEscape => {
                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hex digits"
            }
            JsonErrorKind::LoneSurrogate => {
                "a high surrogate \\uD800-\\uDBFF must be followed by a low surrogate \\uDC00-\\uDFFF"
            }
            JsonErrorKind::ControlCharacter => "escape it, e.g. write \\n for a newline",
            JsonErrorKind::InvalidNumber => {
                "JSON numbers have no leading zeros, no leading `+` and digits after `.`"
            }
            JsonErrorKind::TrailingComma => "remove the comma",
            JsonErrorKind::ExpectedKey => "object keys must be double-quoted strings",
            JsonErrorKind::ExpectedColon => "write `\"Key\": value`",
            JsonErrorKind::TrailingCharacters => "a policy file holds exactly one JSON object",
            JsonErrorKind::TooDeep => "a RAM policy never needs this much nesting",
        }
    }
}

/// A JSON syntax error at a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// Byte offset into the input.
    pub offset: usize,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.kind.message(), self.offset)
    }
}

impl std::error::Error for JsonError {}
