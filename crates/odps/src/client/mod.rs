//! The REST client.

mod policy;

pub use policy::{PollPolicy, RetryPolicy, Timeouts};
