//! Byte spans into a source text.

use std::ops::Range;

use serde::Serialize;

/// A half-open byte range `start..end` into the source something was
/// parsed from. Two spans are equal when they cover the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// The range `start..end`; an inverted range collapses to `start..start`.
    pub const fn new(start: usize, end: usize) -> Self {
        if end < start {
            Span { start, end: start }
        } else {
            Span { start, end }
        }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The span as a range, to slice the source with.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A value together with the span it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs `value` with `span`.
    pub const fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn inverted_span_collapses() {
        assert_eq!(Span::new(5, 2), Span::at(5));
        assert!(Span::at(3).is_empty());
    }

    #[test]
    fn spans_compare_by_the_bytes_they_cover() {
        assert_eq!(Span::new(1, 2), Span::new(1, 2));
        assert_ne!(Span::new(1, 2), Span::new(7, 9));
        assert_eq!(Span::new(4, 6).to(Span::new(1, 2)), Span::new(1, 6));
    }
}
