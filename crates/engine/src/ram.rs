//! RAM authorization of tenant-level statements (docs/seeds.md#ram-permissions).
//!
//! Account-level users and roles are governed by RAM actions such as
//! `odps:AddTenantUsers` on `acs:odps:<region>:<account-id>:tenantUsers/*`.
//! The engine knows which action each tenant statement needs
//! ([`ram_request`]); someone else evaluates the caller's RAM policies
//! (the emulator, through `mcauth-policy`) and hands the engine the
//! [`RamVerdict`] on the [`Caller`](crate::Caller). The engine then:
//! - allows on `Allow`;
//! - refuses on `ExplicitDeny`, naming the action and the ARN;
//! - on `ImplicitDeny`, falls back to the tenant roles
//!   (Super_Administrator; Admin for reads) and, if those do not allow it
//!   either, refuses naming the action and the ARN.

use mcauth_syntax::ast::{Statement, StatementKind};
use serde::{Deserialize, Serialize};

/// The RAM action a statement needs, on which resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RamRequest {
    /// `odps:AddTenantUsers`, …
    pub action: &'static str,
    /// The resource part of the ARN: `tenantUsers/*`, `tenantRoles/*` or
    /// `tenantRoles/<role>`; the full ARN is
    /// `acs:odps:<region>:<account-id>:<resource>`.
    pub resource: String,
}

/// What the caller's RAM policies decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RamDecision {
    /// A policy statement allows the action.
    Allow,
    /// A policy statement denies the action, whatever others allow.
    ExplicitDeny,
    /// No statement allows the action.
    ImplicitDeny,
}

/// A decision on one action and ARN, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamVerdict {
    /// The RAM action, e.g. `odps:CreateTenantRole`.
    pub action: String,
    /// The full ARN that was evaluated.
    pub arn: String,
    /// What the policies decided.
    pub decision: RamDecision,
    /// Which policy statement decided (for the denial's help), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

const USERS: &str = "tenantUsers/*";
const ROLES: &str = "tenantRoles/*";

/// The RAM action a tenant-level statement needs, or `None` for
/// statements that RAM does not govern (everything project-level).
pub fn ram_request(statement: &Statement) -> Option<RamRequest> {
    use StatementKind as K;
    let request = |action: &'static str, resource: &str| {
        Some(RamRequest {
            action,
            resource: resource.to_owned(),
        })
    };
    let role_arn = |name: &str| format!("tenantRoles/{}", name.to_ascii_lowercase());
    match &statement.kind {
        K::AddUser { tenant: true, .. } => request("odps:AddTenantUsers", USERS),
        K::RemoveUser { tenant: true, .. } => request("odps:RemoveTenantUsers", USERS),
        K::ListUsers { tenant: true } | K::ShowPrincipals { tenant: true, .. } => {
            request("odps:ListTenantUsers", USERS)
        }
        K::GrantRoles { tenant: true, .. } | K::RevokeRoles { tenant: true, .. } => {
            request("odps:UpdateTenantRolesToUser", USERS)
        }
        K::ListRoles { tenant: true } | K::DescribeRole { tenant: true, .. } => {
            request("odps:ListAllTenantRoles", ROLES)
        }
        K::CreateRole { tenant: true, .. } => request("odps:CreateTenantRole", ROLES),
        K::DropRole { tenant: true, role } => {
            request("odps:RemoveTenantRole", &role_arn(&role.value))
        }
        K::GetPolicy { role: Some(r) } if r.tenant => {
            request("odps:GetTenantRolePolicy", &role_arn(&r.role.value))
        }
        K::PutPolicy { role: Some(r), .. } if r.tenant => {
            request("odps:UpdateTenantRolePolicy", &role_arn(&r.role.value))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str) -> Option<(&'static str, String)> {
        let parsed = mcauth_syntax::parse(text);
        ram_request(&parsed.statements[0]).map(|r| (r.action, r.resource))
    }

    #[test]
    fn every_tenant_statement_names_its_seed_action() {
        let users = Some(("odps:AddTenantUsers", USERS.to_owned()));
        assert_eq!(req("add tenant user RAM$a:x;"), users);
        assert_eq!(
            req("list tenant roles;"),
            Some(("odps:ListAllTenantRoles", ROLES.to_owned()))
        );
        assert_eq!(
            req("drop tenant role Etl;"),
            Some(("odps:RemoveTenantRole", "tenantRoles/etl".to_owned()))
        );
        for (text, action) in [
            ("remove tenant user RAM$a:x;", "odps:RemoveTenantUsers"),
            ("list tenant users;", "odps:ListTenantUsers"),
            (
                "grant tenant role r to user RAM$a:x;",
                "odps:UpdateTenantRolesToUser",
            ),
            (
                "revoke tenant role r from user RAM$a:x;",
                "odps:UpdateTenantRolesToUser",
            ),
            ("create tenant role r;", "odps:CreateTenantRole"),
            ("get policy on tenant role r;", "odps:GetTenantRolePolicy"),
            (
                "put policy p.json on tenant role r;",
                "odps:UpdateTenantRolePolicy",
            ),
        ] {
            assert_eq!(req(text).map(|(a, _)| a), Some(action), "{text}");
        }
    }

    #[test]
    fn project_statements_are_not_ram_governed() {
        assert_eq!(req("add user RAM$a:x;"), None);
        assert_eq!(req("list users;"), None);
        assert_eq!(req("get policy on role r;"), None);
        assert_eq!(req("create role r;"), None);
    }
}
