//! Exit codes, the same in every mode:
//! 0 all went well; 1 a statement failed (or `check`/`fmt --check` found
//! something); 2 a syntax or usage error; 3 a configuration or connection
//! error.

use std::process::ExitCode;

pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;
pub const CONFIG: u8 = 3;

/// Every exit code with what it means, as `docs/codes.md` lists them
/// (read only by its generator, a test).
#[cfg(test)]
pub const MEANINGS: [(u8, &str); 4] = [
    (0, "all went well"),
    (
        FAILED,
        "a statement failed, `check` found an error, `fmt --check` found a file not in canonical form, or a plan could not be made",
    ),
    (
        USAGE,
        "a syntax or usage error; for `plan` and `diff`: changes to make, as `terraform plan -detailed-exitcode`",
    ),
    (
        CONFIG,
        "a configuration, connection or store error, or output that could not be written",
    ),
];

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
