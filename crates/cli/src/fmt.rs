//! `mcauth fmt`: the canonical form of scripts.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{ColorChoice, FmtArgs};
use crate::diagnostics::Printer;
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
            crate::check::syntax_error(&printer, &source.name, text, &error);
        }
        if errors > 0 {
            failed = true;
            continue;
        }
        let formatted = mcauth_syntax::format_checked(text);
        if args.check {
            if formatted != text {
                not_canonical.push(source.name.clone());
                print_diff(&source.name, text, &formatted);
                if crate::io::stdout_closed() {
                    break;
                }
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

/// The largest script `fmt --check` prints a diff of.
const DIFF_MAX_BYTES: usize = 512 << 10;

/// How long `fmt --check` looks for the smallest diff of one file.
const DIFF_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// Prints what formatting would change, as a unified diff (`--- a/x.sql`,
/// `+++ b/x.sql`, hunks with three lines of context), as `rustfmt
/// --check` and `git diff` show it, hunk by hunk rather than held whole.
///
/// A minimal diff costs time that grows with the lines times the changes:
/// a script whose every line changes would take minutes. Past
/// [`DIFF_TIME`] the diff stops looking for the smallest one and shows
/// the rest as removed and added, which is still a correct diff.
fn print_diff(name: &str, old: &str, new: &str) {
    if old.len().max(new.len()) > DIFF_MAX_BYTES {
        // Its memory would grow with the lines: past a size no one reads
        // a diff of, say how to see one instead.
        eprintln!(
            "{name}: no diff shown for a script over {} KB (`mcauth fmt {name} | diff {name} -` shows it)",
            DIFF_MAX_BYTES >> 10
        );
        return;
    }
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_lines(old, new);
    let mut unified = diff.unified_diff();
    unified
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"));
    // Write errors are noted by `crate::io` (a closed pipe, a full disk).
    let _ = unified.to_writer(StdoutWriter);
}

/// `std::io::Write` onto `crate::io`'s standard output.
struct StdoutWriter;

impl Write for StdoutWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if crate::io::write(crate::io::Stream::Stdout, buf) {
            Ok(buf.len())
        } else {
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
