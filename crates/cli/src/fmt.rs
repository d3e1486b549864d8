//! `mcauth fmt`: the canonical form of scripts.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{ColorChoice, FmtArgs};
use crate::diagnostics::{Printer, Report};
use crate::exit;
use crate::source::read_all;

pub fn run(args: &FmtArgs, color: ColorChoice) -> ExitCode {
    let sources = match read_all(&args.files) {
        Ok(sources) => sources,
        Err(message) => return exit::usage(&message),
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, color.enabled(stderr_tty));
    let mut failed = false;
    let mut not_canonical = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for source in &sources {
        let Some(text) = source.text(&printer) else {
            failed = true;
            continue;
        };
        let formatted = match mcauth_syntax::format::format(text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                for error in &errors {
                    printer.print(
                        &source.name,
                        Some(text),
                        &Report::error(error, Some(error.span)),
                    );
                }
                failed = true;
                continue;
            }
        };
        if args.check {
            if formatted != text {
                not_canonical.push(source.name.clone());
            }
        } else if args.write {
            match &source.path {
                Some(path) if formatted != text => {
                    if let Err(e) = std::fs::write(path, &formatted) {
                        eprintln!("mcauth: cannot write {}: {e}", path.display());
                        failed = true;
                    }
                }
                Some(_) => {}
                None => {
                    let _ = stdout.write_all(formatted.as_bytes());
                }
            }
        } else if stdout.write_all(formatted.as_bytes()).is_err() {
            // A closed pipe (`mcauth fmt x.sql | head`) is not an error.
            return ExitCode::SUCCESS;
        }
    }
    for name in &not_canonical {
        eprintln!("{name}: not in canonical form (run `mcauth fmt --write {name}`)");
    }
    if failed || !not_canonical.is_empty() {
        exit::FAILED.into()
    } else {
        ExitCode::SUCCESS
    }
}
