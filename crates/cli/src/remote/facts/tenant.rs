//! The tenant's users and roles: `list tenant users`, `list tenant
//! roles` and `show principals for tenant role r`, one name a line.
//!
//! Which tenant roles were added to the project (`add tenant role r to
//! project p`) is not read: no statement shows it, neither in
//! MaxCompute's documented output nor in the emulator's, so that kind
//! ([`mcauth_engine::Fact::TenantRolesInProject`]) stays unknown and the
//! checks that need it pass with a `not_verified` warning.

use mcauth_engine::{Change, RoleName};

use super::text::{ParseError, names, principal_lines};

pub const USERS: &str = "list tenant users";
pub const ROLES: &str = "list tenant roles";

/// The statement that lists who holds a tenant role.
pub fn principals(role: &RoleName) -> String {
    format!("show principals for tenant role {role}")
}

/// The tenant roles listed, built-in ones included.
pub fn parse_roles(text: &str) -> Result<Vec<RoleName>, ParseError> {
    Ok(names(text, "a role name")?
        .into_iter()
        .map(RoleName::new)
        .collect())
}

/// The changes that give `role` to every principal listed.
pub fn parse_holders(role: &RoleName, text: &str) -> Result<Vec<Change>, ParseError> {
    Ok(principal_lines(text)?
        .into_iter()
        .map(|principal| Change::GrantTenantRole {
            role: role.clone(),
            principal,
        })
        .collect())
}

/// The changes that add every tenant user listed.
pub fn parse_users(text: &str) -> Result<Vec<Change>, ParseError> {
    Ok(principal_lines(text)?
        .into_iter()
        .map(|principal| Change::AddTenantUser { principal })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_engine::PrincipalId;

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
