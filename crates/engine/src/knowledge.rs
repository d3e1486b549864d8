//! What a backend has read: known and unknown facts.
//!
//! The embedded store holds a project whole, so every fact is known. A
//! remote backend reads MaxCompute piece by piece, and a fact it has not
//! read is not absent: it is unknown. A check that depends on an unknown
//! fact never refuses; it passes with a [`crate::WarningCode::NotVerified`]
//! warning that names the fact, and MaxCompute decides.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::names::GranteeId;

/// A kind of fact about a project that a backend reads as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The account providers (`list accountproviders`).
    Providers,
    /// The members and the `p4_…` residues (`list users`).
    Members,
    /// The roles and their types (`list roles`).
    Roles,
    /// Who holds which role.
    RoleHolders,
    /// ACL and policy grants, including the retained grants of removed
    /// principals. Known per grantee too: see [`Knowledge::grants_known`].
    Grants,
    /// Project, security and role policy documents.
    Policies,
    /// Label grants (and, on the embedded store, the labels themselves;
    /// see [`Fact::ObjectLabels`]).
    Labels,
    /// The labels set on tables, columns and users (`set label`): no
    /// statement shows them, so a remote backend never reads them.
    ObjectLabels,
    /// The packages created in the project, their objects and the
    /// projects allowed to install them.
    Packages,
    /// The packages of other projects installed here.
    Installs,
    /// The trusted projects.
    TrustedProjects,
    /// The security configuration flags.
    Flags,
    /// The tenant's users.
    TenantUsers,
    /// The tenant's roles and who holds them.
    TenantRoles,
    /// Which tenant roles were added to the project (`add tenant role r to
    /// project p`): no statement shows it.
    TenantRolesInProject,
    /// The groups (`add group`).
    Groups,
    /// The project's properties (`setproject`).
    ProjectProperties,
    /// The row access policies of the project's tables.
    RowAccessPolicies,
    /// The data masking policies and the columns they are bound to.
    MaskingPolicies,
}

impl Fact {
    /// Every fact, in the order they are declared.
    pub const ALL: [Fact; 19] = [
        Fact::Providers,
        Fact::Members,
        Fact::Roles,
        Fact::RoleHolders,
        Fact::Grants,
        Fact::Policies,
        Fact::Labels,
        Fact::ObjectLabels,
        Fact::Packages,
        Fact::Installs,
        Fact::TrustedProjects,
        Fact::Flags,
        Fact::TenantUsers,
        Fact::TenantRoles,
        Fact::TenantRolesInProject,
        Fact::Groups,
        Fact::ProjectProperties,
        Fact::RowAccessPolicies,
        Fact::MaskingPolicies,
    ];

    /// How a message names the fact: "the trusted projects".
    pub fn describe(self) -> &'static str {
        match self {
            Fact::Providers => "the account providers",
            Fact::Members => "the project's members",
            Fact::Roles => "the project's roles",
            Fact::RoleHolders => "who holds which role",
            Fact::Grants => "the grants",
            Fact::Policies => "the policy documents",
            Fact::Labels => "the labels and label grants",
            Fact::ObjectLabels => "the labels set on tables, columns and users",
            Fact::Packages => "the packages",
            Fact::Installs => "the installed packages",
            Fact::TrustedProjects => "the trusted projects",
            Fact::Flags => "the security configuration",
            Fact::TenantUsers => "the tenant's users",
            Fact::TenantRoles => "the tenant's roles",
            Fact::TenantRolesInProject => "the tenant roles added to the project",
            Fact::Groups => "the groups",
            Fact::ProjectProperties => "the project's properties",
            Fact::RowAccessPolicies => "the row access policies",
            Fact::MaskingPolicies => "the data masking policies",
        }
    }

    /// The snake-case name used in JSON and by `--explain`-style output.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Providers => "providers",
            Fact::Members => "members",
            Fact::Roles => "roles",
            Fact::RoleHolders => "role_holders",
            Fact::Grants => "grants",
            Fact::Policies => "policies",
            Fact::Labels => "labels",
            Fact::ObjectLabels => "object_labels",
            Fact::Packages => "packages",
            Fact::Installs => "installs",
            Fact::TrustedProjects => "trusted_projects",
            Fact::Flags => "flags",
            Fact::TenantUsers => "tenant_users",
            Fact::TenantRoles => "tenant_roles",
            Fact::TenantRolesInProject => "tenant_roles_in_project",
            Fact::Groups => "groups",
            Fact::ProjectProperties => "project_properties",
            Fact::RowAccessPolicies => "row_access_policies",
            Fact::MaskingPolicies => "masking_policies",
        }
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Which facts a state holds. The default knows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knowledge {
    /// The kinds not read as a whole.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    unknown: BTreeSet<Fact>,
    /// While [`Fact::Grants`] is unknown: the grantees whose grants were
    /// read one by one.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    grants_read: BTreeSet<GranteeId>,
}

impl Knowledge {
    /// Knows every fact: a project held whole.
    pub fn complete() -> Self {
        Knowledge::default()
    }

    /// Knows nothing yet: a project about to be read.
    pub fn nothing() -> Self {
        Knowledge {
            unknown: Fact::ALL.into_iter().collect(),
            grants_read: BTreeSet::new(),
        }
    }

    /// Whether every fact is known (a project held whole, as the store does).
    pub fn is_complete(&self) -> bool {
        self.unknown.is_empty()
    }

    /// Whether `fact` is known.
    pub fn knows(&self, fact: Fact) -> bool {
        !self.unknown.contains(&fact)
    }

    /// Whether the grants of one grantee are known.
    pub fn grants_known(&self, grantee: &GranteeId) -> bool {
        self.knows(Fact::Grants) || self.grants_read.contains(grantee)
    }

    /// Records that a kind was read whole.
    pub fn learn(&mut self, fact: Fact) {
        self.unknown.remove(&fact);
        if fact == Fact::Grants {
            self.grants_read.clear();
        }
    }

    /// Records that one grantee's grants were read.
    pub fn learn_grants_of(&mut self, grantee: GranteeId) {
        if !self.knows(Fact::Grants) {
            self.grants_read.insert(grantee);
        }
    }

    /// The kinds not known, in order.
    pub fn unknown(&self) -> impl Iterator<Item = Fact> + '_ {
        self.unknown.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::RoleName;

    #[test]
    fn the_default_knows_everything_and_nothing_knows_nothing() {
        let all = Knowledge::complete();
        let none = Knowledge::nothing();
        for fact in Fact::ALL {
            assert!(all.knows(fact));
            assert!(!none.knows(fact));
        }
        assert_eq!(none.unknown().count(), Fact::ALL.len());
    }

    #[test]
    fn grants_are_learnt_per_grantee_until_learnt_whole() {
        let mut k = Knowledge::nothing();
        let r = GranteeId::Role(RoleName::new("r"));
        let s = GranteeId::Role(RoleName::new("s"));
        k.learn_grants_of(r.clone());
        assert!(k.grants_known(&r));
        assert!(!k.grants_known(&s));
        k.learn(Fact::Grants);
        assert!(k.grants_known(&s));
        assert!(k.is_complete() == k.unknown().next().is_none());
    }

    #[test]
    fn a_complete_knowledge_serialises_to_nothing() {
        let json = serde_json::to_string(&Knowledge::complete()).unwrap_or_default();
        assert_eq!(json, "{}");
    }
}
