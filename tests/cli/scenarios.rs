//! Data-driven scenarios: each `tests/scenarios/*.sql` file is a sequence
//! of mcauth runs against one fresh store, and `*.out` beside it holds the
//! expected exit codes and output. `-- run: ARGS` starts a run; the lines
//! after it, up to the next `-- run:`, are its script. `-- ask: ARGS`
//! runs mcauth with those arguments alone (`why …`, `who-can …`, `audit`),
//! with no script: the lines after it, up to the next `-- run:` or
//! `-- ask:`, must be comments or blank. Runs see `examples/policies`
//! under their working directory, for `put policy`. Set
//! `MCAUTH_BLESS=1` to rewrite the `.out` files after a deliberate change.

use std::path::Path;

use crate::support::{copy_example_policies, mcauth_in, repo};

/// Marks a run that asks (`-- ask:`) rather than runs a script.
const ASK: &str = "\u{0}ask ";

fn run_scenario(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable scenario");
    let dir = std::env::temp_dir().join(format!(
        "mcauth-scenario-{}-{}",
        std::process::id(),
        path.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    copy_example_policies(&dir);
    let store = dir.join("store.db");
    let store = store.to_str().expect("utf-8 temp path");
    let mut transcript = String::new();
    let mut runs: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(args) = line.strip_prefix("-- run:") {
            runs.push((args.trim().to_owned(), String::new()));
        } else if let Some(args) = line.strip_prefix("-- ask:") {
            runs.push((format!("{ASK}{}", args.trim()), String::new()));
        } else if let Some((args, script)) = runs.last_mut() {
            if args.starts_with(ASK) {
                let t = line.trim();
                assert!(
                    t.is_empty() || t.starts_with("--"),
                    "{}: `-- ask:` takes no script, found `{t}`",
                    path.display()
                );
                continue;
            }
            script.push_str(line);
            script.push('\n');
        }
    }
    assert!(!runs.is_empty(), "{} has no `-- run:` line", path.display());
    for (i, (args, script)) in runs.iter().enumerate() {
        let file = dir.join(format!("run{}.sql", i + 1));
        std::fs::write(&file, script).expect("write run script");
        let name = format!("run{}.sql", i + 1);
        let (args, ask) = match args.strip_prefix(ASK) {
            Some(rest) => (rest, true),
            None => (args.as_str(), false),
        };
        let mut argv: Vec<&str> = vec!["--store", store];
        if !ask {
            argv.extend(["--error-format", "plain"]);
        }
        argv.extend(args.split_whitespace());
        if !ask {
            argv.push(&name);
        }
        let out = mcauth_in(
            &dir,
            &argv,
            "",
            &[("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")],
        );
        let verb = if ask { "ask" } else { "run" };
        transcript.push_str(&format!("== {verb} {}: mcauth {args}\n", i + 1));
        // The store's temporary path shows in `whoami`; keep runs comparable.
        transcript.push_str(
            &out.transcript()
                .replace(dir.to_str().unwrap_or("\u{0}"), "$TMP"),
        );
        if !transcript.ends_with('\n') {
            transcript.push('\n');
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    transcript
}

#[test]
fn scenarios_match_their_expected_output() {
    let dir = repo().join("tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "expected a scenario per rule");
    let bless = std::env::var_os("MCAUTH_BLESS").is_some();
    let mut failures = Vec::new();
    for path in paths {
        let actual = run_scenario(&path);
        let expected_path = path.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write .out");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario(s) differ (MCAUTH_BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
