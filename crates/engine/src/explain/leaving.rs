//! Data leaving the project: a question that names where the data goes
//! (`why alice Select on table sales --to-project partner`) is answered
//! by ProjectProtection too, after the layers that decide whether the
//! data may be read at all.
//!
//! While `ProjectProtection` is on, data of the project may flow only to
//! the projects it trusts (`add trustedproject partner`) or as its
//! exception policy allows (`set ProjectProtection=true with exception
//! FILE`); with it off, anyone who may read the data may take it anywhere
//! (docs/language.md#data-leaving-the-project). The exception policy is
//! evaluated as the project policy is ([`super::documents`]): a statement
//! whose condition needs a key the question does not know (the task type,
//! the source IP) leaves the answer *not verified*.

use crate::knowledge::Fact;
use crate::privilege::{ObjectKind, Privilege};
use crate::state::Flag;
use crate::view::StateView;

use super::documents::{self, Exception};
use super::{Decided, Layer, Outcome, Question, Step, Tracer};

/// ProjectProtection's say on `q`, when it names where the data goes and
/// the other layers let the data be read.
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    cache: Option<&documents::Cache>,
    t: &mut Tracer,
    q: &Question,
    now: Option<i64>,
    decided: Decided,
) -> Decided {
    let Some(to) = &q.leaving_to else {
        return decided;
    };
    let here = view.project();
    if !moves_data(q) {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::DoesNotApply,
            format!(
                "{} on {} moves no data out of the project: ProjectProtection governs data flows, not permissions",
                q.privilege,
                q.object_words()
            ),
        ));
        return decided;
    }
    if matches!(decided, Decided::Deny { .. }) {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::DoesNotApply,
            format!("the data may not be read, so it cannot leave for project {to}"),
        ));
        return decided;
    }
    if let Some(from) = &q.shared_by {
        t.open(Layer::ProjectProtection,
            format!(
                "the data is project {}'s: its ProjectProtection governs where the data may go, and it is not evaluated here",
                from.project
            ),
        );
        return decided;
    }
    if to.eq_ignore_ascii_case(here) {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::DoesNotApply,
            format!("the data stays in project {here}"),
        ));
        return decided;
    }
    if !view.knows(Fact::Flags) {
        t.open(
            Layer::ProjectProtection,
            format!(
                "{} were not read: whether ProjectProtection is on is not known",
                Fact::Flags
            ),
        );
        return decided;
    }
    if !view.flag(Flag::ProjectProtection) {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::DoesNotApply,
            format!("ProjectProtection=false: data of project {here} may be written to any project, {to} included"),
        ));
        return decided;
    }
    if !view.knows(Fact::TrustedProjects) {
        t.open(
            Layer::ProjectProtection,
            format!(
                "ProjectProtection=true, and {} were not read: whether {to} is one is not known",
                Fact::TrustedProjects
            ),
        );
        return decided;
    }
    if view
        .trusted_projects()
        .iter()
        .any(|p| p.eq_ignore_ascii_case(to))
    {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::DoesNotApply,
            format!("ProjectProtection=true, and {to} is a trusted project of {here}: data may flow there"),
        ));
        return decided;
    }
    if !view.knows(Fact::Policies) {
        t.open(Layer::ProjectProtection,
            format!(
                "ProjectProtection=true and {to} is not trusted; {} were not read, so whether the exception policy lets the data out is not known",
                Fact::Policies
            ),
        );
        return decided;
    }
    let asked = format!("odps:{} on {}", q.privilege, q.object_words());
    match documents::exception(view, cache, q, now) {
        Some(Exception::Allows(statement)) => {
            t.push(Step::new(
                Layer::ProjectProtection,
                Outcome::DoesNotApply,
                format!("ProjectProtection=true and {to} is not trusted, but {statement} allows {asked} for {}: the data may leave", q.subject),
            ));
            decided
        }
        Some(Exception::Open { statement, keys }) => {
            t.open(Layer::ProjectProtection,
                format!(
                    "ProjectProtection=true and {to} is not trusted; {statement} would let the data out if its condition on {keys} held, which this question does not know"
                ),
            );
            decided
        }
        Some(Exception::Unreadable(problem)) => {
            t.open(Layer::ProjectProtection,
                format!(
                    "ProjectProtection=true and {to} is not trusted; the exception policy does not read as a policy ({problem})"
                ),
            );
            decided
        }
        exception @ (Some(Exception::No) | None) => {
            let why = if exception.is_some() {
                "and no statement of its exception policy allows it"
            } else {
                "and it has no exception policy"
            };
            let trusted = view.trusted_projects();
            let trusted = if trusted.is_empty() {
                "it trusts no project".to_owned()
            } else {
                format!("it trusts {}", trusted.join(", "))
            };
            t.decide(
                Step::new(
                    Layer::ProjectProtection,
                    Outcome::Denies,
                    format!("ProjectProtection=true: data of project {here} may not leave for project {to}: {trusted}, {why}"),
                )
                .with_statement(format!("add trustedproject {to};")),
            )
        }
    }
}

/// Whether the question's action reads data that could then leave: a
/// Select or Download of a table (or view), the Read of a resource's
/// content. ProjectProtection "controls data flows, not access
/// permissions": Drop, Alter, Describe and the rest move no data.
fn moves_data(q: &Question) -> bool {
    match q.privilege {
        Privilege::Select | Privilege::Download => true,
        Privilege::Read => q.object.kind == ObjectKind::Resource,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
