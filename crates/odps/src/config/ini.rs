//! odpscmd's `odps_config.ini`: Java-properties-style `key=value` lines
//! (`key: value` also works), `#`/`!`/`;` comments, blank lines; `[section]`
//! headers are ignored. Keys and values are trimmed, as odpscmd does. Every
//! value remembers its line so errors can point at it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::{ConfigError, ConfigWarning};

/// One `key=value` and where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IniValue {
    /// The trimmed value.
    pub value: String,
    /// 1-based line number.
    pub line: usize,
}

/// A parsed file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IniFile {
    /// The file it came from.
    pub path: PathBuf,
    /// Keys (as written) to their last value.
    pub entries: BTreeMap<String, IniValue>,
}

impl IniFile {
    /// The non-empty value of `key` (odpscmd's template leaves keys blank).
    pub fn get(&self, key: &str) -> Option<&IniValue> {
        self.entries.get(key).filter(|v| !v.value.is_empty())
    }
}

/// Parses `text`, read from `path`. Duplicate keys keep the last value (as
/// Java's `Properties` does) and produce a warning.
pub fn parse(path: &Path, text: &str) -> Result<(IniFile, Vec<ConfigWarning>), ConfigError> {
    let mut file = IniFile {
        path: path.to_path_buf(),
        entries: BTreeMap::new(),
    };
    let mut warnings = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty()
            || trimmed.starts_with(['#', '!', ';'])
            || (trimmed.starts_with('[') && trimmed.ends_with(']'))
        {
            continue;
        }
        let Some(sep) = trimmed.find(['=', ':']) else {
            return Err(ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                message: "expected `key=value`".into(),
            });
        };
        let key = trimmed[..sep].trim();
        let value = trimmed[sep + 1..].trim();
        if key.is_empty() {
            return Err(ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                message: "missing key before `=`".into(),
            });
        }
        let new = IniValue {
            value: value.to_owned(),
            line,
        };
        if let Some(old) = file.entries.insert(key.to_owned(), new) {
            warnings.push(ConfigWarning::DuplicateKey {
                path: path.to_path_buf(),
                key: key.to_owned(),
                first_line: old.line,
                line,
            });
        }
    }
    Ok((file, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_odpscmd_template_and_values() {
        let text = "project_name=p\naccess_id = id \n# comment\n! other\n\nend_point=http://h/api\naccess_key=\n[odps]\nset.odps.sql.x=1\nregion_id: cn-local\n";
        let (f, w) = parse(Path::new("c.ini"), text).expect("parses");
        assert!(w.is_empty());
        assert_eq!(f.get("project_name").map(|v| v.value.as_str()), Some("p"));
        assert_eq!(f.get("access_id").map(|v| v.line), Some(2));
        assert_eq!(f.get("access_id").map(|v| v.value.as_str()), Some("id"));
        assert_eq!(
            f.get("end_point").map(|v| v.value.as_str()),
            Some("http://h/api")
        );
        assert_eq!(f.get("access_key"), None);
        assert_eq!(
            f.get("region_id").map(|v| v.value.as_str()),
            Some("cn-local")
        );
        assert_eq!(f.get("set.odps.sql.x").map(|v| v.value.as_str()), Some("1"));
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let e = parse(Path::new("/x/odps_config.ini"), "a=1\nnonsense\n").err();
        let shown = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("/x/odps_config.ini:2"), "{shown}");
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let (f, w) = parse(Path::new("c.ini"), "a=1\na=2\n").expect("parses");
        assert_eq!(f.get("a").map(|v| v.value.as_str()), Some("2"));
        assert_eq!(w.len(), 1);
    }
}
