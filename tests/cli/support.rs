//! Running the built `mcauth` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies `examples/policies` into `dir`, so that a scenario run there
/// names its policy documents as the repository does
/// (`put policy examples/policies/….json;`).
pub fn copy_example_policies(dir: &Path) {
    let from = repo().join("examples/policies");
    let to = dir.join("examples/policies");
    std::fs::create_dir_all(&to).expect("examples/policies in the scratch directory");
    for entry in std::fs::read_dir(&from).expect("examples/policies exists") {
        let path = entry.expect("entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, to.join(name)).expect("copy a policy document");
        }
    }
}

/// Runs mcauth in the repository root with `args` and `stdin`.
pub fn mcauth(args: &[&str], stdin: &str) -> Outcome {
    mcauth_in(&repo(), args, stdin, &[])
}

pub fn mcauth_in(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Each test chooses where mcauth writes: the environment it was
        // started from, or a config file of the developer's, must not.
        .env_remove("MCAUTH_STORE")
        .env_remove("MCAUTH_ENDPOINT")
        .env("XDG_CONFIG_HOME", no_config_home())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("mcauth runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("stdin accepts the script");
    }
    let out = child.wait_with_output().expect("mcauth finishes");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A config folder that does not exist, so that no default
/// `odps_config.ini` applies unless a test makes one.
pub fn no_config_home() -> PathBuf {
    std::env::temp_dir().join("mcauth-tests-no-config-home")
}
