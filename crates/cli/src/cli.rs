//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check and run MaxCompute (ODPS) project security statements.
#[derive(Debug, Parser)]
#[command(name = "mcauth", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// When to use colour: auto follows the terminal and NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse statements and report every syntax error; run nothing.
    Check(CheckArgs),
    /// Print statements in canonical form, keeping comments in place.
    Fmt(FmtArgs),
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
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Script files; `-` or none reads standard input.
    pub files: Vec<PathBuf>,

    /// Print nothing; exit 1 if any file is not in canonical form.
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
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}
