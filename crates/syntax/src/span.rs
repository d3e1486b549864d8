//! Byte spans into the source text: the shared [`Span`], and the
//! [`NodeSpan`] a syntax-tree node carries.

use std::fmt;
use std::ops::Deref;

pub use mcauth_text::{LineCol, Span, line_col};

/// The span a syntax-tree node was parsed from.
///
/// It takes no part in equality or hashing (as sqlparser's
/// `AttachedToken` does not): two trees that differ only in where they
/// came from compare equal, which is what the round-trip property
/// `parse(print(ast)) == ast` needs. The [`Span`] it holds compares for
/// real; read it through `Deref` (`node.span.start`) or `*node.span`.
#[derive(Clone, Copy, Default, serde::Serialize)]
#[serde(transparent)]
pub struct NodeSpan(pub Span);

impl PartialEq for NodeSpan {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for NodeSpan {}

impl std::hash::Hash for NodeSpan {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl fmt::Debug for NodeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Deref for NodeSpan {
    type Target = Span;

    fn deref(&self) -> &Span {
        &self.0
    }
}

impl From<Span> for NodeSpan {
    fn from(span: Span) -> Self {
        NodeSpan(span)
    }
}

impl From<NodeSpan> for Span {
    fn from(span: NodeSpan) -> Self {
        span.0
    }
}

impl From<NodeSpan> for miette::SourceSpan {
    fn from(span: NodeSpan) -> Self {
        span.0.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_spans_never_affect_equality() {
        assert_eq!(NodeSpan(Span::new(1, 2)), NodeSpan(Span::new(7, 9)));
        assert_ne!(Span::new(1, 2), Span::new(7, 9));
    }
}
