//! Reading desired-state files (`mcauth plan FILE…`): their statements,
//! the policy documents their `put policy` lines name (a relative path is
//! read from the file's own folder, as an export writes them), and their
//! `-- mcauth: manage …` header.

use std::path::{Path, PathBuf};

use mcauth_engine::converge::manage_header;
use mcauth_engine::desired::{Desired, build};
use mcauth_engine::export::Kind;
use mcauth_engine::{Context, PrincipalId};
use mcauth_syntax::ast::Statement;

use crate::run::Documents;
use crate::run::printer::OutputPrinter;
use crate::source::ScriptText;

/// One desired-state file, parsed.
struct File {
    name: String,
    /// Held as a plain string so that projects can be planned on several
    /// threads; a printer gets its own copy when it reports an error. The
    /// statements are parsed again for each build, as they run, rather
    /// than held: a 100,000-grant file's syntax trees weigh more than the
    /// state they build.
    text: String,
    /// How many statements it has.
    statements: usize,
}

/// Desired-state files, read and parsed, ready to build a project from.
pub struct Loaded {
    files: Vec<File>,
    /// Policy documents by the path the statements wrote.
    pub documents: Documents,
    /// What the first file's header says it manages.
    pub header: Option<Vec<Kind>>,
    /// The projects the files were exported from (`-- mcauth export of
    /// project P`): their qualified names mean the project planned.
    pub exported_from: Vec<String>,
}

/// Why files could not be loaded: the exit code (the problem is printed).
pub type Refusal = u8;

/// Reads, parses and lints `paths`; reports every problem it finds.
pub fn load(paths: &[PathBuf], printer: &mut OutputPrinter) -> Result<Loaded, Refusal> {
    let mut files = Vec::new();
    let mut documents = Documents::new();
    let mut header = None;
    let mut exported_from = Vec::new();
    let mut refused = false;
    for (i, path) in paths.iter().enumerate() {
        let source = crate::source::read_file(path).map_err(|message| {
            eprintln!("mcauth: {message}");
            crate::exit::USAGE
        })?;
        let Some((name, text)) = source.into_text(&printer.diagnostics) else {
            return Err(crate::exit::USAGE);
        };
        if i == 0 {
            match manage_header(&text) {
                Some(Ok(kinds)) => header = Some(kinds),
                Some(Err(message)) => {
                    eprintln!("mcauth: {name}: the `-- mcauth: manage` header: {message}");
                    return Err(crate::exit::USAGE);
                }
                None => {}
            }
        }
        if let Some(project) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- mcauth export of project "))
        {
            exported_from.push(project.trim().to_owned());
        }
        let parsed = mcauth_syntax::parse(&text);
        if !parsed.errors.is_empty() {
            printer.set_source(&name, &text);
            return Err(crate::exit::code_of(
                crate::run::script::report_syntax_errors(
                    parsed.errors.iter(),
                    printer,
                    "nothing was planned",
                ),
            ));
        }
        let folder = path.parent().unwrap_or(Path::new(""));
        for statement in &parsed.statements {
            if let Some(file) = policy_file(statement)
                && !documents.contains_key(file)
                && Path::new(file).is_relative()
                && let Ok(text) = std::fs::read_to_string(folder.join(file))
            {
                documents.insert(file.to_owned(), text);
            }
        }
        let files_read = crate::run::policy_files::read_policy_files(
            &parsed.statements,
            &documents,
            &printer.diagnostics,
        );
        refused |= files_read.refused > 0;
        documents.extend(files_read.documents);
        let statements = parsed.statements.len();
        drop(parsed);
        files.push(File {
            name,
            text: std::rc::Rc::try_unwrap(text).unwrap_or_else(|shared| shared.as_str().to_owned()),
            statements,
        });
    }
    if refused {
        eprintln!("nothing was planned");
        return Err(crate::exit::FAILED);
    }
    Ok(Loaded {
        files,
        documents,
        header,
        exported_from,
    })
}

fn policy_file(statement: &Statement) -> Option<&str> {
    crate::run::policy_files::named_file(statement).map(|(file, _)| file.value.as_str())
}

impl Loaded {
    /// The project the files describe, named `project` and owned by
    /// `owner`, names without an account read in `account`. A statement
    /// that cannot run there is reported against its file.
    pub fn build(
        &self,
        project: &str,
        owner: &PrincipalId,
        account: &str,
        now: Option<i64>,
        printer: &mut OutputPrinter,
    ) -> Result<Desired, Refusal> {
        let ctx = Context {
            now,
            documents: self.documents.clone(),
            project_aliases: self.exported_from.clone(),
            ..Context::default()
        };
        // Every file parsed when it was loaded.
        let statements = self
            .files
            .iter()
            .flat_map(|f| mcauth_syntax::statements(&f.text).filter_map(Result::ok));
        build(project, owner, account, &ctx, statements).map_err(|refused| {
            // Refusals come in file order: each file's text is handed to
            // the printer once, and past --max-diagnostics they are counted.
            let mut shown: Option<usize> = None;
            for r in &refused {
                if printer.diagnostics.is_full() {
                    printer.diagnostics.count_hidden();
                    continue;
                }
                if let Some((at, file)) = self.file_of(r.index)
                    && shown != Some(at)
                {
                    printer.set_source(&file.name, &ScriptText::new(file.text.clone()));
                    shown = Some(at);
                }
                printer.failure(&r.failure);
            }
            printer.diagnostics.note_hidden();
            eprintln!(
                "mcauth: {} statement{} of the desired state cannot run on a new project; nothing was planned",
                refused.len(),
                if refused.len() == 1 { "" } else { "s" }
            );
            crate::exit::FAILED
        })
    }

    /// The file (and its place) of the statement at `index` among all
    /// files' statements.
    fn file_of(&self, mut index: usize) -> Option<(usize, &File)> {
        for (at, file) in self.files.iter().enumerate() {
            if index < file.statements {
                return Some((at, file));
            }
            index -= file.statements;
        }
        None
    }
}
