//! Running statements on the embedded store: scripts, `-e`, standard
//! input and the REPL share one session.

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

/// What the REPL needs from a backend: the embedded store or MaxCompute.
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
    fn printer(&mut self) -> &mut OutputPrinter;
    fn assume_yes(&self) -> bool;
    /// Principals and roles for completion, from what is already known
    /// locally: completion never waits on the network.
    fn completion_names(&mut self) -> CompletionNames;
    /// Runs a whole script (see [`Session::run_script`]).
    fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode;
    /// Checks one statement against the project's current state without
    /// running it, with the policy documents it names: `Ok(Some)` is the
    /// failure it would meet; `Ok(None)` when it would run, or when the
    /// backend cannot check it (MaxCompute then judges it alone). `Err`
    /// only when the backend itself failed (store or connection).
    fn check_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        documents: Documents,
    ) -> Result<Option<mcauth_engine::Failure>, String>;
    /// `use <project>;` at the prompt: later statements go to `name`.
    fn use_project(&mut self, name: &str) -> Result<(), String>;
    /// `list projects;` at the prompt.
    fn list_projects(&mut self) -> Result<Vec<String>, String>;
    /// Checks, runs and prints one statement, with the policy documents it
    /// names (see [`policy_files`]); `Err` only when the backend itself
    /// failed (store or connection).
    fn run_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        text: &str,
        documents: Documents,
    ) -> Result<(), String>;
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

    fn printer(&mut self) -> &mut OutputPrinter {
        &mut self.printer
    }

    fn assume_yes(&self) -> bool {
        self.yes
    }

    fn completion_names(&mut self) -> CompletionNames {
        completion_names(self.project.state())
    }

    fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        Session::run_script(self, name, text, on_error)
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

    fn check_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        documents: Documents,
    ) -> Result<Option<mcauth_engine::Failure>, String> {
        // Catch up with what other processes committed first: the check
        // must see the state the statement would run against.
        self.store
            .refresh(&mut self.project)
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        self.ctx.documents = documents;
        Ok(mcauth_engine::check_in(self.project.state(), &self.caller, &self.ctx, statement).err())
    }

    fn run_statement(
        &mut self,
        statement: &mcauth_syntax::ast::Statement,
        text: &str,
        documents: Documents,
    ) -> Result<(), String> {
        // Check, commit, then print; failures of the statement itself are
        // printed, only store errors are returned.
        self.ctx.documents = documents;
        let mut batch = self
            .store
            .begin(&mut self.project)
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        let result = mcauth_engine::check_in(batch.state(), &self.caller, &self.ctx, statement);
        if let Ok(effect) = &result {
            batch
                .record(text, &effect.changes)
                .map_err(|e| crate::diagnostics::one_line(&e))?;
            // A session setting holds for the prompt's next statements.
            self.ctx.observe(statement);
        }
        batch
            .commit()
            .map_err(|e| crate::diagnostics::one_line(&e))?;
        self.printer.result(statement, result);
        self.printer.flush();
        Ok(())
    }
}

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
    pub ctx: Context,
    pub printer: OutputPrinter,
    pub dry_run: bool,
    pub yes: bool,
    pub verbose: bool,
}

impl Session {
    /// Opens the store the target rule chose and the project named on
    /// the command line.
    pub fn open(cli: &Cli, store: &StoreChoice, printer: OutputPrinter) -> Result<Session, String> {
        let Opened {
            store,
            project,
            caller,
            ctx,
        } = Opened::open(&cli.target, store, cli.run.skip_existing)?;
        Ok(Session {
            store,
            project,
            caller,
            ctx,
            printer,
            dry_run: cli.run.dry_run,
            yes: cli.run.yes,
            verbose: cli.run.verbose > 0 || cli.run.echo,
        })
    }

    /// Runs a whole script. Syntax errors: nothing runs (exit 2). Failed
    /// checks: with `stop`, nothing runs (exit 1); with `continue`, the
    /// statements that pass run.
    pub fn run_script(&mut self, name: &str, text: &ScriptText, on_error: OnError) -> ExitCode {
        if self.dry_run {
            return self.dry_run_script(name, text);
        }
        let statements = match script::prepare(name, text, &mut self.printer, "nothing was run") {
            Ok(prepared) => {
                self.ctx.documents = prepared.documents;
                prepared.statements
            }
            Err(code) => return code,
        };
        // With `continue` a plan would decide nothing: each statement is
        // checked as it runs.
        if self.dry_run || on_error == OnError::Stop {
            if let Err(e) = self.store.refresh(&mut self.project) {
                eprintln!("mcauth: {}", crate::diagnostics::one_line(&e));
                return ExitCode::from(exit::CONFIG);
            }
            let plan =
                mcauth_engine::plan_in(self.project.state(), &self.caller, &self.ctx, &statements);
            if let Some(code) = script::settle_plan(
                &plan,
                &statements,
                self.dry_run,
                on_error,
                &mut self.printer,
                "nothing was run",
            ) {
                return code;
            }
            // The plan has done its work; its copies of every change need
            // not stay in memory while the script runs.
        }
        let tally = match script::execute(
            &mut self.store,
            &mut self.project,
            (&self.caller, &self.ctx),
            (text, &statements),
            on_error,
            &mut self.printer,
        ) {
            Ok(tally) => tally,
            Err(e) => {
                eprintln!("mcauth: {}", crate::diagnostics::one_line(&e));
                return ExitCode::from(exit::CONFIG);
            }
        };
        self.printer.flush();
        if self.verbose {
            eprintln!("{}", tally.summary());
        }
        if tally.failed > 0 {
            exit::FAILED.into()
        } else {
            ExitCode::SUCCESS
        }
    }
}

impl Session {
    /// `--dry-run`: the plan, streamed (see [`script::stream_plan`]).
    fn dry_run_script(&mut self, name: &str, text: &ScriptText) -> ExitCode {
        let prepared = match script::prepare_keeping(
            name,
            text,
            &mut self.printer,
            "nothing was run",
            script::Keep::PolicyPuts,
        ) {
            Ok(prepared) => prepared,
            Err(code) => return code,
        };
        self.ctx.documents = prepared.documents;
        if let Err(e) = self.store.refresh(&mut self.project) {
            eprintln!("mcauth: {}", crate::diagnostics::one_line(&e));
            return ExitCode::from(exit::CONFIG);
        }
        script::stream_plan(
            self.project.state(),
            (&self.caller, &self.ctx),
            text,
            &mut self.printer,
        )
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
        skip_existing: bool,
    ) -> Result<Opened, String> {
        let path = store.ready()?;
        let mut store = Store::open(path).map_err(|e| crate::diagnostics::one_line(&e))?;
        let owner = identity::local_identity()?;
        let project = store
            .project(project_name(target), &owner)
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
    project: Project,
    caller: Caller,
    ctx: Context,
}

impl Planner {
    pub fn open(target: &crate::cli::TargetArgs, store: &StoreChoice) -> Result<Planner, String> {
        let Opened {
            project,
            caller,
            ctx,
            ..
        } = Opened::open(target, store, false)?;
        Ok(Planner {
            project,
            caller,
            ctx,
        })
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

/// The project on the embedded store: `--project`, else `default`.
fn project_name(target: &crate::cli::TargetArgs) -> &str {
    target.project.as_deref().unwrap_or("default")
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
    let opened: Result<Box<dyn Backend>, String> = match &target {
        Target::Remote(_) => crate::remote::RemoteSession::open(cli, printer)
            .map(|s| Box::new(s) as Box<dyn Backend>),
        Target::Store(store) => {
            Session::open(cli, store, printer).map(|s| Box::new(s) as Box<dyn Backend>)
        }
    };
    let mut session = match opened {
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
