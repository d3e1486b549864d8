//! The seam between the script driver and the two backends: what a
//! session runs with ([`SessionOptions`]) and what a backend must do
//! ([`Backend`]).

use std::process::ExitCode;

use mcauth_engine::{Caller, Context};

use super::printer::OutputPrinter;
use super::{Documents, driver};
use crate::cli::{Cli, OnError};
use crate::source::ScriptText;

/// What a session runs with, the same on both backends.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// The context statements start from (the clock, `--skip-existing`),
    /// with the session settings the statements run so far made.
    pub ctx: Context,
    pub dry_run: bool,
    /// `--yes`: ask no confirmation at the prompt.
    pub yes: bool,
    /// `--echo` / `-v`: a summary line after a script.
    pub summary: bool,
    /// Policy documents by path, used instead of reading files when a
    /// script's `put policy` names them (a plan names documents that are
    /// in memory).
    pub preset: Documents,
}

impl SessionOptions {
    pub fn new(cli: &Cli, ctx: Context) -> Self {
        SessionOptions {
            ctx,
            dry_run: cli.run.dry_run,
            yes: cli.run.yes,
            summary: cli.run.verbose > 0 || cli.run.echo,
            preset: Documents::new(),
        }
    }
}

/// A backend: the embedded store or MaxCompute. It reads facts
/// ([`Backend::read_state`]) and executes statements
/// ([`Backend::execute`]); scripts, the REPL and access-as-code drive it
/// through [`driver`], which owns the passes and what is printed.
pub trait Backend {
    fn project_name(&self) -> String;
    fn caller_name(&self) -> String;
    /// Where statements go: `in /path/to/store.db`, `on http://…/api`.
    fn location(&self) -> String;
    /// The project, where it is and who acts on it, for the REPL's banner
    /// and `-v`: `project dev in /path/to/store.db as ALIYUN$x`.
    fn target_description(&self) -> String {
        format!(
            "project {} {} as {}",
            self.project_name(),
            self.location(),
            self.caller_name()
        )
    }
    /// What a script that stops before running says did not happen:
    /// `nothing was run`, `nothing was sent`.
    fn nothing_done(&self) -> &'static str;
    fn printer(&mut self) -> &mut OutputPrinter;
    fn options(&self) -> &SessionOptions;
    fn options_mut(&mut self) -> &mut SessionOptions;
    /// Principals and roles for completion, from what is already known
    /// locally: completion never waits on the network.
    fn completion_names(&mut self) -> CompletionNames;
    /// `use <project>;` at the prompt: later statements go to `name`.
    fn use_project(&mut self, name: &str) -> Result<(), String>;
    /// `list projects;` at the prompt.
    fn list_projects(&mut self) -> Result<Vec<String>, String>;
    /// Who runs statements.
    fn caller(&self) -> &Caller;
    /// Whether [`Backend::read_state`] always gives the whole project
    /// (the store), whatever is asked: then nothing need say what to read.
    fn holds_whole_project(&self) -> bool;
    /// The project with the facts `needs` asks for read (the store holds
    /// it whole and catches up with other writers), and the clock.
    /// `Ok(None)` when the caller may not read the project; `Err` when the
    /// backend itself failed.
    fn read_state(
        &mut self,
        needs: &mcauth_engine::Needs,
    ) -> Result<Option<(&mcauth_engine::ProjectState, Option<i64>)>, String>;
    /// Executes the next statements `run` gives as one unit of work (the
    /// store: a batch, committed; MaxCompute: one statement, answered):
    /// checks each in [`driver::Run::context`] against the project as it
    /// stands, runs it and hands back its outcome. The driver prints the
    /// outcomes when it returns. `Err` only when the backend itself failed
    /// (store or connection): the unit's outcomes are then not durable.
    fn execute(&mut self, run: &mut driver::Run<'_>) -> Result<(), String>;

    /// Runs a whole script (see [`driver::run_script`]).
    fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        driver::run_script(self, name, text, on_error)
    }
    /// Checks, runs and prints one statement (see
    /// [`driver::run_statement`]).
    fn run_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        text: &str,
        documents: Documents,
    ) -> Result<(), String> {
        driver::run_statement(self, statement, text, documents)
    }
    /// Checks one statement without running it (see
    /// [`driver::check_statement`]).
    fn check_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        documents: Documents,
    ) -> Result<Option<mcauth_engine::Failure>, String> {
        driver::check_statement(self, statement, documents)
    }
    /// The project's whole state, as far as this backend can read it
    /// (see `mcauth export` and `plan`, and [`driver::whole_state`]).
    fn whole_state(&mut self) -> Result<&mcauth_engine::ProjectState, String> {
        driver::whole_state(self)
    }
    fn assume_yes(&self) -> bool {
        self.options().yes
    }
    /// The owner (creator) of a table, where the backend can see it:
    /// MaxCompute's table metadata. `Ok(None)`: not known (the store
    /// holds no objects; a table the service does not show).
    fn table_owner(&mut self, _table: &str) -> Result<Option<mcauth_engine::PrincipalId>, String> {
        Ok(None)
    }
    /// Another project, whole, where the backend holds it (the embedded
    /// store's), for questions about its objects; `Ok(None)`: not read.
    fn other_project(
        &mut self,
        _name: &str,
    ) -> Result<Option<mcauth_engine::ProjectState>, String> {
        Ok(None)
    }
    /// The packages of the projects named (those an `install package
    /// P.k` names), each with the projects allowed to install it, for
    /// [`mcauth_engine::Context::packages_elsewhere`]: every project this
    /// backend can read whole enough to say (its packages read). A project
    /// left out is not known, and installing from it is not verified.
    fn packages_elsewhere(
        &mut self,
        projects: &std::collections::BTreeSet<String>,
    ) -> Result<PackagesElsewhere, String> {
        let mut out = PackagesElsewhere::new();
        for name in projects {
            if name.eq_ignore_ascii_case(&self.project_name()) {
                continue;
            }
            let Some(state) = self.other_project(name)? else {
                continue;
            };
            if !mcauth_engine::StateView::knows(&state, mcauth_engine::Fact::Packages) {
                continue;
            }
            out.insert(
                name.to_ascii_lowercase(),
                mcauth_engine::packages_allowed(&state),
            );
        }
        Ok(out)
    }
    /// See [`SessionOptions::preset`].
    fn preset_documents(&mut self, documents: Documents) {
        self.options_mut().preset = documents;
    }
}

/// Packages of other projects by project, each with the projects allowed
/// to install it (see [`Backend::packages_elsewhere`]).
pub type PackagesElsewhere = std::collections::BTreeMap<
    String,
    std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
>;

/// What the REPL's completer offers by name.
#[derive(Debug, Default, Clone)]
pub struct CompletionNames {
    pub members: Vec<String>,
    pub roles: Vec<String>,
}

/// The members and roles of a project, for the REPL's completer.
pub fn completion_names(state: &mcauth_engine::ProjectState) -> CompletionNames {
    use mcauth_engine::StateView;
    CompletionNames {
        members: state
            .members()
            .iter()
            .map(|m| m.as_str().to_owned())
            .collect(),
        roles: state
            .roles()
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
    }
}
