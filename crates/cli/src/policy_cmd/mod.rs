//! `mcauth policy lint` and `mcauth policy simulate`: RAM policies checked before the console
//! sees them.
//!
//! Exit codes follow `crate::exit`:
//! - `lint`: 0 when no finding is an error (warnings and notes are allowed), 1 when one is,
//!   2 when a file cannot be read at all (missing, a directory, no permission) or on a usage
//!   error. Bytes that are not UTF-8 or not JSON are *read*: they get an error finding with a
//!   position, like any other mistake in the file, and exit 1.
//! - `simulate`: 0 when every request was decided, whatever the decisions; 1 when `--expect`
//!   (or a batch line's `"expect"`) disagrees with a decision; 2 when a policy cannot be read
//!   or has error findings, a system policy is unknown, or a request is malformed.

mod lint;
pub(crate) mod render;
mod simulate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::cli::{ColorChoice, ErrorFormat};

/// `mcauth policy ...`
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Report mistakes in RAM policy documents: unknown actions, resources that match no
    /// ARN, unsupported condition keys, shadowed statements, over-broad grants.
    Lint(LintArgs),
    /// Decide a request against policies as RAM would, and say which statement decided.
    Simulate(SimulateArgs),
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Policy files (JSON); `-` or none reads standard input.
    pub files: Vec<PathBuf>,

    /// text: diagnostics on stderr (fancy or plain, see --error-format) and a summary;
    /// json: one object per finding on stdout, with file, line, column and byte offsets.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// How to print findings in text format: fancy (with source snippets) or plain
    /// (file:line:col: severity[code]: message). auto is fancy on a terminal, plain
    /// otherwise; json is the same as --format json.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,

    /// The policy language: ram (attached to RAM users, groups and roles) or project
    /// (MaxCompute project-level policies, whose statements carry `Principal`). There is no
    /// `--project` shorthand: `--project NAME` is the global option naming a project.
    #[arg(long, value_enum, default_value_t = DialectArg::Ram)]
    pub dialect: DialectArg,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A custom RAM policy file; repeat for several. `-` reads standard input (not with a
    /// batch).
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,

    /// A system policy by name, e.g. AliyunMaxComputeReadOnlyAccess; repeat for several.
    #[arg(long = "system-policy", value_name = "NAME")]
    pub system_policies: Vec<String>,

    /// The action, e.g. odps:CreateProject. Without it, requests are read from standard
    /// input, one JSON object per line:
    /// {"action": "...", "resource": "...", "context": {"key": "value"}, "expect": "deny"}
    #[arg(long, requires = "resource")]
    pub action: Option<String>,

    /// The resource ARN, e.g. acs:odps:cn-hangzhou:12345:projects/prj_1.
    #[arg(long, requires = "action")]
    pub resource: Option<String>,

    /// A condition key and value, e.g. odps:Encryption=false; repeat for several values.
    #[arg(long = "context", value_name = "KEY=VALUE", requires = "action")]
    pub context: Vec<String>,

    /// text: the decision and every statement's part in it (one line per request in a
    /// batch); json: one object per request on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Exit 1 unless every decision is this: allow, deny (explicit or implicit),
    /// explicit-deny or implicit-deny. A batch line's own "expect" wins over it.
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,

    /// How to print findings in policies that cannot be simulated.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Auto)]
    pub error_format: ErrorFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// A RAM identity policy (the odps:* console actions of docs/seeds.md#ram-permissions).
    Ram,
    /// A MaxCompute project policy (`put policy FILE`): statements name a Principal.
    Project,
    /// A MaxCompute role policy (`put policy FILE on role R`): no Principal.
    Role,
}

/// An expected decision, for CI checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expect {
    Allow,
    Deny,
    ExplicitDeny,
    ImplicitDeny,
}

pub fn run(args: &PolicyArgs, color: ColorChoice) -> ExitCode {
    match &args.command {
        PolicyCommand::Lint(args) => lint::run(args, color),
        PolicyCommand::Simulate(args) => simulate::run(args, color),
    }
}
