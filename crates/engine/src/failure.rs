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

mcauth_codes::catalogue! {
    /// Stable failure codes. A code never changes meaning; new kinds of
    /// failure get new codes. Serialised as its full text
    /// (`mcauth::engine::lack_of_account_provider`).
    pub enum FailureCode in "mcauth::engine::" {
        /// A RAM principal while the project lacks the RAM account provider.
        LackOfAccountProvider => "lack_of_account_provider",
            help "add accountprovider ram;";
        /// A RAM user or role of another Alibaba Cloud account.
        OtherAccountRamUser => "other_account_ram_user",
            help "name a RAM user or role of the project owner's account";
        /// A principal that is not in the project (or cannot be resolved).
        InvalidAccountName => "invalid_account_name",
            help "add the user to the project first (add user …;)";
        /// A name with no account provider where one must be written.
        BarePrincipal => "bare_principal",
            help "write the provider: ALIYUN$name or RAM$account:name";
        /// `add user` of a member.
        UserAlreadyExists => "user_already_exists",
            help "leave the statement out, or run with --skip-existing";
        /// `add user` / `remove user` of the project owner.
        OwnerIsImplicit => "owner_is_implicit",
            help "the owner is always a member; leave the statement out";
        /// `remove user` while the user holds roles.
        UserHoldsRoles => "user_holds_roles",
            help "revoke the user's roles first (revoke role from user;)";
        /// `remove user p4_…`.
        ResidueNotRemovable => "residue_not_removable",
            help "a p4_ residue cannot be removed; purge its grants with purge privs";
        /// `purge privs` while the user or role still exists.
        PrincipalStillExists => "principal_still_exists",
            help "remove the user or drop the role first";
        /// A role that does not exist.
        RoleNotFound => "role_not_found",
            help "create it first (create role …;), or check the name";
        /// `create role` of a role that exists.
        RoleAlreadyExists => "role_already_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A name that cannot be a role's.
        InvalidRoleName => "invalid_role_name",
            help "choose another name";
        /// `grant <role>` of a role the principal holds.
        RoleAlreadyGranted => "role_already_granted",
            help "leave the statement out, or run with --skip-existing";
        /// `revoke <role>` of a role the principal does not hold.
        RoleNotGranted => "role_not_granted",
            help "leave the statement out";
        /// `drop role` while the role is assigned.
        RoleInUse => "role_in_use",
            help "revoke the role from its holders first";
        /// Dropping or changing `admin` / `super_administrator`.
        BuiltinRole => "builtin_role",
            help "built-in roles cannot be dropped or changed; use a role of your own";
        /// The caller's role does not allow the statement
        /// (docs/language.md#built-in-roles-and-authority).
        PermissionDenied => "permission_denied",
            help "run it as the owner or an administrator, or ask one to";
        /// The caller is neither the owner nor a member.
        CallerNotInProject => "caller_not_in_project",
            help "ask the owner to add you to the project";
        /// A privilege name unknown, or not valid for the object type
        /// (docs/language.md#privileges-per-object-type).
        InvalidPrivilege => "invalid_privilege",
            help "use a privilege the object type has";
        /// An object of another project, or a malformed object name.
        InvalidObject => "invalid_object",
            help "name an object of this project";
        /// A policy grant (`"policy"="true"`) to a user.
        PolicyGrantToUser => "policy_grant_to_user",
            help "grant it to a role and grant the role to the user";
        /// An ACL grant to an administrator-type role.
        AclGrantToAdminRole => "acl_grant_to_admin_role",
            help "grant it to a resource-type role";
        /// `with grant option`.
        GrantOptionNotSupported => "grant_option_not_supported",
            help "leave out with grant option";
        /// `"allow"="false"` without `"policy"="true"`.
        AclDenyNotSupported => "acl_deny_not_supported",
            help "add \"policy\"=\"true\" to deny by policy";
        /// A `privilegeproperties` key or value that is not accepted.
        InvalidProperty => "invalid_property",
            help "see docs/language.md for the keys and values";
        /// An account provider other than ALIYUN or RAM.
        UnknownAccountProvider => "unknown_account_provider",
            help "use aliyun or ram";
        /// Removing `ALIYUN`.
        AliyunProviderRequired => "aliyun_provider_required",
            help "leave the ALIYUN provider in place";
        /// Removing `RAM` while RAM members exist.
        AccountProviderInUse => "account_provider_in_use",
            help "remove the RAM members first";
        /// Adding a trusted project that is already trusted.
        TrustedProjectExists => "trusted_project_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A trusted project that is not trusted.
        TrustedProjectNotFound => "trusted_project_not_found",
            help "check the name (list trustedprojects;)";
        /// `create package` of a package that exists.
        PackageExists => "package_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A package that does not exist.
        PackageNotFound => "package_not_found",
            help "check the name (show packages;)";
        /// A package that is not installed in the project.
        PackageNotInstalled => "package_not_installed",
            help "install the package first (install package …;)";
        /// Adding a tenant user that exists.
        TenantUserExists => "tenant_user_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A tenant user that does not exist.
        TenantUserNotFound => "tenant_user_not_found",
            help "add the user to the tenant first";
        /// A statement the local model cannot carry out meaningfully.
        UnsupportedLocally => "unsupported_locally",
            help "run it against MaxCompute (--endpoint)";
        /// `put … policy FILE` without the file's text in the context.
        PolicyDocumentMissing => "policy_document_missing",
            help "check that the policy file can be read";
        /// `add group` of a group that exists.
        GroupExists => "group_exists",
            help "leave the statement out, or run with --skip-existing";
        /// `remove group` of a group that does not exist.
        GroupNotFound => "group_not_found",
            help "check the name";
        /// `create row access policy` of a name the table already has.
        RowAccessPolicyExists => "row_access_policy_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A row access policy the table does not have.
        RowAccessPolicyNotFound => "row_access_policy_not_found",
            help "check the policy and table names";
        /// `create data masking policy` of a name in use.
        MaskingPolicyExists => "masking_policy_exists",
            help "leave the statement out, or run with --skip-existing";
        /// A data masking policy that does not exist.
        MaskingPolicyNotFound => "masking_policy_not_found",
            help "check the name";
        /// Row access policies and data masking on the same table.
        AccessRulesExclusive => "access_rules_exclusive",
            help "a table has row access policies or data masking, not both; drop one first";
    }
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
}

mcauth_codes::catalogue! {
    /// Stable warning codes, serialised as their full text.
    pub enum WarningCode in "mcauth::engine::" {
        /// A RAM user holding roles would leave a `p4_…` residue if deleted in RAM.
        ResidueRisk => "residue_risk",
            help "revoke the user's roles and remove it from the project before deleting it in RAM";
        /// Re-adding a user or re-creating a role re-activates retained grants.
        RetainedGrantsRestored => "retained_grants_restored",
            help "purge privs before re-adding, if the old grants must not come back";
        /// Removing a user or dropping a role keeps its grants, dormant.
        GrantsRetained => "grants_retained",
            help "purge privs to remove the grants for good";
        /// The statement changes nothing (already so).
        NoEffect => "no_effect";
        /// Something the engine records without being able to verify it:
        /// a fact it was not given, left for MaxCompute to judge.
        NotVerified => "not_verified";
        /// With `--skip-existing`: the statement would fail only because what
        /// it makes is already there, so it is skipped.
        Skipped => "skipped";
    }
}

/// A statement that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// What kind of failure this is.
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
    /// A failure with its code, message, span, label and help, and no warnings.
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

    /// Adds a warning that goes with the failure.
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
    /// What kind of warning this is.
    pub code: WarningCode,
    /// What the warning says.
    pub message: String,
    /// The part of the statement it is about.
    pub span: Span,
    /// How to avoid it, when there is a way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Warning {
    /// A warning without help.
    pub fn new(code: WarningCode, message: impl Into<String>, span: impl Into<Span>) -> Self {
        Warning {
            code,
            message: message.into(),
            span: span.into(),
            help: None,
        }
    }

    /// Adds help to the warning.
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
