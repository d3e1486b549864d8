//! Resolution of each setting from flags, environment and the config file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::env::{
    ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_ENDPOINT, ENV_PROJECT, ENV_SECURITY_TOKEN, Env,
};
use super::error::{ConfigError, ConfigWarning, Origin};
use super::ini::{self, IniFile};
use super::{CONFIG_FILE_NAME, ClientConfig, ConfigFlags, Resolved};
use crate::secret::Secret;
use crate::sign::{Credentials, DEFAULT_CORPORATION, SigningMode};

/// `$XDG_CONFIG_HOME/mcauth/odps_config.ini`, else `$HOME/.config/mcauth/odps_config.ini`.
pub fn default_config_path(env: &dyn Env) -> Option<PathBuf> {
    let base = env
        .var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env.var("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("mcauth").join(CONFIG_FILE_NAME))
}

/// Resolves the configuration. Reads the `--config` file (which must exist)
/// or the default file (if it exists).
pub fn resolve(flags: &ConfigFlags, env: &dyn Env) -> Result<Resolved, ConfigError> {
    let mut warnings = Vec::new();
    let file = load_file(flags, env, &mut warnings)?;
    let file = file.as_ref();

    let endpoint = required(&ENDPOINT, flags.endpoint.as_deref(), env, file)?;
    let endpoint_value = normalize_endpoint(&endpoint.0, &endpoint.1)?;
    let (project, _) = required(&PROJECT, flags.project.as_deref(), env, file)?;
    let (access_id, id_origin) = required(&ACCESS_ID, flags.access_id.as_deref(), env, file)?;
    let (secret, secret_origin) = pick(None, "", env, ENV_ACCESS_KEY_SECRET, file, "access_key")
        .ok_or_else(|| ConfigError::Missing {
            what: "AccessKey secret",
            hint: format!(
                "set {ENV_ACCESS_KEY_SECRET} or access_key in {} (it is never accepted as a flag)",
                file_hint(file)
            ),
        })?;

    if let (Origin::File { .. }, false) = (&secret_origin, matches!(id_origin, Origin::File { .. }))
    {
        let file_id = file
            .and_then(|f| f.get("access_id"))
            .map(|v| v.value.as_str());
        if file_id.is_some_and(|fid| fid != access_id) {
            warnings.push(ConfigWarning::MixedCredentials {
                id_origin: id_origin.clone(),
                secret_origin: secret_origin.clone(),
            });
        }
    }

    let token = env.var(ENV_SECURITY_TOKEN).map(Secret::from);
    let mut credentials = Credentials::new(access_id, secret);
    check_account_provider(file, token.is_some())?;
    credentials.sts_token = token;

    let mut config = ClientConfig::new(endpoint_value, project, credentials);
    config.signing = signing_mode(file, &mut warnings);
    if let Some(d) = seconds(file, "network_connect_timeout")? {
        config.timeouts.connect = d;
    }
    if let Some(d) = seconds(file, "network_read_timeout")? {
        config.timeouts.request = d;
    }
    config.proxy = proxy(file)?;
    if let Some(v) = file.and_then(|f| f.get("app_access_id")) {
        warnings.push(ConfigWarning::Ignored {
            origin: file_origin(file, v.line),
            key: "app_access_id".into(),
            reason: "application (dual) authentication is not supported",
        });
    }
    Ok(Resolved {
        config,
        warnings,
        config_file: file.map(|f| f.path.clone()),
    })
}

fn load_file(
    flags: &ConfigFlags,
    env: &dyn Env,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Option<IniFile>, ConfigError> {
    let path = match &flags.config_file {
        Some(p) if !p.exists() => return Err(ConfigError::NotFound { path: p.clone() }),
        Some(p) => p.clone(),
        None => match default_config_path(env) {
            Some(p) if p.exists() => p,
            _ => return Ok(None),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
        path: path.clone(),
        source,
    })?;
    if let Some(w) = permission_warning(&path) {
        warnings.push(w);
    }
    let (file, mut file_warnings) = ini::parse(&path, &text)?;
    warnings.append(&mut file_warnings);
    Ok(Some(file))
}

#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<ConfigWarning> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then(|| ConfigWarning::FileReadableByOthers {
        path: path.to_path_buf(),
        mode,
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<ConfigWarning> {
    None
}

/// The first of flag, environment variable, file key that is set.
fn pick(
    flag: Option<&str>,
    flag_name: &'static str,
    env: &dyn Env,
    env_name: &'static str,
    file: Option<&IniFile>,
    key: &str,
) -> Option<(String, Origin)> {
    if let Some(v) = flag.map(str::trim).filter(|v| !v.is_empty()) {
        return Some((v.to_owned(), Origin::Flag(flag_name)));
    }
    if let Some(v) = env.var(env_name) {
        return Some((v.trim().to_owned(), Origin::Env(env_name)));
    }
    let f = file?;
    let v = f.get(key)?;
    Some((v.value.clone(), file_origin(Some(f), v.line)))
}

fn file_origin(file: Option<&IniFile>, line: usize) -> Origin {
    Origin::File {
        path: file.map(|f| f.path.clone()).unwrap_or_default(),
        line,
    }
}

fn file_hint(file: Option<&IniFile>) -> String {
    match file {
        Some(f) => f.path.display().to_string(),
        None => "the config file".to_owned(),
    }
}

/// A setting the client cannot do without, and where it may be given:
/// a flag, an environment variable, a key of the config file.
struct Required {
    what: &'static str,
    flag: &'static str,
    env: &'static str,
    key: &'static str,
}

const ENDPOINT: Required = Required {
    what: "endpoint",
    flag: "--endpoint",
    env: ENV_ENDPOINT,
    key: "end_point",
};

const PROJECT: Required = Required {
    what: "project",
    flag: "--project",
    env: ENV_PROJECT,
    key: "project_name",
};

const ACCESS_ID: Required = Required {
    what: "AccessKey ID",
    flag: "--access-id",
    env: ENV_ACCESS_KEY_ID,
    key: "access_id",
};

/// A required setting from the flag's value, the environment or the
/// file, first to last; missing everywhere, an error that names all three.
fn required(
    setting: &Required,
    flag: Option<&str>,
    env: &dyn Env,
    file: Option<&IniFile>,
) -> Result<(String, Origin), ConfigError> {
    pick(flag, setting.flag, env, setting.env, file, setting.key).ok_or_else(|| {
        ConfigError::Missing {
            what: setting.what,
            hint: format!(
                "pass {}, set {}, or set {} in {}",
                setting.flag,
                setting.env,
                setting.key,
                file_hint(file)
            ),
        }
    })
}

/// An endpoint as messages may show it: without the user and password of
/// a URL that carries them, and without its query (either may hold a
/// secret), whether or not the rest reads as a URL.
pub fn redact_endpoint(text: &str) -> String {
    let text = text.trim();
    let (head, query) = match text.split_once(['?', '#']) {
        Some((head, _)) => (head, "?…"),
        None => (text, ""),
    };
    let redacted = match head.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://…@{host}{}", &rest[authority_end..]),
                None => head.to_owned(),
            }
        }
        None => head.to_owned(),
    };
    format!("{redacted}{query}")
}

fn normalize_endpoint(value: &str, origin: &Origin) -> Result<String, ConfigError> {
    let invalid = |message: String| ConfigError::InvalidValue {
        origin: origin.clone(),
        key: "endpoint",
        message,
    };
    let trimmed = value.trim().trim_end_matches('/');
    let shown = redact_endpoint(trimmed);
    let url = reqwest::Url::parse(trimmed).map_err(|e| invalid(format!("{e}: {shown:?}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "expected an http or https URL, got {shown:?}"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("no host in {shown:?}")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(format!(
            "an endpoint carries no user or password (requests are signed with the AccessKey): {shown:?}"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "an endpoint has no query or fragment: {shown:?}"
        )));
    }
    Ok(trimmed.to_owned())
}

fn check_account_provider(file: Option<&IniFile>, have_token: bool) -> Result<(), ConfigError> {
    let Some(v) = file.and_then(|f| f.get("account_provider")) else {
        return Ok(());
    };
    let origin = file_origin(file, v.line);
    match v.value.to_ascii_lowercase().as_str() {
        "aliyun" => Ok(()),
        "sts" if have_token => Ok(()),
        "sts" => Err(ConfigError::InvalidValue {
            origin,
            key: "account_provider",
            message: format!("`sts` needs the token in {ENV_SECURITY_TOKEN}"),
        }),
        other => Err(ConfigError::InvalidValue {
            origin,
            key: "account_provider",
            message: format!("{other:?} is not supported; use `aliyun` or `sts`"),
        }),
    }
}

fn signing_mode(file: Option<&IniFile>, warnings: &mut Vec<ConfigWarning>) -> SigningMode {
    let corporation = file.and_then(|f| f.get("signature_v4_corporation"));
    match file.and_then(|f| f.get("region_id")) {
        Some(region) => SigningMode::V4 {
            region: region.value.clone(),
            corporation: corporation
                .map_or(DEFAULT_CORPORATION, |c| c.value.as_str())
                .to_owned(),
        },
        None => {
            if let Some(c) = corporation {
                warnings.push(ConfigWarning::Ignored {
                    origin: file_origin(file, c.line),
                    key: "signature_v4_corporation".into(),
                    reason: "V4 signing needs region_id",
                });
            }
            SigningMode::V2
        }
    }
}

fn seconds(file: Option<&IniFile>, key: &'static str) -> Result<Option<Duration>, ConfigError> {
    let Some(v) = file.and_then(|f| f.get(key)) else {
        return Ok(None);
    };
    match v.value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Some(Duration::from_secs(n))),
        _ => Err(ConfigError::InvalidValue {
            origin: file_origin(file, v.line),
            key,
            message: format!("expected a positive number of seconds, got {:?}", v.value),
        }),
    }
}

fn proxy(file: Option<&IniFile>) -> Result<Option<String>, ConfigError> {
    let Some(host) = file.and_then(|f| f.get("proxy_host")) else {
        return Ok(None);
    };
    let port = match file.and_then(|f| f.get("proxy_port")) {
        None => 80,
        Some(p) => p
            .value
            .parse::<u16>()
            .map_err(|_| ConfigError::InvalidValue {
                origin: file_origin(file, p.line),
                key: "proxy_port",
                message: format!("expected a port number, got {:?}", p.value),
            })?,
    };
    Ok(Some(format!("http://{}:{port}", host.value)))
}

#[cfg(test)]
mod tests;
