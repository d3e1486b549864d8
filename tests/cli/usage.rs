//! The command line itself: each subcommand's help, completions, the man
//! page, and what a mistyped subcommand gets.

use crate::support::mcauth;

#[test]
fn fmt_help_lists_only_what_fmt_reads() {
    let out = mcauth(&["fmt", "--help"], "");
    assert_eq!(out.code, 0, "{}", out.transcript());
    for absent in [
        "--store",
        "--endpoint",
        "--as",
        "--dry-run",
        "--format",
        "--on-error",
    ] {
        assert!(!out.stdout.contains(absent), "{absent}:\n{}", out.stdout);
    }
    assert!(out.stdout.contains("--check"), "{}", out.stdout);
    // `help fmt` and `-h` show the same.
    for args in [&["help", "fmt"][..], &["fmt", "-h"][..]] {
        let out = mcauth(args, "");
        assert_eq!(out.code, 0, "{}", out.transcript());
        assert!(!out.stdout.contains("--store"), "{args:?}:\n{}", out.stdout);
    }
}

#[test]
fn global_options_still_work_after_a_subcommand() {
    // Hidden from fmt's help, the global options are still accepted where
    // they stood before, so scripts that pass them keep working.
    let out = mcauth(&["fmt", "--color", "never", "-"], "LIST USERS;\n");
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout, "list users;\n");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _mcauth"),
        ("zsh", "#compdef mcauth"),
        ("fish", "complete -c mcauth"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = mcauth(&["completions", shell], "");
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}:\n{}", out.stdout);
        assert!(out.stdout.contains("skip-existing"), "{shell}");
    }
}

#[test]
fn the_man_page_is_roff() {
    let out = mcauth(&["man"], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH mcauth 1"), "{}", out.stdout);
    assert!(out.stdout.contains("completions"), "{}", out.stdout);
    let dir = std::env::temp_dir().join(format!("mcauth-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = mcauth(&["man", "--dir", dir.to_str().expect("utf-8")], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in ["mcauth.1", "mcauth-check.1", "mcauth-policy-lint.1"] {
        assert!(dir.join(page).is_file(), "{page}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mistyped_subcommand_is_named() {
    let out = mcauth(&["polcy", "lint", "x.json"], "");
    // `polcy` is read as the script and `lint` is one argument too many.
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("did you mean the subcommand `mcauth policy`?"),
        "{}",
        out.stderr
    );
    let out = mcauth(&["chek"], "");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("did you mean the subcommand `mcauth check`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn serve_errors_follow_the_error_format() {
    let out = mcauth(&["serve", "--listen", "0.0.0.0:1"], "");
    assert_eq!(out.code, 3, "{}", out.transcript());
    // Not a terminal: plain, one line and its help.
    assert!(
        out.stderr.starts_with(
            "mcauth: error[mcauth::serve::not_loopback]: refusing to listen on 0.0.0.0:1"
        ),
        "{}",
        out.stderr
    );
    let out = mcauth(
        &["serve", "--listen", "0.0.0.0:1", "--error-format", "json"],
        "",
    );
    assert_eq!(out.code, 3);
    let line: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect("json");
    assert_eq!(line["code"], "mcauth::serve::not_loopback");
}

#[test]
fn a_principal_the_shell_cut_is_named_in_as_and_the_identity() {
    let dir = std::env::temp_dir().join(format!("mcauth-as-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = dir.join("s.db");
    let store = store.to_str().expect("utf-8");
    // What `--as "RAM$acct:bob"` reaches mcauth as.
    let out = crate::support::mcauth_in(
        &dir,
        &["--store", store, "--as", "RAM:bob", "-e", "whoami;"],
        "",
        &[],
    );
    assert_ne!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("--as 'RAM$<account>:bob'"),
        "{}",
        out.stderr
    );
    let out = crate::support::mcauth_in(
        &dir,
        &["--store", store, "-e", "whoami;"],
        "",
        &[("MCAUTH_IDENTITY", "RAM")],
    );
    assert_ne!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("MCAUTH_IDENTITY='RAM$<account>:<name>'"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
