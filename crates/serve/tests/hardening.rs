//! The emulator cannot be tricked: each request is built and signed by
//! mcauth's own signer (`support::Signed`), then one thing is broken — a
//! body that is not the one whose digest was signed, a V4 scope of another
//! region, day or prefix, a repeated query parameter — and the answer must
//! be a refusal. Slow and idle clients, and too many of them, are cut off
//! while legitimate requests keep being answered. Everything binds
//! 127.0.0.1; load is bounded in count and time, and nothing asserts how
//! long anything took.

use std::time::{Duration, SystemTime};

use crate::support::{Signed, read_answer};
use base64::Engine as _;
use mcauth_odps::SigningMode;
use mcauth_serve::{Accounts, Limits, RequestLog, ServeConfig, Server, StoreLocation, start};
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

/// The instance id of a `201` answer.
fn instance_of(answer: &crate::support::Raw) -> String {
    assert_eq!(answer.status, 201, "{}", answer.body);
    mcauth_odps::parse_result(&answer.body)
        .map(|(r, _)| r)
        .expect("an <Authorization><Result>")
}

async fn poll(addr: std::net::SocketAddr, id: &str, key: (&str, &str)) -> crate::support::Raw {
    Signed::get(
        &format!("/api/projects/sales/authorization/{id}"),
        key.0,
        key.1,
    )
    .send(addr)
    .await
}

#[tokio::test]
async fn only_the_submitter_and_admins_read_an_instance() {
    let server = server_with(|c| c.async_mode = true).await;
    let addr = server.local_addr();
    let alice = ("alice-id", "Alice-S3cret-0002");
    let bob = ("bob-id", "Bob-S3cret-0003");
    // Reads stay synchronous under --async; changes answer 201.
    let who = whoami().send(addr).await;
    assert_eq!(who.status, 200, "{}", who.body);
    for q in [
        "add accountprovider ram",
        "add user RAM$alice",
        "add user RAM$bob",
    ] {
        let id = instance_of(&Signed::query("sales", q, OWNER.0, OWNER.1).send(addr).await);
        let mut done = false;
        for _ in 0..200 {
            let status = poll(addr, &id, OWNER).await;
            assert_eq!(status.status, 200, "{}", status.body);
            if status.body.contains("<Status>Terminated</Status>") {
                done = true;
                break;
            }
            assert!(
                status.body.contains("<Status>Running</Status>"),
                "{}",
                status.body
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(done, "{q} did not finish");
    }

    // Alice's statement (which fails: she may not create roles) is hers.
    let id = instance_of(
        &Signed::query("sales", "create role secret_plans", alice.0, alice.1)
            .send(addr)
            .await,
    );
    assert_eq!(id.len(), 14 + 32, "{id}");
    let mut mine = poll(addr, &id, alice).await;
    for _ in 0..200 {
        if !mine.body.contains("<Status>Running</Status>") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        mine = poll(addr, &id, alice).await;
    }
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(
        mine.body.contains("<Status>Failed</Status>"),
        "{}",
        mine.body
    );
    // Bob, a member without Admin, may not read it…
    let theirs = poll(addr, &id, bob).await;
    assert_eq!(theirs.status, 403, "{}", theirs.body);
    assert_eq!(theirs.code().as_deref(), Some("NoPermission"));
    assert_eq!(
        theirs.header("x-mcauth-code"),
        Some("mcauth::serve::not_instance_owner")
    );
    assert!(!theirs.body.contains("secret_plans"), "{}", theirs.body);
    // …the owner may, and an unknown id is a 404 to her.
    assert_eq!(poll(addr, &id, OWNER).await.status, 200);
    let mut guessed = id.clone();
    guessed.replace_range(20..21, if &id[20..21] == "0" { "1" } else { "0" });
    let missing = poll(addr, &guessed, OWNER).await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    server.shutdown().await;
}

#[tokio::test]
async fn install_package_is_asynchronous_without_async_mode() {
    let server = server_with(|_| {}).await;
    let addr = server.local_addr();
    let id = instance_of(
        &Signed::query("sales", "install package other.datashare", OWNER.0, OWNER.1)
            .send(addr)
            .await,
    );
    let mut status = poll(addr, &id, OWNER).await;
    for _ in 0..200 {
        if !status.body.contains("<Status>Running</Status>") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        status = poll(addr, &id, OWNER).await;
    }
    assert!(
        status.body.contains("<Status>Terminated</Status>"),
        "{}",
        status.body
    );
    // Everything else is answered at once.
    let listed = Signed::query("sales", "show packages", OWNER.0, OWNER.1)
        .send(addr)
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(listed.body.contains("other.datashare"), "{}", listed.body);
    server.shutdown().await;
}

#[tokio::test]
async fn control_characters_are_refused_in_statements_and_never_sent_back() {
    let server = server_with(|_| {}).await;
    let addr = server.local_addr();
    let run = |q: &str| Signed::query("sales", q, OWNER.0, OWNER.1);

    for statement in [
        "create role r1 comment 'bell\u{7}'",
        "add user `RAM$acme@example.com:a\u{1b}[31m`",
        "create role r2 comment 'del\u{7f}'",
        // (U+0085 itself is read as a line break by the XML parser.)
        "create role r3 comment 'c1\u{9f}'",
    ] {
        let refused = run(statement).send(addr).await;
        assert_eq!(refused.status, 400, "{statement:?}: {}", refused.body);
        assert_eq!(refused.code().as_deref(), Some("ODPS-0130161"));
        assert_eq!(
            refused.header("x-mcauth-code"),
            Some("mcauth::serve::control_character")
        );
        assert!(
            refused.message().contains("control character U+00"),
            "{}",
            refused.message()
        );
        assert!(
            !refused
                .body
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{:?}",
            refused.body
        );
    }
    // A character reference is the same character once parsed.
    let xml = "<Authorization><Query>create role r4 comment 'x&#1;'</Query><ResponseInJsonFormat>true</ResponseInJsonFormat></Authorization>";
    let by_reference = Signed::new(
        "POST",
        "/api/projects/sales/authorization",
        OWNER.0,
        OWNER.1,
    )
    .body("application/xml", xml.as_bytes())
    .send(addr)
    .await;
    assert_eq!(by_reference.status, 400, "{}", by_reference.body);

    // Nothing was created.
    let roles = Signed::get("/api/projects/sales/roles", OWNER.0, OWNER.1)
        .send(addr)
        .await;
    assert!(!roles.body.contains("<Name>r1</Name>"), "{}", roles.body);

    // Tab, line feed and carriage return are kept, and come back whole
    // (a carriage return survives XML only as a reference, both ways).
    let xml = "<Authorization><Query>create role r5 comment 'two&#13;\nlines\tand a tab'</Query><ResponseInJsonFormat>true</ResponseInJsonFormat></Authorization>";
    let kept = Signed::new(
        "POST",
        "/api/projects/sales/authorization",
        OWNER.0,
        OWNER.1,
    )
    .body("application/xml", xml.as_bytes())
    .send(addr)
    .await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    let role = Signed::get("/api/projects/sales/roles/r5", OWNER.0, OWNER.1)
        .send(addr)
        .await;
    assert!(role.body.contains("&#13;"), "{}", role.body);
    let parsed = mcauth_odps::parse_roles(&format!(
        "<Roles>{}</Roles>",
        role.body.split_once("?>").map_or("", |(_, r)| r.trim())
    ))
    .expect("a role");
    assert_eq!(parsed[0].comment, "two\r\nlines\tand a tab");

    // A name in a path is echoed without its control characters.
    let odd = Signed::get(
        "/api/projects/sales/users/RAM%24acme%40example.com%3Aa%01b?type=displayname",
        OWNER.0,
        OWNER.1,
    )
    .send(addr)
    .await;
    assert_eq!(odd.status, 404, "{}", odd.body);
    assert!(odd.body.contains("a\\u{0001}b"), "{}", odd.body);
    assert!(!odd.body.contains('\u{1}'), "{:?}", odd.body);
    server.shutdown().await;
}
