//! Lints the benchmark's generated 1 MB policy a few times, for instruction-count profiling:
//!
//! ```text
//! cargo build --release -p mcauth-policy --example lint_profile
//! valgrind --tool=callgrind --toggle-collect='mcauth_policy::lint::lint_source*' \
//!     target/release/examples/lint_profile 5
//! ```

use std::hint::black_box;

use mcauth_policy::{ParseOptions, lint_source};

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let (n, src) = generate::policy_of_at_least(1024 * 1024);
    let mut findings = Vec::new();
    for _ in 0..runs {
        findings = lint_source(black_box(src.as_bytes()), &ParseOptions::default()).1;
    }
    println!(
        "{n} statements, {} bytes, {} findings, {runs} runs",
        src.len(),
        findings.len()
    );
    let mut by_code = std::collections::BTreeMap::new();
    for f in &findings {
        *by_code.entry(f.code.as_str()).or_insert(0) += 1;
    }
    for (code, count) in by_code {
        println!("{count:>6} {code}");
    }
}
