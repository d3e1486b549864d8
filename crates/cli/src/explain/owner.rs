//! The owner (creator) of the object a question is about: `--owner`
//! where the user names it (as AWS's policy simulator takes a resource's
//! owner), else, against MaxCompute, a table's owner from its metadata.
//! The embedded store has no objects, so there it is `--owner` or not
//! known (the trace then says how to name it).

use std::collections::HashMap;

use mcauth_engine::{ObjectKind, ObjectRef, PrincipalId, ProjectState};

use super::project::Project;
use super::question;

/// `--owner` read as a principal (in full, or a member's short name).
pub fn from_flag(text: &str, state: &ProjectState) -> Result<PrincipalId, String> {
    question::principal(text, 0, state)
        .map_err(|e| format!("mcauth: --owner {text}: {e}\n  help: {}", e.help()))
}

/// The owners found so far, one read per table.
#[derive(Default)]
pub struct Owners(HashMap<String, Option<PrincipalId>>);

impl Owners {
    /// The owner of `object`: `given` (`--owner`), else what the backend
    /// shows of a table (MaxCompute's metadata; never a pattern), else not
    /// known. A read that fails is said on standard error and leaves the
    /// owner not known.
    pub fn of(
        &mut self,
        project: &Project,
        given: Option<&PrincipalId>,
        object: &ObjectRef,
    ) -> Option<PrincipalId> {
        if given.is_some() {
            return given.cloned();
        }
        let Project::Remote(session) = project else {
            return None;
        };
        if object.kind != ObjectKind::Table || object.name.contains('*') {
            return None;
        }
        self.0
            .entry(object.name.clone())
            .or_insert_with(|| match session.table_owner(&object.name) {
                Ok(owner) => owner,
                Err(message) => {
                    eprintln!(
                        "mcauth: note: could not read the owner of table {}: {message}",
                        object.name
                    );
                    None
                }
            })
            .clone()
    }
}
