//! Environment access, injectable for tests.

use std::collections::HashMap;

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// `ALIBABA_CLOUD_SECURITY_TOKEN`.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// `MCAUTH_ENDPOINT`.
pub const ENV_ENDPOINT: &str = "MCAUTH_ENDPOINT";
/// `MCAUTH_PROJECT`.
pub const ENV_PROJECT: &str = "MCAUTH_PROJECT";

/// Reads environment variables. An empty value counts as unset.
pub trait Env {
    /// The raw value of `name`, if set.
    fn raw(&self, name: &str) -> Option<String>;

    /// The value of `name` when set and not empty.
    fn var(&self, name: &str) -> Option<String> {
        self.raw(name).filter(|v| !v.is_empty())
    }
}

/// The process environment. Values that are not Unicode count as unset.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn raw(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Env for HashMap<String, String> {
    fn raw(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl Env for [(&str, &str)] {
    fn raw(&self, name: &str) -> Option<String> {
        self.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

impl<const N: usize> Env for [(&str, &str); N] {
    fn raw(&self, name: &str) -> Option<String> {
        self.as_slice().raw(name)
    }
}
