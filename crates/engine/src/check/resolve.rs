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
    let written = id.to_string();
    let help = if let Some(example) =
        mcauth_syntax::lost_to_the_shell(&written).filter(|_| id.class() == PrincipalClass::Other)
    {
        mcauth_syntax::shell_help(
            &written,
            &example,
            &format!("mcauth -e 'grant <role> to {example};'"),
        )
    } else if id.class() == PrincipalClass::Other {
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
    let help = match member_guess(cx, id) {
        Some(guess) => format!("did you mean `{guess}`? (otherwise: {help})"),
        None => help,
    };
    Failure::new(
        FailureCode::InvalidAccountName,
        format!("Invalid account Name {id}"),
        p.span,
        "not a member of the project",
        help,
    )
}

/// The member whose name is a likely misspelling of `id`. A project with
/// very many members is not searched: a failure costs at most a bounded
/// scan.
fn member_guess<V: StateView + ?Sized>(cx: &Cx<'_, V>, id: &PrincipalId) -> Option<String> {
    const MAX_MEMBERS: usize = 10_000;
    if !cx.view.knows(Fact::Members) {
        return None;
    }
    if cx.view.member_count() > MAX_MEMBERS {
        return None;
    }
    let members = cx.view.members();
    // Members are compared by the name between their provider and account
    // and any `@domain` (`bob` of `RAM$acct:bob`, `fay` of
    // `ALIYUN$fay@example.com`): whole ids share long prefixes and
    // suffixes, which would make every user of an account look alike.
    let wanted = id.to_string();
    let (prefix, name, domain) = split_name(&wanted);
    let names: Vec<String> = members.iter().map(ToString::to_string).collect();
    let same: Vec<&str> = names
        .iter()
        .map(|m| split_name(m))
        .filter(|(p, _, d)| p.eq_ignore_ascii_case(prefix) && d.eq_ignore_ascii_case(domain))
        .map(|(_, n, _)| n)
        .collect();
    let guess = mcauth_syntax::did_you_mean(name, same.iter().copied())?;
    Some(format!("{prefix}{guess}{domain}"))
}

/// `RAM$acct:bob` → (`RAM$acct:`, `bob`, ``); `ALIYUN$x@y.com` →
/// (`ALIYUN$`, `x`, `@y.com`).
fn split_name(id: &str) -> (&str, &str, &str) {
    let at = id.rfind([':', '$']).map_or(0, |i| i + 1);
    let (prefix, rest) = id.split_at(at);
    let (name, domain) = rest.split_at(rest.find('@').unwrap_or(rest.len()));
    (prefix, name, domain)
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
