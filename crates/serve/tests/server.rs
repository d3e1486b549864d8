//! The emulator on 127.0.0.1 (port 0), driven by mcauth's real REST client
//! (`mcauth_odps::Client`) and, where a test needs to forge a request
//! (a stale Date, a tampered signature), by raw HTTP/1.1 over TCP.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::support::{Raw, Signed};
use mcauth_odps::{
    Client, ClientConfig, Credentials, OdpsError, PollPolicy, QueryStatus, RetryPolicy,
    SecurityQuery, SigningMode,
};
use mcauth_serve::{Accounts, Faults, RequestLog, ServeConfig, Server, StoreLocation, start};

const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[accounts.ram_users]]
logon_name = "bob"
access_keys = [{ id = "bob-id", secret = "Bob-S3cret-0003" }]

[[accounts.ram_roles]]
name = "etl"
sts = [{ id = "STS.etl-id", secret = "Etl-S3cret-0004", token = "CAIS.Etl-T0ken-0005" }]

[[accounts]]
name = "other@example.com"
access_keys = [{ id = "other-id", secret = "Other-S3cret-0006" }]

# The documented default of old, so that the RAM provider rule shows.
[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
account_providers = ["ALIYUN"]
"#;

const SECRETS: [&str; 6] = [
    "Owner-S3cret-0001",
    "Alice-S3cret-0002",
    "Bob-S3cret-0003",
    "Etl-S3cret-0004",
    "CAIS.Etl-T0ken-0005",
    "Other-S3cret-0006",
];

type Lines = Arc<Mutex<Vec<String>>>;

fn collector() -> (RequestLog, Lines) {
    let lines: Lines = Arc::default();
    let sink = lines.clone();
    let log = RequestLog::Custom(Arc::new(move |l: &str| {
        if let Ok(mut v) = sink.lock() {
            v.push(l.to_owned());
        }
    }));
    (log, lines)
}

async fn server_with(f: impl FnOnce(&mut ServeConfig)) -> (Server, Lines) {
    let accounts = Accounts::parse(ACCOUNTS, "accounts.toml").expect("valid accounts");
    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        StoreLocation::Memory,
        accounts,
    );
    let (log, lines) = collector();
    config.request_log = log;
    f(&mut config);
    (start(config).await.expect("server starts"), lines)
}

fn client(server: &Server, id: &str, secret: &str) -> Client {
    client_with(server, Credentials::new(id, secret), SigningMode::V2)
}

fn client_with(server: &Server, creds: Credentials, signing: SigningMode) -> Client {
    let mut config = ClientConfig::new(server.endpoint(), "sales", creds);
    config.signing = signing;
    config.retry = RetryPolicy::none();
    config.poll = PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_wait: Some(Duration::from_secs(10)),
    };
    Client::new(config).expect("client")
}

async fn run(c: &Client, q: &str) -> Result<String, OdpsError> {
    c.run_security_query("sales", &SecurityQuery::new(q), std::future::pending())
        .await
}

async fn run_text(c: &Client, q: &str) -> Result<String, OdpsError> {
    c.run_security_query(
        "sales",
        &SecurityQuery::new(q).json(false),
        std::future::pending(),
    )
    .await
}

fn service(e: &OdpsError) -> (u16, String, String) {
    let s = e
        .service()
        .unwrap_or_else(|| panic!("not a service error: {e:?}"));
    (s.status, s.code.clone(), s.message.clone())
}

async fn owner_setup(owner: &Client) {
    for q in [
        "add accountprovider ram",
        "add user RAM$alice",
        "create role analyst",
        "grant analyst to RAM$alice",
    ] {
        run(owner, q).await.unwrap_or_else(|e| panic!("{q}: {e}"));
    }
}

#[tokio::test]
async fn statements_run_as_the_caller_and_rest_reads_agree() {
    let (server, _) = server_with(|_| {}).await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");

    let who: serde_json::Value =
        serde_json::from_str(&run(&owner, "whoami").await.expect("whoami")).expect("json");
    assert_eq!(who["DisplayName"], "ALIYUN$acme@example.com");
    assert_eq!(who["SourceIP"], "127.0.0.1");

    // RAM$alice resolves to the caller's account; the provider comes first.
    let e = run(&owner, "add user RAM$alice")
        .await
        .expect_err("no provider");
    let (status, code, message) = service(&e);
    assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
    assert!(message.contains("lack of account provider"), "{message}");

    owner_setup(&owner).await;
    assert_eq!(run(&owner, "add user RAM$bob").await.expect("add"), "{}");
    assert_eq!(
        run(&owner, "list accountproviders").await.expect("list"),
        r#"["ALIYUN","RAM"]"#
    );
    assert_eq!(
        run_text(&owner, "list users").await.expect("list"),
        "RAM$acme@example.com:alice\nRAM$acme@example.com:bob"
    );
    assert_eq!(
        run_text(&owner, "revoke analyst from RAM$bob")
            .await
            .map_err(|e| service(&e).1),
        Err("InvalidParameter".to_owned())
    );

    let users = owner.list_users("sales").await.expect("users");
    let names: Vec<&str> = users.iter().map(|u| u.display_name.as_str()).collect();
    assert_eq!(
        names,
        ["RAM$acme@example.com:alice", "RAM$acme@example.com:bob"]
    );
    assert!(users.iter().all(|u| u.id.starts_with("p4_")));
    let alice = owner
        .get_user("sales", "RAM$acme@example.com:alice")
        .await
        .expect("alice");
    assert_eq!(alice.id, users[0].id);
    let roles = owner
        .user_roles("sales", "RAM$acme@example.com:alice")
        .await
        .expect("roles");
    assert_eq!(
        roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["analyst"]
    );
    let all_roles = owner.list_roles("sales").await.expect("roles");
    assert!(
        all_roles.iter().any(|r| r.name == "analyst"),
        "{all_roles:?}"
    );
    assert!(all_roles.iter().any(|r| r.name == "admin"), "{all_roles:?}");
    let holders = owner.role_users("sales", "analyst").await.expect("holders");
    assert_eq!(holders.len(), 1);
    assert_eq!(holders[0].display_name, "RAM$acme@example.com:alice");
    let e = owner
        .get_user("sales", "RAM$acme@example.com:nobody")
        .await
        .expect_err("404");
    assert!(e.is_not_found(), "{e:?}");

    let meta = owner.project_meta("sales").await.expect("meta");
    assert_eq!(meta.name, "sales");
    assert_eq!(meta.owner.as_deref(), Some("ALIYUN$acme@example.com"));
    assert!(meta.creation_time.is_some() && meta.last_modified.is_some());
    let e = owner.project_meta("nosuch").await.expect_err("no project");
    assert_eq!(service(&e).1, "NoSuchProject");

    // Revoke, then remove: the engine's order rule holds over the wire.
    let e = run(&owner, "remove user RAM$alice")
        .await
        .expect_err("holds roles");
    assert!(service(&e).2.contains("analyst"), "{e}");
    run(&owner, "revoke analyst from RAM$alice")
        .await
        .expect("revoke");
    run(&owner, "remove user RAM$alice").await.expect("remove");
    assert_eq!(
        run(&owner, "list users").await.expect("list"),
        r#"["RAM$acme@example.com:bob"]"#
    );
    server.shutdown().await;
}

#[tokio::test]
async fn the_engines_authority_rules_apply_to_each_access_key() {
    let (server, _) = server_with(|_| {}).await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    let alice = client(&server, "alice-id", "Alice-S3cret-0002");
    let bob = client(&server, "bob-id", "Bob-S3cret-0003");
    let other = client(&server, "other-id", "Other-S3cret-0006");

    // Not a member: refused with ODPS-0420095, for statements and reads.
    for c in [&bob, &other] {
        let e = run(c, "whoami").await.expect_err("outsider");
        let (status, code, message) = service(&e);
        assert_eq!((status, code.as_str()), (403, "NoPermission"));
        assert!(message.starts_with("ODPS-0420095"), "{message}");
        let e = c.list_users("sales").await.expect_err("outsider");
        assert_eq!(service(&e).0, 403);
    }

    owner_setup(&owner).await;
    let who: serde_json::Value =
        serde_json::from_str(&run(&alice, "whoami").await.expect("member")).expect("json");
    assert_eq!(who["DisplayName"], "RAM$acme@example.com:alice");

    // A plain member may not manage users or list them.
    let e = run(&alice, "add user RAM$bob")
        .await
        .expect_err("not admin");
    let (status, code, message) = service(&e);
    assert_eq!((status, code.as_str()), (403, "NoPermission"));
    assert!(message.contains("odps:AddUser"), "{message}");
    assert_eq!(
        service(&alice.list_users("sales").await.expect_err("not admin")).0,
        403
    );
    // …but may read their own roles.
    let mine = alice
        .user_roles("sales", "RAM$acme@example.com:alice")
        .await
        .expect("own roles");
    assert_eq!(mine.len(), 1);

    // Made admin, alice can add bob, and bob gets in.
    run(&owner, "grant admin to RAM$alice")
        .await
        .expect("grant admin");
    run(&alice, "add user RAM$bob").await.expect("admin adds");
    run(&bob, "whoami").await.expect("bob is in");
    // Account-provider changes stay the owner's.
    let e = run(&alice, "remove accountprovider ram")
        .await
        .expect_err("owner only");
    assert_eq!(service(&e).0, 403);
    server.shutdown().await;
}

#[tokio::test]
async fn v4_and_sts_signatures_are_verified() {
    let (server, _) = server_with(|_| {}).await;
    let owner = client_with(
        &server,
        Credentials::new("owner-id", "Owner-S3cret-0001"),
        SigningMode::v4("cn-hangzhou"),
    );
    owner_setup(&owner).await;
    run(&owner, "add user `RAM$acme@example.com:role/etl`")
        .await
        .expect("add the role");

    let sts =
        Credentials::new("STS.etl-id", "Etl-S3cret-0004").with_sts_token("CAIS.Etl-T0ken-0005");
    for mode in [SigningMode::V2, SigningMode::v4("cn-hangzhou")] {
        let etl = client_with(&server, sts.clone(), mode);
        let who: serde_json::Value =
            serde_json::from_str(&run(&etl, "whoami").await.expect("sts whoami")).expect("json");
        assert_eq!(who["DisplayName"], "RAM$acme@example.com:role/etl");
    }
    for bad in [
        Credentials::new("STS.etl-id", "Etl-S3cret-0004"),
        Credentials::new("STS.etl-id", "Etl-S3cret-0004").with_sts_token("CAIS.wrong"),
    ] {
        let e = run(&client_with(&server, bad, SigningMode::V2), "whoami")
            .await
            .expect_err("token");
        let (status, code, message) = service(&e);
        assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
        assert!(message.contains("security token"), "{message}");
    }

    let wrong = client(&server, "owner-id", "not-the-secret");
    let e = run(&wrong, "whoami").await.expect_err("bad signature");
    assert_eq!(
        (service(&e).0, service(&e).1.as_str()),
        (401, "SignatureNotMatch")
    );
    let unknown = client(&server, "nobody-id", "x");
    let e = run(&unknown, "whoami").await.expect_err("unknown key");
    let (status, code, message) = service(&e);
    assert_eq!((status, code.as_str()), (401, "InvalidParameter"));
    assert!(message.contains("ODPS-0410051"), "{message}");
    server.shutdown().await;
}

/// Sends one signed request by hand (Connection: close) with `date`.
async fn raw(
    server: &Server,
    method: &str,
    target: &str,
    body: &str,
    date: SystemTime,
    secret: &str,
) -> Raw {
    let mut req = Signed::new(method, target, "owner-id", secret).dated(date);
    if !body.is_empty() {
        req = req.body("application/xml", body.as_bytes());
    }
    req.send(server.local_addr()).await
}

#[tokio::test]
async fn errors_have_all_four_children_and_every_answer_a_request_id() {
    let (server, _) = server_with(|_| {}).await;
    let now = SystemTime::now();
    let ok = raw(
        &server,
        "GET",
        "/api/projects/sales/users?curr_project=sales",
        "",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.header("content-type"), Some("application/xml"));
    assert!(
        ok.header("x-odps-request-id")
            .is_some_and(|r| r.len() == 24)
    );
    assert!(ok.body.contains("<Users>"), "{}", ok.body);

    // A Date 16 minutes old is refused; 14 minutes is within the skew.
    let stale = raw(
        &server,
        "GET",
        "/api/projects/sales",
        "",
        now - Duration::from_secs(16 * 60),
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(stale.status, 400);
    assert!(
        stale.body.contains("<Code>RequestTimeTooSkewd</Code>"),
        "{}",
        stale.body
    );
    let fine = raw(
        &server,
        "GET",
        "/api/projects/sales",
        "",
        now - Duration::from_secs(14 * 60),
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(fine.status, 200, "{}", fine.body);
    assert!(fine.header("x-odps-owner").is_some() && fine.header("last-modified").is_some());

    let bad = raw(
        &server,
        "POST",
        "/api/projects/sales/authorization",
        "<Authorization><Query>whoami</Query></Authorization>",
        now,
        "wrong",
    )
    .await;
    assert_eq!(bad.status, 401);
    let rid = bad
        .header("x-odps-request-id")
        .unwrap_or_default()
        .to_owned();
    let parsed = mcauth_odps::parse_error(&bad.body).expect("error xml");
    assert_eq!(parsed.code.as_deref(), Some("SignatureNotMatch"));
    assert_eq!(parsed.request_id.as_deref(), Some(rid.as_str()));
    assert_eq!(parsed.host_id.as_deref(), Some("mcauth-serve"));
    assert!(parsed.message.is_some());

    let syntax = raw(&server, "POST", "/api/projects/sales/authorization", "<?xml version=\"1.0\"?><Authorization><Query>grant to</Query><ResponseInJsonFormat>true</ResponseInJsonFormat></Authorization>", now, "Owner-S3cret-0001").await;
    assert_eq!(syntax.status, 400);
    assert!(
        syntax.body.contains("<Code>ODPS-0130161</Code>"),
        "{}",
        syntax.body
    );
    assert!(
        syntax
            .header("x-mcauth-code")
            .is_some_and(|c| c.starts_with("mcauth::syntax::"))
    );

    let not_xml = raw(
        &server,
        "POST",
        "/api/projects/sales/authorization",
        "whoami",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(not_xml.status, 400, "{}", not_xml.body);
    // A multi-byte name where `p4_` would be looked for: a 404, no panic.
    let odd = raw(
        &server,
        "GET",
        "/api/projects/sales/users/%C3%A9%C3%A9?type=displayname",
        "",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(odd.status, 404, "{}", odd.body);
    let tenants = raw(
        &server,
        "GET",
        "/api/tenants?curr_project=sales",
        "",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!((tenants.status, tenants.body.as_str()), (200, "{}"));
    let logview = raw(
        &server,
        "GET",
        "/api/logview/host",
        "",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(logview.status, 200);
    let nothing = raw(
        &server,
        "GET",
        "/api/nothing/here",
        "",
        now,
        "Owner-S3cret-0001",
    )
    .await;
    assert_eq!(nothing.status, 404);
    assert!(
        nothing.body.contains("<Code>NoSuchObject</Code>"),
        "{}",
        nothing.body
    );
    server.shutdown().await;
}

#[tokio::test]
async fn async_mode_answers_201_and_clients_poll() {
    let (server, _) = server_with(|c| c.async_mode = true).await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    let sub = owner
        .submit_security_query("sales", &SecurityQuery::new("add accountprovider ram"))
        .await
        .expect("submit");
    let id = match sub {
        mcauth_odps::Submission::Async { instance_id } => instance_id,
        other => panic!("expected 201, got {other:?}"),
    };
    let mut status = QueryStatus::Running;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        status = owner
            .security_query_status("sales", &id)
            .await
            .expect("poll")
            .0;
        if status != QueryStatus::Running {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(status, QueryStatus::Terminated);
    assert_eq!(
        run(&owner, "list accountproviders").await.expect("runs"),
        r#"["ALIYUN","RAM"]"#
    );
    let e = run(&owner, "drop role nosuch").await.expect_err("fails");
    assert!(matches!(e, OdpsError::QueryFailed { .. }), "{e:?}");
    // A non-member is refused before any instance exists.
    let other = client(&server, "other-id", "Other-S3cret-0006");
    assert_eq!(
        service(&run(&other, "whoami").await.expect_err("outsider")).0,
        403
    );
    server.shutdown().await;
}

#[tokio::test]
async fn faults_drop_connections_before_or_after_applying() {
    let (server, lines) = server_with(|c| {
        c.faults = Faults::parse(
            "authorization:drop-after:nth=2,drop-before:nth=3,503:nth=4; users:delay=30ms",
        )
        .expect("faults");
    })
    .await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    run(&owner, "add accountprovider ram")
        .await
        .expect("1st is clean");
    let e = run(&owner, "create role r2")
        .await
        .expect_err("dropped after");
    assert!(e.outcome_unknown(), "{e:?}");
    let e = run(&owner, "create role r3")
        .await
        .expect_err("dropped before");
    assert!(e.outcome_unknown(), "{e:?}");
    let e = run(&owner, "create role r4").await.expect_err("503");
    assert_eq!(service(&e).1, "ServiceUnavailable");
    // r2 was applied, r3 and r4 were not.
    let roles: Vec<String> = owner
        .list_roles("sales")
        .await
        .expect("roles")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert!(roles.contains(&"r2".to_owned()), "{roles:?}");
    assert!(
        !roles.contains(&"r3".to_owned()) && !roles.contains(&"r4".to_owned()),
        "{roles:?}"
    );

    owner.list_users("sales").await.expect("a delayed read");
    let log = lines.lock().map(|v| v.clone()).unwrap_or_default();
    let faulted: Vec<&String> = log.iter().filter(|l| l.contains("\"fault\"")).collect();
    assert!(
        faulted
            .iter()
            .any(|l| l.contains("drop-after") && l.contains("\"status\":null")),
        "{log:?}"
    );
    assert!(faulted.iter().any(|l| l.contains("delay=30ms")), "{log:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn the_request_log_has_ids_and_no_secrets() {
    let (server, lines) = server_with(|_| {}).await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    owner_setup(&owner).await;
    let etl = client_with(
        &server,
        Credentials::new("STS.etl-id", "Etl-S3cret-0004").with_sts_token("CAIS.Etl-T0ken-0005"),
        SigningMode::V2,
    );
    let _ = run(&etl, "whoami").await;
    let _ = run(&client(&server, "owner-id", "wrong"), "whoami").await;
    server.shutdown().await;
    let log = lines.lock().map(|v| v.clone()).unwrap_or_default();
    assert!(log.len() >= 6, "{log:?}");
    for line in &log {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        for field in [
            "ts",
            "method",
            "path",
            "status",
            "latency_ms",
            "request_id",
            "access_id",
        ] {
            assert!(v.get(field).is_some(), "{field} missing in {line}");
        }
        // RFC 3339 in UTC: 2026-08-05T06:00:00.123Z.
        let ts = v["ts"].as_str().unwrap_or_default();
        assert!(
            ts.len() == 24 && &ts[4..5] == "-" && &ts[10..11] == "T" && ts.ends_with('Z'),
            "{ts}"
        );
        for secret in SECRETS {
            assert!(!line.contains(secret), "{line}");
        }
        assert!(!line.contains("ODPS "), "signature in {line}");
    }
    assert!(
        log.iter()
            .any(|l| l.contains("\"access_id\":\"STS.etl-id\""))
    );
    assert!(
        log.iter()
            .any(|l| l.contains("\"status\":401") && l.contains("SignatureNotMatch"))
    );
}

#[tokio::test]
async fn shutdown_lets_requests_in_flight_finish() {
    let (server, _) = server_with(|c| {
        c.faults = Faults::parse("authorization:delay=300ms").expect("faults");
    })
    .await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    let in_flight = tokio::spawn(async move { run(&owner, "add accountprovider ram").await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let addr = server.local_addr();
    server.shutdown().await;
    assert_eq!(in_flight.await.expect("task").expect("finished"), "{}");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening"
    );
}

#[tokio::test]
async fn state_persists_in_the_store_and_is_shared_with_it() {
    let dir = std::env::temp_dir().join(format!(
        "mcauth-serve-test-{}-{}",
        std::process::id(),
        fastrand_suffix()
    ));
    let path = dir.join("store.db");
    let accounts = || Accounts::parse(ACCOUNTS, "accounts.toml").expect("valid");
    let mk = |p: &std::path::Path| {
        let mut c = ServeConfig::new(
            "127.0.0.1:0".parse().expect("addr"),
            StoreLocation::Path(p.to_owned()),
            accounts(),
        );
        c.request_log = RequestLog::Off;
        c
    };
    let server = start(mk(&path)).await.expect("starts");
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    owner_setup(&owner).await;
    server.shutdown().await;

    // Another writer on the same file (as `mcauth --store` would be).
    {
        let mut store = mcauth_store::Store::open(&path).expect("open");
        let owner_id = mcauth_engine::PrincipalId::aliyun("acme@example.com");
        let mut project = store.project("sales", &owner_id).expect("project");
        let mut batch = store.begin(&mut project).expect("begin");
        batch
            .record(
                "create role from_cli;",
                &[mcauth_engine::Change::CreateRole {
                    role: mcauth_engine::RoleName::new("from_cli"),
                    role_type: mcauth_engine::RoleType::Resource,
                    comment: None,
                }],
            )
            .expect("record");
        batch.commit().expect("commit");
    }

    let server = start(mk(&path)).await.expect("restarts");
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    assert_eq!(
        run(&owner, "list users").await.expect("list"),
        r#"["RAM$acme@example.com:alice"]"#
    );
    let roles: Vec<String> = owner
        .list_roles("sales")
        .await
        .expect("roles")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert!(roles.contains(&"from_cli".to_owned()), "{roles:?}");

    // A writer that commits while the server runs: the server's state in
    // memory is stale until its next write transaction catches up, and
    // the statement is checked again against what that replayed.
    {
        let mut store = mcauth_store::Store::open(&path).expect("open");
        let owner_id = mcauth_engine::PrincipalId::aliyun("acme@example.com");
        let mut project = store.project("sales", &owner_id).expect("project");
        let mut batch = store.begin(&mut project).expect("begin");
        batch
            .record(
                "create role meanwhile;",
                &[mcauth_engine::Change::CreateRole {
                    role: mcauth_engine::RoleName::new("meanwhile"),
                    role_type: mcauth_engine::RoleType::Resource,
                    comment: None,
                }],
            )
            .expect("record");
        batch.commit().expect("commit");
    }
    // A read catches up too, and sees it.
    let listed = run_text(&owner, "list roles").await.expect("list roles");
    assert!(listed.contains("meanwhile"), "{listed}");
    let again = run(&owner, "create role meanwhile").await;
    let (status, code, message) = service(&again.expect_err("already made by the other writer"));
    assert_eq!(
        (status, code.as_str()),
        (409, "ObjectAlreadyExists"),
        "{message}"
    );
    let roles: Vec<String> = owner
        .list_roles("sales")
        .await
        .expect("roles")
        .into_iter()
        .map(|r| r.name)
        .filter(|r| r == "meanwhile")
        .collect();
    assert_eq!(roles, ["meanwhile"]);
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn fastrand_suffix() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

#[tokio::test]
async fn refuses_non_loopback_addresses() {
    let config = ServeConfig::new(
        "0.0.0.0:0".parse().expect("addr"),
        StoreLocation::Memory,
        Accounts::dev_default(),
    );
    let e = start(config).await.expect_err("refused");
    assert_eq!(e.code(), "mcauth::serve::not_loopback");
}

#[tokio::test]
async fn the_default_setup_works_out_of_the_box() {
    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        StoreLocation::Memory,
        Accounts::dev_default(),
    );
    config.request_log = RequestLog::Off;
    let server = start(config).await.expect("starts");
    let mut cc = ClientConfig::new(
        server.endpoint(),
        "dev",
        Credentials::new("dev-access-id", "dev-access-secret"),
    );
    cc.retry = RetryPolicy::none();
    let c = Client::new(cc).expect("client");
    let who = c
        .run_security_query("dev", &SecurityQuery::new("whoami"), std::future::pending())
        .await
        .expect("whoami");
    assert!(who.contains("ALIYUN$dev@example.com"), "{who}");
    let banner = mcauth_serve::banner(
        &server,
        &Accounts::dev_default(),
        &StoreLocation::Memory,
        &mcauth_serve::BannerMode::default(),
    );
    assert!(
        banner.contains("dev-access-id") && banner.contains("dev-access-secret"),
        "{banner}"
    );
    assert!(banner.contains(&server.endpoint()), "{banner}");
    let configured = Accounts::parse(ACCOUNTS, "a").expect("valid");
    let banner = mcauth_serve::banner(
        &server,
        &configured,
        &StoreLocation::Memory,
        &mcauth_serve::BannerMode::default(),
    );
    for secret in SECRETS {
        assert!(!banner.contains(secret), "{banner}");
    }
    assert!(banner.contains("owner-id"), "{banner}");
    server.shutdown().await;
}
