//! `mcauth check`: parse, report every syntax error, run nothing.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{CheckArgs, Cli};
use crate::diagnostics::{Printer, Report};
use crate::exit;
use crate::source::{Source, read_all};

/// What `--plan` checks against: where a run would write, by the target
/// rule (`crate::target`).
type Planner = crate::explain::project::Project;

pub fn run(args: &CheckArgs, cli: &Cli) -> ExitCode {
    let sources = match read_all(&args.files) {
        Ok(sources) => sources,
        Err(message) => return exit::usage(&message),
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, cli.color.enabled(stderr_tty))
        .with_limit(cli.max_diagnostics);
    crate::io::buffer_output();
    let mut errors = 0;
    let mut statements = 0;
    let mut planner = None;
    if args.plan {
        match Planner::open(cli) {
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
    printer.note_hidden();
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
    // Streamed: each syntax error is printed (or only counted, past the
    // cap) and dropped, so memory does not grow with their number; the
    // statements are kept only when a plan needs them.
    let keep = planner.is_some();
    let mut statements = Vec::new();
    let (mut count, mut errors) = (0, 0);
    for item in mcauth_syntax::statements(text) {
        match item {
            Ok(statement) => {
                count += 1;
                if keep && errors == 0 {
                    statements.push(statement);
                }
            }
            Err(error) => {
                errors += 1;
                statements = Vec::new();
                syntax_error(printer, &source.name, text, &error);
            }
        }
    }
    let mut failures = 0;
    if let (Some(planner), 0) = (planner, errors) {
        // The policy files the script names are linted (their findings
        // printed) and handed to the plan, as a run would.
        let files = crate::run::policy_files::read_policy_files(
            &statements,
            &crate::run::Documents::new(),
            printer,
        );
        failures += files.refused;
        let plan = planner.plan(&statements, files.documents)?;
        for (_, failure) in plan.failures() {
            failures += 1;
            if printer.is_full() {
                printer.count_hidden();
                continue;
            }
            printer.print(
                &source.name,
                Some(text),
                &Report::error(failure, Some(failure.span)),
            );
        }
    }
    Ok((count, errors + failures))
}

/// Reports a syntax error of `text`, or past `--max-diagnostics` only
/// counts it.
pub fn syntax_error(printer: &Printer, name: &str, text: &str, error: &mcauth_syntax::SyntaxError) {
    if printer.is_full() {
        printer.count_hidden();
    } else {
        printer.print(name, Some(text), &Report::error(error, Some(error.span)));
    }
}
