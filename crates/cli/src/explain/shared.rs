//! Objects of other projects: a question asked in project A about `B.t`
//! is about project B's table `t` when a package of B is installed in A
//! (docs/language.md#packages-installed-from-other-projects). What was
//! read of B goes to the engine with the question: on the embedded store,
//! B's state from the same store; against MaxCompute, B's packages and
//! security configuration as the caller may read them (never the labels
//! set on its tables, which no statement shows), what was not read
//! leaving the answer not verified.

use std::collections::BTreeMap;

use mcauth_engine::explain::SharingProject;
use std::process::ExitCode;

use mcauth_engine::{ObjectKind, ObjectRef, PrincipalId, ProjectState, StateView};

use super::owner::{self, Owners};
use super::project::Project;
use crate::exit;

/// The project `object` belongs to and its name there, when it names
/// another project (`b.t`) one of whose packages is installed here, or
/// may name one: when the installed packages were not read, `b.t` may be
/// project b's, and is asked as such (its answer is then not verified),
/// never taken for this project's.
fn of_other_project(here: &Here, object: &ObjectRef) -> Option<(String, ObjectRef)> {
    // An installed package is named `B.pk` here, and is this project's.
    if matches!(object.kind, ObjectKind::Project | ObjectKind::Package) {
        return None;
    }
    let (project, name) = object.name.split_once('.')?;
    let prefix = format!("{project}.");
    let installed = match &here.installed {
        Some(installed) => installed.iter().any(|p| p.starts_with(&prefix)),
        None => true,
    };
    (installed && !project.eq_ignore_ascii_case(&here.project)).then(|| {
        (
            project.to_owned(),
            ObjectRef {
                name: name.to_owned(),
                ..object.clone()
            },
        )
    })
}

/// Reads another project on `project`'s backend: the store's whole; its
/// packages and configuration remotely.
pub fn reader(
    project: &mut Project,
) -> impl FnMut(&str) -> Result<Option<ProjectState>, String> + '_ {
    move |name| match project {
        Project::Store(planner) => planner.other_project(name),
        Project::Remote(session) => session.other_project(name),
    }
}

/// The project asked and the packages installed in it (`None`: not
/// read).
pub struct Here {
    project: String,
    installed: Option<Vec<String>>,
}

impl Here {
    pub fn of(state: &ProjectState) -> Here {
        Here {
            project: state.project().to_owned(),
            installed: state.knows(mcauth_engine::Fact::Installs).then(|| {
                state
                    .installed_packages()
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            }),
        }
    }
}

/// What was read of the projects questions name, each read once.
#[derive(Default)]
pub struct Sharing {
    read: BTreeMap<String, Option<ProjectState>>,
}

impl Sharing {
    /// What was read of the project `object` belongs to, when it is
    /// another project's shared with this one; `None` for an object of
    /// this project.
    pub fn of(
        &mut self,
        read: &mut dyn FnMut(&str) -> Result<Option<ProjectState>, String>,
        here: &Here,
        object: &ObjectRef,
    ) -> Result<Option<SharingProject>, String> {
        let Some((name, theirs)) = of_other_project(here, object) else {
            return Ok(None);
        };
        let state = match self.read.get(&name) {
            Some(state) => state,
            None => {
                let state = read(&name)?;
                self.read.entry(name.clone()).or_insert(state)
            }
        };
        Ok(Some(match state {
            Some(state) => SharingProject::read_from(state, theirs),
            None => SharingProject::unread(name, theirs),
        }))
    }
}

/// Whose each object of a command's questions is: its owner (`--owner`,
/// or read), or, for another project's object, what was read of that
/// project.
pub struct Whose {
    here: Here,
    given: Option<PrincipalId>,
    owners: Owners,
    sharing: Sharing,
}

impl Whose {
    /// For questions asked of `state`, with `--owner` as given; a bad
    /// `--owner` is printed and is the exit code.
    pub fn new(state: &ProjectState, owner_flag: Option<&str>) -> Result<Whose, ExitCode> {
        let given = match owner_flag.map(|o| owner::from_flag(o, state)).transpose() {
            Ok(given) => given,
            Err(message) => {
                eprintln!("{message}");
                return Err(ExitCode::from(exit::USAGE));
            }
        };
        Ok(Whose {
            here: Here::of(state),
            given,
            owners: Owners::default(),
            sharing: Sharing::default(),
        })
    }

    /// The owner of `object`, or the project that shares it here; a
    /// failed read is printed and is the exit code.
    pub fn of(
        &mut self,
        project: &mut Project,
        object: &ObjectRef,
    ) -> Result<(Option<PrincipalId>, Option<SharingProject>), ExitCode> {
        let given = self.given.clone();
        self.of_given(project, given.as_ref(), object)
    }

    /// As [`Whose::of`], with the owner named for this object alone (an
    /// expectation's `owned by`) rather than the command's `--owner`.
    pub fn of_given(
        &mut self,
        project: &mut Project,
        given: Option<&PrincipalId>,
        object: &ObjectRef,
    ) -> Result<(Option<PrincipalId>, Option<SharingProject>), ExitCode> {
        let from = self.sharing.of(&mut reader(project), &self.here, object);
        match from {
            Ok(Some(from)) => Ok((None, Some(from))),
            Ok(None) => Ok((self.owners.of(project, given, object), None)),
            Err(message) => {
                eprintln!("mcauth: {message}");
                Err(ExitCode::from(exit::CONFIG))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here(installed: Option<&[&str]>) -> Here {
        Here {
            project: "a".into(),
            installed: installed.map(|i| i.iter().map(|p| (*p).to_owned()).collect()),
        }
    }

    #[test]
    fn a_dotted_name_is_another_projects_when_its_package_is_installed_or_installs_were_not_read() {
        let t = ObjectRef::new(ObjectKind::Table, "b.t");
        let theirs = Some(("b".to_owned(), ObjectRef::new(ObjectKind::Table, "t")));
        assert_eq!(of_other_project(&here(Some(&["b.pk"])), &t), theirs);
        assert_eq!(of_other_project(&here(Some(&["c.pk"])), &t), None);
        // Not read: maybe b's, never taken for this project's.
        assert_eq!(of_other_project(&here(None), &t), theirs);
        // This project's own prefix, and an installed package's own name.
        let own = ObjectRef::new(ObjectKind::Table, "a.t");
        assert_eq!(of_other_project(&here(None), &own), None);
        let package = ObjectRef::new(ObjectKind::Package, "b.pk");
        assert_eq!(of_other_project(&here(None), &package), None);
    }
}
