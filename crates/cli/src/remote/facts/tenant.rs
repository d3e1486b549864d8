//! The tenant's users and roles: `list tenant users`, `list tenant
//! roles` and `show principals for tenant role r`, one name a line.
//!
//! Which tenant roles were added to the project (`add tenant role r to
//! project p`) is not read: no statement shows it, neither in
//! MaxCompute's documented output nor in the emulator's, so that kind
//! ([`mcauth_engine::Fact::TenantRolesInProject`]) stays unknown and the
//! checks that need it pass with a `not_verified` warning.

use mcauth_engine::{Change, PrincipalId, RoleName};

use super::text::{ParseError, excerpt, lines};

pub const USERS: &str = "list tenant users";
pub const ROLES: &str = "list tenant roles";

/// The statement that lists who holds a tenant role.
pub fn principals(role: &RoleName) -> String {
    format!("show principals for tenant role {role}")
}

/// The tenant roles listed, built-in ones included.
pub fn parse_roles(text: &str) -> Result<Vec<RoleName>, ParseError> {
    let mut roles = Vec::new();
    for (n, line) in lines(text) {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        if name.contains(char::is_whitespace) {
            return Err(ParseError::at(
                n,
                format!("`{}` is not a role name", excerpt(name)),
            ));
        }
        roles.push(RoleName::new(name));
    }
    Ok(roles)
}

/// The changes that give `role` to every principal listed.
pub fn parse_holders(role: &RoleName, text: &str) -> Result<Vec<Change>, ParseError> {
    let mut changes = Vec::new();
    for (n, line) in lines(text) {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        let principal = PrincipalId::parse(name, "")
            .ok_or_else(|| ParseError::at(n, format!("`{}` is not a principal", excerpt(name))))?;
        changes.push(Change::GrantTenantRole {
            role: role.clone(),
            principal,
        });
    }
    Ok(changes)
}

/// The changes that add every tenant user listed.
pub fn parse_users(text: &str) -> Result<Vec<Change>, ParseError> {
    let mut changes = Vec::new();
    for (n, line) in lines(text) {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        let principal = PrincipalId::parse(name, "")
            .ok_or_else(|| ParseError::at(n, format!("`{}` is not a principal", excerpt(name))))?;
        changes.push(Change::AddTenantUser { principal });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_their_holders() {
        let roles = parse_roles("admin\nsuper_administrator\nEtl_Ops\n").expect("reads");
        assert_eq!(
            roles,
            [
                RoleName::admin(),
                RoleName::super_administrator(),
                RoleName::new("etl_ops")
            ]
        );
        assert_eq!(parse_roles("two words").map_err(|e| e.line), Err(1));
        let holders =
            parse_holders(&RoleName::new("etl_ops"), "RAM$a@x.com:bob\n\n").expect("reads");
        assert_eq!(
            holders,
            [Change::GrantTenantRole {
                role: RoleName::new("etl_ops"),
                principal: PrincipalId::ram_user("a@x.com", "bob"),
            }]
        );
        assert!(parse_holders(&RoleName::admin(), "RAM$a@x.com:bob\nFOO$x").is_err());
    }

    #[test]
    fn one_principal_a_line() {
        assert_eq!(parse_users(""), Ok(vec![]));
        let changes =
            parse_users("RAM$a@x.com:bob\n`RAM$a@x.com:role/etl`\r\nram$a@x.com:Al$ice\n")
                .expect("reads");
        assert_eq!(
            changes,
            vec![
                Change::AddTenantUser {
                    principal: PrincipalId::ram_user("a@x.com", "bob")
                },
                Change::AddTenantUser {
                    principal: PrincipalId::ram_role("a@x.com", "etl")
                },
                Change::AddTenantUser {
                    principal: PrincipalId::ram_user("a@x.com", "Al$ice")
                },
            ]
        );
        assert_eq!(
            parse_users("RAM$a@x.com:bob\nFOO$x").map_err(|e| e.line),
            Err(2)
        );
    }
}
