//! The async REST client (reqwest over rustls, tokio).
//!
//! * [`Client::run_security_query`] and friends: `POST /projects/{p}/authorization`
//!   and polling of asynchronous answers.
//! * [`Client::list_users`], [`Client::user_roles`], [`Client::list_roles`],
//!   [`Client::role_users`], [`Client::project_meta`]: reads for planning.
//! * [`Client::get_policy`], [`Client::put_policy`]: policy documents.
//! * [`Client::project_properties`], [`Client::set_project_properties`]:
//!   project properties (`setproject`).
//!
//! Every request is signed (V2 or V4), carries `Date`, `User-Agent`,
//! `x-odps-user-agent`, `curr_project` and, with STS credentials,
//! `authorization-sts-token`. GETs and PUTs are retried on connection errors,
//! timeouts and 429/502/503/504; a POST is retried only when no connection
//! was made, and a POST that may have arrived fails with
//! [`OdpsError::OutcomeUnknown`](crate::OdpsError::OutcomeUnknown).

mod answer;
mod log;
mod policies;
mod policy;
mod properties;
mod protection;
mod reads;
mod security;
mod send;
mod tables;
mod url;

use std::net::IpAddr;

pub use log::{HttpEvent, LogHook};
pub use policies::PolicyTarget;
pub use policy::{PollPolicy, RetryPolicy, Timeouts};
pub use protection::Protection;
pub use security::{SecurityQuery, Submission};
pub use tables::TableMeta;

use crate::config::ClientConfig;
use crate::error::OdpsError;
use url::{LastUrl, Target};

/// A MaxCompute REST client. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    log_hook: Option<LogHook>,
    last_url: std::sync::Arc<LastUrl>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("log_hook", &self.log_hook.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. Fails on an unusable endpoint or proxy.
    pub fn new(config: ClientConfig) -> Result<Self, OdpsError> {
        let setup = |message: String| OdpsError::Setup { message };
        let endpoint = reqwest::Url::parse(&config.endpoint)
            .map_err(|e| setup(format!("endpoint {:?}: {e}", config.endpoint)))?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.timeouts.connect)
            .timeout(config.timeouts.request);
        match &config.proxy {
            Some(proxy) => {
                let proxy = reqwest::Proxy::all(proxy.as_str())
                    .map_err(|e| setup(format!("proxy {proxy:?}: {e}")))?;
                builder = builder.proxy(proxy);
            }
            // Environment proxies never apply to a local emulator.
            None if is_loopback(&endpoint) => builder = builder.no_proxy(),
            None => {}
        }
        let http = builder.build().map_err(|e| setup(e.to_string()))?;
        Ok(Self {
            http,
            config,
            log_hook: None,
            last_url: std::sync::Arc::default(),
        })
    }

    /// Reports every request, answer and failed attempt to `hook` (for `-vv`;
    /// the events' `Display` redacts `Authorization` and tokens).
    pub fn with_log_hook(mut self, hook: LogHook) -> Self {
        self.log_hook = Some(hook);
        self
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The default project.
    pub fn project(&self) -> &str {
        &self.config.project
    }

    /// A target below the endpoint.
    fn target(&self, segments: &[&str]) -> Result<Target, OdpsError> {
        Target::new(segments)
    }

    /// A call to `target` with `curr_project` appended last, as the SDKs do.
    fn call(
        &self,
        method: reqwest::Method,
        target: Target,
        body: Option<(&'static str, String)>,
    ) -> send::Call {
        send::Call {
            method,
            target: target.param("curr_project", &self.config.project),
            body,
        }
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
