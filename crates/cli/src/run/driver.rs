//! The one script driver, for both backends. It owns the passes over a
//! script (syntax, policy files, the check of the whole script, then
//! execution) and what each statement's outcome prints; a backend reads
//! facts ([`Backend::read_state`]) and executes statements one after
//! another ([`Backend::execute`]).
//!
//! Each pass parses the script again (`syntax::statements`) rather than
//! keeping its statements, so memory holds one statement at a time (plus
//! the project's state and, for a plan, the pending changes).

use std::process::ExitCode;

use mcauth_engine::{
    Context, Effect, Fact, Failure, Needs, Planner, ProjectState, StateView, Verdict, Warning,
    check_in,
};
use mcauth_syntax::ast::Statement;

use super::beyond::Beyond;
use super::{Backend, Documents};
use crate::cli::OnError;
use crate::exit;
use crate::source::ScriptText;

/// What became of one statement a backend executed.
pub enum Outcome {
    /// mcauth's own check decided it: its effect (run, or skipped by
    /// `--skip-existing`) or its failure.
    Checked(Result<Effect, Failure>),
    /// MaxCompute ran it and answered, with the warnings mcauth's check
    /// of it gave; `change` when the statement changes the project.
    Answered {
        answer: String,
        change: bool,
        /// The kind of result mcauth's check expected (the `type` of its
        /// JSON form: `users`, `grants`, …), when it checked it.
        kind: Option<String>,
        warnings: Vec<Warning>,
    },
    /// MaxCompute refused it.
    Refused(mcauth_odps::OdpsError),
}

impl Outcome {
    fn failed(&self) -> bool {
        matches!(self, Outcome::Checked(Err(_)) | Outcome::Refused(_))
    }
}

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

/// One execution of statements: the backend takes each from it in turn
/// ([`Run::next`]), checks it in [`Run::context`] and hands back what
/// became of it ([`Run::outcome`]). The driver prints the outcomes after
/// each unit of work the backend completes, when they are durable.
pub struct Run<'a> {
    statements: std::iter::Peekable<Box<dyn Iterator<Item = (Statement, &'a str)> + 'a>>,
    /// The context of the next statement: the session's, with the
    /// settings the statements before it made.
    ctx: Context,
    on_error: OnError,
    tally: Tally,
    /// Outcomes not yet durable, in order.
    pending: Vec<(Statement, Outcome)>,
    /// A statement failed under `--on-error stop`: no more are handed out.
    stopped: bool,
    /// How many statements were handed out.
    handed: usize,
}

impl<'a> Run<'a> {
    fn new(
        statements: impl Iterator<Item = (Statement, &'a str)> + 'a,
        ctx: Context,
        on_error: OnError,
    ) -> Self {
        let statements: Box<dyn Iterator<Item = (Statement, &'a str)> + 'a> = Box::new(statements);
        Run {
            statements: statements.peekable(),
            ctx,
            on_error,
            tally: Tally::default(),
            pending: Vec::new(),
            stopped: false,
            handed: 0,
        }
    }

    /// Whether [`Run::next`] has a statement to give.
    pub fn has_next(&mut self) -> bool {
        !self.stopped && self.statements.peek().is_some()
    }

    /// The next statement and its text as the user wrote it.
    pub fn next(&mut self) -> Option<(Statement, &'a str)> {
        if self.stopped {
            return None;
        }
        let next = self.statements.next()?;
        self.handed += 1;
        Some(next)
    }

    /// The context the statement [`Run::next`] gave last runs in.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// What became of the statement [`Run::next`] gave last. A failure
    /// under `--on-error stop` ends the run: [`Run::next`] then gives no
    /// more.
    pub fn outcome(&mut self, statement: Statement, outcome: Outcome) {
        match &outcome {
            Outcome::Checked(Ok(effect)) if effect.is_skipped() => self.tally.existing += 1,
            Outcome::Checked(Ok(_)) | Outcome::Answered { .. } => self.tally.ran += 1,
            Outcome::Checked(Err(_)) | Outcome::Refused(_) => {
                self.tally.failed += 1;
                self.stopped = self.on_error == OnError::Stop;
            }
        }
        // A session setting holds for the statements after it.
        if Context::is_session_setting(&statement) && !outcome.failed() {
            self.ctx.observe(&statement);
        }
        self.pending.push((statement, outcome));
    }
}

/// Executes what `run` gives on `backend`, a unit of work at a time,
/// printing each unit's outcomes once it is done: a unit that fails
/// (its batch not committed) prints nothing.
fn execute<B: Backend + ?Sized>(backend: &mut B, run: &mut Run<'_>) -> Result<(), String> {
    while run.has_next() {
        backend.execute(run)?;
        let printer = backend.printer();
        for (statement, outcome) in run.pending.drain(..) {
            printer.outcome(&statement, outcome);
        }
        printer.flush();
    }
    Ok(())
}

/// Runs a whole script. Syntax errors: nothing runs (exit 2). A policy
/// file with errors: nothing runs (exit 1). Failed checks: with `stop`,
/// nothing runs (exit 1); with `continue`, the statements that pass run.
/// `--dry-run` prints the plan and runs nothing.
pub fn run_script<B: Backend + ?Sized>(
    backend: &mut B,
    name: &str,
    text: &ScriptText,
    on_error: OnError,
) -> ExitCode {
    let nothing = backend.nothing_done();
    let preset = std::mem::take(&mut backend.options_mut().preset);
    let prepared = super::script::prepare(name, text, &preset, backend.printer(), nothing);
    backend.options_mut().preset = preset;
    let (total, documents, beyond) = match prepared {
        Ok(prepared) => (prepared.total, prepared.documents, prepared.beyond),
        Err(code) => return code,
    };
    let mut ctx = backend.options().ctx.clone();
    ctx.documents = documents;
    if let Err(message) = beyond.read_into(backend, &mut ctx) {
        return backend_failed(backend, &message);
    }
    if backend.options().dry_run {
        return dry_run(backend, text, &ctx);
    }
    if on_error == OnError::Stop {
        // With `continue` a check of the whole script would decide
        // nothing: each statement is checked as it runs.
        let failures = match failures(backend, text, &ctx) {
            Ok(failures) => failures,
            Err(message) => return backend_failed(backend, &message),
        };
        if !failures.is_empty() {
            return super::script::report_failures(
                failures.iter().map(|(s, f)| (Some(s), f)),
                total,
                backend.printer(),
                nothing,
            );
        }
    }
    let mut run = Run::new(statements_of(text), ctx, on_error);
    if let Err(message) = execute(backend, &mut run) {
        return backend_failed(backend, &message);
    }
    let Run {
        mut tally,
        handed,
        ctx,
        ..
    } = run;
    tally.skipped = total - handed;
    backend.options_mut().ctx = ctx;
    if backend.options().summary {
        eprintln!("{}", tally.summary());
    }
    if tally.failed > 0 {
        exit::FAILED.into()
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks, runs and prints one statement (the prompt's), with the policy
/// documents it names; `Err` only when the backend itself failed (store
/// or connection). A session setting holds for the prompt's next
/// statements.
pub fn run_statement<B: Backend + ?Sized>(
    backend: &mut B,
    statement: &Statement,
    text: &str,
    documents: Documents,
) -> Result<(), String> {
    let mut ctx = backend.options().ctx.clone();
    ctx.documents = documents;
    Beyond::of([statement]).read_into(backend, &mut ctx)?;
    let mut run = Run::new(
        std::iter::once((statement.clone(), text)),
        ctx,
        OnError::Continue,
    );
    let executed = execute(backend, &mut run);
    backend.printer().flush();
    executed?;
    backend.options_mut().ctx = run.ctx;
    Ok(())
}

/// Checks one statement against the project's current state without
/// running it, with the policy documents it names: `Ok(Some)` is the
/// failure it would meet; `Ok(None)` when it would run, or when the
/// backend cannot check it (MaxCompute then judges it alone).
pub fn check_statement<B: Backend + ?Sized>(
    backend: &mut B,
    statement: &Statement,
    documents: Documents,
) -> Result<Option<Failure>, String> {
    let caller = backend.caller().clone();
    let mut ctx = backend.options().ctx.clone();
    ctx.documents = documents;
    Beyond::of([statement]).read_into(backend, &mut ctx)?;
    let read = read_for(backend, || std::iter::once(statement.clone()))?;
    Ok(read.and_then(|state| check_in(state, &caller, &ctx, statement).err()))
}

/// The project's whole state, as far as the backend can read it: every
/// kind an export holds, then the grants of every member and role. What
/// it could not read stays unknown in the state.
pub fn whole_state<B: Backend + ?Sized>(backend: &mut B) -> Result<&ProjectState, String> {
    let unreadable = format!(
        "{} may not read project {} (its owner), so its state cannot be read",
        backend.caller_name(),
        backend.project_name()
    );
    let mut needs = Needs::default();
    if !backend.holds_whole_project() {
        for kind in mcauth_engine::export::Kind::ALL {
            needs.facts.extend(kind.facts().iter().copied());
        }
        needs.facts.remove(&Fact::Grants);
        let Some((state, _)) = backend.read_state(&needs)? else {
            return Err(unreadable);
        };
        needs = Needs {
            facts: Default::default(),
            grants_of: crate::explain::project::everyone(state),
        };
    }
    match backend.read_state(&needs)? {
        Some((state, _)) => Ok(state),
        None => Err(unreadable),
    }
}

/// Plans statements with the policy documents they name, against the
/// project as the backend reads it; nothing runs (`check --plan`).
pub fn plan<B: Backend + ?Sized>(
    backend: &mut B,
    statements: &[Statement],
    documents: Documents,
) -> Result<mcauth_engine::Plan, String> {
    let caller = backend.caller().clone();
    let project = backend.project_name();
    let mut ctx = backend.options().ctx.clone();
    ctx.documents = documents;
    Beyond::of(statements).read_into(backend, &mut ctx)?;
    match read_for(backend, || statements.iter().cloned())? {
        Some(state) => Ok(mcauth_engine::plan_in(state, &caller, &ctx, statements)),
        None => Err(cannot_plan(&project)),
    }
}

/// Why a plan cannot be made against a project the caller may not read.
fn cannot_plan(project: &str) -> String {
    crate::diagnostics::one_line(&crate::remote::invalid(&format!(
        "planning needs to read project {project} (its owner), which this caller may not"
    )))
}

/// The statements of a script, parsed again, each with its text as the
/// user wrote it.
fn statements_of(text: &str) -> impl Iterator<Item = (Statement, &str)> {
    mcauth_syntax::statements(text)
        .flatten()
        .map(move |statement| {
            let source = text.get(statement.span.range()).unwrap_or_default();
            (statement, source)
        })
}

/// Reads what `statements` need (the store holds the project whole and
/// reads nothing more), and gives the project as read: `None` when the
/// caller may not read it at all.
fn read_for<B, I>(
    backend: &mut B,
    statements: impl Fn() -> I,
) -> Result<Option<&ProjectState>, String>
where
    B: Backend + ?Sized,
    I: Iterator<Item = Statement>,
{
    let mut needs = Needs::default();
    if !backend.holds_whole_project() {
        // The project first: what a statement reads depends on its owner.
        let owner = match backend.read_state(&Needs::default())? {
            Some((state, _)) => state.owner().clone(),
            None => return Ok(None),
        };
        let caller = backend.caller().clone();
        for statement in statements() {
            needs.add(&statement, &caller, &owner);
        }
    }
    Ok(backend.read_state(&needs)?.map(|(state, _)| state))
}

/// Checks every statement of a script in order against the state the
/// ones before it would leave, keeping only the failures (with their
/// statements, for the JSON form).
fn failures<B: Backend + ?Sized>(
    backend: &mut B,
    text: &str,
    ctx: &Context,
) -> Result<Vec<(Statement, Failure)>, String> {
    let caller = backend.caller().clone();
    let parsed = || mcauth_syntax::statements(text).flatten();
    // Unreadable: nothing to check against.
    let Some(state) = read_for(backend, parsed)? else {
        return Ok(Vec::new());
    };
    let mut planner = Planner::new(state, &caller, ctx);
    let mut failures = Vec::new();
    for statement in parsed() {
        if let Verdict::Fails(failure) = planner.step(&statement).verdict {
            failures.push((statement, failure));
        }
    }
    Ok(failures)
}

/// `--dry-run`: the plan, streamed (see [`super::script::stream_plan`]).
fn dry_run<B: Backend + ?Sized>(backend: &mut B, text: &ScriptText, ctx: &Context) -> ExitCode {
    let caller = backend.caller().clone();
    let project = backend.project_name();
    let printer = backend.printer();
    printer.flush();
    let name = printer.name.clone();
    let message = match read_for(backend, || mcauth_syntax::statements(text).flatten()) {
        Ok(Some(state)) => return super::script::stream_plan(state, (&caller, ctx), text, &name),
        Ok(None) => cannot_plan(&project),
        Err(message) => message,
    };
    backend_failed(backend, &message)
}

/// The backend itself failed (the store, or the connection): the run
/// ends with what was printed so far.
fn backend_failed<B: Backend + ?Sized>(backend: &mut B, message: &str) -> ExitCode {
    backend.printer().flush();
    eprintln!("mcauth: {message}");
    ExitCode::from(exit::CONFIG)
}
