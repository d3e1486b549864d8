//! `mcauth serve`: a local emulator of MaxCompute's security endpoint, for
//! development and CI, as LocalStack is for AWS. It serves
//! the engine's rules over the embedded store, speaking the REST subset
//! of docs/wire-protocol.md#what-pyodps-needs-from-a-server so that PyODPS, odpscmd, the Go and Java SDKs
//! and mcauth's own remote backend can talk to it.
//!
//! * Everything lives under `/api`; every request is signed (V2 or V4,
//!   15 minutes of clock skew, `authorization-sts-token` for STS keys; a
//!   V4 scope of this region, day and prefix only; a signed
//!   `Content-MD5` must match the body; no query parameter twice).
//! * `POST /projects/{p}/authorization` runs one statement as the caller
//!   and commits it through the store: `200` with the result, or `201`
//!   and an instance id to poll at `GET /projects/{p}/authorization/{id}`
//!   (by its submitter and the project's admins only) for `install` and
//!   `uninstall package`, and with [`ServeConfig::async_mode`] for every
//!   changing statement. Statements holding control characters are
//!   refused.
//! * REST reads: users (with comments), a user, a user's roles, roles
//!   (`?name=` prefix), a role, a role's users, project meta (with
//!   `x-odps-owner`, `x-odps-creation-time`, `Last-Modified`), the
//!   projects the caller may see (`GET /projects`), the Java SDK's
//!   `checkPermission` (`/projects/{p}/auth`), `/logview/host`,
//!   `/tenants`.
//! * The security configuration (`GET`/`PUT
//!   /projects/{p}?security_configuration`, see `config`): flags through
//!   `set` statements, `ProjectProtection`'s exception policy, the rest
//!   kept as put.
//! * Policy documents (docs/wire-protocol.md#policy-documents): `GET`/`PUT
//!   /projects/{p}?policy`, `?security_policy` and
//!   `/projects/{p}/roles/{r}?policy`, the raw JSON document as the body
//!   both ways. A `PUT` is linted (`mcauth-policy`, project or role
//!   dialect; an error finding is a 400 naming it and its line and column)
//!   and runs through the engine as `put policy …;` as the caller, so the
//!   authority rules apply; an empty `PUT` clears it; a `GET` answers the
//!   document byte for byte (an empty body when none was put; an empty
//!   policy for a role). `put policy FILE` as a security
//!   query is refused with a pointer to the `PUT` (the server cannot read
//!   the client's file); `get policy` there answers the document.
//! * RAM policies: tenant-level statements (`add tenant user`, `list
//!   tenant roles`, …) of RAM users and RAM roles are decided by the
//!   policies accounts.toml attaches to them ([`RamPolicies`]), on
//!   `acs:odps:<region>:<account-id>:tenantUsers/*` and the like; a denial
//!   is ODPS-0420095 naming the action and the ARN. Such statements act on
//!   the account, not the project, so an identity of the project owner's
//!   account needs no project membership to run them; every other
//!   statement does. The account itself is never subject to policies.
//! * Errors are `<Error>` with Code, Message, RequestId and HostId; every
//!   answer has `x-odps-request-id`; engine failures carry their stable
//!   code in `x-mcauth-code`.
//! * [`Faults`] inject delays, error statuses and dropped connections;
//!   [`Limits`] cut off idle and slow clients and cap connections.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mcauth_serve::ServeError> {
//! use mcauth_serve::{Accounts, ServeConfig, StoreLocation, start};
//! let config = ServeConfig::new("127.0.0.1:0".parse().unwrap(), StoreLocation::Memory, Accounts::dev_default());
//! let server = start(config).await?;
//! println!("http://{}/api", server.local_addr());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod access;
mod accounts;
mod api;
mod app;
mod asynchrony;
mod config;
mod descriptors;
mod error;
mod faults;
mod log;
mod ram;
mod server;
mod tables;
mod wire;

pub use accounts::{
    AccountInfo, Accounts, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_SECRET, DEFAULT_ACCOUNT,
    DEFAULT_PROJECT,
};
pub use error::{ServeCode, ServeError};
pub use faults::Faults;
pub use log::RequestLog;
pub use ram::{RamPolicies, derived_account_id};
pub use server::{BannerMode, Limits, ServeConfig, Server, StoreLocation, banner, run, start};
