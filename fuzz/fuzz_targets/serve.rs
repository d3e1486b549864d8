//! The emulator's request handling: a request with a fuzzed method, path,
//! query, body and extra header, signed (or not) with a configured key,
//! sent over loopback to one `mcauth serve` that lives as long as the
//! fuzzer. A panic anywhere in the server aborts the process (libFuzzer's
//! panic hook), so a handler that panics is a crash here even though the
//! server would catch it.
#![no_main]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use mcauth_odps::{Credentials, SigningMode, VerifyRequest, authorization, candidate_strings};
use mcauth_serve::{Accounts, RequestLog, ServeConfig, StoreLocation, start};

const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[accounts.ram_roles]]
name = "etl"
sts = [{ id = "STS.etl-id", secret = "Etl-S3cret-0004", token = "CAIS.Etl-T0ken-0005" }]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
"#;

const KEYS: [(&str, &str, Option<&str>); 3] = [
    ("owner-id", "Owner-S3cret-0001", None),
    ("alice-id", "Alice-S3cret-0002", None),
    ("STS.etl-id", "Etl-S3cret-0004", Some("CAIS.Etl-T0ken-0005")),
];

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

const PREFIXES: [&str; 8] = [
    "/api/",
    "/api/projects/sales/",
    "/api/projects/sales/authorization",
    "/api/projects/sales/users/",
    "/api/projects/sales/roles/",
    "/api/projects/sales",
    "/api/projects/",
    "/",
];

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let accounts = Accounts::parse(ACCOUNTS, "accounts.toml").expect("accounts");
                let mut config = ServeConfig::new(
                    "127.0.0.1:0".parse().expect("addr"),
                    StoreLocation::Memory,
                    accounts,
                );
                config.request_log = RequestLog::Off;
                let server = start(config).await.expect("server starts");
                tx.send(server.local_addr()).expect("send addr");
                std::future::pending::<()>().await;
                drop(server);
            });
        });
        rx.recv().expect("server address")
    })
}

/// Bytes that may not stand in a request target are percent-encoded, so
/// the server sees them decoded.
fn encode_target(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let addr = server();
    let [a, b, rest @ ..] = data else { return };
    let mut parts = rest.splitn(3, |&c| c == 0);
    let target_bytes = parts.next().unwrap_or_default();
    let body_bytes = parts.next().unwrap_or_default();
    let header_bytes = parts.next().unwrap_or_default();

    let method = METHODS[usize::from(a & 7) % METHODS.len()];
    let mut target = PREFIXES[usize::from(a >> 3) % PREFIXES.len()].to_owned();
    encode_target(target_bytes, &mut target);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.clone(), None),
    };
    // Security queries go in an XML envelope, as clients send them.
    let body: Vec<u8> = if b & 0x10 != 0 {
        let mut v = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Authorization><Query>".to_vec();
        v.extend_from_slice(body_bytes);
        v.extend_from_slice(b"</Query></Authorization>");
        v
    } else {
        body_bytes.to_vec()
    };
    let now = SystemTime::now();
    let mut headers = vec![
        ("Date".to_owned(), httpdate::fmt_http_date(now)),
        ("x-odps-user-agent".to_owned(), "fuzz".to_owned()),
    ];
    if !body.is_empty() {
        headers.push(("Content-Type".to_owned(), "application/xml".to_owned()));
    }
    if let Ok(extra) = std::str::from_utf8(header_bytes)
        && let Some((k, v)) = extra.split_once(':')
        && !k.is_empty()
        && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        && v.bytes().all(|c| c == b'\t' || (b' '..0x7f).contains(&c))
    {
        headers.push((k.to_owned(), v.trim().to_owned()));
    }
    let (id, secret, token) = KEYS[usize::from(b & 3) % KEYS.len()];
    if let Some(token) = token {
        headers.push(("authorization-sts-token".to_owned(), token.to_owned()));
    }
    match (b >> 2) & 3 {
        0 | 1 => {
            let vreq = VerifyRequest {
                method: method.to_owned(),
                path,
                query,
                headers: headers.clone(),
            };
            if let Some(sts) = candidate_strings(&vreq, "/api").into_iter().next() {
                let mode = if b & 4 == 0 {
                    SigningMode::V2
                } else {
                    SigningMode::v4("cn-hangzhou")
                };
                let auth = authorization(&Credentials::new(id, secret), &mode, &sts, now);
                headers.push(("Authorization".to_owned(), auth));
            }
        }
        2 => headers.push(("Authorization".to_owned(), format!("ODPS {id}:bm90IGEgc2lnbmF0dXJl"))),
        _ => {}
    }
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in &headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(&body);

    let Ok(mut stream) = TcpStream::connect(addr) else { return };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    if stream.write_all(&bytes).is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    if !answer.is_empty() {
        assert!(answer.starts_with(b"HTTP/1.1 "), "not an HTTP answer");
    }
});
