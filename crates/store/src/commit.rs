//! The one path from a checked statement to a committed one: check it
//! against the state a batch holds, record what it changes, commit.
//! Every runner goes through it: a script's batches
//! ([`Batch::check_and_record`]) and a statement on its own
//! ([`Store::check_and_commit`], the REPL and `mcauth serve`).

use mcauth_engine::{Effect, ProjectState};

use crate::StoreError;
use crate::store::{Batch, Project, Store};

impl Batch<'_> {
    /// Checks a statement against the batch's state with `check` and, when
    /// it passes, records the changes it makes. The outer `Err` is the
    /// store's; the check's own refusal is the inner one.
    pub fn check_and_record<R>(
        &mut self,
        text: &str,
        check: impl FnOnce(&ProjectState) -> Result<Effect, R>,
    ) -> Result<Result<Effect, R>, StoreError> {
        let checked = check(self.state());
        if let Ok(effect) = &checked {
            self.record(text, &effect.changes)?;
        }
        Ok(checked)
    }
}

impl Store {
    /// Checks one statement as of the latest commit and, when it changes
    /// something, records and commits it in one write transaction.
    ///
    /// It is checked first against the state already in memory (no SQL):
    /// one that would change something goes straight to the write
    /// transaction; any other is checked again only if catching up with
    /// other writers replayed their statements (`Project::seq` moved), and
    /// takes the write transaction only if it then changes something. In
    /// the transaction, too, it is checked again only if catching up
    /// replayed another writer's statements. A statement that changes
    /// nothing never takes the write lock. After a failed write the
    /// project is loaded again from what was committed.
    pub fn check_and_commit<R>(
        &mut self,
        project: &mut Project,
        text: &str,
        check: impl Fn(&ProjectState) -> Result<Effect, R>,
    ) -> Result<Result<Effect, R>, StoreError> {
        let mut checked_at = project.seq();
        let checked = match check(project.state()) {
            Ok(effect) if !effect.changes.is_empty() => effect,
            first => {
                self.refresh(project)?;
                let outcome = if project.seq() == checked_at {
                    first
                } else {
                    check(project.state())
                };
                match outcome {
                    Ok(effect) if !effect.changes.is_empty() => {
                        checked_at = project.seq();
                        effect
                    }
                    other => return Ok(other),
                }
            }
        };
        let written = {
            let mut batch = self.begin(project)?;
            let outcome = if batch.seq() == checked_at {
                // Catching up replayed nothing: the state is the one checked.
                batch.record(text, &checked.changes).map(|()| Ok(checked))
            } else {
                batch.check_and_record(text, &check)
            };
            match outcome {
                Ok(Ok(effect)) => batch.commit().map(|()| Ok(effect)),
                // Dropping the batch rolls the (empty) transaction back.
                other => other,
            }
        };
        if written.is_err() {
            // The in-memory state may hold changes the file does not.
            self.reload(project);
        }
        written
    }

    /// Loads `project` again from what was committed, after a failed
    /// write left changes in memory that the file does not hold. When
    /// even that fails, the project stays as it was.
    pub fn reload(&mut self, project: &mut Project) {
        let (name, owner) = (
            project.state().name().to_owned(),
            mcauth_engine::StateView::owner(project.state()).clone(),
        );
        if let Ok(fresh) = self.project(&name, &owner) {
            *project = fresh;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::PathBuf;

    use mcauth_engine::{Change, Output, PrincipalId, Provider, StateView};

    use super::*;

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mcauth-commit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("mcauth.db")
    }

    fn owner() -> PrincipalId {
        PrincipalId::aliyun("owner@example.com")
    }

    /// `add accountprovider ram`, refused when the provider is there;
    /// `checks` counts the checks.
    fn add_ram<'c>(
        checks: &'c Cell<usize>,
    ) -> impl Fn(&ProjectState) -> Result<Effect, &'static str> + 'c {
        move |state| {
            checks.set(checks.get() + 1);
            if state.has_provider(Provider::Ram) {
                return Err("already there");
            }
            Ok(Effect {
                changes: vec![Change::AddProvider {
                    provider: Provider::Ram,
                }],
                output: Output::Ok,
                warnings: Vec::new(),
            })
        }
    }

    #[test]
    fn a_statement_checked_in_memory_is_committed_without_a_second_check() {
        let path = temp_path("once");
        let mut store = Store::open(&path).expect("open");
        let mut project = store.project("dev", &owner()).expect("project");
        let checks = Cell::new(0);
        let done = store
            .check_and_commit(&mut project, "add accountprovider ram;", add_ram(&checks))
            .expect("written");
        assert!(done.is_ok());
        assert_eq!((checks.get(), project.seq()), (1, 1));
        let mut other = Store::open(&path).expect("open");
        let seen = other.project("dev", &owner()).expect("project");
        assert!(seen.state().has_provider(Provider::Ram), "committed");
        let _ = std::fs::remove_dir_all(path.parent().expect("folder"));
    }

    #[test]
    fn another_writers_statements_make_it_check_again() {
        let path = temp_path("again");
        let mut store = Store::open(&path).expect("open");
        let mut project = store.project("dev", &owner()).expect("project");
        {
            let mut other = Store::open(&path).expect("open");
            let mut theirs = other.project("dev", &owner()).expect("project");
            let checks = Cell::new(0);
            let done = other
                .check_and_commit(&mut theirs, "add accountprovider ram;", add_ram(&checks))
                .expect("written");
            assert!(done.is_ok());
        }
        // In memory the provider is not there yet: the first check passes,
        // catching up replays the other writer's statement, and the check
        // made again refuses it, writing nothing.
        let checks = Cell::new(0);
        let done = store
            .check_and_commit(&mut project, "add accountprovider ram;", add_ram(&checks))
            .expect("no store error");
        assert_eq!(done.err(), Some("already there"));
        assert_eq!((checks.get(), project.seq()), (2, 1));
        let _ = std::fs::remove_dir_all(path.parent().expect("folder"));
    }
}
