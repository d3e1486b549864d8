//! A spanned JSON reader built from nom 8's complete-input parsers.
//!
//! Every error is a `nom::Err::Failure` (nothing backtracks), nesting is bounded by a depth
//! limit, and every step consumes input, so the reader runs in linear time and never
//! recurses more than `max_depth` containers deep.

use nom::bytes::complete::{tag, take_while_m_n, take_while1};
use nom::character::complete::{char, digit0, one_of};
use nom::combinator::opt;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser};

use super::error::{JsonError, JsonErrorKind};
use super::value::{Member, Node, Value};
use crate::span::{Span, Spanned};

/// How deep arrays and objects may nest by default.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Reads one JSON value from `bytes` allowing `max_depth` nested arrays and objects.
pub fn parse_with_depth(bytes: &[u8], max_depth: usize) -> Result<Node, JsonError> {
    let source = std::str::from_utf8(bytes).map_err(|e| JsonError {
        kind: JsonErrorKind::InvalidUtf8,
        offset: e.valid_up_to(),
    })?;
    parse_str(source, max_depth)
}

/// Reads one JSON value from `source` allowing `max_depth` nested arrays and objects.
/// A leading byte-order mark is skipped; spans still count it.
pub fn parse_str(source: &str, max_depth: usize) -> Result<Node, JsonError> {
    let reader = Reader {
        len: source.len(),
        max_depth,
    };
    let body = source.strip_prefix('\u{feff}').unwrap_or(source);
    reader.document(body).map_err(|err| match err {
        nom::Err::Error(e) | nom::Err::Failure(e) => JsonError {
            kind: e.kind,
            offset: reader.offset(e.rest),
        },
        nom::Err::Incomplete(_) => JsonError {
            kind: JsonErrorKind::UnexpectedEof,
            offset: source.len(),
        },
    })
}

/// The error nom carries around: where, and what.
#[derive(Debug)]
struct Fail<'a> {
    rest: &'a str,
    kind: JsonErrorKind,
}

impl<'a> ParseError<&'a str> for Fail<'a> {
    fn from_error_kind(rest: &'a str, _: ErrorKind) -> Self {
        let kind = if rest.is_empty() {
            JsonErrorKind::UnexpectedEof
        } else {
            JsonErrorKind::ExpectedValue
        };
        Fail { rest, kind }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

type Res<'a, O> = IResult<&'a str, O, Fail<'a>>;

fn fail<T>(rest: &str, kind: JsonErrorKind) -> Res<'_, T> {
    let kind = if rest.is_empty() && kind != JsonErrorKind::UnterminatedString {
        JsonErrorKind::UnexpectedEof
    } else {
        kind
    };
    Err(nom::Err::Failure(Fail { rest, kind }))
}

/// Re-labels a leaf parser's error as `kind` and makes it final.
fn expect<'a, O>(result: Res<'a, O>, kind: JsonErrorKind) -> Res<'a, O> {
    result.or_else(|e| match e {
        nom::Err::Error(f) | nom::Err::Failure(f) => fail(f.rest, kind),
        nom::Err::Incomplete(n) => Err(nom::Err::Incomplete(n)),
    })
}

struct Reader {
    len: usize,
    max_depth: usize,
}

impl Reader {
    fn offset(&self, rest: &str) -> usize {
        self.len.saturating_sub(rest.len())
    }

    fn span(&self, start: &str, rest: &str) -> Span {
        Span::new(self.offset(start), self.offset(rest))
    }

    fn document<'a>(&self, input: &'a str) -> Result<Node, nom::Err<Fail<'a>>> {
        let (rest, node) = self.value(input, 0)?;
        let (rest, _) = whitespace(rest)?;
        if rest.is_empty() {
            Ok(node)
        } else {
            Err(nom::Err::Failure(Fail {
                rest,
                kind: JsonErrorKind::TrailingCharacters,
            }))
        }
    }

    fn value<'a>(&self, input: &'a str, depth: usize) -> Res<'a, Node> {
        let (input, _) = whitespace(input)?;
        let (rest, value) = match input.as_bytes().first() {
            None => return fail(input, JsonErrorKind::UnexpectedEof),
            Some(b'{') => self.object(input, depth)?,
            Some(b'[') => self.array(input, depth)?,
            Some(b'"') => {
                let (rest, s) = string(input)?;
                (rest, Value::String(s))
            }
            Some(b't') => literal(input, "true", Value::Bool(true))?,
            Some(b'f') => literal(input, "false", Value::Bool(false))?,
            Some(b'n') => literal(input, "null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => {
                let (rest, n) = number(input)?;
                (rest, Value::Number(n.to_owned()))
            }
            Some(_) => return fail(input, JsonErrorKind::ExpectedValue),
        };
        let span = self.span(input, rest);
        Ok((rest, Node { value, span }))
    }

    fn enter<'a>(&self, input: &'a str, depth: usize) -> Res<'a, usize> {
        if depth >= self.max_depth {
            return fail(input, JsonErrorKind::TooDeep);
        }
        Ok((input, depth + 1))
    }

    fn array<'a>(&self, input: &'a str, depth: usize) -> Res<'a, Value> {
        let (_, depth) = self.enter(input, depth)?;
        let (mut rest, _) = char('[').parse(input)?;
        let mut items = Vec::new();
        loop {
            let (after_ws, _) = whitespace(rest)?;
            if let Ok((after, _)) = char::<_, Fail>(']').parse(after_ws) {
                if !items.is_empty() {
                    return fail(after_ws, JsonErrorKind::TrailingComma);
                }
                return Ok((after, Value::Array(items)));
            }
            let (after, item) = self.value(after_ws, depth)?;
            items.push(item);
            let (after, _) = whitespace(after)?;
            let (after, sep) =
                expect(one_of(",]").parse(after), JsonErrorKind::ExpectedCommaOrEnd)?;
            if sep == ']' {
                return Ok((after, Value::Array(items)));
            }
            rest = after;
        }
    }

    fn object<'a>(&self, input: &'a str, depth: usize) -> Res<'a, Value> {
        let (_, depth) = self.enter(input, depth)?;
        let (mut rest, _) = char('{').parse(input)?;
        let mut members = Vec::new();
        loop {
            let (key_start, _) = whitespace(rest)?;
            if let Ok((after, _)) = char::<_, Fail>('}').parse(key_start) {
                if !members.is_empty() {
                    return fail(key_start, JsonErrorKind::TrailingComma);
                }
                return Ok((after, Value::Object(members)));
            }
            if !key_start.starts_with('"') {
                return fail(key_start, JsonErrorKind::ExpectedKey);
            }
            let (after_key, key) = string(key_start)?;
            let key = Spanned::new(key, self.span(key_start, after_key));
            let (after, _) = whitespace(after_key)?;
            let (after, _) = expect(char(':').parse(after), JsonErrorKind::ExpectedColon)?;
            let (after, value) = self.value(after, depth)?;
            members.push(Member { key, value });
            let (after, _) = whitespace(after)?;
            let (after, sep) =
                expect(one_of(",}").parse(after), JsonErrorKind::ExpectedCommaOrEnd)?;
            if sep == '}' {
                return Ok((after, Value::Object(members)));
            }
            rest = after;
        }
    }
}

fn whitespace(input: &str) -> Res<'_, &str> {
    // Byte by byte: white space is ASCII, so the cut is on a character boundary.
    let n = input
        .bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(input.len());
    let (space, rest) = input.split_at(n);
    Ok((rest, space))
}

fn literal<'a>(input: &'a str, word: &'static str, value: Value) -> Res<'a, Value> {
    if input.len() < word.len() && word.starts_with(input) {
        // A prefix of the word at the very end: the input was cut short.
        return fail(&input[input.len()..], JsonErrorKind::UnexpectedEof);
    }
    let (rest, _) = expect(tag(word).parse(input), JsonErrorKind::ExpectedValue)?;
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return fail(input, JsonErrorKind::ExpectedValue);
    }
    Ok((rest, value))
}

/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
fn number(input: &str) -> Res<'_, &str> {
    let (rest, _) = opt(char('-')).parse(input)?;
    let (rest, first) = expect(
        take_while_m_n(1, 1, |c: char| c.is_ascii_digit()).parse(rest),
        JsonErrorKind::InvalidNumber,
    )?;
    let (rest, more) = digit0(rest)?;
    if first == "0" && !more.is_empty() {
        return fail(input, JsonErrorKind::InvalidNumber);
    }
    let (rest, dot) = opt(char('.')).parse(rest)?;
    let rest = match dot {
        Some(_) => digits(rest)?.0,
        None => rest,
    };
    let (rest, exp) = opt(one_of("eE")).parse(rest)?;
    let rest = match exp {
        Some(_) => {
            let (rest, _) = opt(one_of("+-")).parse(rest)?;
            digits(rest)?.0
        }
        None => rest,
    };
    let used = input.len() - rest.len();
    match input.get(..used) {
        Some(text) => Ok((rest, text)),
        None => fail(input, JsonErrorKind::InvalidNumber),
    }
}

fn digits(input: &str) -> Res<'_, &str> {
    expect(
        take_while1(|c: char| c.is_ascii_digit()).parse(input),
        JsonErrorKind::InvalidNumber,
    )
}

/// A double-quoted string with escapes decoded. `input` starts at the opening quote.
fn string(input: &str) -> Res<'_, String> {
    let (mut rest, _) = char('"').parse(input)?;
    let mut out = String::new();
    loop {
        // The bytes that end a chunk are ASCII, so the cut is on a character boundary.
        let stop = rest
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < b' ')
            .unwrap_or(rest.len());
        let (chunk, after) = rest.split_at(stop);
        out.push_str(chunk);
        match after.as_bytes().first() {
            None => return fail(input, JsonErrorKind::UnterminatedString),
            Some(b'"') => {
                let (after, _) = char('"').parse(after)?;
                return Ok((after, out));
            }
            Some(b'\\') => {
                let (after, c) = escape(after)?;
                out.push(c);
                rest = after;
            }
            Some(_) => return fail(after, JsonErrorKind::ControlCharacter),
        }
    }
}

/// One escape sequence; `input` starts at the backslash.
fn escape(input: &str) -> Res<'_, char> {
    let (rest, _) = char('\\').parse(input)?;
    let (rest, kind) = expect(
        one_of("\"\\/bfnrtu").parse(rest),
        JsonErrorKind::InvalidEscape,
    )
    .map_err(|e| at(e, input))?;
    let simple = match kind {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        _ => return unicode_escape(input, rest),
    };
    Ok((rest, simple))
}

/// Moves an error to `input`, the start of the construct that failed.
fn at<'a>(e: nom::Err<Fail<'a>>, input: &'a str) -> nom::Err<Fail<'a>> {
    e.map(|f| Fail {
        rest: if f.rest.is_empty() { f.rest } else { input },
        kind: f.kind,
    })
}

/// The four hex digits after `\u`, and a second `\uXXXX` for a surrogate pair.
fn unicode_escape<'a>(start: &'a str, rest: &'a str) -> Res<'a, char> {
    let (rest, high) = hex4(rest).map_err(|e| at(e, start))?;
    match high {
        0xD800..=0xDBFF => {
            let low = (tag("\\u"), hex4).parse(rest);
            match low {
                Ok((after, (_, low @ 0xDC00..=0xDFFF))) => {
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    match char::from_u32(code) {
                        Some(c) => Ok((after, c)),
                        None => fail(start, JsonErrorKind::LoneSurrogate),
                    }
                }
                _ => fail(start, JsonErrorKind::LoneSurrogate),
            }
        }
        0xDC00..=0xDFFF => fail(start, JsonErrorKind::LoneSurrogate),
        _ => match char::from_u32(high) {
            Some(c) => Ok((rest, c)),
            None => fail(start, JsonErrorKind::InvalidEscape),
        },
    }
}

fn hex4(input: &str) -> Res<'_, u32> {
    let (rest, digits) = expect(
        take_while_m_n(4, 4, |c: char| c.is_ascii_hexdigit()).parse(input),
        JsonErrorKind::InvalidEscape,
    )?;
    match u32::from_str_radix(digits, 16) {
        Ok(v) => Ok((rest, v)),
        Err(_) => fail(input, JsonErrorKind::InvalidEscape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one JSON value from `bytes` with the default depth limit.
    fn parse(bytes: &[u8]) -> Result<Node, JsonError> {
        parse_with_depth(bytes, DEFAULT_MAX_DEPTH)
    }

    fn ok(src: &str) -> Node {
        match parse(src.as_bytes()) {
            Ok(node) => node,
            Err(e) => panic!("{src:?} should parse: {e}"),
        }
    }

    fn err(src: &[u8]) -> JsonError {
        match parse(src) {
            Ok(node) => panic!("{src:?} should fail, got {node:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(ok("true").value, Value::Bool(true));
        assert_eq!(ok(" false ").value, Value::Bool(false));
        assert_eq!(ok("null").value, Value::Null);
        assert_eq!(ok("-12.5e+3").value, Value::Number("-12.5e+3".into()));
        assert_eq!(ok("0").value, Value::Number("0".into()));
        assert_eq!(ok(r#""a\"b""#).value, Value::String("a\"b".into()));
    }

    #[test]
    fn spans_cover_values_and_keys() {
        let src = r#"{ "Key" : [1, "x"] }"#;
        let node = ok(src);
        assert_eq!(node.span, Span::new(0, src.len()));
        let Value::Object(members) = node.value else {
            panic!("object expected");
        };
        let member = &members[0];
        assert_eq!(&src[member.key.span.start..member.key.span.end], "\"Key\"");
        assert_eq!(
            &src[member.value.span.start..member.value.span.end],
            "[1, \"x\"]"
        );
        let Value::Array(items) = &member.value.value else {
            panic!("array expected");
        };
        assert_eq!(&src[items[1].span.start..items[1].span.end], "\"x\"");
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let Value::Object(members) = ok(r#"{"a":1,"a":2}"#).value else {
            panic!("object expected");
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn escapes_decode() {
        assert_eq!(
            ok(r#""\n\t\/\\\u00e9\ud83d\ude00""#).value,
            Value::String("\n\t/\\é😀".into())
        );
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let node = ok("\u{feff}{}");
        assert_eq!(node.span.start, 3);
    }

    #[test]
    fn truncated_inputs_report_end_of_input() {
        for src in ["", "{", "[1,", "{\"a\"", "{\"a\":", "[1", "tru", "-"] {
            let e = err(src.as_bytes());
            assert_eq!(e.kind, JsonErrorKind::UnexpectedEof, "{src:?}");
            assert_eq!(e.offset, src.len(), "{src:?}");
        }
    }

    #[test]
    fn unterminated_string_points_at_its_quote() {
        let e = err(b"[ \"abc");
        assert_eq!(e.kind, JsonErrorKind::UnterminatedString);
        assert_eq!(e.offset, 2);
    }

    #[test]
    fn syntax_errors_carry_kind_and_offset() {
        let cases: &[(&str, JsonErrorKind, usize)] = &[
            ("[1,]", JsonErrorKind::TrailingComma, 3),
            ("{\"a\":1,}", JsonErrorKind::TrailingComma, 7),
            ("{a:1}", JsonErrorKind::ExpectedKey, 1),
            ("{\"a\" 1}", JsonErrorKind::ExpectedColon, 5),
            ("[1 2]", JsonErrorKind::ExpectedCommaOrEnd, 3),
            ("01", JsonErrorKind::InvalidNumber, 0),
            ("1.", JsonErrorKind::UnexpectedEof, 2),
            ("1.x", JsonErrorKind::InvalidNumber, 2),
            ("1e", JsonErrorKind::UnexpectedEof, 2),
            ("+1", JsonErrorKind::ExpectedValue, 0),
            ("\"\\x\"", JsonErrorKind::InvalidEscape, 1),
            ("\"\\u12\"", JsonErrorKind::InvalidEscape, 1),
            ("\"\\ud800\"", JsonErrorKind::LoneSurrogate, 1),
            ("\"\\udc00\"", JsonErrorKind::LoneSurrogate, 1),
            ("\"a\u{1}\"", JsonErrorKind::ControlCharacter, 2),
            ("{} {}", JsonErrorKind::TrailingCharacters, 3),
            ("truex", JsonErrorKind::ExpectedValue, 0),
            ("@", JsonErrorKind::ExpectedValue, 0),
        ];
        for (src, kind, offset) in cases {
            let e = err(src.as_bytes());
            assert_eq!((e.kind, e.offset), (*kind, *offset), "{src:?}");
        }
    }

    #[test]
    fn invalid_utf8_reports_the_byte_offset() {
        let e = err(b"{\"a\": \"\xff\"}");
        assert_eq!(e.kind, JsonErrorKind::InvalidUtf8);
        assert_eq!(e.offset, 7);
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let src = "[".repeat(100_000);
        let e = err(src.as_bytes());
        assert_eq!(e.kind, JsonErrorKind::TooDeep);
        assert_eq!(e.offset, DEFAULT_MAX_DEPTH);
        let nested = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(nested.as_bytes()).is_ok());
        let objects = "{\"a\":".repeat(200);
        assert_eq!(err(objects.as_bytes()).kind, JsonErrorKind::TooDeep);
    }

    #[test]
    fn fifty_megabytes_parse() {
        let item = format!("\"{}\"", "x".repeat(98));
        let count = 50 * 1024 * 1024 / (item.len() + 1);
        let mut src = String::with_capacity(50 * 1024 * 1024 + 16);
        src.push('[');
        for i in 0..count {
            if i > 0 {
                src.push(',');
            }
            src.push_str(&item);
        }
        src.push(']');
        let node = ok(&src);
        let Value::Array(items) = node.value else {
            panic!("array expected");
        };
        assert_eq!(items.len(), count);
        let truncated = &src.as_bytes()[..src.len() - 1];
        assert_eq!(err(truncated).kind, JsonErrorKind::UnexpectedEof);
    }
}
