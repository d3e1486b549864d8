//! Exit codes, the same in every mode:
//! 0 all went well; 1 a statement failed (or `check`/`fmt --check` found
//! something); 2 a syntax or usage error; 3 a configuration or connection
//! error.

use std::process::ExitCode;

pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;
pub const CONFIG: u8 = 3;

/// Prints a usage problem and returns exit code 2.
pub fn usage(message: &str) -> ExitCode {
    eprintln!("mcauth: {message}");
    ExitCode::from(USAGE)
}

/// The number an exit code stands for (`ExitCode` does not say).
pub fn code_of(code: ExitCode) -> u8 {
    (0..=u8::MAX)
        .find(|c| code == ExitCode::from(*c))
        .unwrap_or(FAILED)
}
