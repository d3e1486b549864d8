//! The REST client's integration tests, one test binary with each file a
//! module (the HTTP stack is linked once).

mod client;
mod support;
