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
    bytes::complete::{tag, take_till, take_while, take_while1},
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
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '@' | '.' | ':' | '-' | '*' | '?' | '/' | '#')
}

/// Characters of a plain identifier (role, project, package names…).
pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
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
        let trimmed = rest.trim_start_matches(is_space);
        if rest[..rest.len() - trimmed.len()].contains('\n') {
            self.at_line_start = true;
        }
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

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn line_len(s: &str) -> usize {
    s.find('\n').unwrap_or(s.len())
}

/// Lexes one token at the start of a non-empty, non-space input and returns
/// its kind and byte length. Never fails: unknown characters become `Other`.
fn lex_token(input: &str) -> (TokenKind, usize) {
    let parsed: IResult<&str, TokenKind> = alt((
        value(
            TokenKind::Comment,
            recognize(preceded(tag("--"), take_till(|c| c == '\n'))),
        ),
        quoted_identifier,
        string_literal,
        word,
        map(
            alt((
                char(';'),
                char('；'),
                char(','),
                char('，'),
                char('('),
                char('（'),
                char(')'),
                char('）'),
                char('='),
            )),
            |c| match c {
                ';' | '；' => TokenKind::Semi,
                ',' | '，' => TokenKind::Comma,
                '(' | '（' => TokenKind::LParen,
                ')' | '）' => TokenKind::RParen,
                _ => TokenKind::Eq,
            },
        ),
        value(TokenKind::Other, anychar),
    ))
    .parse_complete(input);
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
    let (_, taken) = take_while1(is_word_char).parse_complete(input)?;
    let len = match taken.find("--") {
        Some(0) => 0,
        Some(i) => i,
        None => taken.len(),
    };
    if len == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::TakeWhile1,
        )));
    }
    Ok((&input[len..], TokenKind::Word))
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
