//! Reading scripts from files and standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A script's text, shared by whoever runs it and the printer that points
/// into it, so that a long script is held once.
pub type ScriptText = std::rc::Rc<String>;

/// A script's name (for messages) and bytes.
pub struct Source {
    pub name: String,
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
}

impl Source {
    /// The script as text, or `None` after reporting where it stops being
    /// UTF-8 (pointing into the valid text before the bad byte).
    pub fn text(&self, printer: &crate::diagnostics::Printer) -> Option<&str> {
        match mcauth_syntax::decode(&self.bytes) {
            Ok(text) => Some(text),
            Err(error) => {
                let valid =
                    std::str::from_utf8(self.bytes.get(..error.span.start).unwrap_or_default())
                        .ok();
                let report = crate::diagnostics::Report::error(&error, Some(error.span));
                printer.print(&self.name, valid, &report);
                None
            }
        }
    }

    /// [`Source::text`], taking the bytes over without copying them.
    pub fn into_text(self, printer: &crate::diagnostics::Printer) -> Option<(String, ScriptText)> {
        match String::from_utf8(self.bytes) {
            Ok(text) => Some((self.name, ScriptText::new(text))),
            Err(e) => {
                // Reported by `text`, which points at the bad byte.
                let bad = Source {
                    bytes: e.into_bytes(),
                    ..self
                };
                let reported = bad.text(printer);
                debug_assert!(reported.is_none(), "invalid UTF-8 passed the check");
                None
            }
        }
    }
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
