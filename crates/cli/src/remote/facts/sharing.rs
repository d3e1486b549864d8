//! Another project's packages and security configuration, for a question
//! asked in this project about an object of a project whose package is
//! installed here (`why alice Select on table b.sales`; see
//! docs/language.md#packages-installed-from-other-projects).
//!
//! The project is read as the session's caller, with the same readers as
//! the session's own project: `show packages` and `describe package k`
//! (what each package shares, and with whom) and `show
//! securityconfiguration` (whether LabelSecurity is on there). The labels
//! set on its tables are never read (no statement shows them).
//!
//! **Not read is never absent:** a project the caller may not open (403),
//! the service does not show (404) or answers with any other error is
//! `None`, and the question's
//! answer is "not verified"; a kind of fact it refuses stays unknown in
//! the state returned, with the same effect on the answers it would
//! decide.

use std::collections::BTreeSet;

use mcauth_engine::{Fact, Needs, ProjectState};

use crate::remote::RemoteSession;
use crate::remote::snapshot;

/// What a question about another project's object reads of it.
const READ: [Fact; 2] = [Fact::Packages, Fact::Flags];

impl RemoteSession {
    /// Project `name` as far as the caller may read its packages and
    /// security configuration; `Ok(None)` when it may not open it at all.
    /// `Err`: the connection failed.
    pub fn other_project(&mut self, name: &str) -> Result<Option<ProjectState>, String> {
        let read = async {
            let mut state = match snapshot::open(&self.client, name, &self.caller).await {
                Ok(state) => state,
                // Whatever the service answers (403, 404, a failure of
                // its own), the project was not read; only a broken
                // connection ends the command.
                Err(e) if e.is_not_found() || e.service().is_some() => return Ok(None),
                Err(e) => return Err(e),
            };
            let needs = Needs {
                facts: READ.into_iter().collect(),
                ..Needs::default()
            };
            // What it refuses stays unknown; the answer says so.
            let mut refused = BTreeSet::new();
            snapshot::read_missing(&self.client, name, &mut state, &needs, &mut refused).await?;
            Ok(Some(state))
        };
        self.rt
            .block_on(read)
            .map_err(|e| crate::diagnostics::one_line(&e))
    }
}
