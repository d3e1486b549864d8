//! From source text to statements and syntax errors.
//!
//! The lexer splits the input at every `;` outside quotes and comments, and
//! each piece is parsed on its own. A syntax error therefore costs only its
//! own statement: parsing resumes after the next `;`, and one run reports
//! every error in a script.

mod acl;
mod cursor;
mod principal;
pub use principal::{lost_to_the_shell, shell_help};
mod sql_side;
mod statements;

use crate::ast::Statement;
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::lexer::{Lexer, Tok};
use crate::span::Span;
use cursor::Cursor;

/// The result of parsing a script: the statements that parsed, every
/// syntax error, and where the comments are.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    /// The statements that parsed, in source order.
    pub statements: Vec<Statement>,
    /// Every syntax error, in source order.
    pub errors: Vec<SyntaxError>,
    /// Where each comment is, in source order.
    pub comments: Vec<Span>,
}

impl Parsed {
    /// Whether the script parsed without a syntax error.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parses a whole script. Never panics; runs in time linear in the input.
pub fn parse(source: &str) -> Parsed {
    parse_with(source, Lexer::new(source))
}

fn parse_with<'s>(source: &'s str, mut lexer: Lexer<'s>) -> Parsed {
    let mut out = Parsed::default();
    // Reserving up front saves the copies of a growing vector on large
    // scripts; there are at most as many statements as `;` plus one.
    // (No more than one per 16 bytes, though: `;;;;…` holds no statements.)
    out.statements
        .reserve(count_semicolons(source.as_bytes()).min(source.len() / 16) + 1);
    let mut chunk: Vec<Tok> = Vec::new();
    loop {
        let more = lexer.statement_tokens(&mut chunk, &mut out.comments);
        if let Some(span) = lexer.take_too_long(&chunk) {
            out.errors.push(too_long(span));
            chunk.clear();
        }
        if !chunk.is_empty() {
            parse_chunk(source, &chunk, &mut out);
            chunk.clear();
        }
        if !more {
            return out;
        }
    }
}

/// Parses a script one statement at a time, for callers that must not
/// hold a whole large script's statements at once (the remote backend
/// streams 100,000-statement scripts). Yields what [`parse`] finds, in
/// source order within each `;`-chunk: statements as `Ok`, syntax errors
/// as `Err`. Comments are skipped.
pub fn statements(source: &str) -> Statements<'_> {
    Statements {
        source,
        lexer: Lexer::new(source).skip_comments(),
        chunk: Vec::new(),
        comments: Vec::new(),
        scratch: Parsed::default(),
        pending: std::collections::VecDeque::new(),
        done: false,
    }
}

/// The iterator of [`statements`].
pub struct Statements<'s> {
    source: &'s str,
    lexer: Lexer<'s>,
    chunk: Vec<Tok>,
    comments: Vec<Span>,
    scratch: Parsed,
    pending: std::collections::VecDeque<Result<Statement, SyntaxError>>,
    done: bool,
}

impl Iterator for Statements<'_> {
    type Item = Result<Statement, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            let more = self
                .lexer
                .statement_tokens(&mut self.chunk, &mut self.comments);
            self.comments.clear();
            self.done = !more;
            if let Some(span) = self.lexer.take_too_long(&self.chunk) {
                self.chunk.clear();
                return Some(Err(too_long(span)));
            }
            if self.chunk.is_empty() {
                continue;
            }
            parse_chunk(self.source, &self.chunk, &mut self.scratch);
            self.chunk.clear();
            // The common case, one statement between two `;`, goes out as
            // it is: no ordering, no queue.
            if self.scratch.errors.is_empty() && self.scratch.statements.len() == 1 {
                return self.scratch.statements.pop().map(Ok);
            }
            if self.scratch.statements.is_empty() && self.scratch.errors.len() == 1 {
                return self.scratch.errors.pop().map(Err);
            }
            let mut items: Vec<Result<Statement, SyntaxError>> = self
                .scratch
                .statements
                .drain(..)
                .map(Ok)
                .chain(self.scratch.errors.drain(..).map(Err))
                .collect();
            items.sort_by_key(|item| match item {
                Ok(s) => s.span.start,
                Err(e) => e.span.start,
            });
            self.pending.extend(items);
        }
    }
}

/// The error for a statement of more than [`MAX_STATEMENT_TOKENS`] tokens.
fn too_long(span: Span) -> SyntaxError {
    SyntaxError::new(
        ErrorCode::StatementTooLong,
        span,
        format!(
            "a statement of more than {} tokens: no statement is that long",
            crate::lexer::MAX_STATEMENT_TOKENS
        ),
    )
    .with_label("this statement")
    .with_help("is a `;` missing, or a bracket or quote left open?")
}

/// How many `;` bytes `bytes` holds (those in strings and comments too).
fn count_semicolons(bytes: &[u8]) -> usize {
    // Summed in blocks small enough for a byte counter, which vectorises.
    let (blocks, rest) = bytes.as_chunks::<128>();
    let in_blocks: usize = blocks
        .iter()
        .map(|block| block.iter().fold(0u8, |n, &b| n + u8::from(b == b';')) as usize)
        .sum();
    in_blocks + rest.iter().filter(|&&b| b == b';').count()
}

/// Parses text that must hold exactly one statement (its `;` optional).
pub fn parse_statement(source: &str) -> Result<Statement, Vec<SyntaxError>> {
    let mut parsed = parse(source);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    match parsed.statements.len() {
        1 => Ok(parsed.statements.remove(0)),
        0 => Err(vec![SyntaxError::new(
            ErrorCode::UnexpectedToken,
            Span::at(0),
            "expected a statement",
        )]),
        _ => {
            let extra = *parsed.statements[1].span;
            Err(vec![
                SyntaxError::new(
                    ErrorCode::UnexpectedToken,
                    extra,
                    "expected one statement, found several",
                )
                .with_label("a second statement"),
            ])
        }
    }
}

/// Checks that `bytes` are UTF-8, naming the offset of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        SyntaxError::new(
            ErrorCode::InvalidUtf8,
            Span::new(at, at + e.error_len().unwrap_or(1)),
            format!(
                "the input is not valid UTF-8: byte offset {at} (0x{:02x})",
                bytes.get(at).copied().unwrap_or(0)
            ),
        )
        .with_label("invalid byte")
        .with_help("save the script as UTF-8")
    })
}

/// Parses the tokens between two `;`. Usually one statement; when a `;`
/// is missing, the statements that run together are reported and parsed.
fn parse_chunk(source: &str, tokens: &[Tok], out: &mut Parsed) {
    let mut rest = tokens;
    while let Some(last) = rest.last() {
        let end = last.span.end;
        let mut cursor = Cursor::new(source, rest, end);
        match cursor.statement() {
            Err(err) => {
                out.errors.push(*reparse_for_error(source, rest, end, err));
                return;
            }
            Ok(statement) => {
                out.statements.push(statement);
                let Some(next) = cursor.peek() else {
                    return;
                };
                let starts_statement = next.kw.is_statement_start();
                if !starts_statement {
                    out.errors
                        .push(*unexpected_after_statement(source, rest, end));
                    return;
                }
                let after = cursor.prev_span().end;
                out.errors.push(
                    SyntaxError::new(
                        ErrorCode::MissingSemicolon,
                        Span::at(after),
                        "missing `;` between statements",
                    )
                    .with_label("expected `;` here")
                    .with_help(format!(
                        "end the statement with `;` before `{}`",
                        next.text(source)
                    )),
                );
                rest = &rest[cursor.pos..];
            }
        }
    }
}

/// The error of a statement that failed to parse, worded in full: the
/// first attempt does not note what it expected, so parse it again with a
/// cursor that does. Parsing is deterministic, so it fails the same way.
#[cold]
#[inline(never)]
fn reparse_for_error(
    source: &str,
    tokens: &[Tok],
    end: usize,
    first: Box<SyntaxError>,
) -> Box<SyntaxError> {
    let mut cursor = Cursor::recording(source, tokens, end);
    match cursor.statement() {
        Err(err) => err,
        Ok(_) => first,
    }
}

/// The error for a token that follows a complete statement but starts no
/// other: parse the statement again, noting what could have continued it.
#[cold]
#[inline(never)]
fn unexpected_after_statement(source: &str, tokens: &[Tok], end: usize) -> Box<SyntaxError> {
    let mut cursor = Cursor::recording(source, tokens, end);
    match cursor.statement() {
        Err(err) => err,
        Ok(_) => {
            cursor.expect(";");
            cursor.unexpected()
        }
    }
}
