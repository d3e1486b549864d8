//! MaxCompute (ODPS) REST client for mcauth.
//!
//! * [`Client`]: the async REST client (security queries, planning reads,
//!   policy documents, project properties), configured by a
//!   [`ClientConfig`] that [`resolve`] builds from flags > environment >
//!   `odps_config.ini`.
//! * [`Credentials`], [`SigningMode`], [`authorization`]: V2 and V4 request
//!   signing (docs/wire-protocol.md#signing).
//! * [`verify`]: server-side verification of V2/V4 signatures, tolerant of
//!   the differences between the PyODPS, Go and Java SDKs (for the
//!   emulator).
//! * [`parse_result`], [`parse_users`], [`render_error`] and the like: the
//!   XML documents of the security subset.
//! * [`Secret`]: a string type whose `Debug`/`Display` never show the value.
//! * [`OdpsError`]: the client's error type with stable diagnostic codes.

#![warn(missing_docs)]

mod client;
mod config;
mod error;
mod model;
mod secret;
mod sign;
mod time;
mod verify;

pub use client::{
    Client, HttpEvent, LogHook, PolicyTarget, PollPolicy, Protection, RetryPolicy, SecurityQuery,
    Submission, TableMeta, Timeouts,
};
pub use config::{
    ClientConfig, ConfigError, ConfigFlags, ConfigWarning, ENV_ENDPOINT, Env, Origin, ProcessEnv,
    Resolved, default_config_path, redact_endpoint, resolve,
};
pub use error::{OdpsCode, OdpsError, ServiceError};
pub use model::{
    ErrorBody, ProjectMeta, QueryStatus, Role, User, parse_error, parse_project, parse_result,
    parse_roles, parse_users, render_error,
};
pub use secret::Secret;
pub use sign::{AuthScope, Credentials, SigningMode, authorization};
pub use verify::{
    DEFAULT_MAX_CLOCK_SKEW, SecretLookup, Verified, VerifyError, VerifyOptions, VerifyRequest,
    candidate_strings, check_content_md5, verify,
};
