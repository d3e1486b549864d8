//! Why `mcauth serve` cannot start. Every variant has a stable code under
//! `mcauth::serve::`. None of them holds a secret: accounts.toml errors
//! carry the file name, a line number and a message this crate writes,
//! never the text of the offending line.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Start-up errors of the emulator.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ServeError {
    /// The accounts file cannot be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(mcauth::serve::accounts_read))]
    AccountsRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },

    /// The accounts file breaks a rule (or is not valid TOML).
    #[error("{file}:{line}: {message}")]
    #[diagnostic(
        code(mcauth::serve::accounts_invalid),
        help("see examples/accounts.toml for the format")
    )]
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
    #[diagnostic(
        code(mcauth::serve::faults_invalid),
        help(
            "the syntax is TARGET:ACTION[:WHEN][,ACTION[:WHEN]…][;TARGET:…], e.g. authorization:503:every=3,drop-after:once"
        )
    )]
    FaultsInvalid {
        /// The part that failed.
        spec: String,
        /// What is wrong.
        message: String,
    },

    /// `--listen` is not a loopback address.
    #[error("refusing to listen on {addr}: mcauth serve only binds loopback addresses")]
    #[diagnostic(
        code(mcauth::serve::not_loopback),
        help("the emulator ships well-known test credentials; use 127.0.0.1:PORT (or [::1]:PORT)")
    )]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },

    /// The listening socket cannot be opened.
    #[error("cannot listen on {addr}: {source}")]
    #[diagnostic(
        code(mcauth::serve::bind),
        help("choose another port with --listen 127.0.0.1:PORT (0 picks a free one)")
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },

    /// The store cannot be opened or a project cannot be loaded.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Store(#[from] mcauth_store::StoreError),

    /// The async runtime or the signal handlers cannot be set up.
    #[error("cannot start the server runtime: {0}")]
    #[diagnostic(code(mcauth::serve::runtime))]
    Runtime(#[source] std::io::Error),
}

impl ServeError {
    /// The stable diagnostic code, e.g. `mcauth::serve::accounts_invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AccountsRead { .. } => "mcauth::serve::accounts_read",
            Self::AccountsInvalid { .. } => "mcauth::serve::accounts_invalid",
            Self::FaultsInvalid { .. } => "mcauth::serve::faults_invalid",
            Self::NotLoopback { .. } => "mcauth::serve::not_loopback",
            Self::Bind { .. } => "mcauth::serve::bind",
            Self::Store(_) => "mcauth::serve::store",
            Self::Runtime(_) => "mcauth::serve::runtime",
        }
    }
}

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
        ];
        for e in &all {
            let shown = miette::Diagnostic::code(e).map(|c| c.to_string());
            assert_eq!(shown.as_deref(), Some(ServeError::code(e)));
        }
        assert_eq!(all[0].to_string(), "a.toml:3: m");
    }
}
