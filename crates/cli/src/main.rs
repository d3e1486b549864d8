//! `mcauth`: check and run MaxCompute (ODPS) project security statements.

// `println!` and `eprintln!` of the standard library panic when a write
// fails (a closed pipe, a full disk). These shadow them in every module
// below (macro_rules are in scope textually), so no call site can: see
// `io`.
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::io::line($crate::io::Stream::Stdout, format_args!($($arg)*))
    };
}
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::io::line($crate::io::Stream::Stderr, format_args!($($arg)*))
    };
}

mod access;
mod check;
mod cli;
mod codes;
mod diagnostics;
mod exit;
mod files;

mod explain;
mod fmt;
mod io;
mod policy_cmd;
mod projects;
mod remote;
mod repl;
mod run;
mod serve_cmd;
mod shell;
mod source;
mod target;
mod usage;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = usage::parse();
    let code = match &cli.command {
        Some(cli::Command::Check(args)) => check::run(args, &cli),
        Some(cli::Command::Fmt(args)) => fmt::run(args, cli.color, cli.max_diagnostics),
        Some(cli::Command::Policy(args)) => policy_cmd::run(args, cli.color),
        Some(cli::Command::Serve(args)) => serve_cmd::run(args, &cli.target, cli.color),
        Some(cli::Command::Completions(args)) => shell::completions(args),
        Some(cli::Command::Man(args)) => shell::man(args),
        Some(cli::Command::Export(args)) => access::export(args, &cli),
        Some(cli::Command::Plan(args)) => access::plan(args, &cli),
        Some(cli::Command::Apply(args)) => access::apply(args, &cli),
        Some(cli::Command::Diff(args)) => access::diff(args, &cli),
        Some(cli::Command::Why(args)) => explain::why(args, &cli),
        Some(cli::Command::WhoCan(args)) => explain::who_can(args, &cli),
        Some(cli::Command::Audit(args)) => explain::audit::run(args, &cli),
        Some(cli::Command::Test(args)) => explain::test::run(args, &cli),
        None => run::run(&cli),
    };
    io::finish(code)
}
