//! The tenant's users, from `list tenant users`: one principal a line.
//!
//! The tenant's roles are not read: `list tenant roles` and `show
//! principals for tenant role r` would give the roles and who holds
//! them, but [`mcauth_engine::Fact::TenantRoles`] also covers which
//! tenant roles were added to the project (`add tenant role r to project
//! p`), and no statement shows that, neither in MaxCompute's documented
//! output nor in the emulator's (`list roles` lists project roles only,
//! `describe tenant role` its users and grants). Marking the kind known
//! would make the checks believe no tenant role is in the project, so it
//! stays unknown and those checks pass with a `not_verified` warning.

use mcauth_engine::{Change, PrincipalId};

use super::text::{ParseError, excerpt, lines};

pub const USERS: &str = "list tenant users";

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
