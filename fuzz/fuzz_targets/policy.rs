//! Any bytes as a RAM or project policy: parse and lint never panic, and a
//! RAM policy that reads simulates a request without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcauth_policy::{Dialect, ParseOptions, PolicySet, Request, lint_source};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let dialect = if first & 1 == 0 {
        Dialect::Ram
    } else {
        Dialect::Project
    };
    let (doc, findings) = lint_source(bytes, &ParseOptions::dialect(dialect));
    for f in &findings {
        assert!(f.span.start <= f.span.end, "span {f:?}");
        assert!(f.span.end <= bytes.len(), "span past the end {f:?}");
    }
    if let Some(doc) = doc {
        let mut set = PolicySet::new();
        if set.add("fuzz.json", &doc).is_ok() {
            for (action, resource) in [
                ("odps:CreateProject", "acs:odps:cn-hangzhou:1:projects/p"),
                ("odps:Select", "acs:odps:*:projects/p/tables/t"),
                ("odps:AddTenantUsers", "acs:odps:cn-hangzhou:1:tenantUsers/*"),
            ] {
                let request = Request::new(action, resource)
                    .with_context("odps:Encryption", "true")
                    .with_context("acs:SourceIp", "10.0.0.1");
                let _ = set.simulate(&request);
            }
        }
    }
});
