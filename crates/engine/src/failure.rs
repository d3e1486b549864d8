//! Why a statement cannot run, and warnings about one that can.
//!
//! Every [`Failure`] has a stable [`FailureCode`], MaxCompute's documented
//! message where one exists (in the docs' exact words, without the
//! `FAILED: ` prefix the CLI adds), the span of the principal or role at
//! fault, and help that contains a statement that fixes it.

use std::fmt;

use mcauth_syntax::Span;
use miette::{Diagnostic, LabeledSpan, Severity};
use serde::Serialize;

/// Stable failure codes. A code never changes meaning; new kinds of
/// failure get new codes. Serialised as its full text
/// (`mcauth::engine::lack_of_account_provider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureCode {
    /// A RAM principal while the project lacks the RAM account provider.
    LackOfAccountProvider,
    /// A RAM user or role of another Alibaba Cloud account.
    OtherAccountRamUser,
    /// A principal that is not in the project (or cannot be resolved).
    InvalidAccountName,
    /// A name with no account provider where one must be written.
    BarePrincipal,
    /// `add user` of a member.
    UserAlreadyExists,
    /// `add user` / `remove user` of the project owner.
    OwnerIsImplicit,
    /// `remove user` while the user holds roles.
    UserHoldsRoles,
    /// `remove user p4_…`.
    ResidueNotRemovable,
    /// `purge privs` while the user or role still exists.
    PrincipalStillExists,
    RoleNotFound,
    RoleAlreadyExists,
    InvalidRoleName,
    /// `grant <role>` of a role the principal holds.
    RoleAlreadyGranted,
    /// `revoke <role>` of a role the principal does not hold.
    RoleNotGranted,
    /// `drop role` while the role is assigned.
    RoleInUse,
    /// Dropping or changing `admin` / `super_administrator`.
    BuiltinRole,
    /// The caller's role does not allow the statement
    /// (docs/language.md#built-in-roles-and-authority).
    PermissionDenied,
    /// The caller is neither the owner nor a member.
    CallerNotInProject,
    /// A privilege name unknown, or not valid for the object type
    /// (docs/language.md#privileges-per-object-type).
    InvalidPrivilege,
    /// An object of another project, or a malformed object name.
    InvalidObject,
    /// A policy grant (`"policy"="true"`) to a user.
    PolicyGrantToUser,
    /// An ACL grant to an administrator-type role.
    AclGrantToAdminRole,
    /// `with grant option`.
    GrantOptionNotSupported,
    /// `"allow"="false"` without `"policy"="true"`.
    AclDenyNotSupported,
    /// A `privilegeproperties` key or value that is not accepted.
    InvalidProperty,
    UnknownAccountProvider,
    /// Removing `ALIYUN`.
    AliyunProviderRequired,
    /// Removing `RAM` while RAM members exist.
    AccountProviderInUse,
    TrustedProjectExists,
    TrustedProjectNotFound,
    PackageExists,
    PackageNotFound,
    PackageNotInstalled,
    TenantUserExists,
    TenantUserNotFound,
    /// A statement the local model cannot carry out meaningfully.
    UnsupportedLocally,
    /// `put … policy FILE` without the file's text in the context.
    PolicyDocumentMissing,
    /// `add group` of a group that exists.
    GroupExists,
    /// `remove group` of a group that does not exist.
    GroupNotFound,
    /// `create row access policy` of a name the table already has.
    RowAccessPolicyExists,
    /// A row access policy the table does not have.
    RowAccessPolicyNotFound,
    /// `create data masking policy` of a name in use.
    MaskingPolicyExists,
    /// A data masking policy that does not exist.
    MaskingPolicyNotFound,
    /// Row access policies and data masking on the same table.
    AccessRulesExclusive,
}

impl FailureCode {
    /// Whether the failure says only that what the statement makes is
    /// already there (a member, a role, a role grant, a trusted project,
    /// a package, a tenant user, a group, a row access or masking
    /// policy): what `--skip-existing` skips, so that an onboarding
    /// script can run again.
    pub fn is_already_there(self) -> bool {
        matches!(
            self,
            FailureCode::UserAlreadyExists
                | FailureCode::RoleAlreadyExists
                | FailureCode::RoleAlreadyGranted
                | FailureCode::TrustedProjectExists
                | FailureCode::PackageExists
                | FailureCode::TenantUserExists
                | FailureCode::GroupExists
                | FailureCode::RowAccessPolicyExists
                | FailureCode::MaskingPolicyExists
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::LackOfAccountProvider => "mcauth::engine::lack_of_account_provider",
            FailureCode::OtherAccountRamUser => "mcauth::engine::other_account_ram_user",
            FailureCode::InvalidAccountName => "mcauth::engine::invalid_account_name",
            FailureCode::BarePrincipal => "mcauth::engine::bare_principal",
            FailureCode::UserAlreadyExists => "mcauth::engine::user_already_exists",
            FailureCode::OwnerIsImplicit => "mcauth::engine::owner_is_implicit",
            FailureCode::UserHoldsRoles => "mcauth::engine::user_holds_roles",
            FailureCode::ResidueNotRemovable => "mcauth::engine::residue_not_removable",
            FailureCode::PrincipalStillExists => "mcauth::engine::principal_still_exists",
            FailureCode::RoleNotFound => "mcauth::engine::role_not_found",
            FailureCode::RoleAlreadyExists => "mcauth::engine::role_already_exists",
            FailureCode::InvalidRoleName => "mcauth::engine::invalid_role_name",
            FailureCode::RoleAlreadyGranted => "mcauth::engine::role_already_granted",
            FailureCode::RoleNotGranted => "mcauth::engine::role_not_granted",
            FailureCode::RoleInUse => "mcauth::engine::role_in_use",
            FailureCode::BuiltinRole => "mcauth::engine::builtin_role",
            FailureCode::PermissionDenied => "mcauth::engine::permission_denied",
            FailureCode::CallerNotInProject => "mcauth::engine::caller_not_in_project",
            FailureCode::InvalidPrivilege => "mcauth::engine::invalid_privilege",
            FailureCode::InvalidObject => "mcauth::engine::invalid_object",
            FailureCode::PolicyGrantToUser => "mcauth::engine::policy_grant_to_user",
            FailureCode::AclGrantToAdminRole => "mcauth::engine::acl_grant_to_admin_role",
            FailureCode::GrantOptionNotSupported => "mcauth::engine::grant_option_not_supported",
            FailureCode::AclDenyNotSupported => "mcauth::engine::acl_deny_not_supported",
            FailureCode::InvalidProperty => "mcauth::engine::invalid_property",
            FailureCode::UnknownAccountProvider => "mcauth::engine::unknown_account_provider",
            FailureCode::AliyunProviderRequired => "mcauth::engine::aliyun_provider_required",
            FailureCode::AccountProviderInUse => "mcauth::engine::account_provider_in_use",
            FailureCode::TrustedProjectExists => "mcauth::engine::trusted_project_exists",
            FailureCode::TrustedProjectNotFound => "mcauth::engine::trusted_project_not_found",
            FailureCode::PackageExists => "mcauth::engine::package_exists",
            FailureCode::PackageNotFound => "mcauth::engine::package_not_found",
            FailureCode::PackageNotInstalled => "mcauth::engine::package_not_installed",
            FailureCode::TenantUserExists => "mcauth::engine::tenant_user_exists",
            FailureCode::TenantUserNotFound => "mcauth::engine::tenant_user_not_found",
            FailureCode::UnsupportedLocally => "mcauth::engine::unsupported_locally",
            FailureCode::PolicyDocumentMissing => "mcauth::engine::policy_document_missing",
            FailureCode::GroupExists => "mcauth::engine::group_exists",
            FailureCode::GroupNotFound => "mcauth::engine::group_not_found",
            FailureCode::RowAccessPolicyExists => "mcauth::engine::row_access_policy_exists",
            FailureCode::RowAccessPolicyNotFound => "mcauth::engine::row_access_policy_not_found",
            FailureCode::MaskingPolicyExists => "mcauth::engine::masking_policy_exists",
            FailureCode::MaskingPolicyNotFound => "mcauth::engine::masking_policy_not_found",
            FailureCode::AccessRulesExclusive => "mcauth::engine::access_rules_exclusive",
        }
    }
}

impl Serialize for FailureCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for WarningCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for FailureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Stable warning codes, serialised as their full text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarningCode {
    /// A RAM user holding roles would leave a `p4_…` residue if deleted in RAM.
    ResidueRisk,
    /// Re-adding a user or re-creating a role re-activates retained grants.
    RetainedGrantsRestored,
    /// Removing a user or dropping a role keeps its grants, dormant.
    GrantsRetained,
    /// The statement changes nothing (already so).
    NoEffect,
    /// Something the engine records without being able to verify it.
    NotVerified,
    /// With `--skip-existing`: the statement would fail only because what
    /// it makes is already there, so it is skipped.
    Skipped,
}

impl WarningCode {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::ResidueRisk => "mcauth::engine::residue_risk",
            WarningCode::RetainedGrantsRestored => "mcauth::engine::retained_grants_restored",
            WarningCode::GrantsRetained => "mcauth::engine::grants_retained",
            WarningCode::NoEffect => "mcauth::engine::no_effect",
            WarningCode::NotVerified => "mcauth::engine::not_verified",
            WarningCode::Skipped => "mcauth::engine::skipped",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A statement that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub code: FailureCode,
    /// MaxCompute's documented message where there is one.
    pub message: String,
    /// The principal, role, privilege or statement at fault.
    pub span: Span,
    /// What the label under the span says.
    pub label: String,
    /// How to fix it, with a statement that does.
    pub help: String,
    /// Warnings that go with the failure (e.g. the `p4_…` residue risk).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Failure {
    pub fn new(
        code: FailureCode,
        message: impl Into<String>,
        span: impl Into<Span>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Failure {
            code,
            message: message.into(),
            span: span.into(),
            label: label.into(),
            help: help.into(),
            warnings: Vec::new(),
        }
    }

    pub fn with_warning(mut self, warning: Warning) -> Self {
        self.warnings.push(warning);
        self
    }
}

impl Diagnostic for Failure {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.warnings.is_empty() {
            None
        } else {
            Some(Box::new(self.warnings.iter().map(|w| w as &dyn Diagnostic)))
        }
    }
}

/// Something worth knowing about a statement that runs (or fails).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Warning {
    pub fn new(code: WarningCode, message: impl Into<String>, span: impl Into<Span>) -> Self {
        Warning {
            code,
            message: message.into(),
            span: span.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic for Warning {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, self.span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_diagnostics_with_code_help_and_one_label() {
        let f = Failure::new(
            FailureCode::LackOfAccountProvider,
            "lack of account provider, principalName RAM$a:b",
            Span::new(9, 16),
            "needs the RAM account provider",
            "add accountprovider ram;",
        );
        assert_eq!(
            f.code().map(|c| c.to_string()).as_deref(),
            Some("mcauth::engine::lack_of_account_provider")
        );
        assert_eq!(
            f.help().map(|c| c.to_string()).as_deref(),
            Some("add accountprovider ram;")
        );
        let labels: Vec<_> = f.labels().into_iter().flatten().collect();
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].offset(), 9);
        assert_eq!(labels[0].len(), 7);
        assert_eq!(
            f.to_string(),
            "lack of account provider, principalName RAM$a:b"
        );
    }
}
