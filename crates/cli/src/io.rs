//! Writing to standard output and standard error without panicking.
//!
//! `println!` and `eprintln!` panic when a write fails: `mcauth --dry-run
//! big.sql | head -1` (the reader has gone) and `mcauth check x.sql
//! 2>/dev/full` used to exit 101. main.rs shadows both macros with ones
//! that write through here, so every call site in the crate is covered:
//!
//! * a stream whose reader has gone (`EPIPE`) is *closed*: nothing more is
//!   written to it, long loops stop ([`stdout_closed`]), and the run ends
//!   quietly with the exit code it had earned, as ripgrep does;
//! * any other write error (a full disk, an I/O error) is remembered, and
//!   [`finish`] turns the run's exit code into 3 with a message.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::exit;

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error that was not a closed pipe, and on which stream.
static FAILED: Mutex<Option<(Stream, String)>> = Mutex::new(None);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn closed(self) -> &'static AtomicBool {
        match self {
            Stream::Stdout => &STDOUT_CLOSED,
            Stream::Stderr => &STDERR_CLOSED,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// Whether standard output's reader has gone, or writing to it failed:
/// output-producing loops stop.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Notes that writing to `stream` failed with `error`. Returns `false`.
pub fn failed(stream: Stream, error: &std::io::Error) -> bool {
    stream.closed().store(true, Ordering::Relaxed);
    if error.kind() != ErrorKind::BrokenPipe {
        let mut first = FAILED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if first.is_none() {
            *first = Some((stream, error.to_string()));
        }
    }
    false
}

/// Writes `bytes` to `stream` unless it is closed; `false` when it is (or
/// becomes) closed.
pub fn write(stream: Stream, bytes: &[u8]) -> bool {
    if stream.closed().load(Ordering::Relaxed) {
        return false;
    }
    let result = match stream {
        Stream::Stdout => std::io::stdout().lock().write_all(bytes),
        Stream::Stderr => std::io::stderr().lock().write_all(bytes),
    };
    match result {
        Ok(()) => true,
        Err(e) => failed(stream, &e),
    }
}

/// Formats one line and writes it to `stream` in one piece.
pub fn line(stream: Stream, args: std::fmt::Arguments<'_>) {
    if stream.closed().load(Ordering::Relaxed) {
        return;
    }
    let mut text = match args.as_str() {
        Some(s) => String::from(s),
        None => args.to_string(),
    };
    text.push('\n');
    write(stream, text.as_bytes());
}

/// The exit code of a run that wanted to end with `code`: 3 when writing
/// its output failed other than by a closed pipe (a full disk), with a
/// message on standard error when that still works.
pub fn finish(code: ExitCode) -> ExitCode {
    if !stdout_closed()
        && let Err(e) = std::io::stdout().lock().flush()
    {
        failed(Stream::Stdout, &e);
    }
    let first = FAILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    match first {
        None => code,
        Some((stream, error)) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "mcauth: cannot write to {}: {error}",
                stream.name()
            );
            ExitCode::from(exit::CONFIG)
        }
    }
}
