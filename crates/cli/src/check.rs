//! `mcauth check`: parse, report every syntax error, run nothing.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{CheckArgs, Cli};
use crate::diagnostics::{Printer, Report};
use crate::exit;
use crate::source::{Source, read_all};

/// What `--plan` checks against: where a run would write, by the target
/// rule (`crate::target`).
pub enum Planner {
    Store(Box<crate::run::Planner>),
    Remote(Box<crate::remote::RemoteSession>),
}

impl Planner {
    /// Opens the target; `Err` holds the exit code, the problem printed.
    fn open(cli: &Cli, diagnostics: &Printer) -> Result<Planner, ExitCode> {
        let opened = match crate::target::resolve(cli) {
            Err(conflict) => return Err(exit::usage(&conflict.to_string())),
            Ok(crate::target::Target::Store(store)) => {
                crate::run::Planner::open(&cli.target, &store)
                    .map(|planner| Planner::Store(Box::new(planner)))
            }
            Ok(crate::target::Target::Remote(_)) => {
                // Its printer is never used: `check` prints the plan's
                // failures itself.
                let printer = crate::run::printer::OutputPrinter::new(
                    crate::cli::OutputFormat::Text,
                    false,
                    false,
                    Printer {
                        format: diagnostics.format,
                        color: diagnostics.color,
                        width: diagnostics.width,
                    },
                );
                crate::remote::RemoteSession::open(cli, printer)
                    .map(|session| Planner::Remote(Box::new(session)))
            }
        };
        opened.map_err(|message| {
            eprintln!("mcauth: {message}");
            ExitCode::from(exit::CONFIG)
        })
    }

    fn plan(
        &mut self,
        statements: &[mcauth_syntax::ast::Statement],
        documents: crate::run::Documents,
    ) -> Result<mcauth_engine::Plan, String> {
        match self {
            Planner::Store(planner) => Ok(planner.plan(statements, documents)),
            Planner::Remote(session) => session
                .plan_statements(statements, documents)
                .map_err(|e| crate::diagnostics::one_line(&e)),
        }
    }
}

pub fn run(args: &CheckArgs, cli: &Cli) -> ExitCode {
    let sources = match read_all(&args.files) {
        Ok(sources) => sources,
        Err(message) => return exit::usage(&message),
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, cli.color.enabled(stderr_tty));
    let mut errors = 0;
    let mut statements = 0;
    let mut planner = None;
    if args.plan {
        match Planner::open(cli, &printer) {
            Ok(p) => planner = Some(p),
            Err(code) => return code,
        }
    }
    for source in &sources {
        let (count, found) = match check_source(source, &printer, planner.as_mut()) {
            Ok(counts) => counts,
            Err(message) => {
                eprintln!("mcauth: {message}");
                return ExitCode::from(exit::CONFIG);
            }
        };
        statements += count;
        errors += found;
    }
    if printer.format != crate::cli::ErrorFormat::Json {
        let files = if sources.len() == 1 {
            "1 file".to_owned()
        } else {
            format!("{} files", sources.len())
        };
        let verdict = match errors {
            0 => "no errors".to_owned(),
            1 => "1 error".to_owned(),
            n => format!("{n} errors"),
        };
        let statements = if statements == 1 {
            "1 statement".to_owned()
        } else {
            format!("{statements} statements")
        };
        eprintln!("checked {files}: {statements}, {verdict}");
    }
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        exit::FAILED.into()
    }
}

/// Parses one source and prints its errors; returns (statements,
/// errors), or `Err` when planning could not reach its target.
pub fn check_source(
    source: &Source,
    printer: &Printer,
    planner: Option<&mut Planner>,
) -> Result<(usize, usize), String> {
    let Some(text) = source.text(printer) else {
        return Ok((0, 1));
    };
    let parsed = mcauth_syntax::parse(text);
    for error in &parsed.errors {
        printer.print(
            &source.name,
            Some(text),
            &Report::error(error, Some(error.span)),
        );
    }
    let mut failures = 0;
    if let (Some(planner), true) = (planner, parsed.errors.is_empty()) {
        // The policy files the script names are linted (their findings
        // printed) and handed to the plan, as a run would.
        let files = crate::run::policy_files::read_policy_files(&parsed.statements, printer);
        failures += files.refused;
        let plan = planner.plan(&parsed.statements, files.documents)?;
        for (_, failure) in plan.failures() {
            printer.print(
                &source.name,
                Some(text),
                &Report::error(failure, Some(failure.span)),
            );
            failures += 1;
        }
    }
    Ok((parsed.statements.len(), parsed.errors.len() + failures))
}
