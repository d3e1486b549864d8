//! `mcauth completions SHELL` and `mcauth man`: what a shell and `man`
//! need, made from the same command line clap parses (so they never
//! disagree with it).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::exit;

/// `mcauth completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Load it with e.g.
    /// `source <(mcauth completions bash)`, or save it where the shell
    /// looks: ~/.local/share/bash-completion/completions/mcauth,
    /// ~/.zfunc/_mcauth, ~/.config/fish/completions/mcauth.fish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `mcauth man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write a page per command (mcauth.1, mcauth-check.1, …) into DIR
    /// instead of printing mcauth(1) on standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs) -> ExitCode {
    let mut cmd = crate::usage::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "mcauth", &mut out);
    crate::io::write(crate::io::Stream::Stdout, &out);
    ExitCode::SUCCESS
}

pub fn man(args: &ManArgs) -> ExitCode {
    let cmd = crate::usage::command();
    if let Some(dir) = &args.dir {
        return match clap_mangen::generate_to(cmd, dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "mcauth: cannot write the man pages into {}: {e}",
                    dir.display()
                );
                ExitCode::from(exit::CONFIG)
            }
        };
    }
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
        eprintln!("mcauth: cannot render the man page: {e}");
        return ExitCode::from(exit::CONFIG);
    }
    crate::io::write(crate::io::Stream::Stdout, &out);
    ExitCode::SUCCESS
}
