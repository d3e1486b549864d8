//! The request log: one JSON object per request, e.g.
//!
//! ```text
//! {"ts":"2026-08-05T06:00:00.123Z","method":"POST","path":"/api/projects/dev/authorization","status":200,"latency_ms":1.52,"request_id":"…","access_id":"dev-access-id"}
//! ```
//!
//! It carries the method, the path (without the query), the status (`null`
//! for a connection dropped by `--faults`), the latency, the request id and
//! the AccessKey ID; `error` (the `<Code>`) and `fault` when they apply.
//! Never a signature, a secret, an STS token or a request body.

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// Where request log lines go.
#[derive(Clone, Default)]
pub enum RequestLog {
    /// Standard error (the default).
    #[default]
    Stderr,
    /// Nowhere.
    Off,
    /// A function, e.g. to collect lines in tests.
    Custom(Arc<dyn Fn(&str) + Send + Sync>),
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Stderr => "Stderr",
            Self::Off => "Off",
            Self::Custom(_) => "Custom",
        })
    }
}

/// One request, as logged.
#[derive(Debug, Serialize)]
pub(crate) struct Entry<'a> {
    pub ts: String,
    pub method: &'a str,
    pub path: &'a str,
    pub status: Option<u16>,
    pub latency_ms: f64,
    pub request_id: &'a str,
    pub access_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

impl RequestLog {
    pub(crate) fn write(&self, entry: &Entry<'_>) {
        if matches!(self, Self::Off) {
            return;
        }
        let Ok(line) = serde_json::to_string(entry) else {
            return;
        };
        match self {
            Self::Stderr => {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{line}");
            }
            Self::Custom(f) => f(&line),
            Self::Off => {}
        }
    }
}

/// RFC 3339, UTC, with milliseconds: what log tools read without help.
pub(crate) fn timestamp(at: SystemTime) -> String {
    let d = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    mcauth_engine::rfc3339_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

/// The AccessKey ID of an `Authorization: ODPS <id>[/scope]:<sig>` header,
/// without the signature; `None` when the header has another shape.
pub(crate) fn access_id_of(authorization: &str) -> Option<&str> {
    let rest = authorization.strip_prefix("ODPS ")?;
    let (cred, _signature) = rest.rsplit_once(':')?;
    let id = cred.split('/').next()?.trim();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_ids_without_signatures() {
        assert_eq!(
            access_id_of("ODPS dev-access-id:abc+/="),
            Some("dev-access-id")
        );
        assert_eq!(
            access_id_of("ODPS id/20260805/cn-local/odps/aliyun_v4_request:sig"),
            Some("id")
        );
        assert_eq!(access_id_of("Basic abc"), None);
        assert_eq!(access_id_of("ODPS nosig"), None);
    }

    #[test]
    fn entries_are_one_json_line() {
        let lines = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        let log = RequestLog::Custom(Arc::new(move |l: &str| {
            if let Ok(mut v) = sink.lock() {
                v.push(l.to_owned());
            }
        }));
        log.write(&Entry {
            ts: timestamp(UNIX_EPOCH + Duration::from_millis(1500)),
            method: "GET",
            path: "/api/projects/dev/users",
            status: Some(200),
            latency_ms: millis(Duration::from_micros(1234)),
            request_id: "R",
            access_id: Some("id"),
            error: None,
            fault: None,
        });
        let got = lines.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(
            got,
            [
                r#"{"ts":"1970-01-01T00:00:01.500Z","method":"GET","path":"/api/projects/dev/users","status":200,"latency_ms":1.23,"request_id":"R","access_id":"id"}"#
            ]
        );
    }
}
