//! Byte spans into the source text.

use std::ops::Range;

/// A half-open byte range `start..end` into the source a node was parsed from.
///
/// Spans never take part in equality or hashing: two ASTs that differ only
/// in where they came from compare equal, which is what the round-trip
/// property `parse(print(ast)) == ast` needs.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// A zero-width span at `offset`.
    pub const fn point(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for Span {}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

pub use mcauth_text::{LineCol, line_col};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_never_affect_equality() {
        assert_eq!(Span::new(1, 2), Span::new(7, 9));
    }
}
