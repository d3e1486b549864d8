//! `mcauth test FILE`: expectations about who can do what, checked by the
//! engine's access decision, for CI.
//!
//! One expectation a line; blank lines and lines starting with `#` or
//! `--` are skipped; a trailing `;` is allowed:
//!
//! ```text
//! SUBJECT can|cannot PRIVILEGE[, PRIVILEGE] on TYPE OBJECT [(columns)] [owned by P] [to project P]
//! alice cannot Select on table sales(ssn)
//! role analyst can Describe on table sales_*
//! RAM$acct:bob can Select, Describe on table sales
//! bob can Update on table orders owned by bob
//! alice cannot Select on table sales to project partner
//! ```
//!
//! SUBJECT is as `mcauth why` reads it; `owned by` and `to project` are
//! `why`'s `--owner` and `--to-project` (see `super::clauses`), and an
//! object of another project (`shop.orders`) is decided by its packages
//! installed here, as `why` decides it. `can` holds when every privilege
//! is allowed on every column named; `cannot` when each is denied. An
//! answer that is not verified (a layer not read could change it) fails.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use mcauth_engine::explain::Question;
use mcauth_engine::{ProjectState, StateView};

use super::clauses::split_clauses;
use super::project::Project;
use super::question::{self, QuestionError};
use super::shared::Whose;
use crate::cli::Cli;
use crate::exit;

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The file of expectations.
    pub file: PathBuf,
}

/// One expectation, read.
struct Expectation {
    line: usize,
    text: String,
    can: bool,
    questions: Vec<Question>,
    /// `owned by`: the objects' owner, when named.
    owner: Option<mcauth_engine::PrincipalId>,
}

/// A line that does not read: where, and the problem.
struct LineError {
    line: usize,
    col: usize,
    code: &'static str,
    message: String,
    help: String,
}

fn read_line(n: usize, raw: &str, state: &ProjectState) -> Result<Option<Expectation>, LineError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("--") {
        return Ok(None);
    }
    let whole = raw.trim_end().trim_end_matches(';');
    let (text, clauses) = split_clauses(whole).map_err(|e| LineError {
        line: n,
        col: whole.get(..e.at).map_or(1, |t| t.chars().count() + 1),
        code: crate::codes::CliCode::BadClause.as_str(),
        message: e.message,
        help: crate::codes::CliCode::BadClause
            .help()
            .unwrap_or_default()
            .to_owned(),
    })?;
    let owner = match clauses.owner {
        Some(o) => Some(question::principal(o, 0, state).map_err(|e| {
            LineError {
                line: n,
                col: whole
                    .find(o)
                    .map_or(1, |at| whole[..at].chars().count() + 1),
                code: e.code(),
                message: format!("owned by {o}: {e}"),
                help: e.help(),
            }
        })?),
        None => None,
    };
    let col = |at: usize| text.get(..at).map_or(1, |t| t.chars().count() + 1);
    let from = |e: QuestionError| LineError {
        line: n,
        col: col(e.at()),
        code: e.code(),
        message: e.to_string(),
        help: e.help(),
    };
    let (subject, at) = question::subject(text, state).map_err(from)?;
    let rest = text.get(at..).unwrap_or_default();
    let word_at = at + (rest.len() - rest.trim_start().len());
    let word = rest.split_whitespace().next().unwrap_or_default();
    let can = match word.to_ascii_lowercase().as_str() {
        "can" => true,
        "cannot" | "can't" => false,
        _ => {
            return Err(LineError {
                line: n,
                col: col(word_at),
                code: crate::codes::CliCode::ExpectedCan.as_str(),
                message: if word.is_empty() {
                    "the expectation ends after its subject".to_owned()
                } else {
                    format!("expected `can` or `cannot`, found `{word}`")
                },
                help: format!(
                    "write SUBJECT can|cannot PRIVILEGE on TYPE OBJECT, e.g. `{} cannot Select on table sales(ssn)`",
                    text.get(..at).unwrap_or_default().trim()
                ),
            });
        }
    };
    let (privileges, objects) =
        question::action(text, word_at + word.len(), state.project()).map_err(from)?;
    let mut questions = Vec::new();
    for privilege in &privileges {
        for object in &objects {
            questions.push(
                Question::new(subject.clone(), *privilege, object.clone())
                    .leaving_to(clauses.to.clone()),
            );
        }
    }
    Ok(Some(Expectation {
        line: n,
        text: whole.trim().to_owned(),
        can,
        questions,
        owner,
    }))
}

pub fn run(args: &TestArgs, cli: &Cli) -> ExitCode {
    let name = args.file.display().to_string();
    let source = match crate::source::read_file(&args.file) {
        Ok(s) => s,
        Err(message) => return exit::usage(&message),
    };
    let Ok(text) = String::from_utf8(source.bytes) else {
        return exit::usage(&format!("{name}: is not UTF-8"));
    };
    let mut project = match Project::open(cli) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let now = project.now();
    let state = match project.base() {
        Ok(state) => state,
        Err(code) => return code,
    };
    let mut whose = match Whose::new(state, None) {
        Ok(whose) => whose,
        Err(code) => return code,
    };
    let mut expectations = Vec::new();
    let mut errors = 0;
    let shown_limit = match cli.max_diagnostics {
        Some(0) => None,
        Some(n) => Some(n),
        None => Some(crate::diagnostics::DEFAULT_MAX_DIAGNOSTICS),
    };
    for (i, raw) in text.lines().enumerate() {
        match read_line(i + 1, raw, state) {
            Ok(Some(e)) => expectations.push(e),
            Ok(None) => {}
            Err(e) => {
                errors += 1;
                // At most --max-diagnostics printed, as `check` prints
                // them; the rest are counted.
                if shown_limit.is_none_or(|max| errors <= max) {
                    eprintln!(
                        "{name}:{}:{}: error[{}]: {}",
                        e.line, e.col, e.code, e.message
                    );
                    eprintln!("  help: {}", e.help);
                }
            }
        }
    }
    if let Some(hidden) = shown_limit
        .and_then(|max| errors.checked_sub(max))
        .filter(|h| *h > 0)
    {
        eprintln!(
            "mcauth: {hidden} more diagnostic{} not shown (--max-diagnostics 0 shows all)",
            if hidden == 1 { "" } else { "s" }
        );
    }
    if errors > 0 {
        eprintln!("{errors} expectation(s) do not read; nothing was checked");
        return ExitCode::from(exit::USAGE);
    }
    // Whose each object is, as `why` asks: the owner named, or read; for
    // another project's object, what was read of that project.
    for e in &mut expectations {
        let owner = e.owner.take();
        let mut asked = Vec::with_capacity(e.questions.len());
        for q in std::mem::take(&mut e.questions) {
            let (found, from) = match whose.of_given(&mut project, owner.as_ref(), &q.object) {
                Ok(found) => found,
                Err(code) => return code,
            };
            asked.push(q.owned_by(found).shared_by(from));
        }
        e.questions = asked;
    }
    let state = match project.with_all_grants() {
        Ok(state) => state,
        Err(code) => return code,
    };
    let mut failed = 0;
    for e in &expectations {
        let mut why = Vec::new();
        for q in &e.questions {
            let trace = mcauth_engine::explain::explain(state, q, now);
            if trace.allowed() != e.can || !trace.verified {
                why.push(format!(
                    "{}{} for {} on {}: {}",
                    trace.verdict.as_str(),
                    if trace.verified {
                        ""
                    } else {
                        " (not verified)"
                    },
                    q.privilege,
                    q.object.to_statement_text(),
                    trace.reason
                ));
            }
        }
        if why.is_empty() {
            println!("pass  {name}:{}  {}", e.line, e.text);
        } else {
            failed += 1;
            println!("FAIL  {name}:{}  {}", e.line, e.text);
            for w in why {
                println!("      {w}");
            }
        }
    }
    println!(
        "{} expectation(s): {} passed, {failed} failed",
        expectations.len(),
        expectations.len() - failed
    );
    if failed > 0 {
        ExitCode::from(exit::FAILED)
    } else {
        ExitCode::SUCCESS
    }
}
