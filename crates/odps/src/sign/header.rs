//! The `Authorization` header: `ODPS <id>:<sig>` (V2) or
//! `ODPS <id>/<yyyymmdd>/<region>/odps/<prefix>_request:<sig>` (V4).

use super::v4::SERVICE;

const SCHEME: &str = "ODPS ";
const TERMINATOR_SUFFIX: &str = "_request";

/// The credential scope of a parsed header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthScope {
    /// Signed with the AccessKey secret.
    V2,
    /// Signed with a key derived for this scope.
    V4 {
        /// `yyyymmdd`.
        date: String,
        /// e.g. `cn-hangzhou`.
        region: String,
        /// e.g. `aliyun_v4` (the terminator is `<prefix>_request`).
        prefix: String,
    },
}

/// A parsed `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAuthorization {
    /// The AccessKey ID.
    pub access_id: String,
    /// V2, or V4 with its scope.
    pub scope: AuthScope,
    /// The base64 signature.
    pub signature: String,
}

/// `ODPS <id>:<sig>`.
pub fn format_v2(access_id: &str, signature: &str) -> String {
    format!("{SCHEME}{access_id}:{signature}")
}

/// `ODPS <id>/<date>/<region>/odps/<prefix>_request:<sig>`.
pub fn format_v4(
    access_id: &str,
    date: &str,
    region: &str,
    prefix: &str,
    signature: &str,
) -> String {
    format!("{SCHEME}{access_id}/{date}/{region}/{SERVICE}/{prefix}{TERMINATOR_SUFFIX}:{signature}")
}

/// Parses a header value; `None` when it is not in either form. The
/// signature is whatever follows the last `:`.
pub fn parse(value: &str) -> Option<ParsedAuthorization> {
    let rest = value.trim().strip_prefix(SCHEME)?.trim_start();
    let (credential, signature) = rest.rsplit_once(':')?;
    if credential.is_empty() || signature.is_empty() {
        return None;
    }
    let signature = signature.to_owned();
    if !credential.contains('/') {
        return Some(ParsedAuthorization {
            access_id: credential.to_owned(),
            scope: AuthScope::V2,
            signature,
        });
    }
    let parts: Vec<&str> = credential.split('/').collect();
    let [id, date, region, service, terminator] = parts.as_slice() else {
        return None;
    };
    let prefix = terminator.strip_suffix(TERMINATOR_SUFFIX)?;
    let date_ok = date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit());
    if id.is_empty() || !date_ok || region.is_empty() || *service != SERVICE || prefix.is_empty() {
        return None;
    }
    Some(ParsedAuthorization {
        access_id: (*id).to_owned(),
        scope: AuthScope::V4 {
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            prefix: prefix.to_owned(),
        },
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_v2_and_v4() {
        let v2 = format_v2("id", "c2ln=");
        assert_eq!(v2, "ODPS id:c2ln=");
        let p = parse(&v2);
        assert_eq!(
            p,
            Some(ParsedAuthorization {
                access_id: "id".into(),
                scope: AuthScope::V2,
                signature: "c2ln=".into()
            })
        );
        let v4 = format_v4("id", "20260805", "cn-local", "apsara_v4", "sig");
        assert_eq!(v4, "ODPS id/20260805/cn-local/odps/apsara_v4_request:sig");
        let p = parse(&v4);
        assert_eq!(
            p.map(|p| p.scope),
            Some(AuthScope::V4 {
                date: "20260805".into(),
                region: "cn-local".into(),
                prefix: "apsara_v4".into()
            })
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        for bad in [
            "",
            "Basic abc",
            "ODPS ",
            "ODPS id",
            "ODPS id:",
            "ODPS :sig",
            "ODPS id/2026/cn/odps/aliyun_v4_request:sig",
            "ODPS id/20260805/cn/oss/aliyun_v4_request:sig",
            "ODPS id/20260805/cn/odps/aliyun_v4:sig",
            "ODPS id/20260805/odps/aliyun_v4_request:sig",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
