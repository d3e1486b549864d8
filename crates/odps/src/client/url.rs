//! Request targets: decoded path segments and query parameters, encoded for
//! the wire. The decoded form is what gets signed; the encoded form encodes
//! every byte except RFC 3986 unreserved characters, so any server decoding
//! (percent or form) recovers exactly the signed values.

use std::sync::{Mutex, PoisonError};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::OdpsError;

/// Everything but `A-Z a-z 0-9 - . _ ~` is encoded.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The last request URL parsed. A session sends nearly every request to
/// the same URL (`…/authorization?curr_project=p`), and parsing it is a
/// fifth of the client's own work per statement; this parses it once.
#[derive(Debug, Default)]
pub(crate) struct LastUrl(Mutex<Option<(String, reqwest::Url)>>);

impl LastUrl {
    /// `url` parsed, from the cache when it is the last one asked for.
    pub fn parse(&self, url: &str) -> Result<reqwest::Url, String> {
        let mut last = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((text, parsed)) = last.as_ref()
            && text == url
        {
            return Ok(parsed.clone());
        }
        let parsed =
            reqwest::Url::parse(url).map_err(|e| format!("bad request URL {url:?}: {e}"))?;
        *last = Some((url.to_owned(), parsed.clone()));
        Ok(parsed)
    }
}

/// A request target below the endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Decoded path, e.g. `/projects/p/users/RAM$a@b.com:c`.
    pub path: String,
    /// Encoded path, e.g. `/projects/p/users/RAM%24a%40b.com%3Ac`.
    pub encoded_path: String,
    /// Decoded query parameters in the order sent.
    pub query: Vec<(String, String)>,
}

impl Target {
    /// Builds a target from path segments. Empty segments, `.`, `..` and
    /// control characters are refused (no MaxCompute name has them, and
    /// URL normalisation would change what is signed).
    pub fn new(segments: &[&str]) -> Result<Self, OdpsError> {
        let mut path = String::new();
        let mut encoded_path = String::new();
        for seg in segments {
            if seg.is_empty() || *seg == "." || *seg == ".." || seg.chars().any(char::is_control) {
                return Err(OdpsError::InvalidArgument {
                    message: format!("{seg:?} cannot be used as a name in a request path"),
                });
            }
            path.push('/');
            path.push_str(seg);
            encoded_path.push('/');
            encoded_path.extend(utf8_percent_encode(seg, STRICT));
        }
        Ok(Self {
            path,
            encoded_path,
            query: Vec::new(),
        })
    }

    /// Adds `key=value` (`value` empty for a flag such as `roles=`).
    pub fn param(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// `encoded_path?k=v&flag=` (query always written with `=`, as PyODPS does).
    pub fn encoded(&self) -> String {
        let mut out = self.encoded_path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.extend(utf8_percent_encode(k, STRICT));
            out.push('=');
            out.extend(utf8_percent_encode(v, STRICT));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sign::resource::decode_standard;

    #[test]
    fn last_url_parses_again_only_for_a_new_url() {
        let cache = LastUrl::default();
        let a = "http://127.0.0.1:1/api/projects/p/authorization?curr_project=p";
        let b = "http://127.0.0.1:1/api/projects/q/authorization?curr_project=q";
        for url in [a, a, b, a] {
            assert_eq!(cache.parse(url).map(String::from), Ok(url.to_owned()));
        }
        assert!(cache.parse("http://[::1/api").is_err());
        assert_eq!(cache.parse(a).map(String::from), Ok(a.to_owned()));
    }

    #[test]
    fn encodes_names_like_pyodps_and_round_trips() {
        let t = Target::new(&[
            "projects",
            "test_proj",
            "users",
            "RAM$alice@example.com:bob",
        ])
        .expect("valid")
        .param("roles", "")
        .param("type", "displayname")
        .param("x", "a b+c&d=e/é");
        let enc = t.encoded();
        assert_eq!(
            enc,
            "/projects/test_proj/users/RAM%24alice%40example.com%3Abob?roles=&type=displayname&x=a%20b%2Bc%26d%3De%2F%C3%A9"
        );
        let (p, q) = enc.split_once('?').expect("has query");
        let back = decode_standard(p, Some(q), "");
        assert_eq!(back.path, t.path);
        assert_eq!(back.query, t.query);
    }

    #[test]
    fn refuses_dot_segments_and_control_characters() {
        for bad in ["", ".", "..", "a\nb"] {
            assert!(Target::new(&["projects", bad]).is_err(), "{bad:?}");
        }
    }
}
