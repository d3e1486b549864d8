//! The creator's grant right: while `ObjectCreatorHasGrantPermission` is
//! on (the default), the creator of an object may grant and revoke
//! privileges on it, though it holds no role that may
//! (docs/language.md#security-configuration).
//!
//! No security statement creates objects, so creators are not project
//! state. A runner that knows every object's creator says so
//! ([`Context::object_creators`]: the emulator's declared tables); then a
//! member who is not the creator is refused as before. Elsewhere, **not
//! read is never absent**: a member without the standing to grant may be
//! the creator, so the statement passes with a `not_verified` warning and
//! MaxCompute decides (on the embedded store, it runs as if the member
//! created the object). A project, a pattern (`t_*`, objects nobody has
//! created yet) and an installed package (created in another project)
//! have no member as creator: there only the standing counts.

use super::Cx;
use crate::authority::{Action, Authority};
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::privilege::{ObjectKind, ObjectRef};
use crate::state::Flag;
use crate::view::StateView;

#[cfg(doc)]
use super::Context;

/// The caller's standing for `action` (a grant or revoke): a refusal
/// for want of authority is handed back, to be weighed with the objects
/// ([`or_creator`]) once they are known; any other refusal ends the check.
pub(crate) fn standing<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    action: Action,
) -> Result<Result<Authority, Failure>, Failure> {
    match cx.require(action) {
        Err(f) if f.code != FailureCode::PermissionDenied => Err(f),
        standing => Ok(standing),
    }
}

/// `standing` (the caller's right to grant or revoke by its roles), or
/// else its right as the creator of every object in `objects`.
pub(crate) fn or_creator<'o, V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    standing: Result<Authority, Failure>,
    objects: impl IntoIterator<Item = &'o ObjectRef>,
) -> Result<(), Failure> {
    let refused = match standing {
        Ok(_) => return Ok(()),
        Err(f) if f.code == FailureCode::PermissionDenied => f,
        Err(f) => return Err(f),
    };
    if cx.view.knows(Fact::Flags) && !cx.view.flag(Flag::ObjectCreatorHasGrantPermission) {
        return Err(refused);
    }
    let mut unknown: Vec<String> = Vec::new();
    for object in objects {
        // A project's creator is its owner, whom `standing` admits; a
        // pattern names objects nobody has created yet; an installed
        // package (`P.k`) was created in another project.
        if object.kind == ObjectKind::Project
            || object.kind == ObjectKind::Package
            || object.name.contains('*')
        {
            return Err(refused);
        }
        let whole = ObjectRef::new(object.kind, object.name.clone());
        match cx.ctx.object_creators.as_ref().map(|c| c.get(&whole)) {
            Some(Some(creator)) if creator == &cx.caller.principal => {}
            Some(_) => return Err(refused),
            None => {
                let words = format!("{} {}", whole.kind, whole.name);
                if !unknown.contains(&words) {
                    unknown.push(words);
                }
            }
        }
    }
    if !unknown.is_empty() {
        let flag = if cx.view.knows(Fact::Flags) {
            "ObjectCreatorHasGrantPermission=true"
        } else {
            "ObjectCreatorHasGrantPermission, not read"
        };
        cx.warn_with(
            WarningCode::NotVerified,
            format!(
                "not checked: {} holds no role that may grant or revoke; the creator of {} may ({flag}), and who created it is not known",
                cx.caller.principal,
                unknown.join(", ")
            ),
            cx.stmt.span,
            format!(
                "MaxCompute lets the creator and refuses anyone else, who needs the owner, a Super_Administrator or an Admin to run it; the embedded store takes it as {}'s, the creator's",
                cx.caller.principal
            ),
        );
    }
    Ok(())
}
