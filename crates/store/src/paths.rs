//! Where the store lives by default.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/mcauth/mcauth.db`, or `~/.local/share/mcauth/mcauth.db`.
/// `MCAUTH_STORE` and `--store` override it (in the CLI).
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("mcauth").join("mcauth.db")
}
