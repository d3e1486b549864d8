//! A cursor over one statement's tokens that remembers what it expected,
//! so an error can say "expected one of …" at the furthest point reached.

use crate::ast::{Ident, RawText, StringLit};
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::Kw;
use crate::lexer::{Tok, TokenKind, is_ident_char, unescape_string, unquote_identifier};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// Errors are boxed: they are rare, and a small `Err` keeps every
/// `PResult` the size of its value.
pub type PResult<T> = Result<T, Box<SyntaxError>>;

pub struct Cursor<'s, 't> {
    pub src: &'s str,
    toks: &'t [Tok],
    pub pos: usize,
    /// Where "the end of the statement" is, for errors past the last token.
    end: usize,
    /// Whether [`Cursor::expect`] keeps what it is told. Parsing does not
    /// depend on it, so a statement is parsed without noting anything, and
    /// only one that fails is parsed again, noting, to word its error.
    recording: bool,
    expected: Vec<&'static str>,
    expected_at: usize,
}

impl<'s, 't> Cursor<'s, 't> {
    /// A cursor that does not note what it expected: its errors are right
    /// in kind and place, but their "expected …" lists are empty.
    pub fn new(src: &'s str, toks: &'t [Tok], end: usize) -> Self {
        Cursor {
            src,
            toks,
            pos: 0,
            end,
            recording: false,
            expected: Vec::new(),
            expected_at: 0,
        }
    }

    /// A cursor that notes everything it expected, for the full error.
    pub fn recording(src: &'s str, toks: &'t [Tok], end: usize) -> Self {
        Cursor {
            recording: true,
            ..Cursor::new(src, toks, end)
        }
    }

    /// Whether expectations are being noted (see [`Cursor::recording`]).
    pub fn is_recording(&self) -> bool {
        self.recording
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn peek(&self) -> Option<&'t Tok> {
        self.toks.get(self.pos)
    }

    pub fn peek_at(&self, ahead: usize) -> Option<&'t Tok> {
        self.toks.get(self.pos + ahead)
    }

    pub fn text(&self, token: &Tok) -> &'s str {
        token.text(self.src)
    }

    /// The span of the previous token, or the start of the statement.
    pub fn prev_span(&self) -> Span {
        match self.pos.checked_sub(1).and_then(|i| self.toks.get(i)) {
            Some(t) => t.span,
            None => self.here(),
        }
    }

    /// The span of the next token, or a point at the end of the statement.
    pub fn here(&self) -> Span {
        self.peek().map_or(Span::at(self.end), |t| t.span)
    }

    pub fn bump(&mut self) -> Option<&'t Tok> {
        let t = self.toks.get(self.pos);
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Notes that `what` would have been accepted at the current position.
    #[inline]
    pub fn expect(&mut self, what: &'static str) {
        if self.recording {
            self.note(what);
        }
    }

    #[cold]
    fn note(&mut self, what: &'static str) {
        if self.pos != self.expected_at {
            self.expected.clear();
            self.expected_at = self.pos;
        }
        if !self.expected.contains(&what) {
            self.expected.push(what);
        }
    }

    /// The keyword the next token is, or [`Kw::NONE`].
    #[inline]
    pub fn peek_kw(&self) -> Kw {
        self.toks.get(self.pos).map_or(Kw::NONE, |t| t.kw)
    }

    /// Whether the token `ahead` places on is the keyword `kw` (no note).
    #[inline]
    pub fn is_kw_at(&self, ahead: usize, kw: Kw) -> bool {
        self.toks.get(self.pos + ahead).is_some_and(|t| t.kw == kw)
    }

    /// Whether the next token is `kw`; notes it as expected if not.
    #[inline]
    pub fn is_kw(&mut self, kw: Kw) -> bool {
        let yes = self.is_kw_at(0, kw);
        if !yes {
            self.expect(kw.name());
        }
        yes
    }

    #[inline]
    pub fn eat_kw(&mut self, kw: Kw) -> Option<Span> {
        if self.is_kw(kw) {
            self.bump().map(|t| t.span)
        } else {
            None
        }
    }

    pub fn expect_kw(&mut self, kw: Kw) -> PResult<Span> {
        match self.eat_kw(kw) {
            Some(span) => Ok(span),
            None => Err(self.unexpected()),
        }
    }

    /// Eats whichever of `kws` comes next. (What was noted before a
    /// keyword that matched is never read: notes only count where the
    /// cursor still is, and it only moves on.)
    pub fn expect_one_of(&mut self, kws: &[Kw]) -> PResult<Kw> {
        let next = self.peek_kw();
        if next != Kw::NONE && kws.contains(&next) {
            self.pos += 1;
            return Ok(next);
        }
        for kw in kws {
            self.expect(kw.name());
        }
        Err(self.unexpected())
    }

    pub fn is_punct(&mut self, kind: TokenKind, what: &'static str) -> bool {
        let yes = self.peek().is_some_and(|t| t.kind == kind);
        if !yes {
            self.expect(what);
        }
        yes
    }

    pub fn eat_punct(&mut self, kind: TokenKind, what: &'static str) -> bool {
        let yes = self.is_punct(kind, what);
        if yes {
            self.pos += 1;
        }
        yes
    }

    pub fn expect_punct(&mut self, kind: TokenKind, what: &'static str) -> PResult<()> {
        if self.eat_punct(kind, what) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Whether the token `ahead` places on can be a name: a back-quoted
    /// identifier, or a word that is not a reserved keyword.
    pub fn is_name_at(&self, ahead: usize) -> bool {
        match self.peek_at(ahead) {
            Some(t) if t.kind == TokenKind::Quoted => true,
            Some(t) if t.kind == TokenKind::Word => !t.kw.is_reserved(),
            _ => false,
        }
    }

    /// A role, project, package, provider, column or privilege name.
    pub fn ident(&mut self, what: &'static str) -> PResult<Ident> {
        let Some(token) = self.peek() else {
            self.expect(what);
            return Err(self.unexpected());
        };
        match token.kind {
            TokenKind::Quoted => {
                self.pos += 1;
                let value = unquote_identifier(self.text(token));
                if value.is_empty() {
                    return Err(empty_name(what, token.span));
                }
                Ok(Ident::with_span(value, token.span))
            }
            TokenKind::Word if !token.kw.is_reserved() => {
                let text = self.text(token);
                if !is_ident(text) {
                    return Err(not_a_name(what, text, token.span));
                }
                self.pos += 1;
                Ok(Ident::with_span(text, token.span))
            }
            _ => {
                self.expect(what);
                Err(self.unexpected())
            }
        }
    }

    /// A `'…'` or `"…"` literal.
    pub fn string(&mut self, what: &'static str) -> PResult<StringLit> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Str => {
                self.pos += 1;
                Ok(StringLit {
                    value: unescape_string(self.text(t)),
                    span: t.span.into(),
                })
            }
            _ => {
                self.expect(what);
                Err(self.unexpected())
            }
        }
    }

    /// The tokens after an opening `(` up to its matching `)`, which is
    /// consumed, as [`RawText`]: a filter expression. Parentheses inside
    /// must balance; any other token is taken as it is.
    pub fn raw_in_parens(&mut self, what: &'static str) -> PResult<RawText> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match token.kind {
                TokenKind::LParen => depth += 1,
                TokenKind::RParen if depth == 0 => {
                    if self.pos == start {
                        self.expect(what);
                        return Err(self.unexpected());
                    }
                    let text = self.raw_text(start, self.pos);
                    self.pos += 1;
                    return Ok(text);
                }
                TokenKind::RParen => depth -= 1,
                TokenKind::UnterminatedStr | TokenKind::UnterminatedQuoted => {
                    return Err(self.unexpected());
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.expect(if self.pos == start { what } else { ")" });
        Err(self.unexpected())
    }

    /// Every token up to the end of the statement as [`RawText`]: a
    /// masking method such as `MASKED_STRING_MASKED_BA(2, 5)`.
    pub fn raw_rest(&mut self, what: &'static str) -> PResult<RawText> {
        let start = self.pos;
        if self.at_end() {
            self.expect(what);
            return Err(self.unexpected());
        }
        while let Some(token) = self.peek() {
            if matches!(
                token.kind,
                TokenKind::UnterminatedStr | TokenKind::UnterminatedQuoted
            ) {
                return Err(self.unexpected());
            }
            self.pos += 1;
        }
        Ok(self.raw_text(start, self.pos))
    }

    /// A `setproject` value: the tokens that start where the previous one
    /// (the `=`) ends and touch each other, and inside `(…)`, `{…}` or
    /// `[…]` any tokens at all, as odpscmd splits properties at white
    /// space outside brackets. May be empty (`key=`).
    pub fn raw_adjacent(&mut self) -> PResult<RawText> {
        let start = self.pos;
        let mut end = self.prev_span().end;
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            if depth == 0 && token.span.start != end {
                break;
            }
            match token.kind {
                TokenKind::LParen => depth += 1,
                TokenKind::RParen => depth = depth.saturating_sub(1),
                TokenKind::Other => match self.text(token) {
                    "{" | "[" => depth += 1,
                    "}" | "]" => depth = depth.saturating_sub(1),
                    _ => {}
                },
                TokenKind::UnterminatedStr | TokenKind::UnterminatedQuoted => {
                    return Err(self.unexpected());
                }
                _ => {}
            }
            end = token.span.end;
            self.pos += 1;
        }
        if self.pos == start {
            return Ok(RawText {
                text: String::new(),
                span: Span::at(end).into(),
            });
        }
        Ok(self.raw_text(start, self.pos))
    }

    /// Tokens `from..to` as one line: each gap between two tokens (white
    /// space, comments) becomes one space.
    fn raw_text(&self, from: usize, to: usize) -> RawText {
        let tokens = self.toks.get(from..to).unwrap_or_default();
        let mut text = String::new();
        let mut prev_end: Option<usize> = None;
        for t in tokens {
            if prev_end.is_some_and(|end| end != t.span.start) {
                text.push(' ');
            }
            text.push_str(self.text(t));
            prev_end = Some(t.span.end);
        }
        let span = match (tokens.first(), tokens.last()) {
            (Some(a), Some(b)) => a.span.to(b.span),
            _ => self.here(),
        };
        RawText {
            text,
            span: span.into(),
        }
    }

    /// The error for the next token, given everything expected here.
    #[cold]
    pub fn unexpected(&self) -> Box<SyntaxError> {
        Box::new(self.unexpected_error())
    }

    fn unexpected_error(&self) -> SyntaxError {
        let expected: &[&str] = if self.expected_at == self.pos {
            &self.expected
        } else {
            &[]
        };
        let list = describe_expected(expected);
        let Some(token) = self.peek() else {
            let span = Span::at(self.end);
            return SyntaxError::new(
                ErrorCode::UnexpectedToken,
                span,
                format!("expected {list}, found the end of the statement"),
            )
            .with_label(short_label(expected, &list, "the statement ends here"));
        };
        if let Some(err) = lexical_error(self.src, token) {
            return err;
        }
        let found = self.text(token);
        let mut err = SyntaxError::new(
            ErrorCode::UnexpectedToken,
            token.span,
            format!(
                "expected {list}, found {}",
                describe_token(found, token.kind)
            ),
        )
        .with_label(short_label(expected, &list, "not expected here"));
        if token.kind == TokenKind::Word {
            let keywords = expected.iter().copied().filter(|e| is_keyword_label(e));
            if let Some(suggestion) = did_you_mean(found, keywords) {
                err = err.with_help(format!("did you mean `{suggestion}`?"));
            }
        }
        err
    }
}

#[cold]
#[inline(never)]
fn empty_name(what: &str, span: Span) -> Box<SyntaxError> {
    SyntaxError::new(
        ErrorCode::InvalidName,
        span,
        format!("{what} cannot be empty"),
    )
    .with_label("empty name")
    .into()
}

#[cold]
#[inline(never)]
fn not_a_name(what: &str, text: &str, span: Span) -> Box<SyntaxError> {
    SyntaxError::new(
        ErrorCode::InvalidName,
        span,
        format!(
            "`{text}` is not a valid {}",
            what.trim_start_matches("a ").trim_start_matches("an ")
        ),
    )
    .with_label("not a name")
    .with_help(
        "names are made of letters, digits, `_` and `$`; back-quote any other name: `like.this`",
    )
    .into()
}

/// Whether every character of `text` is an identifier character: one
/// pass ORs the bytes' classes from a table (no early exit, so it unrolls),
/// and only text with a non-ASCII byte is decoded.
fn is_ident(text: &str) -> bool {
    const NOT_IDENT: u8 = 1;
    const NON_ASCII: u8 = 2;
    const CLASS: [u8; 256] = {
        let mut table = [0; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            // The ASCII half of `is_ident_char`.
            table[b] = if c >= 0x80 {
                NON_ASCII
            } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
                0
            } else {
                NOT_IDENT
            };
            b += 1;
        }
        table
    };
    match text.bytes().fold(0, |seen, b| seen | CLASS[b as usize]) {
        0 => true,
        NON_ASCII => text.chars().all(is_ident_char),
        _ => false,
    }
}

/// The error a malformed token stands for, if it is one.
pub fn lexical_error(src: &str, token: &Tok) -> Option<SyntaxError> {
    let text = token.text(src);
    match token.kind {
        TokenKind::UnterminatedStr => {
            let quote = text.chars().next().unwrap_or('\'');
            Some(
                SyntaxError::new(
                    ErrorCode::UnterminatedString,
                    Span::new(token.span.start, token.span.start + 1),
                    "unterminated string",
                )
                .with_label("this quote is never closed")
                .with_help(format!("close the string with a matching {quote}")),
            )
        }
        TokenKind::UnterminatedQuoted => Some(
            SyntaxError::new(
                ErrorCode::UnterminatedIdentifier,
                Span::new(token.span.start, token.span.start + 1),
                "unterminated back-quoted name",
            )
            .with_label("this backtick is never closed")
            .with_help("close the name with a matching `; write `` for a backtick inside it"),
        ),
        TokenKind::Other => {
            let shown = text.escape_debug().to_string();
            Some(
                SyntaxError::new(
                    ErrorCode::UnexpectedCharacter,
                    token.span,
                    format!("unexpected character `{shown}`"),
                )
                .with_label("not part of any statement")
                .with_help("remove it, or quote the name it belongs to with backticks"),
            )
        }
        _ => None,
    }
}

/// The label under the marker: the expectation when it is short, else a
/// plain word (the message already lists every alternative).
fn short_label(expected: &[&str], list: &str, otherwise: &str) -> String {
    if expected.len() <= 2 {
        format!("expected {list}")
    } else {
        otherwise.to_owned()
    }
}

fn is_keyword_label(label: &str) -> bool {
    label.chars().all(|c| c.is_ascii_lowercase())
}

fn describe_token(text: &str, kind: TokenKind) -> String {
    let shown: String = text.chars().take(40).collect();
    let ellipsis = if text.chars().nth(40).is_some() {
        "…"
    } else {
        ""
    };
    match kind {
        TokenKind::Str => format!("the string {shown}{ellipsis}"),
        _ => format!("`{shown}{ellipsis}`"),
    }
}

/// `a`, `a or b`, `one of a, b, c`; keywords and punctuation in backticks.
fn describe_expected(expected: &[&str]) -> String {
    let shown: Vec<String> = expected
        .iter()
        .map(|e| {
            if e.starts_with("a ") || e.starts_with("an ") || e.contains(' ') {
                (*e).to_owned()
            } else {
                format!("`{e}`")
            }
        })
        .collect();
    match shown.as_slice() {
        [] => "something else".to_owned(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        many if expected.iter().all(|e| is_keyword_label(e) || e.len() == 1) => {
            format!("one of {}", many.join(", "))
        }
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::is_ident;
    use crate::lexer::is_ident_char;

    #[test]
    fn the_ident_table_agrees_with_is_ident_char() {
        for c in (0..=127u8)
            .map(char::from)
            .chain(['é', '€', '名', '\u{3000}'])
        {
            let text = format!("a{c}b");
            assert_eq!(is_ident(&text), is_ident_char(c), "{c:?}");
        }
    }
}
