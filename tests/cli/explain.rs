//! `why`, `who-can`, `audit` and `test` end to end: the same answers on
//! both backends, output formats, and diagnostics for bad input.

use std::path::Path;

use crate::remote::{Emulator, run_remote, start};
use crate::support::{mcauth_in, repo};

const SETUP: &str = "add accountprovider ram;
add user RAM$dev@example.com:alice;
add user RAM$dev@example.com:bob;
add user RAM$dev@example.com:carol;
create role analyst;
create role auditor;
grant analyst to RAM$dev@example.com:alice;
grant auditor to RAM$dev@example.com:alice;
grant analyst to RAM$dev@example.com:bob;
grant admin to RAM$dev@example.com:carol;
grant Select on table sales to role analyst;
grant Describe on table sales to RAM$dev@example.com:bob;
grant Describe on table sales_* to role auditor privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");
grant Select on table sales to role auditor privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");
";

fn emulator(name: &str) -> Emulator {
    let dir = std::env::temp_dir().join(format!("mcauth-explain-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\naccount_providers = [\"ALIYUN\"]\n",
    )
    .expect("write accounts.toml");
    start(name, &["--accounts", accounts.to_str().expect("utf-8")])
}

/// An emulator serving project `dev` and project `shop`, both of
/// dev@example.com.
fn emulator_with_shop(name: &str) -> Emulator {
    let dir = std::env::temp_dir().join(format!("mcauth-explain-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\naccount_providers = [\"ALIYUN\"]\n\n[[projects]]\nname = \"shop\"\nowner = \"ALIYUN$dev@example.com\"\naccount_providers = [\"ALIYUN\"]\n",
    )
    .expect("write accounts.toml");
    start(name, &["--accounts", accounts.to_str().expect("utf-8")])
}

/// Runs mcauth against `emulator`'s project `project` as its owner.
fn remote_in(emulator: &Emulator, project: &str, args: &[&str]) -> crate::support::Outcome {
    let mut argv = vec![
        "--endpoint",
        emulator.endpoint.as_str(),
        "--project",
        project,
    ];
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

fn local(store: &Path, args: &[&str]) -> crate::support::Outcome {
    let mut argv = vec![
        "--store",
        store.to_str().expect("utf-8"),
        "--project",
        "dev",
    ];
    argv.extend_from_slice(args);
    mcauth_in(
        store.parent().expect("a folder"),
        &argv,
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")],
    )
}

const QUESTIONS: &[&[&str]] = &[
    &["why", "bob", "Select", "on", "table", "sales"],
    &["why", "alice", "Select", "on", "table", "sales"],
    &[
        "why",
        "RAM$dev@example.com:alice",
        "Describe",
        "on",
        "table",
        "sales_2026",
    ],
    &["why", "carol", "Drop", "on", "table", "sales"],
    &["why", "role", "analyst", "Select", "on", "table", "sales"],
    &[
        "why", "bob", "Describe", "on", "table", "sales", "--format", "json",
    ],
    &["who-can", "Select", "on", "table", "sales"],
    &[
        "who-can", "Describe", "on", "table", "sales", "--format", "json",
    ],
];

#[test]
fn why_and_who_can_answer_alike_on_both_backends() {
    let emulator = emulator("parity");
    let store = emulator.dir.join("local.db");
    let set_up = local(&store, &["-e", SETUP]);
    assert_eq!(set_up.code, 0, "{}", set_up.transcript());
    let set_up = run_remote(&emulator, &["-e", SETUP]);
    assert_eq!(set_up.code, 0, "{}", set_up.transcript());
    for question in QUESTIONS {
        let (l, r) = (local(&store, question), run_remote(&emulator, question));
        assert_eq!(l.code, 0, "{question:?}: {}", l.transcript());
        assert_eq!(
            without_history(&l.transcript()),
            without_history(&r.transcript()),
            "{question:?} differs between the store and the endpoint"
        );
    }
    // The store also names the statement, as run, that made each fact.
    let l = local(&store, QUESTIONS[0]);
    assert!(
        l.stdout.contains("recorded: statement ")
            && l.stdout
                .contains(": grant Select on table sales to role analyst;"),
        "{}",
        l.stdout
    );
    // Labels set on columns are not shown by any statement: against the
    // endpoint a labelled question is not verified rather than allowed.
    let labels = "set LabelSecurity=true; set label 3 to table sales(ssn);";
    assert_eq!(local(&store, &["-e", labels]).code, 0);
    assert_eq!(run_remote(&emulator, &["-e", labels]).code, 0);
    let ask = ["why", "bob", "Select", "on", "table", "sales(ssn)"];
    let l = local(&store, &ask);
    let r = run_remote(&emulator, &ask);
    assert!(l.stdout.starts_with("Deny: "), "{}", l.stdout);
    assert!(
        r.stdout.starts_with("Allow (not verified): "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "LabelSecurity: not verified: the labels set on tables, columns and users were not read"
        ),
        "{}",
        r.stdout
    );
}

/// A transcript without what only the store's history can say: the
/// `recorded:` lines of the text, the `recorded` objects of the JSON.
fn without_history(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("recorded: statement ") {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(mut value) if line.starts_with('{') => {
                if let Some(steps) = value["steps"].as_array_mut() {
                    for step in steps {
                        if let Some(o) = step.as_object_mut() {
                            o.remove("recorded");
                        }
                    }
                }
                out.push_str(&value.to_string());
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mcauth-explain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn test_files_report_each_expectation_and_exit_1_on_a_broken_one() {
    let dir = scratch("test-file");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    std::fs::write(
        dir.join("access.txt"),
        "# who may read sales\nalice cannot Select on table sales\nrole analyst can Select on table sales;\nbob can Select, Describe on table sales\nbob can Drop on table sales\n",
    )
    .expect("write");
    let out = local(&store, &["test", "access.txt"]);
    insta::assert_snapshot!(out.transcript());
    std::fs::write(
        dir.join("bad.txt"),
        "alice mayb Select on table sales\nzed can Select on table sales\nbob can Selct on table sales\n",
    )
    .expect("write");
    let out = local(&store, &["test", "bad.txt"]);
    insta::assert_snapshot!("bad_expectations", out.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_writes_sarif_and_fails_on_request() {
    let dir = scratch("audit");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    let out = local(
        &store,
        &["audit", "--format", "sarif", "--fail-on", "medium"],
    );
    assert_eq!(out.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_eq!(doc["version"], "2.1.0");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "mcauth::audit::admin_holder")
    );
    insta::assert_snapshot!(out.stdout.replace(env!("CARGO_PKG_VERSION"), "VERSION"));
    // Several projects, one after another: one SARIF run each, and
    // --fail-on looks at them all.
    let other = mcauth_in(
        &dir,
        &[
            "--store",
            store.to_str().expect("utf-8"),
            "--project",
            "clean",
            "-e",
            "setproject odps.security.enabledownloadprivilege=true;",
        ],
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")],
    );
    assert_eq!(other.code, 0, "{}", other.transcript());
    let out = local(&store, &["audit", "clean", "--fail-on", "low"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "project clean: 0 finding(s): 0 high, 0 medium, 0 low\n"
    );
    let out = local(
        &store,
        &[
            "audit",
            "clean",
            "dev",
            "--format",
            "sarif",
            "--fail-on",
            "high",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_question_says_where_and_how_to_fix_it() {
    let dir = scratch("bad-question");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    let out = local(&store, &["why", "alice", "Select", "on", "project", "dev"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.transcript());
    let out = local(&store, &["who-can", "Select", "table", "sales"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn who_can_plan_shows_who_gains_and_loses() {
    let dir = scratch("plan");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    std::fs::write(
        dir.join("desired.sql"),
        "add accountprovider ram;\nadd user RAM$dev@example.com:bob;\nadd user RAM$dev@example.com:dana;\ngrant Select on table sales to RAM$dev@example.com:dana;\n",
    )
    .expect("write");
    let out = local(
        &store,
        &[
            "who-can",
            "Select",
            "on",
            "table",
            "sales",
            "--plan",
            "desired.sql",
        ],
    );
    insta::assert_snapshot!(out.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `why …;` and `who-can …;` at the prompt answer as the commands do.
#[test]
fn the_prompt_answers_why_and_who_can() {
    use rexpect::session::spawn_command;
    let dir = scratch("repl");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.arg("--store")
        .arg(&store)
        .args(["--project", "dev"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")
        .env("XDG_STATE_HOME", dir.join("state"));
    let mut session = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
    let pause = || std::thread::sleep(std::time::Duration::from_millis(200));
    session.exp_string("dev> ").expect("the first prompt");
    pause();
    session
        .send_line("why alice Select on table sales;")
        .expect("type");
    session
        .exp_string("Deny: RAM$dev@example.com:alice Select on table sales")
        .expect("the answer");
    session
        .exp_string("=> policy grant: denies")
        .expect("the deciding step");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session
        .send_line("who-can Select on table sales;")
        .expect("type");
    session
        .exp_string("RAM$dev@example.com:bob  via role analyst (ACL grant)")
        .expect("who can");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session
        .send_line("why zed Select on table sales;")
        .expect("type");
    session
        .exp_string("error[mcauth::explain::unknown_name]")
        .expect("a diagnostic, and the session goes on");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    // The object's creator, as `--owner` names it on the command line.
    session
        .send_line("why bob Update on table orders owned by bob;")
        .expect("type");
    session
        .exp_string("=> ObjectCreator: allows")
        .expect("the creator decides");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session
        .send_line("who-can Update on table orders owned by bob;")
        .expect("type");
    session
        .exp_string("RAM$dev@example.com:bob  via creator")
        .expect("the creator is listed");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session
        .send_line("why bob Update on table orders owned by;")
        .expect("type");
    session
        .exp_string("`owned by` takes one principal")
        .expect("a usage problem, and the session goes on");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session
        .send_line("why bob Update on table orders to project other owned by bob;")
        .expect("type");
    session
        .exp_string("ProjectProtection: does not apply: Update on table orders moves no data out of the project")
        .expect("where the data goes is asked too");
    session.exp_string("dev> ").expect("the prompt again");
    pause();
    session.send_line("quit;").expect("type");
    session.exp_eof().expect("ends");
    let _ = std::fs::remove_dir_all(&dir);
}

/// With the accounts file that says which RAM policies are attached, the
/// members holding a high-risk one are findings; no secret is printed.
#[test]
fn audit_names_members_with_high_risk_ram_policies() {
    let dir = scratch("ram");
    let store = dir.join("s.db");
    assert_eq!(local(&store, &["-e", SETUP]).code, 0);
    std::fs::write(
        dir.join("accounts.toml"),
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-id\", secret = \"dev-secret-value\" }]\n\n[[accounts.ram_users]]\nlogon_name = \"alice\"\naccess_keys = [{ id = \"alice-id\", secret = \"alice-secret-value\" }]\nsystem_policies = [\"AdministratorAccess\"]\n\n[[accounts.ram_users]]\nlogon_name = \"zoe\"\naccess_keys = [{ id = \"zoe-id\", secret = \"zoe-secret-value\" }]\nsystem_policies = [\"AdministratorAccess\"]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\n",
    )
    .expect("write");
    let out = local(
        &store,
        &["audit", "--accounts", "accounts.toml", "--fail-on", "high"],
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stdout.contains("high[mcauth::audit::ram_high_risk_policy]: RAM$dev@example.com:alice has the high-risk RAM policy AdministratorAccess attached"),
        "{}",
        out.stdout
    );
    // zoe is not a member of the project.
    assert!(!out.stdout.contains("zoe"), "{}", out.stdout);
    assert!(!out.transcript().contains("secret-value"));
    let out = local(&store, &["audit", "--accounts", "missing.toml"]);
    assert_eq!(out.code, 3, "{}", out.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Project `shop` shares table `orders` with project `dev` through package
/// `pk` (column `card` labelled 2, the allowance's label 1); `dev`
/// installs it and lets role analyst use it.
const SHOP: &str = "create package pk;
add table orders to package pk with privileges Select, Describe;
set label 2 to table orders(card);
set LabelSecurity=true;
allow project dev to install package pk using label 1;
";
const DEV: &str = "add accountprovider ram;
add user RAM$dev@example.com:alice;
add user RAM$dev@example.com:bob;
create role analyst;
grant analyst to RAM$dev@example.com:alice;
install package shop.pk;
grant Read on package shop.pk to role analyst;
";

/// The trace `why alice Select on table shop.orders` answers on the
/// store, which holds project shop too.
const SHARED_TRACE: &str = "Allow: RAM$dev@example.com:alice Select on table shop.orders
  because package shop.pk shares table orders of project shop with Select, and RAM$dev@example.com:alice may use it: allowed by the ACL grant of Read on package shop.pk to role/analyst
   - owner: does not apply: the owner of project dev is ALIYUN$dev@example.com
   - membership: does not apply: RAM$dev@example.com:alice is a member of project dev
   - admin role: does not apply: RAM$dev@example.com:alice holds neither admin nor super_administrator
   - configuration: note: CheckPermissionUsingACL=true, CheckPermissionUsingPolicy=true: ACL and policy grants both count
   - ACL grant: does not apply: no grant to user/RAM$dev@example.com:alice names package shop.pk
   - ACL grant: allows: the ACL grant of Read on package shop.pk to role/analyst
       grant Read on package shop.pk to role analyst;
   - policy document: does not apply: no project or role policy document is stored
  => package: allows: package shop.pk shares table orders of project shop with Select, and RAM$dev@example.com:alice may use it: allowed by the ACL grant of Read on package shop.pk to role/analyst
       grant Read on package shop.pk to role analyst;
   - Download control: note: Download control is off (odps.security.enabledownloadprivilege is not true): MaxCompute does not ask for Download before a download
   - ProjectProtection: note: ProjectProtection=false: data read here may be written to other projects
";

#[test]
fn objects_of_another_project_are_decided_by_its_packages_installed_here() {
    let emulator = emulator_with_shop("shared");
    let store = emulator.dir.join("local.db");
    let in_shop = |args: &[&str]| {
        let mut argv = vec![
            "--store",
            store.to_str().expect("utf-8"),
            "--project",
            "shop",
        ];
        argv.extend_from_slice(args);
        mcauth_in(
            store.parent().expect("a folder"),
            &argv,
            "",
            &[("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")],
        )
    };
    let shop = in_shop(&["-e", SHOP]);
    assert_eq!(shop.code, 0, "{}", shop.transcript());
    let dev = local(&store, &["-e", DEV]);
    assert_eq!(dev.code, 0, "{}", dev.transcript());
    let why = ["why", "alice", "Select", "on", "table", "shop.orders"];
    let l = local(&store, &why);
    assert_eq!(without_history(&l.stdout), SHARED_TRACE);
    // The allowance's label 1 keeps the column labelled 2 out.
    let l = local(
        &store,
        &["why", "alice", "Select", "on", "table", "shop.orders(card)"],
    );
    assert!(
        l.stdout.starts_with("Deny: ")
            && l.stdout
                .contains("labelled 2 in project shop, above the label 1"),
        "{}",
        l.stdout
    );
    let l = local(&store, &["who-can", "Select", "on", "table", "shop.orders"]);
    assert!(
        l.stdout
            .contains("RAM$dev@example.com:alice  via package shop.pk")
            && !l.stdout.contains(":bob"),
        "{}",
        l.stdout
    );
    // Against MaxCompute, project shop is read as the caller may read
    // it: its packages and configuration, never the labels set on its
    // tables (no statement shows them).
    let shop = remote_in(&emulator, "shop", &["-e", SHOP]);
    assert_eq!(shop.code, 0, "{}", shop.transcript());
    let set_up = run_remote(&emulator, &["-e", DEV]);
    assert_eq!(set_up.code, 0, "{}", set_up.transcript());
    // Labels do not take part in a Describe: both backends decide alike.
    let describe = ["why", "alice", "Describe", "on", "table", "shop.orders"];
    let l = local(&store, &describe);
    let r = run_remote(&emulator, &describe);
    assert!(l.stdout.starts_with("Allow: "), "{}", l.stdout);
    assert_eq!(without_history(&r.stdout), without_history(&l.stdout));
    // A Select of a table under shop's LabelSecurity needs its labels,
    // which were not read: not verified, never absent.
    let r = run_remote(&emulator, &why);
    assert!(
        r.stdout.starts_with("Allow (not verified): ")
            && r.stdout
                .contains("package: not verified: the labels of project shop were not read"),
        "{}",
        r.stdout
    );
    // bob may not use the package: decided on both backends.
    let bob = ["why", "bob", "Describe", "on", "table", "shop.orders"];
    let l = local(&store, &bob);
    let r = run_remote(&emulator, &bob);
    assert!(l.stdout.starts_with("Deny: "), "{}", l.stdout);
    assert_eq!(without_history(&r.stdout), without_history(&l.stdout));
    let r = run_remote(
        &emulator,
        &["who-can", "Describe", "on", "table", "shop.orders"],
    );
    assert!(
        r.stdout
            .contains("RAM$dev@example.com:alice  via package shop.pk")
            && !r.stdout.contains(":bob"),
        "{}",
        r.stdout
    );
    // Taking shop's data on to another project is shop's protection's
    // to decide, which is not evaluated here: not verified.
    let out = local(
        &store,
        &[
            "who-can",
            "Select",
            "on",
            "table",
            "shop.orders",
            "--to-project",
            "elsewhere",
        ],
    );
    assert!(
        out.stdout
            .starts_with("Select on table shop.orders, to project elsewhere: ")
            && out
                .stdout
                .contains("RAM$dev@example.com:alice  via package shop.pk (not verified)"),
        "{}",
        out.stdout
    );
    // `mcauth test` decides expectations as `why` does: another
    // project's object by its packages, `owned by` and `to project` as
    // `--owner` and `--to-project`; alike on both backends.
    let expectations = "alice can Describe on table shop.orders
bob cannot Describe on table shop.orders
bob can Update on table notes owned by bob
bob can Update on table notes to project elsewhere owned by bob;
bob cannot Update on table notes
";
    let file = emulator.dir.join("shared.txt");
    std::fs::write(&file, expectations).expect("write");
    let file = file.to_str().expect("utf-8");
    let l = local(&store, &["test", file]);
    let r = run_remote(&emulator, &["test", file]);
    assert_eq!(l.code, 0, "{}", l.transcript());
    assert!(
        l.stdout.ends_with("5 expectation(s): 5 passed, 0 failed\n"),
        "{}",
        l.stdout
    );
    assert_eq!(r.transcript(), l.transcript());
    std::fs::write(
        emulator.dir.join("bad-clause.txt"),
        "bob can Update on table notes owned by\n",
    )
    .expect("write");
    let bad = local(
        &store,
        &[
            "test",
            emulator.dir.join("bad-clause.txt").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(bad.code, 2, "{}", bad.transcript());
    assert!(
        bad.stderr
            .contains(":1:31: error[mcauth::explain::bad_clause]: `owned by` takes one principal"),
        "{}",
        bad.stderr
    );
    // check --plan checks an install against the project it names, as a
    // run does.
    let install = emulator.dir.join("install.sql");
    std::fs::write(&install, "install package shop.nope;\n").expect("write");
    let out = local(
        &store,
        &["check", "--plan", install.to_str().expect("utf-8")],
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("package shop.nope does not exist"),
        "{}",
        out.stderr
    );
    // A file of mistakes prints at most --max-diagnostics of them.
    let many = emulator.dir.join("many.txt");
    std::fs::write(&many, "bob mayb Update on table notes\n".repeat(150)).expect("write");
    let out = local(&store, &["test", many.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert_eq!(
        out.stderr
            .matches("error[mcauth::test::expected_can]")
            .count(),
        100
    );
    assert!(
        out.stderr
            .contains("mcauth: 50 more diagnostics not shown (--max-diagnostics 0 shows all)")
            && out.stderr.contains("150 expectation(s) do not read"),
        "{}",
        out.stderr
    );
    // A project the service does not show is not read: not verified.
    let out = run_remote(&emulator, &["-e", "install package nowhere.pk;"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let r = run_remote(
        &emulator,
        &["why", "alice", "Describe", "on", "table", "nowhere.t"],
    );
    assert!(
        r.stdout.starts_with("Deny (not verified): ")
            && r.stdout.contains(
                "package: not verified: package nowhere.pk is installed; the packages of project nowhere were not read"
            ),
        "{}",
        r.stdout
    );
}
