//! The prompt's own commands (`\i`, `.read`, `\h`, `.mode`, `use`,
//! `list projects`, …) and completion that knows the position, through a
//! real pseudo-terminal, on the store and against `mcauth serve`.

use std::process::Command;

use rexpect::session::spawn_command;

use crate::remote::start as start_emulator;
use crate::repl::start;
use crate::support::mcauth_in;

#[test]
fn unknown_backslash_and_dot_commands_are_answered_at_once() {
    let mut repl = start("meta-unknown", &[]);
    repl.session.send_line("\\x").expect("send");
    repl.session
        .exp_string("unknown command \\x")
        .expect("answered");
    // Back at the first prompt, not a continuation.
    repl.expect_prompt("dev> ");
    repl.session.send_line(".tables").expect("send");
    repl.session
        .exp_string("unknown command .tables")
        .expect("answered");
    repl.expect_prompt("dev> ");
    repl.session.send_line("\\h").expect("send");
    repl.session
        .exp_string("Commands of the prompt")
        .expect("help");
    repl.expect_prompt("dev> ");
    repl.session.send_line(".help").expect("send");
    repl.session.exp_string("\\pset format csv").expect("help");
    repl.expect_prompt("dev> ");
    repl.session.send_line(".quit").expect("send");
    repl.session.exp_eof().expect(".quit leaves");
}

#[test]
fn a_script_is_read_with_backslash_i_and_dot_read() {
    let mut repl = start("meta-read", &[]);
    let script = repl.dir.join("onboard.sql");
    std::fs::write(&script, "create role from_file;\ncreate role second;\n").expect("script");
    repl.session
        .send_line(&format!("\\i {}", script.display()))
        .expect("send");
    repl.session.exp_string("OK").expect("ran");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session
        .exp_string("from_file")
        .expect("the role is there");
    repl.expect_prompt("dev> ");
    // A script that would fail runs nothing, as `mcauth FILE` does.
    std::fs::write(&script, "create role third;\ncreate role second;\n").expect("script");
    repl.session
        .send_line(&format!(".read {}", script.display()))
        .expect("send");
    repl.session
        .exp_string("role second already exists")
        .expect("reported");
    repl.expect_prompt("dev> ");
    repl.session.send_line("\\i").expect("send");
    repl.session.exp_string("needs a file").expect("told");
    repl.expect_prompt("dev> ");
    repl.session.send_line("\\q").expect("send");
    repl.session.exp_eof().expect("\\q leaves");
}

#[test]
fn the_result_format_switches_at_the_prompt() {
    let mut repl = start("meta-mode", &[]);
    repl.session.send_line(".mode csv").expect("send");
    repl.session.exp_string("format csv").expect("switched");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session.exp_string("name\r\nadmin").expect("a header");
    repl.expect_prompt("dev> ");
    repl.session.send_line("\\pset format text").expect("send");
    repl.session.exp_string("format text").expect("switched");
    repl.expect_prompt("dev> ");
    repl.session.send_line(".mode json").expect("send");
    repl.session
        .exp_string("json is for scripts")
        .expect("refused");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn use_switches_project_on_the_store() {
    let mut repl = start("meta-use", &[]);
    let store = repl.dir.join("store.db");
    let made = mcauth_in(
        &repl.dir,
        &[
            "--store",
            store.to_str().expect("utf-8"),
            "--project",
            "prod",
            "-e",
            "create role prod_only;",
        ],
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")],
    );
    assert_eq!(made.code, 0, "{}", made.transcript());
    repl.session.send_line("list projects;").expect("send");
    repl.session.exp_string("dev\r\nprod").expect("both listed");
    repl.expect_prompt("dev> ");
    repl.session.send_line("use prd;").expect("send");
    repl.session
        .exp_string("did you mean `prod`?")
        .expect("a typo is caught");
    repl.expect_prompt("dev> ");
    repl.session.send_line("use prod;").expect("send");
    repl.expect_prompt("prod> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session.exp_string("prod_only").expect("prod's roles");
    repl.expect_prompt("prod> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn completion_offers_what_may_come_next() {
    let mut repl = start("complete-position", &[]);
    repl.session.send_line("create role reader;").expect("send");
    repl.expect_prompt("dev> ");
    // After `on`, an object type: `ta` can only be `table`.
    repl.session.send("grant Select on ta").expect("send");
    repl.session.send("\t").expect("tab");
    repl.session.flush().expect("flush");
    repl.session
        .exp_string("grant Select on table")
        .expect("completed");
    // After `to`, a principal or `role`: `ro` can only be `role`.
    repl.session.send(" t to ro").expect("send");
    repl.session.send("\t").expect("tab");
    repl.session.flush().expect("flush");
    repl.session.exp_string("to role").expect("completed");
    // After `to role`, a role.
    repl.session.send(" rea").expect("send");
    repl.session.send("\t").expect("tab");
    repl.session.flush().expect("flush");
    repl.session.exp_string("role reader").expect("completed");
    repl.session.send_line(";").expect("send");
    repl.session.exp_string("OK").expect("ran");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn use_switches_project_against_maxcompute() {
    let scratch = std::env::temp_dir().join(format!("mcauth-use-remote-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("temp dir");
    let accounts = scratch.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n\n\
         [[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\n\n\
         [[projects]]\nname = \"prod\"\nowner = \"ALIYUN$dev@example.com\"\n",
    )
    .expect("accounts");
    let emulator = start_emulator(
        "use-remote",
        &["--accounts", accounts.to_str().expect("utf-8")],
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.args(["--endpoint", &emulator.endpoint, "--project", "dev"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_STATE_HOME", emulator.dir.join("state"));
    let mut p = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
    let settle = || std::thread::sleep(std::time::Duration::from_millis(200));
    p.exp_string("dev> ").expect("prompt");
    settle();
    p.send_line("create role dev_only;").expect("send");
    p.exp_string("OK").expect("ran");
    p.exp_string("dev> ").expect("prompt");
    settle();
    p.send_line("use nosuch;").expect("send");
    p.exp_string("mcauth: ").expect("the service refused");
    p.exp_string("dev> ").expect("still on dev");
    settle();
    p.send_line("use prod;").expect("send");
    p.exp_string("prod> ").expect("switched");
    settle();
    p.send_line("list roles;").expect("send");
    let listed = p.exp_string("prod> ").expect("listed");
    assert!(listed.contains("admin"), "{listed}");
    assert!(!listed.contains("dev_only"), "{listed}");
    settle();
    p.send_line("list projects;").expect("send");
    p.exp_string("dev\r\nprod").expect("the service's projects");
    p.exp_string("prod> ").expect("prompt");
    settle();
    p.send_line("quit;").expect("send");
    p.exp_eof().expect("quit leaves");
    let _ = std::fs::remove_dir_all(&scratch);
}
