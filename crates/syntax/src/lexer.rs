//! The lexer: turns source text into tokens, with nom.
//!
//! The token rules are the SDK lexer's (dsl-reference.md §1): `--` comments
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
    bytes::complete::{tag, take_till, take_while},
    character::complete::{anychar, char},
    combinator::{map, recognize, value},
    sequence::preceded,
};

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word: keyword, name, principal, object name or number.
    Word,
    /// A back-quoted identifier (the span includes the backticks).
    Quoted,
    /// A `'…'` or `"…"` string literal (the span includes the quotes).
    Str,
    Comma,
    LParen,
    RParen,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
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

/// An iterator over the tokens of a source text, comments included.
pub struct Lexer<'s> {
    source: &'s str,
    offset: usize,
    at_line_start: bool,
}

impl<'s> Lexer<'s> {
    pub fn new(source: &'s str) -> Self {
        Lexer {
            source,
            offset: 0,
            at_line_start: true,
        }
    }

    /// The byte offset of the next unread character.
    pub fn offset(&self) -> usize {
        self.offset
    }

    fn rest(&self) -> &'s str {
        self.source.get(self.offset..).unwrap_or("")
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let rest = self.rest();
        let trimmed = skip_space(rest, &mut self.at_line_start);
        self.offset += rest.len() - trimmed.len();
        if trimmed.is_empty() {
            return None;
        }
        let (kind, len) = if self.at_line_start && trimmed.starts_with('#') {
            (TokenKind::Comment, line_len(trimmed))
        } else {
            lex_token(trimmed)
        };
        let start = self.offset;
        self.offset += len;
        self.at_line_start = false;
        Some(Token {
            kind,
            span: Span::new(start, start + len),
        })
    }
}

/// Skips leading white space, noting whether it crossed a line break.
fn skip_space<'a>(input: &'a str, crossed_newline: &mut bool) -> &'a str {
    let bytes = input.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                *crossed_newline = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b if b.is_ascii() => break,
            _ => {
                // Non-ASCII white space (U+3000 and friends) is rare: decode.
                let rest = &input[i..];
                match rest.chars().next() {
                    Some(c) if c.is_whitespace() => i += c.len_utf8(),
                    _ => break,
                }
            }
        }
    }
    &input[i..]
}

/// Which ASCII bytes may appear in a word.
const WORD_BYTES: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'_' | b'$' | b'@' | b'.' | b':' | b'-' | b'*' | b'?' | b'/' | b'#'
            );
        b += 1;
    }
    table
};

/// The byte length of the run of word characters at the start of `input`.
fn word_len(input: &str) -> usize {
    let bytes = input.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !WORD_BYTES[b as usize] {
                break;
            }
            i += 1;
        } else {
            match input[i..].chars().next() {
                Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

fn line_len(s: &str) -> usize {
    s.find('\n').unwrap_or(s.len())
}

/// Lexes one token at the start of a non-empty, non-space input and returns
/// its kind and byte length. Never fails: unknown characters become `Other`.
/// The first byte picks the rule, so each token runs one nom parser.
fn lex_token(input: &str) -> (TokenKind, usize) {
    let first = input.as_bytes().first().copied().unwrap_or(0);
    let parsed: IResult<&str, TokenKind> = match first {
        b'-' if input.as_bytes().get(1) == Some(&b'-') => value(
            TokenKind::Comment,
            recognize(preceded(tag("--"), take_till(|c| c == '\n'))),
        )
        .parse_complete(input),
        b'`' => quoted_identifier(input),
        b'\'' | b'"' => string_literal(input),
        b';' => Ok((&input[1..], TokenKind::Semi)),
        b',' => Ok((&input[1..], TokenKind::Comma)),
        b'(' => Ok((&input[1..], TokenKind::LParen)),
        b')' => Ok((&input[1..], TokenKind::RParen)),
        b'=' => Ok((&input[1..], TokenKind::Eq)),
        b if b.is_ascii() && WORD_BYTES[b as usize] => word(input),
        _ => alt((
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
        .parse_complete(input),
    };
    match parsed {
        Ok((rest, kind)) => (kind, input.len() - rest.len()),
        // `anychar` only fails on empty input, which the caller rules out.
        Err(_) => (
            TokenKind::Other,
            input.chars().next().map_or(0, char::len_utf8),
        ),
    }
}

/// A word, cut short where a `--` comment begins.
fn word(input: &str) -> IResult<&str, TokenKind> {
    let taken = &input[..word_len(input)];
    let bytes = taken.as_bytes();
    let len = match memchr_dash_dash(bytes) {
        Some(i) => i,
        None => bytes.len(),
    };
    if len == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::TakeWhile1,
        )));
    }
    Ok((&input[len..], TokenKind::Word))
}

/// Where `--` first occurs, if it does.
fn memchr_dash_dash(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b'-') {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b'-') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `` `…` `` where ``` `` ``` stands for one backtick.
fn quoted_identifier(input: &str) -> IResult<&str, TokenKind> {
    let (mut rest, _) = char('`').parse_complete(input)?;
    loop {
        let (after, _) = take_while(|c| c != '`').parse_complete(rest)?;
        if after.is_empty() {
            return Ok(unterminated(input, TokenKind::UnterminatedQuoted));
        }
        // `after` starts with a backtick.
        let next = &after[1..];
        if let Some(doubled) = next.strip_prefix('`') {
            rest = doubled;
        } else {
            return Ok((next, TokenKind::Quoted));
        }
    }
}

/// `'…'` or `"…"` with backslash escapes.
fn string_literal(input: &str) -> IResult<&str, TokenKind> {
    let (mut rest, quote) = alt((char('\''), char('"'))).parse_complete(input)?;
    loop {
        let (after, _) = take_till(|c| c == quote || c == '\\').parse_complete(rest)?;
        let mut chars = after.chars();
        match chars.next() {
            None => return Ok(unterminated(input, TokenKind::UnterminatedStr)),
            Some('\\') => match chars.next() {
                Some(_) => rest = chars.as_str(),
                None => return Ok(unterminated(input, TokenKind::UnterminatedStr)),
            },
            Some(_) => return Ok((chars.as_str(), TokenKind::Str)),
        }
    }
}

/// An unclosed quote: the token runs to the end of its line, so that one
/// stray quote does not swallow (and hide the errors of) the whole script.
fn unterminated(input: &str, kind: TokenKind) -> (&str, TokenKind) {
    let len = line_len(input);
    (&input[len..], kind)
}

/// The value of a back-quoted identifier token's text (with its backticks).
pub fn unquote_identifier(text: &str) -> String {
    let inner = text.strip_prefix('`').unwrap_or(text);
    let inner = inner.strip_suffix('`').unwrap_or(inner);
    inner.replace("``", "`")
}

/// The value of a string literal token's text (with its quotes).
pub fn unescape_string(text: &str) -> String {
    let mut chars = text.chars();
    let quote = chars.next();
    let body = chars.as_str();
    let body = match quote {
        Some(q) => body.strip_suffix(q).unwrap_or(body),
        None => body,
    };
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
