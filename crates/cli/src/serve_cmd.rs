//! `mcauth serve`: the thin adapter from the command line to
//! `mcauth_serve` (which holds all of the emulator).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::TargetArgs;
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

    /// Answer security queries with 201 and an instance id that clients poll.
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
}

pub fn run(args: &ServeArgs, target: &TargetArgs) -> ExitCode {
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
            eprintln!("{:?}", miette::Report::new(e));
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
    mcauth_serve::run(config, &mut std::io::stdout())
}
