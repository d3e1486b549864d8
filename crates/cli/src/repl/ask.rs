//! `why …;` and `who-can …;` at the prompt: meta-commands (not statements
//! of the language: the grammar does not hold them), answered as `mcauth
//! why` and `mcauth who-can` answer, from the backend's state. A trailing
//! `owned by PRINCIPAL` names the object's creator, as `--owner` does on
//! the command line (`--` starts a comment at the prompt); without it,
//! against MaxCompute a table's owner is read from its metadata.

use mcauth_engine::{ObjectKind, ObjectRef, PrincipalId, ProjectState};

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
    let answer = split_clauses(rest.trim_start()).and_then(|(rest, clauses)| {
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

/// A question's trailing clauses: `owned by PRINCIPAL` (the prompt's
/// spelling of `--owner`: `--` starts a comment there) and `to project
/// PROJECT` (`--to-project`).
#[derive(Debug, Default, PartialEq, Eq)]
struct Clauses<'a> {
    owner: Option<&'a str>,
    to: Option<String>,
}

const CLAUSES_HELP: &str = "e.g. `why bob Select on table sales owned by RAM$acct:amy;` or `why bob Select on table sales to project partner;`";

/// The question without its trailing clauses, and the clauses, in any
/// order, each at most once.
fn split_clauses(text: &str) -> Result<(&str, Clauses<'_>), String> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let opens = |w: &[(usize, &str)]| {
        (w[0].1.eq_ignore_ascii_case("owned") && w[1].1.eq_ignore_ascii_case("by"))
            || (w[0].1.eq_ignore_ascii_case("to") && w[1].1.eq_ignore_ascii_case("project"))
    };
    let Some(at) = words.windows(2).position(opens) else {
        return Ok((text, Clauses::default()));
    };
    let mut clauses = Clauses::default();
    let mut rest = &words[at..];
    while let [(_, first), _, tail @ ..] = rest {
        let Some((_, value)) = tail.first().filter(|_| {
            tail.len() == 1 || tail.get(1..3).is_some_and(|w| w.len() == 2 && opens(w))
        }) else {
            let clause = if first.eq_ignore_ascii_case("owned") {
                "`owned by` takes one principal"
            } else {
                "`to project` takes one project name"
            };
            return Err(format!(
                "mcauth: {clause} and ends the question or comes before the other clause, {CLAUSES_HELP}"
            ));
        };
        if first.eq_ignore_ascii_case("owned") {
            if clauses.owner.replace(value).is_some() {
                return Err(format!("mcauth: `owned by` is given twice, {CLAUSES_HELP}"));
            }
        } else {
            let to = crate::explain::project_name(value).map_err(|e| format!("mcauth: {e}"))?;
            if clauses.to.replace(to).is_some() {
                return Err(format!(
                    "mcauth: `to project` is given twice, {CLAUSES_HELP}"
                ));
            }
        }
        rest = &tail[1..];
    }
    if !rest.is_empty() {
        return Err(format!("mcauth: a clause is not complete, {CLAUSES_HELP}"));
    }
    Ok((text[..words[at].0].trim_end(), clauses))
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

#[cfg(test)]
mod tests {
    use super::{Clauses, split_clauses};

    fn owner(text: &str) -> Result<(&str, Option<&str>), String> {
        split_clauses(text).map(|(q, c)| (q, c.owner))
    }

    #[test]
    fn owner_is_taken_off_the_end_of_a_question() {
        assert_eq!(
            owner("bob Select on table t owned by amy"),
            Ok(("bob Select on table t", Some("amy")))
        );
        assert_eq!(
            owner("bob Select on table t OWNED BY RAM$a:amy"),
            Ok(("bob Select on table t", Some("RAM$a:amy")))
        );
        assert_eq!(
            owner("bob Select on table t"),
            Ok(("bob Select on table t", None))
        );
        // A table named `owned` is not the phrase.
        assert_eq!(
            owner("bob Select on table owned"),
            Ok(("bob Select on table owned", None))
        );
        assert!(owner("bob Select on table t owned by").is_err());
        assert!(owner("bob Select owned by amy on table t").is_err());
    }

    #[test]
    fn the_project_the_data_goes_to_is_a_clause_too() {
        assert_eq!(
            split_clauses("bob Select on table t to project Partner"),
            Ok((
                "bob Select on table t",
                Clauses {
                    owner: None,
                    to: Some("partner".into())
                }
            ))
        );
        assert_eq!(
            split_clauses("bob Select on table t to project p owned by amy"),
            Ok((
                "bob Select on table t",
                Clauses {
                    owner: Some("amy"),
                    to: Some("p".into())
                }
            ))
        );
        assert!(split_clauses("bob Select on table t to project a/b").is_err());
        assert!(split_clauses("bob Select on table t to project p to project q").is_err());
        assert!(split_clauses("bob Select on table t to project").is_err());
        assert!(split_clauses("bob Select on table t to project p extra").is_err());
    }
}
