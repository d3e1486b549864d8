//! Robustness: hostile inputs, closed pipes and full disks,
//! `fmt --write` on a full disk, read-only stores, and the test command
//! with an absolute `CARGO_TARGET_DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::repo;

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcauth-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn target_dir(cwd: &Path, cargo_target_dir: Option<&str>) -> String {
    let mut cmd = Command::new(repo().join("scripts/target-dir"));
    cmd.current_dir(cwd);
    match cargo_target_dir {
        Some(dir) => cmd.env("CARGO_TARGET_DIR", dir),
        None => cmd.env_remove("CARGO_TARGET_DIR"),
    };
    let out = cmd.output().expect("scripts/target-dir runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// scripts/test-all finds the binary the interop tests start through
/// scripts/target-dir, which asks cargo: an absolute CARGO_TARGET_DIR (as
/// in many shells and CI caches) used to be glued onto $PWD.
#[test]
fn the_target_folder_is_where_cargo_puts_it() {
    let dir = scratch("target-dir");
    let absolute = dir.join("abs-target");
    let absolute = absolute.to_str().expect("UTF-8 temp path");
    assert_eq!(target_dir(&repo(), Some(absolute)), absolute);
    // Relative: to the folder cargo runs in, as cargo has it.
    let relative = target_dir(&dir, Some("rel-target"));
    assert_eq!(Path::new(&relative), dir.join("rel-target"));
    // And the binary under test lives where the script says, whatever
    // CARGO_TARGET_DIR this test run was given.
    let here = std::env::var("CARGO_TARGET_DIR").ok();
    let resolved = target_dir(&repo(), here.as_deref());
    let bin = Path::new(env!("CARGO_BIN_EXE_mcauth"));
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    assert!(
        canonical(bin).starts_with(canonical(Path::new(&resolved))),
        "{} is not under {resolved}",
        bin.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn mcauth_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcauth"));
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env("MCAUTH_IDENTITY", "ALIYUN$robust@example.com")
        .env_remove("MCAUTH_STORE")
        .env_remove("MCAUTH_ENDPOINT")
        .env("XDG_CONFIG_HOME", crate::support::no_config_home())
        .stdin(Stdio::null());
    cmd
}

fn dev_full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full opens"),
    )
}

/// A script whose plan is far longer than a pipe's buffer.
fn many_users(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::from("add accountprovider ram;\n");
    for i in 0..n {
        text.push_str(&format!("add user RAM$u{i};\n"));
    }
    let path = dir.join("many.sql");
    std::fs::write(&path, text).expect("script written");
    path
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader, Read};
    let dir = scratch("closed-stdout");
    let script = many_users(&dir, 20_000);
    for dry_run in [true, false] {
        let mut cmd = mcauth_cmd();
        cmd.arg("--store").arg(dir.join(format!("s-{dry_run}.db")));
        if dry_run {
            cmd.arg("--dry-run");
        }
        let mut child = cmd
            .arg(&script)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mcauth starts");
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        out.read_line(&mut first).expect("a first line");
        drop(out); // as `| head -1` does
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr read");
        let status = child.wait().expect("mcauth ends");
        assert!(!first.is_empty());
        assert_eq!(status.code(), Some(0), "dry run {dry_run}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("cannot write"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_disk_is_exit_3_not_a_panic() {
    let dir = scratch("dev-full");
    let bad = dir.join("bad.sql");
    std::fs::write(&bad, "add user x y;\nlist;\n").expect("script");
    let script = many_users(&dir, 100);
    // Diagnostics to a full standard error.
    let out = mcauth_cmd()
        .args(["check", "--error-format", "plain"])
        .arg(&bad)
        .stdout(Stdio::piped())
        .stderr(dev_full())
        .output()
        .expect("mcauth runs");
    assert_eq!(out.status.code(), Some(3));
    // Results, plans and formatted text to a full standard output.
    let runs: [&[&str]; 4] = [
        &["fmt"],
        &["--dry-run"],
        &["-q", "-e", "list users;"],
        &["check", "--error-format", "json"],
    ];
    for args in runs {
        let mut cmd = mcauth_cmd();
        cmd.arg("--store").arg(dir.join("s.db"));
        cmd.args(args);
        if args[0] != "-q" {
            cmd.arg(if args[0] == "check" { &bad } else { &script });
        }
        let out = cmd
            .stdout(dev_full())
            .stderr(Stdio::piped())
            .output()
            .expect("mcauth runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if args[0] == "-q" {
            // Quiet prints nothing, so nothing failed.
            assert_eq!(out.status.code(), Some(0), "{stderr}");
            continue;
        }
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `fmt --write` on a disk that fills up mid-write leaves the script as
/// it was. The disk is "full" by RLIMIT_FSIZE (SIGXFSZ ignored, so the
/// write fails with EFBIG), which needs no privileges and works as root.
#[test]
fn fmt_write_on_a_full_disk_keeps_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("fmt-write");
    let path = dir.join("messy.sql");
    let mut messy = String::new();
    for i in 0..200 {
        messy.push_str(&format!("ADD   USER RAM$someone_{i}  ;   grant   Select on table t{i} to USER RAM$someone_{i};\n"));
    }
    std::fs::write(&path, &messy).expect("script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 4; exec "$0" fmt --write "$1""#)
        .arg(env!("CARGO_BIN_EXE_mcauth"))
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).expect("still there"), messy);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "a temporary file was left: {left:?}");

    // With room, it is rewritten, and keeps its permissions.
    let out = mcauth_cmd()
        .args(["fmt", "--write"])
        .arg(&path)
        .output()
        .expect("mcauth runs");
    assert_eq!(out.status.code(), Some(0));
    let formatted = std::fs::read_to_string(&path).expect("formatted");
    assert!(
        formatted.starts_with("add user RAM$someone_0;\n"),
        "{formatted}"
    );
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A script saved with a UTF-8 byte-order mark (as Windows editors do)
/// checks, runs and formats; positions still count from the file's start.
#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = scratch("bom");
    let path = dir.join("bom.sql");
    std::fs::write(
        &path,
        "\u{feff}add accountprovider ram;\nadd user RAM$bob;\n",
    )
    .expect("script");
    let out = mcauth_cmd().arg("check").arg(&path).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = mcauth_cmd()
        .arg("--store")
        .arg(dir.join("s.db"))
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = mcauth_cmd()
        .args(["fmt", "--check"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The mark is not a column: an error at the first word is at 1:1.
    std::fs::write(&path, "\u{feff}lst users;\n").expect("script");
    let out = mcauth_cmd()
        .args(["check", "--error-format", "plain"])
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bom.sql:1:1: error"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether this test runs as root, whom file permissions do not stop.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `nobody`, as whom a root test runs mcauth so that permissions apply.
const NOBODY: u32 = 65534;

/// A read-only store file, or a store in a read-only folder, still
/// answers reads and plans; a change is refused with a clear error. As
/// root (CI), mcauth runs as `nobody` against files root made read-only
/// for it: chmod alone would not stop root, and the test would prove
/// nothing.
#[test]
fn a_read_only_store_serves_reads() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let root = is_root();
    for case in ["file", "folder"] {
        let dir = scratch(&format!("read-only-{case}"));
        let store = dir.join("s.db");
        let made = mcauth_cmd()
            .arg("--store")
            .arg(&store)
            .args(["-q", "-e", "add accountprovider ram; add user RAM$bob; grant Select on table sales to user RAM$bob;"])
            .output()
            .expect("runs");
        assert_eq!(
            made.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let mode = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
        };
        if case == "file" {
            mode(&store, 0o444);
            mode(&dir, 0o777);
        } else {
            if root {
                // nobody may write the file, but not make files beside it.
                std::os::unix::fs::chown(&store, Some(NOBODY), Some(NOBODY)).expect("chown");
            }
            mode(&store, 0o644);
            mode(&dir, 0o555);
        }
        let run = |args: &[&str]| {
            let mut cmd = mcauth_cmd();
            cmd.arg("--store")
                .arg(&store)
                .args(args)
                .stdin(Stdio::null());
            if root {
                cmd.uid(NOBODY).gid(NOBODY);
            }
            cmd.output().expect("runs")
        };
        let text = |o: &std::process::Output| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        };
        let out = run(&["-e", "list users;"]);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", text(&out));
        assert!(
            text(&out).contains("RAM$robust@example.com:bob"),
            "{}",
            text(&out)
        );
        let out = run(&["-e", "show grants for RAM$bob;"]);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", text(&out));
        assert!(
            text(&out).contains("tables/sales: Select"),
            "{}",
            text(&out)
        );
        let out = run(&["--dry-run", "-e", "add user RAM$carol;"]);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", text(&out));
        let out = run(&["-e", "add user RAM$carol;"]);
        assert_eq!(out.status.code(), Some(3), "{case}: {}", text(&out));
        assert!(
            text(&out).contains("is read-only"),
            "{case}: {}",
            text(&out)
        );
        mode(&dir, 0o755);
        mode(&store, 0o644);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A store whose schema version was damaged is named as such.
#[test]
fn a_damaged_store_version_is_a_clear_error() {
    let dir = scratch("damaged");
    let store = dir.join("s.db");
    let out = mcauth_cmd()
        .arg("--store")
        .arg(&store)
        .args(["-q", "-e", "list users;"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    // PRAGMA user_version is the big-endian integer at byte 60.
    let mut bytes = std::fs::read(&store).expect("store");
    bytes[60..64].copy_from_slice(&(-7i32).to_be_bytes());
    std::fs::write(&store, bytes).expect("damaged");
    let out = mcauth_cmd()
        .arg("--store")
        .arg(&store)
        .args(["-e", "list users;"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(stderr.contains("user_version) is -7"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Past 100 diagnostics, fancy and plain only count the rest (and say
/// so); `--max-diagnostics` moves the cap, 0 lifts it; json prints all.
#[test]
fn repeated_diagnostics_are_capped_with_a_count() {
    let dir = scratch("cap");
    let path = dir.join("errors.sql");
    let text: String = (0..150).map(|i| format!("lst users{i};\n")).collect();
    std::fs::write(&path, text).expect("script");
    let check = |args: &[&str]| {
        let out = mcauth_cmd()
            .arg("check")
            .args(args)
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let errors = |s: &str| s.matches("error[mcauth::syntax::").count();
    let (_, stderr) = check(&["--error-format", "plain"]);
    assert_eq!(errors(&stderr), 100);
    assert!(
        stderr.contains("mcauth: 50 more diagnostics not shown (--max-diagnostics 0 shows all)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("checked 1 file: 0 statements, 150 errors"),
        "{stderr}"
    );
    // The last one shown is the 100th, at its line.
    assert!(stderr.contains("errors.sql:100:1: error"), "{stderr}");
    let (_, stderr) = check(&["--error-format", "plain", "--max-diagnostics", "0"]);
    assert_eq!(errors(&stderr), 150);
    assert!(!stderr.contains("not shown"));
    let (_, stderr) = check(&["--error-format", "fancy", "--max-diagnostics", "3"]);
    assert_eq!(
        stderr.matches("mcauth::syntax::unknown_statement").count(),
        3
    );
    assert!(stderr.contains("147 more diagnostics"), "{stderr}");
    let (stdout, _) = check(&["--error-format", "json"]);
    assert_eq!(stdout.lines().count(), 150);
    // A run reports them the same way, and runs nothing.
    let out = mcauth_cmd()
        .arg("--store")
        .arg(dir.join("s.db"))
        .args(["--error-format", "plain"])
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(errors(&stderr), 100);
    assert!(
        stderr.contains("150 syntax errors: nothing was run"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lines of a snippet are found from the last diagnostic's position:
/// positions far into a long script, on long lines, after multi-byte
/// characters and at the end of a file without a final newline are those
/// a scan from the start gives.
#[test]
fn diagnostic_positions_far_into_a_script_are_exact() {
    let dir = scratch("positions");
    let path = dir.join("far.sql");
    let mut text = String::new();
    for i in 0..2_000 {
        text.push_str(&format!("-- é {i}\nlist users; lst x{i}; list roles;\n"));
    }
    text.push_str("add user");
    std::fs::write(&path, &text).expect("script");
    let out = mcauth_cmd()
        .args(["check", "--error-format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2_001);
    for (i, v) in lines.iter().take(2_000).enumerate() {
        assert_eq!(v["line"], 2 * i + 2, "{v}");
        assert_eq!(v["column"], 13, "{v}");
    }
    let last = &lines[2_000];
    assert_eq!(last["line"], 4_001);
    assert_eq!(last["column"], 9);
    // Fancy: the last snippet points at the end of the file.
    let out = mcauth_cmd()
        .args(["check", "--error-format", "fancy", "--max-diagnostics", "0"])
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("far.sql:4001:9]"),
        "{}",
        &stderr[stderr.len().saturating_sub(800)..]
    );
    assert!(stderr.contains("far.sql:4000:13]"));
    assert!(
        stderr.contains("4001 │ add user"),
        "{}",
        &stderr[stderr.len().saturating_sub(800)..]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A snippet shows the lines around its label, but not a context line too
/// long to show: an error beside a 1 MB line prints a few lines, not the
/// megabyte (miette used to be handed the whole source).
#[test]
fn snippets_leave_out_long_context_lines() {
    let dir = scratch("long-context");
    let path = dir.join("long.sql");
    let long = format!("create role r comment '{}';\n", "x".repeat(1 << 20));
    std::fs::write(&path, format!("{long}lst users;\n{long}")).expect("script");
    let out = mcauth_cmd()
        .args(["check", "--error-format", "fancy"])
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("long.sql:2:1]"), "{stderr}");
    assert!(stderr.contains("2 │ lst users;"), "{stderr}");
    assert!(stderr.len() < 4096, "{} bytes", stderr.len());
    let _ = std::fs::remove_dir_all(&dir);
}
