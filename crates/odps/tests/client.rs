//! The REST client against a real HTTP server on 127.0.0.1 that verifies
//! every signature and injects faults (see `support`).

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mcauth_odps::{
    Client, Credentials, HttpEvent, OdpsError, PolicyTarget, RetryPolicy, SecurityQuery,
    SigningMode, Submission,
};
use support::{Fault, PROJECT, TestServer};

fn client(server: &TestServer) -> Client {
    Client::new(server.config()).expect("client")
}

fn never() -> std::future::Pending<()> {
    std::future::pending()
}

#[tokio::test]
async fn sync_security_query_is_signed_and_returns_the_result() {
    let server = TestServer::start().await;
    let result = client(&server)
        .run_security_query(PROJECT, &SecurityQuery::new("whoami"), never())
        .await
        .expect("whoami");
    assert!(result.contains("\"ID\": \"p4_123\""), "{result}");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.verified.as_deref(), Ok(support::ACCESS_ID));
    assert_eq!(s.path, "/api/projects/test_proj/authorization");
    assert_eq!(s.query.as_deref(), Some("curr_project=test_proj"));
    for h in ["date", "x-odps-user-agent", "user-agent", "content-type"] {
        assert!(s.headers.contains_key(h), "missing {h}");
    }
    assert!(!s.headers.contains_key("authorization-sts-token"));
    let body = server.shared.lock().bodies[0].clone();
    assert!(body.contains("<Query>whoami</Query>"), "{body}");
    assert!(body.contains("<ResponseInJsonFormat>true</ResponseInJsonFormat>"));
}

#[tokio::test]
async fn query_text_is_xml_escaped_and_settings_are_sent() {
    let server = TestServer::start().await;
    let q = SecurityQuery::new("grant r to user RAM$a@b.com:<x&y>")
        .json(false)
        .setting("odps.default.schema", "default");
    let sub = client(&server)
        .submit_security_query(PROJECT, &q)
        .await
        .expect("submit");
    assert_eq!(sub, Submission::Done("{}".into()));
    assert_eq!(server.applied(), vec!["grant r to user RAM$a@b.com:<x&y>"]);
    let body = server.shared.lock().bodies[0].clone();
    assert!(body.contains("&lt;x&amp;y&gt;"), "{body}");
    assert!(body.contains("<ResponseInJsonFormat>false</ResponseInJsonFormat>"));
    assert!(
        body.contains("<Settings>{&quot;odps.default.schema&quot;:&quot;default&quot;}</Settings>"),
        "{body}"
    );
}

#[tokio::test]
async fn v4_and_sts_requests_verify() {
    let server = TestServer::start().await;
    let mut config = server.config();
    config.credentials =
        Credentials::new(support::STS_ID, support::STS_SECRET).with_sts_token(support::STS_TOKEN);
    config.signing = SigningMode::V4 {
        region: "cn-local".into(),
        corporation: "aliyun".into(),
    };
    let c = Client::new(config).expect("client");
    c.list_users(PROJECT).await.expect("V4 + STS accepted");
    let seen = server.seen();
    assert_eq!(seen[0].verified.as_deref(), Ok(support::STS_ID));
    assert_eq!(seen[0].sts_token.as_deref(), Some(support::STS_TOKEN));
    let auth = seen[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(auth.contains("/cn-local/odps/aliyun_v4_request:"), "{auth}");
}

#[tokio::test]
async fn async_answer_is_polled_until_terminated() {
    let server = TestServer::start().await;
    server.shared.lock().async_running = Some(3);
    let result = client(&server)
        .run_security_query(PROJECT, &SecurityQuery::new("install package p.x"), never())
        .await
        .expect("async query");
    assert_eq!(result, r#"{"instance":"20240101000007ecc512a"}"#);
    assert_eq!(server.count("POST"), 1);
    assert_eq!(server.count("GET"), 4);
    assert!(server.seen().iter().all(|s| s.verified.is_ok()));
}

#[tokio::test]
async fn failed_async_query_is_query_failed() {
    let server = TestServer::start().await;
    server.shared.lock().async_running = Some(1);
    let e = client(&server)
        .run_security_query(
            PROJECT,
            &SecurityQuery::new("install package missing.x"),
            never(),
        )
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::QueryFailed { message, .. }) if message == "package not found"),
        "{e:?}"
    );
}

#[tokio::test]
async fn polling_stops_when_cancelled() {
    let server = TestServer::start().await;
    server.shared.lock().async_running = Some(usize::MAX);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let c = client(&server);
    let query = SecurityQuery::new("install package p.x");
    let run = c.run_security_query(PROJECT, &query, async {
        let _ = rx.await;
    });
    let cancel_after_a_poll = async {
        while server.count("GET") < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let _ = tx.send(());
    };
    let (e, ()) = tokio::join!(run, cancel_after_a_poll);
    let e = e.err();
    assert!(
        matches!(
            &e,
            Some(OdpsError::Cancelled {
                instance_id: Some(_),
                while_sending: false
            })
        ),
        "{e:?}"
    );
    assert!(!e.is_some_and(|e| e.outcome_unknown()));
}

#[tokio::test]
async fn error_body_becomes_a_typed_service_error() {
    let server = TestServer::start().await;
    let e = client(&server)
        .run_security_query(PROJECT, &SecurityQuery::new("fail this"), never())
        .await
        .err();
    let Some(OdpsError::Service(s)) = e else {
        panic!("expected a service error, got {e:?}");
    };
    assert_eq!(s.status, 400);
    assert_eq!(s.code, "InvalidParameter");
    assert_eq!(s.message, "ODPS-0130161: Parse exception - bad statement");
    assert_eq!(s.request_id.as_deref(), Some("ERRREQ0001"));
    assert_eq!(s.host_id.as_deref(), Some("localhost"));
    let shown = OdpsError::Service(s).to_string();
    assert!(
        shown.contains("RequestId ERRREQ0001") && shown.contains("HTTP 400"),
        "{shown}"
    );
}

#[tokio::test]
async fn gets_retry_503_and_succeed() {
    let server = TestServer::start().await;
    server.push(&[Fault::Status(503), Fault::Status(502)]);
    let users = client(&server).list_users(PROJECT).await.expect("users");
    assert_eq!(users.len(), 2);
    assert_eq!(server.count("GET"), 3);
}

#[tokio::test]
async fn gets_give_up_after_the_attempt_budget() {
    let server = TestServer::start().await;
    server.push(&[Fault::Status(503); 5]);
    let e = client(&server).list_roles(PROJECT).await.err();
    assert!(
        matches!(&e, Some(OdpsError::Service(s)) if s.status == 503),
        "{e:?}"
    );
    assert_eq!(server.count("GET"), 3);
}

#[tokio::test]
async fn get_dropped_connection_is_retried() {
    let server = TestServer::start().await;
    server.push(&[Fault::DropBefore, Fault::DropAfter]);
    let meta = client(&server).project_meta(PROJECT).await.expect("meta");
    assert_eq!(meta.owner.as_deref(), Some("ALIYUN$owner@test.com"));
    assert_eq!(server.count("GET"), 3);
}

#[tokio::test]
async fn get_timeouts_are_retried_then_reported() {
    let server = TestServer::start().await;
    server.push(&[Fault::Delay(Duration::from_secs(3)); 3]);
    let e = client(&server).list_users(PROJECT).await.err();
    assert!(
        matches!(&e, Some(OdpsError::Timeout { attempts: 3, .. })),
        "{e:?}"
    );
}

#[tokio::test]
async fn post_is_not_retried_on_503() {
    let server = TestServer::start().await;
    server.push(&[Fault::Status(503)]);
    let e = client(&server)
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::Service(s)) if s.status == 503),
        "{e:?}"
    );
    assert_eq!(server.count("POST"), 1);
    assert!(server.applied().is_empty());
}

#[tokio::test]
async fn post_with_gateway_error_is_outcome_unknown() {
    let server = TestServer::start().await;
    server.push(&[Fault::Status(504)]);
    let e = client(&server)
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(e.as_ref().is_some_and(OdpsError::outcome_unknown), "{e:?}");
    assert_eq!(server.count("POST"), 1);
}

#[tokio::test]
async fn post_dropped_before_handling_is_outcome_unknown_and_not_resent() {
    let server = TestServer::start().await;
    server.push(&[Fault::DropBefore]);
    let e = client(&server)
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::OutcomeUnknown { .. })),
        "{e:?}"
    );
    assert_eq!(server.count("POST"), 1);
    assert!(server.applied().is_empty());
}

#[tokio::test]
async fn post_dropped_after_handling_is_outcome_unknown_and_not_resent() {
    let server = TestServer::start().await;
    server.push(&[Fault::DropAfter]);
    let e = client(&server)
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::OutcomeUnknown { .. })),
        "{e:?}"
    );
    assert_eq!(server.count("POST"), 1);
    assert_eq!(server.applied(), vec!["add user RAM$x"]);
}

#[tokio::test]
async fn post_timeout_is_outcome_unknown() {
    let server = TestServer::start().await;
    server.push(&[Fault::Delay(Duration::from_secs(3))]);
    let e = client(&server)
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::OutcomeUnknown { .. })),
        "{e:?}"
    );
    assert_eq!(server.count("POST"), 1);
}

#[tokio::test]
async fn refused_connections_are_retried_then_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let c =
        Client::new(support::config_for(&format!("http://127.0.0.1:{port}/api"))).expect("client");
    let get = c.list_users(PROJECT).await.err();
    assert!(
        matches!(&get, Some(OdpsError::Transport { attempts: 3, .. })),
        "{get:?}"
    );
    // Nothing reached a server, so a POST is retried as well and is not "unknown".
    let post = c
        .submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
        .await
        .err();
    assert!(
        matches!(&post, Some(OdpsError::Transport { attempts: 3, .. })),
        "{post:?}"
    );
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let server = TestServer::start().await;
    let mut config = server.config();
    config.credentials = Credentials::new(support::ACCESS_ID, "Wrong-S3cret");
    config.retry = RetryPolicy::none();
    let e = Client::new(config)
        .expect("client")
        .list_users(PROJECT)
        .await
        .err();
    assert!(
        matches!(&e, Some(OdpsError::Service(s)) if s.code == "SignatureNotMatch" && s.status == 401),
        "{e:?}"
    );
}

#[tokio::test]
async fn planning_reads() {
    let server = TestServer::start().await;
    let c = client(&server);
    let users = c.list_users(PROJECT).await.expect("users");
    assert_eq!(users[1].display_name, "RAM$owner@test.com:alice");

    let alice = c
        .get_user(PROJECT, "RAM$owner@test.com:alice")
        .await
        .expect("alice");
    assert_eq!(alice.id, "p4_456");
    let last = server.seen().pop().expect("seen");
    assert_eq!(
        last.path,
        "/api/projects/test_proj/users/RAM%24owner%40test.com%3Aalice"
    );
    assert_eq!(
        last.query.as_deref(),
        Some("type=displayname&curr_project=test_proj")
    );

    let roles = c
        .user_roles(PROJECT, "ALIYUN$owner@test.com")
        .await
        .expect("roles");
    assert_eq!(
        roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["admin"]
    );
    assert!(
        c.user_roles(PROJECT, "RAM$owner@test.com:alice")
            .await
            .expect("roles")
            .is_empty()
    );

    let all_roles = c.list_roles(PROJECT).await.expect("roles");
    assert_eq!(all_roles.len(), 2);
    assert_eq!(all_roles[1].comment, "c");

    let holders = c.role_users(PROJECT, "admin").await.expect("holders");
    assert_eq!(holders[0].id, "p4_123");

    let meta = c.project_meta(PROJECT).await.expect("meta");
    assert_eq!(meta.name, PROJECT);
    assert_eq!(meta.state, "AVAILABLE");
    assert_eq!(
        meta.creation_time.as_deref(),
        Some("Mon, 01 Jan 2024 00:00:00 GMT")
    );

    let missing = c.get_user(PROJECT, "RAM$owner@test.com:nobody").await.err();
    assert!(
        missing.as_ref().is_some_and(OdpsError::is_not_found),
        "{missing:?}"
    );
    let no_project = c.project_meta("nosuch").await.err();
    assert!(
        no_project.as_ref().is_some_and(OdpsError::is_not_found),
        "{no_project:?}"
    );
    assert!(server.seen().iter().all(|s| s.verified.is_ok()));
}

#[tokio::test]
async fn logs_and_errors_never_show_secrets() {
    let server = TestServer::start().await;
    let mut config = server.config();
    config.credentials =
        Credentials::new(support::STS_ID, support::STS_SECRET).with_sts_token(support::STS_TOKEN);
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let c =
        Client::new(config)
            .expect("client")
            .with_log_hook(Arc::new(move |e: &HttpEvent<'_>| {
                sink.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(e.to_string());
            }));
    server.push(&[Fault::Status(503), Fault::DropAfter]);
    let mut shown = Vec::new();
    shown.push(format!("{:?}", c.list_users(PROJECT).await));
    shown.push(format!(
        "{:?}",
        c.submit_security_query(PROJECT, &SecurityQuery::new("add user RAM$x"))
            .await
    ));
    if let Err(e) = c
        .run_security_query(PROJECT, &SecurityQuery::new("fail"), never())
        .await
    {
        shown.push(format!("{e} {e:?}"));
    }
    shown.push(format!("{c:?}"));
    let logged = lines.lock().unwrap_or_else(|p| p.into_inner()).join("\n");
    assert!(
        logged.contains("Authorization: ODPS STS.test-id:***"),
        "{logged}"
    );
    assert!(logged.contains("authorization-sts-token: ***"), "{logged}");
    assert!(logged.contains("<- 503 GET"), "{logged}");
    // The signatures the server received must not appear in the log either.
    let signatures: Vec<String> = server
        .seen()
        .iter()
        .filter_map(|s| {
            s.headers
                .get("authorization")?
                .to_str()
                .ok()?
                .rsplit_once(':')
                .map(|(_, sig)| sig.to_owned())
        })
        .collect();
    assert!(!signatures.is_empty());
    let everything = format!("{logged}\n{}", shown.join("\n"));
    for secret in [support::STS_SECRET, support::STS_TOKEN] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
    for sig in signatures {
        assert!(
            !everything.contains(&sig),
            "signature leaked:\n{everything}"
        );
    }
}

#[tokio::test]
async fn policies_are_put_and_read_back_verbatim() {
    let server = TestServer::start().await;
    let c = client(&server);
    assert_eq!(
        c.get_policy(PROJECT, PolicyTarget::Project)
            .await
            .expect("get"),
        ""
    );
    let doc = "{\n  \"Version\": \"1\",\n  \"Statement\": []\n}\n";
    c.put_policy(PROJECT, PolicyTarget::Project, doc)
        .await
        .expect("put");
    let put = server.seen().pop().expect("seen");
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, "/api/projects/test_proj");
    assert_eq!(put.query.as_deref(), Some("policy=&curr_project=test_proj"));
    assert_eq!(put.verified.as_deref(), Ok(support::ACCESS_ID));
    assert_eq!(
        put.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(
        c.get_policy(PROJECT, PolicyTarget::Project)
            .await
            .expect("get"),
        doc
    );
    // Each target is its own document.
    assert_eq!(
        c.get_policy(PROJECT, PolicyTarget::Security)
            .await
            .expect("get"),
        ""
    );
    c.put_policy(PROJECT, PolicyTarget::Role("admin"), "{}")
        .await
        .expect("put role");
    assert_eq!(
        c.get_policy(PROJECT, PolicyTarget::Role("admin"))
            .await
            .expect("get role"),
        "{}"
    );
    assert!(server.seen().iter().all(|s| s.verified.is_ok()));
}

#[tokio::test]
async fn a_policy_put_is_retried_on_503_as_it_is_idempotent() {
    let server = TestServer::start().await;
    server.push(&[Fault::Status(503)]);
    client(&server)
        .put_policy(PROJECT, PolicyTarget::Security, "{}")
        .await
        .expect("put after a retry");
    assert_eq!(server.count("PUT"), 2);
}
