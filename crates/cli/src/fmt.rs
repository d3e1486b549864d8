//! `mcauth fmt`: the canonical form of scripts.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{ColorChoice, FmtArgs};
use crate::diagnostics::{Printer, Report};
use crate::exit;
use crate::source::read_all;

pub fn run(args: &FmtArgs, color: ColorChoice, max_diagnostics: Option<usize>) -> ExitCode {
    let sources = match read_all(&args.files) {
        Ok(sources) => sources,
        Err(message) => return exit::usage(&message),
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, color.enabled(stderr_tty))
        .with_limit(max_diagnostics);
    crate::io::buffer_output();
    let mut failed = false;
    let mut write_failed = false;
    let mut not_canonical = Vec::new();
    for source in &sources {
        let Some(text) = source.text(&printer) else {
            failed = true;
            continue;
        };
        // Syntax errors are found and reported streaming first: `format`
        // would hold them all, ten times the size of an error-ridden file.
        let mut errors = 0;
        for error in mcauth_syntax::statements(text).filter_map(Result::err) {
            errors += 1;
            if printer.is_full() {
                printer.count_hidden();
            } else {
                printer.print(
                    &source.name,
                    Some(text),
                    &Report::error(&error, Some(error.span)),
                );
            }
        }
        if errors > 0 {
            failed = true;
            continue;
        }
        let formatted = mcauth_syntax::format::format_checked(text);
        if args.check {
            if formatted != text {
                not_canonical.push(source.name.clone());
            }
        } else if args.write {
            match &source.path {
                Some(path) if formatted != text => {
                    if let Err(e) = crate::files::replace_file(path, formatted.as_bytes()) {
                        eprintln!("mcauth: cannot write {}: {e}", path.display());
                        write_failed = true;
                    }
                }
                Some(_) => {}
                None => {
                    crate::io::write(crate::io::Stream::Stdout, formatted.as_bytes());
                }
            }
        } else if !crate::io::write(crate::io::Stream::Stdout, formatted.as_bytes()) {
            // A closed pipe (`mcauth fmt x.sql | head`) ends the output
            // quietly; a full disk is exit 3 (`crate::io::finish`).
            break;
        }
    }
    for name in &not_canonical {
        eprintln!("{name}: not in canonical form (run `mcauth fmt --write {name}`)");
    }
    if write_failed {
        ExitCode::from(exit::CONFIG)
    } else if failed || !not_canonical.is_empty() {
        exit::FAILED.into()
    } else {
        ExitCode::SUCCESS
    }
}
