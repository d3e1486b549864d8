//! MaxCompute (ODPS) REST client for mcauth.
//!
//! * [`secret`]: a string type whose `Debug`/`Display` never show the value.
//! * [`sign`]: V2 and V4 request signing (docs/wire-protocol.md#signing).
//! * [`verify`]: server-side verification of V2/V4 signatures, tolerant of the
//!   differences between the PyODPS, Go and Java SDKs (for the emulator).
//! * [`config`]: flags > environment > `odps_config.ini` resolution.
//! * [`client`]: the async REST client (security queries, planning reads).
//! * [`model`]: the XML documents of the security subset.
//! * [`error`]: the client's error type with stable diagnostic codes.

pub mod client;
pub mod config;
pub mod error;
pub mod model;
pub mod secret;
pub mod sign;
pub mod time;
pub mod verify;

pub use client::{Client, HttpEvent, LogHook, PolicyTarget, SecurityQuery, Submission, TableMeta};
pub use config::{
    ClientConfig, ConfigError, ConfigFlags, ConfigWarning, Env, ProcessEnv, Resolved, resolve,
};
pub use error::{OdpsCode, OdpsError, ServiceError};
pub use model::{ProjectMeta, QueryStatus, Role, User};
pub use secret::Secret;
pub use sign::{Credentials, SigningMode};
pub use verify::{SecretLookup, Verified, VerifyError, VerifyOptions, VerifyRequest, verify};
