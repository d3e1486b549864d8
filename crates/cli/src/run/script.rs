//! Running a whole script: parse it all, plan it all, then execute.

use mcauth_engine::{Caller, Context, check_in};
use mcauth_store::{Project, Store};

use mcauth_syntax::ast::Statement;

use crate::cli::OnError;
use crate::run::printer::OutputPrinter;

/// How often a long script commits: each batch's results are printed
/// right after its commit.
const BATCH: usize = 1000;

/// What happened to a script.
#[derive(Debug, Default)]
pub struct Tally {
    pub ran: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Executes statements in order, committing in batches and printing each
/// batch's results after it is durable. With `OnError::Stop` the first
/// failure ends the run.
pub fn execute(
    store: &mut Store,
    project: &mut Project,
    who: (&Caller, &Context),
    script: (&str, &[Statement]),
    on_error: OnError,
    printer: &mut OutputPrinter,
) -> Result<Tally, mcauth_store::StoreError> {
    let (caller, ctx) = who;
    let (source, statements) = script;
    let mut tally = Tally::default();
    let mut index = 0;
    while index < statements.len() {
        let mut batch = store.begin(project)?;
        let mut pending = Vec::new();
        let mut stop = false;
        for (offset, statement) in statements[index..].iter().take(BATCH).enumerate() {
            let result = check_in(batch.state(), caller, ctx, statement);
            match result {
                Ok(effect) => {
                    let text = source.get(statement.span.range()).unwrap_or_default();
                    batch.record(text, effect.changes.clone())?;
                    tally.ran += 1;
                    pending.push((index + offset, Ok(effect)));
                }
                Err(failure) => {
                    tally.failed += 1;
                    pending.push((index + offset, Err(failure)));
                    if on_error == OnError::Stop {
                        stop = true;
                        break;
                    }
                }
            }
        }
        batch.commit()?;
        index += pending.len();
        for (i, result) in pending {
            printer.result(&statements[i], result);
        }
        if stop {
            tally.skipped = statements.len() - index;
            break;
        }
    }
    Ok(tally)
}
