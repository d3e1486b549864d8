//! Access as code: `mcauth export`, `plan`, `apply` and `diff`, on both
//! backends. The invariants: an export planned against its project shows
//! no change; an export applied to an empty project recreates it; a plan
//! applied converges.

use std::path::Path;

use crate::remote::{Emulator, start};
use crate::support::{Outcome, mcauth_in, repo};

const OWNER: &str = "ALIYUN$owner@example.com";

/// Where a run goes: the arguments and environment that choose it.
pub struct Backend {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl Backend {
    pub fn store(path: &Path) -> Backend {
        Backend {
            args: vec!["--store".into(), path.display().to_string()],
            env: vec![("MCAUTH_IDENTITY".into(), OWNER.into())],
        }
    }

    pub fn remote(endpoint: &str, id: &str, secret: &str) -> Backend {
        Backend {
            args: vec!["--endpoint".into(), endpoint.into()],
            env: vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID".into(), id.into()),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET".into(), secret.into()),
            ],
        }
    }

    pub fn run(&self, dir: &Path, args: &[&str]) -> Outcome {
        let mut argv: Vec<&str> = self.args.iter().map(String::as_str).collect();
        argv.extend(["--error-format", "plain"]);
        argv.extend(args);
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        mcauth_in(dir, &argv, "", &env)
    }
}

/// The part of an export that statements recreate: without its first
/// line (the project's name) and the comments on what removed principals
/// keep.
fn active(export: &str) -> String {
    let body = export.split_once('\n').map_or("", |(_, rest)| rest);
    body.split("\n-- p4_ residues")
        .next()
        .unwrap_or_default()
        .split("\n-- retained grants")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Checks the invariants on `project` as it is, using `copy` (an empty
/// project) as the target of a re-creation. Returns what failed.
pub fn converges(backend: &Backend, dir: &Path, project: &str, copy: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let out = dir.join(format!("export-{project}"));
    let out_str = out.display().to_string();
    let export = backend.run(dir, &["export", "--project", project, "--out", &out_str]);
    if export.code != 0 {
        problems.push(format!("export failed:\n{}", export.transcript()));
        return problems;
    }
    let file = out.join(project).join(format!("{project}.sql"));
    let file = file.display().to_string();
    let plan = backend.run(dir, &["plan", &file, "--project", project]);
    if plan.code != 0 {
        problems.push(format!(
            "the plan of its own export is not empty:\n{}\n--- the export\n{}",
            plan.transcript(),
            std::fs::read_to_string(&file).unwrap_or_default()
        ));
    }
    let apply = backend.run(
        dir,
        &[
            "apply",
            &file,
            "--project",
            copy,
            "-y",
            "--allow-destructive",
        ],
    );
    if apply.code != 0 {
        problems.push(format!(
            "applying the export to an empty project failed:\n{}",
            apply.transcript()
        ));
        return problems;
    }
    let a = backend.run(dir, &["export", "--project", project]);
    let b = backend.run(dir, &["export", "--project", copy]);
    // Up to the project's name, which qualified names carry.
    let renamed = active(&b.stdout)
        .replace(&format!(" {copy}."), &format!(" {project}."))
        .replace(&format!("project {copy} "), &format!("project {project} "));
    if active(&a.stdout) != renamed {
        problems.push(format!(
            "the copy's export differs:\n--- {project}\n{}--- {copy}\n{}",
            a.stdout, b.stdout
        ));
    }
    let again = backend.run(dir, &["plan", &file, "--project", copy]);
    if again.code != 0 {
        problems.push(format!(
            "after apply, a plan is not empty:\n{}",
            again.transcript()
        ));
    }
    problems
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mcauth-access-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn accounts(dir: &Path, projects: &[&str]) -> String {
    let mut toml = "[[accounts]]\nname = \"owner@example.com\"\naccess_keys = [{ id = \"owner-id\", secret = \"owner-secret\" }]\n".to_owned();
    for p in projects {
        toml.push_str(&format!(
            "\n[[projects]]\nname = \"{p}\"\nowner = \"{OWNER}\"\naccount_providers = [\"ALIYUN\"]\n"
        ));
    }
    let path = dir.join("accounts.toml");
    std::fs::write(&path, toml).expect("write accounts");
    path.display().to_string()
}

/// The examples, run in the order a user meets them, on each backend:
/// after each, the project converges to its own export.
#[test]
fn the_examples_converge_on_both_backends() {
    let dir = scratch("examples");
    let accounts = accounts(&dir, &["dev", "c1", "c2", "c3", "c4"]);
    let emulator: Emulator = start("access-examples", &["--accounts", &accounts]);
    let backends = [
        ("embedded", Backend::store(&dir.join("store.db"))),
        (
            "remote",
            Backend::remote(&emulator.endpoint, "owner-id", "owner-secret"),
        ),
    ];
    let examples = [
        "onboarding.sql",
        "data-access.sql",
        "role-policies.sql",
        "offboarding.sql",
    ];
    let mut problems = Vec::new();
    for (name, backend) in &backends {
        for (i, example) in examples.iter().enumerate() {
            let script = repo().join("examples").join(example);
            let ran = backend.run(
                &repo(),
                &["--project", "dev", script.to_str().expect("utf-8")],
            );
            assert_eq!(ran.code, 0, "{name} {example}:\n{}", ran.transcript());
            let copy = format!("c{}", i + 1);
            for p in converges(backend, &dir, "dev", &copy) {
                problems.push(format!("{name}, after {example}: {p}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Groups and project properties go through export, plan and apply on
/// both backends; a property the file lacks is named, not unset.
#[test]
fn groups_and_project_properties_round_trip() {
    let dir = scratch("groups-properties");
    let accounts = accounts(&dir, &["dev", "copy"]);
    let emulator: Emulator = start("access-groups", &["--accounts", &accounts]);
    let backends = [
        ("embedded", Backend::store(&dir.join("store.db"))),
        (
            "remote",
            Backend::remote(&emulator.endpoint, "owner-id", "owner-secret"),
        ),
    ];
    let script = "add group reviewers comment 'reviews'; add tenant group data_team; \
                  setproject motd=\"hello world\" odps.instance.remain.days=30;";
    for (name, backend) in &backends {
        let ran = backend.run(&dir, &["--project", "dev", "-e", script]);
        assert_eq!(ran.code, 0, "{name}:\n{}", ran.transcript());
        let problems = converges(backend, &dir, "dev", "copy");
        assert!(problems.is_empty(), "{name}: {}", problems.join("\n\n"));
        let export = backend.run(&dir, &["export", "--project", "dev"]);
        for line in [
            "add group reviewers",
            "add tenant group data_team;",
            "setproject motd=\"hello world\";",
            "setproject odps.instance.remain.days=30;",
        ] {
            assert!(export.stdout.contains(line), "{name}: {}", export.stdout);
        }
        std::fs::write(
            dir.join("desired.sql"),
            "-- mcauth: manage groups, project-properties\nsetproject motd=bye;\n",
        )
        .expect("write");
        let plan = backend.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
        assert_eq!(plan.code, 2, "{name}: {}", plan.transcript());
        for line in [
            "- remove group reviewers;",
            "- remove tenant group data_team;",
            "~ setproject motd=bye;",
            "setproject odps.instance.remain.days=30;  -- MaxCompute has no statement that unsets a project property",
        ] {
            assert!(plan.stdout.contains(line), "{name}: {}", plan.stdout);
        }
    }
}

/// Row access and data masking policies go through export, plan and
/// apply on the embedded store. MaxCompute lists neither, so a remote
/// plan leaves them alone when the file says nothing of them, and stops
/// when it does.
#[test]
fn row_access_and_masking_policies_round_trip() {
    let dir = scratch("sql-side");
    let accounts = accounts(&dir, &["dev", "copy"]);
    let emulator: Emulator = start("access-sql-side", &["--accounts", &accounts]);
    let store = Backend::store(&dir.join("store.db"));
    let remote = Backend::remote(&emulator.endpoint, "owner-id", "owner-secret");
    let script = "create role analyst; \
                  create row access policy cn on sales to role analyst filter using (region = 'cn'); \
                  create data masking policy phone_mask to default using MASKED_HASH; \
                  apply data masking policy phone_mask bind to table customers column phone;";
    for backend in [&store, &remote] {
        let ran = backend.run(&dir, &["--project", "dev", "-e", script]);
        assert_eq!(ran.code, 0, "{}", ran.transcript());
    }

    let problems = converges(&store, &dir, "dev", "copy");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    let export = store.run(&dir, &["export", "--project", "dev"]);
    for line in [
        ", row-access-policies, masking-policies\n",
        "\ncreate row access policy cn on sales to role analyst filter using (region = 'cn');\n",
        "\ncreate data masking policy phone_mask to default using MASKED_HASH;\n",
        "\napply data masking policy phone_mask bind to table customers column phone;\n",
    ] {
        assert!(export.stdout.contains(line), "{line} in {}", export.stdout);
    }

    std::fs::write(
        dir.join("desired.sql"),
        "-- mcauth: manage row-access-policies, masking-policies\n\
         create row access policy cn on sales to role analyst filter using (region = 'us');\n\
         create data masking policy phone_mask to role analyst using MASKED_HASH;\n\
         apply data masking policy phone_mask bind to table orders column phone;\n",
    )
    .expect("write");
    let plan = store.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    for line in [
        "destructive (1):\n  drop data masking policy phone_mask;\n",
        "- unapply data masking policy phone_mask unbind from table customers column phone;  -- in the project, not in the file\n\
         ~ drop data masking policy phone_mask;",
        "~ create data masking policy phone_mask to role analyst using MASKED_HASH;",
        "~ create or replace row access policy cn on sales to role analyst filter using (region = 'us');  -- the file gives it other targets or another filter\n\
         + apply data masking policy phone_mask bind to table orders column phone;  -- in the file, not in the project\n",
    ] {
        assert!(plan.stdout.contains(line), "{line} in {}", plan.stdout);
    }
    let refused = store.run(&dir, &["apply", "desired.sql", "--project", "dev", "-y"]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("1 destructive step"),
        "{}",
        refused.stderr
    );
    let apply = store.run(
        &dir,
        &[
            "apply",
            "desired.sql",
            "--project",
            "dev",
            "-y",
            "--allow-destructive",
        ],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    let again = store.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
    assert_eq!(again.code, 0, "{}", again.transcript());
    let described = store.run(
        &dir,
        &[
            "--project",
            "dev",
            "-e",
            "describe data masking policy phone_mask;",
        ],
    );
    assert!(
        described.stdout.contains("orders.phone"),
        "{}",
        described.transcript()
    );
    assert!(
        !described.stdout.contains("customers"),
        "{}",
        described.transcript()
    );

    // Remote: the file names them, so the plan cannot be made.
    let plan = remote.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(
        plan.stderr.contains(
            "cannot plan row-access-policies, masking-policies of project dev: the file names them"
        ),
        "{}",
        plan.transcript()
    );
    // A file that says nothing of them leaves them alone, and says so.
    std::fs::write(
        dir.join("roles.sql"),
        "-- mcauth: manage roles, row-access-policies, masking-policies\ncreate role analyst;\n",
    )
    .expect("write");
    let plan = remote.run(&dir, &["plan", "roles.sql", "--project", "dev"]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    assert!(
        plan.stderr.contains("note: row-access-policies, masking-policies of project dev could not be read from where it is; the file names none, so the plan leaves them alone"),
        "{}",
        plan.transcript()
    );
    let export = remote.run(&dir, &["export", "--project", "dev"]);
    assert!(
        export.stdout.contains("-- not read from the service, so not exported: tenant-roles, row-access-policies, masking-policies\n"),
        "{}",
        export.stdout
    );
}

/// Export, edit, plan, apply, plan: the README's walkthrough, with the
/// same plan on both backends.
#[test]
fn the_walkthrough_plans_alike_on_both_backends() {
    let dir = scratch("walkthrough");
    let accounts = accounts(&dir, &["dev"]);
    let emulator: Emulator = start("access-walkthrough", &["--accounts", &accounts]);
    let backends = [
        Backend::store(&dir.join("store.db")),
        Backend::remote(&emulator.endpoint, "owner-id", "owner-secret"),
    ];
    let onboarding = repo().join("examples/onboarding.sql");
    let desired = repo().join("examples/access/dev.sql");
    let desired = desired.to_str().expect("utf-8");
    let mut plans = Vec::new();
    for backend in &backends {
        let ran = backend.run(
            &dir,
            &["--project", "dev", onboarding.to_str().expect("utf-8")],
        );
        assert_eq!(ran.code, 0, "{}", ran.transcript());
        let plan = backend.run(&dir, &["plan", desired, "--project", "dev"]);
        assert_eq!(plan.code, 2, "changes: exit 2\n{}", plan.transcript());
        // Without -y, away from a terminal, nothing is applied.
        let refused = backend.run(&dir, &["apply", desired, "--project", "dev"]);
        assert_eq!(refused.code, 1, "{}", refused.transcript());
        assert!(
            refused.stderr.contains("nothing was applied"),
            "{}",
            refused.stderr
        );
        let destructive = backend.run(&dir, &["apply", desired, "--project", "dev", "-y"]);
        assert_eq!(destructive.code, 1, "{}", destructive.transcript());
        assert!(
            destructive.stderr.contains("--allow-destructive"),
            "{}",
            destructive.stderr
        );
        let apply = backend.run(
            &dir,
            &[
                "apply",
                desired,
                "--project",
                "dev",
                "-y",
                "--allow-destructive",
            ],
        );
        assert_eq!(apply.code, 0, "{}", apply.transcript());
        assert!(
            apply.stderr.contains("it now matches the file"),
            "{}",
            apply.stderr
        );
        // The plan purges what it removes: no warning that grants are kept.
        assert!(
            !apply.stderr.contains("grants_retained"),
            "{}",
            apply.stderr
        );
        let again = backend.run(&dir, &["plan", desired, "--project", "dev"]);
        assert_eq!(again.code, 0, "{}", again.transcript());
        // The plan's first line names where it was made.
        let body = plan
            .stdout
            .split_once('\n')
            .map_or("", |(_, b)| b)
            .to_owned();
        let counts = plan
            .stdout
            .lines()
            .next()
            .and_then(|l| l.split_once(": "))
            .map(|(_, c)| c.to_owned())
            .unwrap_or_default();
        plans.push(format!("{counts}\n{body}"));
    }
    assert_eq!(plans[0], plans[1], "the backends plan alike");
    insta::assert_snapshot!(plans[0]);
}

/// Several projects at once: a script, then a plan, each project its own
/// failure domain, with a line per project and a summary.
#[test]
fn several_projects_run_and_plan_each() {
    let dir = scratch("many");
    let store = Backend::store(&dir.join("store.db"));
    std::fs::write(
        dir.join("setup.sql"),
        "add accountprovider ram; add user RAM$owner@example.com:bob; create role analyst;\n",
    )
    .expect("write");
    let ran = store.run(
        &dir,
        &[
            "--project",
            "a",
            "--project",
            "b",
            "--jobs",
            "2",
            "setup.sql",
        ],
    );
    assert_eq!(ran.code, 0, "{}", ran.transcript());
    assert!(
        ran.stderr.contains("project a: ran setup.sql"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("2 projects: 2 ok, 0 failed"),
        "{}",
        ran.stderr
    );

    std::fs::write(
        dir.join("desired.sql"),
        "-- mcauth: manage users, roles\nadd accountprovider ram;\nadd user RAM$owner@example.com:bob;\ncreate role analyst;\n",
    )
    .expect("write");
    std::fs::write(dir.join("projects.txt"), "a\n# the other\nb\n").expect("write");
    let plan = store.run(&dir, &["plan", "desired.sql", "--projects", "projects.txt"]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    assert!(
        plan.stderr.contains("project b: no changes"),
        "{}",
        plan.stderr
    );

    // One project drifts: only its plan has steps; the glob finds both.
    let drift = store.run(&dir, &["--project", "b", "-e", "create role extra;"]);
    assert_eq!(drift.code, 0, "{}", drift.transcript());
    let plan = store.run(
        &dir,
        &["plan", "desired.sql", "--project", "*", "--format", "json"],
    );
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    let lines: Vec<serde_json::Value> = plan
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per project"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", plan.stdout);
    assert_eq!(lines[0]["project"], "a");
    assert_eq!(lines[0]["steps"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[1]["project"], "b");
    assert_eq!(lines[1]["steps"][0]["statement"], "drop role extra;");
    assert_eq!(lines[1]["steps"][0]["destructive"], true);

    // A project whose plan cannot be made fails alone.
    std::fs::write(
        dir.join("bad.sql"),
        "grant nosuch to RAM$owner@example.com:bob;\n",
    )
    .expect("write");
    let bad = store.run(&dir, &["plan", "bad.sql", "--project", "a"]);
    assert_eq!(bad.code, 1, "{}", bad.transcript());
    assert!(bad.stderr.contains("bad.sql:1:"), "{}", bad.stderr);
}

/// `diff` compares two files, or two projects, as a plan from the first.
#[test]
fn diff_compares_files_and_projects() {
    let dir = scratch("diff");
    std::fs::write(
        dir.join("dev.sql"),
        "add accountprovider ram;\nadd user RAM$owner@example.com:bob;\ncreate role analyst;\ngrant analyst to RAM$owner@example.com:bob;\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("prod.sql"),
        "add accountprovider ram;\nadd user RAM$owner@example.com:bob;\ncreate role analyst;\n",
    )
    .expect("write");
    let store = Backend::store(&dir.join("store.db"));
    let same = store.run(&dir, &["diff", "dev.sql", "dev.sql"]);
    assert_eq!(same.code, 0, "{}", same.transcript());
    let diff = store.run(&dir, &["diff", "dev.sql", "prod.sql"]);
    assert_eq!(diff.code, 2, "{}", diff.transcript());
    assert!(
        diff.stdout
            .contains("- revoke analyst from RAM$owner@example.com:bob;"),
        "{}",
        diff.stdout
    );
    // Two projects on the store.
    for (project, file) in [("dev", "dev.sql"), ("prod", "prod.sql")] {
        let ran = store.run(&dir, &["--project", project, file]);
        assert_eq!(ran.code, 0, "{}", ran.transcript());
    }
    let projects = store.run(&dir, &["diff", "dev", "prod"]);
    assert_eq!(projects.code, 2, "{}", projects.transcript());
    assert!(
        projects.stdout.contains(
            "- revoke analyst from RAM$owner@example.com:bob;  -- in project dev, not in project prod"
        ),
        "{}",
        projects.stdout
    );
}

/// `RAM$bob` and `RAM$acct:bob`, case and backticks name one principal:
/// a plan never shows them as a change, on either backend.
#[test]
fn names_that_mean_one_principal_never_differ() {
    let dir = scratch("names");
    let accounts = accounts(&dir, &["dev"]);
    let emulator: Emulator = start("access-names", &["--accounts", &accounts]);
    std::fs::write(
        dir.join("setup.sql"),
        "add accountprovider ram; add user RAM$owner@example.com:alice; add user RAM$carol; create role Analyst; grant analyst to RAM$carol;\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("desired.sql"),
        "-- mcauth: manage providers, users, roles, role-grants\nadd accountprovider RAM;\nadd user RAM$owner@example.com:ALICE;\nadd user `RAM$owner@example.com:carol`;\ncreate role ANALYST;\ngrant `analyst` to RAM$Carol;\n",
    )
    .expect("write");
    for backend in [
        Backend::store(&dir.join("store.db")),
        Backend::remote(&emulator.endpoint, "owner-id", "owner-secret"),
    ] {
        let ran = backend.run(&dir, &["--project", "dev", "setup.sql"]);
        assert_eq!(ran.code, 0, "{}", ran.transcript());
        let plan = backend.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
        assert_eq!(plan.code, 0, "{}", plan.transcript());
        assert!(plan.stdout.contains("no changes"), "{}", plan.stdout);
    }
}

/// At a terminal `apply` asks, once for all projects, and only `y` runs
/// the plan; a destructive plan needs no flag there, since it was asked.
#[test]
fn apply_asks_at_a_terminal() {
    use rexpect::session::spawn_command;
    let dir = scratch("ask");
    let store = Backend::store(&dir.join("store.db"));
    let onboarding = repo().join("examples/onboarding.sql");
    let ran = store.run(
        &dir,
        &["--project", "dev", onboarding.to_str().expect("utf-8")],
    );
    assert_eq!(ran.code, 0, "{}", ran.transcript());
    let desired = repo().join("examples/access/dev.sql");
    let apply = |answer: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mcauth"));
        cmd.arg("--store")
            .arg(dir.join("store.db"))
            .args(["--project", "dev", "apply"])
            .arg(&desired)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env("MCAUTH_IDENTITY", OWNER)
            .env("XDG_CONFIG_HOME", crate::support::no_config_home());
        let mut session = spawn_command(cmd, Some(10_000)).expect("mcauth starts in a pty");
        session
            .exp_string("Apply 7 steps to 1 project, 2 of them destructive? [y/N] ")
            .expect("the question");
        session.send_line(answer).expect("answer");
        session.exp_eof().expect("mcauth ends")
    };
    let declined = apply("n");
    assert!(declined.contains("nothing was applied"), "{declined}");
    let plan = store.run(
        &dir,
        &["plan", desired.to_str().expect("utf-8"), "--project", "dev"],
    );
    assert_eq!(plan.code, 2, "still to do: {}", plan.transcript());
    let applied = apply("y");
    assert!(applied.contains("it now matches the file"), "{applied}");
    let plan = store.run(
        &dir,
        &["plan", desired.to_str().expect("utf-8"), "--project", "dev"],
    );
    assert_eq!(plan.code, 0, "{}", plan.transcript());
}

/// Against MaxCompute, a pattern matches the projects the service lists.
#[test]
fn a_pattern_matches_the_projects_the_service_lists() {
    let dir = scratch("remote-glob");
    let accounts = accounts(&dir, &["dev_a", "dev_b", "prod"]);
    let emulator: Emulator = start("access-remote-glob", &["--accounts", &accounts]);
    let remote = Backend::remote(&emulator.endpoint, "owner-id", "owner-secret");
    std::fs::write(
        dir.join("desired.sql"),
        "add accountprovider ram;\nadd user RAM$owner@example.com:bob;\n",
    )
    .expect("write");
    let plan = remote.run(
        &dir,
        &[
            "plan",
            "desired.sql",
            "--project",
            "dev_*",
            "--format",
            "json",
        ],
    );
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    let projects: Vec<String> = plan
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["project"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(projects, ["dev_a", "dev_b"], "{}", plan.transcript());
    let none = remote.run(&dir, &["plan", "desired.sql", "--project", "qa_*"]);
    assert_eq!(none.code, 2, "a usage error: {}", none.transcript());
    assert!(
        none.stderr.contains("no project matches `qa_*`"),
        "{}",
        none.stderr
    );
}

/// A project's name never becomes a path outside `--out`.
#[test]
fn a_project_name_that_is_a_path_is_refused() {
    let dir = scratch("names-paths");
    let store = Backend::store(&dir.join("store.db"));
    let out = dir.join("out").display().to_string();
    let export = store.run(&dir, &["export", "--project", "../escape", "--out", &out]);
    assert_eq!(export.code, 2, "{}", export.transcript());
    assert!(
        export.stderr.contains("is not a project name"),
        "{}",
        export.stderr
    );
    assert!(!dir.join("escape").exists() && !dir.join("out").exists());
}

/// A label the file lacks cannot be taken away (MaxCompute has no
/// statement for it): the plan says so instead of dropping it silently.
#[test]
fn a_label_no_statement_removes_is_named() {
    let dir = scratch("labels");
    let store = Backend::store(&dir.join("store.db"));
    let ran = store.run(
        &dir,
        &["--project", "dev", "-e", "set label 2 to table sales;"],
    );
    assert_eq!(ran.code, 0, "{}", ran.transcript());
    std::fs::write(dir.join("desired.sql"), "-- mcauth: manage labels\n").expect("write");
    let plan = store.run(&dir, &["plan", "desired.sql", "--project", "dev"]);
    assert_eq!(plan.code, 0, "nothing to run: {}", plan.transcript());
    assert!(
        plan.stdout.contains("left as they are (1):\n  set label 2 to table sales;  -- MaxCompute has no statement that takes a label off"),
        "{}",
        plan.stdout
    );
}

/// A desired file with a mistake on every line is reported as any
/// script is: the first --max-diagnostics, and a count of the rest.
#[test]
fn a_file_of_mistakes_is_reported_up_to_the_limit() {
    let dir = scratch("mistakes");
    let store = Backend::store(&dir.join("store.db"));
    std::fs::write(dir.join("bad.sql"), "grant nope to RAM$x;\n".repeat(150)).expect("write");
    let plan = store.run(&dir, &["plan", "bad.sql", "--project", "dev"]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    let errors = plan.stderr.matches("error[mcauth::engine::").count();
    assert_eq!(errors, 100, "{}", plan.stderr);
    assert!(
        plan.stderr.contains("50 more diagnostics not shown"),
        "{}",
        plan.stderr
    );
    assert!(
        plan.stderr
            .contains("150 statements of the desired state cannot run"),
        "{}",
        plan.stderr
    );
}

/// A plan the caller has no authority for is refused before anything is
/// shown as runnable, listing at most --max-diagnostics of its failures.
#[test]
fn a_plan_the_caller_cannot_run_lists_its_failures_up_to_the_limit() {
    let dir = scratch("no-authority");
    let owner = Backend::store(&dir.join("store.db"));
    let setup = owner.run(
        &dir,
        &["--project", "dev", "-e", "add user ALIYUN$bob@example.com;"],
    );
    assert_eq!(setup.code, 0, "{}", setup.transcript());
    std::fs::write(
        dir.join("roles.sql"),
        "create role r1;\ncreate role r2;\ncreate role r3;\n",
    )
    .expect("write");
    let bob = Backend {
        args: owner.args.clone(),
        env: vec![("MCAUTH_IDENTITY".into(), "ALIYUN$bob@example.com".into())],
    };
    let plan = bob.run(
        &dir,
        &[
            "plan",
            "roles.sql",
            "--project",
            "dev",
            "--max-diagnostics",
            "2",
        ],
    );
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(
        plan.stderr
            .contains("the plan for project dev would fail as ALIYUN$bob@example.com"),
        "{}",
        plan.stderr
    );
    assert_eq!(
        plan.stderr.matches("  create role r").count(),
        2,
        "{}",
        plan.stderr
    );
    assert!(
        plan.stderr
            .contains("1 more failure not shown (--max-diagnostics 0 shows all)"),
        "{}",
        plan.stderr
    );
    let all = bob.run(
        &dir,
        &[
            "plan",
            "roles.sql",
            "--project",
            "dev",
            "--max-diagnostics",
            "0",
        ],
    );
    assert_eq!(
        all.stderr.matches("  create role r").count(),
        3,
        "{}",
        all.stderr
    );
    assert!(!all.stderr.contains("not shown"), "{}", all.stderr);
}
