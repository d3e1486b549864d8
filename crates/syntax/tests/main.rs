//! The parser's integration tests, one test binary with each file a
//! module: the syntax crate and its dev-dependencies are linked once.

mod diagnostics;
mod examples;
mod hostile_input;
mod properties;
