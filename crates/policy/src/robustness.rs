//! Bad input of every kind gets findings with positions, never a panic.

use proptest::prelude::*;

use crate::lint::tests::{SEED_ENCRYPTION, SEED_PROJECTS};
use crate::{Code, Dialect, ParseOptions, PolicySet, Request, lint_source, parse_policy};

fn lint_bytes(bytes: &[u8]) -> Vec<crate::Finding> {
    lint_source(bytes, &ParseOptions::default()).1
}

fn only_code(bytes: &[u8]) -> (&'static str, usize) {
    let f = lint_bytes(bytes);
    assert_eq!(f.len(), 1, "{f:?}");
    (f[0].code.as_str(), f[0].span.start)
}

#[test]
fn truncated_policy() {
    let cut = &SEED_ENCRYPTION.as_bytes()[..SEED_ENCRYPTION.len() / 2];
    assert_eq!(
        only_code(cut),
        ("mcauth::policy::json::unexpected_eof", cut.len())
    );
    for n in 0..SEED_PROJECTS.len() {
        let f = lint_bytes(&SEED_PROJECTS.as_bytes()[..n]);
        assert!(f.iter().any(|f| f.is_error()), "prefix of {n} bytes");
    }
}

#[test]
fn deeply_nested_arrays() {
    let src = "[".repeat(100_000);
    assert_eq!(
        only_code(src.as_bytes()),
        ("mcauth::policy::json::too_deep", 128)
    );
    let in_policy = format!(r#"{{"Version": "1", "Statement": {}"#, "[".repeat(100_000));
    let (code, _) = only_code(in_policy.as_bytes());
    assert_eq!(code, "mcauth::policy::json::too_deep");
}

#[test]
fn invalid_utf8() {
    let mut bytes = SEED_PROJECTS.as_bytes().to_vec();
    let at = SEED_PROJECTS.find("odps:GetProject").unwrap_or(0);
    bytes[at] = 0xC0;
    assert_eq!(
        only_code(&bytes),
        ("mcauth::policy::json::invalid_utf8", at)
    );
}

#[test]
fn fifty_megabyte_policy() {
    // A policy whose Resource list is 50 MB: read, linted, and simulated.
    let item = format!(
        r#""acs:odps:cn-hangzhou:12345:projects/{}""#,
        "p".repeat(60)
    );
    let count = 50 * 1024 * 1024 / (item.len() + 2);
    let mut src = String::with_capacity(50 * 1024 * 1024 + 256);
    src.push_str(r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "odps:GetProject", "Resource": ["#);
    for i in 0..count {
        if i > 0 {
            src.push_str(", ");
        }
        src.push_str(&item);
    }
    src.push_str("]}]}");
    assert!(src.len() >= 50 * 1024 * 1024);
    let (doc, findings) = lint_source(src.as_bytes(), &ParseOptions::default());
    assert_eq!(findings, Vec::new());
    let mut set = PolicySet::new();
    let added = doc.map(|d| set.add("big.json", &d).is_ok());
    assert_eq!(added, Some(true));
    // A 50 MB file cut short is reported at its end.
    let cut = &src.as_bytes()[..src.len() - 3];
    assert_eq!(
        only_code(cut),
        ("mcauth::policy::json::unexpected_eof", cut.len())
    );
}

#[test]
fn every_code_is_reachable_by_name() {
    assert!(Code::ALL.len() > 30);
}

/// Valid policy fragments a mutation can splice in.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\"Effect\"",
    "\"Allow\"",
    "\"Deny\"",
    "\"Action\"",
    "\"NotAction\"",
    "\"Resource\"",
    "\"*\"",
    "\"odps:*\"",
    "\"Condition\"",
    "\"Bool\"",
    "\"odps:Encryption\"",
    "\"Principal\"",
    "true",
    "1e999",
    "-0",
    "null",
    "\u{e9}",
    "\\u0000",
];

fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for &(at, cut, piece) in edits {
        let at = at % (bytes.len() + 1);
        let end = (at + cut % 8).min(bytes.len());
        let piece = PIECES[piece % PIECES.len()].as_bytes();
        bytes.splice(at..end, piece.iter().copied());
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for dialect in [Dialect::Ram, Dialect::Project] {
            let (_, findings) = lint_source(&bytes, &ParseOptions::dialect(dialect));
            for f in findings {
                prop_assert!(f.span.start <= bytes.len() + 1);
            }
        }
    }

    #[test]
    fn mutated_policies_never_panic(
        base in prop::sample::select(vec![SEED_PROJECTS, SEED_ENCRYPTION]),
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..6),
        action in "[a-zA-Z:*?]{0,24}",
        resource in "[a-z0-9:/*?-]{0,40}",
    ) {
        let bytes = mutate(base, &edits);
        let (doc, findings) = lint_source(&bytes, &ParseOptions::default());
        for f in &findings {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= bytes.len() + 1, "{f:?}");
        }
        if let Some(doc) = doc {
            let mut set = PolicySet::new();
            if set.add("mutant", &doc).is_ok() {
                let request = Request::new(action, resource).with_context("odps:Encryption", "false");
                let _ = set.simulate(&request);
                let _ = set.explain(&request);
            }
        }
    }

    #[test]
    fn any_string_values_never_panic(
        effect in "\\PC{0,8}",
        action in "\\PC{0,30}",
        resource in "\\PC{0,60}",
        op in "\\PC{0,20}",
        key in "\\PC{0,20}",
        value in "\\PC{0,30}",
    ) {
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let src = format!(
            r#"{{"Version": "1", "Statement": [{{"Effect": "{}", "Action": "{}", "Resource": "{}", "Condition": {{"{}": {{"{}": "{}"}}}}}}]}}"#,
            q(&effect), q(&action), q(&resource), q(&op), q(&key), q(&value)
        );
        let doc = parse_policy(src.as_bytes(), &ParseOptions::default());
        prop_assert!(doc.is_ok());
        let (_, findings) = lint_source(src.as_bytes(), &ParseOptions::default());
        for f in findings {
            prop_assert!(f.span.end <= src.len());
        }
    }
}
