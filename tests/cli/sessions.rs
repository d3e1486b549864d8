//! State that crosses a session, on both backends. Each case is a series
//! of mcauth runs, each its own process: on the embedded store (one store
//! file) and against `mcauth serve` (one emulator). Every run must end
//! with the same exit code and print the same results on both, and a
//! refusal must name the same rule: a second remote session reads the
//! facts the first one made instead of taking them for absent.

use crate::remote::start;
use crate::support::{Outcome, mcauth_in, repo};

/// One run: extra arguments, the statements, the exit code, and a piece
/// of standard error both backends must print ("" for none).
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

fn outcome_line(out: &Outcome) -> String {
    format!("exit {}\n{}", out.code, out.stdout)
}

#[test]
fn facts_made_in_one_session_are_read_by_the_next_on_both_backends() {
    for (i, (name, steps)) in cases().into_iter().enumerate() {
        // A clean project on both backends for each case.
        let emulator = start(&format!("sessions-{i}"), &[]);
        let store = emulator.dir.join("local.db");
        let store = store.to_str().expect("utf-8");
        let emulator_project = "dev";
        for (args, script, code, needle) in steps {
            let mut local_args = vec![
                "--store",
                store,
                "--project",
                "dev",
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
                emulator_project,
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
            let what = format!("{name}: {args:?} {script}");
            assert_eq!(local.code, code, "{what} embedded: {}", local.transcript());
            assert_eq!(
                outcome_line(&remote),
                outcome_line(&local),
                "{what}\nremote: {}\nembedded: {}",
                remote.transcript(),
                local.transcript()
            );
            for (backend, out) in [("embedded", &local), ("remote", &remote)] {
                assert!(
                    out.stderr.contains(needle),
                    "{what} {backend}: {}",
                    out.transcript()
                );
                assert!(
                    !out.stderr.contains("not_verified"),
                    "{what} {backend} read everything it needs: {}",
                    out.transcript()
                );
            }
        }
    }
}
