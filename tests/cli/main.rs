//! End-to-end tests of the `mcauth` binary: exit codes, output formats,
//! reading files and standard input.

mod check;
mod fmt;
mod policy;
mod scenarios;
mod support;
