//! The two backends agree. Every scenario of `tests/scenarios` and every
//! file of `examples/` (each script, and the desired state of
//! `examples/access/` through `plan` and `apply`), run against `mcauth
//! serve` holding the same state, plans and runs as it does on the
//! embedded store, line for line: the
//! remote backend reads what its checks need and never takes what it has
//! not read for absent.
//!
//! The only differences allowed are the ones that say where a statement
//! went: `whoami`'s endpoint, the target line of `-v` and `--echo`, and
//! "nothing was sent" for "nothing was run". A scenario's `-- table: NAME
//! owner PRINCIPAL` lines declare tables in the emulator; the remote runs
//! of such a scenario ask without `--owner`, reading the owner instead.

use std::collections::BTreeSet;
use std::path::Path;

use crate::remote::{Emulator, start};
use crate::support::{Outcome, copy_example_policies, mcauth_in, repo};

const OWNER: &str = "owner@example.com";

/// Marks a run that asks (`-- ask: why …`) rather than runs a script.
const ASK: &str = "\u{0}ask";

/// The `-- run: ARGS` and `-- ask: ARGS` runs of a scenario file.
fn runs(text: &str) -> Vec<(Vec<String>, String)> {
    let mut runs: Vec<(Vec<String>, String)> = Vec::new();
    for line in text.lines() {
        if let Some(args) = line.strip_prefix("-- run:") {
            runs.push((
                args.split_whitespace().map(str::to_owned).collect(),
                String::new(),
            ));
        } else if let Some(args) = line.strip_prefix("-- ask:") {
            runs.push((
                std::iter::once(ASK)
                    .chain(args.split_whitespace())
                    .map(str::to_owned)
                    .collect(),
                String::new(),
            ));
        } else if let Some((_, script)) = runs.last_mut() {
            script.push_str(line);
            script.push('\n');
        }
    }
    runs
}

/// The tables a scenario declares (`-- table: NAME owner PRINCIPAL`), for
/// the emulator's accounts file: against MaxCompute the owner of a table
/// is read from its metadata, where the store needs `--owner`.
fn declared_tables(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("-- table:"))
        .filter_map(|rest| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            match words.as_slice() {
                [name, "owner", owner] => Some(((*name).to_owned(), (*owner).to_owned())),
                _ => None,
            }
        })
        .collect()
}

/// A question's arguments without `--owner PRINCIPAL`: the remote
/// backend reads the owner of a declared table itself.
fn without_owner(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--owner" {
            it.next();
        } else {
            out.push(a.clone());
        }
    }
    out
}

/// The principal a `--as` names, and the run's other arguments.
fn split_as(args: &[String]) -> (Option<String>, Vec<String>) {
    let mut who = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--as" {
            who = it.next().cloned();
        } else {
            rest.push(a.clone());
        }
    }
    (who, rest)
}

/// The RAM user's logon name in `RAM$owner@example.com:name`.
fn logon(principal: &str) -> Option<&str> {
    principal
        .strip_prefix("RAM$")?
        .split_once(':')
        .map(|(_, n)| n)
}

/// The projects other than `default` a scenario's runs name with
/// `--project` (a project sharing packages with `default`, say).
fn other_projects(runs: &[(Vec<String>, String)]) -> BTreeSet<String> {
    runs.iter()
        .flat_map(|(args, _)| args.windows(2))
        .filter(|w| w[0] == "--project" && w[1] != "default")
        .map(|w| w[1].clone())
        .collect()
}

/// An accounts file with the owner's account, a RAM user with an
/// AccessKey for every `--as` of the scenario, project `default` with
/// the scenario's `tables`, and the `others` its runs name, all the
/// owner's.
fn accounts(
    dir: &Path,
    callers: &BTreeSet<String>,
    tables: &[(String, String)],
    others: &BTreeSet<String>,
) -> std::path::PathBuf {
    let mut toml = format!(
        "[[accounts]]\nname = \"{OWNER}\"\naccess_keys = [{{ id = \"owner-id\", secret = \"owner-secret\" }}]\n"
    );
    for name in callers.iter().filter_map(|c| logon(c)) {
        toml.push_str(&format!(
            "\n[[accounts.ram_users]]\nlogon_name = \"{name}\"\naccess_keys = [{{ id = \"{name}-id\", secret = \"{name}-secret\" }}]\n"
        ));
    }
    // Other Alibaba Cloud accounts run as themselves.
    for account in callers.iter().filter_map(|c| c.strip_prefix("ALIYUN$")) {
        toml.push_str(&format!(
            "\n[[accounts]]\nname = \"{account}\"\naccess_keys = [{{ id = \"{account}-id\", secret = \"{account}-secret\" }}]\n"
        ));
    }
    toml.push_str(&format!(
        // The embedded store's new project lists ALIYUN alone; so must the
        // emulator's (its own default is ALIYUN and RAM).
        "\n[[projects]]\nname = \"default\"\nowner = \"ALIYUN${OWNER}\"\naccount_providers = [\"ALIYUN\"]\n"
    ));
    let tables: Vec<String> = tables
        .iter()
        .map(|(name, owner)| format!("{{ name = \"{name}\", owner = \"{owner}\" }}"))
        .collect();
    toml.push_str(&format!("tables = [{}]\n", tables.join(", ")));
    // An empty project that each state is recreated in (see
    // `crate::access::converges`).
    for name in std::iter::once("copy").chain(others.iter().map(String::as_str)) {
        toml.push_str(&format!(
            "\n[[projects]]\nname = \"{name}\"\nowner = \"ALIYUN${OWNER}\"\naccount_providers = [\"ALIYUN\"]\n"
        ));
    }
    let path = dir.join("accounts.toml");
    std::fs::write(&path, toml).expect("write accounts.toml");
    path
}

fn transcript(out: &Outcome, tmp: &Path) -> String {
    let text = out
        .transcript()
        .replace(tmp.to_str().unwrap_or("\u{0}"), "$TMP")
        .replace("nothing was sent", "nothing was run");
    // `whoami` says where the statement went: a store path, or a URL and
    // the address the service saw.
    let mut out = String::new();
    let mut skip_help = false;
    for l in text.lines() {
        // `plan` and `apply` name where they planned: a store or a URL.
        let l = &without_target(l);
        // `-v` and `--echo` start with where statements go.
        if l.starts_with("End_Point: ")
            || l.starts_with("Source IP: ")
            || (l.starts_with("mcauth: project ") && l.contains(" as "))
        {
            continue;
        }
        if skip_help
            && l.trim_start()
                .starts_with("help: the statement is sent as it is")
        {
            skip_help = false;
            continue;
        }
        skip_help = false;
        if NOT_YET_READ
            .iter()
            .any(|kind| l.contains(&format!("has not read {kind} from the service")))
        {
            skip_help = true;
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A `project P in STORE as X: …` or `project P on URL as X: …` line
/// without its store or URL.
fn without_target(line: &str) -> String {
    let Some(rest) = line.strip_prefix("project ") else {
        return line.to_owned();
    };
    let Some((project, after)) = rest.split_once(' ') else {
        return line.to_owned();
    };
    let Some(target) = after
        .strip_prefix("in ")
        .or_else(|| after.strip_prefix("on "))
    else {
        return line.to_owned();
    };
    match target.split_once(" as ") {
        Some((_, tail)) => format!("project {project} as {tail}"),
        None => line.to_owned(),
    }
}

/// Kinds of fact the remote backend cannot read whole (row access
/// policies are shown one table at a time, masking policies one policy at
/// a time; see `remote/facts/mod.rs`): against the service their checks
/// say "not checked", which is the only difference allowed.
const NOT_YET_READ: &[&str] = &["the row access policies", "the data masking policies"];

/// Where the caller may not read what the checks need (a plain member
/// cannot list the members), the remote backend says so and the service
/// judges: the run must end as the embedded one does, refused for the
/// same reason in MaxCompute's words.
fn agree_where_unreadable(local: &Outcome, remote: &Outcome) -> bool {
    // (A refusal the service made for a fact mcauth did not read shows as
    // the service's error, with the engine's message in it.)
    let unread = remote.stderr.contains("mcauth: note: could not read")
        || remote.stderr.contains("error[mcauth::odps::service_error]")
        || NOT_YET_READ.iter().any(|kind| {
            remote
                .stderr
                .contains(&format!("has not read {kind} from the service"))
        });
    if !unread || local.code != remote.code {
        return false;
    }
    local
        .stderr
        .lines()
        .filter_map(|l| l.split_once("error[mcauth::engine::").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once("]: ").map(|(_, message)| message))
        .all(|message| remote.stderr.contains(message))
}

/// A question (`why`, `who-can`, `audit`) is answered alike on both
/// backends, but for what only the store can say (`recorded:` lines and
/// objects, from its history) and what the endpoint could not read: an
/// answer may differ from the store's only where the remote one says so
/// ("not verified", an audit's `not_verified` finding, a grant condition
/// whose text MaxCompute does not show), and it must end the same way.
fn answers_agree(local: &Outcome, remote: &Outcome) -> bool {
    let keep = |text: &str| -> String {
        let mut out = String::new();
        for l in text.lines() {
            if l.trim_start().starts_with("recorded: statement ") {
                continue;
            }
            match serde_json::from_str::<serde_json::Value>(l) {
                Ok(mut v) if l.starts_with('{') => {
                    for step in v["steps"].as_array_mut().into_iter().flatten() {
                        if let Some(o) = step.as_object_mut() {
                            o.remove("recorded");
                        }
                    }
                    out.push_str(&v.to_string());
                }
                _ => out.push_str(l),
            }
            out.push('\n');
        }
        out
    };
    let unread = [
        "not verified",
        "mcauth::audit::not_verified",
        "a condition MaxCompute's text does not show",
    ];
    keep(&local.transcript()) == keep(&remote.transcript())
        || (local.code == remote.code && unread.iter().any(|u| remote.stdout.contains(u)))
}

/// Runs one scenario on both backends; returns the two transcripts, and
/// what broke the access-as-code invariants in the state it left (see
/// `crate::access::converges`), on either backend.
fn both(path: &Path) -> (String, String, Vec<String>) {
    let text = std::fs::read_to_string(path).expect("readable scenario");
    let runs = runs(&text);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
    let callers: BTreeSet<String> = runs
        .iter()
        .filter_map(|(args, _)| split_as(args).0)
        .collect();
    let scratch = std::env::temp_dir().join(format!("mcauth-parity-{}-{stem}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("temp dir");
    copy_example_policies(&scratch);
    let tables = declared_tables(&text);
    let accounts = accounts(&scratch, &callers, &tables, &other_projects(&runs));
    let emulator: Emulator = start(
        &format!("parity-{stem}"),
        &["--accounts", accounts.to_str().expect("utf-8")],
    );
    let store = scratch.join("store.db");
    let store = store.to_str().expect("utf-8");
    let (mut local, mut remote) = (String::new(), String::new());
    for (i, (args, script)) in runs.iter().enumerate() {
        let name = format!("run{}.sql", i + 1);
        std::fs::write(scratch.join(&name), script).expect("write run");
        let ask = args.first().is_some_and(|a| a == ASK);
        let args: Vec<String> = args.iter().filter(|a| *a != ASK).cloned().collect();
        let (who, rest) = split_as(&args);
        let mut argv: Vec<&str> = vec!["--store", store];
        if !ask {
            argv.extend(["--error-format", "plain"]);
        }
        if let Some(who) = &who {
            argv.extend(["--as", who]);
        }
        argv.extend(rest.iter().map(String::as_str));
        if !ask {
            argv.push(&name);
        }
        let local_out = mcauth_in(
            &scratch,
            &argv,
            "",
            &[("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")],
        );

        let (id, secret) = match (
            who.as_deref().and_then(logon),
            who.as_deref().and_then(|w| w.strip_prefix("ALIYUN$")),
        ) {
            (Some(n), _) | (None, Some(n)) => (format!("{n}-id"), format!("{n}-secret")),
            (None, None) => ("owner-id".to_owned(), "owner-secret".to_owned()),
        };
        let mut argv: Vec<&str> = vec!["--endpoint", &emulator.endpoint];
        if !rest.iter().any(|a| a == "--project") {
            argv.extend(["--project", "default"]);
        }
        if !ask {
            argv.extend(["--error-format", "plain"]);
        }
        let rest = if ask && !tables.is_empty() {
            without_owner(&rest)
        } else {
            rest
        };
        argv.extend(rest.iter().map(String::as_str));
        if !ask {
            argv.push(&name);
        }
        let out = mcauth_in(
            &scratch,
            &argv,
            "",
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", id.as_str()),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret.as_str()),
            ],
        );
        let l = transcript(&local_out, &scratch);
        let r = if agree_where_unreadable(&local_out, &out)
            || (ask && answers_agree(&local_out, &out))
        {
            l.clone()
        } else {
            transcript(&out, &scratch)
        };
        local.push_str(&format!("== run {}\n{l}", i + 1));
        remote.push_str(&format!("== run {}\n{r}", i + 1));
    }
    let mut problems = Vec::new();
    let sides = [
        ("embedded", crate::access::Backend::store(Path::new(store))),
        (
            "remote",
            crate::access::Backend::remote(&emulator.endpoint, "owner-id", "owner-secret"),
        ),
    ];
    for (side, backend) in &sides {
        for p in crate::access::converges(backend, &scratch, "default", "copy") {
            problems.push(format!("{}, {side}: {p}", path.display()));
        }
        // The store holds every kind, so the invariants above cover the
        // row access and masking policies; MaxCompute lists neither.
        let export = backend.run(&scratch, &["export", "--project", "default"]);
        let line = if *side == "embedded" {
            "-- mcauth: manage "
        } else {
            "-- not read from the service, so not exported: "
        };
        let covered = export.stdout.lines().any(|l| {
            l.strip_prefix(line)
                .is_some_and(|kinds| kinds.ends_with("row-access-policies, masking-policies"))
        });
        if !covered {
            problems.push(format!(
                "{}, {side}: the export's header does not end with the SQL-side kinds:\n{}",
                path.display(),
                export.stdout
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    (local, remote, problems)
}

#[test]
fn every_scenario_plans_and_runs_alike_on_both_backends() {
    let dir = repo().join("tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    let mut differ = Vec::new();
    let mut diverge = Vec::new();
    for path in &paths {
        let (local, remote, problems) = both(path);
        if local != remote {
            differ.push(format!(
                "{}\n--- embedded\n{local}--- remote\n{remote}",
                path.display()
            ));
        }
        diverge.extend(problems);
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // Access as code: every scenario's state exports, plans to nothing,
    // and is recreated in an empty project, on both backends.
    assert!(diverge.is_empty(), "{}", diverge.join("\n\n"));
}

/// The example scripts, in the order a user meets them, each planned
/// (`--dry-run`) and then run, and then the desired state of
/// `examples/access/` planned and applied, on both backends.
#[test]
fn every_example_plans_and_runs_alike_on_both_backends() {
    // Project dev as a new MaxCompute project starts: ALIYUN only, as on
    // the embedded store.
    let dir = std::env::temp_dir().join(format!("mcauth-parity-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        "[[accounts]]\nname = \"dev@example.com\"\naccess_keys = [{ id = \"dev-access-id\", secret = \"dev-access-secret\" }]\n\n[[projects]]\nname = \"dev\"\nowner = \"ALIYUN$dev@example.com\"\naccount_providers = [\"ALIYUN\"]\n",
    )
    .expect("write accounts.toml");
    let emulator = start(
        "parity-examples",
        &["--accounts", accounts.to_str().expect("utf-8")],
    );
    let store = emulator.dir.join("local.db");
    let store = store.to_str().expect("utf-8");
    // Every script of examples/, and the desired state of
    // examples/access/ planned, applied and planned again.
    let steps: &[(&str, bool)] = &[
        ("examples/mistakes-semantic.sql", false),
        ("examples/onboarding.sql", true),
        ("examples/mistakes-semantic.sql", false),
        ("examples/data-access.sql", true),
        ("examples/role-policies.sql", true),
        ("examples/offboarding.sql", true),
        ("examples/mistakes.sql", false),
    ];
    let desired = "examples/access/dev.sql";
    // Each run, and the exit code it must end with (a mistakes file
    // fails, and must fail alike).
    let mut runs: Vec<(&str, Vec<&str>, Option<i32>)> = Vec::new();
    for (script, run) in steps {
        if *run {
            runs.push((script, vec!["--dry-run"], Some(0)));
            runs.push((script, vec![], Some(0)));
        } else {
            runs.push((script, vec!["--dry-run"], None));
        }
    }
    // The plan has changes (exit 2), the apply makes them, and then
    // there are none.
    runs.push((desired, vec!["plan"], Some(2)));
    runs.push((desired, vec!["apply", "-y", "--allow-destructive"], Some(0)));
    runs.push((desired, vec!["plan"], Some(0)));
    let mut differ = Vec::new();
    for (script, mode, code) in runs {
        let mut local_args = vec![
            "--store",
            store,
            "--project",
            "dev",
            "--error-format",
            "plain",
        ];
        local_args.extend(&mode);
        local_args.push(script);
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
            "dev",
            "--error-format",
            "plain",
        ];
        remote_args.extend(&mode);
        remote_args.push(script);
        let remote = mcauth_in(
            &repo(),
            &remote_args,
            "",
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
            ],
        );
        if let Some(code) = code {
            assert_eq!(
                local.code,
                code,
                "{script} {mode:?} on the store: {}",
                local.transcript()
            );
        }
        let (l, r) = (
            transcript(&local, &emulator.dir),
            transcript(&remote, &emulator.dir),
        );
        if l != r {
            differ.push(format!(
                "{script} {mode:?}\n--- embedded\n{l}--- remote\n{r}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
