//! Times one parse of a generated script; for profiling the parser:
//! `cargo run --release -p mcauth-syntax --example timeit -- [MB]`.
#[path = "../benches/parse.rs"]
#[allow(dead_code)]
mod bench;

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (src, statements) = bench::script(mb * 1024 * 1024);
    let runs: u32 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let t = std::time::Instant::now();
    let mut p = mcauth_syntax::parse(&src);
    for _ in 1..runs {
        p = mcauth_syntax::parse(&src);
    }
    let dt = t.elapsed() / runs;
    eprintln!(
        "{} bytes, {statements} statements in {dt:?}: {:.1} MB/s, errors={}",
        src.len(),
        src.len() as f64 / dt.as_secs_f64() / 1e6,
        p.errors.len()
    );
}
