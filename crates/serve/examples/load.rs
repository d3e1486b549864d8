//! Throughput of `list users` (GET /projects/{p}/users) on loopback, against
//! the README's target of 10,000 requests/s. Bounded: a fixed number of requests, a fixed concurrency.
//!
//! ```sh
//! cargo run --release -p mcauth-serve --example load -- [REQUESTS] [CONCURRENCY]
//! ```
//!
//! The server runs in this process on an in-memory store with 20 members,
//! the request log off; the clients are mcauth's own signed REST client.

use std::time::{Duration, Instant};

use mcauth_odps::{Client, ClientConfig, Credentials, RetryPolicy, SecurityQuery};
use mcauth_serve::{Accounts, RequestLog, ServeConfig, StoreLocation, start};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let concurrency: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(32)
        .clamp(1, 1024);

    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse()?,
        StoreLocation::Memory,
        Accounts::dev_default(),
    );
    config.request_log = RequestLog::Off;
    let server = start(config).await?;
    let mut cc = ClientConfig::new(
        server.endpoint(),
        "dev",
        Credentials::new("dev-access-id", "dev-access-secret"),
    );
    cc.retry = RetryPolicy::none();
    let client = Client::new(cc)?;
    let mut setup = vec!["add accountprovider ram".to_owned()];
    setup.extend((0..20).map(|i| format!("add user RAM$user{i:02}")));
    for q in setup {
        client
            .run_security_query("dev", &SecurityQuery::new(q), std::future::pending())
            .await?;
    }

    let start_at = Instant::now();
    let per_task = total.div_ceil(concurrency);
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let c = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut failures = 0usize;
            for _ in 0..per_task {
                match c.list_users("dev").await {
                    Ok(users) if users.len() == 20 => {}
                    _ => failures += 1,
                }
            }
            failures
        }));
    }
    let mut failures = 0;
    for t in tasks {
        failures += t.await?;
    }
    let elapsed = start_at.elapsed().max(Duration::from_micros(1));
    let done = per_task * concurrency;
    println!(
        "list users: {done} requests, concurrency {concurrency}, {:.2} s, {:.0} requests/s, {failures} failed",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64()
    );
    server.shutdown().await;
    Ok(())
}
