//! Server-side signature verification (docs/wire-protocol.md#verifying-a-signature), for the
//! emulator and for this crate's test server.
//!
//! A request is accepted when *any* of the SDK readings of it
//! (docs/wire-protocol.md#where-the-sdks-differ) signs
//! to the presented signature: standard or PyODPS-style decoding of the
//! target, times PyODPS/Java or Go treatment of `x-odps-*` query parameters.
//! Content-MD5 is signed verbatim, so hex (Java) and base64 values both
//! work, and it is never required; when it is present, a server checks it
//! against the body with [`check_content_md5`] (without it the body is not
//! covered by the signature at all, as on MaxCompute).
//!
//! What the readings must not be allowed to disagree on is refused
//! outright: a query parameter that appears twice (PyODPS keeps the last,
//! Go the first, a server's handler either), in any reading. A V4 scope
//! must name the server's region ([`VerifyOptions::region`]), the UTC date
//! of the request's `Date` and the documented terminator
//! ([`VerifyOptions::v4_prefix`]).

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use md5::{Digest as _, Md5};

use crate::secret::Secret;
use crate::sign::header::{self, AuthScope};
use crate::sign::resource::{self, DecodedTarget};
use crate::sign::{CanonicalRequest, Dialect, string_to_sign, v2, v4};

/// Clock skew accepted by default: 15 minutes (`max_interval_date:900000`).
pub const DEFAULT_MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// Finds the AccessKey secret for an AccessKey ID.
pub trait SecretLookup {
    /// The secret, or `None` for an unknown ID.
    fn secret_for(&self, access_id: &str) -> Option<Secret>;
}

impl<F> SecretLookup for F
where
    F: Fn(&str) -> Option<Secret>,
{
    fn secret_for(&self, access_id: &str) -> Option<Secret> {
        self(access_id)
    }
}

/// A request as received: method, raw (still percent-encoded) path and
/// query, and all headers.
#[derive(Clone, Debug, Default)]
pub struct VerifyRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path as on the wire, e.g. `/api/projects/p/users/RAM%24a`.
    pub path: String,
    /// The query string as on the wire, without `?`.
    pub query: Option<String>,
    /// Headers, any case; repeats allowed.
    pub headers: Vec<(String, String)>,
}

impl VerifyRequest {
    /// From the parts an `http`-based server (axum, hyper) hands over.
    /// Header values that are not UTF-8 are decoded lossily.
    pub fn from_http(method: &http::Method, uri: &http::Uri, headers: &http::HeaderMap) -> Self {
        Self {
            method: method.as_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
        }
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Verification settings.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The endpoint's own path that is not signed, e.g. `/api`.
    pub mount_prefix: String,
    /// Largest accepted difference between `Date` and `now`.
    pub max_clock_skew: Duration,
    /// The server's clock; `None` reads the system clock at each call, so
    /// one `VerifyOptions` can serve a whole server.
    pub now: Option<SystemTime>,
    /// Whether V4 signatures are accepted.
    pub accept_v4: bool,
    /// The region a V4 credential scope must name (the server's own);
    /// `None` accepts any region.
    pub region: Option<String>,
    /// The prefix a V4 scope's terminator must carry: `aliyun_v4` (the
    /// documented `aliyun_v4_request`).
    pub v4_prefix: String,
}

/// The documented V4 prefix: `aliyun_v4`, as in `aliyun_v4_request`.
pub const DEFAULT_V4_PREFIX: &str = "aliyun_v4";

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            mount_prefix: "/api".to_owned(),
            max_clock_skew: DEFAULT_MAX_CLOCK_SKEW,
            now: None,
            accept_v4: true,
            region: None,
            v4_prefix: DEFAULT_V4_PREFIX.to_owned(),
        }
    }
}

/// A verified request's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The AccessKey ID that signed the request.
    pub access_id: String,
    /// V2, or V4 with its scope.
    pub scope: AuthScope,
    /// The `authorization-sts-token` header, for the caller to check.
    pub sts_token: Option<Secret>,
}

/// Why a request was refused. [`VerifyError::http_status`],
/// [`VerifyError::service_code`] and [`VerifyError::service_message`] give
/// the `<Error>` answer MaxCompute would send.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `Authorization` header.
    #[error("missing Authorization header")]
    MissingAuthorization,
    /// `Authorization` is not `ODPS <id>:<sig>` or the V4 form.
    #[error("malformed Authorization header")]
    MalformedAuthorization,
    /// The request was V4-signed and V4 is switched off.
    #[error("V4 signatures are not accepted")]
    V4NotAccepted,
    /// No `Date` header, or one that is not an HTTP date.
    #[error("missing or invalid Date header")]
    InvalidDate,
    /// `Date` is too far from the server's clock.
    #[error("request time too skewed: {skew_secs} s off, at most {max_secs} s allowed")]
    ClockSkew {
        /// Seconds between `Date` and the server's clock.
        skew_secs: u64,
        /// The allowed maximum.
        max_secs: u64,
    },
    /// The AccessKey ID is not known.
    #[error("unknown AccessKey ID {access_id:?}")]
    UnknownAccessKey {
        /// The presented ID.
        access_id: String,
    },
    /// A query parameter appears more than once (in some reading of the
    /// target): the signer and the handler could read it differently.
    #[error("query parameter {name:?} appears more than once")]
    DuplicateParameter {
        /// The parameter, decoded.
        name: String,
    },
    /// A V4 credential scope that is not this server's: another region,
    /// a date that is not the request's, or another terminator.
    #[error("the V4 credential scope's {field} is {got:?}, not {expected:?}")]
    ScopeMismatch {
        /// `region`, `date` or `terminator`.
        field: &'static str,
        /// What the scope says.
        got: String,
        /// What this server requires.
        expected: String,
    },
    /// A `Content-MD5` that is neither 32 hex digits nor the base64 of 16
    /// bytes.
    #[error("malformed Content-MD5 header")]
    MalformedContentMd5,
    /// A `Content-MD5` that is not the digest of the body.
    #[error("Content-MD5 does not match the body")]
    ContentMd5Mismatch,
    /// No reading of the request signs to the presented signature.
    #[error("signature does not match for AccessKey ID {access_id:?}")]
    SignatureMismatch {
        /// The presented ID.
        access_id: String,
        /// The server's StringToSign (standard reading), for logs.
        string_to_sign: String,
    },
}

impl VerifyError {
    /// The HTTP status MaxCompute uses for this failure.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::MissingAuthorization
            | Self::MalformedAuthorization
            | Self::V4NotAccepted
            | Self::InvalidDate
            | Self::ClockSkew { .. }
            | Self::DuplicateParameter { .. }
            | Self::ScopeMismatch { .. }
            | Self::MalformedContentMd5
            | Self::ContentMd5Mismatch => 400,
            Self::UnknownAccessKey { .. } | Self::SignatureMismatch { .. } => 401,
        }
    }

    /// The `<Code>` of the `<Error>` answer. `V4NotAccepted` and
    /// `UnknownAccessKey` use `InvalidParameter` + `ODPS-0410051`, which makes
    /// PyODPS retry with V2 (docs/wire-protocol.md#signature-v4).
    pub fn service_code(&self) -> &'static str {
        match self {
            Self::MissingAuthorization => "AuthorizationRequired",
            Self::MalformedAuthorization
            | Self::InvalidDate
            | Self::DuplicateParameter { .. }
            | Self::ScopeMismatch { .. }
            | Self::MalformedContentMd5
            | Self::ContentMd5Mismatch => "InvalidParameter",
            Self::V4NotAccepted | Self::UnknownAccessKey { .. } => "InvalidParameter",
            // The service's own spelling.
            Self::ClockSkew { .. } => "RequestTimeTooSkewd",
            Self::SignatureMismatch { .. } => "SignatureNotMatch",
        }
    }

    /// The `<Message>` of the `<Error>` answer (never contains a secret).
    pub fn service_message(&self) -> String {
        match self {
            Self::MissingAuthorization => {
                "ODPS-0410001: Missing authentication parameters - Authorization header is missing"
                    .into()
            }
            Self::MalformedAuthorization => {
                "ODPS-0410011: Invalid authentication parameters - malformed Authorization header"
                    .into()
            }
            Self::V4NotAccepted => {
                "ODPS-0410051: Invalid credentials - V4 signature is not supported".into()
            }
            Self::InvalidDate => {
                "ODPS-0410011: Invalid authentication parameters - missing or invalid Date header"
                    .into()
            }
            Self::ClockSkew { max_secs, .. } => format!(
                "ODPS-0410031: Authentication request expired - max_interval_date:{}",
                max_secs.saturating_mul(1000)
            ),
            Self::UnknownAccessKey { .. } => {
                "ODPS-0410051: Invalid credentials - accessKeyId not found".into()
            }
            Self::SignatureMismatch { .. } => {
                "ODPS-0410042: Invalid signature value - User signature dose not match".into()
            }
            // Not 0410051: PyODPS would take that for "no V4 here" and
            // silently sign again with V2.
            Self::ScopeMismatch {
                field,
                got,
                expected,
            } => format!(
                "ODPS-0410011: Invalid authentication parameters - the credential scope's {field} {} is not {}",
                printable(got),
                printable(expected)
            ),
            Self::DuplicateParameter { name } => format!(
                "ODPS-0420061: Invalid parameter in HTTP request - the query parameter {} appears more than once",
                printable(name)
            ),
            Self::MalformedContentMd5 => {
                "ODPS-0410011: Invalid authentication parameters - Content-MD5 is neither 32 hex digits nor the base64 of 16 bytes".into()
            }
            Self::ContentMd5Mismatch => {
                "ODPS-0410011: Invalid authentication parameters - Content-MD5 does not match the request body".into()
            }
        }
    }
}

/// `text` quoted, with control characters and quotes escaped and at most
/// 64 characters shown: request parts echoed in a message.
fn printable(text: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in text.chars().enumerate() {
        if i == 64 {
            out.push('…');
            break;
        }
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Checks a `Content-MD5` header against the body it came with: 32 hex
/// digits (the Java SDK's form) or the base64 of the 16-byte digest
/// (RFC 1864). A request without the header has an unsigned body, as on
/// MaxCompute; one with it must carry the body it signed.
pub fn check_content_md5(value: &str, body: &[u8]) -> Result<(), VerifyError> {
    let value = value.trim();
    let presented: [u8; 16] = if value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            let hex = value
                .get(2 * i..2 * i + 2)
                .ok_or(VerifyError::MalformedContentMd5)?;
            *byte = u8::from_str_radix(hex, 16).map_err(|_| VerifyError::MalformedContentMd5)?;
        }
        out
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()
            .and_then(|d| <[u8; 16]>::try_from(d.as_slice()).ok())
            .ok_or(VerifyError::MalformedContentMd5)?
    };
    let actual: [u8; 16] = Md5::digest(body).into();
    if constant_time_eq(&actual, &presented) {
        Ok(())
    } else {
        Err(VerifyError::ContentMd5Mismatch)
    }
}

/// Verifies a request's signature and `Date`.
pub fn verify(
    req: &VerifyRequest,
    secrets: &dyn SecretLookup,
    opts: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let auth = req
        .header("authorization")
        .ok_or(VerifyError::MissingAuthorization)?;
    let parsed = header::parse(auth).ok_or(VerifyError::MalformedAuthorization)?;
    if matches!(parsed.scope, AuthScope::V4 { .. }) && !opts.accept_v4 {
        return Err(VerifyError::V4NotAccepted);
    }
    let date = req
        .header("date")
        .and_then(crate::time::parse_http_date)
        .ok_or(VerifyError::InvalidDate)?;
    refuse_repeated_parameters(req, &opts.mount_prefix)?;
    if let AuthScope::V4 {
        date: scope_date,
        region,
        prefix,
    } = &parsed.scope
    {
        check_scope(scope_date, region, prefix, date, opts)?;
    }
    let secret =
        secrets
            .secret_for(&parsed.access_id)
            .ok_or_else(|| VerifyError::UnknownAccessKey {
                access_id: parsed.access_id.clone(),
            })?;
    let key: Vec<u8> = match &parsed.scope {
        AuthScope::V2 => secret.expose().as_bytes().to_vec(),
        AuthScope::V4 {
            date,
            region,
            prefix,
        } => v4::signing_key(prefix, &secret, date, region).to_vec(),
    };

    let presented = parsed.signature.as_bytes();
    let matched = each_reading(req, &opts.mount_prefix, |s| {
        constant_time_eq(v2::signature(&key, s).as_bytes(), presented)
    });
    if !matched {
        return Err(VerifyError::SignatureMismatch {
            access_id: parsed.access_id,
            string_to_sign: candidate_strings(req, &opts.mount_prefix)
                .into_iter()
                .next()
                .unwrap_or_default(),
        });
    }

    let now = opts.now.unwrap_or_else(SystemTime::now);
    let skew = crate::time::abs_diff(date, now);
    if skew > opts.max_clock_skew {
        return Err(VerifyError::ClockSkew {
            skew_secs: skew.as_secs(),
            max_secs: opts.max_clock_skew.as_secs(),
        });
    }
    Ok(Verified {
        access_id: parsed.access_id,
        scope: parsed.scope,
        sts_token: req.header("authorization-sts-token").map(Secret::from),
    })
}

/// A query parameter that appears twice in the standard or the PyODPS
/// reading of the target is refused: SDKs and handlers disagree on which
/// one counts.
fn refuse_repeated_parameters(req: &VerifyRequest, mount_prefix: &str) -> Result<(), VerifyError> {
    let query = req.query.as_deref();
    if query.is_none_or(|q| !q.contains('&') && !q.contains('%')) {
        return Ok(());
    }
    let decoders: [Decoder; 2] = [resource::decode_standard, resource::decode_pyodps];
    for decode in decoders {
        let target = decode(&req.path, query, mount_prefix);
        let mut seen: HashSet<&str> = HashSet::with_capacity(target.query.len());
        for (k, _) in &target.query {
            if !seen.insert(k.as_str()) {
                return Err(VerifyError::DuplicateParameter { name: k.clone() });
            }
        }
    }
    Ok(())
}

/// A V4 scope must be this server's: its region (when one is set), the
/// request's UTC date, the documented terminator.
fn check_scope(
    scope_date: &str,
    region: &str,
    prefix: &str,
    date: SystemTime,
    opts: &VerifyOptions,
) -> Result<(), VerifyError> {
    let mismatch = |field, got: &str, expected: &str| VerifyError::ScopeMismatch {
        field,
        got: got.to_owned(),
        expected: expected.to_owned(),
    };
    if prefix != opts.v4_prefix {
        return Err(mismatch(
            "terminator",
            &format!("{prefix}_request"),
            &format!("{}_request", opts.v4_prefix),
        ));
    }
    if let Some(expected) = &opts.region
        && region != expected
    {
        return Err(mismatch("region", region, expected));
    }
    let request_date = crate::time::scope_date(date);
    if scope_date != request_date {
        return Err(mismatch("date", scope_date, &request_date));
    }
    Ok(())
}

/// The distinct StringToSign readings of `req`, the standard one first.
pub fn candidate_strings(req: &VerifyRequest, mount_prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(4);
    each_reading(req, mount_prefix, |s| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
        false
    });
    out
}

/// Reads a raw path and query (below a mount prefix) as one SDK does.
type Decoder = fn(&str, Option<&str>, &str) -> DecodedTarget;

/// Offers each StringToSign reading of `req` to `accept`, the standard one
/// first, until it returns true; whether one did. Readings are built only
/// as far as needed: a request from an SDK that signs the standard way
/// costs one.
fn each_reading(
    req: &VerifyRequest,
    mount_prefix: &str,
    mut accept: impl FnMut(&str) -> bool,
) -> bool {
    let query = req.query.as_deref();
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let decoders: [Decoder; 2] = [resource::decode_standard, resource::decode_pyodps];
    for decode in decoders {
        let target = decode(&req.path, query, mount_prefix);
        let query = target.query_pairs();
        let canonical = CanonicalRequest {
            method: &req.method,
            headers: &headers,
            path: &target.path,
            query: &query,
        };
        for dialect in [Dialect::PYODPS, Dialect::GO] {
            if accept(&string_to_sign(&canonical, dialect)) {
                return true;
            }
        }
    }
    false
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::{Credentials, SigningMode, authorization};
    use std::time::UNIX_EPOCH;

    const NOW: u64 = 1_785_909_600; // Wed, 05 Aug 2026 06:00:00 GMT

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW)
    }

    fn lookup(id: &str) -> Option<Secret> {
        (id == "id").then(|| Secret::new("S3cr3t-xyz"))
    }

    fn signed(mode: &SigningMode, path: &str, query: Option<&str>) -> VerifyRequest {
        let mut req = VerifyRequest {
            method: "GET".into(),
            path: path.into(),
            query: query.map(str::to_owned),
            headers: vec![
                ("Date".into(), crate::time::http_date(now())),
                ("x-odps-user-agent".into(), "t".into()),
            ],
        };
        let s = candidate_strings(&req, "/api").remove(0);
        let auth = authorization(&Credentials::new("id", "S3cr3t-xyz"), mode, &s, now());
        req.headers.push(("Authorization".into(), auth));
        req
    }

    fn opts() -> VerifyOptions {
        VerifyOptions {
            now: Some(now()),
            ..VerifyOptions::default()
        }
    }

    #[test]
    fn accepts_v2_and_v4() {
        for mode in [SigningMode::V2, SigningMode::v4("cn-local")] {
            let req = signed(&mode, "/api/projects/p/users", Some("curr_project=p"));
            let v = verify(&req, &lookup, &opts());
            assert!(v.is_ok(), "{mode:?}: {v:?}");
        }
    }

    #[test]
    fn refuses_tampering_unknown_keys_and_skew() {
        let mut req = signed(&SigningMode::V2, "/api/projects/p/users", None);
        req.path = "/api/projects/q/users".into();
        assert!(matches!(
            verify(&req, &lookup, &opts()),
            Err(VerifyError::SignatureMismatch { .. })
        ));

        let req = signed(&SigningMode::V2, "/api/projects/p/users", None);
        let none = |_: &str| None;
        let e = verify(&req, &none, &opts());
        assert!(matches!(e, Err(VerifyError::UnknownAccessKey { .. })));

        let late = VerifyOptions {
            now: Some(now() + Duration::from_secs(15 * 60 + 1)),
            ..opts()
        };
        let e = verify(&req, &lookup, &late);
        assert!(matches!(
            e,
            Err(VerifyError::ClockSkew { skew_secs: 901, .. })
        ));
        let just_in_time = VerifyOptions {
            now: Some(now() - Duration::from_secs(15 * 60)),
            ..opts()
        };
        assert!(verify(&req, &lookup, &just_in_time).is_ok());
    }

    #[test]
    fn every_reading_is_accepted_not_only_the_first() {
        // An `x-odps-` parameter makes the PyODPS and Go readings differ,
        // and an encoded `%26` in a value makes the standard and PyODPS
        // decodings differ: four distinct strings.
        let mut req = signed(
            &SigningMode::V2,
            "/api/projects/p/users",
            Some("k=a%26b&x-odps-foo=bar"),
        );
        req.headers.retain(|(k, _)| k != "Authorization");
        let readings = candidate_strings(&req, "/api");
        assert_eq!(readings.len(), 4, "{readings:#?}");
        for s in readings {
            let mut r = req.clone();
            let auth = authorization(
                &Credentials::new("id", "S3cr3t-xyz"),
                &SigningMode::V2,
                &s,
                now(),
            );
            r.headers.push(("Authorization".into(), auth));
            assert!(verify(&r, &lookup, &opts()).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn v4_can_be_switched_off() {
        let req = signed(&SigningMode::v4("cn-local"), "/api/projects/p", None);
        let no_v4 = VerifyOptions {
            accept_v4: false,
            ..opts()
        };
        let e = verify(&req, &lookup, &no_v4);
        assert_eq!(e, Err(VerifyError::V4NotAccepted));
        if let Err(e) = e {
            assert_eq!(e.service_code(), "InvalidParameter");
            assert!(e.service_message().contains("ODPS-0410051"));
        }
    }

    #[test]
    fn missing_and_malformed_headers() {
        let mut req = signed(&SigningMode::V2, "/api/projects/p", None);
        req.headers.retain(|(k, _)| k != "Authorization");
        assert_eq!(
            verify(&req, &lookup, &opts()),
            Err(VerifyError::MissingAuthorization)
        );
        req.headers.push(("authorization".into(), "Basic x".into()));
        assert_eq!(
            verify(&req, &lookup, &opts()),
            Err(VerifyError::MalformedAuthorization)
        );
    }

    #[test]
    fn errors_never_carry_the_secret() {
        let mut req = signed(&SigningMode::V2, "/api/projects/p", None);
        req.path = "/api/projects/other".into();
        let e = verify(&req, &lookup, &opts()).err();
        let shown = format!(
            "{e:?} {}",
            e.as_ref().map(|e| e.to_string()).unwrap_or_default()
        );
        assert!(!shown.contains("S3cr3t"), "{shown}");
        assert!(!shown.contains(":secret"), "{shown}");
    }

    #[test]
    fn a_repeated_query_parameter_is_refused_in_any_reading() {
        for query in ["k=1&k=2", "roles&roles=", "a=x%26k%3D1&k=2"] {
            let req = signed(&SigningMode::V2, "/api/projects/p/users", Some(query));
            let e = verify(&req, &lookup, &opts());
            assert!(
                matches!(e, Err(VerifyError::DuplicateParameter { ref name }) if name == "k" || name == "roles"),
                "{query}: {e:?}"
            );
            if let Err(e) = e {
                assert_eq!(
                    (e.http_status(), e.service_code()),
                    (400, "InvalidParameter")
                );
            }
        }
        let req = signed(&SigningMode::V2, "/api/projects/p/users", Some("a=1&b=2&c"));
        assert!(verify(&req, &lookup, &opts()).is_ok());
    }

    #[test]
    fn a_v4_scope_must_be_the_servers() {
        let server = VerifyOptions {
            region: Some("cn-hangzhou".into()),
            ..opts()
        };
        let ok = signed(&SigningMode::v4("cn-hangzhou"), "/api/projects/p", None);
        assert!(verify(&ok, &lookup, &server).is_ok());

        let other_region = signed(&SigningMode::v4("cn-local"), "/api/projects/p", None);
        let e = verify(&other_region, &lookup, &server);
        assert!(
            matches!(
                e,
                Err(VerifyError::ScopeMismatch {
                    field: "region",
                    ..
                })
            ),
            "{e:?}"
        );
        if let Err(e) = e {
            // Not ODPS-0410051, which would make PyODPS retry with V2.
            assert!(
                e.service_message().starts_with("ODPS-0410011"),
                "{}",
                e.service_message()
            );
            assert!(
                e.service_message().contains("'cn-local'"),
                "{}",
                e.service_message()
            );
        }

        let apsara = SigningMode::V4 {
            region: "cn-hangzhou".into(),
            corporation: "apsara".into(),
        };
        let e = verify(&signed(&apsara, "/api/projects/p", None), &lookup, &server);
        assert!(
            matches!(
                e,
                Err(VerifyError::ScopeMismatch {
                    field: "terminator",
                    ..
                })
            ),
            "{e:?}"
        );

        // A scope dated the day before the request's Date.
        let mut stale = signed(&SigningMode::v4("cn-hangzhou"), "/api/projects/p", None);
        stale.headers.retain(|(k, _)| k != "Authorization");
        let s = candidate_strings(&stale, "/api").remove(0);
        let yesterday = now() - Duration::from_secs(86_400);
        let auth = authorization(
            &Credentials::new("id", "S3cr3t-xyz"),
            &SigningMode::v4("cn-hangzhou"),
            &s,
            yesterday,
        );
        stale.headers.push(("Authorization".into(), auth));
        let e = verify(&stale, &lookup, &server);
        assert!(
            matches!(e, Err(VerifyError::ScopeMismatch { field: "date", .. })),
            "{e:?}"
        );
    }

    #[test]
    fn content_md5_must_be_the_bodys_digest() {
        let body = b"<Authorization><Query>whoami</Query></Authorization>";
        // RFC 1864 base64 and the Java SDK's hex of the same digest.
        let digest: [u8; 16] = Md5::digest(body).into();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
        assert_eq!(check_content_md5(&hex, body), Ok(()));
        assert_eq!(check_content_md5(&hex.to_ascii_uppercase(), body), Ok(()));
        assert_eq!(check_content_md5(&b64, body), Ok(()));
        assert_eq!(
            check_content_md5(
                &b64,
                b"<Authorization><Query>add user RAM$x</Query></Authorization>"
            ),
            Err(VerifyError::ContentMd5Mismatch)
        );
        for bad in [
            "",
            "xyz",
            "746a0402967096663daa8bd1a2ff5c7",
            "AAAA",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ] {
            assert_eq!(
                check_content_md5(bad, body),
                Err(VerifyError::MalformedContentMd5),
                "{bad:?}"
            );
        }
        let e = VerifyError::ContentMd5Mismatch;
        assert_eq!(
            (e.http_status(), e.service_code()),
            (400, "InvalidParameter")
        );
    }

    #[test]
    fn echoed_request_parts_carry_no_control_characters() {
        let e = VerifyError::DuplicateParameter {
            name: "a\u{1}b'".into(),
        };
        let m = e.service_message();
        assert!(!m.chars().any(char::is_control), "{m:?}");
        assert!(m.contains("'a\\u{0001}b\\''"), "{m}");
    }
}
