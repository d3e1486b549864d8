//! Where a command writes: the embedded store or MaxCompute, and where
//! each of those choices came from.
//!
//! The rule: a flag on the command line beats the environment and the
//! config file. `--store` picks the store even when `MCAUTH_ENDPOINT` or a
//! config file names an endpoint; `--endpoint` or `--config` picks
//! MaxCompute even when `MCAUTH_STORE` is set. When a store and an
//! endpoint both apply and neither was given on the command line
//! (`MCAUTH_STORE` with `MCAUTH_ENDPOINT` or the default config file), or
//! both were, nothing is guessed: the run stops with a usage error that
//! names both and where they came from.

use std::fmt;
use std::path::{Path, PathBuf};

/// The store's file when `--store` is not given.
pub const ENV_STORE: &str = "MCAUTH_STORE";

/// Where a choice came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A flag on the command line, e.g. `--store`.
    Flag(&'static str),
    /// An environment variable, by name.
    Env(&'static str),
    /// The default config file (`$XDG_CONFIG_HOME/mcauth/odps_config.ini`),
    /// which exists at this path.
    ConfigFile(PathBuf),
    /// Nothing chose: the built-in default.
    Default,
}

impl Source {
    fn is_flag(&self) -> bool {
        matches!(self, Source::Flag(_))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "from {flag}"),
            Source::Env(name) => write!(f, "from {name}"),
            Source::ConfigFile(_) => f.write_str("the default config file"),
            Source::Default => f.write_str("the default"),
        }
    }
}

/// The embedded store's file and where it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreChoice {
    pub path: PathBuf,
    pub source: Source,
}

impl StoreChoice {
    /// `--store`, else `MCAUTH_STORE` (an empty value counts as unset),
    /// else the default path.
    pub fn of(flag: Option<&Path>) -> StoreChoice {
        Self::from_parts(
            flag,
            std::env::var_os(ENV_STORE).filter(|v| !v.is_empty()),
            mcauth_store::default_path,
        )
    }

    fn from_parts(
        flag: Option<&Path>,
        env: Option<std::ffi::OsString>,
        default: impl FnOnce() -> PathBuf,
    ) -> StoreChoice {
        match (flag, env) {
            (Some(path), _) => StoreChoice {
                path: path.to_owned(),
                source: Source::Flag("--store"),
            },
            (None, Some(path)) => StoreChoice {
                path: PathBuf::from(path),
                source: Source::Env(ENV_STORE),
            },
            (None, None) => StoreChoice {
                path: default(),
                source: Source::Default,
            },
        }
    }

    /// The file to open. Only the default path may have its folders made
    /// (the store does that when it opens); a path someone named must be
    /// in a folder that exists, so a mistyped folder is an error rather
    /// than a new, empty store.
    pub fn ready(&self) -> Result<&Path, String> {
        if self.source == Source::Default {
            return Ok(&self.path);
        }
        let Some(folder) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            // A bare file name: the current folder.
            return Ok(&self.path);
        };
        match std::fs::metadata(folder) {
            Ok(meta) if meta.is_dir() => Ok(&self.path),
            Ok(_) => Err(format!(
                "the store {} ({}) cannot be made: {} is not a folder",
                self.path.display(),
                self.source,
                folder.display()
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
                "the store {} ({}) cannot be made: the folder {} does not exist (create it first if the path is right)",
                self.path.display(),
                self.source,
                folder.display()
            )),
            // Anything else (a folder we may not read, say): opening the
            // store reports it with its own words.
            Err(_) => Ok(&self.path),
        }
    }
}

/// MaxCompute's endpoint as far as choosing the target goes: what names
/// it (a URL, or a config file that holds one) and where that came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointChoice {
    /// The URL, or the config file's path.
    pub shown: String,
    pub source: Source,
}

impl fmt::Display for EndpointChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Flag("--config") => write!(f, "the config file {} (from --config)", self.shown),
            Source::ConfigFile(_) => write!(
                f,
                "the endpoint of {} (the default config file, which exists)",
                self.shown
            ),
            source => write!(f, "the endpoint {} ({source})", self.shown),
        }
    }
}

/// Where a command writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Store(StoreChoice),
    Remote(EndpointChoice),
}

/// Why a command line does not say where it writes, or who acts there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A store and an endpoint both apply and the command line does not
    /// say which wins.
    Both {
        store: StoreChoice,
        endpoint: EndpointChoice,
    },
    /// `--as` names who acts, but the command goes to MaxCompute, where
    /// the AccessKey decides who runs statements.
    AsOnRemote { endpoint: EndpointChoice },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (store, endpoint) = match self {
            Conflict::Both { store, endpoint } => (store, endpoint),
            Conflict::AsOnRemote { endpoint } => {
                return write!(
                    f,
                    "--as acts as someone else on the embedded store only, and this command goes to MaxCompute, to {endpoint}, where the AccessKey decides who runs it: use that principal's AccessKey instead of --as, or pass --store PATH to use the store"
                );
            }
        };
        let both_flags = store.source.is_flag() && endpoint.source.is_flag();
        let store = format!("the store {} ({})", store.path.display(), store.source);
        if both_flags {
            write!(
                f,
                "both {store} and {endpoint} were given: a command writes to one of them; pass either --store or {} alone",
                match endpoint.source {
                    Source::Flag(flag) => flag,
                    _ => "--endpoint",
                }
            )
        } else {
            write!(
                f,
                "both {store} and {endpoint} apply, and the command line does not say which to use: pass --store PATH to use the store, or --endpoint URL to send statements to MaxCompute"
            )
        }
    }
}

/// The target rule, from the store's choice and the endpoint's (if any).
pub fn decide(store: StoreChoice, endpoint: Option<EndpointChoice>) -> Result<Target, Conflict> {
    let Some(endpoint) = endpoint else {
        return Ok(Target::Store(store));
    };
    match (store.source.is_flag(), endpoint.source.is_flag()) {
        (true, false) => Ok(Target::Store(store)),
        (false, true) => Ok(Target::Remote(endpoint)),
        // Neither on the command line: an endpoint wins only over the
        // default store, which nobody named.
        (false, false) if store.source == Source::Default => Ok(Target::Remote(endpoint)),
        _ => Err(Conflict::Both { store, endpoint }),
    }
}

/// Where this command line writes (see [`decide`]); the endpoint's side
/// comes from [`crate::remote::configured`].
/// `--as` is refused when that is MaxCompute, which would not honour it.
pub fn resolve(cli: &crate::cli::Cli) -> Result<Target, Conflict> {
    let target = decide(
        StoreChoice::of(cli.target.store.as_deref()),
        crate::remote::configured(cli),
    )?;
    match target {
        Target::Remote(endpoint) if cli.target.as_principal.is_some() => {
            Err(Conflict::AsOnRemote { endpoint })
        }
        target => Ok(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(source: Source) -> StoreChoice {
        StoreChoice {
            path: PathBuf::from("/tmp/w/v.db"),
            source,
        }
    }

    fn endpoint(source: Source) -> EndpointChoice {
        EndpointChoice {
            shown: "http://127.0.0.1:8080/api".to_owned(),
            source,
        }
    }

    #[test]
    fn a_flag_beats_the_environment_and_the_config_file() {
        let config = Source::ConfigFile(PathBuf::from("/c/mcauth/odps_config.ini"));
        for implicit in [Source::Env("MCAUTH_ENDPOINT"), config] {
            let flag = store(Source::Flag("--store"));
            assert_eq!(
                decide(flag.clone(), Some(endpoint(implicit))),
                Ok(Target::Store(flag))
            );
        }
        for flag in ["--endpoint", "--config"] {
            let remote = endpoint(Source::Flag(flag));
            assert_eq!(
                decide(store(Source::Env(ENV_STORE)), Some(remote.clone())),
                Ok(Target::Remote(remote))
            );
        }
    }

    #[test]
    fn without_a_flag_an_endpoint_wins_only_over_the_default_store() {
        let remote = endpoint(Source::Env("MCAUTH_ENDPOINT"));
        assert_eq!(
            decide(store(Source::Default), Some(remote.clone())),
            Ok(Target::Remote(remote.clone()))
        );
        let conflict = decide(store(Source::Env(ENV_STORE)), Some(remote));
        let message = conflict.expect_err("ambiguous").to_string();
        assert!(
            message.contains("the store /tmp/w/v.db (from MCAUTH_STORE)")
                && message
                    .contains("the endpoint http://127.0.0.1:8080/api (from MCAUTH_ENDPOINT)")
                && message.contains("pass --store PATH")
                && message.contains("--endpoint URL"),
            "{message}"
        );
        assert_eq!(
            decide(store(Source::Env(ENV_STORE)), None),
            Ok(Target::Store(store(Source::Env(ENV_STORE))))
        );
    }

    #[test]
    fn two_flags_are_a_conflict() {
        let conflict = decide(
            store(Source::Flag("--store")),
            Some(endpoint(Source::Flag("--endpoint"))),
        );
        let message = conflict.expect_err("two flags").to_string();
        assert!(
            message.contains("(from --store)") && message.contains("(from --endpoint)"),
            "{message}"
        );
    }

    #[test]
    fn the_store_flag_beats_its_variable() {
        let flag = Path::new("/a.db");
        let choice = StoreChoice::from_parts(Some(flag), Some("/b.db".into()), || "/c.db".into());
        assert_eq!(choice.source, Source::Flag("--store"));
        assert_eq!(choice.path, flag);
        let choice = StoreChoice::from_parts(None, Some("/b.db".into()), || "/c.db".into());
        assert_eq!(choice.source, Source::Env(ENV_STORE));
        let choice = StoreChoice::from_parts(None, None, || "/c.db".into());
        assert_eq!(
            (choice.source, choice.path),
            (Source::Default, PathBuf::from("/c.db"))
        );
    }

    #[test]
    fn a_named_store_needs_its_folder() {
        let dir = std::env::temp_dir().join(format!("mcauth-target-{}", std::process::id()));
        let missing = StoreChoice {
            path: dir.join("nope/v.db"),
            source: Source::Flag("--store"),
        };
        let message = missing.ready().expect_err("no folder");
        assert!(
            message.contains("does not exist") && message.contains("nope"),
            "{message}"
        );
        let default = StoreChoice {
            source: Source::Default,
            ..missing
        };
        assert!(default.ready().is_ok());
        let bare = StoreChoice {
            path: PathBuf::from("v.db"),
            source: Source::Env(ENV_STORE),
        };
        assert!(bare.ready().is_ok());
    }
}
