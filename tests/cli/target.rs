//! Where a command writes: a flag on the command line beats the
//! environment and the config file; when neither side was chosen on the
//! command line, mcauth asks instead of guessing; a store named at a
//! folder that does not exist is refused. Remote runs go to a real
//! `mcauth serve` on 127.0.0.1.

use std::path::{Path, PathBuf};

use crate::remote::{Emulator, run_remote, start};
use crate::support::{Outcome, mcauth_in, repo};

const OWNER: &str = "ALIYUN$dev@example.com";

/// A temporary home for one test: a config folder (empty until
/// [`Home::write_config`]), a data folder for the default store, and a
/// work folder for named stores.
struct Home {
    dir: PathBuf,
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("mcauth-target-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("work")).expect("temp dir");
        Home { dir }
    }

    fn config_home(&self) -> PathBuf {
        self.dir.join("config")
    }

    fn config_file(&self) -> PathBuf {
        self.config_home().join("mcauth/odps_config.ini")
    }

    fn data_home(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn work(&self, name: &str) -> PathBuf {
        self.dir.join("work").join(name)
    }

    /// The default config file, in odpscmd's format, naming `endpoint`
    /// with the emulator's well-known AccessKey.
    fn write_config(&self, endpoint: &str) {
        let file = self.config_file();
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("config dir");
        std::fs::write(
            &file,
            format!(
                "project_name=dev\naccess_id=dev-access-id\naccess_key=dev-access-secret\nend_point={endpoint}\n"
            ),
        )
        .expect("config written");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .expect("config private");
        }
    }

    /// Runs mcauth with this home's config and data folders, the
    /// emulator's owner as the local identity, and `vars` on top.
    fn run(&self, args: &[&str], vars: &[(&str, &str)]) -> Outcome {
        let config = self.config_home();
        let data = self.data_home();
        let mut env = vec![
            ("XDG_CONFIG_HOME", path_str(&config)),
            ("XDG_DATA_HOME", path_str(&data)),
            ("MCAUTH_IDENTITY", OWNER),
            ("MCAUTH_PROJECT", "dev"),
        ];
        env.extend_from_slice(vars);
        mcauth_in(&repo(), args, "", &env)
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The roles of the emulator's project `dev`, as its owner sees them.
fn remote_roles(emulator: &Emulator) -> String {
    let out = run_remote(emulator, &["-e", "list roles;"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    out.stdout
}

/// The roles of project `dev` in the store at `path`.
fn local_roles(home: &Home, path: &Path) -> String {
    let out = home.run(&["--store", path_str(path), "-e", "list roles;"], &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    out.stdout
}

#[test]
fn store_flag_beats_an_endpoint_from_the_config_file_or_the_environment() {
    let emulator = start("target-store-flag", &[]);
    let home = Home::new("store-flag");
    home.write_config(&emulator.endpoint);
    let store = home.work("v.db");

    // The reported bug: with a default config file, `--store` went remote.
    let out = home.run(
        &["--store", path_str(&store), "-e", "create role from_flag;"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    // And with the endpoint in the environment instead.
    let out = home.run(
        &[
            "--store",
            path_str(&store),
            "-e",
            "create role from_flag_env;",
        ],
        &[("MCAUTH_ENDPOINT", &emulator.endpoint)],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());

    let local = local_roles(&home, &store);
    assert!(
        local.contains("from_flag\n") && local.contains("from_flag_env\n"),
        "{local}"
    );
    let remote = remote_roles(&emulator);
    assert!(!remote.contains("from_flag"), "{remote}");
}

#[test]
fn endpoint_flags_beat_the_store_variable() {
    let emulator = start("target-endpoint-flag", &[]);
    let home = Home::new("endpoint-flag");
    let store = home.work("env.db");
    let key = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
        ("MCAUTH_STORE", path_str(&store)),
    ];
    let out = home.run(
        &[
            "--endpoint",
            &emulator.endpoint,
            "-e",
            "create role by_endpoint_flag;",
        ],
        &key,
    );
    assert_eq!(out.code, 0, "{}", out.transcript());

    // `--config FILE` is a flag too.
    let config = home.work("odps_config.ini");
    home.write_config(&emulator.endpoint);
    std::fs::rename(home.config_file(), &config).expect("moved");
    let out = home.run(
        &[
            "--config",
            path_str(&config),
            "-e",
            "create role by_config_flag;",
        ],
        &[("MCAUTH_STORE", path_str(&store))],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());

    let remote = remote_roles(&emulator);
    assert!(
        remote.contains("by_endpoint_flag\n") && remote.contains("by_config_flag\n"),
        "{remote}"
    );
    assert!(!store.exists(), "MCAUTH_STORE was not opened");
}

#[test]
fn without_a_flag_an_endpoint_wins_over_the_default_store_only() {
    let emulator = start("target-default", &[]);
    let home = Home::new("default");
    home.write_config(&emulator.endpoint);
    let out = home.run(&["-e", "create role by_config_file;"], &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(remote_roles(&emulator).contains("by_config_file\n"));
    assert!(!home.data_home().exists(), "the default store was not made");
}

#[test]
fn a_store_and_an_endpoint_from_the_environment_or_config_are_refused() {
    let home = Home::new("ambiguous");
    let store = home.work("env.db");
    let endpoint = "http://127.0.0.1:9/api";

    let out = home.run(
        &["-e", "create role zzz;"],
        &[
            ("MCAUTH_STORE", path_str(&store)),
            ("MCAUTH_ENDPOINT", endpoint),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    for part in [
        format!("the store {} (from MCAUTH_STORE)", store.display()),
        format!("the endpoint {endpoint} (from MCAUTH_ENDPOINT)"),
        "pass --store PATH".to_owned(),
        "--endpoint URL".to_owned(),
    ] {
        assert!(out.stderr.contains(&part), "{part}: {}", out.stderr);
    }

    home.write_config(endpoint);
    let out = home.run(
        &["-e", "create role zzz;"],
        &[("MCAUTH_STORE", path_str(&store))],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    let config = home.config_file();
    assert!(
        out.stderr
            .contains(&format!("the endpoint of {}", config.display()))
            && out.stderr.contains("(from MCAUTH_STORE)"),
        "{}",
        out.stderr
    );
    // `check --plan` follows the same rule.
    let out = home.run(
        &["check", "--plan", "-"],
        &[("MCAUTH_STORE", path_str(&store))],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(!store.exists(), "nothing was written: {}", out.stderr);
}

#[test]
fn a_store_flag_and_an_endpoint_flag_are_refused() {
    let home = Home::new("two-flags");
    let store = home.work("v.db");
    let out = home.run(
        &[
            "--store",
            path_str(&store),
            "--endpoint",
            "http://127.0.0.1:9/api",
            "-e",
            "create role zzz;",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("(from --store)") && out.stderr.contains("(from --endpoint)"),
        "{}",
        out.stderr
    );
    assert!(!store.exists());
}

#[test]
fn verbose_runs_say_where_they_write() {
    let emulator = start("target-verbose", &[]);
    let home = Home::new("verbose");
    let store = home.work("v.db");
    let out = home.run(
        &["-v", "--store", path_str(&store), "-e", "create role r1;"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let said = format!("mcauth: project dev in {} as {OWNER}\n", store.display());
    assert_eq!(out.stderr.matches(&said).count(), 1, "{}", out.stderr);

    let out = run_remote(&emulator, &["-v", "-e", "create role r1;"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let said = format!("mcauth: project dev on {} as {OWNER}\n", emulator.endpoint);
    assert_eq!(out.stderr.matches(&said).count(), 1, "{}", out.stderr);

    // A run on several projects says each one's target once.
    let out = home.run(
        &[
            "-v",
            "--store",
            path_str(&store),
            "--project",
            "a",
            "--project",
            "b",
            "-e",
            "create role r2;",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    for project in ["a", "b"] {
        let said = format!(
            "mcauth: project {project} in {} as {OWNER}\n",
            store.display()
        );
        assert_eq!(out.stderr.matches(&said).count(), 1, "{}", out.stderr);
    }
}

#[test]
fn a_named_store_in_a_missing_folder_is_an_error() {
    let home = Home::new("missing-folder");
    let store = home.work("typo/v.db");
    let folder = home.work("typo");
    let says = |out: &Outcome| {
        assert_eq!(out.code, 3, "{}", out.transcript());
        assert!(
            out.stderr
                .contains(&format!("the folder {} does not exist", folder.display())),
            "{}",
            out.stderr
        );
    };
    says(&home.run(
        &["--store", path_str(&store), "-e", "create role zzz;"],
        &[],
    ));
    let out = home.run(
        &["-e", "create role zzz;"],
        &[("MCAUTH_STORE", path_str(&store))],
    );
    says(&out);
    assert!(out.stderr.contains("(from MCAUTH_STORE)"), "{}", out.stderr);
    says(&home.run(&["--store", path_str(&store), "check", "--plan", "-"], &[]));
    says(&home.run(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--store",
            path_str(&store),
        ],
        &[],
    ));
    assert!(!folder.exists(), "the folder was not made");

    // The default store makes its folders.
    let out = home.run(&["-e", "create role in_default;"], &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(home.data_home().join("mcauth/mcauth.db").is_file());
}

#[test]
fn check_plan_plans_where_a_run_would_write() {
    let emulator = start("target-check", &[]);
    let created = run_remote(&emulator, &["-e", "create role only_remote;"]);
    assert_eq!(created.code, 0, "{}", created.transcript());
    let home = Home::new("check");
    let store = home.work("v.db");
    // Granting the role is fine on the emulator, where it exists, and
    // refused on a fresh store, where it does not.
    let script = home.work("grant.sql");
    std::fs::write(&script, "grant Select on table t to role only_remote;\n").expect("script");
    let key = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
        ("MCAUTH_ENDPOINT", emulator.endpoint.as_str()),
    ];
    let remote = home.run(&["check", "--plan", path_str(&script)], &key);
    assert_eq!(remote.code, 0, "{}", remote.transcript());
    let local = home.run(
        &[
            "--store",
            path_str(&store),
            "check",
            "--plan",
            path_str(&script),
        ],
        &key,
    );
    assert_eq!(local.code, 1, "{}", local.transcript());
    assert!(
        local.stderr.contains("role only_remote does not exist"),
        "{}",
        local.stderr
    );

    // --endpoint on the command line beats MCAUTH_STORE, as a run's does.
    let key = &key[..2];
    let store_var = [("MCAUTH_STORE", path_str(&store))];
    let flag = home.run(
        &[
            "check",
            "--plan",
            "--endpoint",
            &emulator.endpoint,
            path_str(&script),
        ],
        &[key, &store_var[..]].concat(),
    );
    assert_eq!(flag.code, 0, "{}", flag.transcript());
    // The config file names the endpoint: by itself (the default file),
    // and named with --config.
    home.write_config(&emulator.endpoint);
    let config = home.run(&["check", "--plan", path_str(&script)], &[]);
    assert_eq!(config.code, 0, "{}", config.transcript());
    let named = home.run(
        &[
            "check",
            "--plan",
            "--config",
            path_str(&home.config_file()),
            path_str(&script),
        ],
        &store_var,
    );
    assert_eq!(named.code, 0, "{}", named.transcript());
    // And --store beats the config file.
    let local = home.run(
        &[
            "--store",
            path_str(&store),
            "check",
            "--plan",
            path_str(&script),
        ],
        &[],
    );
    assert_eq!(local.code, 1, "{}", local.transcript());
}

/// `--as` acts on the embedded store only: against MaxCompute the
/// AccessKey decides who runs, so a command that would go there with
/// `--as` stops instead of running as someone else than it says.
#[test]
fn as_is_refused_where_the_access_key_decides() {
    let emulator = start("target-as", &[]);
    let home = Home::new("as");
    home.write_config(&emulator.endpoint);
    let alice = "RAM$dev@example.com:alice";
    for args in [
        vec!["--as", alice, "-e", "create role by_alice;"],
        vec!["--as", alice, "--dry-run", "-e", "create role by_alice;"],
        vec!["--as", alice, "check", "--plan", "-"],
        vec!["--as", alice, "--endpoint", &emulator.endpoint, "export"],
    ] {
        let out = home.run(&args, &[]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.transcript());
        assert!(
            out.stderr
                .contains("--as acts as someone else on the embedded store only"),
            "{args:?}: {}",
            out.stderr
        );
        // It names where the command was going.
        assert!(
            out.stderr.contains(&emulator.endpoint)
                || out
                    .stderr
                    .contains("(the default config file, which exists)"),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(!remote_roles(&emulator).contains("by_alice"));
    // With --store it acts as alice there.
    let store = home.work("v.db");
    let out = home.run(
        &["--store", path_str(&store), "--as", alice, "-e", "whoami;"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.contains(alice), "{}", out.stdout);
}
