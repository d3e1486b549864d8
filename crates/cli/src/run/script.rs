//! The passes of a script that are the same on every backend: the
//! syntax pass with the policy files, the streamed plan of `--dry-run`,
//! and the reports that end a script before anything runs (see
//! [`super::driver`]).

use mcauth_engine::{Caller, Context};

use mcauth_syntax::ast::Statement;

use std::process::ExitCode;

use crate::cli::ResultFormat;
use crate::diagnostics::Report;
use crate::exit;
use crate::run::printer::OutputPrinter;
use crate::source::ScriptText;

/// What the syntax pass found in a script that has no syntax error: how
/// many statements it has, and the policy documents its `put … policy`
/// statements name.
pub struct Prepared {
    pub total: usize,
    pub documents: super::Documents,
    /// What the statements' checks need beyond the project.
    pub beyond: super::beyond::Beyond,
}

/// The syntax pass over a whole script, for either backend, and the
/// policy files it names. Syntax errors (exit 2) and policy files with
/// errors (exit 1) are reported here, and `Err` holds the exit code: then
/// nothing may run. `nothing` says what did not happen ("nothing was
/// run", "nothing was sent"). Only the `put … policy` statements are
/// kept, to read their files: the passes after it parse the script again.
pub fn prepare(
    name: &str,
    text: &ScriptText,
    preset: &super::Documents,
    printer: &mut OutputPrinter,
    nothing: &str,
) -> Result<Prepared, ExitCode> {
    printer.set_source(name, text);
    // Streamed: a script of syntax errors is reported as it is read, and
    // its errors are not all held at once.
    let mut puts = Vec::new();
    let mut beyond = super::beyond::Beyond::default();
    let mut total = 0usize;
    let mut errors = 0usize;
    for item in mcauth_syntax::statements(text) {
        match item {
            Ok(statement) => {
                total += 1;
                if errors == 0 {
                    beyond.add(&statement);
                    if super::policy_files::named_file(&statement).is_some() {
                        puts.push(statement);
                    }
                }
            }
            Err(error) => {
                if errors == 0 {
                    puts = Vec::new();
                }
                errors += 1;
                if printer.diagnostics.is_full() {
                    printer.diagnostics.count_hidden();
                } else {
                    printer.report(&Report::error(&error, Some(error.span)));
                }
            }
        }
    }
    if errors > 0 {
        printer.diagnostics.note_hidden();
        eprintln!(
            "{errors} syntax error{}: {nothing}",
            if errors == 1 { "" } else { "s" }
        );
        return Err(ExitCode::from(exit::USAGE));
    }
    let files = super::policy_files::read_policy_files(&puts, preset, &printer.diagnostics);
    if files.refused > 0 {
        eprintln!("{nothing}");
        return Err(exit::FAILED.into());
    }
    Ok(Prepared {
        total,
        documents: files.documents,
        beyond,
    })
}

/// `--dry-run` on a script too large to hold whole: each statement is
/// parsed again, planned against what the ones before it would leave,
/// and its step printed, so memory holds the pending changes and no
/// more. Steps are labelled `file:line`, as `--echo` labels results.
pub fn stream_plan<V: mcauth_engine::StateView + ?Sized>(
    view: &V,
    who: (&Caller, &Context),
    text: &ScriptText,
    name: &str,
) -> ExitCode {
    const CHUNK: usize = 64 * 1024;
    let (caller, ctx) = who;
    let mut planner = mcauth_engine::Planner::new(view, caller, ctx);
    let mut counts = mcauth_engine::PlanCounts::default();
    let mut out = String::with_capacity(CHUNK + 4096);
    let mut label = String::new();
    // Lines are counted as the statements come, in order: linear.
    let (mut line, mut seen) = (1usize, 0usize);
    let bytes = text.as_bytes();
    for statement in mcauth_syntax::statements(text).flatten() {
        let start = statement.span.start.min(bytes.len());
        line += bytecount(bytes.get(seen..start).unwrap_or_default(), b'\n');
        seen = seen.max(start);
        let step = planner.step(&statement);
        label.clear();
        label.push_str(name);
        label.push(':');
        label.push_str(&line.to_string());
        if mcauth_engine::render_step(&mut out, &label, &step, Some(&statement), &mut counts)
            .is_err()
        {
            break;
        }
        if out.len() >= CHUNK {
            crate::io::write(crate::io::Stream::Stdout, out.as_bytes());
            out.clear();
            if crate::io::stdout_closed() {
                return ExitCode::SUCCESS;
            }
        }
    }
    out.push_str(&counts.summary());
    out.push('\n');
    crate::io::write(crate::io::Stream::Stdout, out.as_bytes());
    if counts.fail == 0 {
        ExitCode::SUCCESS
    } else {
        exit::FAILED.into()
    }
}

/// How many times `byte` occurs in `bytes`.
fn bytecount(bytes: &[u8], byte: u8) -> usize {
    bytes.iter().filter(|&&b| b == byte).count()
}

/// Reports the failures a plan found (with `--on-error stop` nothing then
/// runs) and gives the exit code. Each failure comes with its statement
/// when one is at hand, for the JSON form.
pub fn report_failures<'a>(
    failures: impl Iterator<Item = (Option<&'a Statement>, &'a mcauth_engine::Failure)>,
    total: usize,
    printer: &mut OutputPrinter,
    nothing: &str,
) -> ExitCode {
    let mut count = 0;
    for (statement, failure) in failures {
        count += 1;
        match (printer.format, statement) {
            (ResultFormat::Json, Some(statement)) => {
                printer.result(statement, Err(failure.clone()))
            }
            _ => printer.failure(failure),
        }
    }
    printer.flush();
    printer.diagnostics.note_hidden();
    eprintln!(
        "{count} of {total} statement{} would fail: {nothing} (use --on-error continue to run the others)",
        if total == 1 { "" } else { "s" }
    );
    exit::FAILED.into()
}

/// Reports the syntax errors of a script and gives the exit code.
pub fn report_syntax_errors<'a>(
    errors: impl Iterator<Item = &'a mcauth_syntax::SyntaxError>,
    printer: &mut OutputPrinter,
    nothing: &str,
) -> ExitCode {
    let mut n = 0;
    for error in errors {
        n += 1;
        if printer.diagnostics.is_full() {
            printer.diagnostics.count_hidden();
        } else {
            printer.report(&Report::error(error, Some(error.span)));
        }
    }
    printer.diagnostics.note_hidden();
    eprintln!(
        "{n} syntax error{}: {nothing}",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(exit::USAGE)
}
