//! Configuration errors and warnings. Neither ever holds a secret value.

use std::fmt;
use std::path::PathBuf;

use crate::error::OdpsCode;

/// Where a configuration value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, e.g. `--endpoint`.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A line of the config file.
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// Built in.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(name) => write!(f, "flag {name}"),
            Self::Env(name) => write!(f, "environment variable {name}"),
            Self::File { path, line } => write!(f, "{}:{line}", path.display()),
            Self::Default => f.write_str("default"),
        }
    }
}

/// Configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file exists but cannot be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `--config` file that does not exist.
    #[error("config file {} does not exist", path.display())]
    NotFound {
        /// The file.
        path: PathBuf,
    },
    /// A line that is not `key=value`.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A value that cannot be used.
    #[error("{origin}: invalid {key}: {message}")]
    InvalidValue {
        /// Where the value came from.
        origin: Origin,
        /// The setting, e.g. `end_point`.
        key: &'static str,
        /// What is wrong (never the value of a secret).
        message: String,
    },
    /// A required setting that no source provides.
    #[error("no {what} configured")]
    Missing {
        /// The setting, e.g. `endpoint`.
        what: &'static str,
        /// Where it can be given.
        hint: String,
    },
}

impl ConfigError {
    /// The stable code, e.g. `mcauth::odps::config::syntax`.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The catalogue entry of this error.
    pub fn kind(&self) -> OdpsCode {
        match self {
            Self::Io { .. } => OdpsCode::ConfigIo,
            Self::NotFound { .. } => OdpsCode::ConfigNotFound,
            Self::Syntax { .. } => OdpsCode::ConfigSyntax,
            Self::InvalidValue { .. } => OdpsCode::ConfigInvalidValue,
            Self::Missing { .. } => OdpsCode::ConfigMissing,
        }
    }
}

impl mcauth_codes::Coded for ConfigError {
    fn entry(&self) -> mcauth_codes::Entry {
        self.kind().entry()
    }

    fn specific_help(&self) -> Option<String> {
        match self {
            Self::Missing { hint, .. } => Some(hint.clone()),
            _ => None,
        }
    }
}

mcauth_codes::diagnostic!(ConfigError);

/// Something the user should know; the CLI decides how to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigWarning {
    /// The config file (which may hold `access_key`) is readable by group or others.
    FileReadableByOthers {
        /// The file.
        path: PathBuf,
        /// Its permission bits, e.g. `0o644`.
        mode: u32,
    },
    /// A key given twice; the later line wins.
    DuplicateKey {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// The overridden line.
        first_line: usize,
        /// The line that wins.
        line: usize,
    },
    /// The AccessKey ID and secret come from different sources, and the file
    /// pairs the secret with a different ID.
    MixedCredentials {
        /// Where the ID came from.
        id_origin: Origin,
        /// Where the secret came from.
        secret_origin: Origin,
    },
    /// A setting mcauth reads but does not support; it is ignored.
    Ignored {
        /// Where it is.
        origin: Origin,
        /// The key.
        key: String,
        /// Why.
        reason: &'static str,
    },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FileReadableByOthers { path, mode } => write!(
                f,
                "config file {} is readable by other users (mode {mode:03o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            ),
            Self::DuplicateKey {
                path,
                key,
                first_line,
                line,
            } => write!(
                f,
                "{}:{line}: `{key}` is also set on line {first_line}; line {line} wins",
                path.display()
            ),
            Self::MixedCredentials {
                id_origin,
                secret_origin,
            } => write!(
                f,
                "the AccessKey ID ({id_origin}) and secret ({secret_origin}) come from different places and the config file pairs the secret with another ID"
            ),
            Self::Ignored {
                origin,
                key,
                reason,
            } => write!(f, "{origin}: `{key}` is ignored: {reason}"),
        }
    }
}
