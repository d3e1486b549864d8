//! The two backends agree. Every scenario of `tests/scenarios` and every
//! example script, run against `mcauth serve` holding the same state,
//! plans and runs as it does on the embedded store, line for line: the
//! remote backend reads what its checks need and never takes what it has
//! not read for absent.
//!
//! The only differences allowed are the ones that say where a statement
//! went: `whoami`'s endpoint, and "nothing was sent" for "nothing was run".

use std::collections::BTreeSet;
use std::path::Path;

use crate::remote::{Emulator, start};
use crate::support::{Outcome, mcauth_in, repo};

const OWNER: &str = "owner@example.com";

/// The `-- run: ARGS` runs of a scenario file.
fn runs(text: &str) -> Vec<(Vec<String>, String)> {
    let mut runs: Vec<(Vec<String>, String)> = Vec::new();
    for line in text.lines() {
        if let Some(args) = line.strip_prefix("-- run:") {
            runs.push((
                args.split_whitespace().map(str::to_owned).collect(),
                String::new(),
            ));
        } else if let Some((_, script)) = runs.last_mut() {
            script.push_str(line);
            script.push('\n');
        }
    }
    runs
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

/// An accounts file with the owner's account, a RAM user with an
/// AccessKey for every `--as` of the scenario, and project `default`.
fn accounts(dir: &Path, callers: &BTreeSet<String>) -> std::path::PathBuf {
    let mut toml = format!(
        "[[accounts]]\nname = \"{OWNER}\"\naccess_keys = [{{ id = \"owner-id\", secret = \"owner-secret\" }}]\n"
    );
    for name in callers.iter().filter_map(|c| logon(c)) {
        toml.push_str(&format!(
            "\n[[accounts.ram_users]]\nlogon_name = \"{name}\"\naccess_keys = [{{ id = \"{name}-id\", secret = \"{name}-secret\" }}]\n"
        ));
    }
    toml.push_str(&format!(
        // The embedded store's new project lists ALIYUN alone; so must the
        // emulator's (its own default is ALIYUN and RAM).
        "\n[[projects]]\nname = \"default\"\nowner = \"ALIYUN${OWNER}\"\naccount_providers = [\"ALIYUN\"]\n"
    ));
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
    text.lines()
        .filter(|l| !l.starts_with("End_Point: ") && !l.starts_with("Source IP: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs one scenario on both backends; returns the two transcripts.
fn both(path: &Path) -> (String, String) {
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
    let accounts = accounts(&scratch, &callers);
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
        let (who, rest) = split_as(args);
        let mut argv: Vec<&str> = vec!["--store", store, "--error-format", "plain"];
        if let Some(who) = &who {
            argv.extend(["--as", who]);
        }
        argv.extend(rest.iter().map(String::as_str));
        argv.push(&name);
        let out = mcauth_in(
            &scratch,
            &argv,
            "",
            &[("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")],
        );
        local.push_str(&format!("== run {}\n{}", i + 1, transcript(&out, &scratch)));

        let (id, secret) = match who.as_deref().and_then(logon) {
            Some(n) => (format!("{n}-id"), format!("{n}-secret")),
            None => ("owner-id".to_owned(), "owner-secret".to_owned()),
        };
        let mut argv: Vec<&str> = vec![
            "--endpoint",
            &emulator.endpoint,
            "--project",
            "default",
            "--error-format",
            "plain",
        ];
        argv.extend(rest.iter().map(String::as_str));
        argv.push(&name);
        let out = mcauth_in(
            &scratch,
            &argv,
            "",
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", id.as_str()),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret.as_str()),
            ],
        );
        remote.push_str(&format!("== run {}\n{}", i + 1, transcript(&out, &scratch)));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    (local, remote)
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
    for path in &paths {
        let (local, remote) = both(path);
        if local != remote {
            differ.push(format!(
                "{}\n--- embedded\n{local}--- remote\n{remote}",
                path.display()
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
