//! JSON syntax errors, each with a stable code and the byte offset where it was found.

use serde::Serialize;

mcauth_codes::catalogue! {
    /// What went wrong while reading JSON. Each kind's meaning is the
    /// message its findings carry.
    pub enum JsonErrorKind in "mcauth::policy::json::" {
        /// the file is not valid UTF-8
        InvalidUtf8 => "invalid_utf8",
            help "save the policy as UTF-8";
        /// the JSON ends too early
        UnexpectedEof => "unexpected_eof",
            help "the file looks truncated: close every open string, array and object";
        /// expected a JSON value
        ExpectedValue => "expected_value",
            help "a value is a string, number, object, array, true, false or null";
        /// expected `,` or a closing bracket
        ExpectedCommaOrEnd => "expected_comma_or_end",
            help "separate elements with `,` and close arrays with `]`, objects with `}`";
        /// string is not closed
        UnterminatedString => "unterminated_string",
            help "add the closing `\"`";
        /// invalid escape sequence in string
        InvalidEscape => "invalid_escape",
            help "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hex digits";
        /// \u escape is half of a surrogate pair
        LoneSurrogate => "lone_surrogate",
            help "a high surrogate \\uD800-\\uDBFF must be followed by a low surrogate \\uDC00-\\uDFFF";
        /// raw control character in string
        ControlCharacter => "control_character",
            help "escape it, e.g. write \\n for a newline";
        /// malformed number
        InvalidNumber => "invalid_number",
            help "JSON numbers have no leading zeros, no leading `+` and digits after `.`";
        /// trailing comma
        TrailingComma => "trailing_comma",
            help "remove the comma";
        /// expected a string key
        ExpectedKey => "expected_key",
            help "object keys must be double-quoted strings";
        /// expected `:` after the key
        ExpectedColon => "expected_colon",
            help "write `\"Key\": value`";
        /// unexpected text after the JSON value
        TrailingCharacters => "trailing_characters",
            help "a policy file holds exactly one JSON object";
        /// arrays and objects are nested too deeply
        TooDeep => "too_deep",
            help "a RAM policy never needs this much nesting";
    }
}

impl JsonErrorKind {
    /// The stable code, e.g. `mcauth::policy::json::unexpected_eof`.
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// A one-line description: the kind's meaning.
    pub fn message(self) -> &'static str {
        self.meaning()
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
