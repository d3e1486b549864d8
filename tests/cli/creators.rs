//! The creator's grant right (`ObjectCreatorHasGrantPermission`): a member
//! holding no role that may grant can still grant and revoke on an object
//! it created. Creators are not project state: where they are not known
//! (the embedded store, the remote backend's checks) the statement passes
//! with a `not_verified` warning and MaxCompute decides; the emulator knows
//! the creators of the tables it declares and decides as MaxCompute does.

use std::path::Path;

use crate::remote::start;
use crate::support::{Outcome, mcauth_in, repo};

const ALICE: &str = "RAM$o@example.com:alice";
const BOB: &str = "RAM$o@example.com:bob";
const SETUP: &str = "add accountprovider ram;
add user RAM$o@example.com:alice;
add user RAM$o@example.com:bob;
create role r;
";
const WARNING: &str = "warning[mcauth::engine::not_verified]: not checked: RAM$o@example.com:alice holds no role that may grant or revoke; the creator of table orders may (ObjectCreatorHasGrantPermission=true), and who created it is not known";

fn on_store(store: &Path, who: Option<&str>, script: &str) -> Outcome {
    let mut argv = vec![
        "--store",
        store.to_str().expect("utf-8"),
        "--project",
        "dev",
    ];
    if let Some(who) = who {
        argv.extend(["--as", who]);
    }
    argv.extend(["-e", script]);
    mcauth_in(
        &repo(),
        &argv,
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$o@example.com")],
    )
}

#[test]
fn a_member_may_grant_on_what_it_may_have_created_on_the_store() {
    let dir = std::env::temp_dir().join(format!("mcauth-creators-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = dir.join("s.db");
    assert_eq!(on_store(&store, None, SETUP).code, 0);
    let grant = format!("grant Select on table orders to {BOB};");
    let out = on_store(&store, Some(ALICE), &grant);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stderr.contains(WARNING), "{}", out.stderr);
    // A pattern names tables nobody has created yet, and an installed
    // package was created in another project: the standing counts.
    for (statement, action) in [
        (
            "grant Select on table t_* to role r privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");".to_owned(),
            "Grant",
        ),
        (format!("grant Read on package other.pk to {BOB};"), "Grant"),
    ] {
        let out = on_store(&store, Some(ALICE), &statement);
        assert_eq!(out.code, 1, "{statement}: {}", out.transcript());
        assert!(
            out.stderr
                .contains(&format!("no privilege 'odps:{action}'")),
            "{}",
            out.stderr
        );
    }
    // Nothing is created on a project: that needs the standing.
    let out = on_store(
        &store,
        Some(ALICE),
        &format!("grant CreateTable on project dev to {BOB};"),
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("no privilege 'odps:Grant'"),
        "{}",
        out.stderr
    );
    // With the creators' grant right off, only the standing counts.
    assert_eq!(
        on_store(&store, None, "set ObjectCreatorHasGrantPermission=false;").code,
        0
    );
    let out = on_store(
        &store,
        Some(ALICE),
        &format!("revoke Select on table orders from {BOB};"),
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("no privilege 'odps:Revoke'"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn against_the_emulator_only_the_tables_creator_may() {
    let dir = std::env::temp_dir().join(format!("mcauth-creators-remote-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"o@example.com\"\naccess_keys = [{ id = \"o-id\", secret = \"o-secret\" }]\n\n[[accounts.ram_users]]\nlogon_name = \"alice\"\naccess_keys = [{ id = \"alice-id\", secret = \"alice-secret\" }]\n\n[[accounts.ram_users]]\nlogon_name = \"bob\"\naccess_keys = [{ id = \"bob-id\", secret = \"bob-secret\" }]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$o@example.com\"\ntables = [{ name = \"orders\", owner = \"RAM$o@example.com:alice\" }]\n",
    )
    .expect("write accounts.toml");
    let emulator = start(
        "creators",
        &["--accounts", accounts.to_str().expect("utf-8")],
    );
    let run = |key: &str, script: &str| {
        mcauth_in(
            &repo(),
            &[
                "--endpoint",
                &emulator.endpoint,
                "--project",
                "dev",
                "-e",
                script,
            ],
            "",
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", &format!("{key}-id")),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &format!("{key}-secret")),
            ],
        )
    };
    assert_eq!(run("o", SETUP).code, 0);
    // alice created orders. A plain member may not read who holds which
    // role, so her standing is not known either: mcauth says so and sends
    // it, and the service lets her.
    let out = run("alice", &format!("grant Select on table orders to {BOB};"));
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("warning[mcauth::engine::not_verified]"),
        "{}",
        out.stderr
    );
    let shown = run("o", &format!("show grants for {BOB};"));
    assert!(
        shown.stdout.contains("projects/dev/tables/orders: Select"),
        "{}",
        shown.stdout
    );
    // bob did not: the service refuses, as MaxCompute does.
    let out = run(
        "bob",
        &format!("grant Describe on table orders to {ALICE};"),
    );
    assert_ne!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("no privilege 'odps:Grant'"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
