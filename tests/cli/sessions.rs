//! State that crosses a session, on both backends. Each case is a series
//! of mcauth runs, each its own process: on the embedded store (one store
//! file) and against `mcauth serve` (one emulator). Every run must end
//! with the same exit code and print the same results and diagnostics on
//! both, and a refusal must name the same rule: a second remote session
//! reads the facts the first one made instead of taking them for absent.
//!
//! What MaxCompute does not show (the grants a removed user or dropped
//! role keeps, the tenant roles added to the project, row access and data
//! masking policies) is unknown to a remote session, never absent: its
//! check passes with a `not_verified` warning naming the fact, and the
//! service decides (`unread_facts_are_left_to_the_service`).

use std::path::Path;

use crate::remote::{Emulator, start};
use crate::support::{Outcome, mcauth_in, repo};

/// One run: extra arguments, the statements, the exit code, and a piece
/// of what both backends must print ("" for none). Arguments
/// that start with `--project P` run on project P instead of dev.
type Step = (&'static [&'static str], &'static str, i32, &'static str);

const RAM_BOB: &str = "add accountprovider ram; add user RAM$bob;";

fn cases() -> Vec<(&'static str, Vec<Step>)> {
    vec![
        (
            "trusted projects",
            vec![
                (&[], "add trustedproject other;", 0, ""),
                (
                    &[],
                    "add trustedproject other;",
                    1,
                    "trusted_project_exists",
                ),
                (&[], "list trustedprojects;", 0, ""),
                (&[], "remove trustedproject other;", 0, ""),
                (
                    &[],
                    "remove trustedproject other;",
                    1,
                    "trusted_project_not_found",
                ),
            ],
        ),
        (
            "packages",
            vec![
                (
                    &[],
                    "create package pk; add table t to package pk with privileges Select;",
                    0,
                    "",
                ),
                (&[], "create package pk;", 1, "package_exists"),
                (&[], "allow project q to install package pk;", 0, ""),
                (
                    &["--dry-run"],
                    "disallow project q to install package pk; remove table t from package pk;",
                    0,
                    "",
                ),
                (&[], "drop package pk;", 0, ""),
                (&[], "drop package pk;", 1, "package_not_found"),
            ],
        ),
        (
            "tenant users",
            vec![
                (&[], "add tenant user RAM$carol;", 0, ""),
                (&[], "add tenant user RAM$carol;", 1, "tenant_user_exists"),
                (&[], "remove tenant user RAM$carol;", 0, ""),
                (
                    &[],
                    "remove tenant user RAM$carol;",
                    1,
                    "tenant_user_not_found",
                ),
            ],
        ),
        (
            "tenant roles",
            vec![
                (
                    &[],
                    "create tenant role tr; add tenant user RAM$dan; grant tenant role tr to user RAM$dan;",
                    0,
                    "",
                ),
                (&[], "create tenant role tr;", 1, "role_already_exists"),
                (&[], "drop tenant role tr;", 1, "role_in_use"),
                (&[], "remove tenant user RAM$dan;", 1, "user_holds_roles"),
                (
                    &[],
                    "revoke tenant role tr from user RAM$dan; drop tenant role tr;",
                    0,
                    "",
                ),
                (&[], "drop tenant role tr;", 1, "role_not_found"),
            ],
        ),
        (
            "security flags",
            vec![
                (&[], "set ProjectProtection=true;", 0, ""),
                (
                    &["--dry-run"],
                    "set ProjectProtection=true; set LabelSecurity=false;",
                    0,
                    "",
                ),
                (&[], "show securityconfiguration;", 0, ""),
            ],
        ),
        (
            "grants",
            vec![
                (&[], RAM_BOB, 0, ""),
                (
                    &[],
                    "grant Select on table t to RAM$bob; create role r; grant Describe on table t to role r;",
                    0,
                    "",
                ),
                (
                    &["--dry-run"],
                    "revoke Describe on table t from role r; revoke Update on table t from role r; grant Select on table t to RAM$bob;",
                    0,
                    "",
                ),
                (
                    &["--dry-run"],
                    "remove user RAM$bob; purge privs from user RAM$bob;",
                    0,
                    "",
                ),
            ],
        ),
        (
            "labels",
            vec![
                (&[], RAM_BOB, 0, ""),
                (&[], "grant label 2 on table t to RAM$bob;", 0, ""),
                (
                    &["--dry-run"],
                    "revoke label on table t from RAM$bob;",
                    0,
                    "",
                ),
                (&[], "revoke label on table t from RAM$bob;", 0, ""),
                (
                    &["--dry-run"],
                    "revoke label on table t from RAM$bob;",
                    0,
                    "",
                ),
            ],
        ),
        (
            "installs",
            vec![
                (
                    &["--project", "other"],
                    "create package pk; add table t to package pk with privileges Select; allow project dev to install package pk;",
                    0,
                    "",
                ),
                (&[], "install package other.pk;", 0, ""),
                (&[], "install package other.pk;", 0, "is already installed"),
                (&["--dry-run"], "uninstall package other.pk;", 0, ""),
                (&[], "uninstall package other.pk;", 0, ""),
                (
                    &[],
                    "uninstall package other.pk;",
                    1,
                    "package_not_installed",
                ),
            ],
        ),
        (
            "policies",
            vec![
                (
                    &[],
                    "create role r; put policy examples/policies/analyst-role.json on role r; put policy examples/policies/project-deny-sales.json;",
                    0,
                    "",
                ),
                (&[], "get policy on role r; get policy;", 0, ""),
                (&["--dry-run"], "drop role r; get policy;", 0, ""),
                (&[], "drop role r;", 0, ""),
                (&[], "get policy on role r;", 1, "role_not_found"),
            ],
        ),
        (
            "groups",
            vec![
                (&[], "add group g1 comment 'x'; add tenant group tg;", 0, ""),
                (&[], "add group g1;", 1, "group_exists"),
                (&[], "add tenant group tg;", 1, "group_exists"),
                (
                    &["--dry-run"],
                    "remove group g1; remove group g2;",
                    1,
                    "group_not_found",
                ),
                (&[], "remove group g1; list groups;", 0, ""),
            ],
        ),
        (
            "project properties",
            vec![
                (
                    &[],
                    "setproject odps.security.enabledownloadprivilege=true motd=hi;",
                    0,
                    "",
                ),
                (
                    &["--dry-run"],
                    "setproject odps.security.enabledownloadprivilege=true motd=hi;",
                    0,
                    "already has that value",
                ),
                (&[], "setproject;", 0, ""),
            ],
        ),
        (
            "members and roles",
            vec![
                (
                    &[],
                    "add accountprovider ram; add user RAM$al; create role r; grant r to RAM$al;",
                    0,
                    "",
                ),
                (&[], "remove user RAM$al;", 1, "user_holds_roles"),
                (&[], "drop role r;", 1, "role_in_use"),
                (&[], "grant r to RAM$al;", 1, "role_already_granted"),
                (&[], "add user RAM$al;", 1, "user_already_exists"),
                (
                    &[],
                    "remove accountprovider ram;",
                    1,
                    "account_provider_in_use",
                ),
            ],
        ),
    ]
}

/// The steps that leave the service to judge a fact it does not show:
/// extra arguments, the statements, the exit code on both backends, and
/// what only the remote run says (the `not_verified` note, or the
/// service's refusal, which carries the rule's message).
fn unread_cases() -> Vec<(&'static str, Vec<Step>)> {
    const NOTE: &str = "has not read";
    vec![
        (
            "retained grants",
            vec![
                (
                    &[],
                    "add accountprovider ram; add user RAM$bob; grant Select on table t to RAM$bob; create role gone; grant Describe on table t to role gone;",
                    0,
                    "",
                ),
                (&[], "remove user RAM$bob; drop role gone;", 0, ""),
                (
                    &["--dry-run"],
                    "purge privs from user RAM$bob; purge privs from role gone;",
                    0,
                    "has not read the grants of user/RAM$dev@example.com:bob",
                ),
                (
                    &[],
                    "purge privs from user RAM$bob; purge privs from role gone;",
                    0,
                    "has not read the grants of role/gone",
                ),
            ],
        ),
        (
            "tenant roles in the project",
            vec![
                (&[], "create tenant role tr;", 0, ""),
                (
                    &[],
                    "add tenant role tr to project dev;",
                    0,
                    "has not read the tenant roles added to the project",
                ),
                (&[], "remove tenant role tr from project dev;", 0, NOTE),
            ],
        ),
        (
            "row access policies",
            vec![
                (
                    &[],
                    "create row access policy p1 on t to default filter using (a = 1);",
                    0,
                    "has not read the row access policies",
                ),
                (&[], "drop row access policy p1 on t;", 0, NOTE),
                (
                    &[],
                    "drop row access policy p1 on t;",
                    1,
                    "table t has no row access policy p1",
                ),
            ],
        ),
        (
            "data masking policies",
            vec![
                (
                    &[],
                    "create data masking policy m1 to default using MASKED_HASH;",
                    0,
                    "has not read the data masking policies",
                ),
                (
                    &[],
                    "create data masking policy m1 to default using UNMASKED;",
                    1,
                    "data masking policy m1 already exists",
                ),
            ],
        ),
    ]
}

/// Project dev, and project other that shares a package with it; both
/// start as a new project of the embedded store does (ALIYUN only).
fn emulator(name: &str) -> Emulator {
    let dir = std::env::temp_dir().join(format!("mcauth-sessions-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    let mut toml = String::from(
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n",
    );
    for project in ["dev", "other"] {
        toml.push_str(&format!(
            "\n[[projects]]\nname = \"{project}\"\nowner = \"ALIYUN$dev@example.com\"\naccount_providers = [\"ALIYUN\"]\n"
        ));
    }
    std::fs::write(&accounts, toml).expect("write accounts.toml");
    let emulator = start(name, &["--accounts", accounts.to_str().expect("utf-8")]);
    let _ = std::fs::remove_dir_all(&dir);
    emulator
}

/// Runs one step on the store and on the emulator.
fn run_both(emulator: &Emulator, store: &Path, args: &[&str], script: &str) -> (Outcome, Outcome) {
    let (project, args) = match args {
        ["--project", p, rest @ ..] => (*p, rest),
        _ => ("dev", args),
    };
    let store = store.to_str().expect("utf-8");
    let mut local_args = vec![
        "--store",
        store,
        "--project",
        project,
        "--error-format",
        "plain",
    ];
    local_args.extend_from_slice(args);
    local_args.extend(["-e", script]);
    let local = mcauth_in(
        &repo(),
        &local_args,
        "",
        &[("MCAUTH_IDENTITY", "ALIYUN$dev@example.com")],
    );
    let mut remote_args = vec![
        "--endpoint",
        &emulator.endpoint,
        "--project",
        project,
        "--error-format",
        "plain",
    ];
    remote_args.extend_from_slice(args);
    remote_args.extend(["-e", script]);
    let remote = mcauth_in(
        &repo(),
        &remote_args,
        "",
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
        ],
    );
    (local, remote)
}

/// Everything a run printed, but the words that say where it went.
fn outcome(out: &Outcome) -> String {
    format!("exit {}\n{}", out.code, out.stdout)
        + &out.stderr.replace("nothing was sent", "nothing was run")
}

#[test]
fn facts_made_in_one_session_are_read_by_the_next_on_both_backends() {
    for (i, (name, steps)) in cases().into_iter().enumerate() {
        // A clean project on both backends for each case.
        let emulator = emulator(&format!("sessions-{i}"));
        let store = emulator.dir.join("local.db");
        for (args, script, code, needle) in steps {
            let (local, remote) = run_both(&emulator, &store, args, script);
            let what = format!("{name}: {args:?} {script}");
            assert_eq!(local.code, code, "{what} embedded: {}", local.transcript());
            assert_eq!(
                outcome(&remote),
                outcome(&local),
                "{what}\nremote: {}\nembedded: {}",
                remote.transcript(),
                local.transcript()
            );
            assert!(
                outcome(&local).contains(needle),
                "{what}: {}",
                local.transcript()
            );
            assert!(
                !remote.stderr.contains("has not read"),
                "{what} read everything it needs: {}",
                remote.transcript()
            );
        }
    }
}

#[test]
fn unread_facts_are_left_to_the_service() {
    for (i, (name, steps)) in unread_cases().into_iter().enumerate() {
        let emulator = emulator(&format!("unread-{i}"));
        let store = emulator.dir.join("local.db");
        for (args, script, code, remote_says) in steps {
            let (local, remote) = run_both(&emulator, &store, args, script);
            let what = format!("{name}: {args:?} {script}");
            let both = format!(
                "{what}\nremote: {}\nembedded: {}",
                remote.transcript(),
                local.transcript()
            );
            assert_eq!(local.code, code, "{both}");
            assert_eq!(remote.code, code, "{both}");
            assert!(
                !local.stderr.contains("not_verified") && !local.stdout.contains("not checked"),
                "the store holds every fact: {both}"
            );
            let said = format!("{}{}", remote.stdout, remote.stderr);
            assert!(said.contains(remote_says), "{both}");
            if remote_says.is_empty() {
                // A step that sets the case up.
                assert_eq!(outcome(&remote), outcome(&local), "{both}");
            } else if code == 0 {
                // Not read is not absent: the statement is not refused
                // for it, and the warning names the fact.
                assert!(said.contains("not checked: mcauth has not read"), "{both}");
            } else {
                // The service judged what mcauth did not read.
                assert!(
                    remote.stderr.contains("mcauth::odps::service_error"),
                    "{both}"
                );
            }
        }
    }
}
