//! The emulator cannot be tricked: each request is built and signed by
//! mcauth's own signer (`support::Signed`), then one thing is broken — a
//! body that is not the one whose digest was signed, a V4 scope of another
//! region, day or prefix, a repeated query parameter — and the answer must
//! be a refusal. Slow and idle clients, and too many of them, are cut off
//! while legitimate requests keep being answered. Everything binds
//! 127.0.0.1; load is bounded in count and time, and nothing asserts how
//! long anything took.

mod support;

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use mcauth_odps::sign::SigningMode;
use mcauth_serve::{Accounts, Limits, RequestLog, ServeConfig, Server, StoreLocation, start};
use support::{Signed, read_answer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ACCOUNTS: &str = r#"
region = "cn-shanghai"

[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[accounts.ram_users]]
logon_name = "bob"
access_keys = [{ id = "bob-id", secret = "Bob-S3cret-0003" }]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
"#;

const OWNER: (&str, &str) = ("owner-id", "Owner-S3cret-0001");

async fn server_with(f: impl FnOnce(&mut ServeConfig)) -> Server {
    let accounts = Accounts::parse(ACCOUNTS, "accounts.toml").expect("valid accounts");
    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        StoreLocation::Memory,
        accounts,
    );
    config.request_log = RequestLog::Off;
    f(&mut config);
    start(config).await.expect("server starts")
}

fn whoami() -> Signed {
    Signed::query("sales", "whoami", OWNER.0, OWNER.1)
}

fn md5_hex(body: &[u8]) -> String {
    // The digest of the body, as the Java SDK sends it: lower-case hex.
    use md5::Digest as _;
    md5::Md5::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn md5_base64(body: &[u8]) -> String {
    use md5::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(body))
}

#[tokio::test]
async fn a_signed_content_md5_must_match_the_body() {
    let server = server_with(|_| {}).await;
    let addr = server.local_addr();
    let body = whoami().body;

    // Both encodings of the right digest are accepted.
    for digest in [md5_hex(&body), md5_base64(&body)] {
        let ok = whoami().header("Content-MD5", &digest).send(addr).await;
        assert_eq!(ok.status, 200, "{digest}: {}", ok.body);
        assert!(ok.body.contains("DisplayName"), "{}", ok.body);
    }

    // The digest of one body, signed, sent with another: refused, and the
    // other statement never runs.
    let other = Signed::query("sales", "add accountprovider ram", OWNER.0, OWNER.1).body;
    let swapped = whoami()
        .header("Content-MD5", &md5_hex(&body))
        .swap_body(&other)
        .send(addr)
        .await;
    assert_eq!(swapped.status, 400, "{}", swapped.body);
    assert_eq!(swapped.code().as_deref(), Some("InvalidParameter"));
    assert!(
        swapped.message().contains("Content-MD5 does not match"),
        "{}",
        swapped.message()
    );
    assert_eq!(
        swapped.header("x-mcauth-code"),
        Some("mcauth::serve::authentication")
    );

    // A digest that is not one.
    for bad in ["not-a-digest", "", "AAAA", &md5_hex(&body)[..30]] {
        let malformed = whoami().header("Content-MD5", bad).send(addr).await;
        assert_eq!(malformed.status, 400, "{bad:?}: {}", malformed.body);
        assert!(
            malformed.message().contains("Content-MD5 is neither"),
            "{bad:?}: {}",
            malformed.message()
        );
    }

    // Without Content-MD5 the body is not signed (as on MaxCompute): the
    // same signature carries another body.
    let unsigned = whoami().swap_body(&other).send(addr).await;
    assert_eq!(unsigned.status, 200, "{}", unsigned.body);
    server.shutdown().await;
}

#[tokio::test]
async fn a_v4_scope_must_be_the_servers_region_day_and_prefix() {
    let server = server_with(|_| {}).await;
    let addr = server.local_addr();

    let ok = whoami()
        .mode(SigningMode::v4("cn-shanghai"))
        .send(addr)
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);

    let region = whoami()
        .mode(SigningMode::v4("cn-hangzhou"))
        .send(addr)
        .await;
    assert_eq!(region.status, 400, "{}", region.body);
    assert_eq!(region.code().as_deref(), Some("InvalidParameter"));
    // Not ODPS-0410051, on which PyODPS silently signs again with V2.
    assert!(
        region.message().starts_with("ODPS-0410011")
            && region
                .message()
                .contains("region 'cn-hangzhou' is not 'cn-shanghai'"),
        "{}",
        region.message()
    );

    let yesterday = whoami()
        .mode(SigningMode::v4("cn-shanghai"))
        .scope_time(SystemTime::now() - Duration::from_secs(86_400))
        .send(addr)
        .await;
    assert_eq!(yesterday.status, 400, "{}", yesterday.body);
    assert!(
        yesterday.message().contains("credential scope's date"),
        "{}",
        yesterday.message()
    );

    let apsara = whoami()
        .mode(SigningMode::V4 {
            region: "cn-shanghai".into(),
            corporation: "apsara".into(),
        })
        .send(addr)
        .await;
    assert_eq!(apsara.status, 400, "{}", apsara.body);
    assert!(
        apsara
            .message()
            .contains("terminator 'apsara_v4_request' is not 'aliyun_v4_request'"),
        "{}",
        apsara.message()
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_signed_query_parameter_may_appear_only_once() {
    let server = server_with(|_| {}).await;
    let addr = server.local_addr();
    let once = Signed::get(
        "/api/projects/sales/users?type=displayname",
        OWNER.0,
        OWNER.1,
    )
    .send(addr)
    .await;
    assert_eq!(once.status, 200, "{}", once.body);

    // `roles` twice: the verifier and the handler must not read it
    // differently, so the request is not read at all.
    for target in [
        "/api/projects/sales/users/RAM%24alice?roles&roles=",
        "/api/projects/sales/users?curr_project=sales&curr_project=other",
        "/api/projects/sales/roles/admin?users=&x=a%26users%3D",
    ] {
        let twice = Signed::get(target, OWNER.0, OWNER.1).send(addr).await;
        assert_eq!(twice.status, 400, "{target}: {}", twice.body);
        assert_eq!(twice.code().as_deref(), Some("InvalidParameter"));
        assert!(
            twice.message().contains("appears more than once"),
            "{}",
            twice.message()
        );
    }
    server.shutdown().await;
}

/// A connection that has sent part of a request head and then stalls.
async fn stalled_head(addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"GET /api/projects/sales/users HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    s
}

/// Whether the server has closed `s` (reads EOF or a reset), waiting at
/// most `bound`.
async fn closed_within(s: &mut tokio::net::TcpStream, bound: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + bound;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // An error answer (e.g. 408) before the close is fine.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn slow_and_idle_clients_are_cut_off_and_others_still_answered() {
    let server = server_with(|c| {
        c.limits = Limits {
            idle_timeout: Duration::from_millis(800),
            body_timeout: Duration::from_millis(800),
            max_connections: 4096,
        };
    })
    .await;
    let addr = server.local_addr();

    // 1,000 connections, each stalled in its request head.
    let mut slow = Vec::with_capacity(1000);
    for _ in 0..1000 {
        slow.push(stalled_head(addr).await);
    }
    // Legitimate requests are answered meanwhile.
    for _ in 0..20 {
        let ok = whoami().send(addr).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
    }

    // One that sends its head and part of its body, then stalls: 408.
    let mut body_stall = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let full = whoami().wire(addr);
    let cut = full.len() - 20;
    body_stall.write_all(&full[..cut]).await.expect("write");

    // An idle keep-alive connection (a request answered, nothing after).
    let mut idle = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let keep_alive = String::from_utf8_lossy(&whoami().wire(addr))
        .replace("Connection: close\r\n", "")
        .into_bytes();
    idle.write_all(&keep_alive).await.expect("write");

    // All of them are closed by the server (bounded wait, not a timing).
    let answer = read_answer(&mut body_stall).await;
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert_eq!(answer.code().as_deref(), Some("RequestTimeout"));
    assert!(closed_within(&mut idle, Duration::from_secs(20)).await);
    for s in &mut slow {
        assert!(closed_within(s, Duration::from_secs(20)).await);
    }
    // And the server still answers.
    assert_eq!(whoami().send(addr).await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn connections_past_the_cap_get_503_and_room_comes_back() {
    let server = server_with(|c| {
        c.limits = Limits {
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_connections: 8,
        };
    })
    .await;
    let addr = server.local_addr();
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(stalled_head(addr).await);
    }
    // The accept loop has counted all eight once one more is refused.
    let mut refused = None;
    for _ in 0..50 {
        let answer = whoami().send(addr).await;
        if answer.status == 503 {
            refused = Some(answer);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let refused = refused.expect("a connection past the cap is refused");
    assert_eq!(refused.code().as_deref(), Some("ServiceUnavailable"));
    assert_eq!(refused.header("connection"), Some("close"));
    assert!(refused.header("x-odps-request-id").is_some());
    assert_eq!(
        refused.header("x-mcauth-code"),
        Some("mcauth::serve::too_many_connections")
    );

    // Closing the held connections makes room again.
    drop(held);
    let mut answered = false;
    for _ in 0..100 {
        if whoami().send(addr).await.status == 200 {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answered, "no room after the connections closed");
    server.shutdown().await;
}
