//! The routes under `/api`, the request envelope (request id, faults,
//! error bodies, the request log) and authentication.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, RawQuery, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use mcauth_engine::{
    Caller, Change, Context, Failure, FailureCode, Flag, Output, PolicySlot, PrincipalId,
    ProjectState, RoleInfo, RoleName, StateView, check_in,
};
use mcauth_odps::{VerifyError, VerifyRequest, check_content_md5, verify};
use mcauth_policy::{Dialect, LineIndex, ParseOptions, lint_source};
use mcauth_store::StoreError;
use mcauth_syntax::SyntaxError;
use mcauth_syntax::ast::{
    FilePath, Ident, ProjectProperty, RawText, RoleRef, SetValue, Setting, Statement, StatementKind,
};
use serde::Deserialize;
use tokio::sync::Notify;

use crate::access;
use crate::accounts::Identity;
use crate::app::{InstanceStatus, Ran, SharedApp};
use crate::config;
use crate::error::ServeCode;
use crate::faults::FaultAction;
use crate::log::{Entry, access_id_of, millis, timestamp};
use crate::wire;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// Per-connection facts the accept loop puts in every request.
#[derive(Clone)]
pub(crate) struct ConnInfo {
    pub peer: SocketAddr,
    /// Notified to close the connection without answering.
    pub kill: Arc<Notify>,
}

/// An `<Error>` answer. Handlers return it; the envelope writes the body
/// with the request id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    /// `<Code>`.
    pub code: String,
    /// `<Message>`.
    pub message: String,
    /// mcauth's stable code (`mcauth::engine::…`), sent as `x-mcauth-code`.
    pub mcauth_code: Option<&'static str>,
    /// Whether the connection is closed after this answer.
    pub close: bool,
}

impl ApiError {
    fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_owned(),
            message: message.into(),
            mcauth_code: None,
            close: false,
        }
    }

    fn with_mcauth_code(mut self, code: &'static str) -> Self {
        self.mcauth_code = Some(code);
        self
    }

    /// The same error, closing the connection after it is sent.
    fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    pub(crate) fn no_such_project(project: &str) -> Self {
        Self::new(
            404,
            "NoSuchProject",
            format!("ODPS-0420111: Project not found - '{project}'."),
        )
        .with_mcauth_code(ServeCode::NoSuchProject.as_str())
    }

    /// A table the project does not declare (`crate::tables`).
    pub(crate) fn no_such_table(project: &str, table: &str) -> Self {
        Self::new(
            404,
            "NoSuchObject",
            format!(
                "ODPS-0130131: Table not found - '{project}.{}'.",
                wire::printable(table)
            ),
        )
        .with_mcauth_code("mcauth::serve::no_such_table")
    }

    pub(crate) fn not_in_project(project: &str) -> Self {
        Self::new(
            403,
            "NoPermission",
            format!(
                "ODPS-0420095: Access Denied - Authorization Failed [4002], You don't exist in project {project}."
            ),
        )
        .with_mcauth_code(FailureCode::CallerNotInProject.as_str())
    }

    /// Polling an instance someone else submitted, without the standing
    /// to read other people's.
    fn not_instance_owner(id: &str) -> Self {
        Self::new(
            403,
            "NoPermission",
            format!(
                "ODPS-0420095: Access Denied - instance {id} was submitted by someone else; only its submitter, the owner, Super_Administrator and Admin may read it"
            ),
        )
        .with_mcauth_code(ServeCode::NotInstanceOwner.as_str())
    }

    fn no_such_object(message: impl Into<String>) -> Self {
        Self::new(404, "NoSuchObject", message).with_mcauth_code(ServeCode::NotFound.as_str())
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidParameter", message)
            .with_mcauth_code(ServeCode::InvalidRequest.as_str())
    }

    fn unsupported(what: &str) -> Self {
        Self::new(
            400,
            "InvalidParameter",
            format!("ODPS-0420061: Invalid parameter in HTTP request - {what} is not supported"),
        )
        .with_mcauth_code(ServeCode::Unsupported.as_str())
    }

    pub(crate) fn store(e: StoreError) -> Self {
        let code = e.code().as_str();
        let (status, service_code) = match e {
            StoreError::Busy => (503, "ServiceUnavailable"),
            _ => (500, "InternalServerError"),
        };
        Self::new(
            status,
            service_code,
            format!("ODPS-0010000: System internal error - {e}"),
        )
        .with_mcauth_code(code)
    }

    pub(crate) fn internal(message: &str) -> Self {
        Self::new(
            500,
            "InternalServerError",
            format!("ODPS-0010000: System internal error - {message}"),
        )
        .with_mcauth_code(ServeCode::Internal.as_str())
    }

    fn injected(status: u16) -> Self {
        let code = match status {
            500 => "InternalServerError",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            429 => "QPSExceeded",
            _ => "InjectedFault",
        };
        Self::new(
            status,
            code,
            format!("injected by --faults (HTTP {status})"),
        )
        .with_mcauth_code(ServeCode::InjectedFault.as_str())
    }

    fn from_verify(e: &VerifyError) -> Self {
        Self::new(e.http_status(), e.service_code(), e.service_message())
            .with_mcauth_code(ServeCode::Authentication.as_str())
    }

    fn bad_sts_token() -> Self {
        Self::new(
            400,
            "InvalidParameter",
            "ODPS-0410051: Invalid credentials - invalid or missing security token",
        )
        .with_mcauth_code(ServeCode::Authentication.as_str())
    }

    /// An engine failure: MaxCompute's message, a status and `<Code>` by
    /// kind, and the engine's stable code in `x-mcauth-code`.
    pub(crate) fn from_failure(f: &Failure) -> Self {
        use FailureCode as F;
        let (status, code) = match f.code {
            F::CallerNotInProject | F::PermissionDenied => (403, "NoPermission"),
            F::UserAlreadyExists
            | F::RoleAlreadyExists
            | F::RoleAlreadyGranted
            | F::TrustedProjectExists
            | F::PackageExists
            | F::TenantUserExists
            | F::GroupExists
            | F::RowAccessPolicyExists
            | F::MaskingPolicyExists => (409, "ObjectAlreadyExists"),
            F::RoleNotFound
            | F::TrustedProjectNotFound
            | F::PackageNotFound
            | F::TenantUserNotFound
            | F::GroupNotFound
            | F::RowAccessPolicyNotFound
            | F::MaskingPolicyNotFound => (404, "NoSuchObject"),
            _ => (400, "InvalidParameter"),
        };
        Self::new(status, code, f.message.clone()).with_mcauth_code(f.code.as_str())
    }

    /// `put … policy FILE` as a security query: the server cannot read the
    /// client's file, and the body carries only the statement.
    fn policy_in_query(project: &str, statement: &Statement, file: &FilePath) -> Self {
        let rest = match &statement.kind {
            StatementKind::PutSecurityPolicy { .. } => {
                format!("PUT /api/projects/{project}?security_policy")
            }
            StatementKind::PutPolicy { role: Some(r), .. } if r.tenant => {
                "nothing: tenant role policies are not served over REST by mcauth serve".to_owned()
            }
            StatementKind::PutPolicy { role: Some(r), .. } => {
                format!("PUT /api/projects/{project}/roles/{}?policy", r.role.value)
            }
            _ => format!("PUT /api/projects/{project}?policy"),
        };
        Self::new(
            400,
            "InvalidParameter",
            format!(
                "ODPS-0420061: Invalid parameter - a security query cannot carry the policy file {}; send the document as the body of {rest} (mcauth --endpoint does this for `{statement}`)",
                file.value
            ),
        )
        .with_mcauth_code(FailureCode::PolicyDocumentMissing.as_str())
    }

    /// A policy document with an error finding: the first one, where it is.
    fn bad_policy(document: &[u8], errors: &[&mcauth_policy::Finding]) -> Option<Self> {
        let first = errors.first()?;
        let at = LineIndex::new(document).line_col(document, first.span.start);
        let more = match errors.len() {
            1 => String::new(),
            n => format!(" ({} more error(s) after it)", n - 1),
        };
        let help = first
            .help
            .as_deref()
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        Some(
            Self::new(
                400,
                "InvalidParameter",
                format!(
                    "ODPS-0420061: Invalid parameter - the policy document is refused: line {}, column {}: {} [{}]{help}{more}",
                    at.line, at.column, first.message, first.code
                ),
            )
            .with_mcauth_code(first.code.as_str()),
        )
    }

    /// A statement holding a control character (in a comment, a quoted
    /// name…): no answer could carry it back in XML, so it is refused
    /// before it is parsed or stored.
    fn control_character(query: &str, at: usize, c: char) -> Self {
        let mcauth_syntax::LineCol { line, column: col } = mcauth_syntax::line_col(query, at);
        Self::new(
            400,
            "ODPS-0130161",
            format!(
                "ODPS-0130161:[{line},{col}] Parse exception - the control character {} cannot appear in a statement (not in a comment or a quoted name either); remove it",
                wire::code_point(c)
            ),
        )
        .with_mcauth_code(ServeCode::ControlCharacter.as_str())
    }

    /// A syntax error: `ODPS-0130161`, which PyODPS maps to `ParseError`.
    fn parse(errors: &[SyntaxError], query: &str) -> Self {
        let message = match errors.first() {
            Some(e) => {
                let mcauth_syntax::LineCol { line, column: col } =
                    mcauth_syntax::line_col(query, e.span.start);
                format!(
                    "ODPS-0130161:[{line},{col}] Parse exception - {}",
                    e.message
                )
            }
            None => "ODPS-0130161: Parse exception - expected a statement".to_owned(),
        };
        let code = errors
            .first()
            .map_or(mcauth_syntax::ErrorCode::UnexpectedToken.as_str(), |e| {
                e.code.as_str()
            });
        Self::new(400, "ODPS-0130161", message).with_mcauth_code(code)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = self.status;
        resp.extensions_mut().insert(self);
        resp
    }
}

pub(crate) type ApiResult = Result<Response, ApiError>;

pub(crate) fn xml(status: StatusCode, body: String) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}

/// Store work (SQLite behind the app's mutex), run right here on the
/// runtime's worker rather than hopped to the blocking pool: a request
/// holds the store for tens of microseconds, less than the two thread
/// wake-ups a hop costs. Reads never wait in WAL mode; a write waits only
/// while another process holds the store's write lock.
async fn blocking<T>(f: impl FnOnce() -> Result<T, ApiError>) -> Result<T, ApiError> {
    f()
}

/// The whole application: `/api/…` behind the envelope and authentication.
pub(crate) fn router(app: SharedApp) -> Router {
    let api = Router::new()
        .route("/logview/host", get(logview_host))
        .route("/webconsole/host", get(not_found))
        .route("/tenants", get(tenants))
        .route("/projects", get(list_projects))
        .route("/projects/{p}", get(project_meta).put(project_put))
        .route(
            "/projects/{p}/auth",
            get(check_permission).post(check_permission),
        )
        .route(
            "/projects/{p}/auth/",
            get(check_permission).post(check_permission),
        )
        .route("/projects/{p}/logs", put(project_logs))
        .route("/projects/{p}/users", get(list_users))
        .route("/projects/{p}/users/{u}", get(get_user))
        .route("/projects/{p}/roles", get(list_roles))
        .route("/projects/{p}/roles/{r}", get(get_role).put(role_put))
        .route("/projects/{p}/tables/{t}", get(crate::tables::get_table))
        .route("/projects/{p}/authorization", post(security_query))
        .route("/projects/{p}/authorization/{id}", get(poll))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api", api)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .layer(middleware::from_fn_with_state(app.clone(), envelope))
        .with_state(app)
}

// ---------------------------------------------------------------- middleware

/// Request id, faults, `<Error>` bodies and the request log.
async fn envelope(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let request_id = app.ids.request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let access_id: Option<String> = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(access_id_of)
        .map(str::to_owned);
    let conn = req.extensions().get::<ConnInfo>().cloned();

    let below_api = path.strip_prefix("/api").unwrap_or(&path);
    let decision = app.faults.decide_request(&method, below_api);
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let log = |status: Option<u16>, error: Option<&str>| {
        app.log.write(&Entry {
            ts: timestamp(SystemTime::now()),
            method: method.as_str(),
            path: &path,
            status,
            latency_ms: millis(start.elapsed()),
            request_id: &request_id,
            access_id: access_id.as_deref(),
            error,
            fault: decision.label(),
        });
    };

    let mut resp = match decision.terminal {
        Some(FaultAction::Status(s)) => ApiError::injected(s).into_response(),
        Some(FaultAction::DropBefore) => {
            log(None, None);
            return drop_connection(conn).await;
        }
        _ => next.run(req).await,
    };
    if decision.terminal == Some(FaultAction::DropAfter) {
        log(None, None);
        return drop_connection(conn).await;
    }

    let error = resp.extensions_mut().remove::<ApiError>();
    if let Some(e) = &error {
        // Messages may echo the request (a path, a name): never a control
        // character into the XML.
        let body = mcauth_odps::render_error(
            &wire::printable(&e.code),
            &wire::printable(&e.message),
            &request_id,
            &app.host_id,
        );
        *resp.body_mut() = Body::from(body);
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml"),
        );
        if let Some(code) = e.mcauth_code.and_then(|c| HeaderValue::from_str(c).ok()) {
            headers.insert("x-mcauth-code", code);
        }
        if e.close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-odps-request-id", v);
    }
    log(
        Some(resp.status().as_u16()),
        error.as_ref().map(|e| e.code.as_str()),
    );
    resp
}

async fn drop_connection(conn: Option<ConnInfo>) -> Response {
    match conn {
        Some(c) => {
            c.kill.notify_one();
            // The connection task drops this future with the connection.
            std::future::pending::<Response>().await
        }
        None => ApiError::internal("cannot drop a connection here").into_response(),
    }
}

/// Verifies the signature (V2 or V4, 15 minutes of clock skew) and the STS
/// token, and hands the caller's identity to the handlers.
async fn authenticate(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    let vreq = VerifyRequest::from_http(req.method(), req.uri(), req.headers());
    let lookup = |id: &str| app.accounts.key(id).map(|k| k.secret.clone());
    let verified = match verify(&vreq, &lookup, &app.verify) {
        Ok(v) => v,
        Err(e) => return ApiError::from_verify(&e).into_response(),
    };
    let Some(key) = app.accounts.key(&verified.access_id) else {
        return ApiError::from_verify(&VerifyError::UnknownAccessKey {
            access_id: verified.access_id,
        })
        .into_response();
    };
    if let Some(expected) = &key.sts_token {
        let presented = verified.sts_token.as_ref().map(|t| t.expose().as_bytes());
        if !presented.is_some_and(|p| constant_time_eq(p, expected.expose().as_bytes())) {
            return ApiError::bad_sts_token().into_response();
        }
    }
    // A signed Content-MD5 must be the body's: otherwise the signature
    // would vouch for a body it does not cover. Without the header the
    // body is unsigned, as on MaxCompute.
    let md5 = req
        .headers()
        .get("content-md5")
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_owned());
    if let Some(md5) = md5 {
        let (parts, body) = req.into_parts();
        let bytes = match read_body(body, app.body_timeout).await {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        if let Err(e) = check_content_md5(&md5, &bytes) {
            return ApiError::from_verify(&e).into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(Arc::clone(&key.identity));
    next.run(req).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------- helpers

pub(crate) type Who = Extension<Arc<Identity>>;

/// Query parameters, form-decoded as the signature verifier's standard
/// reading decodes them (`+` is a space, then `%XX`), so that a handler
/// never reads a value other than the one that was signed; a bare `flag`
/// maps to "".
fn params(raw: Option<&str>) -> HashMap<String, String> {
    raw.unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(kv), String::new()),
        })
        .collect()
}

fn decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    let bytes = spaced.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let v = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(v as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a read statement given as text (one that names something from
/// the request) as the caller, so the engine's authority rules decide who
/// may read what. Fixed statements are built as trees (`Statement::new`)
/// and go to [`check_read_statement`] without being parsed.
fn check_read(state: &ProjectState, caller: &Caller, text: &str) -> Result<Output, ApiError> {
    let stmt =
        mcauth_syntax::parse_statement(text).map_err(|errors| ApiError::parse(&errors, text))?;
    check_read_statement(state, caller, &stmt)
}

fn check_read_statement(
    state: &ProjectState,
    caller: &Caller,
    stmt: &Statement,
) -> Result<Output, ApiError> {
    check_in(state, caller, &Context::default(), stmt)
        .map(|e| e.output)
        .map_err(|f| ApiError::from_failure(&f))
}

/// A user in the path: by id (`p4_…`) or display name, owner included.
fn resolve_user(state: &ProjectState, caller: &Caller, name: &str) -> Option<PrincipalId> {
    let mut everyone = state.members();
    everyone.extend(state.residues());
    everyone.push(state.owner());
    if name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("p4_"))
        && let Some(p) = everyone.iter().find(|p| wire::user_id(p) == name)
    {
        return Some((*p).clone());
    }
    let p = PrincipalId::parse(name, &caller.account)?;
    everyone.into_iter().find(|m| **m == p).cloned()
}

fn plain_role_name(r: &str) -> bool {
    !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------- handlers

async fn not_found(req: Request) -> ApiError {
    ApiError::no_such_object(format!("ODPS-0420111: Not found - '{}'.", req.uri().path()))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        405,
        "MethodNotAllowed",
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
}

async fn logview_host(headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let mut resp = Response::new(Body::from(format!("http://{host}/logview")));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

async fn tenants() -> Response {
    let mut resp = Response::new(Body::from("{}"));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

async fn project_logs(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path(p): Path<String>,
) -> ApiResult {
    blocking(move || app.admit(&p, &who)).await?;
    Ok(StatusCode::OK.into_response())
}

async fn project_meta(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path(p): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = params(q.as_deref());
    if let Some(target) = PolicyTarget::of_project(&q) {
        return policy_get(app, who, p, target).await;
    }
    if q.contains_key("security_configuration") {
        return configuration_get(app, who, p, true).await;
    }
    if q.contains_key("security_configuration_without_exception_policy") {
        return configuration_get(app, who, p, false).await;
    }
    let meta = blocking(|| app.meta(&p, &who)).await?;
    let mut resp = xml(
        StatusCode::OK,
        wire::project_xml(&p, app.accounts.region(), &meta.properties),
    );
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(meta.owner.as_str()) {
        h.insert("x-odps-owner", v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(meta.created)) {
        h.insert("x-odps-creation-time", v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(meta.modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    Ok(resp)
}

/// `GET /projects`: the projects the caller may see (see
/// `App::visible_projects`), filtered by `name` (a prefix) and `owner`,
/// `maxitems` at a time (default 100) after `marker` (the last name of the
/// page before; empty on the last page, which ends PyODPS's loop).
async fn list_projects(
    State(app): State<SharedApp>,
    Extension(who): Who,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = params(q.as_deref());
    let max_items = match q.get("maxitems") {
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|m| (1..=10_000).contains(m))
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "ODPS-0420061: Invalid parameter in HTTP request - maxitems must be a number from 1 to 10000, not '{}'",
                    wire::printable(m)
                ))
            })?,
        None => 100,
    };
    let prefix = q.get("name").map(|n| n.to_ascii_lowercase());
    let owner = q
        .get("owner")
        .map(|o| PrincipalId::parse(o, "").unwrap_or_else(|| PrincipalId::aliyun(o)));
    let marker = q.get("marker").cloned().unwrap_or_default();
    let visible = blocking(|| app.visible_projects(&who)).await?;
    let selected: Vec<&(String, crate::app::ProjectMeta)> = visible
        .iter()
        .filter(|(name, meta)| {
            prefix
                .as_deref()
                .is_none_or(|p| name.to_ascii_lowercase().starts_with(p))
                && owner.as_ref().is_none_or(|o| *o == meta.owner)
                && (marker.is_empty() || name.as_str() > marker.as_str())
        })
        .collect();
    let page: Vec<wire::ProjectEntry<'_>> = selected
        .iter()
        .take(max_items)
        .map(|(name, meta)| wire::ProjectEntry {
            name,
            owner: &meta.owner,
            created: meta.created,
            modified: meta.modified,
        })
        .collect();
    let next = if selected.len() > max_items {
        page.last().map_or("", |p| p.name)
    } else {
        ""
    };
    Ok(xml(
        StatusCode::OK,
        wire::projects_xml(&page, app.accounts.region(), next, max_items),
    ))
}

/// `GET`/`POST /projects/{p}/auth/`: the Java SDK's `checkPermission`,
/// answered by the engine's `check_access` for the caller, or for the
/// `Principal` the request names, which only the owner,
/// Super_Administrator and Admin may ask about.
async fn check_permission(
    State(app): State<SharedApp>,
    Extension(who): Who,
    method: http::Method,
    Path(p): Path<String>,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult {
    let question = if method == http::Method::POST {
        let bytes = read_body(body, app.body_timeout).await?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            ApiError::invalid(
                "ODPS-0420061: Invalid parameter in HTTP request - the body is not UTF-8",
            )
        })?;
        access::from_json(&p, text)
    } else {
        access::from_query(&p, &params(q.as_deref()))
    }
    .map_err(|access::BadQuestion(m)| ApiError::invalid(m))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            let principal = match &question.principal {
                Some(name) => {
                    let other = PrincipalId::parse(name, &caller.account).ok_or_else(|| {
                        ApiError::invalid(format!(
                            "ODPS-0420061: Invalid parameter in HTTP request - Principal '{}' is not a principal",
                            wire::printable(name)
                        ))
                    })?;
                    if other != caller.principal
                        && mcauth_engine::authority(state, caller) > mcauth_engine::Authority::Admin
                    {
                        return Err(ApiError::new(
                            403,
                            "NoPermission",
                            "ODPS-0420095: Access Denied - only the owner, Super_Administrator and Admin may check another principal's permission",
                        )
                        .with_mcauth_code(FailureCode::PermissionDenied.as_str()));
                    }
                    other
                }
                None => caller.principal.clone(),
            };
            let mut reasons = Vec::new();
            let mut allowed = true;
            for object in &question.objects {
                let owner = crate::tables::object_owner(&app.accounts, &p, object);
                let d = mcauth_engine::check_access(
                    state,
                    &principal,
                    object,
                    owner,
                    question.privilege,
                    now,
                );
                allowed &= d.allowed;
                if !reasons.contains(&d.reason) {
                    reasons.push(d.reason);
                }
            }
            Ok(wire::auth_xml(allowed, &reasons.join("; ")))
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

async fn list_users(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path(p): Path<String>,
) -> ApiResult {
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            match check_read_statement(
                state,
                caller,
                &Statement::new(StatementKind::ListUsers { tenant: false }),
            )? {
                Output::Users(users) => Ok(wire::users_xml(&users, |u| comment_of(state, u))),
                _ => Err(ApiError::internal("unexpected output of list users")),
            }
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

async fn get_user(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path((p, u)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = params(q.as_deref());
    let want_roles = q.contains_key("roles") || q.contains_key("role");
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            let user = resolve_user(state, caller, &u)
                .ok_or_else(|| ApiError::no_such_object(format!("User not found - '{u}'.")))?;
            if !want_roles {
                return Ok(wire::user_xml(&user, comment_of(state, &user).as_deref()));
            }
            let text = format!("show role grant {};", user.to_statement_text());
            match check_read(state, caller, &text)? {
                Output::Roles(roles) => Ok(roles_body(state, &roles, None)),
                _ => Err(ApiError::internal("unexpected output of show role grant")),
            }
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

/// A member's comment (`add user … comment '…'`).
fn comment_of(state: &ProjectState, user: &PrincipalId) -> Option<String> {
    state
        .policy(&PolicySlot::MemberComment(user.clone()))
        .map(str::to_owned)
}

/// The roles whose names start with `prefix` (PyODPS's
/// `roles.iterate(name=…)`; case-insensitive, as role names are), all
/// when it is `None`.
fn roles_body(state: &ProjectState, roles: &[RoleName], prefix: Option<&str>) -> String {
    let prefix = prefix.map(str::to_ascii_lowercase);
    let infos: Vec<(&str, Option<&RoleInfo>)> = roles
        .iter()
        .filter(|r| {
            prefix
                .as_deref()
                .is_none_or(|p| r.as_str().to_ascii_lowercase().starts_with(p))
        })
        .map(|r| (r.as_str(), state.role(r)))
        .collect();
    wire::roles_xml(infos.iter().map(|(n, i)| (*n, *i)))
}

async fn list_roles(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path(p): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let name = params(q.as_deref()).remove("name");
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            match check_read_statement(
                state,
                caller,
                &Statement::new(StatementKind::ListRoles { tenant: false }),
            )? {
                Output::Roles(roles) => Ok(roles_body(state, &roles, name.as_deref())),
                _ => Err(ApiError::internal("unexpected output of list roles")),
            }
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

async fn get_role(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path((p, r)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = params(q.as_deref());
    if q.contains_key("policy") {
        return policy_get(app, who, p, PolicyTarget::role(&r)?).await;
    }
    let want_users = q.contains_key("users") || q.contains_key("usesrs");
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            let name = RoleName::new(&r);
            let info = plain_role_name(&r)
                .then(|| state.role(&name))
                .flatten()
                .ok_or_else(|| ApiError::no_such_object(format!("Role not found - '{r}'.")))?;
            if !want_users {
                return Ok(wire::role_xml(name.as_str(), info));
            }
            match check_read(
                state,
                caller,
                &format!("show principals {};", name.as_str()),
            )? {
                Output::Principals(users) => Ok(wire::users_xml(&users, |u| comment_of(state, u))),
                _ => Err(ApiError::internal("unexpected output of show principals")),
            }
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

#[derive(Deserialize)]
struct AuthorizationBody {
    #[serde(rename = "Query", default)]
    query: Option<String>,
    #[serde(rename = "ResponseInJsonFormat", default)]
    json: Option<String>,
    #[serde(rename = "Settings", default)]
    settings: Option<String>,
}

async fn security_query(
    State(app): State<SharedApp>,
    Extension(who): Who,
    conn: Option<Extension<ConnInfo>>,
    Path(p): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    if params(q.as_deref()).contains_key("sign_bearer_token") {
        return Err(ApiError::unsupported("sign_bearer_token"));
    }
    let body = read_body(body, app.body_timeout).await?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("ODPS-0420031: Invalid XML - the body is not UTF-8"))?;
    let parsed: AuthorizationBody = quick_xml::de::from_str(text)
        .map_err(|e| ApiError::invalid(format!("ODPS-0420031: Invalid XML - {e}")))?;
    let query = parsed.query.unwrap_or_default();
    if query.trim().is_empty() {
        return Err(ApiError::invalid("ODPS-0420041: Missing parameter - Query"));
    }
    if let Some((at, c)) = wire::control_character(&query) {
        return Err(ApiError::control_character(&query, at, c));
    }
    let json = parsed
        .json
        .is_some_and(|j| j.trim().eq_ignore_ascii_case("true"));
    let mut ctx = Context {
        now: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok()),
        source_ip: conn.map(|Extension(c)| c.peer.ip().to_string()),
        endpoint: headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| format!("http://{h}/api")),
        ..Context::default()
    };
    if let Some(settings) = parsed.settings.filter(|s| !s.trim().is_empty()) {
        let map: HashMap<String, serde_json::Value> =
            serde_json::from_str(&settings).map_err(|e| {
                ApiError::invalid(format!(
                    "ODPS-0420061: Invalid parameter - Settings is not a JSON object: {e}"
                ))
            })?;
        ctx.schema = map
            .get(mcauth_engine::DEFAULT_SCHEMA)
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        // Schema mode, sent as "true"/"false" (or a JSON boolean).
        ctx.namespace_schema = match map.get(mcauth_engine::NAMESPACE_SCHEMA) {
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(serde_json::Value::String(v)) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(serde_json::Value::String(v)) if v.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
    }
    let statement = mcauth_syntax::parse_statement(&query)
        .map_err(|errors| ApiError::parse(&errors, &query))?;
    if let StatementKind::PutPolicy { file, .. } | StatementKind::PutSecurityPolicy { file } =
        &statement.kind
    {
        return Err(ApiError::policy_in_query(&p, &statement, file));
    }

    if crate::asynchrony::runs_asynchronously(&statement.kind, app.async_mode) {
        blocking(|| app.admit_for(&p, &who, &ctx, &statement)).await?;
        let id = app.new_instance(&p, &who.principal)?;
        let task_id = id.clone();
        let task_app = app.clone();
        // Runs on the blocking pool on its own; the client polls.
        drop(tokio::task::spawn_blocking(move || {
            let status = match task_app.execute(&p, &who, &ctx, &query, &statement) {
                Ok(Ran::Done(effect)) => InstanceStatus::Terminated(wire::result_text(
                    &effect.output,
                    json,
                    &who.principal,
                )),
                Ok(Ran::Failed(f)) => InstanceStatus::Failed(f.message),
                Err(e) => InstanceStatus::Failed(e.message),
            };
            task_app.finish_instance(&task_id, status);
        }));
        return Ok(xml(StatusCode::CREATED, wire::authorization_xml(&id)));
    }

    let principal = who.principal.clone();
    let ran = blocking(move || app.execute(&p, &who, &ctx, &query, &statement)).await?;
    match ran {
        Ran::Done(effect) => Ok(xml(
            StatusCode::OK,
            wire::authorization_xml(&wire::result_text(&effect.output, json, &principal)),
        )),
        Ran::Failed(f) => Err(ApiError::from_failure(&f)),
    }
}

async fn poll(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path((p, id)): Path<(String, String)>,
) -> ApiResult {
    // The submitter may always poll (an account-level statement needs no
    // membership); the owner, Super_Administrator and Admin may read
    // anyone's; anyone else sees only their own.
    let found = app.instance(&p, &id);
    if found.as_ref().is_none_or(|(_, by)| *by != who.principal) {
        let reads_others = blocking(|| app.reads_others_instances(&p, &who)).await?;
        if found.is_some() && !reads_others {
            return Err(ApiError::not_instance_owner(&id));
        }
    }
    let (status, _) =
        found.ok_or_else(|| ApiError::no_such_object(format!("Instance not found - '{id}'.")))?;
    let body = match status {
        InstanceStatus::Running => wire::poll_xml("", "Running"),
        InstanceStatus::Terminated(r) => wire::poll_xml(&r, "Terminated"),
        InstanceStatus::Failed(m) => wire::poll_xml(&m, "Failed"),
    };
    Ok(xml(StatusCode::OK, body))
}

// ---------------------------------------------------------------- policies

/// The key under which a PUT's body goes into `Context::documents`: the
/// engine stores the text given for the statement's file, and the store's
/// history shows `put policy "<request body>" …;`.
const BODY_KEY: &str = "<request body>";

/// Which policy document a REST call reads or writes
/// (docs/wire-protocol.md#policy-documents).
enum PolicyTarget {
    /// `/projects/{p}?policy`.
    Project,
    /// `/projects/{p}?security_policy`.
    Security,
    /// `/projects/{p}/roles/{r}?policy`.
    Role(String),
}

impl PolicyTarget {
    /// `?policy[=]` or `?security_policy[=]` on a project.
    fn of_project(q: &HashMap<String, String>) -> Option<Self> {
        if q.contains_key("policy") {
            Some(Self::Project)
        } else if q.contains_key("security_policy") {
            Some(Self::Security)
        } else {
            None
        }
    }

    /// A role named in a path: a 404 if it cannot be a role name.
    fn role(r: &str) -> Result<Self, ApiError> {
        if plain_role_name(r) {
            Ok(Self::Role(r.to_owned()))
        } else {
            Err(ApiError::no_such_object(format!("Role not found - '{r}'.")))
        }
    }

    /// Project and security policies name principals; a role's does not.
    fn dialect(&self) -> Dialect {
        match self {
            Self::Project | Self::Security => Dialect::Project,
            Self::Role(_) => Dialect::Role,
        }
    }

    /// `get policy …;`, or `put policy FILE …;` when `file` is given, built
    /// as a tree (a role name from a path is never parsed as text).
    fn statement(&self, file: Option<&str>) -> Statement {
        let role = |r: &String| RoleRef {
            tenant: false,
            role: Ident::new(r.clone()),
        };
        let file = file.map(|f| FilePath {
            value: f.to_owned(),
            span: mcauth_syntax::NodeSpan::default(),
        });
        Statement::new(match (self, file) {
            (Self::Project, None) => StatementKind::GetPolicy { role: None },
            (Self::Project, Some(file)) => StatementKind::PutPolicy { file, role: None },
            (Self::Security, None) => StatementKind::GetSecurityPolicy,
            (Self::Security, Some(file)) => StatementKind::PutSecurityPolicy { file },
            (Self::Role(r), None) => StatementKind::GetPolicy {
                role: Some(role(r)),
            },
            (Self::Role(r), Some(file)) => StatementKind::PutPolicy {
                file,
                role: Some(role(r)),
            },
        })
    }
}

/// Reads a body of at most [`MAX_BODY`] bytes within `timeout`; a client
/// that sends it slower gets `408` and the connection is closed.
async fn read_body(body: Body, timeout: Duration) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(ApiError::invalid(
            "ODPS-0420061: Invalid parameter in HTTP request - the request body is larger than 1 MiB or was cut short",
        )),
        Err(_) => Err(ApiError::new(
            408,
            "RequestTimeout",
            format!(
                "ODPS-0420061: Invalid parameter in HTTP request - the request body did not arrive within {} s",
                timeout.as_secs()
            ),
        )
        .with_mcauth_code(ServeCode::BodyTimeout.as_str())
        .closing()),
    }
}

/// `GET …?policy`: the stored document, verbatim (empty when none).
async fn policy_get(
    app: SharedApp,
    who: Arc<Identity>,
    p: String,
    target: PolicyTarget,
) -> ApiResult {
    let statement = target.statement(None);
    let text = format!("{statement};");
    let ran =
        blocking(move || app.execute(&p, &who, &Context::default(), &text, &statement)).await?;
    match ran {
        Ran::Done(effect) => match effect.output {
            Output::Policy(document) => {
                // A role without a policy answers an empty one: PyODPS's
                // `Role.policy` `json.loads` the body. A project's stays
                // empty, which PyODPS's `Project.policy` reads as None.
                let document = match target {
                    PolicyTarget::Role(_) if document.trim().is_empty() => {
                        EMPTY_ROLE_POLICY.to_owned()
                    }
                    _ => document,
                };
                let mut resp = Response::new(Body::from(document));
                resp.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                Ok(resp)
            }
            _ => Err(ApiError::internal("unexpected output of get policy")),
        },
        Ran::Failed(f) => Err(ApiError::from_failure(&f)),
    }
}

/// What `GET /roles/{r}?policy` answers for a role without a policy.
const EMPTY_ROLE_POLICY: &str = "{\"Statement\": [], \"Version\": \"1\"}";

/// `PUT …?policy` with the raw JSON document as the body: linted as
/// `mcauth policy lint` does (an error finding is a 400 naming it), then
/// stored through the engine as the caller, whose authority rules decide.
async fn policy_put(
    app: SharedApp,
    who: Arc<Identity>,
    p: String,
    target: PolicyTarget,
    body: Body,
) -> ApiResult {
    let bytes = read_body(body, app.body_timeout).await?;
    let document = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::invalid("ODPS-0420061: Invalid parameter - the policy document is not UTF-8")
    })?;
    if let Some((at, c)) = wire::control_character(document) {
        return Err(ApiError::invalid(format!(
            "ODPS-0420061: Invalid parameter in HTTP request - the policy document holds the control character {} at byte {at}; JSON answers must not carry it",
            wire::code_point(c)
        )));
    }
    // An empty body clears the policy (PyODPS's `project.policy = None`);
    // anything else must lint clean.
    let document = if document.trim().is_empty() {
        ""
    } else {
        let (_, findings) = lint_source(&bytes, &ParseOptions::dialect(target.dialect()));
        let errors: Vec<&mcauth_policy::Finding> =
            findings.iter().filter(|f| f.is_error()).collect();
        if let Some(e) = ApiError::bad_policy(&bytes, &errors) {
            return Err(e);
        }
        document
    };
    let statement = target.statement(Some(BODY_KEY));
    let text = format!("{statement};");
    let mut ctx = Context::default();
    ctx.documents
        .insert(BODY_KEY.to_owned(), document.to_owned());
    let ran = blocking(move || app.execute(&p, &who, &ctx, &text, &statement)).await?;
    match ran {
        Ran::Done(_) => Ok(StatusCode::OK.into_response()),
        Ran::Failed(f) => Err(ApiError::from_failure(&f)),
    }
}

/// `PUT /projects/{p}?policy`, `?security_policy` and
/// `?security_configuration`; without any of them, a `<Project>` document
/// whose `<Properties>` are set (odpscmd's `setproject`), checked by the
/// engine as that statement.
async fn project_put(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path(p): Path<String>,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult {
    let q = params(q.as_deref());
    if q.contains_key("security_configuration") {
        return configuration_put(app, who, p, body).await;
    }
    match PolicyTarget::of_project(&q) {
        Some(target) => policy_put(app, who, p, target, body).await,
        None => properties_put(app, who, p, body).await,
    }
}

/// `PUT /projects/{p}` with properties: the `setproject` they stand for.
async fn properties_put(app: SharedApp, who: Arc<Identity>, p: String, body: Body) -> ApiResult {
    let bytes = read_body(body, app.body_timeout).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::invalid("ODPS-0420031: Invalid XML - the body is not UTF-8"))?;
    let project = mcauth_odps::parse_project(text)
        .map_err(|e| ApiError::invalid(format!("ODPS-0420031: Invalid XML - {e}")))?;
    if project.properties.is_empty() {
        return Err(ApiError::unsupported(
            "PUT on a project without ?policy, ?security_policy or properties",
        ));
    }
    let properties = project
        .properties
        .into_iter()
        .map(|(key, value)| ProjectProperty {
            key: Ident::new(key),
            value: Some(RawText::new(value)),
        })
        .collect();
    let statement = Statement::new(StatementKind::SetProject { properties });
    let text = statement.to_string();
    let ran =
        blocking(move || app.execute(&p, &who, &Context::default(), &text, &statement)).await?;
    match ran {
        Ran::Done(_) => Ok(StatusCode::OK.into_response()),
        Ran::Failed(f) => Err(ApiError::from_failure(&f)),
    }
}

// ---------------------------------------------------------------- security configuration

/// The key under which a configuration `PUT`'s exception policy goes into
/// `Context::documents`.
const EXCEPTION_KEY: &str = "<exception policy of the request body>";

/// `GET /projects/{p}?security_configuration`: the flags from the state,
/// the exception policy (unless `exceptions` is false) and the fields the
/// rules do not interpret as they were put. Reading it needs what `show
/// securityconfiguration` needs.
async fn configuration_get(
    app: SharedApp,
    who: Arc<Identity>,
    p: String,
    exceptions: bool,
) -> ApiResult {
    let body = blocking(move || {
        app.read(&p, &who, |state, caller| {
            match check_read_statement(
                state,
                caller,
                &Statement::new(StatementKind::ShowSecurityConfiguration),
            )? {
                Output::SecurityConfiguration(shown) => Ok(config::render(
                    state,
                    shown.enable_download_privilege,
                    exceptions,
                )),
                _ => Err(ApiError::internal(
                    "unexpected output of show securityconfiguration",
                )),
            }
        })
    })
    .await?;
    Ok(xml(StatusCode::OK, body))
}

/// The statement's flag for an engine flag.
fn set_statement(flag: Flag, value: bool, exception: Option<&str>) -> Statement {
    Statement::new(StatementKind::Set {
        setting: Setting::Security(flag),
        value: SetValue::Bool(value),
        exception: exception.map(|f| FilePath {
            value: f.to_owned(),
            span: mcauth_syntax::NodeSpan::default(),
        }),
    })
}

/// `setproject odps.security.enabledownloadprivilege=…`: download
/// control, which the configuration's `EnableDownloadPrivilege` stands for.
fn download_statement(on: bool) -> Statement {
    Statement::new(StatementKind::SetProject {
        properties: vec![ProjectProperty {
            key: Ident::new(mcauth_engine::explain::DOWNLOAD_PROPERTY),
            value: Some(RawText::new(on.to_string())),
        }],
    })
}

/// `PUT /projects/{p}?security_configuration`: each modelled flag becomes
/// a `set` statement run as the caller (those the body leaves out are set
/// to what they are, so the authority rules always apply);
/// `ProjectProtection` carries its exception policy, linted as a project
/// policy; `EnableDownloadPrivilege` is a `setproject` of download
/// control; every other element is kept as it was put. All of it, or
/// none, in one transaction.
async fn configuration_put(app: SharedApp, who: Arc<Identity>, p: String, body: Body) -> ApiResult {
    let bytes = read_body(body, app.body_timeout).await?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::invalid("ODPS-0420031: Invalid XML in HTTP request body - the body is not UTF-8")
    })?;
    let update =
        config::parse_update(text).map_err(|config::BadDocument(m)| ApiError::invalid(m))?;
    let mut ctx = Context::default();
    if let Some((_, exceptions)) = &update.protection
        && !exceptions.is_empty()
    {
        let (_, findings) = lint_source(
            exceptions.as_bytes(),
            &ParseOptions::dialect(Dialect::Project),
        );
        let errors: Vec<&mcauth_policy::Finding> =
            findings.iter().filter(|f| f.is_error()).collect();
        if let Some(e) = ApiError::bad_policy(exceptions.as_bytes(), &errors) {
            return Err(e);
        }
        ctx.documents
            .insert(EXCEPTION_KEY.to_owned(), exceptions.clone());
    }
    let ran = blocking(move || {
        app.execute_all(
            &p,
            &who,
            &ctx,
            |view| {
                let mut statements = Vec::new();
                for flag in Flag::ALL {
                    if flag == Flag::ProjectProtection {
                        continue;
                    }
                    let value = update
                        .flags
                        .iter()
                        .rev()
                        .find(|(f, _)| *f == flag)
                        .map_or_else(|| view.flag(flag), |(_, v)| *v);
                    statements.push(set_statement(flag, value, None));
                }
                if let Some((protected, exceptions)) = &update.protection {
                    let value = protected.unwrap_or_else(|| view.flag(Flag::ProjectProtection));
                    let exception = (!exceptions.is_empty()).then_some(EXCEPTION_KEY);
                    statements.push(set_statement(Flag::ProjectProtection, value, exception));
                }
                if let Some(on) = update.download {
                    statements.push(download_statement(on));
                }
                statements
            },
            |view| {
                if update.extras.is_empty() {
                    return None;
                }
                let stored = view
                    .policy(&PolicySlot::ConfigurationExtras)
                    .unwrap_or_default();
                let merged = config::merged_extras(stored, &update.extras);
                (merged != stored).then(|| {
                    (
                        "-- PUT ?security_configuration: fields the rules do not interpret"
                            .to_owned(),
                        vec![Change::PutPolicy {
                            slot: PolicySlot::ConfigurationExtras,
                            document: merged,
                        }],
                    )
                })
            },
        )
    })
    .await?;
    match ran {
        Ran::Done(_) => Ok(StatusCode::OK.into_response()),
        Ran::Failed(f) => Err(ApiError::from_failure(&f)),
    }
}

/// `PUT /projects/{p}/roles/{r}?policy`.
async fn role_put(
    State(app): State<SharedApp>,
    Extension(who): Who,
    Path((p, r)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult {
    if !params(q.as_deref()).contains_key("policy") {
        return Err(ApiError::unsupported("PUT on a role without ?policy"));
    }
    policy_put(app, who, p, PolicyTarget::role(&r)?, body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters() {
        let q = params(Some("roles=&type=displayname&curr_project=p&usesrs"));
        assert_eq!(q.get("roles").map(String::as_str), Some(""));
        assert_eq!(q.get("type").map(String::as_str), Some("displayname"));
        assert!(q.contains_key("usesrs"));
        assert_eq!(decode("RAM%24a%40b%3Ac%zz"), "RAM$a@b:c%zz");
        // As the verifier reads a signed value: `+` is a space, `%2B` a plus.
        assert_eq!(decode("a+b%2Bc"), "a b+c");
        let signed = mcauth_odps::VerifyRequest::from_http(
            &http::Method::GET,
            &"/api/projects/p/roles?name=a+b%2Bc".parse().expect("uri"),
            &HeaderMap::new(),
        );
        // (The standard reading comes first; PyODPS's decodes twice.)
        let strings = mcauth_odps::candidate_strings(&signed, "/api");
        assert!(
            strings.first().is_some_and(|s| s.ends_with("?name=a b+c")),
            "{strings:?}"
        );
        assert!(params(None).is_empty());
    }

    #[test]
    fn failures_map_to_statuses_and_codes() {
        let f = |code| Failure::new(code, "m", mcauth_syntax::Span::at(0), "l", "h");
        let e = ApiError::from_failure(&f(FailureCode::PermissionDenied));
        assert_eq!((e.status.as_u16(), e.code.as_str()), (403, "NoPermission"));
        assert_eq!(e.mcauth_code, Some("mcauth::engine::permission_denied"));
        let e = ApiError::from_failure(&f(FailureCode::UserAlreadyExists));
        assert_eq!(
            (e.status.as_u16(), e.code.as_str()),
            (409, "ObjectAlreadyExists")
        );
        let e = ApiError::from_failure(&f(FailureCode::RoleNotFound));
        assert_eq!(e.status.as_u16(), 404);
        let e = ApiError::from_failure(&f(FailureCode::UserHoldsRoles));
        assert_eq!(
            (e.status.as_u16(), e.code.as_str()),
            (400, "InvalidParameter")
        );
        let e = ApiError::not_in_project("dev");
        assert!(e.message.starts_with("ODPS-0420095"), "{}", e.message);
    }

    #[test]
    fn role_names_in_paths() {
        assert!(plain_role_name("role_project_admin"));
        assert!(!plain_role_name("x; drop role y"));
        assert!(!plain_role_name(""));
    }

    #[test]
    fn parse_errors_point_at_the_spot() {
        let q = "grant foo to";
        let errors = mcauth_syntax::parse_statement(q).err().unwrap_or_default();
        let e = ApiError::parse(&errors, q);
        assert_eq!(e.code, "ODPS-0130161");
        assert!(e.message.starts_with("ODPS-0130161:[1,"), "{}", e.message);
        assert!(
            e.mcauth_code
                .is_some_and(|c| c.starts_with("mcauth::syntax::"))
        );
    }
}
