//! The interactive prompt, in the manner of odpscmd and psql.

mod ask;
mod help;
mod helper;
mod meta;

use std::path::PathBuf;
use std::process::ExitCode;

use mcauth_syntax::ast::{Statement, StatementKind};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::cli::OnError;
use crate::diagnostics::Report;
use crate::run::Backend;
use helper::ReplHelper;
use meta::Meta;

/// `$MCAUTH_HISTORY`, else `$XDG_STATE_HOME/mcauth/history`, else
/// `~/.local/state/mcauth/history`.
fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MCAUTH_HISTORY").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("mcauth").join("history"))
}

pub fn run(session: &mut dyn Backend, color: bool) -> ExitCode {
    let config = Config::builder()
        .history_ignore_space(true)
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("mcauth: cannot start the interactive prompt: {e}");
            return ExitCode::from(crate::exit::CONFIG);
        }
    };
    editor.set_helper(Some(ReplHelper::new(color)));
    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.load_history(path);
    }
    refresh_names(&editor, &mut *session);
    eprintln!(
        "mcauth {} — {}. Type help; for help, quit; to leave.",
        env!("CARGO_PKG_VERSION"),
        session.target_description()
    );
    let mut buffer = String::new();
    loop {
        // `use <project>;` changes the prompt.
        let project = session.project_name();
        let shown = if buffer.is_empty() {
            format!("{project}> ")
        } else {
            format!(
                "{}-> ",
                " ".repeat(project.chars().count().saturating_sub(1))
            )
        };
        match editor.readline(shown.as_str()) {
            Ok(line) => {
                if buffer.is_empty() && line.trim().is_empty() {
                    continue;
                }
                // A backslash or dot command is one line, answered at
                // once: it never starts a continuation.
                if buffer.is_empty()
                    && let Some(command) = meta::line_command(&line)
                {
                    add_history(&mut editor, &line, history.as_ref());
                    if !run_meta(&mut editor, session, command) {
                        break;
                    }
                    continue;
                }
                if !buffer.is_empty() {
                    buffer.push('\n');
                }
                buffer.push_str(&line);
                let complete = mcauth_syntax::is_complete(&buffer);
                let is_command = match meta::entry_command(&buffer) {
                    // odpscmd's quit and help need no `;`.
                    Some(Meta::Quit | Meta::Help) => true,
                    Some(_) => complete,
                    None => false,
                };
                if is_command {
                    let entry = std::mem::take(&mut buffer);
                    add_history(&mut editor, &entry, history.as_ref());
                    if let Some(command) = meta::entry_command(&entry)
                        && !run_meta(&mut editor, session, command)
                    {
                        break;
                    }
                    continue;
                }
                if !complete {
                    continue;
                }
                let entry = std::mem::take(&mut buffer);
                add_history(&mut editor, &entry, history.as_ref());
                if ask::is_question(&entry) {
                    ask::run(session, &entry);
                    continue;
                }
                run_entry(&mut editor, session, &entry);
                refresh_names(&editor, &mut *session);
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C clears what was typed, as in psql.
                buffer.clear();
            }
            Err(ReadlineError::Eof) => {
                if !buffer.trim().is_empty() {
                    eprintln!("(the unfinished statement was not run)");
                }
                break;
            }
            Err(e) => {
                eprintln!("mcauth: {e}");
                return ExitCode::from(crate::exit::CONFIG);
            }
        }
    }
    ExitCode::SUCCESS
}

/// Carries out a command of the prompt; `false` when it ends the session.
fn run_meta(
    editor: &mut Editor<ReplHelper, DefaultHistory>,
    session: &mut dyn Backend,
    command: Meta<'_>,
) -> bool {
    match command {
        Meta::Quit => return false,
        Meta::Help => println!("{}", help::HELP),
        Meta::Read(file) => {
            read_file(session, file);
            refresh_names(editor, session);
        }
        Meta::Mode(None) => {
            println!("format {}", meta::format_name(session.printer().format));
        }
        Meta::Mode(Some(format)) => {
            session.printer().format = format;
            println!("format {}", meta::format_name(format));
        }
        Meta::Use(project) => match session.use_project(project) {
            Ok(()) => {
                refresh_names(editor, session);
                println!("project {}", session.project_name());
            }
            Err(e) => eprintln!("mcauth: {e}"),
        },
        Meta::ListProjects => match session.list_projects() {
            Ok(projects) => {
                for project in projects {
                    println!("{project}");
                }
            }
            Err(e) => eprintln!("mcauth: {e}"),
        },
        Meta::Invalid(message) => eprintln!("mcauth: {message}"),
    }
    true
}

/// `\i FILE`, `.read FILE`: runs a script as `mcauth FILE` would (checked
/// whole first: nothing runs unless every statement passes).
fn read_file(session: &mut dyn Backend, file: &str) {
    let source = match crate::source::read_file(std::path::Path::new(file)) {
        Ok(source) => source,
        Err(message) => {
            eprintln!("mcauth: {message}");
            return;
        }
    };
    let Some((name, text)) = source.into_text(&session.printer().diagnostics) else {
        return;
    };
    let _ = session.run_script(&name, &text, OnError::Stop);
    session.printer().flush();
}

fn add_history(
    editor: &mut Editor<ReplHelper, DefaultHistory>,
    entry: &str,
    path: Option<&PathBuf>,
) {
    let added = editor.add_history_entry(entry).unwrap_or(false);
    if let (true, Some(path)) = (added, path)
        && let Err(e) = editor.append_history(path)
    {
        eprintln!(
            "mcauth: cannot write the history file {}: {e}",
            path.display()
        );
    }
}

/// Principals and roles for the completer, from local state only.
fn refresh_names(editor: &Editor<ReplHelper, DefaultHistory>, session: &mut dyn Backend) {
    if let Some(helper) = editor.helper() {
        *helper.names.borrow_mut() = session.completion_names();
    }
}

/// Whether odpscmd would ask before running this statement.
fn needs_confirmation(statement: &Statement) -> bool {
    use StatementKind as S;
    matches!(
        statement.kind,
        S::RemoveUser { .. }
            | S::RemoveAccountProvider { .. }
            | S::DropRole { .. }
            | S::PurgePrivileges { .. }
            | S::DropPackage { .. }
            | S::RemoveTrustedProject { .. }
            | S::RemoveGroup { .. }
            | S::RemoveTenantRoleFromProject { .. }
            | S::RemoveFromPackage { .. }
    )
}

/// Asks `Confirm to "<stmt>" (yes/no)? ` until the answer is yes or no
/// (y, yes, n, no in any case, as odpscmd takes them); any other answer
/// is told so before the question comes again.
fn confirm(editor: &mut Editor<ReplHelper, DefaultHistory>, text: &str) -> bool {
    let question = format!("Confirm to \"{text}\" (yes/no)? ");
    loop {
        match editor.readline(question.as_str()) {
            Ok(answer) => match answer.trim().to_ascii_lowercase().as_str() {
                "y" | "yes" => return true,
                "n" | "no" => return false,
                _ => println!("please answer yes or no"),
            },
            Err(_) => return false,
        }
    }
}

/// Parses and runs what was typed; errors render inline and the session
/// goes on.
fn run_entry(
    editor: &mut Editor<ReplHelper, DefaultHistory>,
    session: &mut dyn Backend,
    entry: &str,
) {
    session
        .printer()
        .set_source("<stdin>", &crate::source::ScriptText::new(entry.to_owned()));
    let parsed = mcauth_syntax::parse(entry);
    if !parsed.errors.is_empty() {
        for error in &parsed.errors {
            session.printer().diagnostics.print(
                "<stdin>",
                Some(entry),
                &Report::error(error, Some(error.span)),
            );
        }
        return;
    }
    for statement in &parsed.statements {
        let text = entry
            .get(statement.span.range())
            .unwrap_or_default()
            .to_owned();
        // A `put … policy FILE` reads and lints its file here, as a
        // script's front end does; a refused file skips the statement.
        let files = crate::run::policy_files::read_policy_files(
            std::slice::from_ref(statement),
            &crate::run::Documents::new(),
            &session.printer().diagnostics,
        );
        if files.refused > 0 {
            continue;
        }
        if needs_confirmation(statement) && !session.assume_yes() {
            // Only a statement that would run is worth the question: one
            // that would fail is reported at once.
            match session.check_statement(statement, files.documents.clone()) {
                Ok(None) => {}
                Ok(Some(failure)) => {
                    session.printer().result(statement, Err(failure));
                    session.printer().flush();
                    continue;
                }
                Err(e) => {
                    eprintln!("mcauth: {e}");
                    continue;
                }
            }
            if !confirm(editor, &format!("{text};")) {
                println!("Cancelled.");
                continue;
            }
        }
        if let Err(e) = session.run_statement(statement, &text, files.documents) {
            eprintln!("mcauth: {e}");
        }
    }
}
