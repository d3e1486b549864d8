//! Access as code: `mcauth export` prints a project's state as a script,
//! `plan` shows the statements that take a project to the state a file
//! describes, `apply` runs them, and `diff` compares two projects or
//! files. The engine decides (`mcauth_engine::export`, `converge`,
//! `desired`); this module reads files, opens backends and prints.

mod apply;
mod desired;
mod diff;
mod export;
mod plan;
mod render;

use std::io::IsTerminal;

use mcauth_engine::export::Kind;

use crate::cli::{Cli, OutputFormat, PlanScope};
use crate::diagnostics::Printer;
use crate::run::printer::OutputPrinter;

pub use apply::run as apply;
pub use diff::run as diff;
pub use export::run as export;
pub use plan::run as plan;

/// The moment, for expiries: whole days from now.
fn now() -> Option<i64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

/// How each command prints diagnostics and statement results.
#[derive(Clone, Copy)]
struct Output {
    style: crate::diagnostics::Style,
    format: OutputFormat,
    quiet: bool,
    verbose: bool,
}

impl Output {
    fn of(cli: &Cli, format: OutputFormat) -> Output {
        let stderr_tty = std::io::stderr().is_terminal();
        let printer = Printer::new(
            cli.run.error_format,
            stderr_tty,
            cli.color.enabled(stderr_tty),
        )
        .with_limit(cli.max_diagnostics);
        Output {
            style: printer.style(),
            format,
            quiet: cli.run.quiet,
            verbose: cli.run.verbose > 0 || cli.run.echo,
        }
    }

    fn printer(self) -> OutputPrinter {
        OutputPrinter::new(
            self.format.into(),
            self.quiet,
            self.verbose,
            Printer::with_style(self.style),
        )
    }
}

/// The kinds a plan manages: `--manage`, else the file's header, else
/// the kinds the file names. `Err` is a usage problem.
fn managed(
    scope: &PlanScope,
    header: Option<&[Kind]>,
    named: &[Kind],
) -> Result<Vec<Kind>, String> {
    if let Some(list) = &scope.manage {
        if list.trim().eq_ignore_ascii_case("all") {
            return Ok(Kind::ALL.to_vec());
        }
        return mcauth_engine::converge::parse_kinds(list).map_err(|e| format!("--manage: {e}"));
    }
    Ok(header.map_or_else(|| named.to_vec(), <[Kind]>::to_vec))
}

/// Where the commands work and on which projects: the target rule's
/// backend, and the projects named (`""` for the backend's default when
/// none is). `Err` is the exit code, the usage problem printed.
fn targets(cli: &Cli) -> Result<(crate::target::Target, Vec<String>), std::process::ExitCode> {
    let target = crate::target::resolve(cli)
        .map_err(|conflict| crate::exit::usage(&conflict.to_string()))?;
    let projects = crate::projects::named_on(cli, Ok(&target))
        .map_err(|message| crate::exit::usage(&message))?;
    let projects = if projects.is_empty() {
        vec![String::new()]
    } else {
        projects
    };
    Ok((target, projects))
}
