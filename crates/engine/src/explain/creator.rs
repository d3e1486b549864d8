//! ObjectCreator: the creator of an object (its owner in MaxCompute's
//! metadata, a table's `Owner`) may use every privilege on it while
//! `ObjectCreatorHasAccessPermission` is on (the default; see
//! docs/language.md#security-configuration).
//!
//! No security statement creates objects, so the project state does not
//! know creators: the question names the owner where the asker knows it
//! ([`Question::object_owner`]: `--owner`, or read from the service), and
//! without it the layer is *not modelled*, as before.
//!
//! **Choices where the docs are silent:** the creator's access stands with
//! the grants, not with the owner and the admin roles: an explicit Deny (a
//! policy grant's or a document's) beats it, as it beats every Allow in the
//! engine, and LabelSecurity may still hold it back. A project's creator is
//! its owner (the owner layer), and a role creates nothing.

use crate::knowledge::Fact;
use crate::privilege::ObjectKind;
use crate::state::Flag;
use crate::view::StateView;

use super::{Decided, Layer, Outcome, Question, Step, Subject, Tracer};

/// Consults the creator after the grants: the owner, with the flag on,
/// allows where no grant did; an explicit Deny already found still wins.
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    t: &mut Tracer,
    q: &Question,
    decided: Decided,
) -> Decided {
    let object = q.object_words();
    if q.object.kind == ObjectKind::Project {
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::DoesNotApply,
            "a project's creator is its owner (the owner layer)",
        ));
        return decided;
    }
    let Subject::Principal(p) = &q.subject else {
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::DoesNotApply,
            "a role creates no objects",
        ));
        return decided;
    };
    let Some(owner) = &q.object_owner else {
        let flag = if view.knows(Fact::Flags) {
            format!(
                "ObjectCreatorHasAccessPermission={}",
                view.flag(Flag::ObjectCreatorHasAccessPermission)
            )
        } else {
            "the security configuration was not read".to_owned()
        };
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::NotModelled,
            format!(
                "who created {object} is not known ({flag}); its creator may have access this trace cannot see: name the owner with --owner to check it"
            ),
        ));
        return decided;
    };
    if owner != p {
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::DoesNotApply,
            format!("{object} was created by {owner}"),
        ));
        return decided;
    }
    if !view.knows(Fact::Flags) {
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::NotVerified,
            format!(
                "{p} created {object}, and the security configuration (ObjectCreatorHasAccessPermission) was not read"
            ),
        ));
        return decided;
    }
    if !view.flag(Flag::ObjectCreatorHasAccessPermission) {
        t.push(Step::new(
            Layer::ObjectCreator,
            Outcome::DoesNotApply,
            format!(
                "{p} created {object}, but ObjectCreatorHasAccessPermission=false: creators have no access of their own"
            ),
        ));
        return decided;
    }
    let words = format!("creator of {object} (ObjectCreatorHasAccessPermission=true)");
    let detail = format!("{words}: {p} owns it");
    match decided {
        Decided::Deny { step: None, .. } => {
            let step = t.push(Step::new(Layer::ObjectCreator, Outcome::Allows, detail));
            Decided::Allow {
                reason: format!("allowed as the {words}"),
                step: Some(step),
            }
        }
        Decided::Deny { step: Some(_), .. } => {
            t.push(Step::new(
                Layer::ObjectCreator,
                Outcome::Allows,
                format!("{detail}; the explicit Deny above beats it"),
            ));
            decided
        }
        Decided::Allow { .. } => {
            t.push(Step::new(Layer::ObjectCreator, Outcome::Allows, detail));
            decided
        }
    }
}
