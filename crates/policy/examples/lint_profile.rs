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
    let mut findings = 0;
    for _ in 0..runs {
        let (_, f) = lint_source(black_box(src.as_bytes()), &ParseOptions::default());
        findings = f.len();
    }
    println!(
        "{n} statements, {} bytes, {findings} findings, {runs} runs",
        src.len()
    );
}
