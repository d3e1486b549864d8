//! `why …;` and `who-can …;` at the prompt: meta-commands (not statements
//! of the language: the grammar does not hold them), answered as `mcauth
//! why` and `mcauth who-can` answer, from the backend's state.

use crate::explain::{Format, describe_error, grantees_for, project, question, render_traces};
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
    let answer = if verb.eq_ignore_ascii_case("why") {
        why(session, rest)
    } else {
        who_can(session, rest)
    };
    match answer {
        Ok(out) => crate::io::print(&out),
        Err(message) => eprintln!("{message}"),
    }
}

fn why(session: &mut dyn Backend, text: &str) -> Result<String, String> {
    let (questions, grantees) = match session.read_state(&project::needs(Default::default()))? {
        Some((state, _)) => {
            let questions =
                question::parse(text, state).map_err(|e| describe_error("<stdin>", text, &e))?;
            let grantees = grantees_for(state, &questions);
            (questions, grantees)
        }
        None => return Err(unreadable()),
    };
    let Some((state, now)) = session.read_state(&project::needs(grantees))? else {
        return Err(unreadable());
    };
    let traces: Vec<_> = questions
        .iter()
        .map(|q| mcauth_engine::explain::explain(state, q, now))
        .collect();
    render_traces(&traces, Format::Text)
}

fn who_can(session: &mut dyn Backend, text: &str) -> Result<String, String> {
    let (found, everyone) = match session.read_state(&project::needs(Default::default()))? {
        Some((state, _)) => (
            question::action(text, 0, mcauth_engine::StateView::project(state))
                .map_err(|e| describe_error("<stdin>", text, &e))?,
            project::everyone(state),
        ),
        None => return Err(unreadable()),
    };
    let Some((state, now)) = session.read_state(&project::needs(everyone))? else {
        return Err(unreadable());
    };
    let (privileges, objects) = found;
    let mut out = String::new();
    for privilege in &privileges {
        for object in &objects {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&mcauth_engine::who_can(state, *privilege, object, None, now).to_string());
        }
    }
    Ok(out)
}

fn unreadable() -> String {
    "mcauth: this caller may not read the project, so no question about it can be answered"
        .to_owned()
}
