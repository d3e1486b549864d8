//! The emulator's stable codes ([`ServeCode`]: why `mcauth serve` cannot
//! start, and the `x-mcauth-code` of answers that are not the engine's),
//! and its start-up errors ([`ServeError`]). None of them holds a secret: accounts.toml errors
//! carry the file name, a line number and a message this crate writes,
//! never the text of the offending line.

use std::net::SocketAddr;
use std::path::PathBuf;

mcauth_codes::catalogue! {
    /// The emulator's own codes: start-up errors, and the `x-mcauth-code`
    /// header of answers that are neither an engine failure nor a syntax
    /// error (those carry the engine's or the parser's code).
    pub enum ServeCode in "mcauth::serve::" {
        /// The accounts file cannot be read.
        AccountsRead => "accounts_read";
        /// The accounts file breaks a rule (or is not valid TOML).
        AccountsInvalid => "accounts_invalid",
            help "see examples/accounts.toml for the format";
        /// A `--faults` specification that cannot be read.
        FaultsInvalid => "faults_invalid",
            help "the syntax is TARGET:ACTION[:WHEN][,ACTION[:WHEN]…][;TARGET:…], e.g. authorization:503:every=3,drop-after:once";
        /// `--listen` is not a loopback address.
        NotLoopback => "not_loopback",
            help "the emulator ships well-known test credentials; use 127.0.0.1:PORT (or [::1]:PORT)";
        /// The listening socket cannot be opened.
        Bind => "bind",
            help "choose another port with --listen 127.0.0.1:PORT (0 picks a free one)";
        /// The async runtime or the signal handlers cannot be set up.
        Runtime => "runtime";
        /// A request names a project the emulator does not have.
        NoSuchProject => "no_such_project";
        /// Polling an instance someone else submitted.
        NotInstanceOwner => "not_instance_owner";
        /// A request names an object that does not exist.
        NotFound => "not_found";
        /// A request the REST API does not accept.
        InvalidRequest => "invalid_request";
        /// A request the emulator does not support.
        Unsupported => "unsupported";
        /// Something went wrong inside the emulator.
        Internal => "internal";
        /// An answer made up by `--faults`.
        InjectedFault => "injected_fault";
        /// The request's signature or credentials do not verify.
        Authentication => "authentication";
        /// A statement holds a control character outside any token.
        ControlCharacter => "control_character";
        /// The request body did not arrive in time.
        BodyTimeout => "body_timeout";
        /// The server is at its connection limit; retry later.
        TooManyConnections => "too_many_connections";
    }
}

/// Start-up errors of the emulator.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The accounts file cannot be read.
    #[error("cannot read {path}: {source}")]
    AccountsRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },

    /// The accounts file breaks a rule (or is not valid TOML).
    #[error("{file}:{line}: {message}")]
    AccountsInvalid {
        /// The file name as given.
        file: String,
        /// 1-based line of the offending entry.
        line: usize,
        /// What is wrong.
        message: String,
    },

    /// A `--faults` specification that cannot be read.
    #[error("invalid --faults {spec:?}: {message}")]
    FaultsInvalid {
        /// The part that failed.
        spec: String,
        /// What is wrong.
        message: String,
    },

    /// `--listen` is not a loopback address.
    #[error("refusing to listen on {addr}: mcauth serve only binds loopback addresses")]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },

    /// The listening socket cannot be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },

    /// The store cannot be opened or a project cannot be loaded.
    #[error(transparent)]
    Store(#[from] mcauth_store::StoreError),

    /// The async runtime or the signal handlers cannot be set up.
    #[error("cannot start the server runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

impl ServeError {
    /// The stable diagnostic code, e.g. `mcauth::serve::accounts_invalid`;
    /// a store error keeps the store's own code.
    pub fn code(&self) -> &'static str {
        mcauth_codes::Coded::entry(self).code
    }
}

impl mcauth_codes::Coded for ServeError {
    fn entry(&self) -> mcauth_codes::Entry {
        match self {
            Self::AccountsRead { .. } => ServeCode::AccountsRead.entry(),
            Self::AccountsInvalid { .. } => ServeCode::AccountsInvalid.entry(),
            Self::FaultsInvalid { .. } => ServeCode::FaultsInvalid.entry(),
            Self::NotLoopback { .. } => ServeCode::NotLoopback.entry(),
            Self::Bind { .. } => ServeCode::Bind.entry(),
            Self::Store(e) => e.code().entry(),
            Self::Runtime(_) => ServeCode::Runtime.entry(),
        }
    }
}

mcauth_codes::diagnostic!(ServeError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_diagnostics() {
        let all = [
            ServeError::AccountsInvalid {
                file: "a.toml".into(),
                line: 3,
                message: "m".into(),
            },
            ServeError::FaultsInvalid {
                spec: "x".into(),
                message: "m".into(),
            },
            ServeError::NotLoopback {
                addr: SocketAddr::from(([0, 0, 0, 0], 1)),
            },
            ServeError::Runtime(std::io::Error::other("x")),
            ServeError::Store(mcauth_store::StoreError::Busy),
        ];
        for e in &all {
            let shown = miette::Diagnostic::code(e).map(|c| c.to_string());
            assert_eq!(shown.as_deref(), Some(ServeError::code(e)));
        }
        assert_eq!(all[0].to_string(), "a.toml:3: m");
        assert_eq!(all[4].code(), "mcauth::store::busy");
    }
}
