//! `mcauth export`: a project's whole security state as a canonical
//! script, printed, or written with its policy documents under `--out`.

use std::path::Path;
use std::process::ExitCode;

use super::{Output, now};
use crate::cli::{Cli, ExportArgs, OutputFormat};
use crate::exit;
use crate::projects::{Outcome, run_each};

/// `mcauth export`.
pub fn run(args: &ExportArgs, cli: &Cli) -> ExitCode {
    let output = Output::of(cli, OutputFormat::Text);
    let target = match crate::target::resolve(cli) {
        Ok(target) => target,
        Err(conflict) => return exit::usage(&conflict.to_string()),
    };
    let projects = match crate::projects::named(&cli.target, || crate::run::store_projects(&target))
    {
        Ok(p) if p.is_empty() => vec![String::new()],
        Ok(p) => p,
        Err(message) => return exit::usage(&message),
    };
    if projects.len() > 1 && args.out.is_none() {
        return exit::usage(
            "exporting several projects needs --out DIR: each is written to DIR/<project>/<project>.sql",
        );
    }
    let (code, _) = run_each(&projects, crate::projects::jobs(&cli.target), |project| {
        let project = (!project.is_empty()).then_some(project);
        let mut backend = match crate::run::open_backend(cli, &target, project, output.printer()) {
            Ok(backend) => backend,
            Err(message) => return (crate::projects::could_not_open(&message), ()),
        };
        let name = backend.project_name();
        let state = match backend.whole_state() {
            Ok(state) => state,
            Err(message) => return (crate::projects::could_not_open(&message), ()),
        };
        let export = mcauth_engine::export::export(state, now());
        let outcome = match &args.out {
            None => print(&export),
            Some(dir) => write(dir, &name, &export),
        };
        (outcome, ())
    });
    ExitCode::from(code)
}

fn print(export: &mcauth_engine::export::Export) -> Outcome {
    crate::io::write(crate::io::Stream::Stdout, export.script.as_bytes());
    let kept = export.documents.len();
    if kept > 0 {
        eprintln!(
            "mcauth: note: the script names {kept} policy document{} that are not printed; export with --out DIR to write them beside it",
            if kept == 1 { "" } else { "s" }
        );
    }
    Outcome {
        code: 0,
        line: "exported".into(),
    }
}

/// Writes `DIR/<project>/<project>.sql` and the documents it names, each
/// file written beside its place and renamed.
fn write(dir: &Path, project: &str, export: &mcauth_engine::export::Export) -> Outcome {
    let folder = dir.join(project);
    let script = folder.join(format!("{project}.sql"));
    let mut files = vec![(script.clone(), export.script.as_str())];
    for (path, text) in &export.documents {
        files.push((folder.join(path), text.as_str()));
    }
    for (path, text) in &files {
        let made = match path.parent() {
            Some(parent) => std::fs::create_dir_all(parent),
            None => Ok(()),
        };
        if let Err(e) = made.and_then(|()| crate::files::replace_file(path, text.as_bytes())) {
            let message = format!("cannot write {}: {e}", path.display());
            eprintln!("mcauth: {message}");
            return Outcome {
                code: exit::CONFIG,
                line: format!("failed: {message}"),
            };
        }
    }
    eprintln!(
        "mcauth: wrote {} ({} policy document{})",
        script.display(),
        export.documents.len(),
        if export.documents.len() == 1 { "" } else { "s" }
    );
    Outcome {
        code: 0,
        line: format!("exported to {}", script.display()),
    }
}
