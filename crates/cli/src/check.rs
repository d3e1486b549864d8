//! `mcauth check`: parse, report every syntax error, run nothing.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{CheckArgs, ColorChoice};
use crate::diagnostics::{Printer, Report};
use crate::exit;
use crate::source::{Source, read_all};

pub fn run(args: &CheckArgs, color: ColorChoice, target: &crate::cli::TargetArgs) -> ExitCode {
    let sources = match read_all(&args.files) {
        Ok(sources) => sources,
        Err(message) => return exit::usage(&message),
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, color.enabled(stderr_tty));
    let mut errors = 0;
    let mut statements = 0;
    let mut planner = None;
    if args.plan {
        match crate::run::Planner::open(target) {
            Ok(p) => planner = Some(p),
            Err(message) => {
                eprintln!("mcauth: {message}");
                return ExitCode::from(exit::CONFIG);
            }
        }
    }
    for source in &sources {
        let (count, found) = check_source(source, &printer, planner.as_ref());
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

/// Parses one source and prints its errors; returns (statements, errors).
pub fn check_source(
    source: &Source,
    printer: &Printer,
    planner: Option<&crate::run::Planner>,
) -> (usize, usize) {
    let Some(text) = source.text(printer) else {
        return (0, 1);
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
        let plan = planner.plan(&parsed.statements, files.documents);
        for (_, failure) in plan.failures() {
            printer.print(
                &source.name,
                Some(text),
                &Report::error(failure, Some(failure.span)),
            );
            failures += 1;
        }
    }
    (parsed.statements.len(), parsed.errors.len() + failures)
}
