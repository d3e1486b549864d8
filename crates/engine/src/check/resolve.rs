//! From written principals to members (rules a, b, e, j).
//!
//! **Choice:** a bare name (`alice`, `bob@aliyun.com`, no provider) is
//! resolved against the members: `ALIYUN$<name>` first, then
//! `RAM$<caller's account>:<name>`. `add user` refuses a bare name and
//! asks for the provider, since the docs never say how the server reads one.

use mcauth_syntax::ast::{Principal, PrincipalKind};

use super::Cx;
use crate::failure::{Failure, FailureCode};
use crate::knowledge::Fact;
use crate::names::{PrincipalClass, PrincipalId, Provider};
use crate::view::StateView;

/// The display id of a written principal, without any lookup.
pub(crate) fn id_of<V: StateView + ?Sized>(cx: &Cx<'_, V>, p: &Principal) -> PrincipalId {
    PrincipalId::from_kind(&p.kind, &cx.caller.account)
}

/// Rule a: a RAM principal needs the RAM account provider.
pub(crate) fn need_provider<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    id: &PrincipalId,
    p: &Principal,
) -> Result<(), Failure> {
    if id.is_ram() && cx.knows(Fact::Providers, p.span) && !cx.view.has_provider(Provider::Ram) {
        return Err(Failure::new(
            FailureCode::LackOfAccountProvider,
            format!("lack of account provider, principalName {id}"),
            p.span,
            "a RAM principal, but the project lacks the RAM account provider",
            "the project owner can add it: add accountprovider ram;",
        ));
    }
    Ok(())
}

/// `Invalid account Name <name>` with help to add the user.
pub(crate) fn invalid_account<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    id: &PrincipalId,
    p: &Principal,
) -> Failure {
    let help = if id.class() == PrincipalClass::Other {
        format!(
            "no member is called {id}; write the provider, e.g. add user ALIYUN${id}; or add user RAM${id};"
        )
    } else if cx.view.is_residue(id) {
        format!("{id} is a residue, not a member; `list users;` shows the members")
    } else {
        format!(
            "{id} is not in the project; add it first: add user {};",
            id.to_statement_text()
        )
    };
    Failure::new(
        FailureCode::InvalidAccountName,
        format!("Invalid account Name {id}"),
        p.span,
        "not a member of the project",
        help,
    )
}

/// A principal that must be in the project now (members only; residues
/// too when `residues` is set). The owner resolves to itself.
pub(crate) fn existing<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    p: &Principal,
    residues: bool,
) -> Result<PrincipalId, Failure> {
    let id = match &p.kind {
        PrincipalKind::Bare { name } => bare(cx, name).unwrap_or_else(|| id_of(cx, p)),
        _ => id_of(cx, p),
    };
    need_provider(cx, &id, p)?;
    if cx.view.is_member(&id)
        || &id == cx.view.owner()
        || (residues && cx.view.is_residue(&id))
        || !cx.knows(Fact::Members, p.span)
    {
        Ok(id)
    } else {
        Err(invalid_account(cx, &id, p))
    }
}

/// The member a bare name means, if any.
pub(crate) fn bare<V: StateView + ?Sized>(cx: &Cx<'_, V>, name: &str) -> Option<PrincipalId> {
    let aliyun = PrincipalId::aliyun(name);
    if cx.view.is_member(&aliyun) || &aliyun == cx.view.owner() {
        return Some(aliyun);
    }
    let ram = PrincipalId::ram_user(&cx.caller.account, name);
    if cx.view.is_member(&ram) {
        return Some(ram);
    }
    None
}
