//! Every vector in `tests/data/signature-vectors.json` (produced by PyODPS's
//! own signing code) reproduced byte for byte: the StringToSign, the
//! `Authorization` header, the V4 derived key, and acceptance by the verifier.

use std::time::SystemTime;

use crate::secret::Secret;
use crate::sign::resource::{self, DecodedTarget};
use crate::sign::{
    CanonicalRequest, Credentials, Dialect, SigningMode, authorization, string_to_sign, v2, v4,
};
use crate::verify::{VerifyError, VerifyOptions, VerifyRequest, verify};
use serde_json::Value;

const VECTORS: &str = include_str!("../../tests/data/signature-vectors.json");

fn doc() -> Value {
    serde_json::from_str(VECTORS).expect("vector file is JSON")
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} missing"))
}

fn fixed_now(doc: &Value) -> SystemTime {
    crate::time::parse_http_date(text(doc, "fixed_date_header")).expect("fixed date")
}

/// `http://host:port/api/x?y` → (`/api/x`, `Some("y")`).
fn split_url(url: &str) -> (String, Option<String>) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    match path_and_query.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (path_and_query.to_owned(), None),
    }
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v["headers_after_signing"]
        .as_object()
        .expect("headers_after_signing")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

fn mode(v: &Value) -> SigningMode {
    match text(v, "signature_version") {
        "v2" => SigningMode::V2,
        "v4" => {
            let prefix = text(&v["v4"], "signature_prefix");
            SigningMode::V4 {
                region: text(&v["v4"], "region").to_owned(),
                corporation: prefix.trim_end_matches("_v4").to_owned(),
            }
        }
        other => panic!("unknown version {other}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_pyodps_vector_signs_byte_for_byte() {
    let doc = doc();
    let now = fixed_now(&doc);
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 16);
    for v in vectors {
        let name = text(v, "name");
        let (path, query) = split_url(text(v, "url_as_sent"));
        let (prefix, _) = split_url(text(v, "endpoint"));
        let target: DecodedTarget = if name.contains("QUIRK") {
            resource::decode_pyodps(&path, query.as_deref(), &prefix)
        } else {
            resource::decode_standard(&path, query.as_deref(), &prefix)
        };
        let all = headers(v);
        let signed_headers: Vec<(&str, &str)> = all
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let query_pairs = target.query_pairs();
        let req = CanonicalRequest {
            method: text(v, "method"),
            headers: &signed_headers,
            path: &target.path,
            query: &query_pairs,
        };
        let canonical = string_to_sign(&req, Dialect::PYODPS);
        assert_eq!(canonical, text(v, "canonical_string"), "{name}: canonical");

        let creds = Credentials::new(text(v, "access_id"), text(v, "access_key_secret"));
        let auth = authorization(&creds, &mode(v), &canonical, now);
        assert_eq!(auth, text(v, "authorization"), "{name}: authorization");

        if let SigningMode::V4 {
            region,
            corporation,
        } = mode(v)
        {
            let key = v4::signing_key(
                &v4::prefix_for(&corporation),
                &creds.secret,
                text(&v["v4"], "scope_date"),
                &region,
            );
            assert_eq!(
                hex(&key),
                text(&v["v4"], "derived_signing_key_hex"),
                "{name}: key"
            );
        }
    }
}

#[test]
fn every_pyodps_vector_passes_the_verifier() {
    let doc = doc();
    let now = fixed_now(&doc);
    for v in doc["vectors"].as_array().expect("vectors") {
        let name = text(v, "name");
        let (path, query) = split_url(text(v, "url_as_sent"));
        let (prefix, _) = split_url(text(v, "endpoint"));
        let req = VerifyRequest {
            method: text(v, "method").to_owned(),
            path,
            query,
            headers: headers(v),
        };
        let id = text(v, "access_id").to_owned();
        let secret = text(v, "access_key_secret").to_owned();
        let lookup = move |asked: &str| (asked == id).then(|| Secret::new(secret.clone()));
        let opts = VerifyOptions {
            mount_prefix: prefix,
            now: Some(now),
            ..VerifyOptions::default()
        };
        let verified = verify(&req, &lookup, &opts);
        if name.contains("dup-keys") {
            // PyODPS signs a repeated key by keeping the last; a verifier
            // refuses it, since a handler may read the first.
            assert!(
                matches!(verified, Err(VerifyError::DuplicateParameter { .. })),
                "{name}: {verified:?}"
            );
            continue;
        }
        assert!(verified.is_ok(), "{name}: {verified:?}");
        if let Some(token) = v["sts_token"].as_str() {
            let got = verified.ok().and_then(|ok| ok.sts_token);
            assert_eq!(got.as_ref().map(Secret::expose), Some(token), "{name}");
        }
    }
}

#[test]
fn cross_sdk_vectors() {
    let doc = doc();
    let cross = doc["cross_sdk_vectors"].as_array().expect("cross vectors");
    assert_eq!(cross.len(), 2);
    for v in cross {
        let sig = v2::signature(
            text(v, "access_key_secret").as_bytes(),
            text(v, "canonical_string"),
        );
        match v["authorization"].as_str() {
            Some(auth) => {
                let expected = format!("ODPS {}:{sig}", text(v, "access_id"));
                assert_eq!(expected, auth);
            }
            None => assert_eq!(sig, text(v, "signature_base64")),
        }
    }
}
