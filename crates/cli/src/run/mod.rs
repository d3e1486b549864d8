//! Running statements: `mcauth [SCRIPT]`, `-e`, standard input and the
//! REPL, on either backend ([`Backend`]: the embedded store, [`Session`],
//! or MaxCompute), through one script driver ([`driver`]).

mod backend;
pub mod beyond;
pub mod driver;
mod embedded;
pub mod identity;
pub mod policy_files;
pub mod printer;
pub mod script;
pub mod table;

use std::io::IsTerminal;
use std::process::ExitCode;

use mcauth_store::Store;

use crate::cli::{Cli, OnError, ResultFormat};
use crate::diagnostics::Printer;
use crate::exit;
use crate::source::ScriptText;
use crate::target::Target;
use printer::OutputPrinter;

pub use backend::{Backend, CompletionNames, SessionOptions, completion_names};
pub use embedded::{Planner, Session};

/// Policy file texts by the path a statement wrote (`Context::documents`).
pub type Documents = std::collections::BTreeMap<String, String>;

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
            // Each project says where it writes, in its own block.
            if verbose {
                eprintln!("mcauth: {}", session.target_description());
            }
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
