//! `put policy FILE` and `put security policy FILE` name local files: they
//! are linted before anything runs or is sent, and a policy with errors
//! stops the script, as a failed check does.

use mcauth_policy::{Dialect, ParseOptions, lint_source};
use mcauth_syntax::ast::{Statement, StatementKind};

use crate::diagnostics::Printer;
use crate::policy_cmd::render::print_findings;

/// Lints the policy file of every `put … policy` statement; returns how
/// many files are unreadable or have error findings (each is reported).
pub fn lint_policy_files(statements: &[Statement], printer: &Printer) -> usize {
    let mut refused = 0;
    for statement in statements {
        let (file, dialect) = match &statement.kind {
            StatementKind::PutPolicy {
                file,
                role: Some(_),
            } => (file, Dialect::Role),
            StatementKind::PutPolicy { file, role: None }
            | StatementKind::PutSecurityPolicy { file } => (file, Dialect::Project),
            _ => continue,
        };
        let bytes = match std::fs::read(&file.value) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!(
                    "mcauth: cannot read the policy file {} named by `{statement}`: {e}",
                    file.value
                );
                refused += 1;
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
            refused += 1;
        }
    }
    refused
}
