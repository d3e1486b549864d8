//! The lexer: turns source text into tokens, with nom.
//!
//! The token rules are the SDK lexer's (docs/language.md#lexical-rules): `--` comments
//! anywhere outside quotes, `#` comments at the start of a line, back-quoted
//! identifiers where a doubled backtick escapes one, `'…'` and `"…"` strings
//! with backslash escapes, and the full-width `；，（）` as punctuation.
//!
//! A *word* is a maximal run of identifier characters plus the characters
//! that glue principal and object names together (`$ @ . : - * ? / #`), so
//! `RAM$acct@aliyun.com:ram_test`, `p.s.t` and `tb_*` are each one token and
//! the parser decides what a word means from where it stands.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_till},
    character::complete::{anychar, char},
    combinator::{map, recognize, value},
    sequence::preceded,
};

use std::borrow::Cow;

use crate::keywords::Kw;
use crate::span::Span;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word: keyword, name, principal, object name or number.
    Word,
    /// A back-quoted identifier (the span includes the backticks).
    Quoted,
    /// A `'…'` or `"…"` string literal (the span includes the quotes).
    Str,
    /// `,`.
    Comma,
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `=`.
    Eq,
    /// `;` or the full-width `；`.
    Semi,
    /// `--…` or `#…` up to the end of the line.
    Comment,
    /// A back-quoted identifier with no closing backtick.
    UnterminatedQuoted,
    /// A string with no closing quote.
    UnterminatedStr,
    /// A character no rule accepts.
    Other,
}

/// One token of a source text, as the [`Lexer`] yields it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Where it is in the source.
    pub span: Span,
}

impl Token {
    /// The token's text in `source`, the text it was lexed from.
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.span.range()).unwrap_or("")
    }
}

/// A token as the parser sees it: a [`Token`] and, for a word, the keyword
/// it is, found once when it is lexed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: TokenKind,
    /// [`Kw::NONE`] unless this is a word that is a keyword.
    pub kw: Kw,
    pub span: Span,
}

impl Tok {
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.span.range()).unwrap_or("")
    }
}

/// Characters that may appear inside a word.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '$' | '@' | '.' | ':' | '-' | '*' | '?' | '/' | '#')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Characters of a plain identifier (role, project, package names…).
#[inline]
pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) || c == '_' || c == '$'
}

/// The byte-order mark, U+FEFF.
pub const BOM: char = '\u{feff}';

/// An iterator over the tokens of a source text, comments included.
pub struct Lexer<'s> {
    source: &'s str,
    offset: usize,
    at_line_start: bool,
    /// Where the statement being read started, once it has grown past
    /// [`MAX_STATEMENT_TOKENS`]: its tokens are no longer kept.
    too_long: Option<usize>,
    /// Whether comments' spans are collected (`fmt` needs them; streaming
    /// readers do not, and a file of nothing but comments would fill
    /// memory with them).
    keep_comments: bool,
}

/// The most tokens one statement may have. Real statements have a few
/// dozen (a grant naming 30,000 columns has 60,000); the cap keeps a
/// hostile input (16 MB of `(`) from costing memory in proportion to it.
pub const MAX_STATEMENT_TOKENS: usize = 1 << 16;

impl<'s> Lexer<'s> {
    /// A UTF-8 byte-order mark at the very start (Windows editors write
    /// one) is skipped; spans stay offsets into `source` as given.
    pub fn new(source: &'s str) -> Self {
        Lexer {
            source,
            offset: if source.starts_with(BOM) {
                BOM.len_utf8()
            } else {
                0
            },
            at_line_start: true,
            too_long: None,
            keep_comments: true,
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let (kind, start, end) = self.scan()?;
        Some(Token {
            kind,
            span: Span::new(start, end),
        })
    }
}

impl Lexer<'_> {
    /// Stops collecting comments' spans.
    pub(crate) fn skip_comments(mut self) -> Self {
        self.keep_comments = false;
        self
    }

    /// After [`Lexer::statement_tokens`]: the span of the statement it
    /// read when that had more than [`MAX_STATEMENT_TOKENS`] tokens (its
    /// tokens were not kept), and forgets it.
    pub(crate) fn take_too_long(&mut self, chunk: &[Tok]) -> Option<Span> {
        let start = self.too_long.take()?;
        let end = chunk.last().map_or(start, |t| t.span.end);
        Some(Span::new(start, end))
    }

    /// Reads the tokens before the next `;` (which it consumes) into
    /// `chunk`, with the keyword of each word, and the spans of comments
    /// into `comments`. Returns whether a `;` ended the chunk, rather than
    /// the end of the source.
    #[inline]
    pub(crate) fn statement_tokens(
        &mut self,
        chunk: &mut Vec<Tok>,
        comments: &mut Vec<Span>,
    ) -> bool {
        let source = self.source;
        let bytes = source.as_bytes();
        // The common bytes are handled here, with the position in a local;
        // the rest go through `scan`, which `next` uses too.
        let mut at = self.offset;
        let mut at_line_start = self.at_line_start;
        loop {
            if chunk.len() >= MAX_STATEMENT_TOKENS {
                // Too long to be a statement: remember where it started,
                // drop its tokens, and read on to its `;`.
                if self.too_long.is_none() {
                    self.too_long = chunk.first().map(|t| t.span.start);
                }
                chunk.truncate(1);
            }
            let Some(&b) = bytes.get(at) else {
                self.offset = at;
                self.at_line_start = at_line_start;
                return false;
            };
            match CLASS[b as usize] {
                WORD => {
                    let end = word_end(source, at + 1);
                    chunk.push(Tok {
                        kind: TokenKind::Word,
                        kw: Kw::at(bytes, at, end),
                        span: Span::new(at, end),
                    });
                    at = end;
                    at_line_start = false;
                    continue;
                }
                SPACE => {
                    at += 1;
                    continue;
                }
                NEWLINE => {
                    at_line_start = true;
                    at += 1;
                    continue;
                }
                PUNCT => {
                    at_line_start = false;
                    if b == b';' {
                        self.offset = at + 1;
                        self.at_line_start = false;
                        return true;
                    }
                    chunk.push(Tok {
                        kind: punct_kind(b),
                        kw: Kw::NONE,
                        span: Span::new(at, at + 1),
                    });
                    at += 1;
                    continue;
                }
                _ => {}
            }
            self.offset = at;
            self.at_line_start = at_line_start;
            let Some((kind, start, end)) = self.scan() else {
                return false;
            };
            at = self.offset;
            at_line_start = self.at_line_start;
            let span = Span::new(start, end);
            let kw = match kind {
                TokenKind::Word => Kw::at(bytes, start, end),
                TokenKind::Semi => return true,
                TokenKind::Comment => {
                    if self.keep_comments {
                        comments.push(span);
                    }
                    continue;
                }
                _ => Kw::NONE,
            };
            chunk.push(Tok { kind, kw, span });
        }
    }

    /// The next token's kind, start and end.
    ///
    /// The bytes that start most tokens (ASCII words, white space and
    /// single-byte punctuation) are scanned here, byte by byte through a
    /// class table; the rest (comments, quotes, strings, full-width
    /// punctuation, stray characters) go to the nom rules of `lex_token`.
    #[inline(always)]
    fn scan(&mut self) -> Option<(TokenKind, usize, usize)> {
        let source = self.source;
        let bytes = source.as_bytes();
        let mut start = self.offset;
        let first = loop {
            let &b = bytes.get(start)?;
            match CLASS[b as usize] {
                SPACE => start += 1,
                NEWLINE => {
                    self.at_line_start = true;
                    start += 1;
                }
                NON_ASCII => match non_ascii_space_len(source, start) {
                    0 => break b,
                    len => start += len,
                },
                _ => break b,
            }
        };
        let at_line_start = std::mem::replace(&mut self.at_line_start, false);
        let (kind, end) = match CLASS[first as usize] {
            WORD => (TokenKind::Word, word_end(source, start + 1)),
            PUNCT => (punct_kind(first), start + 1),
            HASH if at_line_start => (TokenKind::Comment, line_end(bytes, start)),
            HASH => (TokenKind::Word, word_end(source, start + 1)),
            DASH if bytes.get(start + 1) != Some(&b'-') => {
                (TokenKind::Word, word_end(source, start + 1))
            }
            _ => {
                let (kind, len) = lex_token(source.get(start..).unwrap_or(""));
                (kind, start + len)
            }
        };
        self.offset = end;
        Some((kind, start, end))
    }
}

/// Byte classes for the lexer's first-byte dispatch.
const OTHER: u8 = 0;
/// An ASCII word byte other than `-` and `#`.
const WORD: u8 = 1;
const SPACE: u8 = 2;
const NEWLINE: u8 = 3;
const DASH: u8 = 4;
const HASH: u8 = 5;
/// `;` `,` `(` `)` `=`.
const PUNCT: u8 = 6;
const NON_ASCII: u8 = 7;

const CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b'-' => DASH,
            b'#' => HASH,
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => SPACE,
            b'\n' => NEWLINE,
            b';' | b',' | b'(' | b')' | b'=' => PUNCT,
            _ if c >= 0x80 => NON_ASCII,
            _ if WORD_BYTES[b] => WORD,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

fn punct_kind(b: u8) -> TokenKind {
    match b {
        b';' => TokenKind::Semi,
        b',' => TokenKind::Comma,
        b'(' => TokenKind::LParen,
        b')' => TokenKind::RParen,
        _ => TokenKind::Eq,
    }
}

/// The byte length of the white-space character at `at`, a non-ASCII
/// byte, or 0 if it is not white space. (U+3000 and friends are rare.)
#[cold]
fn non_ascii_space_len(source: &str, at: usize) -> usize {
    match source.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) if c.is_whitespace() => c.len_utf8(),
        _ => 0,
    }
}

/// Which bytes may appear in a word (all ASCII: non-ASCII letters and
/// digits are checked apart). `-` is left out: a word ends where `--`
/// begins, so a dash is looked at with its neighbour.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'_' | b'$' | b'@' | b'.' | b':' | b'*' | b'?' | b'/' | b'#'
            );
        b += 1;
    }
    table
};

/// Where the word that runs through `at` ends: after the last word
/// character, or where a `--` comment begins.
#[inline(always)]
fn word_end(source: &str, mut at: usize) -> usize {
    let bytes = source.as_bytes();
    loop {
        at += word_bytes_len(bytes.get(at..).unwrap_or_default());
        match bytes.get(at) {
            Some(b'-') if bytes.get(at + 1) != Some(&b'-') => at += 1,
            Some(&b) if b >= 0x80 => match non_ascii_word_char_len(source, at) {
                0 => return at,
                len => at += len,
            },
            _ => return at,
        }
    }
}

/// The length of the run of [`WORD_BYTES`] that `bytes` starts with,
/// looked up eight at a time while eight remain (a branch per byte, but no
/// loop bookkeeping).
#[inline(always)]
fn word_bytes_len(bytes: &[u8]) -> usize {
    let (blocks, rest) = bytes.as_chunks::<8>();
    for (i, block) in blocks.iter().enumerate() {
        for (j, &b) in block.iter().enumerate() {
            if !WORD_BYTES[b as usize] {
                return i * 8 + j;
            }
        }
    }
    blocks.len() * 8
        + rest
            .iter()
            .position(|&b| !WORD_BYTES[b as usize])
            .unwrap_or(rest.len())
}

/// The byte length of the letter or digit at `at`, a non-ASCII byte, or 0
/// if it is neither.
#[cold]
fn non_ascii_word_char_len(source: &str, at: usize) -> usize {
    match source.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) if c.is_alphanumeric() => c.len_utf8(),
        _ => 0,
    }
}

/// Where the line that `at` is on ends (before its `\n`).
fn line_end(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
}

/// Lexes one token at the start of a non-empty, non-space input and returns
/// its kind and byte length. Never fails: unknown characters become `Other`.
/// The first byte picks the rule, so each token runs one nom parser. The
/// rules for comments, quotes and strings run over bytes: every byte they
/// stop at is ASCII, so they always stop on a character boundary.
fn lex_token(input: &str) -> (TokenKind, usize) {
    let bytes = input.as_bytes();
    let first = bytes.first().copied().unwrap_or(0);
    let parsed: IResult<&[u8], TokenKind> = match first {
        b'-' if bytes.get(1) == Some(&b'-') => value(
            TokenKind::Comment,
            recognize(preceded(tag(&b"--"[..]), take_till(|b| b == b'\n'))),
        )
        .parse_complete(bytes),
        b'`' => quoted_identifier(bytes),
        b'\'' | b'"' => string_literal(bytes),
        b';' => Ok((&bytes[1..], TokenKind::Semi)),
        b',' => Ok((&bytes[1..], TokenKind::Comma)),
        b'(' => Ok((&bytes[1..], TokenKind::LParen)),
        b')' => Ok((&bytes[1..], TokenKind::RParen)),
        b'=' => Ok((&bytes[1..], TokenKind::Eq)),
        _ => {
            let parsed = alt((
                word,
                map(
                    alt((char('；'), char('，'), char('（'), char('）'))),
                    |c| match c {
                        '；' => TokenKind::Semi,
                        '，' => TokenKind::Comma,
                        '（' => TokenKind::LParen,
                        _ => TokenKind::RParen,
                    },
                ),
                value(TokenKind::Other, anychar),
            ))
            .parse_complete(input);
            return match parsed {
                Ok((rest, kind)) => (kind, input.len() - rest.len()),
                // `anychar` only fails on empty input, which the caller
                // rules out.
                Err(_) => (
                    TokenKind::Other,
                    input.chars().next().map_or(0, char::len_utf8),
                ),
            };
        }
    };
    match parsed {
        Ok((rest, kind)) => (kind, bytes.len() - rest.len()),
        // The rules above only fail on input they were not picked for.
        Err(_) => (TokenKind::Other, 1),
    }
}

/// A word, cut short where a `--` comment begins.
fn word(input: &str) -> IResult<&str, TokenKind> {
    match word_end(input, 0) {
        0 => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::TakeWhile1,
        ))),
        len => Ok((input.get(len..).unwrap_or(""), TokenKind::Word)),
    }
}

/// `` `…` `` where ``` `` ``` stands for one backtick.
fn quoted_identifier(input: &[u8]) -> IResult<&[u8], TokenKind> {
    let (mut rest, _) = tag(&b"`"[..]).parse_complete(input)?;
    loop {
        let (after, _) = take_till(|b| b == b'`').parse_complete(rest)?;
        match after {
            [] => return Ok(unterminated(input, TokenKind::UnterminatedQuoted)),
            // `after` starts with a backtick.
            [_, b'`', doubled @ ..] => rest = doubled,
            [_, next @ ..] => return Ok((next, TokenKind::Quoted)),
        }
    }
}

/// `'…'` or `"…"` with backslash escapes.
fn string_literal(input: &[u8]) -> IResult<&[u8], TokenKind> {
    let (mut rest, quote) = alt((tag(&b"'"[..]), tag(&b"\""[..]))).parse_complete(input)?;
    let quote = quote.first().copied().unwrap_or(b'\'');
    loop {
        let (after, _) = take_till(|b| b == quote || b == b'\\').parse_complete(rest)?;
        match after {
            [] | [b'\\'] => return Ok(unterminated(input, TokenKind::UnterminatedStr)),
            // A backslash escapes the next byte; should that byte start a
            // longer character, its other bytes are never `\` or a quote.
            [b'\\', _, more @ ..] => rest = more,
            [_, next @ ..] => return Ok((next, TokenKind::Str)),
        }
    }
}

/// An unclosed quote: the token runs to the end of its line, so that one
/// stray quote does not swallow (and hide the errors of) the whole script.
fn unterminated(input: &[u8], kind: TokenKind) -> (&[u8], TokenKind) {
    let len = line_end(input, 0);
    (&input[len..], kind)
}

/// The value of a back-quoted identifier token's text (with its backticks).
pub fn unquote_identifier(text: &str) -> String {
    unquote(text).into_owned()
}

/// [`unquote_identifier`], borrowing from `text` unless a backtick was
/// doubled.
pub fn unquote(text: &str) -> Cow<'_, str> {
    let inner = text.strip_prefix('`').unwrap_or(text);
    let inner = inner.strip_suffix('`').unwrap_or(inner);
    if inner.contains('`') {
        Cow::Owned(inner.replace("``", "`"))
    } else {
        Cow::Borrowed(inner)
    }
}

/// The value of a string literal token's text (with its quotes).
pub fn unescape_string(text: &str) -> String {
    // The usual case: quoted at both ends by the same ASCII quote, and no
    // backslash; the body is copied as it is.
    if let [quote @ (b'\'' | b'"'), body @ .., last] = text.as_bytes()
        && last == quote
        && !body.contains(&b'\\')
    {
        return text.get(1..text.len() - 1).unwrap_or_default().to_owned();
    }
    let mut chars = text.chars();
    let quote = chars.next();
    let body = chars.as_str();
    let body = match quote {
        Some(q) => body.strip_suffix(q).unwrap_or(body),
        None => body,
    };
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(src).map(|t| (t.kind, t.text(src))).collect()
    }

    #[test]
    fn principals_and_object_names_are_single_words() {
        use TokenKind::*;
        assert_eq!(
            kinds("add user RAM$acct@aliyun.com:ram_test;"),
            vec![
                (Word, "add"),
                (Word, "user"),
                (Word, "RAM$acct@aliyun.com:ram_test"),
                (Semi, ";")
            ]
        );
        assert_eq!(kinds("on table p.s.t(c1,c2)")[2], (Word, "p.s.t"));
        assert_eq!(kinds("tb_*")[0], (Word, "tb_*"));
    }

    #[test]
    fn comments() {
        use TokenKind::*;
        assert_eq!(
            kinds("list users; -- who\n# whole line\nwhoami#x"),
            vec![
                (Word, "list"),
                (Word, "users"),
                (Semi, ";"),
                (Comment, "-- who"),
                (Comment, "# whole line"),
                (Word, "whoami#x"),
            ]
        );
        // `--` ends a word.
        assert_eq!(kinds("users--x"), vec![(Word, "users"), (Comment, "--x")]);
        // `#` after other text on the same line is not a comment.
        assert_eq!(kinds("a #b")[1], (Word, "#b"));
    }

    #[test]
    fn quotes_and_escapes() {
        use TokenKind::*;
        assert_eq!(kinds("`a``b;c`")[0], (Quoted, "`a``b;c`"));
        assert_eq!(unquote_identifier("`a``b;c`"), "a`b;c");
        assert_eq!(
            kinds(r#""x\"y;" 'z'"#),
            vec![(Str, r#""x\"y;""#), (Str, "'z'")]
        );
        assert_eq!(unescape_string(r#""x\"y\n""#), "x\"y\n");
    }

    #[test]
    fn unterminated_quotes_stop_at_the_end_of_the_line() {
        use TokenKind::*;
        assert_eq!(
            kinds("'abc;\nlist users;"),
            vec![
                (UnterminatedStr, "'abc;"),
                (Word, "list"),
                (Word, "users"),
                (Semi, ";")
            ]
        );
        assert_eq!(kinds("`abc")[0], (UnterminatedQuoted, "`abc"));
        assert_eq!(kinds("'ab\\")[0], (UnterminatedStr, "'ab\\"));
    }

    #[test]
    fn full_width_punctuation() {
        use TokenKind::*;
        assert_eq!(
            kinds("list users；grant a，b（c）"),
            vec![
                (Word, "list"),
                (Word, "users"),
                (Semi, "；"),
                (Word, "grant"),
                (Word, "a"),
                (Comma, "，"),
                (Word, "b"),
                (LParen, "（"),
                (Word, "c"),
                (RParen, "）"),
            ]
        );
    }

    #[test]
    fn odd_characters_are_single_tokens() {
        use TokenKind::*;
        assert_eq!(
            kinds("a\0!"),
            vec![(Word, "a"), (Other, "\0"), (Other, "!")]
        );
    }
}
