//! Reading scripts from files and standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A script's name (for messages) and bytes.
pub struct Source {
    pub name: String,
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
}

/// Reads every named file, or standard input for `-` or when none is named.
pub fn read_all(files: &[PathBuf]) -> Result<Vec<Source>, String> {
    if files.is_empty() {
        return Ok(vec![read_stdin()?]);
    }
    files
        .iter()
        .map(|f| {
            if f == Path::new("-") {
                read_stdin()
            } else {
                read_file(f)
            }
        })
        .collect()
}

pub fn read_file(path: &Path) -> Result<Source, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Source {
        name: path.display().to_string(),
        path: Some(path.to_owned()),
        bytes,
    })
}

pub fn read_stdin() -> Result<Source, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(Source {
        name: "<stdin>".to_owned(),
        path: None,
        bytes,
    })
}
