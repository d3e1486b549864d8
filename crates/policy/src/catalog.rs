//! The MaxCompute RAM catalogue: every fact this crate knows about `odps:*` actions, their
//! resources and condition keys, and the system policies. Nothing else in the crate names an
//! action, an ARN pattern or a system policy.
//!
//! Sources:
//! - MaxCompute's RAM permissions (docs/seeds.md#ram-permissions) for the actions, ARN patterns, `odps:Encryption`,
//!   the Bool operator, the two MaxCompute system policies and the ListProjects/GetProject
//!   default;
//! - RAM's "Create a RAM user" (docs/seeds.md#ram-users) for the high-risk system policies.
//!
//! In MaxCompute's RAM permission table an action row without its own ARN shares the ARN of the row
//! above it (merged cells); the entries below spell that out.

use serde::Serialize;

/// The permission table's categories, in the table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Project management
    ProjectManagement,
    /// Quota management
    QuotaManagement,
    /// Network connection management
    NetworkConnectionManagement,
    /// Tenant-level user and role management
    TenantUserAndRoleManagement,
    /// Cost analysis
    CostAnalysis,
}

impl Category {
    /// The category's title as the seed writes it.
    pub const fn title(self) -> &'static str {
        match self {
            Category::ProjectManagement => "Project management",
            Category::QuotaManagement => "Quota management",
            Category::NetworkConnectionManagement => "Network connection management",
            Category::TenantUserAndRoleManagement => "Tenant-level user and role management",
            Category::CostAnalysis => "Cost analysis",
        }
    }
}

/// One `odps:*` action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActionInfo {
    /// The action as written in policies, e.g. `odps:CreateProject`.
    pub name: &'static str,
    /// Its category in the permission table.
    pub category: Category,
    /// The ARN patterns of the resources it acts on, with `${...}` placeholders.
    pub arns: &'static [&'static str],
    /// The service-specific condition keys it supports.
    pub condition_keys: &'static [&'static str],
    /// What the action does.
    pub description: &'static str,
}

const PROJECTS_ALL: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:projects/*"];
const PROJECT: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:projects/${object-name}"];
const PROJECT_USERS: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:projectUsers/*"];
const QUOTA: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:quotas/${object-name}"];
const QUOTA_ROUTING_RULE: &[&str] =
    &["acs:odps:${region-id}:${resource-owner-id}:quotaRoutingRules/${quotaPath}"];
const NETWORK_LINKS_ALL: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:networkLinks/*"];
const NETWORK_LINK: &[&str] =
    &["acs:odps:${region-id}:${resource-owner-id}:networkLinks/${networkLinks-name}"];
// The seed's tenant patterns have no region segment, but its examples do
// (`acs:odps:cn-hangzhou:12345:tenantUsers/*`); both forms are accepted.
const TENANT_USERS_ALL: &[&str] = &[
    "acs:odps:${resource-owner-id}:tenantUsers/*",
    "acs:odps:${region-id}:${resource-owner-id}:tenantUsers/*",
];
const TENANT_ROLES_ALL: &[&str] = &[
    "acs:odps:${resource-owner-id}:tenantRoles/*",
    "acs:odps:${region-id}:${resource-owner-id}:tenantRoles/*",
];
const TENANT_ROLE: &[&str] = &[
    "acs:odps:${resource-owner-id}:tenantRoles/${role-name}",
    "acs:odps:${region-id}:${resource-owner-id}:tenantRoles/${role-name}",
];
const BILLS_ALL: &[&str] = &["acs:odps:${region-id}:${resource-owner-id}:bills/*"];
const COMPUTE_METRICS_ALL: &[&str] =
    &["acs:odps:${region-id}:${resource-owner-id}:computeMetrics/*"];
const STORAGE_METRICS_ALL: &[&str] =
    &["acs:odps:${region-id}:${resource-owner-id}:storageMetrics/*"];

/// The condition key MaxCompute's RAM permission table (docs/seeds.md#ram-permissions) defines.
pub const ENCRYPTION_KEY: &str = "odps:Encryption";

const fn action(
    name: &'static str,
    category: Category,
    arns: &'static [&'static str],
    description: &'static str,
) -> ActionInfo {
    ActionInfo {
        name,
        category,
        arns,
        condition_keys: &[],
        description,
    }
}

use Category::{
    CostAnalysis as Cost, NetworkConnectionManagement as Network, ProjectManagement as Project,
    QuotaManagement as Quota, TenantUserAndRoleManagement as Tenant,
};

/// Every action of the RAM permission table's permission table, in the table's order.
#[rustfmt::skip]
pub static ACTIONS: &[ActionInfo] = &[
    action("odps:ListProjects", Project, PROJECTS_ALL, "View all projects in the specified region within the Alibaba Cloud account."),
    ActionInfo {
        // `odps:Encryption`: "whether to encrypt a MaxCompute project when you create the project".
        condition_keys: &[ENCRYPTION_KEY],
        ..action("odps:CreateProject", Project, PROJECTS_ALL, "Create a project.")
    },
    action("odps:GetProject", Project, PROJECT, "Obtain information about a project."),
    action("odps:DeleteProject", Project, PROJECT, "Delete a project."),
    action("odps:UpdateProjectStatus", Project, PROJECT, "Freeze or restore a project."),
    action("odps:UpdateProjectDefaultQuota", Project, PROJECT, "Change the default quota of a project."),
    action("odps:UpdateUsersToSuperAdmin", Project, PROJECT_USERS, "Assign the Super_Administrator role to a RAM user to set the RAM user as the super administrator for a project."),
    action("odps:UpdateQuota", Quota, QUOTA, "Modify a level-1 quota or a level-2 quota."),
    action("odps:UpdateQuotaPlan", Quota, QUOTA, "Modify the quota plan."),
    action("odps:UpdateSubQuotas", Quota, QUOTA, "Create a level-2 custom quota."),
    action("odps:UpdateQuotaSchedule", Quota, QUOTA, "Modify the time plan."),
    action("odps:CreateQuotaPlan", Quota, QUOTA, "Create a quota plan."),
    action("odps:DeleteQuotaPlan", Quota, QUOTA, "Delete a quota plan."),
    action("odps:CreateQuotaSchedule", Quota, QUOTA, "Create a time plan."),
    action("odps:CreateQuotaRoutingRule", Quota, QUOTA_ROUTING_RULE, "Add a level-2 quota rule."),
    action("odps:RemoveQuotaRoutingRule", Quota, QUOTA_ROUTING_RULE, "Remove a level-2 quota rule."),
    action("odps:UpdateQuotaRoutingRule", Quota, QUOTA_ROUTING_RULE, "Modify a level-2 quota rule."),
    action("odps:ListNetworkLinks", Network, NETWORK_LINKS_ALL, "View all network connections under a tenant."),
    action("odps:CreateNetworkLink", Network, NETWORK_LINKS_ALL, "Create a network connection."),
    action("odps:GetNetworkLink", Network, NETWORK_LINK, "Obtain information about a network connection."),
    action("odps:RemoveNetworkLink", Network, NETWORK_LINK, "Delete a network connection."),
    action("odps:ListTenantUsers", Tenant, TENANT_USERS_ALL, "View tenant-level users."),
    action("odps:AddTenantUsers", Tenant, TENANT_USERS_ALL, "Add tenant-level users."),
    action("odps:RemoveTenantUsers", Tenant, TENANT_USERS_ALL, "Delete tenant-level users."),
    action("odps:UpdateTenantRolesToUser", Tenant, TENANT_USERS_ALL, "Change the tenant-level role of a user."),
    action("odps:ListAllTenantRoles", Tenant, TENANT_ROLES_ALL, "View tenant-level roles."),
    action("odps:CreateTenantRole", Tenant, TENANT_ROLES_ALL, "Create a tenant-level role."),
    action("odps:UpdateTenantRolePolicy", Tenant, TENANT_ROLE, "Update the policy that is attached to a tenant-level role."),
    action("odps:GetTenantRolePolicy", Tenant, TENANT_ROLE, "Obtain the policy that is attached to a tenant-level role."),
    action("odps:RemoveTenantRole", Tenant, TENANT_ROLE, "Delete a tenant-level role."),
    action("odps:SumBills", Cost, BILLS_ALL, "View the cost analysis."),
    action("odps:SumBillsByDate", Cost, BILLS_ALL, "View the cost analysis."),
    action("odps:SumDailyBillsByItem", Cost, BILLS_ALL, "View the cost analysis."),
    action("odps:SumComputeMetricsByRecord", Cost, COMPUTE_METRICS_ALL, "View the computing usage analysis."),
    action("odps:SumComputeMetricsByUsage", Cost, COMPUTE_METRICS_ALL, "View the computing usage analysis."),
    action("odps:ListComputeMetricsByInstance", Cost, COMPUTE_METRICS_ALL, "View the computing usage analysis."),
    action("odps:ListComputeMetricsBySignature", Cost, COMPUTE_METRICS_ALL, "View the computing usage analysis."),
    action("odps:SumStorageMetricsByDate", Cost, STORAGE_METRICS_ALL, "View the storage usage analysis."),
    action("odps:SumStorageMetricsByType", Cost, STORAGE_METRICS_ALL, "View the storage usage analysis."),
];

/// The service prefix of every catalogued action.
pub const SERVICE: &str = "odps";

/// Actions that MaxCompute's RAM permission table (docs/seeds.md#ram-permissions) allows when no policy decides them: "If no policy is attached to a
/// RAM user to determine whether the RAM user is allowed to perform the ListProjects and
/// GetProject operations, the RAM user can view the list and information of the existing
/// MaxCompute projects". An explicit Allow shows every project in the region, including those
/// the user was not added to; the default shows only the projects the user belongs to.
pub const DEFAULT_ALLOWED_ACTIONS: &[&str] = &["odps:ListProjects", "odps:GetProject"];

/// The kind of value a condition key holds, which decides the operators that make sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// `true` or `false`: the Bool operator.
    Bool,
    /// Text: the String operators.
    String,
    /// A time: the Date operators.
    Date,
    /// An address: IpAddress and NotIpAddress.
    Ip,
}

/// Where a condition key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    /// Defined by MaxCompute for the actions listing it in [`ActionInfo::condition_keys`].
    Service,
    /// Defined by RAM for every request.
    Global,
}

/// One condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConditionKeyInfo {
    /// The key, e.g. `odps:Encryption`.
    pub name: &'static str,
    /// The value it holds.
    pub value_type: KeyType,
    /// Who defines it.
    pub scope: KeyScope,
    /// What it means.
    pub description: &'static str,
}

/// The condition keys known to the linter.
///
/// `odps:Encryption` is the RAM permission table's. The `acs:` keys are RAM's global keys, which MaxCompute's RAM permission table (docs/seeds.md#ram-permissions)
/// refers to ("For more information about the Condition element, see Condition") without
/// listing them; they are here so that common policies are not reported as using unknown keys.
pub static CONDITION_KEYS: &[ConditionKeyInfo] = &[
    ConditionKeyInfo {
        name: ENCRYPTION_KEY,
        value_type: KeyType::Bool,
        scope: KeyScope::Service,
        description: "Whether to encrypt a MaxCompute project when you create the project: true or false.",
    },
    ConditionKeyInfo {
        name: "acs:SourceIp",
        value_type: KeyType::Ip,
        scope: KeyScope::Global,
        description: "The IP address the request comes from.",
    },
    ConditionKeyInfo {
        name: "acs:SourceVpc",
        value_type: KeyType::String,
        scope: KeyScope::Global,
        description: "The VPC the request comes from.",
    },
    ConditionKeyInfo {
        name: "acs:SecureTransport",
        value_type: KeyType::Bool,
        scope: KeyScope::Global,
        description: "Whether the request is sent over HTTPS.",
    },
    ConditionKeyInfo {
        name: "acs:CurrentTime",
        value_type: KeyType::Date,
        scope: KeyScope::Global,
        description: "The time the request is received.",
    },
    ConditionKeyInfo {
        name: "acs:MFAPresent",
        value_type: KeyType::Bool,
        scope: KeyScope::Global,
        description: "Whether the user logged on with multi-factor authentication.",
    },
    ConditionKeyInfo {
        name: "acs:AccessId",
        value_type: KeyType::String,
        scope: KeyScope::Global,
        description: "The AccessKey ID of the request.",
    },
];

/// How much a system policy grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Grants what its name says.
    Normal,
    /// Seed 002: "may have excessive permissions. Proceed with caution."
    Excessive,
    /// Seed 000: flagged high-risk by RAM; "Do not grant these unless absolutely necessary."
    High,
}

/// A system policy managed by Alibaba Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SystemPolicy {
    /// Its name, e.g. `AliyunMaxComputeFullAccess`.
    pub name: &'static str,
    /// Its policy document.
    pub document: &'static str,
    /// How much it grants.
    pub risk: Risk,
    /// What the seeds say about it.
    pub note: &'static str,
}

/// The system policies mcauth knows.
///
/// The MaxCompute documents follow the RAM permission table's descriptions: full access is every `odps:*`
/// action; read-only access is "all List and Get permissions". The high-risk documents are
/// RAM's published definitions of the two names RAM flags (docs/seeds.md#ram-users).
pub static SYSTEM_POLICIES: &[SystemPolicy] = &[
    SystemPolicy {
        name: "AliyunMaxComputeFullAccess",
        document: r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "odps:*", "Resource": "*"}]}"#,
        risk: Risk::Excessive,
        note: "includes all access permissions on MaxCompute resources; the RAM user or role may have excessive permissions",
    },
    SystemPolicy {
        name: "AliyunMaxComputeReadOnlyAccess",
        document: r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["odps:List*", "odps:Get*"], "Resource": "*"}]}"#,
        risk: Risk::Normal,
        note: "includes all List and Get permissions on MaxCompute resources",
    },
    SystemPolicy {
        name: "AdministratorAccess",
        document: r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
        risk: Risk::High,
        note: "flagged by RAM as high-risk: full access to every Alibaba Cloud service",
    },
    SystemPolicy {
        name: "AliyunRAMFullAccess",
        document: r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ram:*", "Resource": "*"}]}"#,
        risk: Risk::High,
        note: "flagged by RAM as high-risk: full control of RAM users, roles and their permissions",
    },
];

/// The action named `name`, compared without regard to ASCII case.
pub fn action_info(name: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The catalogued action closest to `name`, for a did-you-mean, when `name` is not one.
pub fn suggest_action(name: &str) -> Option<&'static str> {
    if action_info(name).is_some() {
        return None;
    }
    crate::suggest::closest(name, ACTIONS.iter().map(|a| a.name))
}

/// The position of `name` in [`ACTIONS`], compared without regard to ASCII case.
pub fn action_index(name: &str) -> Option<usize> {
    ACTIONS
        .iter()
        .position(|a| a.name.eq_ignore_ascii_case(name))
}

/// The condition key named `name`, compared without regard to ASCII case.
pub fn condition_key(name: &str) -> Option<&'static ConditionKeyInfo> {
    CONDITION_KEYS
        .iter()
        .find(|k| k.name.eq_ignore_ascii_case(name))
}

/// The system policy named exactly `name`.
pub fn system_policy(name: &str) -> Option<&'static SystemPolicy> {
    SYSTEM_POLICIES.iter().find(|p| p.name == name)
}

/// The distinct ARN patterns of the catalogue, in first-use order.
pub fn arn_patterns() -> impl Iterator<Item = &'static str> {
    ACTIONS
        .iter()
        .flat_map(|a| a.arns.iter().copied())
        .enumerate()
        .filter(|(i, arn)| {
            !ACTIONS
                .iter()
                .flat_map(|a| a.arns.iter().copied())
                .take(*i)
                .any(|seen| seen == *arn)
        })
        .map(|(_, arn)| arn)
}

// Action sets are 64-bit masks over `ACTIONS`.
const _: () = assert!(ACTIONS.len() <= 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_suggested_for_typos_only() {
        assert_eq!(
            suggest_action("odps:CreateProjects"),
            Some("odps:CreateProject")
        );
        assert_eq!(suggest_action("odps:createproject"), None);
        assert_eq!(suggest_action("ecs:RunInstances"), None);
    }

    #[test]
    fn the_seed_lists_thirty_nine_actions() {
        assert_eq!(ACTIONS.len(), 39);
        let count = |c| ACTIONS.iter().filter(|a| a.category == c).count();
        assert_eq!(count(Category::ProjectManagement), 7);
        assert_eq!(count(Category::QuotaManagement), 10);
        assert_eq!(count(Category::NetworkConnectionManagement), 4);
        assert_eq!(count(Category::TenantUserAndRoleManagement), 9);
        assert_eq!(count(Category::CostAnalysis), 9);
    }

    #[test]
    fn names_are_unique_and_well_formed() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert!(a.name.starts_with("odps:"), "{}", a.name);
            assert_eq!(action_index(a.name), Some(i), "{}", a.name);
            assert!(!a.arns.is_empty(), "{}", a.name);
            for arn in a.arns {
                assert!(arn.starts_with("acs:odps:"), "{arn}");
            }
        }
    }

    #[test]
    fn rows_without_an_arn_share_the_row_above() {
        let arns = |n| action_info(n).map(|a| a.arns);
        assert_eq!(arns("odps:CreateProject"), arns("odps:ListProjects"));
        assert_eq!(arns("odps:DeleteProject"), arns("odps:GetProject"));
        assert_eq!(arns("odps:CreateQuotaSchedule"), arns("odps:UpdateQuota"));
        assert_eq!(
            arns("odps:RemoveTenantRole"),
            arns("odps:UpdateTenantRolePolicy")
        );
    }

    #[test]
    fn only_create_project_supports_encryption() {
        let with_key: Vec<_> = ACTIONS
            .iter()
            .filter(|a| a.condition_keys.contains(&ENCRYPTION_KEY))
            .map(|a| a.name)
            .collect();
        assert_eq!(with_key, ["odps:CreateProject"]);
        assert_eq!(
            condition_key("ODPS:encryption").map(|k| k.value_type),
            Some(KeyType::Bool)
        );
    }

    #[test]
    fn lookups_ignore_ascii_case() {
        assert!(action_info("ODPS:createproject").is_some());
        assert!(action_info("odps:CreateProjects").is_none());
    }

    #[test]
    fn system_policies_carry_the_seed_risks() {
        assert_eq!(
            system_policy("AliyunMaxComputeFullAccess").map(|p| p.risk),
            Some(Risk::Excessive)
        );
        assert_eq!(
            system_policy("AdministratorAccess").map(|p| p.risk),
            Some(Risk::High)
        );
        assert_eq!(
            system_policy("AliyunRAMFullAccess").map(|p| p.risk),
            Some(Risk::High)
        );
        assert!(system_policy("NoSuchPolicy").is_none());
    }

    #[test]
    fn arn_patterns_are_distinct() {
        let all: Vec<_> = arn_patterns().collect();
        assert_eq!(all.len(), 16);
        for (i, a) in all.iter().enumerate() {
            assert!(!all[..i].contains(a));
        }
    }
}
