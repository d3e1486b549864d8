use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::sign::SigningMode;

const SECRET: &str = "FileS3cretValue";

fn temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "mcauth-odps-config-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("odps_config.ini");
    std::fs::write(&path, text).expect("write config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let _ = mode;
    path
}

fn full_file() -> String {
    format!(
        "project_name=file_proj\naccess_id=file_id\naccess_key={SECRET}\nend_point=http://file.example/api/\n"
    )
}

fn flags_with(path: PathBuf) -> ConfigFlags {
    ConfigFlags {
        config_file: Some(path),
        ..ConfigFlags::default()
    }
}

#[test]
fn file_alone_is_enough() {
    let path = write(&temp_dir(), &full_file(), 0o600);
    let r = resolve(&flags_with(path.clone()), &HashMap::new()).expect("resolves");
    assert_eq!(r.config.endpoint, "http://file.example/api");
    assert_eq!(r.config.project, "file_proj");
    assert_eq!(r.config.credentials.access_id, "file_id");
    assert_eq!(r.config.credentials.secret.expose(), SECRET);
    assert_eq!(r.config.signing, SigningMode::V2);
    assert_eq!(r.config_file, Some(path));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn flags_beat_env_beat_file() {
    let path = write(&temp_dir(), &full_file(), 0o600);
    let env = [
        (ENV_ENDPOINT, "http://env.example/api"),
        (ENV_PROJECT, "env_proj"),
        (ENV_ACCESS_KEY_ID, "env_id"),
        (ENV_ACCESS_KEY_SECRET, "EnvS3cret"),
        (ENV_SECURITY_TOKEN, "EnvToken"),
    ];
    let r = resolve(&flags_with(path.clone()), &env).expect("resolves");
    assert_eq!(r.config.endpoint, "http://env.example/api");
    assert_eq!(r.config.project, "env_proj");
    assert_eq!(r.config.credentials.access_id, "env_id");
    assert_eq!(r.config.credentials.secret.expose(), "EnvS3cret");
    assert_eq!(
        r.config.credentials.sts_token.as_ref().map(|t| t.expose()),
        Some("EnvToken")
    );

    let flags = ConfigFlags {
        endpoint: Some("https://flag.example/api".into()),
        project: Some("flag_proj".into()),
        access_id: Some("flag_id".into()),
        config_file: Some(path),
    };
    let r = resolve(&flags, &env).expect("resolves");
    assert_eq!(r.config.endpoint, "https://flag.example/api");
    assert_eq!(r.config.project, "flag_proj");
    assert_eq!(r.config.credentials.access_id, "flag_id");
}

#[test]
fn secret_from_file_with_another_id_warns() {
    let path = write(&temp_dir(), &full_file(), 0o600);
    let flags = ConfigFlags {
        access_id: Some("other_id".into()),
        ..flags_with(path)
    };
    let r = resolve(&flags, &HashMap::new()).expect("resolves");
    assert!(matches!(
        r.warnings.as_slice(),
        [ConfigWarning::MixedCredentials { .. }]
    ));
}

#[test]
fn readable_file_warns() {
    let path = write(&temp_dir(), &full_file(), 0o644);
    let r = resolve(&flags_with(path), &HashMap::new()).expect("resolves");
    if cfg!(unix) {
        assert!(
            matches!(
                r.warnings.as_slice(),
                [ConfigWarning::FileReadableByOthers { mode: 0o644, .. }]
            ),
            "{:?}",
            r.warnings
        );
        let shown = r.warnings[0].to_string();
        assert!(shown.contains("chmod 600"), "{shown}");
    }
}

#[test]
fn default_path_prefers_xdg_then_home() {
    let env = [("XDG_CONFIG_HOME", "/x/cfg"), ("HOME", "/home/u")];
    assert_eq!(
        default_config_path(&env),
        Some(PathBuf::from("/x/cfg/mcauth/odps_config.ini"))
    );
    let env = [("XDG_CONFIG_HOME", ""), ("HOME", "/home/u")];
    assert_eq!(
        default_config_path(&env),
        Some(PathBuf::from("/home/u/.config/mcauth/odps_config.ini"))
    );
    let env: [(&str, &str); 0] = [];
    assert_eq!(default_config_path(&env), None);
}

#[test]
fn default_file_is_read_when_present_and_optional_otherwise() {
    let dir = temp_dir();
    std::fs::create_dir_all(dir.join("mcauth")).expect("mkdir");
    let xdg = dir.to_string_lossy().into_owned();
    let env = [("XDG_CONFIG_HOME", xdg.as_str())];
    let e = resolve(&ConfigFlags::default(), &env).err();
    assert!(matches!(
        e,
        Some(ConfigError::Missing {
            what: "endpoint",
            ..
        })
    ));

    std::fs::write(dir.join("mcauth/odps_config.ini"), full_file()).expect("write");
    let r = resolve(&ConfigFlags::default(), &env).expect("resolves");
    assert_eq!(r.config.project, "file_proj");
}

#[test]
fn explicit_missing_file_is_an_error() {
    let flags = flags_with(temp_dir().join("nope.ini"));
    let e = resolve(&flags, &HashMap::new()).err();
    assert!(matches!(e, Some(ConfigError::NotFound { .. })), "{e:?}");
}

#[test]
fn bad_values_name_file_and_line() {
    let dir = temp_dir();
    let path = write(
        &dir,
        "project_name=p\naccess_id=i\naccess_key=k\nend_point=ftp://x/api\n",
        0o600,
    );
    let e = resolve(&flags_with(path.clone()), &HashMap::new()).err();
    let shown = e.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(shown.contains(&format!("{}:4", path.display())), "{shown}");
    assert_eq!(
        e.map(|e| e.code()),
        Some("mcauth::odps::config::invalid_value")
    );

    let path = write(
        &dir,
        &format!("{}network_read_timeout=soon\n", full_file()),
        0o600,
    );
    let shown = resolve(&flags_with(path.clone()), &HashMap::new())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(shown.contains(&format!("{}:5", path.display())), "{shown}");
}

#[test]
fn missing_secret_points_at_env_and_file_not_flags() {
    let env = [
        (ENV_ENDPOINT, "http://h/api"),
        (ENV_PROJECT, "p"),
        (ENV_ACCESS_KEY_ID, "id"),
    ];
    let flags = ConfigFlags::default();
    let e = resolve(&flags, &env).err();
    let Some(ConfigError::Missing { what, hint }) = e else {
        panic!("expected Missing, got {e:?}");
    };
    assert_eq!(what, "AccessKey secret");
    assert!(
        hint.contains(ENV_ACCESS_KEY_SECRET) && hint.contains("never"),
        "{hint}"
    );
}

#[test]
fn region_and_corporation_select_v4_and_odpscmd_extras_apply() {
    let text = format!(
        "{}region_id=cn-local\nsignature_v4_corporation=apsara\nnetwork_connect_timeout=3\nnetwork_read_timeout=7\nproxy_host=proxy.local\nproxy_port=3128\n",
        full_file()
    );
    let path = write(&temp_dir(), &text, 0o600);
    let r = resolve(&flags_with(path), &HashMap::new()).expect("resolves");
    assert_eq!(
        r.config.signing,
        SigningMode::V4 {
            region: "cn-local".into(),
            corporation: "apsara".into()
        }
    );
    assert_eq!(r.config.timeouts.connect.as_secs(), 3);
    assert_eq!(r.config.timeouts.request.as_secs(), 7);
    assert_eq!(r.config.proxy.as_deref(), Some("http://proxy.local:3128"));
}

#[test]
fn sts_provider_needs_a_token_and_unknown_providers_fail() {
    let dir = temp_dir();
    let path = write(
        &dir,
        &format!("{}account_provider=sts\n", full_file()),
        0o600,
    );
    assert!(resolve(&flags_with(path.clone()), &HashMap::new()).is_err());
    let env = [(ENV_SECURITY_TOKEN, "tok")];
    assert!(resolve(&flags_with(path), &env).is_ok());
    let path = write(
        &dir,
        &format!("{}account_provider=ecs_ram_role\n", full_file()),
        0o600,
    );
    assert!(resolve(&flags_with(path), &HashMap::new()).is_err());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let path = write(&temp_dir(), &full_file(), 0o644);
    let env = [(ENV_SECURITY_TOKEN, "TokS3cret")];
    let r = resolve(&flags_with(path), &env).expect("resolves");
    let shown = format!("{r:?} {:#?}", r.config);
    assert!(
        !shown.contains(SECRET) && !shown.contains("TokS3cret"),
        "{shown}"
    );
}

#[test]
fn an_endpoint_is_shown_without_its_user_password_or_query() {
    assert_eq!(
        redact_endpoint("http://u:secretpw@127.0.0.1:18931/api?access_key=zzz"),
        "http://…@127.0.0.1:18931/api?…"
    );
    assert_eq!(
        redact_endpoint("https://service.cn.maxcompute.aliyun.com/api"),
        "https://service.cn.maxcompute.aliyun.com/api"
    );
    assert_eq!(redact_endpoint("not a url?k=v"), "not a url?…");
    let origin = Origin::Flag("--endpoint");
    for bad in [
        "http://u:secretpw@127.0.0.1/api",
        "http://127.0.0.1/api?access_key=secretpw",
    ] {
        let e = normalize_endpoint(bad, &origin).expect_err("refused");
        assert!(!e.to_string().contains("secretpw"), "{e}");
    }
}
