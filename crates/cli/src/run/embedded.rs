//! The embedded backend: statements run on the SQLite store.

use mcauth_engine::{Caller, Context};
use mcauth_store::{Project, Store};

use super::printer::OutputPrinter;
use super::{
    Backend, CompletionNames, Documents, SessionOptions, completion_names, driver, identity,
};
use crate::cli::Cli;
use crate::target::StoreChoice;

impl Backend for Session {
    fn other_project(&mut self, name: &str) -> Result<Option<mcauth_engine::ProjectState>, String> {
        other_project(&mut self.store, &self.project, name)
    }

    fn project_name(&self) -> String {
        self.project.state().name().to_owned()
    }

    fn caller_name(&self) -> String {
        self.caller.principal.to_string()
    }

    fn location(&self) -> String {
        let path = self.store.path();
        format!(
            "in {}",
            std::path::absolute(path)
                .as_deref()
                .unwrap_or(path)
                .display()
        )
    }

    fn nothing_done(&self) -> &'static str {
        "nothing was run"
    }

    fn printer(&mut self) -> &mut OutputPrinter {
        &mut self.printer
    }

    fn options(&self) -> &SessionOptions {
        &self.options
    }

    fn options_mut(&mut self) -> &mut SessionOptions {
        &mut self.options
    }

    fn completion_names(&mut self) -> CompletionNames {
        completion_names(self.project.state())
    }

    fn use_project(&mut self, name: &str) -> Result<(), String> {
        let projects = self.list_projects()?;
        let Some(found) = projects
            .iter()
            .find(|p| p.as_str() == name)
            .or_else(|| projects.iter().find(|p| p.eq_ignore_ascii_case(name)))
        else {
            let guess = mcauth_syntax::did_you_mean(name, projects.iter().map(String::as_str))
                .map(|g| format!("did you mean `{g}`? "))
                .unwrap_or_default();
            return Err(format!(
                "project {name} is not in the store\n  help: {guess}`list projects;` shows them; mcauth --project {name} starts a new one"
            ));
        };
        let owner = mcauth_engine::StateView::owner(self.project.state()).clone();
        self.project = self
            .store
            .project(found, &owner)
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        Ok(())
    }

    fn list_projects(&mut self) -> Result<Vec<String>, String> {
        self.store
            .projects()
            .map_err(|e| crate::diagnostics::one_line(&e))
    }

    fn caller(&self) -> &Caller {
        &self.caller
    }

    fn holds_whole_project(&self) -> bool {
        true
    }

    fn read_state(
        &mut self,
        _needs: &mcauth_engine::Needs,
    ) -> Result<Option<(&mcauth_engine::ProjectState, Option<i64>)>, String> {
        // Catch up with what other processes committed first.
        self.store
            .refresh(&mut self.project)
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        Ok(Some((self.project.state(), self.options.ctx.now)))
    }

    fn execute(&mut self, run: &mut driver::Run<'_>) -> Result<(), String> {
        let failed = |e: mcauth_store::StoreError| crate::diagnostics::one_line(&e);
        let mut batch = self.store.begin(&mut self.project).map_err(failed)?;
        for _ in 0..BATCH {
            let Some((statement, text)) = run.next() else {
                break;
            };
            let caller = &self.caller;
            let result = batch
                .check_and_record(text, |state| {
                    mcauth_engine::check_in(state, caller, run.context(), &statement)
                })
                .map_err(failed)?;
            run.outcome(statement, driver::Outcome::Checked(result));
        }
        batch.commit().map_err(failed)
    }
}

/// How many statements of a script the store commits at once: each
/// batch's results are printed right after its commit.
const BATCH: usize = 1000;

/// An open project and everything needed to run statements on it.
pub struct Session {
    pub store: Store,
    pub project: Project,
    pub caller: Caller,
    pub printer: OutputPrinter,
    pub options: SessionOptions,
}

impl Session {
    /// Opens the store the target rule chose and the project named on
    /// the command line.
    pub fn open(
        cli: &Cli,
        store: &StoreChoice,
        project: Option<&str>,
        printer: OutputPrinter,
    ) -> Result<Session, String> {
        let Opened {
            store,
            project,
            caller,
            ctx,
        } = Opened::open(&cli.target, store, project, cli.run.skip_existing)?;
        Ok(Session {
            store,
            project,
            caller,
            printer,
            options: SessionOptions::new(cli, ctx),
        })
    }
}

/// The store, the project in it, and who runs statements, from the
/// store the target rule chose, `--project` and `--as`.
struct Opened {
    store: Store,
    project: Project,
    caller: Caller,
    ctx: Context,
}

impl Opened {
    fn open(
        target: &crate::cli::TargetArgs,
        store: &StoreChoice,
        project: Option<&str>,
        skip_existing: bool,
    ) -> Result<Opened, String> {
        let path = store.ready()?;
        let mut store = Store::open(path).map_err(|e| crate::diagnostics::one_line(&e))?;
        let owner = identity::local_identity()?;
        let project = store
            .project(project.unwrap_or(project_name(target)), &owner)
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        let caller = identity::caller(target.as_principal.as_deref())?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok());
        let ctx = Context {
            now,
            endpoint: Some(format!("local:{}", path.display())),
            skip_existing,
            ..Context::default()
        };
        Ok(Opened {
            store,
            project,
            caller,
            ctx,
        })
    }
}

/// The project and caller for `mcauth check --plan`: semantic checks
/// against the store, with nothing run.
pub struct Planner {
    store: Store,
    project: Project,
    caller: Caller,
    ctx: Context,
}

impl Planner {
    pub fn open(target: &crate::cli::TargetArgs, store: &StoreChoice) -> Result<Planner, String> {
        let Opened {
            store,
            project,
            caller,
            ctx,
            ..
        } = Opened::open(target, store, None, false)?;
        Ok(Planner {
            store,
            project,
            caller,
            ctx,
        })
    }

    /// The project as the store holds it (whole: every fact known).
    pub fn state(&self) -> &mcauth_engine::ProjectState {
        self.project.state()
    }

    /// The project's recorded statements, oldest first (see
    /// [`Store::history`]).
    pub fn history(
        &self,
        visit: impl FnMut(i64, &str, &[mcauth_engine::Change]),
    ) -> Result<(), String> {
        self.store
            .history(self.project.state().name(), visit)
            .map_err(|e| crate::diagnostics::one_line(&e))
    }

    /// The clock the checks use.
    pub fn now(&self) -> Option<i64> {
        self.ctx.now
    }

    /// Another project of the same store, whole, if the store holds it
    /// (asking creates nothing).
    pub fn other_project(
        &mut self,
        name: &str,
    ) -> Result<Option<mcauth_engine::ProjectState>, String> {
        other_project(&mut self.store, &self.project, name)
    }

    /// Plans statements (`check --plan`), with what their checks need
    /// beyond the project read as a run reads it (`run::beyond`).
    pub fn plan(
        &mut self,
        statements: &[mcauth_syntax::ast::Statement],
        documents: Documents,
    ) -> Result<mcauth_engine::Plan, String> {
        let mut ctx = Context {
            documents,
            ..self.ctx.clone()
        };
        let beyond = super::beyond::Beyond::of(statements);
        let here = self.project.state().name().to_ascii_lowercase();
        for name in beyond.installs.iter().filter(|n| **n != here) {
            if let Some(state) = self.other_project(name)? {
                ctx.packages_elsewhere
                    .insert(name.clone(), mcauth_engine::packages_allowed(&state));
            }
        }
        Ok(mcauth_engine::plan_in(
            self.project.state(),
            &self.caller,
            &ctx,
            statements,
        ))
    }
}

/// Project `name` of `store`, whole, if the store holds it: never
/// created by asking. Loaded as owned by `here`'s owner only if missing,
/// which it is not.
fn other_project(
    store: &mut Store,
    here: &Project,
    name: &str,
) -> Result<Option<mcauth_engine::ProjectState>, String> {
    let line = |e: mcauth_store::StoreError| crate::diagnostics::one_line(&e);
    let names = store.projects().map_err(line)?;
    let Some(name) = names.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
        return Ok(None);
    };
    let owner = mcauth_engine::StateView::owner(here.state()).clone();
    let project = store.project(name, &owner).map_err(line)?;
    Ok(Some(project.state().clone()))
}

/// The project on the embedded store: the first `--project`, else
/// `default`.
fn project_name(target: &crate::cli::TargetArgs) -> &str {
    target.project.first().map_or("default", String::as_str)
}
