//! Which security statements are answered `201` with an instance to poll
//! rather than `200` with their result.
//!
//! `install package` and `uninstall package` always are, as on MaxCompute
//! (PyODPS documents and tests it). With `--async` so is every statement
//! that may change the project, while every read — `whoami`, listings,
//! `show`, `describe`, `get policy`, `setproject` without properties —
//! stays synchronous, as PyODPS's `project.current_user` and odpscmd's
//! `whoami` expect. The match names every statement kind, so a new one
//! cannot be classified by accident.

use mcauth_syntax::ast::StatementKind;

/// Whether a statement of this kind is answered with an instance.
pub(crate) fn runs_asynchronously(kind: &StatementKind, async_mode: bool) -> bool {
    match Kind::of(kind) {
        Kind::AlwaysAsync => true,
        Kind::Read => false,
        Kind::Change => async_mode,
    }
}

/// How a statement kind is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Answered with an instance even without `--async`.
    AlwaysAsync,
    /// Reads the project only: answered at once.
    Read,
    /// May change the project: an instance under `--async`.
    Change,
}

impl Kind {
    fn of(kind: &StatementKind) -> Self {
        use StatementKind as K;
        match kind {
            K::InstallPackage { .. } | K::UninstallPackage { .. } => Self::AlwaysAsync,
            K::SetProject { properties } if properties.is_empty() => Self::Read,
            K::Whoami
            | K::ListUsers { .. }
            | K::ListAccountProviders
            | K::ListRoles { .. }
            | K::DescribeRole { .. }
            | K::ShowPrincipals { .. }
            | K::ShowRoleGrant { .. }
            | K::ShowGrants { .. }
            | K::ShowAcl { .. }
            | K::ShowSecurityConfiguration
            | K::GetPolicy { .. }
            | K::GetSecurityPolicy
            | K::ListTrustedProjects
            | K::ShowPackages { .. }
            | K::DescribePackage { .. }
            | K::ShowPackageItems { .. }
            | K::DescribePackageItems { .. }
            | K::ShowLabelGrants { .. }
            | K::ListGroups { .. }
            | K::DescribeRowAccessPolicy { .. }
            | K::ListRowAccessPolicies { .. }
            | K::DescribeMaskingPolicy { .. } => Self::Read,
            K::AddUser { .. }
            | K::RemoveUser { .. }
            | K::AddAccountProvider { .. }
            | K::RemoveAccountProvider { .. }
            | K::CreateRole { .. }
            | K::DropRole { .. }
            | K::GrantRoles { .. }
            | K::RevokeRoles { .. }
            | K::GrantPrivileges { .. }
            | K::RevokePrivileges { .. }
            | K::ClearExpiredGrants
            | K::PurgePrivileges { .. }
            | K::Set { .. }
            | K::AddTenantRoleToProject { .. }
            | K::RemoveTenantRoleFromProject { .. }
            | K::PutPolicy { .. }
            | K::PutSecurityPolicy { .. }
            | K::AddTrustedProject { .. }
            | K::RemoveTrustedProject { .. }
            | K::CreatePackage { .. }
            | K::DropPackage { .. }
            | K::AddToPackage { .. }
            | K::RemoveFromPackage { .. }
            | K::AllowInstallPackage { .. }
            | K::DisallowInstallPackage { .. }
            | K::SetLabel { .. }
            | K::GrantLabel { .. }
            | K::RevokeLabel { .. }
            | K::AddGroup { .. }
            | K::RemoveGroup { .. }
            | K::AlterUser { .. }
            | K::AlterRole { .. }
            | K::GrantSuper { .. }
            | K::RevokeSuper { .. }
            | K::SetProject { .. }
            | K::CreateRowAccessPolicy(..)
            | K::DropRowAccessPolicy { .. }
            | K::CreateMaskingPolicy { .. }
            | K::ApplyMaskingPolicy { .. }
            | K::UnapplyMaskingPolicy { .. }
            | K::DropMaskingPolicy { .. } => Self::Change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> StatementKind {
        mcauth_syntax::parse_statement(text)
            .map(|s| s.kind)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn reads_are_answered_at_once_even_with_async() {
        for read in [
            "whoami",
            "list users",
            "list tenant users",
            "show grants",
            "show package items",
            "describe package items table t1",
            "list row access policy on t1",
            "describe row access policy r1 on t1",
            "describe data masking policy m1",
            "setproject",
        ] {
            assert!(!runs_asynchronously(&kind(read), true), "{read}");
        }
    }

    #[test]
    fn changes_are_asynchronous_only_with_async_and_installs_always() {
        for change in [
            "create role r",
            "grant select on table t to role r",
            "setproject a=b",
        ] {
            assert!(runs_asynchronously(&kind(change), true), "{change}");
            assert!(!runs_asynchronously(&kind(change), false), "{change}");
        }
        for install in ["install package p.k", "uninstall package p.k"] {
            assert!(runs_asynchronously(&kind(install), false), "{install}");
        }
    }
}
