//! `mcauth policy lint` and `mcauth policy simulate`.

use crate::support::{Outcome, mcauth};

const P: &str = "tests/cli/policies";

fn lint(args: &[&str], stdin: &str) -> Outcome {
    let mut all = vec!["policy", "lint"];
    all.extend_from_slice(args);
    mcauth(&all, stdin)
}

fn simulate(args: &[&str], stdin: &str) -> Outcome {
    let mut all = vec!["policy", "simulate"];
    all.extend_from_slice(args);
    mcauth(&all, stdin)
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?} is not JSON: {e}")))
        .collect()
}

/// Runs mcauth with raw bytes on standard input.
fn mcauth_bytes(args: &[&str], stdin: &[u8]) -> Outcome {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcauth"))
        .args(args)
        .current_dir(crate::support::repo())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mcauth runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("stdin accepts the bytes");
    let out = child.wait_with_output().expect("mcauth finishes");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---- lint -------------------------------------------------------------------------------

#[test]
fn clean_policies_exit_0() {
    let out = lint(
        &[
            "tests/cli/policies/deny-unencrypted.json",
            "tests/cli/policies/quota-admin.json",
            "examples/policies/project-admin.json",
            "examples/policies/deny-unencrypted-projects.json",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stderr, "linted 4 files: no findings\n");
    assert_eq!(out.stdout, "");
}

#[test]
fn warnings_alone_exit_0() {
    let out = lint(
        &[
            "--error-format",
            "plain",
            "tests/cli/policies/warnings.json",
        ],
        "",
    );
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn mistakes_are_reported_with_positions_and_exit_1() {
    let out = lint(&["tests/cli/policies/mistakes.json"], "");
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn fancy_findings_show_the_source() {
    let out = lint(
        &[
            "--error-format",
            "fancy",
            "tests/cli/policies/mistakes.json",
        ],
        "",
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn the_example_with_mistakes_fails() {
    let out = lint(&["examples/policies/quota-team-with-mistakes.json"], "");
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn json_is_one_object_per_finding_on_stdout() {
    let out = lint(
        &["--format", "json", "tests/cli/policies/mistakes.json"],
        "",
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "", "no summary in JSON mode");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4);
    let unknown = &lines[1];
    assert_eq!(unknown["file"], "tests/cli/policies/mistakes.json");
    assert_eq!(unknown["code"], "mcauth::policy::unknown_action");
    assert_eq!(unknown["severity"], "error");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(6), Some(18))
    );
    assert_eq!(unknown["help"], "did you mean `odps:CreateProject`?");
    let src = std::fs::read_to_string(crate::support::repo().join(P).join("mistakes.json"))
        .unwrap_or_default();
    let (start, end) = (
        unknown["start"].as_u64().unwrap_or(0) as usize,
        unknown["end"].as_u64().unwrap_or(0) as usize,
    );
    assert_eq!(src.get(start..end), Some("\"odps:CreateProjects\""));
    // `--error-format json` means the same.
    let same = lint(
        &["--error-format", "json", "tests/cli/policies/mistakes.json"],
        "",
    );
    assert_eq!(same.stdout, out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn related_places_are_in_the_json() {
    let out = lint(
        &["--format", "json", "tests/cli/policies/warnings.json"],
        "",
    );
    assert_eq!(out.code, 0);
    let lines = json_lines(&out.stdout);
    let shadowed = lines
        .iter()
        .find(|l| l["code"] == "mcauth::policy::shadowed_statement");
    let related = shadowed.map(|l| &l["related"][0]);
    assert_eq!(
        related.and_then(|r| r["line"].as_u64()),
        Some(5),
        "{}",
        out.stdout
    );
}

#[test]
fn unreadable_files_exit_2_and_the_others_are_still_linted() {
    let out = lint(
        &[
            "--error-format",
            "plain",
            "no/such/policy.json",
            "tests/cli/policies/mistakes.json",
        ],
        "",
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("mcauth: cannot read no/such/policy.json"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("mistakes.json:6:18: error[mcauth::policy::unknown_action]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("linted 1 file: 3 errors, 1 warning, 1 file not read\n"),
        "{}",
        out.stderr
    );
    let json = lint(&["--format", "json", "no/such/policy.json"], "");
    assert_eq!(json.code, 2);
    assert_eq!(
        json_lines(&json.stdout)[0]["code"],
        "mcauth::io::unreadable"
    );
    let directory = lint(&["tests/cli/policies"], "");
    assert_eq!(directory.code, 2);
}

#[test]
fn invalid_utf8_is_a_finding_with_a_position() {
    let bytes = b"{\"Version\": \"1\",\n \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"odps:GetProject\", \"Resource\": \"\xff\"}}";
    let out = mcauth_bytes(&["policy", "lint", "--error-format", "plain"], bytes);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("<stdin>:2:77: error[mcauth::policy::json::invalid_utf8]"),
        "{}",
        out.stderr
    );
    let json = mcauth_bytes(&["policy", "lint", "--format", "json"], bytes);
    let line = &json_lines(&json.stdout)[0];
    assert_eq!(line["start"], 93);
    assert_eq!(line["line"], 2);
}

#[test]
fn truncated_json_points_at_the_end() {
    let out = lint(
        &["--error-format", "plain", "-"],
        "{\"Version\": \"1\", \"Statement\": [",
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn deep_nesting_is_a_finding_not_a_crash() {
    let deep = format!(
        "{{\"Version\": \"1\", \"Statement\": {}",
        "[".repeat(100_000)
    );
    let out = lint(&["--format", "json"], &deep);
    assert_eq!(out.code, 1);
    assert_eq!(
        json_lines(&out.stdout)[0]["code"],
        "mcauth::policy::json::too_deep"
    );
}

#[test]
fn the_project_dialect_takes_principal() {
    let project = lint(
        &["--dialect", "project", "tests/cli/policies/project.json"],
        "",
    );
    assert_eq!(project.code, 0, "{}", project.transcript());
    let ram = lint(&["--format", "json", "tests/cli/policies/project.json"], "");
    assert_eq!(ram.code, 1);
    assert_eq!(
        json_lines(&ram.stdout)[0]["code"],
        "mcauth::policy::principal_not_allowed"
    );
    let missing = lint(
        &[
            "--dialect",
            "project",
            "--format",
            "json",
            "tests/cli/policies/quota-admin.json",
        ],
        "",
    );
    assert_eq!(missing.code, 1);
    assert!(
        json_lines(&missing.stdout)
            .iter()
            .all(|l| l["code"] == "mcauth::policy::missing_principal")
    );
}

#[test]
fn standard_input_is_linted_without_files() {
    let src = std::fs::read_to_string(crate::support::repo().join(P).join("deny-unencrypted.json"))
        .unwrap_or_default();
    let out = lint(&[], &src);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(lint(&["-"], "{}").code, 1);
}

// ---- simulate ---------------------------------------------------------------------------

const DENY: &str = "tests/cli/policies/deny-unencrypted.json";

#[test]
fn seed_002_encryption_deny_denies_unencrypted_projects() {
    let out = simulate(
        &[
            "--policy",
            DENY,
            "--system-policy",
            "AliyunMaxComputeFullAccess",
            "--action",
            "odps:CreateProject",
            "--resource",
            "acs:odps:cn-hangzhou:12345:projects/*",
            "--context",
            "odps:Encryption=false",
        ],
        "",
    );
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn seed_002_encryption_deny_does_not_decide_otherwise() {
    for context in [&["--context", "odps:Encryption=true"][..], &[]] {
        let mut args = vec![
            "--policy",
            DENY,
            "--action",
            "odps:CreateProject",
            "--resource",
            "*",
        ];
        args.extend_from_slice(context);
        let out = simulate(&args, "");
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.starts_with("decision: ImplicitDeny\n"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains(":4 statement 1 (Deny): did not apply: condition Bool on odps:Encryption does not hold"), "{}", out.stdout);
    }
    let allowed = simulate(
        &[
            "--policy",
            DENY,
            "--system-policy",
            "AliyunMaxComputeFullAccess",
            "--action",
            "odps:CreateProject",
        ]
        .into_iter()
        .chain([
            "--resource",
            "*",
            "--context",
            "odps:Encryption=true",
            "--format",
            "json",
        ])
        .collect::<Vec<_>>(),
        "",
    );
    let answer = &json_lines(&allowed.stdout)[0];
    assert_eq!(answer["outcome"], "allow");
    assert_eq!(
        answer["decided_by"]["policy"],
        "system:AliyunMaxComputeFullAccess"
    );
    assert_eq!(answer["statements"][0]["status"], "condition_not_met");
}

#[test]
fn list_projects_is_allowed_by_default() {
    let out = simulate(
        &[
            "--action",
            "odps:ListProjects",
            "--resource",
            "acs:odps:cn-hangzhou:12345:projects/*",
        ],
        "",
    );
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.transcript());
    let json = simulate(
        &[
            "--action",
            "odps:GetProject",
            "--resource",
            "acs:odps:cn-hangzhou:12345:projects/p",
            "--format",
            "json",
        ],
        "",
    );
    let answer = &json_lines(&json.stdout)[0];
    assert_eq!(answer["outcome"], "allow");
    assert_eq!(answer["basis"], "default_project_visibility");
    assert!(answer.get("decided_by").is_none());
    // Other actions are not.
    let other = simulate(
        &[
            "--action",
            "odps:DeleteProject",
            "--resource",
            "*",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(json_lines(&other.stdout)[0]["outcome"], "implicit_deny");
}

#[test]
fn the_first_applicable_allow_decides_and_the_others_say_why_not() {
    let out = simulate(
        &[
            "--policy",
            "tests/cli/policies/quota-admin.json",
            "--policy",
            DENY,
            "--action",
            "odps:UpdateQuota",
            "--resource",
            "acs:odps:cn-hangzhou:12345:quotas/q1",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let answer = &json_lines(&out.stdout)[0];
    assert_eq!(answer["outcome"], "allow");
    assert_eq!(
        answer["decided_by"]["policy"],
        "tests/cli/policies/quota-admin.json"
    );
    assert_eq!(answer["decided_by"]["line"], 4);
    let statuses: Vec<_> = answer["statements"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [
            "decided",
            "action_not_matched",
            "action_not_matched",
            "action_not_matched"
        ]
    );
    let resource = simulate(
        &[
            "--policy",
            "tests/cli/policies/quota-admin.json",
            "--action",
            "odps:UpdateQuota",
            "--resource",
            "acs:odps:cn-shanghai:12345:quotas/q1",
        ],
        "",
    );
    assert!(
        resource.stdout.starts_with("decision: ImplicitDeny"),
        "{}",
        resource.stdout
    );
    assert!(
        resource.stdout.contains(
            "did not apply: its resources do not cover acs:odps:cn-shanghai:12345:quotas/q1"
        ),
        "{}",
        resource.stdout
    );
}

#[test]
fn expect_turns_a_decision_into_an_exit_code() {
    let base = [
        "--policy",
        DENY,
        "--action",
        "odps:CreateProject",
        "--resource",
        "*",
        "--context",
        "odps:Encryption=false",
    ];
    let run = |expect: &str| simulate(&[&base[..], &["--expect", expect]].concat(), "");
    assert_eq!(run("deny").code, 0);
    assert_eq!(run("explicit-deny").code, 0);
    let wrong = run("allow");
    assert_eq!(wrong.code, 1);
    assert!(
        wrong
            .stdout
            .contains("expected: allow, but the decision is ExplicitDeny (MISMATCH)"),
        "{}",
        wrong.stdout
    );
    assert_eq!(run("implicit-deny").code, 1);
}

#[test]
fn a_batch_on_standard_input_answers_one_line_each() {
    let requests = [
        r#"{"action": "odps:CreateProject", "resource": "*", "context": {"odps:Encryption": false}, "expect": "deny"}"#,
        "",
        r#"{"action": "odps:CreateProject", "resource": "*", "context": {"odps:Encryption": "true"}}"#,
        r#"{"action": "odps:ListProjects", "resource": "acs:odps:cn-hangzhou:12345:projects/*", "expect": "allow"}"#,
    ]
    .join("\n");
    let text = simulate(&["--policy", DENY], &requests);
    assert_eq!(text.code, 0, "{}", text.transcript());
    insta::assert_snapshot!(text.transcript());
    let json = simulate(&["--policy", DENY, "--format", "json"], &requests);
    let lines = json_lines(&json.stdout);
    let got: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l["line"].as_u64(),
                l["outcome"].as_str(),
                l["as_expected"].as_bool(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(1), Some("explicit_deny"), Some(true)),
            (Some(3), Some("implicit_deny"), None),
            (Some(4), Some("allow"), Some(true)),
        ]
    );
}

#[test]
fn a_batch_with_a_wrong_expectation_exits_1() {
    let requests = "{\"action\": \"odps:CreateProject\", \"resource\": \"*\", \"context\": {\"odps:Encryption\": \"true\"}, \"expect\": \"deny\"}\n";
    let out = simulate(
        &[
            "--policy",
            DENY,
            "--system-policy",
            "AliyunMaxComputeFullAccess",
        ],
        requests,
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stdout
            .contains("expected deny, but the decision is Allow (MISMATCH)"),
        "{}",
        out.stdout
    );
    // The command line's --expect applies to lines without their own.
    let global = simulate(&["--policy", DENY, "--expect", "allow"], requests);
    assert_eq!(
        global.code,
        0,
        "the line's own expectation wins: {}",
        global.transcript()
    );
}

#[test]
fn malformed_batch_lines_are_answered_and_exit_2() {
    let requests = "{\"action\": \"odps:GetProject\"}\nnot json\n{\"action\": \"odps:GetProject\", \"resource\": \"*\", \"expect\": \"maybe\"}\n{\"action\": \"odps:GetProject\", \"resource\": \"*\"}\n";
    let out = simulate(&["--policy", DENY, "--format", "json"], requests);
    assert_eq!(out.code, 2, "{}", out.transcript());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0]["error"]["code"],
        "mcauth::policy::request::missing_field"
    );
    assert_eq!(lines[1]["error"]["code"], "mcauth::policy::request::json");
    assert_eq!(
        lines[2]["error"]["code"],
        "mcauth::policy::request::wrong_type"
    );
    assert_eq!(lines[3]["outcome"], "allow");
    let bytes = mcauth_bytes(&["policy", "simulate"], b"{\"action\": \"\xff\"}\n");
    assert_eq!(bytes.code, 2);
    assert!(
        bytes.stdout.starts_with("error: line 1: not UTF-8"),
        "{}",
        bytes.stdout
    );
}

#[test]
fn policies_with_errors_are_not_simulated() {
    let out = simulate(
        &[
            "--error-format",
            "plain",
            "--policy",
            "tests/cli/policies/mistakes.json",
            "--action",
            "odps:GetProject",
            "--resource",
            "*",
        ],
        "",
    );
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(
        simulate(
            &[
                "--policy",
                "no/such.json",
                "--action",
                "a",
                "--resource",
                "*"
            ],
            ""
        )
        .code,
        2
    );
    assert_eq!(
        simulate(&["--policy", "-"], "").code,
        2,
        "stdin cannot carry both a policy and a batch"
    );
    assert_eq!(
        simulate(
            &["--action", "a", "--resource", "*", "--context", "novalue"],
            ""
        )
        .code,
        2
    );
    assert_eq!(
        simulate(&["--action", "a"], "").code,
        2,
        "--action needs --resource"
    );
}

#[test]
fn system_policies_are_checked_by_name() {
    let unknown = simulate(
        &[
            "--system-policy",
            "AliyunMaxComputeFullAcess",
            "--action",
            "odps:GetProject",
            "--resource",
            "*",
        ],
        "",
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("did you mean `AliyunMaxComputeFullAccess`?"),
        "{}",
        unknown.stderr
    );
    let risky = simulate(
        &[
            "--system-policy",
            "AdministratorAccess",
            "--action",
            "odps:DeleteProject",
            "--resource",
            "*",
        ],
        "",
    );
    assert_eq!(risky.code, 0);
    assert!(
        risky
            .stderr
            .contains("warning[mcauth::policy::high_risk_policy]"),
        "{}",
        risky.stderr
    );
    assert!(
        risky.stdout.starts_with("decision: Allow\n"),
        "{}",
        risky.stdout
    );
    let read_only = simulate(
        &[
            "--system-policy",
            "AliyunMaxComputeReadOnlyAccess",
            "--action",
            "odps:DeleteProject",
            "--resource",
            "*",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(json_lines(&read_only.stdout)[0]["outcome"], "implicit_deny");
}

#[test]
fn a_misspelt_action_is_an_error_with_a_did_you_mean() {
    // Not a silent ImplicitDeny: no decision is printed, and the exit is 2.
    let out = simulate(&["--action", "odps:CreateProjects", "--resource", "*"], "");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(
            "`odps:CreateProjects` is not a MaxCompute action; did you mean `odps:CreateProject`?"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_misspelt_action_in_a_batch_is_an_error_line() {
    let out = simulate(
        &["--policy", "examples/policies/project-admin.json"],
        "{\"action\": \"odps:CreateProject\", \"resource\": \"*\"}\n{\"action\": \"odps:CreatProject\", \"resource\": \"*\"}\n",
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[1].starts_with("error: line 2: `odps:CreatProject` is not a MaxCompute action; did you mean `odps:CreateProject`?"),
        "{}",
        lines[1]
    );
}

#[test]
fn the_readme_requests_are_decided_as_they_expect() {
    let out = simulate(
        &["--policy", "examples/policies/project-admin.json"],
        &std::fs::read_to_string(crate::support::repo().join("examples/requests.jsonl"))
            .expect("examples/requests.jsonl"),
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(
        out.stdout.lines().all(|l| l.ends_with("(as expected)")),
        "{}",
        out.stdout
    );
}

mod put_policy {
    //! `put policy FILE` lints the file before anything runs or is sent.

    use crate::support::mcauth_in;

    fn run(statement: &str) -> crate::support::Outcome {
        let dir = std::env::temp_dir().join(format!("mcauth-put-policy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = dir.join("s.db");
        mcauth_in(
            &crate::support::repo(),
            &[
                "--store",
                store.to_str().expect("utf-8"),
                "--error-format",
                "plain",
                "-e",
                statement,
            ],
            "",
            &[],
        )
    }

    #[test]
    fn a_policy_with_errors_is_refused_before_anything_runs() {
        let out = run(
            "create role worker; put policy examples/policies/quota-team-with-mistakes.json on role worker;",
        );
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(
            out.stderr.contains("error[mcauth::policy::invalid_effect]"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("is refused"), "{}", out.stderr);
        assert!(out.stderr.contains("nothing was run"), "{}", out.stderr);
        assert!(
            out.stdout.is_empty(),
            "create role did not run: {}",
            out.stdout
        );
    }

    #[test]
    fn a_project_policy_needs_principals_and_a_role_policy_has_none() {
        let project = run("put policy tests/cli/policies/role-policy-clean.json;");
        assert!(
            project.stderr.contains("mcauth::policy::missing_principal"),
            "{}",
            project.stderr
        );
        let role = run("put policy tests/cli/policies/role-policy-clean.json on role worker;");
        assert!(
            !role.stderr.contains("mcauth::policy::"),
            "a clean role policy lints clean: {}",
            role.stderr
        );
    }

    /// Runs `script` on its own store (one per test name).
    fn run_on(name: &str, script: &str) -> crate::support::Outcome {
        let dir =
            std::env::temp_dir().join(format!("mcauth-put-policy-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = dir.join("s.db");
        mcauth_in(
            &crate::support::repo(),
            &["--store", store.to_str().expect("utf-8"), "-e", script],
            "",
            &[],
        )
    }

    #[test]
    fn get_policy_returns_what_put_policy_stored() {
        let name = "round-trip";
        let empty = run_on(name, "get policy;");
        assert_eq!(empty.code, 0, "{}", empty.transcript());
        // No policy yet: a query that finds nothing prints nothing.
        assert_eq!(empty.stdout, "", "no policy yet");
        let put = run_on(
            name,
            "put policy tests/cli/policies/project.json; create role worker; put policy tests/cli/policies/role-policy-clean.json on role worker;",
        );
        assert_eq!(put.code, 0, "{}", put.transcript());
        // A later run (another process) reads them back byte for byte.
        let project =
            std::fs::read_to_string(crate::support::repo().join("tests/cli/policies/project.json"))
                .expect("read");
        let role = std::fs::read_to_string(
            crate::support::repo().join("tests/cli/policies/role-policy-clean.json"),
        )
        .expect("read");
        let got = run_on(name, "get policy;");
        assert_eq!(got.stdout, project, "{}", got.transcript());
        let got = run_on(name, "get policy on role worker;");
        assert_eq!(got.stdout, role, "{}", got.transcript());
        let got = mcauth_in(
            &crate::support::repo(),
            &[
                "--store",
                std::env::temp_dir()
                    .join(format!("mcauth-put-policy-{name}-{}", std::process::id()))
                    .join("s.db")
                    .to_str()
                    .expect("utf-8"),
                "--format",
                "json",
                "-e",
                "get policy on role worker;",
            ],
            "",
            &[],
        );
        let line: serde_json::Value = serde_json::from_str(got.stdout.trim()).expect("json");
        assert_eq!(
            line["output"]["data"],
            serde_json::Value::from(role.as_str())
        );
        // The security policy is a separate document.
        let sec = run_on(name, "get security policy;");
        assert_eq!(sec.stdout, "", "none was put: nothing to print");
    }

    #[test]
    fn a_put_policy_is_planned_and_shown_by_dry_run() {
        let out = mcauth_in(
            &crate::support::repo(),
            &[
                "--store",
                std::env::temp_dir()
                    .join(format!("mcauth-put-policy-dry-{}.db", std::process::id()))
                    .to_str()
                    .expect("utf-8"),
                "--dry-run",
                "-e",
                "put security policy tests/cli/policies/project.json;",
            ],
            "",
            &[],
        );
        assert_eq!(out.code, 0, "{}", out.transcript());
        assert!(
            out.stdout.contains("store the security policy ("),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn a_missing_policy_file_is_refused() {
        let out = run("put security policy no/such/policy.json;");
        assert_eq!(out.code, 1);
        assert!(
            out.stderr
                .contains("cannot read the policy file no/such/policy.json"),
            "{}",
            out.stderr
        );
    }
}
