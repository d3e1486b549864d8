//! Throughput of `simulate` against a 100-statement policy, and the time to read and lint a
//! generated 1 MB policy.
//!
//! Run with `cargo bench -p mcauth-policy`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mcauth_policy::ACTIONS;

#[path = "support/generate.rs"]
mod generate;
use generate::{policy, policy_of_at_least};
use mcauth_policy::{ParseOptions, PolicySet, Request, lint_source, parse_policy_str};

/// Requests over every action, half of them naming a resource some statement covers.
fn requests() -> Vec<Request> {
    (0..256)
        .map(|i| {
            let action = ACTIONS[i % ACTIONS.len()].name;
            let resource = match i % 4 {
                0 => format!("acs:odps:cn-hangzhou:12345:projects/prj_{}", i % 100),
                1 => format!("acs:odps:cn-hangzhou:12345:quotas/q_{}_x", i % 100),
                2 => format!("acs:odps:cn-shanghai:12345:networkLinks/nl_{}", i % 100),
                _ => "acs:odps:cn-hangzhou:12345:projects/unknown".to_owned(),
            };
            Request::new(action, resource)
                .with_context(
                    "odps:Encryption",
                    if i.is_multiple_of(2) { "false" } else { "true" },
                )
                .with_context("acs:SourceIp", "10.1.2.3")
        })
        .collect()
}

fn compiled(src: &str) -> PolicySet {
    let mut set = PolicySet::new();
    if let Ok(doc) = parse_policy_str(src, &ParseOptions::default()) {
        let _ = set.add("bench.json", &doc);
    }
    set
}

fn simulate(c: &mut Criterion) {
    let set = compiled(&policy(100));
    assert_eq!(set.statement_count(), 100);
    let requests = requests();
    let mut group = c.benchmark_group("simulate");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("100 statements, 256 requests", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(set.simulate(black_box(r)));
            }
        });
    });
    // Worst case: every statement names every action, so each request checks all 100.
    let all_actions = policy(100).replace(r#""Action": ["#, r#""Action": ["odps:*", "#);
    let dense = compiled(&all_actions);
    group.bench_function(
        "100 statements all matching the action, 256 requests",
        |b| {
            b.iter(|| {
                for r in &requests {
                    black_box(dense.simulate(black_box(r)));
                }
            });
        },
    );
    group.finish();
}

fn lint(c: &mut Criterion) {
    let (n, src) = policy_of_at_least(1024 * 1024);
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.sample_size(20);
    group.bench_function(format!("{n} statements, {} bytes", src.len()), |b| {
        b.iter(|| {
            black_box(lint_source(
                black_box(src.as_bytes()),
                &ParseOptions::default(),
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, simulate, lint);
criterion_main!(benches);
