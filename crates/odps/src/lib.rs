//! MaxCompute (ODPS) REST client for mcauth (work in progress).

pub mod client;
pub mod config;
pub mod secret;
pub mod sign;
pub mod time;
pub mod verify;

pub use secret::Secret;
