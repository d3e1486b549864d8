//! What a script's checks need beyond the project itself, read before
//! they run and handed to the engine in its [`Context`]: the packages of
//! the projects `install package P.k` installs from
//! ([`Context::packages_elsewhere`]). What a backend cannot read stays
//! out, and the checks that need it pass with `not_verified`.

use std::collections::BTreeSet;

use mcauth_engine::Context;
use mcauth_syntax::ast::{Statement, StatementKind};

use super::Backend;

/// The other projects some statements look at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Beyond {
    /// Projects `install package P.k` installs from (lower case).
    pub installs: BTreeSet<String>,
}

impl Beyond {
    /// What `statements` need.
    pub fn of<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> Beyond {
        let mut beyond = Beyond::default();
        for statement in statements {
            beyond.add(statement);
        }
        beyond
    }

    /// Adds what `statement` needs.
    pub fn add(&mut self, statement: &Statement) {
        if let StatementKind::InstallPackage { package, .. } = &statement.kind
            && let Some((project, _)) = package.value.split_once('.')
        {
            self.installs.insert(project.to_ascii_lowercase());
        }
    }

    /// Reads what is needed on `backend` into `ctx`. `Err`: the backend
    /// itself failed.
    pub fn read_into<B: Backend + ?Sized>(
        &self,
        backend: &mut B,
        ctx: &mut Context,
    ) -> Result<(), String> {
        ctx.packages_elsewhere = backend.packages_elsewhere(&self.installs)?;
        Ok(())
    }
}
