//! `put policy FILE`, `put security policy FILE` and `set
//! ProjectProtection=true with exception FILE` name local files: they
//! are read and linted before anything runs or is sent, and a policy with
//! errors stops the script, as a failed check does. The texts that pass
//! go to the engine in [`Context::documents`](mcauth_engine::Context),
//! keyed by the path as the statement wrote it.

use mcauth_policy::{Dialect, ParseOptions, lint_source};
use mcauth_syntax::ast::{FilePath, Statement, StatementKind};

use crate::diagnostics::Printer;
use crate::policy_cmd::render::print_findings;

/// The policy files a script names.
#[derive(Debug, Default)]
pub struct PolicyFiles {
    /// Path as written → the file's text, for each file that passed.
    pub documents: super::Documents,
    /// How many files are unreadable or have error findings (each is
    /// reported).
    pub refused: usize,
}

/// The policy file a statement names, and the dialect it is read in:
/// `put policy FILE [on role r]`, `put security policy FILE`, `set
/// ProjectProtection=true with exception FILE`.
pub fn named_file(statement: &Statement) -> Option<(&FilePath, Dialect)> {
    match &statement.kind {
        StatementKind::PutPolicy {
            file,
            role: Some(_),
        } => Some((file, Dialect::Role)),
        // The exception policy names principals, as the project's does.
        StatementKind::PutPolicy { file, role: None }
        | StatementKind::PutSecurityPolicy { file }
        | StatementKind::Set {
            exception: Some(file),
            ..
        } => Some((file, Dialect::Project)),
        _ => None,
    }
}

/// Reads and lints the policy file of every `put … policy` statement.
/// A path `preset` holds is taken from it instead of the disk (a plan's
/// documents are in memory).
pub fn read_policy_files(
    statements: &[Statement],
    preset: &super::Documents,
    printer: &Printer,
) -> PolicyFiles {
    let mut files = PolicyFiles::default();
    for statement in statements {
        let Some((file, dialect)) = named_file(statement) else {
            continue;
        };
        if files.documents.contains_key(&file.value) {
            continue;
        }
        let read = match preset.get(&file.value) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => std::fs::read(&file.value),
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!(
                    "mcauth: cannot read the policy file {} named by `{statement}`: {e}",
                    file.value
                );
                files.refused += 1;
                continue;
            }
        };
        // MaxCompute's project and role policies use the project's own
        // actions and resources; only project policies name a Principal.
        let (_, findings) = lint_source(&bytes, &ParseOptions::dialect(dialect));
        print_findings(printer, &file.value, &bytes, &findings);
        let errors = findings.iter().filter(|f| f.is_error()).count();
        if errors > 0 {
            eprintln!(
                "mcauth: the policy in {} has {errors} error(s); `{statement}` is refused",
                file.value
            );
            files.refused += 1;
            continue;
        }
        // A file with no error findings parsed as JSON, so it is UTF-8.
        match String::from_utf8(bytes) {
            Ok(text) => {
                files.documents.insert(file.value.clone(), text);
            }
            Err(_) => {
                eprintln!(
                    "mcauth: the policy file {} is not UTF-8; `{statement}` is refused",
                    file.value
                );
                files.refused += 1;
            }
        }
    }
    files
}
