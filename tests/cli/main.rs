//! End-to-end tests of the `mcauth` binary: exit codes, output formats,
//! reading files and standard input.

mod access;
mod check;
mod creators;
mod durability;
mod explain;
mod fmt;
mod parity;
mod policy;
mod readme;
mod reads;
mod remote;
mod repl;
mod repl_commands;
mod robustness;
mod scenarios;
mod sessions;
mod support;
mod target;
mod usage;
