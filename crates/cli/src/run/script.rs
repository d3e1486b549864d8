//! Running a whole script: parse it all, plan it all, then execute.

use mcauth_engine::{Caller, Context, check_in};
use mcauth_store::{Project, Store};

use mcauth_syntax::ast::Statement;

use std::process::ExitCode;

use mcauth_engine::Plan;

use crate::cli::{OnError, ResultFormat};
use crate::diagnostics::Report;
use crate::exit;
use crate::run::printer::OutputPrinter;
use crate::source::ScriptText;

/// How often a long script commits: each batch's results are printed
/// right after its commit.
const BATCH: usize = 1000;

/// What happened to a script.
#[derive(Debug, Default)]
pub struct Tally {
    pub ran: usize,
    pub failed: usize,
    /// Not run: after a failure with `--on-error stop`.
    pub skipped: usize,
    /// Skipped by `--skip-existing`: already there.
    pub existing: usize,
}

impl Tally {
    /// The summary line `--echo` and `-v` print after a script, the same
    /// on both backends: `4 ran, 1 skipped, 1 failed, 2 not run`.
    pub fn summary(&self) -> String {
        format!(
            "{} ran, {} skipped, {} failed, {} not run",
            self.ran, self.existing, self.failed, self.skipped
        )
    }
}

/// Executes statements in order, committing in batches and printing each
/// batch's results after it is durable. With `OnError::Stop` the first
/// failure ends the run.
pub fn execute(
    store: &mut Store,
    project: &mut Project,
    who: (&Caller, &Context),
    script: (&str, &[Statement]),
    on_error: OnError,
    printer: &mut OutputPrinter,
) -> Result<Tally, mcauth_store::StoreError> {
    let (caller, ctx) = who;
    let (source, statements) = script;
    let mut tally = Tally::default();
    let mut index = 0;
    // What the script sets for its session (`set odps.namespace.schema=…`)
    // holds for the statements after it, as in the plan.
    let mut session: Option<Context> = None;
    while index < statements.len() {
        let mut batch = store.begin(project)?;
        let mut pending = Vec::new();
        let mut stop = false;
        for (offset, statement) in statements[index..].iter().take(BATCH).enumerate() {
            let result = check_in(
                batch.state(),
                caller,
                session.as_ref().unwrap_or(ctx),
                statement,
            );
            if Context::is_session_setting(statement) {
                session
                    .get_or_insert_with(|| ctx.clone())
                    .observe(statement);
            }
            match result {
                Ok(effect) => {
                    let text = source.get(statement.span.range()).unwrap_or_default();
                    batch.record(text, &effect.changes)?;
                    if effect.is_skipped() {
                        tally.existing += 1;
                    } else {
                        tally.ran += 1;
                    }
                    pending.push((index + offset, Ok(effect)));
                }
                Err(failure) => {
                    tally.failed += 1;
                    pending.push((index + offset, Err(failure)));
                    if on_error == OnError::Stop {
                        stop = true;
                        break;
                    }
                }
            }
        }
        batch.commit()?;
        index += pending.len();
        for (i, result) in pending {
            printer.result(&statements[i], result);
        }
        if stop {
            tally.skipped = statements.len() - index;
            break;
        }
    }
    Ok(tally)
}

/// A parsed script and the policy documents its `put … policy`
/// statements name.
pub struct Prepared {
    pub statements: Vec<Statement>,
    pub documents: super::Documents,
}

/// Parses a whole script for either backend and reads the policy files it
/// names. Syntax errors (exit 2) and policy files with errors (exit 1) are
/// reported here, and `Err` holds the exit code: then nothing may run.
/// `nothing` says what did not happen ("nothing was run", "nothing was
/// sent").
pub fn prepare(
    name: &str,
    text: &ScriptText,
    preset: &super::Documents,
    printer: &mut OutputPrinter,
    nothing: &str,
) -> Result<Prepared, ExitCode> {
    prepare_keeping(name, text, preset, printer, nothing, Keep::All)
}

/// Which statements [`prepare_keeping`] holds on to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// Only `put … policy` statements (to read their files): a script
    /// planned as it is read again needs no more.
    PolicyPuts,
}

/// [`prepare`], keeping only the statements `keep` asks for.
pub fn prepare_keeping(
    name: &str,
    text: &ScriptText,
    preset: &super::Documents,
    printer: &mut OutputPrinter,
    nothing: &str,
    keep: Keep,
) -> Result<Prepared, ExitCode> {
    printer.set_source(name, text);
    // Streamed: a script of syntax errors is reported as it is read, and
    // its errors are not all held at once (nor, after the first, its
    // statements).
    // At most a statement per `;` (and per 8 bytes): reserved once, as
    // `syntax::parse` does, rather than copied as the vector grows.
    let mut statements = if keep == Keep::All {
        let semicolons = bytecount(text.as_bytes(), b';');
        Vec::with_capacity(semicolons.min(text.len() / 8) + 1)
    } else {
        Vec::new()
    };
    let mut errors = 0usize;
    for item in mcauth_syntax::statements(text) {
        match item {
            Ok(statement) if errors == 0 && (keep == Keep::All || is_policy_put(&statement)) => {
                statements.push(statement);
            }
            Ok(_) => {}
            Err(error) => {
                if errors == 0 {
                    statements = Vec::new();
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
    let files = super::policy_files::read_policy_files(&statements, preset, &printer.diagnostics);
    if files.refused > 0 {
        eprintln!("{nothing}");
        return Err(exit::FAILED.into());
    }
    Ok(Prepared {
        statements,
        documents: files.documents,
    })
}

/// `put policy FILE` and `put security policy FILE`: their files are read
/// before anything runs.
fn is_policy_put(statement: &Statement) -> bool {
    use mcauth_syntax::ast::StatementKind;
    matches!(
        statement.kind,
        StatementKind::PutPolicy { .. } | StatementKind::PutSecurityPolicy { .. }
    )
}

/// `--dry-run` on a script too large to hold whole: each statement is
/// parsed again, planned against what the ones before it would leave,
/// and its step printed, so memory holds the pending changes and no
/// more. Steps are labelled `file:line`, as `--echo` labels results.
pub fn stream_plan<V: mcauth_engine::StateView + ?Sized>(
    view: &V,
    who: (&Caller, &Context),
    text: &ScriptText,
    printer: &mut OutputPrinter,
) -> ExitCode {
    const CHUNK: usize = 64 * 1024;
    let (caller, ctx) = who;
    printer.flush();
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
        label.push_str(&printer.name);
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

/// Acts on a script's plan before anything runs: `--dry-run` prints it,
/// and with `--on-error stop` a plan with failures reports them. `Some`
/// holds the exit code when the run ends here.
pub fn settle_plan(
    plan: &Plan,
    statements: &[Statement],
    dry_run: bool,
    on_error: OnError,
    printer: &mut OutputPrinter,
    nothing: &str,
) -> Option<ExitCode> {
    if dry_run {
        print_plan(plan, statements, printer);
        return Some(if plan.is_clean() {
            ExitCode::SUCCESS
        } else {
            exit::FAILED.into()
        });
    }
    if plan.is_clean() || on_error == OnError::Continue {
        return None;
    }
    let failures = plan
        .failures()
        .map(|(index, failure)| (statements.get(index), failure));
    Some(report_failures(
        failures,
        statements.len(),
        printer,
        nothing,
    ))
}

/// Prints a plan held whole, each step labelled `file:line`.
fn print_plan(plan: &Plan, statements: &[Statement], printer: &mut OutputPrinter) {
    printer.flush();
    let mut counts = mcauth_engine::PlanCounts::default();
    let mut out = String::new();
    for step in &plan.steps {
        let statement = statements.get(step.index);
        let label = match statement {
            Some(s) => printer.label(s.span.start),
            None => (step.index + 1).to_string(),
        };
        if mcauth_engine::render_step(&mut out, &label, step, statement, &mut counts).is_err() {
            break;
        }
    }
    out.push_str(&counts.summary());
    println!("{out}");
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
