//! `mcauth`: check and run MaxCompute (ODPS) project security statements.

mod check;
mod cli;
mod diagnostics;
mod exit;
mod fmt;
mod policy_cmd;
mod remote;
mod repl;
mod run;
mod serve_cmd;
mod source;
mod target;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match &cli.command {
        Some(cli::Command::Check(args)) => check::run(args, &cli),
        Some(cli::Command::Fmt(args)) => fmt::run(args, cli.color),
        Some(cli::Command::Policy(args)) => policy_cmd::run(args, cli.color),
        Some(cli::Command::Serve(args)) => serve_cmd::run(args, &cli.target),
        None => run::run(&cli),
    }
}
