//! `why …;` and `who-can …;` at the prompt: meta-commands (not statements
//! of the language: the grammar does not hold them), answered as `mcauth
//! why` and `mcauth who-can` answer, from the backend's state. A trailing
//! `owned by PRINCIPAL` names the object's creator, as `--owner` does on
//! the command line (`--` starts a comment at the prompt); without it,
//! against MaxCompute a table's owner is read from its metadata.

use mcauth_engine::{ObjectKind, ObjectRef, PrincipalId, ProjectState};

use crate::explain::clauses::{Clauses, split_clauses};
use crate::explain::{
    Format, describe_error, grantees_for, owner, project, question, render_traces, shared,
};
use crate::run::Backend;

/// Whether an entry is a question rather than statements.
pub fn is_question(entry: &str) -> bool {
    let first = entry.split_whitespace().next().unwrap_or_default();
    first.eq_ignore_ascii_case("why") || first.eq_ignore_ascii_case("who-can")
}

/// Answers one question; problems are printed and the session goes on.
pub fn run(session: &mut dyn Backend, entry: &str) {
    let text = entry.trim().trim_end_matches([';', '；']).trim_end();
    let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let rest = rest.trim_start();
    let split = split_clauses(rest).map_err(|e| e.describe("<stdin>", rest));
    let answer = split.and_then(|(rest, clauses)| {
        if verb.eq_ignore_ascii_case("why") {
            why(session, rest, &clauses)
        } else {
            who_can(session, rest, &clauses)
        }
    });
    match answer {
        Ok(out) => crate::io::print(&out),
        Err(message) => eprintln!("{message}"),
    }
}

/// The owner of `object`: the one named, else what the backend shows of
/// a table (never a pattern), else not known. A failed read is a note.
fn owner_of(
    session: &mut dyn Backend,
    given: Option<&PrincipalId>,
    object: &ObjectRef,
) -> Option<PrincipalId> {
    if given.is_some() {
        return given.cloned();
    }
    if object.kind != ObjectKind::Table || object.name.contains('*') {
        return None;
    }
    match session.table_owner(&object.name) {
        Ok(owner) => owner,
        Err(message) => {
            eprintln!(
                "mcauth: note: could not read the owner of table {}: {message}",
                object.name
            );
            None
        }
    }
}

fn named_owner(text: Option<&str>, state: &ProjectState) -> Result<Option<PrincipalId>, String> {
    text.map(|o| owner::from_flag(o, state)).transpose()
}

fn why(session: &mut dyn Backend, text: &str, clauses: &Clauses<'_>) -> Result<String, String> {
    let owner = clauses.owner;
    let (questions, grantees, given, here) =
        match session.read_state(&project::needs(Default::default()))? {
            Some((state, _)) => {
                let questions = question::parse(text, state)
                    .map_err(|e| describe_error("<stdin>", text, &e))?;
                let grantees = grantees_for(state, &questions);
                let here = shared::Here::of(state);
                (questions, grantees, named_owner(owner, state)?, here)
            }
            None => return Err(unreadable()),
        };
    let mut sharing = shared::Sharing::default();
    let mut asked = Vec::new();
    for q in questions {
        let from = sharing.of(&mut |name| session.other_project(name), &here, &q.object)?;
        let found = match from {
            Some(_) => None,
            None => owner_of(session, given.as_ref(), &q.object),
        };
        asked.push(
            q.owned_by(found)
                .shared_by(from)
                .leaving_to(clauses.to.clone()),
        );
    }
    let questions = asked;
    let Some((state, now)) = session.read_state(&project::needs(grantees))? else {
        return Err(unreadable());
    };
    let traces: Vec<_> = questions
        .iter()
        .map(|q| mcauth_engine::explain::explain(state, q, now))
        .collect();
    render_traces(&traces, Format::Text)
}

fn who_can(session: &mut dyn Backend, text: &str, clauses: &Clauses<'_>) -> Result<String, String> {
    let owner = clauses.owner;
    let (found, everyone, given, here) =
        match session.read_state(&project::needs(Default::default()))? {
            Some((state, _)) => (
                question::action(text, 0, mcauth_engine::StateView::project(state))
                    .map_err(|e| describe_error("<stdin>", text, &e))?,
                project::everyone(state),
                named_owner(owner, state)?,
                shared::Here::of(state),
            ),
            None => return Err(unreadable()),
        };
    let (privileges, objects) = found;
    let mut sharing = shared::Sharing::default();
    let mut owners: Vec<Option<PrincipalId>> = Vec::new();
    let mut shared_by = Vec::new();
    for o in &objects {
        let from = sharing.of(&mut |name| session.other_project(name), &here, o)?;
        owners.push(match from {
            Some(_) => None,
            None => owner_of(session, given.as_ref(), o),
        });
        shared_by.push(from);
    }
    let Some((state, now)) = session.read_state(&project::needs(everyone))? else {
        return Err(unreadable());
    };
    let mut out = String::new();
    for privilege in &privileges {
        for ((object, owner), from) in objects.iter().zip(&owners).zip(&shared_by) {
            if !out.is_empty() {
                out.push('\n');
            }
            let answer = crate::explain::who_can_answer(
                state,
                *privilege,
                object,
                owner.as_ref(),
                from.as_ref(),
                clauses.to.as_deref(),
                now,
            );
            out.push_str(&answer.to_string());
        }
    }
    Ok(out)
}

fn unreadable() -> String {
    "mcauth: this caller may not read the project, so no question about it can be answered"
        .to_owned()
}
