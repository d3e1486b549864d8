//! `mcauth diff A B`: two projects (dev and prod), two files, or one of
//! each, compared as the plan that takes A to B. A name that is a file is
//! read as a desired state; any other is a project on the backend.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mcauth_engine::converge::converge_noting;
use mcauth_engine::export::{Kind, unknown_kinds};
use mcauth_engine::{PrincipalId, ProjectState, StateView};

use super::desired::{Loaded, load};
use super::render::{Shown, render};
use super::{Output, managed, now};
use crate::cli::{Cli, DiffArgs};
use crate::exit;

/// One side of a comparison.
enum Side {
    File(Loaded),
    Project(Box<ProjectState>, String),
}

/// `mcauth diff`.
pub fn run(args: &DiffArgs, cli: &Cli) -> ExitCode {
    match compare(args, cli) {
        Ok(code) | Err(code) => ExitCode::from(code),
    }
}

fn compare(args: &DiffArgs, cli: &Cli) -> Result<u8, u8> {
    let output = Output::of(cli, args.scope.format);
    let mut printer = output.printer();
    let target = crate::target::resolve(cli).map_err(|conflict| {
        eprintln!("mcauth: {conflict}");
        exit::USAGE
    })?;
    let mut account = String::new();
    let mut side = |name: &str| -> Result<Side, u8> {
        if Path::new(name).is_file() {
            return load(&[PathBuf::from(name)], &mut printer).map(Side::File);
        }
        let mut backend = crate::run::open_backend(cli, &target, Some(name), output.printer())
            .map_err(|message| crate::projects::could_not_open(&message).code)?;
        account = backend.caller().account.clone();
        let location = backend.location();
        let state = backend.whole_state().map_err(|message| {
            eprintln!("mcauth: {message}");
            exit::CONFIG
        })?;
        Ok(Side::Project(Box::new(state.clone()), location))
    };
    let from = side(&args.from)?;
    let to = side(&args.to)?;
    let now = now();
    // Files are built as projects of the same owner as the project they
    // are compared with, or of the local identity.
    let owner = match (&from, &to) {
        (Side::Project(state, _), _) | (_, Side::Project(state, _)) => state.owner().clone(),
        _ => crate::run::identity::local_identity().map_err(|message| {
            eprintln!("mcauth: {message}");
            exit::CONFIG
        })?,
    };
    if account.is_empty() {
        account = owner.account().unwrap_or_default().to_owned();
    }
    let (from_state, from_named) =
        state_of(&from, &args.from, &owner, &account, now, &mut printer)?;
    let (to_state, mut named) = state_of(&to, &args.to, &owner, &account, now, &mut printer)?;
    if let Side::File(_) = &from {
        // Two files: what either names.
        named.extend(from_named);
        named.sort();
        named.dedup();
    }
    let header = match &to {
        Side::File(loaded) => loaded.header.clone(),
        Side::Project(..) => None,
    };
    let default: Vec<Kind> = match &to {
        Side::File(_) => named,
        // Two projects: everything both hold.
        Side::Project(..) => Kind::ALL
            .into_iter()
            .filter(|k| unknown_kinds(&from_state, &[*k]).is_empty())
            .filter(|k| unknown_kinds(&to_state, &[*k]).is_empty())
            .collect(),
    };
    let kinds = managed(&args.scope, header.as_deref(), &default).map_err(|message| {
        eprintln!("mcauth: {message}");
        exit::USAGE
    })?;
    for (state, name) in [(&from_state, &args.from), (&to_state, &args.to)] {
        let unknown = unknown_kinds(state, &kinds);
        if !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
            eprintln!(
                "mcauth: cannot compare {} of {name}: they could not be read; leave them out with --manage",
                names.join(", ")
            );
            return Err(exit::FAILED);
        }
    }
    // The engine says "the project" and "the file"; here they are A and B.
    let (a, b) = (short(&from, &args.from), short(&to, &args.to));
    let (steps, left) = converge_noting(&from_state, &to_state, &kinds, now);
    let steps: Vec<_> = steps
        .into_iter()
        .map(|mut step| {
            step.why = step
                .why
                .replace("the project", &a)
                .replace("the file's", &format!("{b}'s"))
                .replace("the file", &b);
            step
        })
        .collect();
    let title = format!(
        "{} → {}",
        describe(&from, &args.from),
        describe(&to, &args.to)
    );
    let shown = Shown {
        target: &title,
        project: from_state.project(),
        kinds: &kinds,
        steps: &steps,
        left: &left,
    };
    crate::io::write(
        crate::io::Stream::Stdout,
        render(&shown, args.scope.format).as_bytes(),
    );
    Ok(if steps.is_empty() { 0 } else { 2 })
}

/// How a step's why names a side: `dev`, `prod.sql`.
fn short(side: &Side, name: &str) -> String {
    match side {
        Side::File(_) => name.to_owned(),
        Side::Project(..) => format!("project {name}"),
    }
}

fn describe(side: &Side, name: &str) -> String {
    match side {
        Side::File(_) => format!("file {name}"),
        Side::Project(_, location) => format!("project {name} {location}"),
    }
}

/// A side's state, and the kinds it names (a file's) or holds.
fn state_of(
    side: &Side,
    name: &str,
    owner: &PrincipalId,
    account: &str,
    now: Option<i64>,
    printer: &mut crate::run::printer::OutputPrinter,
) -> Result<(ProjectState, Vec<Kind>), u8> {
    match side {
        Side::Project(state, _) => Ok(((**state).clone(), Kind::ALL.to_vec())),
        Side::File(loaded) => {
            let project = Path::new(name)
                .file_stem()
                .map_or_else(|| name.to_owned(), |s| s.to_string_lossy().into_owned());
            let desired = loaded.build(&project, owner, account, now, printer)?;
            Ok((desired.state, desired.named))
        }
    }
}
