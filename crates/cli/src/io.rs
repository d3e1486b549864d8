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

/// Standard error's lines, gathered when a command asked for it
/// ([`buffer_stderr`]): written in blocks rather than a system call each.
static STDERR_BUFFER: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// How much [`STDERR_BUFFER`] holds before it is written.
const STDERR_BLOCK: usize = 64 * 1024;

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

/// Gathers standard error's output into blocks from now on, for commands
/// that print many diagnostics and nothing else there (`check`, `fmt`):
/// a diagnostic a system call made printing 500,000 of them slow. Anything
/// written to standard output through here first writes what is gathered,
/// so the two streams keep their order; [`finish`] writes the rest.
pub fn buffer_stderr() {
    let mut buffer = STDERR_BUFFER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    buffer.get_or_insert_with(|| Vec::with_capacity(STDERR_BLOCK));
}

/// Writes what standard error has gathered.
fn flush_stderr() {
    let pending = {
        let mut buffer = STDERR_BUFFER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match buffer.as_mut() {
            Some(b) if !b.is_empty() => std::mem::take(b),
            _ => return,
        }
    };
    write_now(Stream::Stderr, &pending);
}

/// Writes `bytes` to `stream` unless it is closed; `false` when it is (or
/// becomes) closed.
pub fn write(stream: Stream, bytes: &[u8]) -> bool {
    if stream.closed().load(Ordering::Relaxed) {
        return false;
    }
    match stream {
        Stream::Stdout => flush_stderr(),
        Stream::Stderr => {
            let full = {
                let mut buffer = STDERR_BUFFER
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match buffer.as_mut() {
                    Some(b) => {
                        b.extend_from_slice(bytes);
                        b.len() >= STDERR_BLOCK
                    }
                    None => return write_now(stream, bytes),
                }
            };
            if full {
                flush_stderr();
            }
            return !stream.closed().load(Ordering::Relaxed);
        }
    }
    write_now(stream, bytes)
}

fn write_now(stream: Stream, bytes: &[u8]) -> bool {
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

/// Formats one line and writes it to `stream`: in one piece when it is
/// short, in blocks of [`LINE_BLOCK`] when it is long (a whole plan is
/// one "line"), so that it is never held whole.
pub fn line(stream: Stream, args: std::fmt::Arguments<'_>) {
    if stream.closed().load(Ordering::Relaxed) {
        return;
    }
    if let Some(s) = args.as_str() {
        let mut text = String::with_capacity(s.len() + 1);
        text.push_str(s);
        text.push('\n');
        write(stream, text.as_bytes());
        return;
    }
    let mut out = Blocks {
        stream,
        text: String::new(),
    };
    // An error here is a closed stream, already noted.
    if std::fmt::Write::write_fmt(&mut out, args).is_ok() {
        out.text.push('\n');
        write(stream, out.text.as_bytes());
    }
}

/// How much of a long line [`line`] gathers before writing it.
const LINE_BLOCK: usize = 64 * 1024;

/// A `fmt::Write` that writes to a stream in blocks.
struct Blocks {
    stream: Stream,
    text: String,
}

impl std::fmt::Write for Blocks {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        if self.text.len() >= LINE_BLOCK {
            let ok = write(self.stream, self.text.as_bytes());
            self.text.clear();
            if !ok {
                return Err(std::fmt::Error);
            }
        }
        Ok(())
    }
}

/// The exit code of a run that wanted to end with `code`: 3 when writing
/// its output failed other than by a closed pipe (a full disk), with a
/// message on standard error when that still works.
pub fn finish(code: ExitCode) -> ExitCode {
    flush_stderr();
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
