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

/// Each stream's output, gathered when a command asked for it
/// ([`buffer_output`]): written in blocks rather than a system call a line.
static STDOUT_BUFFER: Mutex<Option<Vec<u8>>> = Mutex::new(None);
static STDERR_BUFFER: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// How much a buffer holds before it is written.
const BLOCK: usize = 64 * 1024;

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
        let mut first = lock(&FAILED);
        if first.is_none() {
            *first = Some((stream, error.to_string()));
        }
    }
    false
}

/// Gathers both streams' output into blocks from now on, for commands
/// that print many lines and read nothing interactively (`check`, `fmt`):
/// a line a system call made printing 500,000 diagnostics slow. Before a
/// stream gathers more, what the other has gathered is written, so the
/// two keep their order; [`finish`] writes the rest.
pub fn buffer_output() {
    for buffer in [&STDOUT_BUFFER, &STDERR_BUFFER] {
        lock(buffer).get_or_insert_with(|| Vec::with_capacity(BLOCK));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn buffer_of(stream: Stream) -> &'static Mutex<Option<Vec<u8>>> {
    match stream {
        Stream::Stdout => &STDOUT_BUFFER,
        Stream::Stderr => &STDERR_BUFFER,
    }
}

fn other(stream: Stream) -> Stream {
    match stream {
        Stream::Stdout => Stream::Stderr,
        Stream::Stderr => Stream::Stdout,
    }
}

/// Writes what `stream` has gathered.
fn flush_buffer(stream: Stream) {
    let pending = match lock(buffer_of(stream)).as_mut() {
        Some(b) if !b.is_empty() => std::mem::take(b),
        _ => return,
    };
    write_now(stream, &pending);
}

/// Writes `bytes` to `stream` (or gathers them, see [`buffer_output`])
/// unless it is closed; `false` when it is (or becomes) closed.
pub fn write(stream: Stream, bytes: &[u8]) -> bool {
    if stream.closed().load(Ordering::Relaxed) {
        return false;
    }
    if capture_into(stream, bytes) {
        return true;
    }
    flush_buffer(other(stream));
    let full = match lock(buffer_of(stream)).as_mut() {
        Some(b) => {
            b.extend_from_slice(bytes);
            b.len() >= BLOCK
        }
        None => return write_now(stream, bytes),
    };
    if full {
        flush_buffer(stream);
    }
    !stream.closed().load(Ordering::Relaxed)
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
    // At most one of them holds anything: `write` empties the other first.
    flush_buffer(Stream::Stdout);
    flush_buffer(Stream::Stderr);
    if !stdout_closed()
        && let Err(e) = std::io::stdout().lock().flush()
    {
        failed(Stream::Stdout, &e);
    }
    let first = lock(&FAILED).clone();
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

thread_local! {
    /// What this thread writes while [`capture`] runs, in order.
    static CAPTURED: std::cell::RefCell<Option<Captured>> = const { std::cell::RefCell::new(None) };
}

/// Output a thread gathered instead of writing it: each write, in order,
/// with the stream it was for.
#[derive(Debug, Default)]
pub struct Captured {
    writes: Vec<(Stream, Vec<u8>)>,
}

impl Captured {
    /// Writes everything gathered to the real streams, in order. Several
    /// projects' runs go on at once (`--jobs`); each one's output is
    /// written whole, never interleaved with another's.
    pub fn replay(self) {
        for (stream, bytes) in self.writes {
            write(stream, &bytes);
        }
    }
}

/// Runs `f`, gathering what this thread writes to standard output and
/// error (through [`write`], [`line`] and the statement printer) instead
/// of writing it.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, Captured) {
    let outer = CAPTURED.with(|c| c.replace(Some(Captured::default())));
    let result = f();
    let captured = CAPTURED.with(|c| c.replace(outer)).unwrap_or_default();
    (result, captured)
}

/// Whether this thread's output is being gathered (see [`capture`]).
pub fn capturing() -> bool {
    CAPTURED.with(|c| c.borrow().is_some())
}

/// Gathers `bytes` when this thread captures; `false` when it does not.
fn capture_into(stream: Stream, bytes: &[u8]) -> bool {
    CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some(captured) => {
            match captured.writes.last_mut() {
                Some((last, held)) if *last == stream => held.extend_from_slice(bytes),
                _ => captured.writes.push((stream, bytes.to_vec())),
            }
            true
        }
        None => false,
    })
}
