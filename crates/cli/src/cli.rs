//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check and run MaxCompute (ODPS) project security statements.
#[derive(Debug, Parser)]
#[command(name = "mcauth", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub target: TargetArgs,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// When to use colour: auto follows the terminal and NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Print at most N diagnostics (syntax errors, failures, warnings) and
    /// count the rest; 0 prints all [default: 100 for fancy and plain,
    /// all for json].
    #[arg(long, value_name = "N", global = true)]
    pub max_diagnostics: Option<usize>,
}

/// Running statements: from a script, `-e`, standard input, or the REPL.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A script to run (the same as `-f SCRIPT`).
    pub script: Option<PathBuf>,

    /// Run the statements in FILE (`-` for standard input).
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "script"
    )]
    pub file: Option<PathBuf>,

    /// Run the statements given here, in single quotes so that the shell
    /// leaves `$` alone, e.g. -e 'add user RAM$acct:bob; list users;'.
    #[arg(short = 'e', long = "execute", value_name = "STATEMENTS", conflicts_with_all = ["script", "file"])]
    pub execute: Option<String>,

    /// Output format: text as odpscmd prints it, json (one object per
    /// statement), or csv / tsv (a header line and a row per item of each
    /// result; a change prints nothing).
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,

    /// Check every statement and print the plan; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// What to do when a statement fails: stop (the default for scripts:
    /// nothing runs unless every statement passes its checks) or continue
    /// (run those that pass).
    #[arg(long, value_enum)]
    pub on_error: Option<OnError>,

    /// Skip statements that fail only because what they make is already
    /// there (a member, a role, a role grant, a trusted project, a
    /// package, a group, a policy), reporting them as skipped: an
    /// onboarding script can then run again.
    #[arg(long)]
    pub skip_existing: bool,

    /// Do not ask before `remove`, `drop` and `purge` in the REPL.
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,

    /// Do not print OK for changes (query results and failures still print).
    #[arg(short, long, conflicts_with_all = ["verbose", "echo"])]
    pub quiet: bool,

    /// Print `file:line: statement` before each result, and a summary line
    /// at the end (-vv also logs each HTTP request to MaxCompute).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print `file:line: statement` before each result, and a summary line
    /// at the end (as -v).
    #[arg(long)]
    pub echo: bool,

    /// How to print syntax errors and failures.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,
}

/// Which project, where, and as whom.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The project to work on [default: the config file's project_name, or
    /// `default` on the embedded store, where it is created on first use].
    /// Repeat it (or use --projects) to run on several projects at once:
    /// a script, `export`, `plan` and `apply` then run for each, at most
    /// --jobs at a time. A name with `*` or `?` matches the projects the
    /// backend holds (the store's, or those MaxCompute lists).
    #[arg(long, env = "MCAUTH_PROJECT", global = true, action = clap::ArgAction::Append)]
    pub project: Vec<String>,

    /// A file naming projects to run on, one per line (`#` comments).
    #[arg(long, value_name = "FILE", global = true)]
    pub projects: Option<PathBuf>,

    /// How many projects to work on at once [default: 4].
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,

    /// The embedded store's file (or MCAUTH_STORE) [default:
    /// $XDG_DATA_HOME/mcauth/mcauth.db]. Its folder must exist. On the
    /// command line it beats an endpoint from MCAUTH_ENDPOINT or a config
    /// file.
    // MCAUTH_STORE is read by `target::StoreChoice`, not by clap, so that
    // the flag and the variable can be told apart: only the flag beats an
    // endpoint from the environment.
    #[arg(long, value_name = "PATH", global = true)]
    pub store: Option<PathBuf>,

    /// Run as this principal instead of the local identity (the project
    /// owner), e.g. --as 'RAM$acct:bob', to exercise who may do what. On
    /// the embedded store only: against MaxCompute the AccessKey decides.
    #[arg(long = "as", value_name = "PRINCIPAL", global = true)]
    pub as_principal: Option<String>,
}

/// Talking to MaxCompute instead of the embedded store. --endpoint or
/// --config sends statements to the service; so do MCAUTH_ENDPOINT and a
/// config file at $XDG_CONFIG_HOME/mcauth/odps_config.ini, unless --store
/// is given (with MCAUTH_STORE too, mcauth asks which). The AccessKey
/// secret comes only from ALIBABA_CLOUD_ACCESS_KEY_SECRET or the config
/// file, never a flag.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// The MaxCompute REST endpoint, e.g. http://service.cn-hangzhou.maxcompute.aliyun.com/api
    /// (or MCAUTH_ENDPOINT).
    #[arg(long, value_name = "URL", global = true)]
    pub endpoint: Option<String>,

    /// The AccessKey id (or ALIBABA_CLOUD_ACCESS_KEY_ID).
    #[arg(long, value_name = "ID", global = true)]
    pub access_id: Option<String>,

    /// An odpscmd-style odps_config.ini (project_name, access_id, access_key, end_point, …).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// How statement results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultFormat {
    Text,
    Json,
    Csv,
    Tsv,
}

impl From<OutputFormat> for ResultFormat {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Text => ResultFormat::Text,
            OutputFormat::Json => ResultFormat::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    Stop,
    Continue,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse statements and report every syntax error; run nothing.
    Check(CheckArgs),
    /// Print statements in canonical form, keeping comments in place.
    Fmt(FmtArgs),
    /// Lint RAM policy documents and simulate requests against them.
    Policy(crate::policy_cmd::PolicyArgs),
    /// Run a local emulator of MaxCompute's security endpoint (for PyODPS, odpscmd, tests).
    Serve(crate::serve_cmd::ServeArgs),
    /// Print a project's whole security state as a canonical script.
    Export(ExportArgs),
    /// Show the statements that take a project to the state a file describes.
    Plan(PlanArgs),
    /// Plan, confirm, and run the statements that take a project to a file's state.
    Apply(ApplyArgs),
    /// Compare two projects or two files, as the plan from the first to the second.
    Diff(DiffArgs),
    /// Why a principal may or may not use a privilege on an object: the
    /// decision and every layer consulted.
    Why(crate::explain::WhyArgs),
    /// Every principal that may use a privilege on an object, and how.
    WhoCan(crate::explain::WhoCanArgs),
    /// Find risky grants, roles and settings, each with the statement that fixes it.
    Audit(crate::explain::audit::AuditArgs),
    /// Check a file of expectations (`alice cannot Select on table sales(ssn)`).
    Test(crate::explain::test::TestArgs),

    /// Print a completion script for bash, zsh, fish or PowerShell.
    Completions(crate::shell::CompletionsArgs),
    /// Print the man page (roff), or write one per command with --dir.
    Man(crate::shell::ManArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write `DIR/<project>/<project>.sql` and the policy documents its
    /// `put policy` lines name (`DIR/<project>/policies/…`) instead of
    /// printing the script. Needed for several projects, and to keep
    /// policies.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// What a desired-state file manages, and how a plan is shown.
#[derive(Debug, Args)]
pub struct PlanScope {
    /// The kinds of fact the plan manages, e.g. users,roles,grants
    /// [default: the file's `-- mcauth: manage …` header, else the kinds
    /// the file names]. Kinds: providers, users, roles, role-grants,
    /// grants, flags, trusted-projects, packages, installs, labels,
    /// policies, tenant-users, tenant-roles, groups, project-properties,
    /// row-access-policies, masking-policies; `all` for every one.
    #[arg(long, value_name = "KINDS")]
    pub manage: Option<String>,

    /// Output format: text, or json (one object per project).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The desired state: scripts in the language of any script (an
    /// export, edited); several are read as one.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub scope: PlanScope,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The desired state (see `mcauth plan`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub scope: PlanScope,

    /// Apply without asking.
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,

    /// Allow steps that remove users, drop roles, purge grants or revoke
    /// administrators' roles when not asked at a terminal.
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The state to start from: a script file, or a project's name.
    pub from: String,

    /// The state to reach: a script file, or a project's name.
    pub to: String,

    #[command(flatten)]
    pub scope: PlanScope,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Script files; `-` or none reads standard input.
    pub files: Vec<PathBuf>,

    /// How to print diagnostics: fancy (with source snippets), plain
    /// (file:line:col: error[code]: message), json (one object per line
    /// on stdout). auto is fancy on a terminal, plain otherwise.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,

    /// Also check MaxCompute's rules against the project, where a run
    /// would write (the store, or MaxCompute when an endpoint is the
    /// target), as --dry-run would, without running anything.
    #[arg(long)]
    pub plan: bool,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Script files; `-` or none reads standard input.
    pub files: Vec<PathBuf>,

    /// Change nothing: print a unified diff of what formatting would
    /// change, and exit 1 if any file is not in canonical form.
    #[arg(long, conflicts_with = "write")]
    pub check: bool,

    /// Rewrite the files in place instead of printing them.
    #[arg(short, long)]
    pub write: bool,

    /// How to print syntax errors.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    Auto,
    Fancy,
    Plain,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that `is_terminal` says
    /// is (or is not) a terminal. NO_COLOR, when set and not empty, wins
    /// over auto.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
