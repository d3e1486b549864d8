//! The command line as clap builds it, with each subcommand's help
//! listing only the options that subcommand reads.
//!
//! The options that say where statements go (`--store`, `--endpoint`,
//! `--as`, …), `--color` and `--max-diagnostics` are global, so they may
//! stand before or after a subcommand's name. clap then lists every one of
//! them under every subcommand; [`command`] hides, in each subcommand's
//! help, man page and completions, those it does not read.

use clap::{CommandFactory, FromArgMatches, Parser};

use crate::cli::Cli;

/// The global options each subcommand reads, by clap id. A subcommand not
/// named here (and `check`, which reads them all) lists every one.
const READS: &[(&str, &[&str])] = &[
    ("fmt", &["color", "max_diagnostics"]),
    ("policy", &["color"]),
    ("serve", &["store", "color"]),
    ("completions", &[]),
    ("man", &[]),
];

/// The command line, built, with each subcommand's unread global options
/// hidden.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    // Building propagates the global options into every subcommand, so
    // that they can be hidden there.
    cmd.build();
    let globals: Vec<String> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().to_string())
        .collect();
    for (name, reads) in READS {
        if cmd.find_subcommand(name).is_none() {
            continue;
        }
        let hide: Vec<String> = globals
            .iter()
            .filter(|g| !reads.contains(&g.as_str()))
            .cloned()
            .collect();
        cmd = cmd.mut_subcommand(name, |sc| hide_in(sc, &hide));
    }
    cmd
}

/// Hides `ids` in `cmd` and in its subcommands.
fn hide_in(cmd: clap::Command, ids: &[String]) -> clap::Command {
    let cmd = cmd.mut_args(|a| {
        if ids.iter().any(|id| a.get_id() == id.as_str()) {
            a.hide(true)
        } else {
            a
        }
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|sc| sc.get_name().to_owned())
        .collect();
    names.iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sc| hide_in(sc, ids))
    })
}

/// The subcommand `word` (a script name that is not a file) likely
/// misspells: `mcauth chek` reads `chek` as a script.
pub fn subcommand_guess(word: &str) -> Option<String> {
    let cmd = Cli::command();
    let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    mcauth_syntax::did_you_mean(word, names).map(str::to_owned)
}

/// Parses the process's arguments, exiting as clap does on a usage error
/// (2) or after `--help` and `--version` (0).
pub fn parse() -> Cli {
    use clap::error::ErrorKind;
    // Hidden options parse as the others do: the command with them hidden
    // is built (all subcommands at once) only to show help.
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            match command().try_get_matches() {
                Ok(matches) => Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit()),
                Err(help) => help.exit(),
            }
        }
        Err(e) => exit_with_guess(&e),
    }
}

/// clap's error, and when the first word was read as a script but is close
/// to a subcommand (`mcauth polcy lint x.json`: `lint` is then one
/// argument too many), the subcommand it likely meant.
fn exit_with_guess(e: &clap::Error) -> ! {
    use clap::error::ErrorKind;
    let guess = matches!(e.kind(), ErrorKind::UnknownArgument)
        .then(|| {
            std::env::args_os()
                .skip(1)
                .filter_map(|a| a.into_string().ok())
                .find(|a| !a.starts_with('-'))
        })
        .flatten()
        .filter(|word| !std::path::Path::new(word).exists())
        .and_then(|word| subcommand_guess(&word).map(|name| (word, name)));
    let Some((word, name)) = guess else { e.exit() };
    eprintln!("{}", e.render().to_string().trim_end());
    eprintln!("  tip: `{word}` was read as a script; did you mean the subcommand `mcauth {name}`?");
    std::process::exit(i32::from(crate::exit::USAGE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_of(path: &[&str]) -> String {
        let mut cmd = command();
        let mut sc = &mut cmd;
        for name in path {
            sc = sc.find_subcommand_mut(name).expect("subcommand");
        }
        sc.render_long_help().to_string()
    }

    #[test]
    fn each_subcommand_lists_only_what_it_reads() {
        let fmt = help_of(&["fmt"]);
        for absent in ["--store", "--endpoint", "--as", "--dry-run", "--format"] {
            assert!(!fmt.contains(absent), "fmt lists {absent}:\n{fmt}");
        }
        assert!(fmt.contains("--max-diagnostics"), "{fmt}");
        let lint = help_of(&["policy", "lint"]);
        assert!(!lint.contains("--store"), "{lint}");
        assert!(lint.contains("--color"), "{lint}");
        let serve = help_of(&["serve"]);
        assert!(serve.contains("--store"), "{serve}");
        assert!(!serve.contains("--endpoint"), "{serve}");
        let check = help_of(&["check"]);
        assert!(check.contains("--endpoint"), "{check}");
    }

    #[test]
    fn a_mistyped_subcommand_is_guessed() {
        assert_eq!(subcommand_guess("chek").as_deref(), Some("check"));
        assert_eq!(
            subcommand_guess("completion").as_deref(),
            Some("completions")
        );
        assert_eq!(subcommand_guess("onboarding.sql"), None);
    }

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }
}
