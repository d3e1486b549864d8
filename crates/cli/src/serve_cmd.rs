//! `mcauth serve`: the thin adapter from the command line to
//! `mcauth_serve` (which holds all of the emulator).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::{ColorChoice, ErrorFormat, TargetArgs};
use crate::exit;

/// Run a local MaxCompute security endpoint (an emulator for development and
/// CI) on the embedded store. Without --accounts it serves project `dev`,
/// owned by ALIYUN$dev@example.com, with the well-known test AccessKey
/// dev-access-id / dev-access-secret. Stops on Ctrl-C or SIGTERM.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback only; port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Accounts, RAM users and roles, AccessKeys and projects (see examples/accounts.toml).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,

    /// Answer statements that change the project with 201 and an instance id
    /// that clients poll (install/uninstall package always are; reads never).
    #[arg(long = "async")]
    pub async_mode: bool,

    /// Inject faults for tests, e.g. "authorization:503:every=3,drop-after:once"
    /// (TARGET:ACTION[:WHEN][,…][;…]; targets authorization, poll, users, roles,
    /// project, tenants, all; actions a status 400-599, delay=<N>ms, drop-before,
    /// drop-after; WHEN always, once, every=N, first=N, nth=N).
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,

    /// Do not write the request log (one JSON line per request) to standard error.
    #[arg(long)]
    pub no_request_log: bool,

    /// Connections open at once; one more is answered 503 and closed.
    #[arg(long, value_name = "N", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Seconds a connection may wait for a request head (idle between
    /// requests, or sending one slowly) before it is closed.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,

    /// Seconds a request body may take once its head is in (then 408).
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,

    /// How to print an error that stops the emulator from starting: fancy,
    /// plain (`mcauth: error[code]: message`), json (one object on
    /// stdout). auto is fancy on a terminal, plain otherwise.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,
}

pub fn run(args: &ServeArgs, target: &TargetArgs, color: ColorChoice) -> ExitCode {
    // The emulator has no remote side: only the store's own rule applies
    // (a named store's folder must exist).
    let store = crate::target::StoreChoice::of(target.store.as_deref());
    let store = match store.ready() {
        Ok(path) => path.to_owned(),
        Err(message) => {
            eprintln!("mcauth: {message}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    match serve(args, store) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(e, args.error_format, color);
            ExitCode::from(exit::CONFIG)
        }
    }
}

fn serve(args: &ServeArgs, store: PathBuf) -> Result<(), mcauth_serve::ServeError> {
    let accounts = match &args.accounts {
        Some(path) => mcauth_serve::Accounts::load(path)?,
        None => mcauth_serve::Accounts::dev_default(),
    };
    let mut config = mcauth_serve::ServeConfig::new(
        args.listen,
        mcauth_serve::StoreLocation::Path(store),
        accounts,
    );
    config.async_mode = args.async_mode;
    if let Some(spec) = &args.faults {
        config.faults = mcauth_serve::Faults::parse(spec)?;
    }
    if args.no_request_log {
        config.request_log = mcauth_serve::RequestLog::Off;
    }
    config.limits = mcauth_serve::Limits {
        idle_timeout: std::time::Duration::from_secs(args.idle_timeout),
        body_timeout: std::time::Duration::from_secs(args.body_timeout),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
    };
    mcauth_serve::run(config, &mut std::io::stdout())
}

/// Prints why the emulator could not start, in the `--error-format` asked
/// for (auto: fancy on a terminal, plain otherwise).
fn report(e: mcauth_serve::ServeError, format: ErrorFormat, color: ColorChoice) {
    use std::io::IsTerminal;
    let terminal = std::io::stderr().is_terminal();
    let printer = crate::diagnostics::Printer::new(format, terminal, color.enabled(terminal));
    if printer.format == ErrorFormat::Fancy {
        // No source to point into: miette's own rendering of the message,
        // its code and help.
        eprintln!("{:?}", miette::Report::new(e));
        return;
    }
    printer.print("mcauth", None, &crate::diagnostics::Report::error(&e, None));
}
