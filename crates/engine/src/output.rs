//! What a statement prints: structured (serde, for JSON) and as text
//! (`Display`, in the documented formats of docs/language.md). Text has
//! no trailing newline.

use std::fmt::{self, Display, Formatter};

use serde::{Deserialize, Serialize};

use crate::names::{GranteeId, PrincipalId, Provider, RoleName};
use crate::privilege::{ObjectKind, Privilege};
use crate::state::{Flag, RoleType};

/// The result of a statement that ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Output {
    /// A change (or a statement with nothing to print): `OK`.
    Ok,
    /// `list users`: one principal per line.
    Users(Vec<PrincipalId>),
    /// `list accountproviders`: `ALIYUN, RAM`.
    AccountProviders(Vec<Provider>),
    /// `list roles`, `show role grant`, `list tenant roles`: one per line.
    Roles(Vec<RoleName>),
    /// `show principals`, `list tenant users`: one per line.
    Principals(Vec<PrincipalId>),
    /// `whoami`: the caller and the connection.
    Whoami(Whoami),
    /// `show grants`: roles and grants, by authorization type.
    Grants(GrantsReport),
    /// `describe role`: the role's type, users and grants.
    RoleDescription(RoleDescription),
    /// `show acl for`: who holds what on one object.
    Acl(AclReport),
    /// `show securityconfiguration`: the security flags.
    SecurityConfiguration(SecurityConfiguration),
    /// `list trustedprojects`: one per line.
    TrustedProjects(Vec<String>),
    /// `show packages`: the packages created here and installed here.
    Packages(PackageList),
    /// `describe package`: its objects and the projects allowed to install it.
    PackageDescription(PackageDescription),
    /// `show label grants`: one line per label grant.
    LabelGrants(Vec<LabelGrantLine>),
    /// `get policy`, `get security policy`: the document as it was put
    /// (empty when none was).
    Policy(String),
    /// `setproject;`: `key=value`, one per line (as odpscmd prints them).
    ProjectProperties(Vec<(String, String)>),
    /// `list groups`: one per line.
    Groups(Vec<String>),
    /// `show package items`, `describe package items` (format undocumented).
    PackageItems(Vec<PackageItem>),
    /// `list row access policy on t` (format undocumented).
    RowAccessPolicies(Vec<RowAccessPolicyInfo>),
    /// `describe row access policy p on t` (format undocumented).
    RowAccessPolicy(RowAccessPolicyInfo),
    /// `describe data masking policy p` (format undocumented).
    MaskingPolicy(MaskingPolicyInfo),
}

fn lines<T: Display>(f: &mut Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl Display for Output {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Output::Ok => f.write_str("OK"),
            Output::Users(users) | Output::Principals(users) => lines(f, users),
            Output::AccountProviders(providers) => {
                for (i, p) in providers.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(p.as_str())?;
                }
                Ok(())
            }
            Output::Roles(roles) => lines(f, roles),
            Output::Whoami(w) => w.fmt(f),
            Output::Grants(g) => g.fmt(f),
            Output::RoleDescription(d) => d.fmt(f),
            Output::Acl(a) => a.fmt(f),
            Output::SecurityConfiguration(c) => c.fmt(f),
            Output::TrustedProjects(p) => lines(f, p),
            Output::Packages(p) => p.fmt(f),
            Output::PackageDescription(p) => p.fmt(f),
            Output::LabelGrants(l) => lines(f, l),
            // Output text has no trailing newline; the printer adds one.
            Output::Policy(doc) => f.write_str(doc.strip_suffix('\n').unwrap_or(doc)),
            Output::ProjectProperties(p) => {
                for (i, (k, v)) in p.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                Ok(())
            }
            Output::Groups(g) => lines(f, g),
            Output::PackageItems(items) => lines(f, items),
            Output::RowAccessPolicies(p) => {
                for (i, info) in p.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(
                        f,
                        "{}\tto {}\tfilter using ({})",
                        info.policy, info.to, info.filter
                    )?;
                }
                Ok(())
            }
            Output::RowAccessPolicy(info) => info.fmt(f),
            Output::MaskingPolicy(info) => info.fmt(f),
        }
    }
}

/// `whoami`, formatted as odpscmd does. The engine fills `name` and
/// `project`; the endpoint fields come from the caller's context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whoami {
    /// The display name: the account name for an Alibaba Cloud account
    /// (as in the documented example), the full `RAM$…` form otherwise.
    pub name: String,
    /// The client's IP address, when the context gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// The VPC the client connected from, when the context gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// The endpoint the client connected to, when the context gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The Tunnel endpoint, when the context gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tunnel_endpoint: Option<String>,
    /// The current project.
    pub project: String,
    /// The session's current schema, when the context gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

impl Display for Whoami {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Name: {}", self.name)?;
        if let Some(ip) = &self.source_ip {
            write!(f, "\nSource IP: {ip}")?;
        }
        if let Some(vpc) = &self.vpc_id {
            write!(f, "\nVPC ID: {vpc}")?;
        }
        if let Some(e) = &self.endpoint {
            write!(f, "\nEnd_Point: {e}")?;
        }
        if let Some(e) = &self.tunnel_endpoint {
            write!(f, "\nTunnel_End_Point: {e}")?;
        }
        write!(f, "\nProject: {}", self.project)?;
        if let Some(s) = &self.schema {
            write!(f, "\nSchema: {s}")?;
        }
        Ok(())
    }
}

/// `ACL` or `Policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AuthorizationType {
    /// Grants made as ACL entries.
    #[serde(rename = "ACL")]
    Acl,
    /// Grants made as policy statements.
    Policy,
}

impl Display for AuthorizationType {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthorizationType::Acl => "ACL",
            AuthorizationType::Policy => "Policy",
        })
    }
}

/// One line of `show grants` / `describe role`:
/// `A       projects/p/tables/t: Select | Describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantLine {
    /// `A` allow, `D` deny, plus `C` with a condition.
    pub marker: String,
    /// The object, as a resource path: `projects/p/tables/t`.
    pub resource: String,
    /// In grant order.
    pub privileges: Vec<Privilege>,
    /// The grant's `conditions`, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// `2025-01-01T00:00:00+0000`, or an ISO 8601 duration (`P30D`) when
    /// the grant was checked without a clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

fn write_privileges(f: &mut Formatter<'_>, privileges: &[Privilege]) -> fmt::Result {
    for (i, p) in privileges.iter().enumerate() {
        if i > 0 {
            f.write_str(" | ")?;
        }
        f.write_str(p.as_str())?;
    }
    Ok(())
}

impl Display for GrantLine {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8}{}: ", self.marker, self.resource)?;
        write_privileges(f, &self.privileges)?;
        if let Some(e) = &self.expires {
            write!(f, "\tExpires:{e}")?;
        }
        Ok(())
    }
}

/// The grants of one grantee within one authorization type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantBlock {
    /// Whose grants these are.
    pub grantee: GranteeId,
    /// One line per object, in grant order.
    pub lines: Vec<GrantLine>,
}

/// The grants of one authorization type, grantee by grantee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantSection {
    /// ACL or policy.
    pub authorization_type: AuthorizationType,
    /// One block per grantee.
    pub blocks: Vec<GrantBlock>,
}

impl Display for GrantSection {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Authorization Type: {}", self.authorization_type)?;
        for block in &self.blocks {
            write!(f, "\n[{}]", block.grantee)?;
            for line in &block.lines {
                write!(f, "\n{line}")?;
            }
        }
        Ok(())
    }
}

/// `show grants [for …]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum GrantsReport {
    /// The owner's grants: `[ALIYUN$x]` / `projects/p: Project Owner`.
    Owner {
        /// The project's owner.
        owner: PrincipalId,
        /// The project.
        project: String,
    },
    /// A user's roles and the grants of the user and of its roles.
    Principal {
        /// The user asked about.
        principal: PrincipalId,
        /// The roles the user holds.
        roles: Vec<RoleName>,
        /// The grants of the user and of its roles, by authorization type.
        sections: Vec<GrantSection>,
    },
    /// `show grants for role r`.
    Role {
        /// The role asked about.
        role: RoleName,
        /// The role's grants, by authorization type.
        sections: Vec<GrantSection>,
    },
}

impl Display for GrantsReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            GrantsReport::Owner { owner, project } => {
                write!(f, "[{owner}]\nprojects/{project}: Project Owner")
            }
            GrantsReport::Principal {
                roles, sections, ..
            } => {
                f.write_str("[roles]")?;
                for r in roles {
                    write!(f, "\n{r}")?;
                }
                for s in sections {
                    write!(f, "\n\n{s}")?;
                }
                Ok(())
            }
            GrantsReport::Role { sections, .. } => {
                for (i, s) in sections.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n\n")?;
                    }
                    write!(f, "{s}")?;
                }
                Ok(())
            }
        }
    }
}

/// `describe role r`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDescription {
    /// The role described.
    pub role: RoleName,
    /// Its type.
    pub role_type: RoleType,
    /// The users who hold it.
    pub users: Vec<PrincipalId>,
    /// Its grants, by authorization type.
    pub sections: Vec<(AuthorizationType, Vec<GrantLine>)>,
}

impl Display for RoleDescription {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("[users]")?;
        for u in &self.users {
            write!(f, "\n{u}")?;
        }
        for (t, lines) in &self.sections {
            write!(f, "\n\nAuthorization Type: {t}")?;
            for line in lines {
                write!(f, "\n{line}")?;
            }
        }
        Ok(())
    }
}

/// One line of `show acl`:
/// `A       role/worker(projects/p): CreateTable | List`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclLine {
    /// `A` allow, `D` deny, plus `C` with a condition.
    pub marker: String,
    /// `role/worker`, `user/RAM$a:b`, `project_owner/ALIYUN$x`.
    pub grantee: String,
    /// The object; absent on implicit lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The privileges, in grant order.
    pub privileges: Vec<Privilege>,
    /// When the grant lapses, as `show grants` prints expiries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Display for AclLine {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8}{}", self.marker, self.grantee)?;
        if let Some(r) = &self.resource {
            write!(f, "({r})")?;
        }
        f.write_str(": ")?;
        write_privileges(f, &self.privileges)?;
        if let Some(e) = &self.expires {
            write!(f, "\tExpires:{e}")?;
        }
        Ok(())
    }
}

/// `show acl for <object> [on type <type>]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclReport {
    /// The object's type.
    pub object_type: ObjectKind,
    /// The object's name.
    pub object: String,
    /// Who may do anything on it without a grant: the project's owner and
    /// the holders of `super_administrator` and `admin`.
    pub implicit: Vec<AclLine>,
    /// The ACL grants on it.
    pub acl: Vec<AclLine>,
    /// The policy grants on it.
    pub policy: Vec<AclLine>,
}

impl Display for AclReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (title, lines) in [
            ("Implicit", &self.implicit),
            ("ACL", &self.acl),
            ("Policy", &self.policy),
        ] {
            if lines.is_empty() {
                continue;
            }
            if !first {
                f.write_str("\n\n")?;
            }
            first = false;
            write!(f, "Authorization Type: {title}")?;
            for line in lines {
                write!(f, "\n{line}")?;
            }
        }
        Ok(())
    }
}

/// `show securityconfiguration`, in odpscmd's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityConfiguration {
    /// `CheckPermissionUsingACL`.
    pub check_permission_using_acl: bool,
    /// `CheckPermissionUsingPolicy`.
    pub check_permission_using_policy: bool,
    /// `ObjectCreatorHasAccessPermission`.
    pub object_creator_has_access_permission: bool,
    /// `ObjectCreatorHasGrantPermission`.
    pub object_creator_has_grant_permission: bool,
    /// `LabelSecurity`.
    pub label_security: bool,
    /// `ProjectProtection`.
    pub project_protection: bool,
    /// `ExternalResourceAccessControl`.
    pub external_resource_access_control: bool,
    /// Download control: `setproject odps.security.enabledownloadprivilege=true`.
    pub enable_download_privilege: bool,
}

impl SecurityConfiguration {
    /// The configuration of these flags, download control off.
    pub fn from_flags(flag: impl Fn(Flag) -> bool) -> Self {
        SecurityConfiguration {
            check_permission_using_acl: flag(Flag::CheckPermissionUsingAcl),
            check_permission_using_policy: flag(Flag::CheckPermissionUsingPolicy),
            object_creator_has_access_permission: flag(Flag::ObjectCreatorHasAccessPermission),
            object_creator_has_grant_permission: flag(Flag::ObjectCreatorHasGrantPermission),
            label_security: flag(Flag::LabelSecurity),
            project_protection: flag(Flag::ProjectProtection),
            external_resource_access_control: flag(Flag::ExternalResourceAccessControl),
            enable_download_privilege: false,
        }
    }
}

impl Display for SecurityConfiguration {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CheckPermissionUsingAcl={}\n\
             CheckPermissionUsingPolicy={}\n\
             ObjectCreatorHasAccessPermission={}\n\
             ObjectCreatorHasGrantPermission={}\n\
             LabelSecurity={}\n\
             ProjectProtection={}\n\
             ExternalResourceAccessControl={}\n\
             EnableDownloadPrivilege={}",
            self.check_permission_using_acl,
            self.check_permission_using_policy,
            self.object_creator_has_access_permission,
            self.object_creator_has_grant_permission,
            self.label_security,
            self.project_protection,
            self.external_resource_access_control,
            self.enable_download_privilege,
        )
    }
}

/// `show packages` (format undocumented).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageList {
    /// The packages this project created.
    pub created: Vec<String>,
    /// The packages of other projects installed here, as `project.package`.
    pub installed: Vec<String>,
}

impl Display for PackageList {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("Packages created:")?;
        for p in &self.created {
            write!(f, "\n{p}")?;
        }
        f.write_str("\n\nPackages installed:")?;
        for p in &self.installed {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

/// An object shared by a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageObject {
    /// The object's type.
    pub kind: ObjectKind,
    /// The object's name.
    pub name: String,
    /// The privileges the package grants on it.
    pub privileges: Vec<Privilege>,
}

/// A project allowed to install a package, and on what terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedProject {
    /// `*` for every project.
    pub project: String,
    /// The label the allowance gives installers, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The privileges the allowance narrows the package to; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
    /// When the allowance ends, as `show grants` prints expiries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl Display for AllowedProject {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.project)?;
        let mut terms = Vec::new();
        if let Some(l) = &self.label {
            terms.push(format!("label {l}"));
        }
        if !self.privileges.is_empty() {
            let names: Vec<&str> = self.privileges.iter().map(|p| p.as_str()).collect();
            terms.push(format!("with {}", names.join(" | ")));
        }
        if let Some(u) = &self.until {
            terms.push(format!("Expires:{u}"));
        }
        if !terms.is_empty() {
            write!(f, " ({})", terms.join(", "))?;
        }
        Ok(())
    }
}

/// `describe package` (format undocumented).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageDescription {
    /// The package's name.
    pub package: String,
    /// Set for a package installed from another project: its contents are
    /// not known locally.
    pub installed_from: Option<String>,
    /// The objects it shares.
    pub objects: Vec<PackageObject>,
    /// The projects allowed to install it.
    pub allowed_projects: Vec<AllowedProject>,
}

impl Display for PackageDescription {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Package: {}", self.package)?;
        if let Some(p) = &self.installed_from {
            write!(f, "\nInstalled from project: {p}")?;
            return Ok(());
        }
        f.write_str("\n\nObjects:")?;
        for o in &self.objects {
            write!(f, "\n{} {}: ", o.kind, o.name)?;
            write_privileges(f, &o.privileges)?;
        }
        f.write_str("\n\nAllowed projects:")?;
        for p in &self.allowed_projects {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

/// A line of `show label grants` (format undocumented):
/// `<grantee>  <resource>  <level>  [Expires:<t>]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelGrantLine {
    /// Who holds the grant.
    pub grantee: GranteeId,
    /// The table, as a resource path.
    pub resource: String,
    /// The label level granted up to.
    pub level: String,
    /// When the grant lapses, as `show grants` prints expiries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Display for LabelGrantLine {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\t{}\tLabel {}",
            self.grantee, self.resource, self.level
        )?;
        if let Some(e) = &self.expires {
            write!(f, "\tExpires:{e}")?;
        }
        Ok(())
    }
}

/// An object of a package, for `show package items` and `describe
/// package items`: `<package>: <type> <name>: <privileges>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageItem {
    /// The package that shares the object.
    pub package: String,
    /// The object's type.
    pub kind: ObjectKind,
    /// The object's name.
    pub name: String,
    /// The privileges the package grants on it.
    pub privileges: Vec<Privilege>,
}

impl Display for PackageItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}: ", self.package, self.kind, self.name)?;
        write_privileges(f, &self.privileges)
    }
}

/// A row access policy as `describe row access policy` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowAccessPolicyInfo {
    /// The policy's name.
    pub policy: String,
    /// The table it filters.
    pub table: String,
    /// Whom it applies to, as a statement writes it: `default`, `user …`,
    /// `role …`.
    pub to: String,
    /// The filter expression, as written.
    pub filter: String,
}

impl Display for RowAccessPolicyInfo {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Policy: {}\nTable: {}\nTo: {}\nFilter: {}",
            self.policy, self.table, self.to, self.filter
        )
    }
}

/// A data masking policy as `describe data masking policy` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskingPolicyInfo {
    /// The policy's name.
    pub policy: String,
    /// Whom it applies to, as a statement writes it.
    pub to: String,
    /// The masking method, as written.
    pub method: String,
    /// `table.column`, in order.
    pub bound_to: Vec<String>,
}

impl Display for MaskingPolicyInfo {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Policy: {}\nTo: {}\nUsing: {}\nBound to:",
            self.policy, self.to, self.method
        )?;
        for b in &self.bound_to {
            write!(f, "\n{b}")?;
        }
        Ok(())
    }
}
