//! Client configuration: flags > environment > `odps_config.ini`
//! (odpscmd's format, docs/wire-protocol.md#odpscmd-configuration), resolved per setting.
//!
//! The CLI passes its flag values in [`ConfigFlags`] (which has no field for
//! the secret: it is never accepted on the command line) and gets back a
//! [`Resolved`]: the [`ClientConfig`] plus warnings to show.

mod env;
mod error;
mod ini;
mod resolve;

use std::path::PathBuf;

pub use env::{ENV_ENDPOINT, Env, ProcessEnv};
pub use error::{ConfigError, ConfigWarning, Origin};
pub use resolve::{default_config_path, redact_endpoint, resolve};

use crate::client::{PollPolicy, RetryPolicy, Timeouts};
use crate::sign::{Credentials, SigningMode};

/// The file name odpscmd uses, also mcauth's default.
pub const CONFIG_FILE_NAME: &str = "odps_config.ini";

/// Values from the command line. `None` means "not given".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFlags {
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--project`.
    pub project: Option<String>,
    /// `--access-id`.
    pub access_id: Option<String>,
    /// `--config FILE`; it must exist when given.
    pub config_file: Option<PathBuf>,
}

/// Everything the client needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// The REST endpoint, e.g. `http://service.cn-hangzhou.maxcompute.aliyun.com/api`,
    /// without a trailing `/`.
    pub endpoint: String,
    /// The default project (sent as `curr_project`).
    pub project: String,
    /// AccessKey pair and optional STS token.
    pub credentials: Credentials,
    /// V2, or V4 when a region is configured.
    pub signing: SigningMode,
    /// Sent as `User-Agent` and (signed) `x-odps-user-agent`.
    pub user_agent: String,
    /// Connect and request timeouts.
    pub timeouts: Timeouts,
    /// Retries of GETs and of requests that never left.
    pub retry: RetryPolicy,
    /// Polling of asynchronous security queries.
    pub poll: PollPolicy,
    /// HTTP proxy URL, from odpscmd's `proxy_host`/`proxy_port`.
    pub proxy: Option<String>,
}

impl ClientConfig {
    /// A configuration with default policies, V2 signing and mcauth's user agent.
    pub fn new(
        endpoint: impl Into<String>,
        project: impl Into<String>,
        credentials: Credentials,
    ) -> Self {
        Self {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            project: project.into(),
            credentials,
            signing: SigningMode::V2,
            user_agent: default_user_agent(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            proxy: None,
        }
    }
}

/// `mcauth/<version>`.
pub fn default_user_agent() -> String {
    format!("mcauth/{}", env!("CARGO_PKG_VERSION"))
}

/// The outcome of [`resolve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The configuration to build a client from.
    pub config: ClientConfig,
    /// Things to tell the user (e.g. a world-readable config file).
    pub warnings: Vec<ConfigWarning>,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
}
