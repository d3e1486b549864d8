//! Text utilities the mcauth parsers share: byte spans into a source,
//! line and column positions of byte offsets, and "did you mean …?".
#![warn(missing_docs)]

mod lines;
mod span;
mod suggest;

pub use lines::{LineCol, LineIndex, line_col};
pub use span::{Span, Spanned};
pub use suggest::{closest_name, did_you_mean, did_you_mean_static};
