//! The REPL, driven through a real pseudo-terminal.

use std::path::PathBuf;
use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

pub(crate) struct Repl {
    pub(crate) session: PtySession,
    pub(crate) dir: PathBuf,
    /// What was printed before the first prompt.
    banner: String,
}

impl Repl {
    /// Waits for `text`, then gives the line editor a moment to switch the
    /// terminal to raw mode: input typed before that is flushed by the
    /// terminal, as it would be for a person typing ahead.
    pub(crate) fn expect_prompt(&mut self, text: &str) {
        self.session
            .exp_string(text)
            .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"));
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

impl Drop for Repl {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn start(name: &str, extra: &[&str]) -> Repl {
    let dir = std::env::temp_dir().join(format!("mcauth-repl-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.arg("--store")
        .arg(dir.join("store.db"))
        .args(["--project", "dev"])
        .args(extra)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")
        .env("XDG_STATE_HOME", dir.join("state"));
    let mut session = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
    let banner = session.exp_string("dev> ").expect("the first prompt");
    std::thread::sleep(std::time::Duration::from_millis(200));
    Repl {
        session,
        dir,
        banner,
    }
}

#[test]
fn the_banner_names_the_store() {
    let mut repl = start("banner", &[]);
    let store = repl.dir.join("store.db");
    let expected = format!(
        "project dev in {} as ALIYUN$owner@example.com",
        store.display()
    );
    assert!(repl.banner.contains(&expected), "{}", repl.banner);
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn a_removal_that_would_fail_is_reported_not_confirmed() {
    let mut repl = start("confirm-failing", &[]);
    for statement in [
        "create role r;",
        "add user ALIYUN$yan@example.com;",
        "grant r to ALIYUN$yan@example.com;",
    ] {
        repl.session.send_line(statement).expect("send");
        repl.session.exp_string("OK").expect("ran");
        repl.expect_prompt("dev> ");
    }
    repl.session
        .send_line("remove user ALIYUN$yan@example.com;")
        .expect("send");
    let shown = repl
        .session
        .exp_string("dev> ")
        .expect("back at the prompt, not at a question");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(shown.contains("still holds role(s) r"), "{shown}");
    assert!(!shown.contains("Confirm to"), "{shown}");
    // One that would run is still asked about.
    repl.session
        .send_line("revoke r from ALIYUN$yan@example.com;")
        .expect("send");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line("remove user ALIYUN$yan@example.com;")
        .expect("send");
    repl.expect_prompt("(yes/no)? ");
    repl.session.send_line("yes").expect("send");
    repl.session.exp_string("OK").expect("removed");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn an_unclear_answer_is_told_to_say_yes_or_no() {
    let mut repl = start("confirm-unclear", &[]);
    repl.session.send_line("create role r;").expect("send");
    repl.expect_prompt("dev> ");
    repl.session.send_line("drop role r;").expect("send");
    repl.expect_prompt("Confirm to \"drop role r;\" (yes/no)? ");
    repl.session.send_line("maybe").expect("send");
    repl.session
        .exp_string("please answer yes or no")
        .expect("the hint");
    repl.expect_prompt("(yes/no)? ");
    repl.session.send_line("N").expect("send");
    repl.session.exp_string("Cancelled.").expect("cancelled");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session
        .exp_string("\nr\r")
        .expect("the role is still there");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn a_statement_can_span_lines_with_a_continuation_prompt() {
    let mut repl = start("multiline", &[]);
    repl.session.send_line("create role").expect("send");
    repl.expect_prompt("  -> ");
    repl.session
        .send_line("analyst -- a ; in a comment does not end it")
        .expect("send");
    repl.expect_prompt("  -> ");
    repl.session.send_line(";").expect("send");
    repl.session.exp_string("OK").expect("the statement ran");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session.exp_string("analyst").expect("the role exists");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn ctrl_c_clears_the_input_and_the_session_goes_on() {
    let mut repl = start("ctrlc", &[]);
    repl.session.send_line("create role half").expect("send");
    repl.expect_prompt("  -> ");
    repl.session.send_control('c').expect("ctrl-c");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list roles;").expect("send");
    repl.session
        .exp_string("super_administrator")
        .expect("listed");
    let before_prompt = repl.session.exp_string("dev> ").expect("prompt");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !before_prompt.contains("half"),
        "the cleared statement did not run: {before_prompt}"
    );
    // An error renders inline, and the session continues.
    repl.session
        .send_line("grant nosuchrole to ALIYUN$x;")
        .expect("send");
    repl.session
        .exp_string("role nosuchrole does not exist")
        .expect("failure shown");
    repl.expect_prompt("dev> ");
    repl.session.send_control('d').expect("ctrl-d");
    repl.session.exp_eof().expect("ctrl-d leaves");
}

#[test]
fn tab_completes_a_principal_from_the_project() {
    let mut repl = start("complete", &[]);
    repl.session
        .send_line("add user ALIYUN$zoe_the_analyst@example.com;")
        .expect("send");
    repl.session.exp_string("OK").expect("added");
    repl.expect_prompt("dev> ");
    repl.session
        .send("show grants for ALIYUN$zoe")
        .expect("send");
    repl.session.send("\t").expect("tab");
    repl.session.flush().expect("flush");
    repl.session
        .exp_string("zoe_the_analyst@example.com")
        .expect("completed");
    repl.session.send_line(";").expect("send");
    repl.session
        .exp_string("[roles]")
        .expect("ran the completed statement");
    repl.expect_prompt("dev> ");
    repl.session.send_line("exit;").expect("send");
    repl.session.exp_eof().expect("exit leaves");
}

#[test]
fn removing_a_user_asks_for_confirmation() {
    let mut repl = start("confirm", &[]);
    repl.session
        .send_line("add user ALIYUN$yan@example.com;")
        .expect("send");
    repl.session.exp_string("OK").expect("added");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line("remove user ALIYUN$yan@example.com;")
        .expect("send");
    repl.expect_prompt("Confirm to \"remove user ALIYUN$yan@example.com;\" (yes/no)? ");
    repl.session.send_line("no").expect("send");
    repl.session.exp_string("Cancelled.").expect("cancelled");
    repl.expect_prompt("dev> ");
    repl.session.send_line("list users;").expect("send");
    repl.session
        .exp_string("ALIYUN$yan@example.com")
        .expect("still there");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line("remove user ALIYUN$yan@example.com;")
        .expect("send");
    repl.expect_prompt("(yes/no)? ");
    repl.session.send_line("yes").expect("send");
    repl.session.exp_string("OK").expect("removed");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
}

#[test]
fn the_history_file_is_written() {
    let mut repl = start("history", &[]);
    // No users: nothing is printed, and the prompt comes back.
    repl.session.send_line("list users;").expect("send");
    repl.expect_prompt("dev> ");
    repl.session.send_line("create role h1").expect("send");
    repl.expect_prompt("  -> ");
    repl.session.send_line(";").expect("send");
    repl.session.exp_string("OK").expect("ran");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
    let history =
        std::fs::read_to_string(repl.dir.join("state/mcauth/history")).expect("history written");
    assert!(history.contains("list users;"), "{history}");
    assert!(history.contains("create role h1"), "{history}");
}

#[test]
fn put_policy_at_the_prompt_lints_stores_and_reads_back() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies");
    let good = examples.join("analyst-role.json");
    let bad = examples.join("quota-team-with-mistakes.json");
    let mut repl = start("put-policy", &[]);
    repl.session
        .send_line("create role analyst;")
        .expect("send");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line(&format!("put policy {} on role analyst;", bad.display()))
        .expect("send");
    repl.session
        .exp_string("is refused")
        .expect("a policy with errors is refused");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line(&format!("put policy {} on role analyst;", good.display()))
        .expect("send");
    repl.session.exp_string("OK").expect("stored");
    repl.expect_prompt("dev> ");
    repl.session
        .send_line("get policy on role analyst;")
        .expect("send");
    repl.session
        .exp_string("acs:odps:*:projects/sales/tables/sales_*")
        .expect("the stored document is printed");
    repl.expect_prompt("dev> ");
}

/// Against MaxCompute the banner names the endpoint, and a removal is
/// checked against what the service holds (here made by another
/// session) before anything is asked.
#[test]
fn against_maxcompute_the_banner_names_the_endpoint_and_checks_come_first() {
    let emulator = crate::remote::start("repl-remote", &[]);
    let made = crate::remote::run_remote(
        &emulator,
        &[
            "-e",
            "create role held; add user ALIYUN$yan@example.com; grant held to ALIYUN$yan@example.com; create role gone;",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.transcript());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.args(["--endpoint", &emulator.endpoint, "--project", "dev"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret")
        .env_remove("MCAUTH_STORE")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_CONFIG_HOME", emulator.dir.join("config"))
        .env("XDG_STATE_HOME", emulator.dir.join("state"));
    let mut session = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
    let banner = session.exp_string("dev> ").expect("the first prompt");
    let expected = format!(
        "project dev on {} as ALIYUN$dev@example.com",
        emulator.endpoint
    );
    assert!(banner.contains(&expected), "{banner}");
    let mut repl = Repl {
        session,
        dir: emulator.dir.join("repl"),
        banner,
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    repl.session.send_line("drop role held;").expect("send");
    let shown = repl
        .session
        .exp_string("dev> ")
        .expect("back at the prompt, not at a question");
    assert!(shown.contains("role_in_use"), "{shown}");
    assert!(!shown.contains("Confirm to"), "{shown}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    repl.session.send_line("drop role gone;").expect("send");
    repl.expect_prompt("Confirm to \"drop role gone;\" (yes/no)? ");
    repl.session.send_line("maybe").expect("send");
    repl.session
        .exp_string("please answer yes or no")
        .expect("the hint");
    repl.expect_prompt("(yes/no)? ");
    repl.session.send_line("yes").expect("send");
    repl.session.exp_string("OK").expect("dropped");
    repl.expect_prompt("dev> ");
    repl.session.send_line("quit;").expect("send");
    repl.session.exp_eof().expect("quit leaves");
    let roles = crate::remote::run_remote(&emulator, &["-e", "list roles;"]);
    assert!(roles.stdout.contains("held"), "{}", roles.stdout);
    assert!(!roles.stdout.contains("gone"), "{}", roles.stdout);
}
