//! `mcauth plan FILE…`: the statements that take each project named to
//! the state the files describe, checked by the rules any script meets.
//! Exit 0 when nothing would change, 2 when something would, 1 on an
//! error (as `terraform plan -detailed-exitcode`).

use std::process::ExitCode;

use mcauth_engine::converge::{LeftAlone, Step, converge_noting};
use mcauth_engine::export::{CLEARED_POLICY, Item, Kind, items, policy_file, unknown_kinds};
use mcauth_engine::{Context, ProjectState, StateView};

use super::desired::{Loaded, load};
use super::render::{Shown, render};
use super::{Output, managed, now};
use crate::cli::{Cli, PlanArgs, PlanScope};
use crate::exit;
use crate::projects::{Outcome, run_each};
use crate::run::{Backend, Documents, printer::OutputPrinter};
use crate::target::Target;

/// A project's plan, ready to show and to run.
#[derive(Clone, PartialEq, Eq)]
pub struct Planned {
    pub project: String,
    pub target: String,
    pub kinds: Vec<Kind>,
    pub steps: Vec<Step>,
    /// What the file lacks that no statement can take away.
    pub left: Vec<LeftAlone>,
    /// The policy documents the steps' `put` statements name.
    pub documents: Documents,
}

impl Planned {
    pub fn show(&self, format: crate::cli::OutputFormat) -> String {
        render(
            &Shown {
                target: &self.target,
                project: &self.project,
                kinds: &self.kinds,
                steps: &self.steps,
                left: &self.left,
            },
            format,
        )
    }

    pub fn script(&self) -> String {
        let mut text = String::new();
        for step in &self.steps {
            text.push_str(&step.statement);
            text.push('\n');
        }
        text
    }

    pub fn destructive(&self) -> usize {
        self.steps.iter().filter(|s| s.destructive).count()
    }
}

/// The documents a plan's `put policy` statements name: the desired
/// state's, by [`policy_file`], and the empty one that clears a slot.
pub fn plan_documents(desired: &ProjectState, now: Option<i64>) -> Documents {
    let mut documents = Documents::new();
    documents.insert(CLEARED_POLICY.to_owned(), String::new());
    for item in items(desired, &[Kind::Policies], now) {
        if let Item::Policy { slot, document } = item {
            documents.insert(policy_file(&slot), document);
        }
    }
    documents
}

/// Plans `backend`'s project towards `desired`: `Err` holds the exit code
/// after the problem is printed.
pub fn plan_towards(
    backend: &mut dyn Backend,
    loaded: &Loaded,
    scope: &PlanScope,
    printer: &mut OutputPrinter,
) -> Result<Planned, u8> {
    let now = now();
    let target = backend.target_description();
    let project = backend.project_name();
    let caller = backend.caller().clone();
    let account = caller.account.clone();
    let current = backend.whole_state().map_err(|message| {
        eprintln!("mcauth: {message}");
        exit::CONFIG
    })?;
    let desired = loaded.build(&project, current.owner(), &account, now, printer)?;
    let kinds = managed(scope, loaded.header.as_deref(), &desired.named).map_err(|message| {
        eprintln!("mcauth: {message}");
        exit::USAGE
    })?;
    // A kind the backend cannot read is left alone when the file says
    // nothing of it (an export from the store names every kind); when the
    // file does, the plan cannot be made.
    let (unknown, silent): (Vec<Kind>, Vec<Kind>) = unknown_kinds(current, &kinds)
        .into_iter()
        .partition(|k| !desired.named.contains(k));
    if !silent.is_empty() {
        let names: Vec<&str> = silent.iter().map(|k| k.as_str()).collect();
        eprintln!(
            "mcauth: cannot plan {} of project {project}: the file names them, but they could not be read from where it is ({target}); leave them out with --manage",
            names.join(", "),
        );
        return Err(exit::FAILED);
    }
    let kinds: Vec<Kind> = kinds.into_iter().filter(|k| !unknown.contains(k)).collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
        eprintln!(
            "mcauth: note: {} of project {project} could not be read from where it is; the file names none, so the plan leaves them alone",
            names.join(", "),
        );
    }
    let (steps, left) = converge_noting(current, &desired.state, &kinds, now);
    let documents = plan_documents(&desired.state, now);
    let planned = Planned {
        project,
        target,
        kinds,
        steps,
        left,
        documents,
    };
    check(current, &caller, &planned, now, printer.diagnostics.limit)?;
    Ok(planned)
}

/// Checks a plan's statements against the project as any script is
/// checked: the caller's authority and MaxCompute's rules. At most
/// `limit` failures are listed (`--max-diagnostics`); the rest are counted.
fn check(
    current: &ProjectState,
    caller: &mcauth_engine::Caller,
    planned: &Planned,
    now: Option<i64>,
    limit: Option<usize>,
) -> Result<(), u8> {
    let script = planned.script();
    let parsed = mcauth_syntax::parse(&script);
    if let Some(error) = parsed.errors.first() {
        // A statement the engine wrote that does not read back is a bug.
        eprintln!(
            "mcauth: internal error: a planned statement does not parse: {}",
            error.message
        );
        return Err(exit::FAILED);
    }
    let ctx = Context {
        now,
        documents: planned.documents.clone(),
        ..Context::default()
    };
    let plan = mcauth_engine::plan_in(current, caller, &ctx, &parsed.statements);
    let total = plan.failures().count();
    if total == 0 {
        return Ok(());
    }
    let shown = limit.map_or(total, |max| max.min(total));
    let failures: Vec<String> = plan
        .failures()
        .take(shown)
        .map(|(i, failure)| {
            let statement = parsed
                .statements
                .get(i)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("  {statement}\n    {}: {}", failure.code, failure.message)
        })
        .collect();
    eprintln!(
        "mcauth: the plan for project {} would fail as {}:\n{}",
        planned.project,
        caller.principal,
        failures.join("\n")
    );
    if total > shown {
        let hidden = total - shown;
        eprintln!(
            "mcauth: {hidden} more failure{} not shown (--max-diagnostics 0 shows all)",
            if hidden == 1 { "" } else { "s" }
        );
    }
    Err(exit::FAILED)
}

/// What `plan` and `apply` start from: the desired state read, and where
/// and on which projects it is planned.
pub struct Planning {
    pub output: Output,
    pub loaded: Loaded,
    pub target: Target,
    pub projects: Vec<String>,
}

impl Planning {
    /// Reads `files` and resolves the target; `Err` is the exit code, the
    /// problem printed.
    pub fn prepare(
        cli: &Cli,
        files: &[std::path::PathBuf],
        format: crate::cli::OutputFormat,
    ) -> Result<Planning, ExitCode> {
        let output = Output::of(cli, format);
        let mut printer = output.printer();
        let loaded = load(files, &mut printer).map_err(ExitCode::from)?;
        let (target, projects) = super::targets(cli)?;
        Ok(Planning {
            output,
            loaded,
            target,
            projects,
        })
    }
}

/// `mcauth plan`.
pub fn run(args: &PlanArgs, cli: &Cli) -> ExitCode {
    let p = match Planning::prepare(cli, &args.files, args.scope.format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (code, _) = plan_each(
        cli,
        &p.target,
        &p.projects,
        &p.loaded,
        &args.scope,
        p.output,
    );
    ExitCode::from(code)
}

/// Plans every project and prints each plan; the plans come back in
/// order (`None` where planning failed).
pub fn plan_each(
    cli: &Cli,
    target: &Target,
    projects: &[String],
    loaded: &Loaded,
    scope: &PlanScope,
    output: Output,
) -> (u8, Vec<Option<Planned>>) {
    let (code, plans) = run_each(projects, crate::projects::jobs(&cli.target), |project| {
        let planned = plan_one(cli, target, project, loaded, scope, output);
        match planned {
            Ok(planned) => {
                crate::io::write(
                    crate::io::Stream::Stdout,
                    planned.show(output.format).as_bytes(),
                );
                let outcome = if planned.steps.is_empty() {
                    Outcome {
                        code: 0,
                        line: "no changes".into(),
                    }
                } else {
                    Outcome {
                        code: 2,
                        line: format!("{} steps", planned.steps.len()),
                    }
                };
                (outcome, Some(planned))
            }
            Err(code) => (
                Outcome {
                    code,
                    line: "failed".into(),
                },
                None,
            ),
        }
    });
    (code, plans.into_iter().map(Option::flatten).collect())
}

/// Opens a project and plans it.
pub fn plan_one(
    cli: &Cli,
    target: &Target,
    project: &str,
    loaded: &Loaded,
    scope: &PlanScope,
    output: Output,
) -> Result<Planned, u8> {
    let project = (!project.is_empty()).then_some(project);
    let mut backend = crate::run::open_backend(cli, target, project, output.printer())
        .map_err(|message| crate::projects::could_not_open(&message).code)?;
    let mut printer = output.printer();
    plan_towards(backend.as_mut(), loaded, scope, &mut printer)
}
