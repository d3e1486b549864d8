//! The cost of the store's hot paths as `mcauth serve` drives them, on a
//! file-backed store: one write transaction per changing statement
//! (`begin` → `record` → `commit`), a write transaction that turns out to
//! change nothing (`begin`, dropped), and `refresh` when nothing changed.
//!
//! A plain timing loop rather than criterion, so that the binary runs a
//! fixed number of transactions and `strace -c -f` can divide by it:
//!
//! ```text
//! cargo bench -p mcauth-store --bench txn                 # all, 20,000 each
//! cargo bench -p mcauth-store --bench txn -- write 5000   # one, 5,000 times
//! ```
//!
//! Prints the median of five rounds in ns per operation.

use std::path::PathBuf;
use std::time::Instant;

use mcauth_engine::{Change, PrincipalId, RoleName, RoleType};
use mcauth_store::{Project, Store, StoreError};

const ROUNDS: usize = 5;

fn main() -> Result<(), StoreError> {
    let mut which: Vec<String> = Vec::new();
    let mut n: usize = 20_000;
    for arg in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        match arg.parse() {
            Ok(count) => n = count,
            Err(_) => which.push(arg),
        }
    }
    let all = ["write", "noop", "refresh"];
    if which.is_empty() {
        which = all.iter().map(|s| (*s).to_owned()).collect();
    }
    let dir = std::env::temp_dir().join(format!("mcauth-store-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = run(&dir, &which, n);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run(dir: &std::path::Path, which: &[String], n: usize) -> Result<(), StoreError> {
    let path: PathBuf = dir.join("bench.db");
    let mut store = Store::open(&path)?;
    let mut project = store.project("bench", &PrincipalId::aliyun("owner@example.com"))?;
    let mut next = 0_usize;
    for name in which {
        let mut per_op = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let start = Instant::now();
            match name.as_str() {
                "write" => write(&mut store, &mut project, n, &mut next)?,
                "noop" => noop(&mut store, &mut project, n)?,
                "refresh" => refresh(&mut store, &mut project, n)?,
                other => {
                    eprintln!("unknown benchmark `{other}` (write, noop, refresh)");
                    std::process::exit(2);
                }
            }
            per_op.push(start.elapsed().as_nanos() as f64 / n as f64);
        }
        per_op.sort_by(f64::total_cmp);
        let lo = per_op.first().copied().unwrap_or_default();
        let hi = per_op.last().copied().unwrap_or_default();
        let median = per_op.get(ROUNDS / 2).copied().unwrap_or_default();
        println!(
            "{name:>8}: {median:>8.0} ns/op (min {lo:.0}, max {hi:.0}; {ROUNDS} rounds of {n})"
        );
    }
    Ok(())
}

/// One changing statement per transaction, as `mcauth serve` commits it.
fn write(
    store: &mut Store,
    project: &mut Project,
    n: usize,
    next: &mut usize,
) -> Result<(), StoreError> {
    for _ in 0..n {
        *next += 1;
        let role = RoleName::new(&format!("r{next}"));
        let text = format!("create role r{next};");
        let mut batch = store.begin(project)?;
        batch.record(
            &text,
            &[Change::CreateRole {
                role,
                role_type: RoleType::Resource,
                comment: None,
            }],
        )?;
        batch.commit()?;
    }
    Ok(())
}

/// A write transaction that changes nothing: dropped, so rolled back.
fn noop(store: &mut Store, project: &mut Project, n: usize) -> Result<(), StoreError> {
    for _ in 0..n {
        drop(store.begin(project)?);
    }
    Ok(())
}

/// A read when nothing has changed since the last one.
fn refresh(store: &mut Store, project: &mut Project, n: usize) -> Result<(), StoreError> {
    for _ in 0..n {
        store.refresh(project)?;
    }
    Ok(())
}
