use crate::support::mcauth;

#[test]
fn a_clean_script_exits_0() {
    let out = mcauth(
        &[
            "check",
            "grammar/examples/users.sql",
            "grammar/examples/privileges.sql",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("checked 2 files: 33 statements, no errors"),
        "{}",
        out.stderr
    );
}

#[test]
fn three_mistakes_are_all_reported_with_positions() {
    let out = mcauth(
        &["check", "crates/syntax/tests/errors/three_errors.sql"],
        "",
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn fancy_errors_show_the_source() {
    let out = mcauth(
        &["check", "--error-format", "fancy", "-"],
        "list users;\nadd user RAM$acct:role/etl;\n",
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn json_errors_are_one_object_per_line_on_stdout() {
    let out = mcauth(&["check", "--error-format", "json"], "lst users;\nadd user");
    assert_eq!(out.code, 1);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["code"], "mcauth::syntax::unknown_statement");
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["column"], 1);
    assert_eq!(
        lines[0]["help"]
            .as_str()
            .map(|h| h.contains("did you mean `list`?")),
        Some(true)
    );
    assert_eq!(lines[1]["start"], 19);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["column"], 9);
}

#[test]
fn standard_input_is_read_without_files_or_with_a_dash() {
    assert_eq!(mcauth(&["check"], "list users;").code, 0);
    assert_eq!(mcauth(&["check", "-"], "list users").code, 0);
    assert_eq!(mcauth(&["check", "-"], "list user").code, 1);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(mcauth(&["check", "--no-such-flag"], "").code, 2);
    let missing = mcauth(&["check", "no/such/file.sql"], "");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read no/such/file.sql"));
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let out = mcauth(&["check"], "list users;\nadd user \u{0}");
    assert_eq!(out.code, 1);
    let bytes_out = {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_mcauth"))
            .args(["check", "--error-format", "plain"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"list users;\nadd user \xff;")
            .expect("writes");
        child.wait_with_output().expect("finishes")
    };
    assert_eq!(bytes_out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bytes_out.stderr);
    assert!(
        stderr.contains("<stdin>:2:10: error[mcauth::syntax::invalid_utf8]"),
        "{stderr}"
    );
    assert!(stderr.contains("byte offset 21"), "{stderr}");
}

#[test]
fn running_a_script_that_is_not_utf8_points_at_the_byte_and_runs_nothing() {
    let dir = std::env::temp_dir().join(format!("mcauth-utf8-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("bad.sql");
    std::fs::write(&script, b"create role before;\ncreate role r\xff;\n").expect("writes");
    let store = dir.join("store.db");
    let store = store.to_str().expect("utf-8 path");
    let script = script.to_str().expect("utf-8 path");
    let out = mcauth(&["--store", store, "--error-format", "plain", script], "");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("bad.sql:2:14: error[mcauth::syntax::invalid_utf8]")
            && out.stderr.contains("byte offset 33"),
        "{}",
        out.transcript()
    );
    let roles = mcauth(&["--store", store, "-e", "list roles;"], "");
    assert!(!roles.stdout.contains("before"), "{}", roles.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}
