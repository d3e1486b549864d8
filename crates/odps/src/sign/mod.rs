//! Request signing, docs/wire-protocol.md#signing.
//!
//! The string to sign ([`canonical`]) is the same for V2 and V4; they differ
//! in the HMAC-SHA1 key ([`v2`] uses the AccessKey secret, [`v4`] a key
//! derived from it for one date and region) and in the `Authorization`
//! header's credential part ([`header`]).

pub mod canonical;
pub mod header;
pub mod resource;
pub mod v2;
pub mod v4;

use std::time::SystemTime;

use crate::secret::Secret;

pub use canonical::{CanonicalRequest, Dialect, string_to_sign};
pub use header::AuthScope;

/// The default V4 corporation: keys are derived from `aliyun_v4` + secret.
pub const DEFAULT_CORPORATION: &str = "aliyun";

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The AccessKey ID (not secret; it appears in every `Authorization`).
    pub access_id: String,
    /// The AccessKey secret.
    pub secret: Secret,
    /// The STS security token, sent unsigned in `authorization-sts-token`.
    pub sts_token: Option<Secret>,
}

impl Credentials {
    /// A plain AccessKey pair.
    pub fn new(access_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            access_id: access_id.into(),
            secret: secret.into(),
            sts_token: None,
        }
    }

    /// Adds an STS token.
    pub fn with_sts_token(mut self, token: impl Into<Secret>) -> Self {
        self.sts_token = Some(token.into());
        self
    }
}

/// Which signature to produce.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum SigningMode {
    /// `ODPS <id>:<sig>`, keyed with the secret.
    #[default]
    V2,
    /// `ODPS <id>/<yyyymmdd>/<region>/odps/<corp>_v4_request:<sig>`.
    V4 {
        /// Region of the credential scope, e.g. `cn-hangzhou`.
        region: String,
        /// The corporation prefix, `aliyun` unless configured otherwise.
        corporation: String,
    },
}

impl SigningMode {
    /// V4 for `region` with the default corporation.
    pub fn v4(region: impl Into<String>) -> Self {
        Self::V4 {
            region: region.into(),
            corporation: DEFAULT_CORPORATION.to_owned(),
        }
    }
}

/// The `Authorization` header value for `string_to_sign`. `now` picks the V4
/// scope date (the client's UTC date, not the `Date` header's).
pub fn authorization(
    credentials: &Credentials,
    mode: &SigningMode,
    string_to_sign: &str,
    now: SystemTime,
) -> String {
    match mode {
        SigningMode::V2 => {
            let sig = v2::signature(credentials.secret.expose().as_bytes(), string_to_sign);
            header::format_v2(&credentials.access_id, &sig)
        }
        SigningMode::V4 {
            region,
            corporation,
        } => {
            let date = crate::time::scope_date(now);
            let prefix = v4::prefix_for(corporation);
            let key = v4::signing_key(&prefix, &credentials.secret, &date, region);
            let sig = v2::signature(&key, string_to_sign);
            header::format_v4(&credentials.access_id, &date, region, &prefix, &sig)
        }
    }
}

#[cfg(test)]
mod vectors;
