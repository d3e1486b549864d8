//! Start-up, the accept loop and shutdown.
//!
//! The accept loop is our own (hyper's HTTP/1 connections under a
//! graceful-shutdown watcher) so that `--faults` can close a connection
//! without answering, and so that SIGINT/SIGTERM stop accepting, let
//! requests in flight finish (at most 10 s) and then exit.
//!
//! Slow and idle clients cannot hold the server ([`Limits`]): a connection
//! must send each request's head within the idle timeout of becoming idle
//! (hyper's header-read timer, which runs from the moment a connection
//! waits for a request: on a new connection and after each answer), and
//! the body within the body timeout; at most
//! [`Limits::max_connections`] are open at once, and a connection past
//! that is answered `503 ServiceUnavailable` and closed.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use mcauth_engine::PrincipalId;
use mcauth_store::Store;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::accounts::{Accounts, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_SECRET};
use crate::api::{self, ConnInfo};
use crate::app::App;
use crate::error::ServeError;
use crate::faults::Faults;
use crate::log::{Entry, RequestLog, millis, timestamp};

/// How long shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// How many connections past [`Limits::max_connections`] may be waiting
/// for their `503` at once; beyond that they are closed unanswered.
const MAX_REFUSING: usize = 256;

/// How long a connection past the cap is given to send its request head
/// before it is answered `503` anyway.
const REFUSE_WAIT: Duration = Duration::from_millis(500);

/// What the server allows a client before it is cut off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How long a connection may wait for a request head: idle between
    /// requests, or sending one slowly. Default 30 s.
    pub idle_timeout: Duration,
    /// How long a request's body may take once its head is in. Default 30 s.
    pub body_timeout: Duration,
    /// Connections open at once; one more is answered `503` and closed.
    /// Default 4096.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_connections: 4096,
        }
    }
}

/// Where the emulator keeps its projects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// An mcauth store file (shareable with `mcauth --store`).
    Path(PathBuf),
    /// In memory, gone at exit (tests).
    Memory,
}

/// Everything `mcauth serve` is started with.
#[derive(Debug)]
pub struct ServeConfig {
    /// `--listen`: a loopback address; port 0 picks a free one.
    pub listen: SocketAddr,
    /// `--store`.
    pub store: StoreLocation,
    /// `--accounts`, or [`Accounts::dev_default`].
    pub accounts: Accounts,
    /// `--async`: statements that change the project answer 201 and must
    /// be polled (`install`/`uninstall package` always do; reads never).
    pub async_mode: bool,
    /// `--faults`.
    pub faults: Faults,
    /// Where the request log goes.
    pub request_log: RequestLog,
    /// Largest accepted `Date` skew. Default 15 minutes.
    pub max_clock_skew: Duration,
    /// Timeouts and the connection cap.
    pub limits: Limits,
}

impl ServeConfig {
    /// A synchronous server without faults, logging to standard error.
    pub fn new(listen: SocketAddr, store: StoreLocation, accounts: Accounts) -> Self {
        Self {
            listen,
            store,
            accounts,
            async_mode: false,
            faults: Faults::none(),
            request_log: RequestLog::Stderr,
            max_clock_skew: mcauth_odps::DEFAULT_MAX_CLOCK_SKEW,
            limits: Limits::default(),
        }
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    projects: Vec<(String, PrincipalId)>,
    /// The connection cap in force and the open-file limit, when that
    /// limit lowered the cap (see `crate::descriptors`).
    lowered: Option<(usize, u64)>,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>/api`, the endpoint to give clients.
    pub fn endpoint(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// The projects served, with the owners the store holds.
    pub fn projects(&self) -> &[(String, PrincipalId)] {
        &self.projects
    }

    /// The connections served at once, when the process's open-file
    /// limit (the second number) could not hold
    /// [`Limits::max_connections`]; `None` when the cap is as asked.
    pub fn connections_lowered_to(&self) -> Option<(usize, u64)> {
        self.lowered
    }

    /// Stops accepting, lets requests in flight finish (at most 10 s), and
    /// returns when the server is down.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Opens the store, loads (or creates) the projects and starts serving.
pub async fn start(config: ServeConfig) -> Result<Server, ServeError> {
    start_with(config, Vec::new()).await
}

/// [`start`], serving each connection on one of `conn_runtimes` in turn
/// (on the caller's runtime when there are none).
async fn start_with(
    config: ServeConfig,
    conn_runtimes: Vec<tokio::runtime::Handle>,
) -> Result<Server, ServeError> {
    if !config.listen.ip().is_loopback() {
        return Err(ServeError::NotLoopback {
            addr: config.listen,
        });
    }
    let store = match &config.store {
        StoreLocation::Path(p) => Store::open(p)?,
        StoreLocation::Memory => Store::open_in_memory()?,
    };
    let mut app = App::new(
        store,
        config.accounts,
        config.faults,
        config.async_mode,
        config.request_log,
    )?;
    app.verify.max_clock_skew = config.max_clock_skew;
    app.body_timeout = config.limits.body_timeout;
    let projects = app.owners();
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: config.listen,
        source,
    })?;
    let app = Arc::new(app);
    let router = api::router(app.clone());
    let fit = crate::descriptors::fit(config.limits.max_connections, MAX_REFUSING);
    let mut limits = config.limits;
    limits.max_connections = fit.max_connections;
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(accept_loop(
        Accepting {
            listener,
            router,
            app,
            limits,
            max_refusing: fit.max_refusing,
            conn_runtimes,
        },
        stopped,
    ));
    Ok(Server {
        addr,
        stop: Some(stop),
        task,
        projects,
        lowered: fit.lowered_by.map(|files| (fit.max_connections, files)),
    })
}

/// What the accept loop serves with.
struct Accepting {
    listener: TcpListener,
    router: axum::Router,
    app: Arc<App>,
    limits: Limits,
    /// Connections past the cap answered `503` at once (at most
    /// [`MAX_REFUSING`], fewer under a low open-file limit).
    max_refusing: usize,
    /// Runtimes to spread connections over (the caller's when empty).
    conn_runtimes: Vec<tokio::runtime::Handle>,
}

/// Counts a connection while it lives.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// Takes one of `limit` places, if one is free.
    fn take(count: &Arc<AtomicUsize>, limit: usize) -> Option<Slot> {
        count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(count.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn accept_loop(accepting: Accepting, mut stop: oneshot::Receiver<()>) {
    let Accepting {
        listener,
        router,
        app,
        limits,
        max_refusing,
        conn_runtimes,
    } = accepting;
    let graceful = GracefulShutdown::new();
    let open = Arc::new(AtomicUsize::new(0));
    let refusing = Arc::new(AtomicUsize::new(0));
    let mut next = 0usize;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    // Out of file descriptors and the like: wait, go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let Some(slot) = Slot::take(&open, limits.max_connections) else {
                    // Past the cap: a 503 if few are waiting for one,
                    // otherwise closed at once.
                    if let Some(refusal) = Slot::take(&refusing, max_refusing) {
                        tokio::spawn(refuse(stream, app.clone(), refusal));
                    }
                    continue;
                };
                let router = router.clone();
                let watcher = graceful.watcher();
                if conn_runtimes.is_empty() {
                    tokio::spawn(serve_connection(stream, peer, router, watcher, limits, slot));
                } else {
                    // Moved to its runtime's reactor there.
                    let Ok(stream) = stream.into_std() else { continue };
                    let handle = &conn_runtimes[next % conn_runtimes.len()];
                    next = next.wrapping_add(1);
                    handle.spawn(async move {
                        if let Ok(stream) = tokio::net::TcpStream::from_std(stream) {
                            serve_connection(stream, peer, router, watcher, limits, slot).await;
                        }
                    });
                }
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
}

/// Answers a connection past the cap with `503 ServiceUnavailable` (after
/// giving it a moment to send its request head, so that the client reads
/// the answer rather than a reset) and closes it.
async fn refuse(mut stream: tokio::net::TcpStream, app: Arc<App>, _slot: Slot) {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    let mut seen: Vec<u8> = Vec::new();
    let deadline = tokio::time::sleep(REFUSE_WAIT);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(4).any(|w| w == b"\r\n\r\n") || seen.len() > 64 * 1024 {
                        break;
                    }
                }
            },
            () = &mut deadline => break,
        }
    }
    let request_id = app.ids.request_id();
    let body = mcauth_odps::render_error(
        "ServiceUnavailable",
        "ODPS-0420061: Too many connections - the server is at its connection limit; retry later",
        &request_id,
        &app.host_id,
    );
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nx-odps-request-id: {request_id}\r\nx-mcauth-code: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
        body.len(),
        crate::error::ServeCode::TooManyConnections,
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(REFUSE_WAIT, write).await;
    app.log.write(&Entry {
        ts: timestamp(SystemTime::now()),
        method: "",
        path: "",
        status: Some(503),
        latency_ms: millis(start.elapsed()),
        request_id: &request_id,
        access_id: None,
        error: Some("ServiceUnavailable"),
        fault: None,
    });
}

/// One HTTP/1 connection, until it ends, the faults kill it, a timeout
/// closes it, or shutdown.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    watcher: hyper_util::server::graceful::Watcher,
    limits: Limits,
    _slot: Slot,
) {
    let kill = Arc::new(Notify::new());
    let info = ConnInfo {
        peer,
        kill: kill.clone(),
    };
    let service =
        hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(info.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout)
        .serve_connection(TokioIo::new(stream), service);
    let conn = watcher.watch(conn);
    tokio::select! {
        _ = conn => {}
        () = kill.notified() => {}
    }
}

/// What `mcauth serve` prints at start-up: the endpoint, the store, the
/// projects and the AccessKey IDs; for an accounts file also the region,
/// each account's id (for ARNs in RAM policies) and the policies attached
/// to RAM users and roles. The secret only for the default set-up, whose
/// credentials are well known; never a configured secret.
pub fn banner(
    server: &Server,
    accounts: &Accounts,
    store: &StoreLocation,
    config: &BannerMode,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "mcauth serve: listening on {}", server.endpoint());
    let _ = match store {
        StoreLocation::Path(p) => writeln!(out, "  store:    {}", p.display()),
        StoreLocation::Memory => writeln!(out, "  store:    in memory"),
    };
    for (name, owner) in server.projects() {
        let _ = writeln!(out, "  project:  {name} (owner {owner})");
    }
    if accounts.is_default_setup() {
        let _ = writeln!(out, "  access id:     {DEFAULT_ACCESS_ID}");
        let _ = writeln!(
            out,
            "  access secret: {DEFAULT_ACCESS_SECRET}   (the well-known default test credential; use --accounts FILE for your own)"
        );
    } else {
        for (id, principal) in accounts.access_ids() {
            let _ = writeln!(out, "  access id: {id} ({principal})");
        }
        let _ = writeln!(out, "  region:   {}", accounts.region());
        for a in accounts.accounts() {
            let _ = writeln!(
                out,
                "  account:  {} id {}{}",
                a.name,
                a.id,
                if a.derived {
                    " (derived from the name; set `id` in the accounts file to choose it)"
                } else {
                    ""
                }
            );
        }
        for (principal, policies) in accounts.ram_policies() {
            let _ = writeln!(
                out,
                "  policies: {principal}: {}",
                policies.names().join(", ")
            );
        }
    }
    if let Some((connections, files)) = server.connections_lowered_to() {
        let _ = writeln!(
            out,
            "  connections: at most {connections} at once (the open-file limit is {files}; raise it with `ulimit -n` for more)"
        );
    }
    let _ = writeln!(
        out,
        "  mode:     {}{}",
        if config.async_mode {
            "async (statements that change the project answer 201; poll)"
        } else {
            "sync"
        },
        if config.faults {
            ", faults injected"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "  PyODPS:   ODPS(access_id, secret, project, endpoint=\"{}\")",
        server.endpoint()
    );
    out
}

/// The parts of the configuration the banner mentions.
#[derive(Clone, Copy, Debug, Default)]
pub struct BannerMode {
    /// `--async`.
    pub async_mode: bool,
    /// Whether `--faults` was given.
    pub faults: bool,
}

/// Runs the emulator until SIGINT or SIGTERM: builds the runtime, starts
/// the server, writes the banner to `out`, waits, shuts down gracefully.
///
/// Connections are served on one single-threaded runtime per core, each
/// connection staying on the one it was given: a request then costs one
/// thread wake-up, where a shared work-stealing runtime wakes a second,
/// idle worker for every request as well.
pub fn run(config: ServeConfig, out: &mut dyn std::io::Write) -> Result<(), ServeError> {
    let single = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)
    };
    let runtime = single()?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (halt, halted) = tokio::sync::watch::channel(false);
    let mut handles = Vec::with_capacity(cores);
    let mut threads = Vec::with_capacity(cores);
    for _ in 0..cores {
        let rt = single()?;
        handles.push(rt.handle().clone());
        let mut halted = halted.clone();
        let thread = std::thread::Builder::new()
            .name("mcauth-serve".to_owned())
            .spawn(move || {
                rt.block_on(async move {
                    let _ = halted.wait_for(|h| *h).await;
                });
            })
            .map_err(ServeError::Runtime)?;
        threads.push(thread);
    }
    // What loading the accounts found worth saying (high-risk policies
    // attached to RAM users…) goes to standard error, like diagnostics.
    {
        use std::io::Write as _;
        let mut err = std::io::stderr().lock();
        for warning in config.accounts.warnings() {
            let _ = writeln!(err, "mcauth serve: {warning}");
        }
    }
    let result = runtime.block_on(async {
        let accounts = config.accounts.clone();
        let store = config.store.clone();
        let mode = BannerMode {
            async_mode: config.async_mode,
            faults: !config.faults.is_empty(),
        };
        let server = start_with(config, handles).await?;
        let _ = out.write_all(banner(&server, &accounts, &store, &mode).as_bytes());
        let _ = out.flush();
        let signal = wait_for_signal().await;
        let _ = writeln!(out, "mcauth serve: shutting down");
        let _ = out.flush();
        server.shutdown().await;
        signal
    });
    let _ = halt.send(true);
    for thread in threads {
        let _ = thread.join();
    }
    result
}

async fn wait_for_signal() -> Result<(), ServeError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(ServeError::Runtime)?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map_err(ServeError::Runtime),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(ServeError::Runtime)
    }
}
