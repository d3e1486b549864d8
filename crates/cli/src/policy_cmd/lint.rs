//! `mcauth policy lint FILE…`: every finding in each policy, then a summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mcauth_policy::{Dialect, LineIndex, ParseOptions, Severity, lint_source};

use super::render::{json_line, json_problem, print_findings};
use super::{DialectArg, LintArgs, OutputFormat};
use crate::cli::{ColorChoice, ErrorFormat};
use crate::diagnostics::Printer;
use crate::exit;
use crate::source::{read_file, read_stdin};

#[derive(Default)]
struct Tally {
    files: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

pub fn run(args: &LintArgs, color: ColorChoice) -> ExitCode {
    let dialect = match args.dialect {
        DialectArg::Ram => Dialect::Ram,
        DialectArg::Project => Dialect::Project,
        DialectArg::Role => Dialect::Role,
    };
    let options = ParseOptions::dialect(dialect);
    let json = args.format == OutputFormat::Json || args.error_format == ErrorFormat::Json;
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, color.enabled(stderr_tty));
    let stdin = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    let mut tally = Tally::default();
    for file in files {
        let source = if file == Path::new("-") {
            read_stdin()
        } else {
            read_file(file)
        };
        let source = match source {
            Ok(source) => source,
            Err(message) => {
                tally.unreadable += 1;
                if json {
                    println!(
                        "{}",
                        json_problem(
                            &file.display().to_string(),
                            crate::codes::CliCode::Unreadable.as_str(),
                            &message
                        )
                    );
                } else {
                    eprintln!("mcauth: {message}");
                }
                continue;
            }
        };
        tally.files += 1;
        let (_, findings) = lint_source(&source.bytes, &options);
        for finding in &findings {
            match finding.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.notes += 1,
            }
        }
        if json {
            let lines = LineIndex::new(&source.bytes);
            for finding in &findings {
                println!(
                    "{}",
                    json_line(&source.name, &source.bytes, &lines, finding)
                );
                if crate::io::stdout_closed() {
                    // A closed pipe (`… | head`) ends the output, not the verdict.
                    break;
                }
            }
        } else {
            print_findings(&printer, &source.name, &source.bytes, &findings);
        }
    }
    if !json {
        eprintln!("{}", summary(&tally));
    }
    if tally.unreadable > 0 {
        ExitCode::from(exit::USAGE)
    } else if tally.errors > 0 {
        ExitCode::from(exit::FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `linted 2 files: 1 error, 2 warnings`, or `linted 1 file: no findings`.
fn summary(t: &Tally) -> String {
    let count = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = Vec::new();
    for (n, one, many) in [
        (t.errors, "error", "errors"),
        (t.warnings, "warning", "warnings"),
        (t.notes, "note", "notes"),
    ] {
        if n > 0 {
            parts.push(count(n, one, many));
        }
    }
    if parts.is_empty() && t.files > 0 {
        parts.push("no findings".to_owned());
    }
    if t.unreadable > 0 {
        parts.push(format!("{} not read", count(t.unreadable, "file", "files")));
    }
    format!(
        "linted {}: {}",
        count(t.files, "file", "files"),
        parts.join(", ")
    )
}
