//! Who runs statements: the local identity (the owner of projects it
//! creates), or the principal named by `--as`.

use mcauth_engine::{Caller, PrincipalId};

/// The local identity: `MCAUTH_IDENTITY` if set, else `ALIYUN$<login>`.
pub fn local_identity() -> Result<PrincipalId, String> {
    if let Some(text) = std::env::var("MCAUTH_IDENTITY")
        .ok()
        .filter(|v| !v.is_empty())
    {
        return parse_principal(&text, "MCAUTH_IDENTITY");
    }
    let login = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "owner".to_owned());
    Ok(PrincipalId::aliyun(&login))
}

/// Reads a principal written as in a statement (`RAM$acct:bob`,
/// `` `RAM$acct:role/etl` ``, `ALIYUN$me@example.com`).
pub fn parse_principal(text: &str, what: &str) -> Result<PrincipalId, String> {
    let statement = format!("add user {text};");
    let parsed = mcauth_syntax::parse_statement(&statement).map_err(|errors| {
        let why = errors.first().map(|e| e.message.clone()).unwrap_or_default();
        match mcauth_syntax::lost_to_the_shell(text) {
            Some(example) => format!(
                "{what}: `{text}` is not a principal; {}",
                mcauth_syntax::shell_help(text, &example, &format!("{what} '{example}'"))
            ),
            None => format!(
                "{what}: `{text}` is not a principal ({why}); write it as in a statement, in single quotes, e.g. {what} 'RAM$acct:bob'"
            ),
        }
    })?;
    match parsed.kind {
        mcauth_syntax::ast::StatementKind::AddUser { principal, .. } => {
            if let mcauth_syntax::ast::PrincipalKind::Bare { name } = &principal.kind
                && let Some(example) = mcauth_syntax::lost_to_the_shell(name)
            {
                let flag = if what == "--as" {
                    format!("--as '{example}'")
                } else {
                    format!("{what}='{example}'")
                };
                return Err(format!(
                    "{what}: `{text}` is not a principal; {}",
                    mcauth_syntax::shell_help(name, &example, &flag)
                ));
            }
            let id = PrincipalId::from_kind(&principal.kind, "");
            if id.is_ram() && id.account().is_none_or(str::is_empty) {
                return Err(format!(
                    "{what}: `{text}` needs its account, e.g. RAM$<account>:<name>"
                ));
            }
            Ok(id)
        }
        _ => Err(format!("{what}: `{text}` is not a principal")),
    }
}

/// The caller: `--as` if given, else the local identity.
pub fn caller(as_principal: Option<&str>) -> Result<Caller, String> {
    let principal = match as_principal {
        Some(text) => parse_principal(text, "--as")?,
        None => local_identity()?,
    };
    Ok(Caller::from_principal(principal))
}
