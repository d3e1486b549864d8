//! The embedded store: every project's authorization state in one SQLite
//! file, written so that nothing acknowledged is lost, even to `kill -9`.
//!
//! A project is its log of committed statements, each with the engine
//! [`Change`](mcauth_engine::Change)s it made, plus an occasional snapshot
//! of the whole state so that loading does not replay the full history. Writes happen in
//! `BEGIN IMMEDIATE` transactions that first catch up with whatever other
//! processes committed, so several mcauth processes (and the emulator)
//! can share one file.
//!
//! ```no_run
//! # fn main() -> Result<(), mcauth_store::StoreError> {
//! use mcauth_engine::{Change, PrincipalId, Provider};
//! let mut store = mcauth_store::Store::open(std::path::Path::new("/tmp/mcauth.db"))?;
//! let mut project = store.project("dev", &PrincipalId::aliyun("me@example.com"))?;
//! let mut batch = store.begin(&mut project)?;
//! batch.record("add accountprovider ram;", &[Change::AddProvider { provider: Provider::Ram }])?;
//! batch.commit()?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod commit;
mod error;
mod paths;
mod schema;
mod store;

pub use error::{StoreCode, StoreError};
pub use paths::default_path;
pub use store::{Batch, Project, Store};
