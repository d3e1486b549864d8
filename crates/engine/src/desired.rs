//! A desired state: the project a script describes (`mcauth plan FILE`,
//! `apply`, `diff`), built by running the script on a new, empty project
//! with the same owner, as the owner.
//!
//! The file is in the language every script is in (an export, edited, is
//! one), so it is checked by the same rules: a statement that could not
//! run on the project it builds is an error in the file, not a step of a
//! plan. Queries (`list`, `show`, `whoami`…) change nothing and are kept
//! out of it.

use mcauth_syntax::ast::Statement;

use crate::check::{Caller, Context, execute_in};
use crate::export::{Kind, items};
use crate::failure::Failure;
use crate::names::PrincipalId;
use crate::state::ProjectState;

/// The project a script describes.
#[derive(Debug, Clone)]
pub struct Desired {
    /// The project the statements that ran built.
    pub state: ProjectState,
    /// The kinds the script says anything about: those whose facts differ
    /// from a new project's. A plan manages these unless told otherwise.
    pub named: Vec<Kind>,
}

/// A statement of the script that could not run on the project it builds.
#[derive(Debug, Clone)]
pub struct Refused {
    /// Its index among the statements given.
    pub index: usize,
    /// Why it could not run.
    pub failure: Failure,
}

/// Runs `statements` on a new project named `project` owned by `owner`,
/// with `account` for names that leave the account out (`RAM$bob`), and
/// `ctx` for the policy documents the script names and the clock. Every
/// statement that fails is returned (the rest still run, so that one
/// pass reports them all).
///
/// The statements are taken one at a time, so a caller may parse a large
/// file as it goes rather than hold its syntax trees.
pub fn build<S: std::borrow::Borrow<Statement>>(
    project: &str,
    owner: &PrincipalId,
    account: &str,
    ctx: &Context,
    statements: impl IntoIterator<Item = S>,
) -> Result<Desired, Vec<Refused>> {
    let mut state = ProjectState::new(project, owner.clone());
    let caller = Caller::new(owner.clone(), account.to_owned());
    let mut session = ctx.clone();
    let mut refused = Vec::new();
    for (index, statement) in statements.into_iter().enumerate() {
        let statement = statement.borrow();
        if let Err(failure) = execute_in(&mut state, &caller, &session, statement) {
            refused.push(Refused { index, failure });
        }
        session.observe(statement);
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let named = named_kinds(&state, ctx.now);
    Ok(Desired { state, named })
}

/// The kinds whose facts in `state` differ from those of a new project
/// with the same name and owner.
pub fn named_kinds(state: &ProjectState, now: Option<i64>) -> Vec<Kind> {
    use crate::view::StateView;
    let fresh = ProjectState::new(state.project(), state.owner().clone());
    Kind::ALL
        .into_iter()
        .filter(|k| items(state, &[*k], now) != items(&fresh, &[*k], now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::StateView;

    fn owner() -> PrincipalId {
        PrincipalId::aliyun("owner@x.com")
    }

    fn desired(script: &str) -> Result<Desired, Vec<Refused>> {
        let parsed = mcauth_syntax::parse(script);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        build(
            "p",
            &owner(),
            "acct",
            &Context::default(),
            &parsed.statements,
        )
    }

    #[test]
    fn a_file_manages_the_kinds_it_names() {
        let d = desired("add accountprovider ram; add user RAM$bob; create role r; grant r to RAM$bob; list users;")
            .expect("builds");
        assert_eq!(
            d.named,
            vec![Kind::Providers, Kind::Users, Kind::Roles, Kind::RoleGrants]
        );
        assert!(
            d.state
                .members()
                .iter()
                .any(|m| m.to_string() == "RAM$acct:bob"),
            "RAM$bob is read in the caller's account"
        );
    }

    #[test]
    fn an_empty_file_names_nothing() {
        assert_eq!(desired("").expect("builds").named, Vec::<Kind>::new());
        assert_eq!(
            desired("set ProjectProtection=false;")
                .expect("builds")
                .named,
            Vec::<Kind>::new(),
            "a flag set to its default says nothing a new project does not"
        );
    }

    #[test]
    fn every_statement_that_cannot_run_is_reported() {
        let refused = desired("add user RAM$bob; create role r; grant nope to RAM$bob;")
            .expect_err("refused");
        let indexes: Vec<usize> = refused.iter().map(|r| r.index).collect();
        assert_eq!(indexes, vec![0, 2]);
    }
}
