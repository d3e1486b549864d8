//! Request logging for `-vv`: events the client reports to an optional hook,
//! rendered with `Authorization` and tokens redacted.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Headers whose values are never shown.
const REDACTED: &[&str] = &[
    "authorization-sts-token",
    "x-odps-bearer-token",
    "odps-x-supervision-token",
    "application-authentication",
];

/// A callback receiving every HTTP event; see [`crate::Client::with_log_hook`].
pub type LogHook = Arc<dyn Fn(&HttpEvent<'_>) + Send + Sync>;

/// Something that happened on the wire.
#[derive(Clone, Copy, Debug)]
pub enum HttpEvent<'a> {
    /// A request is about to be sent.
    Request {
        /// `GET`, `POST`.
        method: &'a str,
        /// Full URL.
        url: &'a str,
        /// The headers as sent (Display redacts).
        headers: &'a [(String, String)],
        /// The body, if any (security statements; no secrets).
        body: Option<&'a str>,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// An answer arrived.
    Response {
        /// `GET`, `POST`.
        method: &'a str,
        /// Full URL.
        url: &'a str,
        /// HTTP status.
        status: u16,
        /// `x-odps-request-id`.
        request_id: Option<&'a str>,
        /// Time from sending to the end of the body.
        elapsed: Duration,
    },
    /// An attempt failed without an answer.
    Failed {
        /// `GET`, `POST`.
        method: &'a str,
        /// Full URL.
        url: &'a str,
        /// The error.
        error: &'a str,
        /// The wait before the next attempt, if there is one.
        retry_in: Option<Duration>,
    },
}

impl fmt::Display for HttpEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Request {
                method,
                url,
                headers,
                body,
                attempt,
            } => {
                write!(f, "{}", render_request(method, url, headers, *body))?;
                if *attempt > 1 {
                    write!(f, "\n(attempt {attempt})")?;
                }
                Ok(())
            }
            Self::Response {
                method,
                url,
                status,
                request_id,
                elapsed,
            } => {
                write!(
                    f,
                    "<- {status} {method} {url} in {} ms",
                    elapsed.as_millis()
                )?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId {id})")?;
                }
                Ok(())
            }
            Self::Failed {
                method,
                url,
                error,
                retry_in,
            } => {
                write!(f, "<- failed {method} {url}: {error}")?;
                if let Some(d) = retry_in {
                    write!(f, "; retrying in {} ms", d.as_millis())?;
                }
                Ok(())
            }
        }
    }
}

/// Renders a request for logs: request line, headers (with `Authorization`'s
/// signature and all tokens replaced by `***`), then the body.
pub fn render_request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> String {
    let mut out = format!("-> {method} {url}");
    for (name, value) in headers {
        out.push_str("\n   ");
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&redact_header(name, value));
    }
    if let Some(body) = body {
        out.push_str("\n\n");
        out.push_str(body);
    }
    out
}

/// The value of a header as it may be logged.
pub fn redact_header(name: &str, value: &str) -> String {
    if name.eq_ignore_ascii_case("authorization") {
        // Keep `ODPS <id>[/scope]` (not secret, useful), hide the signature.
        return match value.rsplit_once(':') {
            Some((credential, _)) => format!("{credential}:***"),
            None => "***".to_owned(),
        };
    }
    if REDACTED.iter().any(|r| name.eq_ignore_ascii_case(r)) {
        return "***".to_owned();
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_signature_and_tokens() {
        let headers = vec![
            (
                "Date".to_owned(),
                "Wed, 05 Aug 2026 06:00:00 GMT".to_owned(),
            ),
            (
                "Authorization".to_owned(),
                "ODPS id/20260805/cn/odps/aliyun_v4_request:SIGNATUREVALUE=".to_owned(),
            ),
            (
                "authorization-sts-token".to_owned(),
                "TOKENVALUE".to_owned(),
            ),
        ];
        let s = render_request(
            "POST",
            "http://h/api/projects/p/authorization",
            &headers,
            Some("<x/>"),
        );
        assert!(
            !s.contains("SIGNATUREVALUE") && !s.contains("TOKENVALUE"),
            "{s}"
        );
        assert!(s.contains("Authorization: ODPS id/20260805/cn/odps/aliyun_v4_request:***"));
        assert!(s.contains("authorization-sts-token: ***"));
        assert!(s.contains("Date: Wed, 05 Aug 2026"));
        assert!(s.ends_with("<x/>"));
        let e = HttpEvent::Request {
            method: "GET",
            url: "u",
            headers: &headers,
            body: None,
            attempt: 2,
        };
        let shown = e.to_string();
        assert!(!shown.contains("TOKENVALUE") && shown.contains("attempt 2"));
    }
}
