//! Running statements on the embedded store: scripts, `-e`, standard
//! input and the REPL share one session.

pub mod driver;
pub mod identity;
pub mod policy_files;
pub mod printer;
pub mod script;
pub mod table;

use std::io::IsTerminal;
use std::process::ExitCode;

use mcauth_engine::{Caller, Context};
use mcauth_store::{Project, Store};

use crate::cli::{Cli, OnError, ResultFormat};
use crate::diagnostics::Printer;
use crate::exit;
use crate::source::ScriptText;
use crate::target::{StoreChoice, Target};
use printer::OutputPrinter;

/// Policy file texts by the path a statement wrote (`Context::documents`).
pub type Documents = std::collections::BTreeMap<String, String>;

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
    /// See [`SessionOptions::preset`].
    fn preset_documents(&mut self, documents: Documents) {
        self.options_mut().preset = documents;
    }
}

impl Backend for Session {
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

    pub fn plan(
        &self,
        statements: &[mcauth_syntax::ast::Statement],
        documents: Documents,
    ) -> mcauth_engine::Plan {
        let ctx = Context {
            documents,
            ..self.ctx.clone()
        };
        mcauth_engine::plan_in(self.project.state(), &self.caller, &ctx, statements)
    }
}

/// The project on the embedded store: the first `--project`, else
/// `default`.
fn project_name(target: &crate::cli::TargetArgs) -> &str {
    target.project.first().map_or("default", String::as_str)
}

/// Opens the backend the target rule chose, on `project` (or the one the
/// command line and configuration name).
pub fn open_backend(
    cli: &Cli,
    target: &Target,
    project: Option<&str>,
    printer: OutputPrinter,
) -> Result<Box<dyn Backend>, String> {
    match target {
        Target::Remote(_) => crate::remote::RemoteSession::open(cli, project, printer)
            .map(|s| Box::new(s) as Box<dyn Backend>),
        Target::Store(store) => {
            Session::open(cli, store, project, printer).map(|s| Box::new(s) as Box<dyn Backend>)
        }
    }
}

/// The projects the backend holds (the store's, or those MaxCompute lists
/// for the caller), for `--project` names with wildcards.
pub fn listed_projects(cli: &Cli, target: &Target) -> Result<Vec<String>, String> {
    match target {
        Target::Store(store) => {
            let path = store.ready()?;
            Store::open(path)
                .and_then(|s| s.projects())
                .map_err(|e| crate::diagnostics::one_line(&e))
        }
        Target::Remote(_) => crate::remote::RemoteSession::listed_projects(cli),
    }
}

/// Reads the script named on the command line (or stdin, or `-e`).
fn read_script(args: &crate::cli::RunArgs) -> Result<crate::source::Source, String> {
    if let Some(text) = &args.execute {
        return Ok(crate::source::Source {
            name: "<-e>".to_owned(),
            path: None,
            bytes: text.clone().into_bytes(),
        });
    }
    match args.script.as_ref().or(args.file.as_ref()) {
        Some(p) if p.as_os_str() != "-" => crate::source::read_file(p),
        _ => crate::source::read_stdin(),
    }
}

/// The entry point for `mcauth [SCRIPT]`, `-f`, `-e`, stdin and the REPL,
/// on whichever backend is configured.
pub fn run(cli: &Cli) -> ExitCode {
    let args = &cli.run;
    let stderr_tty = std::io::stderr().is_terminal();
    let color = cli.color.enabled(stderr_tty);
    let interactive = args.execute.is_none()
        && args.script.is_none()
        && args.file.is_none()
        && std::io::stdin().is_terminal();
    let diagnostics = Printer::new(args.error_format, stderr_tty, color);
    // The prompt shows every error it meets; a script, the first N.
    let diagnostics = if interactive {
        diagnostics
    } else {
        diagnostics.with_limit(cli.max_diagnostics)
    };
    let printer = OutputPrinter::new(
        args.format,
        args.quiet,
        args.verbose > 0 || args.echo,
        diagnostics,
    );
    if interactive && args.format == ResultFormat::Json {
        return exit::usage("--format json is for scripts and pipes, not the interactive prompt");
    }
    let target = match crate::target::resolve(cli) {
        Ok(target) => target,
        Err(conflict) => return exit::usage(&conflict.to_string()),
    };
    let projects = match crate::projects::named_on(cli, Ok(&target)) {
        Ok(projects) => projects,
        Err(message) => return exit::usage(&message),
    };
    if projects.len() > 1 {
        if interactive {
            return exit::usage(
                "the prompt works on one project: name one --project, or give a script to run on several",
            );
        }
        return run_on_each(cli, &target, &projects, printer);
    }
    let mut session =
        match open_backend(cli, &target, projects.first().map(String::as_str), printer) {
            Ok(session) => session,
            Err(message) => {
                eprintln!("mcauth: {message}");
                return ExitCode::from(exit::CONFIG);
            }
        };
    if interactive {
        return crate::repl::run(
            session.as_mut(),
            cli.color.enabled(std::io::stdout().is_terminal()),
        );
    }
    if args.verbose > 0 || args.echo {
        eprintln!("mcauth: {}", session.target_description());
    }
    let source = match read_script(args) {
        Ok(source) => source,
        Err(message) => return exit::usage(&not_a_subcommand(args, message)),
    };
    let Some((name, text)) = source.into_text(&session.printer().diagnostics) else {
        return ExitCode::from(exit::USAGE);
    };
    session.run_script(&name, &text, args.on_error.unwrap_or(OnError::Stop))
}

/// A script that cannot be read because it is not there, and whose name
/// is close to a subcommand's (`mcauth chek`), is likely the subcommand:
/// the message says so.
fn not_a_subcommand(args: &crate::cli::RunArgs, message: String) -> String {
    let guess = args
        .script
        .as_ref()
        .filter(|p| !p.exists())
        .and_then(|p| p.to_str())
        .and_then(crate::usage::subcommand_guess);
    match guess {
        Some(name) => format!("{message}\n  help: did you mean the subcommand `mcauth {name}`?"),
        None => message,
    }
}

/// Runs one script on several projects, `--jobs` at a time, each its own
/// failure domain (see [`crate::projects`]).
fn run_on_each(
    cli: &Cli,
    target: &Target,
    projects: &[String],
    printer: OutputPrinter,
) -> ExitCode {
    let args = &cli.run;
    let source = match read_script(args) {
        Ok(source) => source,
        Err(message) => return exit::usage(&message),
    };
    let Some(text) = source.text(&printer.diagnostics) else {
        return ExitCode::from(exit::USAGE);
    };
    let (name, text) = (source.name.clone(), text.to_owned());
    let (format, quiet, verbose) = (args.format, args.quiet, args.verbose > 0 || args.echo);
    let style = printer.diagnostics.style();
    let (code, _) =
        crate::projects::run_each(projects, crate::projects::jobs(&cli.target), |project| {
            let printer = OutputPrinter::new(format, quiet, verbose, Printer::with_style(style));
            let mut session = match open_backend(cli, target, Some(project), printer) {
                Ok(session) => session,
                Err(message) => return (crate::projects::could_not_open(&message), ()),
            };
            let text = ScriptText::new(text.clone());
            let code = exit::code_of(session.run_script(
                &name,
                &text,
                args.on_error.unwrap_or(OnError::Stop),
            ));
            let line = if code == 0 {
                format!("ran {name}")
            } else {
                format!("{name} failed (exit {code})")
            };
            (crate::projects::Outcome { code, line }, ())
        });
    ExitCode::from(code)
}
