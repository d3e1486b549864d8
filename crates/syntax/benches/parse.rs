//! Parse throughput on a generated 10 MB script of mixed statements.
//!
//! `cargo bench -p mcauth-syntax --bench parse`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The shipped `mcauth` binary allocates with mimalloc; measure with it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deterministic mix of the statement families, about 10 MB.
pub fn script(target_bytes: usize) -> (String, usize) {
    let templates = [
        "add user RAM$odps_test_user@aliyun.com:user_{n};\n",
        "grant Worker, role_{m} to RAM$odps_test_user@aliyun.com:user_{n};\n",
        "grant Describe, Select on table sales_{m} to role analyst_{m};\n",
        "grant Select(customer_id, amount) on table prj.sch.sales_{m} to user RAM$acct:user_{n} privilegeproperties(\"expires\"=\"30\");\n",
        "-- offboarding user {n}\nrevoke Worker from RAM$odps_test_user@aliyun.com:user_{n};\n",
        "remove user RAM$odps_test_user@aliyun.com:user_{n};\n",
        "create role role_{n} privilegeproperties(\"type\"=\"resource\");\n",
        "show grants for RAM$acct:user_{n} on type table;\n",
        "list users;\n",
        "add user `RAM$odps_test_user@aliyun.com:role/ram_role_{n}`;\n",
        "purge privs from user ALIYUN$left_{n}@aliyun.com;\n",
        "show acl for sales_{m} on type table;\n",
    ];
    let mut out = String::with_capacity(target_bytes + 256);
    let mut statements = 0;
    let mut n = 0usize;
    while out.len() < target_bytes {
        let t = templates[n % templates.len()];
        out.push_str(
            &t.replace("{n}", &n.to_string())
                .replace("{m}", &(n % 97).to_string()),
        );
        statements += 1;
        n += 1;
    }
    (out, statements)
}

fn parse_throughput(c: &mut Criterion) {
    let (text, statements) = script(10 * 1024 * 1024);
    assert!(mcauth_syntax::parse(&text).errors.is_empty());
    let mut bytes = c.benchmark_group("parse_10mb_bytes");
    bytes
        .sample_size(10)
        .throughput(Throughput::Bytes(text.len() as u64));
    bytes.bench_function("mixed", |b| {
        b.iter(|| black_box(mcauth_syntax::parse(black_box(&text))))
    });
    bytes.finish();
    let mut stmts = c.benchmark_group("parse_10mb_statements");
    stmts
        .sample_size(10)
        .throughput(Throughput::Elements(statements as u64));
    stmts.bench_function("mixed", |b| {
        b.iter(|| black_box(mcauth_syntax::parse(black_box(&text))))
    });
    stmts.finish();
}

criterion_group!(benches, parse_throughput);
criterion_main!(benches);
