//! Who may run what: the owner / Super_Administrator / Admin matrix of
//! docs/language.md#built-in-roles-and-authority.
//!
//! **Choices where the docs are silent:**
//! - Account-provider *changes* are owner-only (older doc: "只有项目空间的Owner
//!   有权限进行accountproviders的相关操作"); *listing* them is a read and is
//!   allowed to the owner, Super_Administrator and Admin.
//! - Super_Administrator holds "all management permissions", so it may
//!   grant and revoke both `admin` and `super_administrator`; Admin may
//!   grant neither.
//! - Holders of custom roles (even administrator-type ones, whose rights
//!   come from policies the engine does not evaluate) count as plain
//!   members: they may run `whoami` and `show grants` for themselves.
//! - Object creators' grant rights (`ObjectCreatorHasGrantPermission`)
//!   are weighed by `check::creator`, after this matrix refuses a member.

use mcauth_syntax::Span;
use serde::Serialize;

use crate::check::Caller;
use crate::failure::{Failure, FailureCode};
use crate::names::RoleName;
use crate::view::StateView;

/// The caller's standing in the project, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The project's owner.
    Owner,
    /// A holder of the built-in `super_administrator` role.
    SuperAdministrator,
    /// A holder of the built-in `admin` role.
    Admin,
    /// Any other member.
    Member,
    /// Not a member of the project.
    Outsider,
}

/// The caller's standing in the project the view shows.
pub fn authority(view: &(impl StateView + ?Sized), caller: &Caller) -> Authority {
    if &caller.principal == view.owner() {
        Authority::Owner
    } else if !view.is_member(&caller.principal) {
        Authority::Outsider
    } else if view.has_role(&caller.principal, &RoleName::super_administrator()) {
        Authority::SuperAdministrator
    } else if view.has_role(&caller.principal, &RoleName::admin()) {
        Authority::Admin
    } else {
        Authority::Member
    }
}

/// A management action of that table, named as in the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    AddUser,
    RemoveUser,
    ListUsers,
    ListUserRoles,
    CreateRole,
    DescribeRole,
    DropRole,
    ListRoles,
    GrantRole,
    RevokeRole,
    ListRolePrincipals,
    Grant,
    Revoke,
    ShowGrants,
    ShowAcl,
    PurgePrivileges,
    SetSecurityConfiguration,
    GetSecurityConfiguration,
    AddTrustedProject,
    RemoveTrustedProject,
    ListTrustedProjects,
    CreatePackage,
    DropPackage,
    AddPackageResource,
    RemovePackageResource,
    AllowInstallPackage,
    DisallowInstallPackage,
    ShowPackages,
    DescribePackage,
    InstallPackage,
    UninstallPackage,
    GrantLabel,
    RevokeLabel,
    ShowLabelGrants,
    SetDataLabel,
    ClearExpiredGrants,
    ListAccountProviders,
    UpdateAccountProviders,
    TenantRoleToProject,
    PutProjectPolicy,
    GetProjectPolicy,
    PutRolePolicy,
    GetRolePolicy,
    PutSecurityPolicy,
    GetSecurityPolicy,
    UpdateProject,
    ManageGroups,
    ManageRowAccessPolicies,
    ManageMaskingPolicies,
}

/// The weakest standing that may run an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Owner,
    SuperAdministrator,
    Admin,
}

impl Action {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Action::AddUser => "AddUser",
            Action::RemoveUser => "RemoveUser",
            Action::ListUsers => "ListUsers",
            Action::ListUserRoles => "ListUserRoles",
            Action::CreateRole => "CreateRole",
            Action::DescribeRole => "DescribeRole",
            Action::DropRole => "DropRole",
            Action::ListRoles => "ListRoles",
            Action::GrantRole => "GrantRole",
            Action::RevokeRole => "RevokeRole",
            Action::ListRolePrincipals => "ListRolePrincipals",
            Action::Grant => "Grant",
            Action::Revoke => "Revoke",
            Action::ShowGrants => "ShowGrants",
            Action::ShowAcl => "ShowAcl",
            Action::PurgePrivileges => "PurgePrivileges",
            Action::SetSecurityConfiguration => "SetSecurityConfiguration",
            Action::GetSecurityConfiguration => "GetSecurityConfiguration",
            Action::AddTrustedProject => "AddTrustedProject",
            Action::RemoveTrustedProject => "RemoveTrustedProject",
            Action::ListTrustedProjects => "ListTrustedProjects",
            Action::CreatePackage => "CreatePackage",
            Action::DropPackage => "DropPackage",
            Action::AddPackageResource => "AddPackageResource",
            Action::RemovePackageResource => "RemovePackageResource",
            Action::AllowInstallPackage => "AllowInstallPackage",
            Action::DisallowInstallPackage => "DisallowInstallPackage",
            Action::ShowPackages => "ShowPackages",
            Action::DescribePackage => "DescribePackage",
            Action::InstallPackage => "InstallPackage",
            Action::UninstallPackage => "UninstallPackage",
            Action::GrantLabel => "GrantLabel",
            Action::RevokeLabel => "RevokeLabel",
            Action::ShowLabelGrants => "ShowLabelGrants",
            Action::SetDataLabel => "SetDataLabel",
            Action::ClearExpiredGrants => "ClearExpiredGrants",
            Action::ListAccountProviders => "ListAccountProviders",
            Action::UpdateAccountProviders => "UpdateAccountProviders",
            Action::TenantRoleToProject => "AddTenantRoleToProject",
            Action::PutProjectPolicy => "PutPolicy",
            Action::GetProjectPolicy => "GetPolicy",
            Action::PutRolePolicy => "PutRolePolicy",
            Action::GetRolePolicy => "GetRolePolicy",
            Action::PutSecurityPolicy => "PutSecurityPolicy",
            Action::GetSecurityPolicy => "GetSecurityPolicy",
            Action::UpdateProject => "UpdateProject",
            Action::ManageGroups => "ManageGroups",
            Action::ManageRowAccessPolicies => "ManageRowAccessPolicy",
            Action::ManageMaskingPolicies => "ManageDataMaskingPolicy",
        }
    }

    /// Whether only the project owner may run it (the owner is always
    /// known, so this is decided whatever a backend has read).
    pub(crate) fn owner_only(self) -> bool {
        self.needs() == Needs::Owner
    }

    fn needs(self) -> Needs {
        use Action::*;
        match self {
            UpdateAccountProviders => Needs::Owner,
            SetSecurityConfiguration
            | AddTrustedProject
            | RemoveTrustedProject
            | CreatePackage
            | DropPackage
            | AddPackageResource
            | RemovePackageResource
            | AllowInstallPackage
            | DisallowInstallPackage
            | ShowPackages
            | TenantRoleToProject
            | PutProjectPolicy
            | PutSecurityPolicy
            | UpdateProject => Needs::SuperAdministrator,
            AddUser
            | RemoveUser
            | ListUsers
            | ListUserRoles
            | CreateRole
            | DescribeRole
            | DropRole
            | ListRoles
            | GrantRole
            | RevokeRole
            | ListRolePrincipals
            | Grant
            | Revoke
            | ShowGrants
            | ShowAcl
            | PurgePrivileges
            | GetSecurityConfiguration
            | ListTrustedProjects
            | DescribePackage
            | InstallPackage
            | UninstallPackage
            | GrantLabel
            | RevokeLabel
            | ShowLabelGrants
            | SetDataLabel
            | ClearExpiredGrants
            | ListAccountProviders
            | GetProjectPolicy
            | PutRolePolicy
            | GetRolePolicy
            | GetSecurityPolicy
            | ManageGroups
            | ManageRowAccessPolicies
            | ManageMaskingPolicies => Needs::Admin,
        }
    }
}

fn allowed(a: Authority, needs: Needs) -> bool {
    match needs {
        Needs::Owner => a == Authority::Owner,
        Needs::SuperAdministrator => a <= Authority::SuperAdministrator,
        Needs::Admin => a <= Authority::Admin,
    }
}

/// The documented denial for a caller who is not in the project.
pub(crate) fn not_in_project(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    span: impl Into<Span>,
) -> Failure {
    Failure::new(
        FailureCode::CallerNotInProject,
        format!(
            "ODPS-0420095: Access Denied - Authorization Failed [4002], You don't exist in project {}.",
            view.project()
        ),
        span,
        "run by someone who is not in the project",
        format!(
            "the owner ({}) must add the caller first: add user {};",
            view.owner(),
            caller.principal.to_statement_text()
        ),
    )
}

/// Checks that the caller may run `action`; `statement` is the canonical
/// text of the statement, quoted in the help.
pub(crate) fn require(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    action: Action,
    span: Span,
    statement: &dyn Fn() -> String,
) -> Result<Authority, Failure> {
    let a = authority(view, caller);
    if a == Authority::Outsider {
        return Err(not_in_project(view, caller, span));
    }
    let needs = action.needs();
    if allowed(a, needs) {
        return Ok(a);
    }
    let message = format!(
        "ODPS-0420095: Access Denied - You have no privilege 'odps:{}' on {{acs:odps:*:projects/{}}}",
        action.name(),
        view.project()
    );
    let who = caller.principal.to_statement_text();
    let help = match needs {
        Needs::Owner => format!(
            "only the project owner may do this; run it as {}: {}",
            view.owner(),
            statement()
        ),
        Needs::SuperAdministrator => format!(
            "this needs the owner or Super_Administrator; the owner can run: grant super_administrator to {who};"
        ),
        Needs::Admin => format!(
            "this needs the owner, Super_Administrator or Admin; the owner can run: grant admin to {who};"
        ),
    };
    Err(Failure::new(
        FailureCode::PermissionDenied,
        message,
        span,
        format!("{} may not do this", caller.principal),
        help,
    ))
}
