//! Plan, then run: every statement of a script checked in order against a
//! simulated copy (an [`Overlay`]) of the state, without changing it.
//!
//! A statement that fails leaves the simulated state as it was, so the
//! statements after it are checked as `--on-error continue` would run them.

use std::fmt::{self, Display, Formatter, Write as _};

use mcauth_syntax::ast::Statement;
use serde::Serialize;

use crate::change::Change;
use crate::check::{Caller, Context};
use crate::failure::{Failure, Warning};
use crate::overlay::Overlay;
use crate::view::StateView;

/// What checking one statement found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// It passes and changes the state.
    WillRun {
        /// The changes it makes, in order.
        changes: Vec<Change>,
    },
    /// It passes and changes nothing (a query, or already so).
    NoChange,
    /// It cannot run.
    Fails(Failure),
}

/// One statement of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The statement's index in the script (0-based).
    pub index: usize,
    /// Whether it runs, changes nothing or fails.
    pub verdict: Verdict,
    /// What is worth knowing about it even when it runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// The plan of a whole script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// One step per statement, in script order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether no statement fails.
    pub fn is_clean(&self) -> bool {
        self.failures().next().is_none()
    }

    /// The steps that fail, with their failures.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &Failure)> {
        self.steps.iter().filter_map(|s| match &s.verdict {
            Verdict::Fails(f) => Some((s.index, f)),
            _ => None,
        })
    }

    /// Every change of the statements that pass, in order.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.steps.iter().flat_map(|s| match &s.verdict {
            Verdict::WillRun { changes } => changes.as_slice(),
            _ => &[],
        })
    }

    /// The `--dry-run` text, quoting each statement in canonical form.
    pub fn render<'a>(&'a self, statements: &'a [Statement]) -> PlanText<'a> {
        PlanText {
            plan: self,
            statements,
        }
    }
}

/// Plans a script against a view, as `caller`, without a clock.
pub fn plan(view: &(impl StateView + ?Sized), caller: &Caller, statements: &[Statement]) -> Plan {
    plan_in(view, caller, &Context::default(), statements)
}

/// Plans a script in a context. Session settings a statement makes
/// (`set odps.namespace.schema=true`) apply to the statements after it, as
/// they do when the script runs.
pub fn plan_in(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    ctx: &Context,
    statements: &[Statement],
) -> Plan {
    let mut planner = Planner::new(view, caller, ctx);
    let mut steps = Vec::with_capacity(statements.len());
    for statement in statements {
        steps.push(planner.step(statement));
    }
    Plan { steps }
}

/// Plans statements one at a time, as [`plan_in`] does, for a script too
/// large to hold: only the pending changes are kept, not the statements
/// nor their steps.
pub struct Planner<'a, V: StateView + ?Sized> {
    overlay: Overlay<'a, V>,
    caller: &'a Caller,
    ctx: &'a Context,
    /// The session a script sets up (`set odps.namespace.schema=…`) holds
    /// for the statements after it; the context is copied only then.
    session: Option<Context>,
    index: usize,
}

impl<'a, V: StateView + ?Sized> Planner<'a, V> {
    /// A planner reading `view` as `caller`, in `ctx`, with nothing planned yet.
    pub fn new(view: &'a V, caller: &'a Caller, ctx: &'a Context) -> Self {
        Planner {
            overlay: Overlay::new(view),
            caller,
            ctx,
            session: None,
            index: 0,
        }
    }

    /// Checks the next statement against the state the ones before it
    /// would leave.
    pub fn step(&mut self, statement: &Statement) -> Step {
        let ctx_now = self.session.as_ref().unwrap_or(self.ctx);
        let checked = self.overlay.check(self.caller, ctx_now, statement);
        if Context::is_session_setting(statement) {
            self.session
                .get_or_insert_with(|| self.ctx.clone())
                .observe(statement);
        }
        let (verdict, warnings) = match checked {
            Ok(effect) if effect.changes.is_empty() => (Verdict::NoChange, effect.warnings),
            Ok(mut effect) => {
                // A plan keeps every step: no spare capacity per statement.
                effect.changes.shrink_to_fit();
                (
                    Verdict::WillRun {
                        changes: effect.changes,
                    },
                    effect.warnings,
                )
            }
            Err(failure) => (Verdict::Fails(failure), Vec::new()),
        };
        let index = self.index;
        self.index += 1;
        Step {
            index,
            verdict,
            warnings,
        }
    }
}

/// How many steps of a plan will run, change nothing, and fail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanCounts {
    /// Steps that run and change the state.
    pub run: usize,
    /// Steps that run and change nothing.
    pub nothing: usize,
    /// Steps that fail.
    pub fail: usize,
}

impl PlanCounts {
    /// The plan's last line: `3 statement(s): 2 will run, 0 change
    /// nothing, 1 fail`.
    pub fn summary(&self) -> String {
        format!(
            "{} statement(s): {} will run, {} change nothing, {} fail",
            self.run + self.nothing + self.fail,
            self.run,
            self.nothing,
            self.fail
        )
    }
}

/// Appends one step of the `--dry-run` text, labelled `label` (the
/// statement's number, or its `file:line`), and counts it.
pub fn render_step(
    out: &mut String,
    label: &str,
    step: &Step,
    statement: Option<&Statement>,
    counts: &mut PlanCounts,
) -> fmt::Result {
    out.push_str(label);
    match statement {
        Some(s) => {
            out.push_str(": ");
            write!(out, "{s}")?;
            out.push('\n');
        }
        None => out.push_str(":\n"),
    }
    match &step.verdict {
        Verdict::WillRun { changes } => {
            counts.run += 1;
            out.push_str("   will run:\n");
            for c in changes {
                out.push_str("     - ");
                c.describe(out)?;
                out.push('\n');
            }
        }
        Verdict::NoChange => {
            counts.nothing += 1;
            out.push_str("   changes nothing\n");
        }
        Verdict::Fails(failure) => {
            counts.fail += 1;
            writeln!(out, "   fails: {} [{}]", failure.message, failure.code)?;
            writeln!(out, "     help: {}", failure.help)?;
            for w in &failure.warnings {
                writeln!(out, "     warning: {}", w.message)?;
            }
        }
    }
    for w in &step.warnings {
        writeln!(out, "   warning: {}", w.message)?;
    }
    Ok(())
}

/// The text rendering of a plan.
pub struct PlanText<'a> {
    plan: &'a Plan,
    statements: &'a [Statement],
}

/// How much rendered text [`PlanText`] collects before handing it on: a
/// line-buffered writer (stdout) then makes one write per chunk rather
/// than one per line.
const CHUNK: usize = 64 * 1024;

impl Display for PlanText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(CHUNK + 4096);
        let mut counts = PlanCounts::default();
        let mut label = String::new();
        for step in &self.plan.steps {
            label.clear();
            push_number(&mut label, step.index + 1);
            render_step(
                &mut out,
                &label,
                step,
                self.statements.get(step.index),
                &mut counts,
            )?;
            if out.len() >= CHUNK {
                f.write_str(&out)?;
                out.clear();
            }
        }
        out.push_str(&counts.summary());
        f.write_str(&out)
    }
}

/// Appends a number in decimal, without the formatting machinery.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(char::from(*d));
    }
}
