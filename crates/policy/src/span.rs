//! Byte spans into a policy source and their line/column positions: the
//! text utilities the mcauth parsers share.

pub use mcauth_text::{LineCol, LineIndex, Span, Spanned};
