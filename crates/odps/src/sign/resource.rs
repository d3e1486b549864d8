//! Turning a request target as it appears on the wire (`/api/projects/p%24x?roles=&a=b`)
//! into the decoded path and query that are signed (docs/wire-protocol.md#signature-v2,
//! the canonical resource).

use percent_encoding::percent_decode_str;

/// A decoded request target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedTarget {
    /// Percent-decoded path with the mount prefix removed.
    pub path: String,
    /// Decoded `(key, value)` pairs in wire order.
    pub query: Vec<(String, String)>,
}

impl DecodedTarget {
    /// The query as borrowed pairs, the shape [`super::CanonicalRequest`] takes.
    pub fn query_pairs(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// Removes `prefix` (e.g. `/api`, the endpoint's own path) from the start of
/// `raw_path` when it is there as whole segments.
pub fn strip_prefix<'a>(raw_path: &'a str, prefix: &str) -> &'a str {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return raw_path;
    }
    match raw_path.strip_prefix(prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => raw_path,
    }
}

/// The standard reading, used by Go and Java and by servers: the path is
/// percent-decoded (`+` stays `+`), each query key and value is
/// form-decoded (`+` is a space) separately.
pub fn decode_standard(
    raw_path: &str,
    raw_query: Option<&str>,
    mount_prefix: &str,
) -> DecodedTarget {
    DecodedTarget {
        path: percent_decode(strip_prefix(raw_path, mount_prefix)),
        query: raw_query.map(parse_query).unwrap_or_default(),
    }
}

/// PyODPS's reading: the whole URL is percent-decoded first and only then
/// split into path and query, so `%26`/`%3D` inside a value split it into
/// extra parameters and values are decoded twice (vector
/// `restclient-v2-query-value-space-and-encoded-ampersand-QUIRK`).
pub fn decode_pyodps(raw_path: &str, raw_query: Option<&str>, mount_prefix: &str) -> DecodedTarget {
    let mut whole = strip_prefix(raw_path, mount_prefix).to_owned();
    if let Some(q) = raw_query {
        whole.push('?');
        whole.push_str(q);
    }
    let decoded = percent_decode(&whole);
    match decoded.split_once('?') {
        Some((path, query)) => DecodedTarget {
            path: path.to_owned(),
            query: parse_query(query),
        },
        None => DecodedTarget {
            path: decoded,
            query: Vec::new(),
        },
    }
}

/// `a=1&b&c=` → `[(a,1),(b,""),(c,"")]`, form-decoding keys and values.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(piece), String::new()),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_whole_segment_prefixes() {
        assert_eq!(strip_prefix("/api/projects/p", "/api"), "/projects/p");
        assert_eq!(strip_prefix("/api/projects/p", "/api/"), "/projects/p");
        assert_eq!(strip_prefix("/apix/projects", "/api"), "/apix/projects");
        assert_eq!(strip_prefix("/projects/p", ""), "/projects/p");
        assert_eq!(strip_prefix("/api", "/api"), "");
    }

    #[test]
    fn standard_decoding() {
        let t = decode_standard(
            "/api/projects/p/users/RAM%24a%40b.com%3Ac+d",
            Some("type=displayname&roles=&name=a+b%26c%3Dd&bare"),
            "/api",
        );
        assert_eq!(t.path, "/projects/p/users/RAM$a@b.com:c+d");
        assert_eq!(
            t.query,
            vec![
                ("type".into(), "displayname".into()),
                ("roles".into(), String::new()),
                ("name".into(), "a b&c=d".into()),
                ("bare".into(), String::new()),
            ]
        );
    }

    #[test]
    fn pyodps_decoding_splits_encoded_ampersands() {
        let t = decode_pyodps(
            "/api/projects/p/instances",
            Some("name=a+b%26c%3Dd&curr_project=p"),
            "/api",
        );
        assert_eq!(t.path, "/projects/p/instances");
        assert_eq!(
            t.query,
            vec![
                ("name".into(), "a b".into()),
                ("c".into(), "d".into()),
                ("curr_project".into(), "p".into()),
            ]
        );
    }
}
