//! A small MaxCompute stand-in on 127.0.0.1 for the client's integration
//! tests: it speaks the security subset, verifies every signature with
//! `mcauth_odps::verify`, and injects faults (error statuses, delays,
//! connections dropped before or after a request is handled, 201 answers).

#![allow(dead_code)] // Each test binary uses a different part of it.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::TokioIo;
use mcauth_odps::{
    ClientConfig, Credentials, PollPolicy, RetryPolicy, Secret, Timeouts, VerifyOptions,
    VerifyRequest, verify,
};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

pub const PROJECT: &str = "test_proj";
pub const ACCESS_ID: &str = "test-id";
pub const SECRET: &str = "Test-S3cret-Value-0123";
pub const STS_ID: &str = "STS.test-id";
pub const STS_SECRET: &str = "Sts-S3cret-Value-4567";
pub const STS_TOKEN: &str = "CAIS.Sts-T0ken-Value==";

/// One injected fault, consumed by the next request.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answer with this status and an `<Error>` body.
    Status(u16),
    /// Wait this long before handling.
    Delay(Duration),
    /// Close the connection without handling the request.
    DropBefore,
    /// Handle the request (apply it), then close the connection unanswered.
    DropAfter,
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    /// `Ok(access id)` or the verification error.
    pub verified: Result<String, String>,
    pub sts_token: Option<String>,
}

#[derive(Default)]
pub struct Inner {
    pub faults: VecDeque<Fault>,
    pub seen: Vec<Seen>,
    /// Statements applied by `POST .../authorization`, in order.
    pub applied: Vec<String>,
    /// Raw bodies of those POSTs.
    pub bodies: Vec<String>,
    /// `Some(n)`: security queries answer 201 and polls say `Running` n times.
    pub async_running: Option<usize>,
    /// Polls answered so far for the current instance.
    pub polls: usize,
    /// Policy documents by `path?key`, as PUT.
    pub policies: std::collections::BTreeMap<String, String>,
}

pub struct Shared {
    inner: Mutex<Inner>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running server; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new()
            .route("/api/projects/{p}", get(project_or_policy).put(put_policy))
            .route("/api/projects/{p}/authorization", post(security_query))
            .route("/api/projects/{p}/authorization/{id}", get(poll))
            .route("/api/projects/{p}/users", get(users))
            .route("/api/projects/{p}/users/{u}", get(user))
            .route("/api/projects/{p}/roles", get(roles))
            .route(
                "/api/projects/{p}/roles/{r}",
                get(role_or_policy).put(put_role_policy),
            )
            .layer(middleware::from_fn_with_state(shared.clone(), gate))
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(accept_loop(listener, router));
        Self { addr, shared, task }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// A client configuration with short, test-sized policies.
    pub fn config(&self) -> ClientConfig {
        config_for(&self.endpoint())
    }

    pub fn push(&self, faults: &[Fault]) {
        self.shared.lock().faults.extend(faults.iter().cloned());
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().seen.clone()
    }

    pub fn count(&self, method: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method).count()
    }

    pub fn applied(&self) -> Vec<String> {
        self.shared.lock().applied.clone()
    }
}

pub fn config_for(endpoint: &str) -> ClientConfig {
    let mut c = ClientConfig::new(endpoint, PROJECT, Credentials::new(ACCESS_ID, SECRET));
    c.timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(500),
    };
    c.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_total: Duration::from_secs(10),
    };
    c.poll = PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_wait: None,
    };
    c
}

/// Lets a handler close its connection.
#[derive(Clone)]
struct ConnKill(Arc<Notify>);

async fn accept_loop(listener: TcpListener, router: Router) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let router = router.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let handle = ConnKill(kill.clone());
            let svc = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(handle.clone());
                    let router = router.clone();
                    async move { Ok::<_, Infallible>(router.oneshot(req).await.into_response()) }
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                () = kill.notified() => {}
            }
        });
    }
}

fn lookup(id: &str) -> Option<Secret> {
    match id {
        ACCESS_ID => Some(Secret::new(SECRET)),
        STS_ID => Some(Secret::new(STS_SECRET)),
        _ => None,
    }
}

/// Records and verifies every request, then applies the next fault.
async fn gate(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let vreq = VerifyRequest::from_http(req.method(), req.uri(), req.headers());
    let result = verify(&vreq, &lookup, &VerifyOptions::default());
    let seen = Seen {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        query: req.uri().query().map(str::to_owned),
        headers: req.headers().clone(),
        verified: result
            .as_ref()
            .map(|v| v.access_id.clone())
            .map_err(ToString::to_string),
        sts_token: result
            .as_ref()
            .ok()
            .and_then(|v| v.sts_token.as_ref().map(|t| t.expose().to_owned())),
    };
    let fault = {
        let mut inner = shared.lock();
        inner.seen.push(seen);
        inner.faults.pop_front()
    };
    if let Err(e) = result {
        return error(
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::UNAUTHORIZED),
            e.service_code(),
            &e.service_message(),
        );
    }
    let kill = req.extensions().get::<ConnKill>().cloned();
    match fault {
        None => next.run(req).await,
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            error(status, "ServiceUnavailable", "injected fault")
        }
        Some(Fault::Delay(d)) => {
            tokio::time::sleep(d).await;
            next.run(req).await
        }
        Some(Fault::DropBefore) => drop_connection(kill).await,
        Some(Fault::DropAfter) => {
            let _ = next.run(req).await;
            drop_connection(kill).await
        }
    }
}

async fn drop_connection(kill: Option<ConnKill>) -> Response {
    if let Some(ConnKill(k)) = kill {
        k.notify_one();
    }
    std::future::pending::<()>().await;
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn xml(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/xml"));
    h.insert("x-odps-request-id", HeaderValue::from_static("TESTREQ0001"));
    resp
}

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    xml(
        status,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message><![CDATA[{message}]]></Message><RequestId>ERRREQ0001</RequestId><HostId>localhost</HostId></Error>"
        ),
    )
}

fn query_of(body: &str) -> String {
    let start = body.find("<Query>").map_or(0, |i| i + "<Query>".len());
    let end = body.find("</Query>").unwrap_or(body.len());
    let raw = body.get(start..end).unwrap_or_default();
    quick_xml::escape::unescape(raw)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| raw.to_owned())
}

async fn security_query(
    State(shared): State<Arc<Shared>>,
    Path(_p): Path<String>,
    body: Bytes,
) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    let query = query_of(&body);
    let async_mode = {
        let mut inner = shared.lock();
        inner.bodies.push(body);
        if query.starts_with("fail") {
            None
        } else {
            inner.applied.push(query.clone());
            inner.polls = 0;
            Some(inner.async_running)
        }
    };
    match async_mode {
        None => error(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            "ODPS-0130161: Parse exception - bad statement",
        ),
        Some(Some(_)) => xml(
            StatusCode::CREATED,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Authorization><Result>20240101000007ecc512a</Result></Authorization>".into(),
        ),
        Some(None) => {
            let result = if query.starts_with("whoami") {
                r#"{"DisplayName": "ALIYUN$owner@test.com", "ID": "p4_123", "SourceIP": "127.0.0.1"}"#.to_owned()
            } else {
                "{}".to_owned()
            };
            xml(
                StatusCode::OK,
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Authorization><Result><![CDATA[{result}]]></Result></Authorization>"),
            )
        }
    }
}

async fn poll(
    State(shared): State<Arc<Shared>>,
    Path((_p, id)): Path<(String, String)>,
) -> Response {
    let (running, last) = {
        let mut inner = shared.lock();
        inner.polls += 1;
        let last = inner.applied.last().cloned().unwrap_or_default();
        (inner.polls <= inner.async_running.unwrap_or(0), last)
    };
    let (status, result) = if running {
        ("Running", String::new())
    } else if last.starts_with("install package missing") {
        ("Failed", "package not found".to_owned())
    } else {
        ("Terminated", format!("{{\"instance\":\"{id}\"}}"))
    };
    xml(
        StatusCode::OK,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuthorizationQuery><Result><![CDATA[{result}]]></Result><Status>{status}</Status></AuthorizationQuery>"
        ),
    )
}

const USERS: &[(&str, &str)] = &[
    ("p4_123", "ALIYUN$owner@test.com"),
    ("p4_456", "RAM$owner@test.com:alice"),
];

fn user_xml(id: &str, name: &str) -> String {
    format!("<User><ID>{id}</ID><DisplayName>{name}</DisplayName><Comment></Comment></User>")
}

async fn users(Path(_p): Path<String>) -> Response {
    let all: String = USERS.iter().map(|(i, n)| user_xml(i, n)).collect();
    xml(
        StatusCode::OK,
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Users>{all}</Users>"),
    )
}

async fn user(Path((_p, u)): Path<(String, String)>, req: Request) -> Response {
    let Some((id, name)) = USERS.iter().find(|(i, n)| *i == u || *n == u) else {
        return error(
            StatusCode::NOT_FOUND,
            "NoSuchObject",
            &format!("ODPS-0420111: User not found - '{u}'"),
        );
    };
    let wants_roles = req.uri().query().is_some_and(|q| {
        q.split('&')
            .any(|kv| kv == "roles" || kv.starts_with("roles="))
    });
    if wants_roles {
        let roles = if *id == "p4_123" {
            "<Role><Name>admin</Name></Role>"
        } else {
            ""
        };
        return xml(StatusCode::OK, format!("<Roles>{roles}</Roles>"));
    }
    xml(StatusCode::OK, user_xml(id, name))
}

async fn roles(Path(_p): Path<String>) -> Response {
    xml(
        StatusCode::OK,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Roles><Role><Name>admin</Name><Comment></Comment></Role><Role><Name>role_project_admin</Name><Comment>c</Comment></Role></Roles>".into(),
    )
}

async fn role(Path((_p, r)): Path<(String, String)>) -> Response {
    if r != "admin" {
        return error(
            StatusCode::NOT_FOUND,
            "NoSuchObject",
            "ODPS-0420111: Role not found",
        );
    }
    xml(
        StatusCode::OK,
        format!(
            "<Users>{}</Users>",
            user_xml("p4_123", "ALIYUN$owner@test.com")
        ),
    )
}

async fn project(Path(p): Path<String>) -> Response {
    if p != PROJECT {
        return error(
            StatusCode::NOT_FOUND,
            "NoSuchProject",
            &format!("ODPS-0420111: Project not found - '{p}'."),
        );
    }
    let mut resp = xml(
        StatusCode::OK,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Project><Name>{p}</Name><Type>managed</Type><Comment>c</Comment><ProjectGroupName>g</ProjectGroupName><State>AVAILABLE</State><Properties><Property><Name>odps.security.ip.whitelist</Name><Value></Value></Property></Properties><Region>cn-local</Region></Project>"
        ),
    );
    let h = resp.headers_mut();
    h.insert(
        "x-odps-owner",
        HeaderValue::from_static("ALIYUN$owner@test.com"),
    );
    h.insert(
        "x-odps-creation-time",
        HeaderValue::from_static("Mon, 01 Jan 2024 00:00:00 GMT"),
    );
    h.insert(
        "last-modified",
        HeaderValue::from_static("Tue, 02 Jan 2024 00:00:00 GMT"),
    );
    resp
}

/// `policy` or `security_policy` when the query names one.
fn policy_key(uri: &Uri) -> Option<&'static str> {
    let query = uri.query()?;
    query.split('&').find_map(|kv| match kv.split('=').next() {
        Some("policy") => Some("policy"),
        Some("security_policy") => Some("security_policy"),
        _ => None,
    })
}

fn stored_policy(shared: &Shared, key: String) -> Response {
    let doc = shared
        .lock()
        .policies
        .get(&key)
        .cloned()
        .unwrap_or_default();
    (StatusCode::OK, doc).into_response()
}

fn store_policy(shared: &Shared, key: Option<String>, body: Bytes) -> Response {
    let Some(key) = key else {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "PUT needs ?policy",
        );
    };
    let doc = String::from_utf8_lossy(&body).into_owned();
    shared.lock().policies.insert(key, doc);
    StatusCode::OK.into_response()
}

async fn project_or_policy(
    State(shared): State<Arc<Shared>>,
    Path(p): Path<String>,
    uri: Uri,
) -> Response {
    match policy_key(&uri) {
        Some(key) => stored_policy(&shared, format!("{p}?{key}")),
        None => project(Path(p)).await,
    }
}

async fn role_or_policy(
    State(shared): State<Arc<Shared>>,
    Path((p, r)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    match policy_key(&uri) {
        Some(key) => stored_policy(&shared, format!("{p}/roles/{r}?{key}")),
        None => role(Path((p, r))).await,
    }
}

async fn put_policy(
    State(shared): State<Arc<Shared>>,
    Path(p): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Response {
    store_policy(&shared, policy_key(&uri).map(|k| format!("{p}?{k}")), body)
}

async fn put_role_policy(
    State(shared): State<Arc<Shared>>,
    Path((p, r)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Response {
    store_policy(
        &shared,
        policy_key(&uri).map(|k| format!("{p}/roles/{r}?{k}")),
        body,
    )
}
