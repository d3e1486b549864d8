//! kill -9 at any moment leaves a valid store that holds every statement
//! mcauth reported as done.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use mcauth_engine::{PrincipalId, StateView};

fn run_and_kill_after(oks_before_kill: usize, tag: &str) {
    let dir = std::env::temp_dir().join(format!("mcauth-kill-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script: String = (0..40_000)
        .map(|i| format!("add user ALIYUN$u{i}@example.com;\n"))
        .collect();
    let script_path = dir.join("many.sql");
    std::fs::write(&script_path, script).expect("script");
    let store = dir.join("store.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcauth"))
        .arg("--store")
        .arg(&store)
        .arg(&script_path)
        .env("MCAUTH_IDENTITY", "ALIYUN$owner@example.com")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mcauth starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut reported = 0;
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if line == "OK" {
            reported += 1;
        }
        if reported >= oks_before_kill {
            break;
        }
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();

    // The store opens, passes SQLite's integrity check, and holds every
    // statement that was reported as done.
    let mut store = mcauth_store::Store::open(&store).expect("the store opens after kill -9");
    store
        .check_integrity()
        .expect("SQLite's integrity check passes");
    let project = store
        .project("default", &PrincipalId::aliyun("owner@example.com"))
        .expect("project loads");
    let members = project.state().members().len();
    assert!(
        members >= reported,
        "{reported} statements were reported done but only {members} users are in the store"
    );
    for i in 0..reported {
        assert!(
            project
                .state()
                .is_member(&PrincipalId::aliyun(&format!("u{i}@example.com"))),
            "u{i} lost"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_loses_nothing_that_was_reported() {
    for (n, at) in [1, 1500, 9000].into_iter().enumerate() {
        run_and_kill_after(at, &n.to_string());
    }
}
