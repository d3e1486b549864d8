//! The documentation's transcripts are tests, so they cannot drift: the
//! README's console sessions are run in a shell as a reader would type
//! them, and the output of `examples/mistakes*.sql` is kept as snapshots.
//!
//! A README transcript is a ```` ```console ```` block: `$ command` lines,
//! each followed by its expected output (standard output and standard
//! error, as a terminal shows them together). A line `…` (alone, or
//! indented) stands for any number of lines. Blocks run in README order,
//! in one scratch folder with its own store, as `ALIYUN$you@example.com`,
//! the identity the README names.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{mcauth_in, no_config_home, repo};

const IDENTITY: &str = "ALIYUN$you@example.com";

/// The console blocks to run, by the first command of each, with what the
/// reader's project must hold before the block that the README's earlier
/// blocks do not make (commands run first, unchecked). The other blocks need a terminal (the REPL), a running
/// `mcauth serve`, an editor, or files the README only names.
const RUN: &[(&str, &[&str])] = &[
    ("mcauth examples/onboarding.sql", &[]),
    ("mcauth -e 'remove user RAM$alice;'", &[]),
    ("mcauth check examples/mistakes.sql", &[]),
    (
        "mcauth --error-format plain -e 'grant readers to RAM$bob; grant Slect on tabel sales to role reader;'",
        &["mcauth -q -e 'create role reader;'"],
    ),
    ("mcauth --skip-existing examples/onboarding.sql", &[]),
    ("mcauth --echo --skip-existing examples/onboarding.sql", &[]),
    (
        "mcauth --format csv -e 'show grants for role analyst;'",
        &[],
    ),
    (
        "mcauth policy lint --error-format plain examples/policies/quota-team-with-mistakes.json",
        &[],
    ),
    (
        "mcauth policy simulate --policy examples/policies/project-admin.json < examples/requests.jsonl",
        &[],
    ),
];

/// Where the README says the store is.
const README_DATA_HOME: &str = "/home/you/.local/share";

struct Step {
    command: String,
    expected: Vec<String>,
}

/// The README's console blocks, each as its steps.
fn console_blocks(readme: &str) -> Vec<Vec<Step>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Step>> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```console") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(steps), text) => match text.strip_prefix("$ ") {
                Some(command) => steps.push(Step {
                    command: command.to_owned(),
                    expected: Vec::new(),
                }),
                None => {
                    if let Some(step) = steps.last_mut() {
                        step.expected.push(text.to_owned());
                    }
                }
            },
            (None, _) => {}
        }
    }
    blocks
}

/// Whether `actual` is `expected`, where an expected `…` line stands for
/// any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line.trim_end() == first && matches(rest, more)),
    }
}

/// A fresh folder of its own for each test (tests run in parallel in one
/// process).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcauth-readme-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Runs a README command line in `sh`, in the repository (the examples are
/// named relative to it), with the built mcauth first on `PATH`. A command
/// that does not choose an error format gets the one a terminal gets.
fn shell(command: &str, data_home: &Path) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_mcauth"))
        .parent()
        .expect("the binary's folder")
        .to_owned();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let terminal = if command.contains("--error-format") {
        ""
    } else {
        // `check` and `fmt` take the option after their name.
        r#"mcauth() { case "$1" in check|fmt) s=$1; shift; command mcauth "$s" --error-format fancy "$@";; *) command mcauth --error-format fancy "$@";; esac; }; "#
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1; {terminal}{command}"))
        .current_dir(repo())
        .env("PATH", path)
        .env("MCAUTH_IDENTITY", IDENTITY)
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data_home)
        .env("XDG_STATE_HOME", data_home)
        .env("XDG_CONFIG_HOME", no_config_home())
        .env_remove("MCAUTH_STORE")
        .env_remove("MCAUTH_ENDPOINT")
        .env_remove("COLUMNS")
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&out.stdout)
        .replace(data_home.to_str().expect("utf-8"), README_DATA_HOME)
}

#[test]
fn readme_transcripts_are_what_mcauth_prints() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let blocks = console_blocks(&readme);
    let home = scratch("transcripts");
    let mut drift = Vec::new();
    let mut ran = 0;
    for block in &blocks {
        let Some(first) = block.first() else { continue };
        let Some((_, setup)) = RUN.iter().find(|(c, _)| *c == first.command) else {
            continue;
        };
        ran += 1;
        for command in *setup {
            shell(command, &home);
        }
        for step in block {
            let actual = shell(&step.command, &home);
            let lines: Vec<&str> = actual.lines().collect();
            if !matches(&step.expected, &lines) {
                drift.push(format!(
                    "$ {}\n--- README\n{}\n--- mcauth\n{}",
                    step.command,
                    step.expected.join("\n"),
                    actual
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(
        ran,
        RUN.len(),
        "every transcript RUN names is in the README"
    );
    assert!(
        drift.is_empty(),
        "the README's transcripts drifted:\n\n{}",
        drift.join("\n\n")
    );
}

#[test]
fn the_ellipsis_matches_any_lines_and_nothing_else() {
    let expected: Vec<String> = ["a", "…", "d"].map(str::to_owned).to_vec();
    assert!(matches(&expected, &["a", "d"]));
    assert!(matches(&expected, &["a", "b", "c", "d"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["x", "d"]));
    assert!(!matches(&expected[..1], &["a", "b"]));
}

/// Runs mcauth in a scratch store as the README's identity.
fn in_store(dir: &Path, args: &[&str]) -> crate::support::Outcome {
    let store = dir.join("mcauth.db");
    let mut argv = vec!["--store", store.to_str().expect("utf-8")];
    argv.extend_from_slice(args);
    mcauth_in(&repo(), &argv, "", &[("MCAUTH_IDENTITY", IDENTITY)])
}

#[test]
fn mistakes_sql_reports_its_four_syntax_errors() {
    let out = mcauth_in(
        &repo(),
        &["check", "--error-format", "plain", "examples/mistakes.sql"],
        "",
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn mistakes_semantic_sql_fails_each_rule_after_onboarding() {
    let dir = scratch("semantic");
    let onboard = in_store(&dir, &["-q", "examples/onboarding.sql"]);
    assert_eq!(onboard.code, 0, "{}", onboard.transcript());
    let out = in_store(
        &dir,
        &[
            "--dry-run",
            "--error-format",
            "plain",
            "examples/mistakes-semantic.sql",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 1, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

/// Every `docs/<file>.md#<anchor>` the code and the documents cite names a
/// heading that exists (GitHub's anchors: lower case, spaces as `-`,
/// other punctuation dropped).
#[test]
fn every_citation_of_the_docs_names_a_heading_that_exists() {
    fn anchors(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.strip_prefix('#'))
            .map(|h| {
                h.trim_start_matches('#')
                    .trim()
                    .to_lowercase()
                    .chars()
                    .filter_map(|c| match c {
                        ' ' => Some('-'),
                        c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != ".git" && name != ".venv" {
                    walk(&path, out);
                }
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "md" || e == "ebnf" || e == "sql")
            {
                out.push(path);
            }
        }
    }
    let root = repo();
    let mut files = Vec::new();
    for dir in ["crates", "tests", "grammar", "docs", "examples", "fuzz"] {
        walk(&root.join(dir), &mut files);
    }
    files.extend([root.join("README.md"), root.join("ARCHITECTURE.md")]);
    let mut broken = Vec::new();
    let mut seen = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (i, _) in text.match_indices("docs/") {
            let rest = &text[i + 5..];
            let cited: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '#'))
                .collect();
            let Some((doc, anchor)) = cited.split_once(".md#") else {
                continue;
            };
            seen += 1;
            let anchor = anchor.trim_end_matches('.');
            if !anchors(&root.join("docs").join(format!("{doc}.md")))
                .iter()
                .any(|a| a == anchor)
            {
                broken.push(format!("{}: docs/{doc}.md#{anchor}", file.display()));
            }
        }
    }
    assert!(seen > 20, "the walk found only {seen} citations");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
