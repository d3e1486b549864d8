//! The remote backend against a real `mcauth serve` on 127.0.0.1: the
//! examples print what the embedded store prints, and runs with faults
//! injected end in the same state as clean runs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::support::{mcauth_in, repo};

pub struct Emulator {
    child: Child,
    pub endpoint: String,
    pub dir: PathBuf,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `mcauth serve` on a free port of 127.0.0.1, its store in a
/// fresh temporary folder (removed with the emulator).
pub fn start(name: &str, extra: &[&str]) -> Emulator {
    let dir = std::env::temp_dir().join(format!("mcauth-remote-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcauth"))
        .args([
            "serve",
            "--no-request-log",
            "--listen",
            "127.0.0.1:0",
            "--store",
        ])
        .arg(dir.join("serve.db"))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mcauth serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("banner");
    let endpoint = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no endpoint in the banner: {first}"))
        .to_owned();
    Emulator {
        child,
        endpoint,
        dir,
    }
}

/// Runs mcauth against `emulator`'s project `dev` as its owner.
pub fn run_remote(emulator: &Emulator, args: &[&str]) -> crate::support::Outcome {
    let mut argv = vec!["--endpoint", &emulator.endpoint, "--project", "dev"];
    argv.extend_from_slice(args);
    mcauth_in(
        &repo(),
        &argv,
        "",
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
        ],
    )
}

fn run_local(store: &Path, args: &[&str]) -> crate::support::Outcome {
    let store = store.to_str().expect("utf-8 path");
    let mut argv = vec!["--store", store, "--project", "dev"];
    argv.extend_from_slice(args);
    mcauth_in(
        &repo(),
        &argv,
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")],
    )
}

const STATE: &str = "list accountproviders; list users; list roles; show grants for role analyst;";

#[test]
fn the_examples_print_the_same_remotely_and_locally() {
    let emulator = start("examples", &[]);
    let local_store = emulator.dir.join("local.db");
    for script in [
        "examples/onboarding.sql",
        "examples/role-policies.sql",
        "examples/offboarding.sql",
    ] {
        let remote = run_remote(&emulator, &[script]);
        let local = run_local(&local_store, &[script]);
        assert_eq!(remote.code, 0, "{script} remotely: {}", remote.transcript());
        assert_eq!(local.code, 0, "{script} locally: {}", local.transcript());
        assert_eq!(remote.stdout, local.stdout, "{script}");
    }
    // The checks run before anything is sent: nothing reaches the service.
    let refused = run_remote(&emulator, &["-e", "remove user RAM$alice;"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("mcauth::engine::user_holds_roles"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("nothing was sent"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        run_remote(&emulator, &["-e", STATE]).stdout,
        run_local(&local_store, &["-e", STATE]).stdout
    );
}

/// The forms beyond the core statements (download control, schema mode, partitions, package
/// items, row access and data masking policies) run through `mcauth
/// serve` as they run on the embedded store; schema mode reaches the
/// service as the session setting odpscmd sends.
#[test]
fn the_rest_of_the_language_runs_the_same_remotely_and_locally() {
    let emulator = start("data-access", &[]);
    let local_store = emulator.dir.join("local.db");
    for script in ["examples/onboarding.sql", "examples/data-access.sql"] {
        let remote = run_remote(&emulator, &[script]);
        let local = run_local(&local_store, &[script]);
        assert_eq!(remote.code, 0, "{script} remotely: {}", remote.transcript());
        assert_eq!(local.code, 0, "{script} locally: {}", local.transcript());
        assert_eq!(remote.stdout, local.stdout, "{script}");
    }
    let after = "setproject; list row access policy on sales; describe data masking policy phone_mask; show grants for role analyst;";
    let remote = run_remote(&emulator, &["-e", after]);
    assert_eq!(
        remote.stdout,
        run_local(&local_store, &["-e", after]).stdout
    );
    assert!(
        remote
            .stdout
            .contains("projects/dev/schemas/finance/tables/ledger: Select"),
        "schema mode reached the service: {}",
        remote.stdout
    );
    // The service's rules answer what mcauth could not read first: a
    // masking policy on a table with row access policies is refused there.
    let refused = run_remote(
        &emulator,
        &[
            "-e",
            "apply data masking policy phone_mask bind to table sales column phone;",
        ],
    );
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("row access policies"),
        "{}",
        refused.stderr
    );
}

#[test]
fn runs_with_faults_end_in_the_same_state_as_clean_runs() {
    let clean = start("clean", &[]);
    assert_eq!(run_remote(&clean, &["examples/onboarding.sql"]).code, 0);
    let expected = run_remote(&clean, &["-e", STATE]).stdout;
    // Requests 1 and 2 are whoami and the provider list read for planning;
    // then the script's statements follow in order, with the reads their
    // checks need just before them: request 8 reads role analyst's grants
    // for the grant that is request 9.
    for (tag, faults) in [
        ("query", "authorization:drop-after:nth=4"),
        ("applied", "authorization:drop-after:nth=5"),
        ("not-applied", "authorization:drop-before:nth=6"),
        ("read", "authorization:drop-after:nth=8"),
        ("grant", "authorization:drop-after:nth=9"),
        ("delay", "all:delay=20ms:every=2"),
    ] {
        let faulty = start(tag, &["--faults", faults]);
        let run = run_remote(&faulty, &["examples/onboarding.sql"]);
        assert_eq!(run.code, 0, "with {faults}: {}", run.transcript());
        // A read is asked again without a word: it changes nothing.
        match tag {
            "delay" => {}
            "read" => assert!(
                !run.stderr.contains("the connection dropped"),
                "the fault hit a read, not a statement: {}",
                run.stderr
            ),
            _ => assert!(
                run.stderr.contains("the connection dropped"),
                "the fault was hit: {}",
                run.stderr
            ),
        }
        let state = run_remote(&faulty, &["-e", STATE]);
        assert_eq!(state.stdout, expected, "with {faults}");
    }
}

/// A dropped `create or replace row access policy` is sent again (it puts
/// the same rule twice); a plain `create` is not (sent twice, it would be
/// refused as existing), and its outcome is reported as unknown.
#[test]
fn a_dropped_create_or_replace_is_sent_again_and_a_plain_create_is_not() {
    // Request 1 is whoami; request 2 is the statement (its check reads
    // nothing the service shows).
    let faults = ["--faults", "authorization:drop-after:nth=2"];
    let list = "list row access policy on sales;";
    let replace = start("resend-replace", &faults);
    let run = run_remote(
        &replace,
        &[
            "-e",
            "create or replace row access policy p on sales to default filter using (1 = 1);",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("the connection dropped; the statement is idempotent"),
        "{}",
        run.stderr
    );
    let shown = run_remote(&replace, &["-e", list]);
    assert_eq!(shown.stdout, "p\tto default\tfilter using (1 = 1)\n");

    let plain = start("resend-plain", &faults);
    let run = run_remote(
        &plain,
        &[
            "-e",
            "create row access policy p on sales to default filter using (1 = 1);",
        ],
    );
    assert_ne!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr.contains("is unknown") && !run.stderr.contains("; sending `"),
        "{}",
        run.stderr
    );
    // It ran once: the service holds the policy.
    let shown = run_remote(&plain, &["-e", list]);
    assert_eq!(shown.stdout, "p\tto default\tfilter using (1 = 1)\n");
}

/// A dropped `add group` is judged by reading the groups back: applied,
/// it is reported as done; not applied, it is sent once more. Either way
/// the group is there once.
#[test]
fn a_dropped_add_group_is_settled_by_reading_the_groups_back() {
    // Requests 1 to 3 are whoami, `list groups` and `list tenant groups`
    // (what the check reads); request 4 is the statement.
    for (tag, fault, said) in [
        (
            "group-applied",
            "authorization:drop-after:nth=4",
            "the service shows `add group g;` took effect",
        ),
        (
            "group-not-applied",
            "authorization:drop-before:nth=4",
            "before the statement took effect; sending `add group g;` again",
        ),
    ] {
        let emulator = start(tag, &["--faults", fault]);
        let run = run_remote(&emulator, &["-e", "add group g;"]);
        assert_eq!(run.code, 0, "{fault}: {}", run.transcript());
        assert!(run.stderr.contains(said), "{fault}: {}", run.stderr);
        let listed = run_remote(&emulator, &["-e", "list groups;"]);
        assert_eq!(listed.stdout, "g\n", "{fault}");
    }
}

#[test]
fn the_prompt_sends_statements_to_maxcompute_after_the_checks() {
    use rexpect::session::spawn_command;
    let emulator = start("prompt", &[]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.args(["--endpoint", &emulator.endpoint, "--project", "dev"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_STATE_HOME", emulator.dir.join("state"));
    let mut p = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
    let settle = || std::thread::sleep(std::time::Duration::from_millis(200));
    let banner = format!(
        "project dev on {} as ALIYUN$dev@example.com",
        emulator.endpoint
    );
    p.exp_string(&banner)
        .expect("the banner names the endpoint and the caller from whoami");
    p.exp_string("dev> ").expect("prompt");
    settle();
    p.send_line("create role analyst;").expect("send");
    p.exp_string("OK").expect("the service ran it");
    p.exp_string("dev> ").expect("prompt");
    settle();
    // The default project lists RAM, as a new MaxCompute project does, so
    // what stops this one before it is sent is membership.
    p.send_line("grant analyst to RAM$nobody;").expect("send");
    p.exp_string("Invalid account Name")
        .expect("checked before sending");
    p.exp_string("dev> ").expect("prompt");
    settle();
    p.send_line("list roles;").expect("send");
    p.exp_string("analyst").expect("listed by the service");
    p.exp_string("dev> ").expect("prompt");
    settle();
    // Checked against the service's state before the question: a drop
    // that would fail is reported, and nothing is asked.
    p.send_line("drop role nosuch;").expect("send");
    let shown = p.exp_string("dev> ").expect("back at the prompt");
    settle();
    assert!(shown.contains("role nosuch does not exist"), "{shown}");
    assert!(!shown.contains("Confirm to"), "{shown}");
    p.send_line("drop role analyst;").expect("send");
    p.exp_string("(yes/no)? ")
        .expect("a drop that would run is asked about");
    settle();
    p.send_line("yes").expect("send");
    p.exp_string("OK").expect("dropped by the service");
    p.exp_string("dev> ").expect("prompt");
    settle();
    p.send_line("quit;").expect("send");
    p.exp_eof().expect("quit leaves");
}

#[test]
fn check_plan_judges_a_script_as_the_remote_dry_run_does() {
    let emulator = start("check-plan", &[]);
    let setup = run_remote(
        &emulator,
        &[
            "-e",
            "add accountprovider ram; add user RAM$alice; create role analyst; grant analyst to RAM$alice;",
        ],
    );
    assert_eq!(setup.code, 0, "{}", setup.transcript());
    let refused = emulator.dir.join("refused.sql");
    std::fs::write(&refused, "remove user RAM$alice;\n").expect("script");
    let accepted = emulator.dir.join("accepted.sql");
    std::fs::write(
        &accepted,
        "revoke analyst from RAM$alice;\nremove user RAM$alice;\n",
    )
    .expect("script");
    for (script, code) in [(&refused, 1), (&accepted, 0)] {
        let script = script.to_str().expect("utf-8 path");
        let plan = run_remote(
            &emulator,
            &["check", "--plan", "--error-format", "plain", script],
        );
        let dry_run = run_remote(&emulator, &["--dry-run", "--error-format", "plain", script]);
        assert_eq!(plan.code, code, "{}", plan.transcript());
        assert_eq!(dry_run.code, code, "{}", dry_run.transcript());
        let holds = "error[mcauth::engine::user_holds_roles]";
        assert_eq!(
            plan.stderr.contains(holds),
            code == 1,
            "{}",
            plan.transcript()
        );
        assert_eq!(
            dry_run.stdout.contains("user_holds_roles") || dry_run.stderr.contains(holds),
            code == 1,
            "{}",
            dry_run.transcript()
        );
    }
    // Neither sent anything: alice still holds her role.
    let state = run_remote(&emulator, &["-e", "show grants for RAM$alice;"]);
    assert!(state.stdout.contains("analyst"), "{}", state.transcript());
}

/// Runs mcauth against `emulator`'s project `project` with an AccessKey.
fn run_as_key(
    emulator: &Emulator,
    project: &str,
    key: (&str, &str),
    script: &str,
) -> crate::support::Outcome {
    mcauth_in(
        &repo(),
        &[
            "--endpoint",
            &emulator.endpoint,
            "--project",
            project,
            "--error-format",
            "plain",
            "-e",
            script,
        ],
        "",
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", key.0),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key.1),
        ],
    )
}

#[test]
fn ram_users_run_tenant_statements_their_policies_allow() {
    let accounts = repo().join("examples/accounts.toml");
    let emulator = start(
        "ram-policies",
        &["--accounts", accounts.to_str().expect("utf-8")],
    );
    let owner = ("acme-owner-id", "acme-owner-secret");
    let alice = ("alice-id-1", "alice-secret-1");
    let bob = ("bob-id", "bob-secret");
    let added = run_as_key(
        &emulator,
        "sales",
        owner,
        "add accountprovider ram; add user RAM$alice; add user RAM$bob.wang;",
    );
    assert_eq!(added.code, 0, "{}", added.transcript());
    // What a plain member cannot read stays unknown: mcauth says what it
    // did not check and leaves the judging to the service, which asks
    // their RAM policies.
    let allowed = run_as_key(&emulator, "sales", alice, "add tenant user RAM$carol;");
    assert_eq!(allowed.code, 0, "{}", allowed.transcript());
    assert!(allowed.stderr.contains("not checked"), "{}", allowed.stderr);
    let listed = run_as_key(&emulator, "sales", bob, "list tenant users;");
    assert_eq!(
        listed.stdout,
        "RAM$acme@example.com:carol\n",
        "{}",
        listed.transcript()
    );
    let denied = run_as_key(&emulator, "sales", alice, "remove tenant user RAM$carol;");
    assert_eq!(denied.code, 1, "{}", denied.transcript());
    assert!(
        denied.stderr.contains(
            "not allowed odps:RemoveTenantUsers on acs:odps:cn-hangzhou:1234567890123456:tenantUsers/*: explicitly denied"
        ),
        "{}",
        denied.stderr
    );
    let implicit = run_as_key(&emulator, "sales", bob, "add tenant user RAM$dave;");
    assert_eq!(implicit.code, 1, "{}", implicit.transcript());
    assert!(
        implicit
            .stderr
            .contains("not allowed odps:AddTenantUsers on acs:odps:cn-hangzhou:1234567890123456:tenantUsers/*: no RAM policy attached to it allows this"),
        "{}",
        implicit.stderr
    );
}

/// `why` and `who-can` against the emulator read a table's owner from its
/// metadata (`GET /projects/dev/tables/sales`), where the store needs
/// `--owner`; a table the service does not show has no known owner.
#[test]
fn why_reads_the_owner_of_a_table_from_the_emulator() {
    let dir = std::env::temp_dir().join(format!("mcauth-remote-owner-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\ntables = [{ name = \"sales\", owner = \"RAM$bob\" }]\n",
    )
    .expect("write accounts.toml");
    let emulator = start("owner", &["--accounts", accounts.to_str().expect("utf-8")]);
    let set_up = run_remote(
        &emulator,
        &[
            "-e",
            "add user RAM$dev@example.com:bob; add user RAM$dev@example.com:alice;",
        ],
    );
    assert_eq!(set_up.code, 0, "{}", set_up.transcript());

    let why = run_remote(&emulator, &["why", "bob", "Drop", "on", "table", "sales"]);
    assert_eq!(why.code, 0, "{}", why.transcript());
    assert!(
        why.stdout.starts_with("Allow: RAM$dev@example.com:bob Drop on table sales\n")
            && why.stdout.contains(
                "=> ObjectCreator: allows: creator of table sales (ObjectCreatorHasAccessPermission=true): RAM$dev@example.com:bob owns it"
            ),
        "{}",
        why.stdout
    );
    let who = run_remote(&emulator, &["who-can", "Drop", "on", "table", "sales"]);
    assert!(
        who.stdout.contains("RAM$dev@example.com:bob  via creator"),
        "{}",
        who.stdout
    );
    let json = run_remote(
        &emulator,
        &[
            "why", "bob", "Drop", "on", "table", "sales", "--format", "json",
        ],
    );
    assert!(
        json.stdout
            .contains(r#""object_owner":"RAM$dev@example.com:bob""#),
        "{}",
        json.stdout
    );
    // `--owner` is the user's word over the service's.
    let named = run_remote(
        &emulator,
        &[
            "why", "bob", "Drop", "on", "table", "sales", "--owner", "alice",
        ],
    );
    assert!(
        named.stdout.starts_with("Deny: ")
            && named
                .stdout
                .contains("table sales was created by RAM$dev@example.com:alice"),
        "{}",
        named.stdout
    );
    // A table the service does not show (404): not known, not "no creator".
    let unknown = run_remote(&emulator, &["why", "bob", "Drop", "on", "table", "other"]);
    assert_eq!(unknown.code, 0, "{}", unknown.transcript());
    assert!(
        unknown
            .stdout
            .contains("ObjectCreator: not modelled: who created table other is not known")
            && unknown.stderr.is_empty(),
        "{}",
        unknown.transcript()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
