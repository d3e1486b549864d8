//! The canonical text of every node: lower-case keywords, single spaces,
//! backticks only where a name would not read back as itself, and `;` at
//! the end of a statement.

use std::fmt::{self, Display, Formatter, Write};

use super::*;
use crate::catalog::ObjectType;
use crate::keywords::is_reserved;
use crate::lexer::{is_ident_char, is_word_char};

/// Writes `text` back-quoted, doubling any backtick inside.
fn write_backquoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('`')?;
    for c in text.chars() {
        if c == '`' {
            f.write_str("``")?;
        } else {
            f.write_char(c)?;
        }
    }
    f.write_char('`')
}

/// Whether `text` reads back as one word token with this exact text.
fn is_plain_word(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(is_word_char)
        && !text.contains("--")
        && !text.starts_with('#')
        && !is_reserved(text)
}

/// Whether `text` reads back as one identifier.
fn is_plain_ident(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_ident_char) && !is_reserved(text)
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_plain_ident(&self.value) {
            f.write_str(&self.value)
        } else {
            write_backquoted(f, &self.value)
        }
    }
}

impl Display for ObjectName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_plain_word(&self.value) && ObjectType::from_keyword(&self.value).is_none() {
            f.write_str(&self.value)
        } else {
            write_backquoted(f, &self.value)
        }
    }
}

impl Display for StringLit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.value.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\0' => f.write_str("\\0")?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

impl Display for FilePath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_plain_word(&self.value) {
            f.write_str(&self.value)
        } else {
            StringLit::new(self.value.clone()).fmt(f)
        }
    }
}

impl Display for Properties {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("privilegeproperties(")?;
        for (i, p) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={}", p.key, p.value)?;
        }
        f.write_char(')')
    }
}

impl Display for Principal {
    /// The plain forms are written piece by piece, without building
    /// [`Principal::text`]: printing a plan prints every principal. A piece
    /// of a prefixed name is plain when `is_plain_word` would pass the whole
    /// (the prefix and separators are word characters, and `--` cannot
    /// form across `$` or `:`).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let plain = |piece: &str| piece.chars().all(is_word_char) && !piece.contains("--");
        match &self.kind {
            PrincipalKind::Aliyun { account } if plain(account) => {
                f.write_str("ALIYUN$")?;
                f.write_str(account)
            }
            PrincipalKind::RamUser {
                account: Some(account),
                name,
            } if plain(account) && plain(name) => {
                f.write_str("RAM$")?;
                f.write_str(account)?;
                f.write_char(':')?;
                f.write_str(name)
            }
            PrincipalKind::RamUser {
                account: None,
                name,
            } if plain(name) => {
                f.write_str("RAM$")?;
                f.write_str(name)
            }
            PrincipalKind::Residue { id: text } | PrincipalKind::Bare { name: text } => {
                if is_plain_word(text) {
                    f.write_str(text)
                } else {
                    write_backquoted(f, text)
                }
            }
            _ => write_backquoted(f, &self.text()),
        }
    }
}

/// A grantee; `explicit_user` writes `user` before a plain user.
struct GranteeText<'a> {
    grantee: &'a Grantee,
    explicit_user: bool,
}

impl Display for GranteeText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let tenant = |t: bool| if t { "tenant " } else { "" };
        match self.grantee {
            Grantee::User {
                tenant: true,
                principal,
            } => write!(f, "tenant user {principal}"),
            Grantee::User {
                tenant: false,
                principal,
            } if self.explicit_user => write!(f, "user {principal}"),
            Grantee::User {
                tenant: false,
                principal,
            } => principal.fmt(f),
            Grantee::Role { tenant: t, name } => write!(f, "{}role {name}", tenant(*t)),
            Grantee::Group { tenant: t, name } => write!(f, "{}group {name}", tenant(*t)),
        }
    }
}

impl Display for Grantee {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        GranteeText {
            grantee: self,
            explicit_user: false,
        }
        .fmt(f)
    }
}

fn write_list<T: Display>(f: &mut Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

/// Role names; a role named like a privilege is back-quoted so that it
/// does not read as a privilege missing its `on` clause.
fn write_roles(f: &mut Formatter<'_>, roles: &[Ident]) -> fmt::Result {
    for (i, role) in roles.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        if crate::catalog::Privilege::is_known(&role.value) {
            write_backquoted(f, &role.value)?;
        } else {
            role.fmt(f)?;
        }
    }
    Ok(())
}

fn write_grantees(f: &mut Formatter<'_>, grantees: &[Grantee], explicit_user: bool) -> fmt::Result {
    for (i, grantee) in grantees.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        GranteeText {
            grantee,
            explicit_user,
        }
        .fmt(f)?;
    }
    Ok(())
}

fn write_columns(f: &mut Formatter<'_>, columns: &Option<Vec<Ident>>) -> fmt::Result {
    if let Some(columns) = columns {
        f.write_char('(')?;
        write_list(f, columns)?;
        f.write_char(')')?;
    }
    Ok(())
}

impl Display for Privilege {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.name.fmt(f)?;
        write_columns(f, &self.columns)
    }
}

impl Display for Object {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.object_type, self.name)?;
        write_columns(f, &self.columns)?;
        if let Some(values) = &self.partition {
            f.write_str(" partition(")?;
            write_list(f, values)?;
            f.write_char(')')?;
        }
        Ok(())
    }
}

impl Display for PartitionValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.column.fmt(f)?;
        match &self.value {
            Some(PartitionLiteral::Str(s)) => write!(f, "={s}"),
            Some(PartitionLiteral::Word(w)) => write!(f, "={w}"),
            None => Ok(()),
        }
    }
}

impl Display for RawText {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Display for ProjectScope {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ProjectScope::All => f.write_char('*'),
            ProjectScope::Project { name } => name.fmt(f),
        }
    }
}

impl Display for PolicyTargets {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PolicyTargets::Default => f.write_str("default"),
            PolicyTargets::Users { users } => {
                f.write_str("user ")?;
                write_list(f, users)
            }
            PolicyTargets::Roles { roles } => {
                f.write_str("role ")?;
                write_list(f, roles)
            }
        }
    }
}

impl Display for ProjectProperty {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key.value)?;
        if let Some(value) = &self.value {
            write!(f, "={value}")?;
        }
        Ok(())
    }
}

/// ` privilegeproperties(…)` if there are properties.
fn write_properties(f: &mut Formatter<'_>, properties: &Option<Properties>) -> fmt::Result {
    match properties {
        Some(p) => write!(f, " {p}"),
        None => Ok(()),
    }
}

/// A grantee with `user` written before a plain user.
fn explicit(grantee: &Grantee) -> GranteeText<'_> {
    GranteeText {
        grantee,
        explicit_user: true,
    }
}

impl Display for RoleRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.tenant {
            f.write_str("tenant ")?;
        }
        write!(f, "role {}", self.role)
    }
}

impl Display for GrantLabel {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "grant label {} on table {}", self.level, self.table)?;
        write_columns(f, &self.columns)?;
        write!(f, " to {}", explicit(&self.grantee))?;
        if let Some(days) = &self.days {
            write!(f, " with exp {days}")?;
        }
        write_properties(f, &self.properties)
    }
}

impl Display for CreateRowAccessPolicy {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("create ")?;
        if self.or_replace {
            f.write_str("or replace ")?;
        }
        f.write_str("row access policy ")?;
        if self.if_not_exists {
            f.write_str("if not exists ")?;
        }
        write!(
            f,
            "{} on {} to {} filter using ({})",
            self.policy, self.table, self.to, self.filter
        )
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)?;
        f.write_char(';')
    }
}

/// The statement without its `;`.
impl Display for StatementKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use StatementKind as S;
        let tenant = |t: bool| if t { "tenant " } else { "" };
        match self {
            S::AddUser {
                tenant: t,
                principal,
                comment,
            } => {
                write!(f, "add {}user {principal}", tenant(*t))?;
                if let Some(comment) = comment {
                    write!(f, " comment {comment}")?;
                }
                Ok(())
            }
            S::RemoveUser {
                tenant: t,
                principal,
            } => write!(f, "remove {}user {principal}", tenant(*t)),
            S::ListUsers { tenant: t } => write!(f, "list {}users", tenant(*t)),
            S::ListAccountProviders => f.write_str("list accountproviders"),
            S::AddAccountProvider { provider } => write!(f, "add accountprovider {provider}"),
            S::RemoveAccountProvider { provider } => write!(f, "remove accountprovider {provider}"),
            S::CreateRole {
                tenant: t,
                role,
                comment,
                properties,
            } => {
                write!(f, "create {}role {role}", tenant(*t))?;
                if let Some(comment) = comment {
                    write!(f, " comment {comment}")?;
                }
                if let Some(properties) = properties {
                    write!(f, " {properties}")?;
                }
                Ok(())
            }
            S::DropRole { tenant: t, role } => write!(f, "drop {}role {role}", tenant(*t)),
            S::ListRoles { tenant: t } => write!(f, "list {}roles", tenant(*t)),
            S::DescribeRole { tenant: t, role } => write!(f, "describe {}role {role}", tenant(*t)),
            S::GrantRoles {
                tenant: t,
                roles,
                grantees,
                with_admin_option,
            } => {
                f.write_str("grant ")?;
                if *t {
                    f.write_str("tenant role ")?;
                }
                write_roles(f, roles)?;
                f.write_str(" to ")?;
                write_grantees(f, grantees, false)?;
                if *with_admin_option {
                    f.write_str(" with admin option")?;
                }
                Ok(())
            }
            S::RevokeRoles {
                admin_option_for,
                tenant: t,
                roles,
                grantees,
            } => {
                f.write_str("revoke ")?;
                if *admin_option_for {
                    f.write_str("admin option for ")?;
                }
                if *t {
                    f.write_str("tenant role ")?;
                }
                write_roles(f, roles)?;
                f.write_str(" from ")?;
                write_grantees(f, grantees, false)
            }
            S::ShowPrincipals { tenant: true, role } => {
                write!(f, "show principals for tenant role {role}")
            }
            S::ShowPrincipals {
                tenant: false,
                role,
            } => write!(f, "show principals {role}"),
            S::ShowRoleGrant { grantee } => {
                write!(
                    f,
                    "show role grant {}",
                    GranteeText {
                        grantee,
                        explicit_user: true
                    }
                )
            }
            S::GrantPrivileges {
                privileges,
                object,
                grantees,
                with_grant_option,
                properties,
            } => {
                f.write_str("grant ")?;
                write_list(f, privileges)?;
                write!(f, " on {object} to ")?;
                write_grantees(f, grantees, true)?;
                if *with_grant_option {
                    f.write_str(" with grant option")?;
                }
                if let Some(properties) = properties {
                    write!(f, " {properties}")?;
                }
                Ok(())
            }
            S::RevokePrivileges {
                grant_option_for,
                privileges,
                object,
                grantees,
                properties,
            } => {
                f.write_str("revoke ")?;
                if *grant_option_for {
                    f.write_str("grant option for ")?;
                }
                write_list(f, privileges)?;
                write!(f, " on {object} from ")?;
                write_grantees(f, grantees, true)?;
                if let Some(properties) = properties {
                    write!(f, " {properties}")?;
                }
                Ok(())
            }
            S::ShowGrants {
                grantee,
                on,
                properties,
            } => {
                f.write_str("show grants")?;
                if let Some(grantee) = grantee {
                    write!(f, " for {grantee}")?;
                }
                match on {
                    Some(GrantsFilter::Type { object_type }) => {
                        write!(f, " on type {object_type}")?
                    }
                    Some(GrantsFilter::Object { object }) => write!(f, " on {object}")?,
                    None => {}
                }
                if let Some(properties) = properties {
                    write!(f, " {properties}")?;
                }
                Ok(())
            }
            S::ShowAcl {
                object,
                object_type,
            } => {
                write!(f, "show acl for {object}")?;
                if let Some(object_type) = object_type {
                    write!(f, " on type {object_type}")?;
                }
                Ok(())
            }
            S::ClearExpiredGrants => f.write_str("clear expired grants"),
            S::PurgePrivileges { grantees } => {
                f.write_str("purge privs from ")?;
                write_grantees(f, grantees, true)
            }
            S::Whoami => f.write_str("whoami"),
            S::ShowSecurityConfiguration => f.write_str("show securityconfiguration"),
            S::Set {
                setting,
                value,
                exception,
            } => {
                f.write_str("set ")?;
                match setting {
                    Setting::Security(flag) => flag.fmt(f)?,
                    Setting::Session(key) if is_plain_word(&key.value) => {
                        f.write_str(&key.value)?
                    }
                    Setting::Session(key) => key.fmt(f)?,
                }
                f.write_char('=')?;
                match value {
                    SetValue::Bool(b) => write!(f, "{b}")?,
                    SetValue::Text(text) if is_plain_word(&text.value) => {
                        f.write_str(&text.value)?
                    }
                    SetValue::Text(text) => text.fmt(f)?,
                }
                if let Some(file) = exception {
                    write!(f, " with exception {file}")?;
                }
                Ok(())
            }
            S::AddTenantRoleToProject { role, project } => {
                write!(f, "add tenant role {role} to project {project}")
            }
            S::RemoveTenantRoleFromProject { role, project } => {
                write!(f, "remove tenant role {role} from project {project}")
            }
            S::GetPolicy { role } => {
                f.write_str("get policy")?;
                if let Some(role) = role {
                    write!(f, " on {role}")?;
                }
                Ok(())
            }
            S::PutPolicy { file, role } => {
                write!(f, "put policy {file}")?;
                if let Some(role) = role {
                    write!(f, " on {role}")?;
                }
                Ok(())
            }
            S::GetSecurityPolicy => f.write_str("get security policy"),
            S::PutSecurityPolicy { file } => write!(f, "put security policy {file}"),
            S::ListTrustedProjects => f.write_str("list trustedprojects"),
            S::AddTrustedProject { project } => write!(f, "add trustedproject {project}"),
            S::RemoveTrustedProject { project } => write!(f, "remove trustedproject {project}"),
            S::CreatePackage { package } => write!(f, "create package {package}"),
            S::DropPackage { package } => write!(f, "drop package {package}"),
            S::AddToPackage {
                object_type,
                object,
                package,
                privileges,
                properties,
            } => {
                write!(f, "add {object_type} {object} to package {package}")?;
                if let Some(privileges) = privileges {
                    f.write_str(" with privileges ")?;
                    write_list(f, privileges)?;
                }
                write_properties(f, properties)
            }
            S::RemoveFromPackage {
                object_type,
                object,
                package,
            } => {
                write!(f, "remove {object_type} {object} from package {package}")
            }
            S::AllowInstallPackage {
                project,
                package,
                privileges,
                label,
                days,
            } => {
                write!(f, "allow project {project} to install package {package}")?;
                if let Some(privileges) = privileges {
                    f.write_str(" with ")?;
                    write_list(f, privileges)?;
                }
                if let Some(label) = label {
                    write!(f, " using label {label}")?;
                }
                if let Some(days) = days {
                    write!(f, " exp {days}")?;
                }
                Ok(())
            }
            S::DisallowInstallPackage { project, package } => {
                write!(f, "disallow project {project} to install package {package}")
            }
            S::InstallPackage {
                package,
                properties,
            } => {
                write!(f, "install package {package}")?;
                write_properties(f, properties)
            }
            S::UninstallPackage {
                package,
                properties,
            } => {
                write!(f, "uninstall package {package}")?;
                write_properties(f, properties)
            }
            S::ShowPackages { with, properties } => {
                f.write_str("show packages")?;
                if let Some(object) = with {
                    write!(f, " with {object}")?;
                }
                write_properties(f, properties)
            }
            S::DescribePackage {
                package,
                properties,
            } => {
                write!(f, "describe package {package}")?;
                write_properties(f, properties)
            }
            S::ShowPackageItems {
                project,
                object_type,
                properties,
            } => {
                f.write_str("show package items")?;
                if let Some(project) = project {
                    write!(f, " from {project}")?;
                }
                if let Some(t) = object_type {
                    write!(f, " on type {t}")?;
                }
                write_properties(f, properties)
            }
            S::DescribePackageItems { object, project } => {
                write!(f, "describe package items {object}")?;
                if let Some(project) = project {
                    write!(f, " from {project}")?;
                }
                Ok(())
            }
            S::SetLabel { level, target } => {
                write!(f, "set label {level} to ")?;
                match target {
                    LabelTarget::Table { table, columns } => {
                        write!(f, "table {table}")?;
                        write_columns(f, columns)
                    }
                    LabelTarget::User { principal } => write!(f, "user {principal}"),
                }
            }
            S::GrantLabel(grant) => grant.fmt(f),
            S::RevokeLabel {
                table,
                columns,
                grantee,
                properties,
            } => {
                write!(f, "revoke label on table {table}")?;
                write_columns(f, columns)?;
                write!(f, " from {}", explicit(grantee))?;
                write_properties(f, properties)
            }
            S::ShowLabelGrants {
                level,
                scope,
                properties,
            } => {
                f.write_str("show label")?;
                if let Some(level) = level {
                    write!(f, " {level}")?;
                }
                f.write_str(" grants")?;
                match scope {
                    LabelGrantsScope::All => {}
                    LabelGrantsScope::OnTable { table, grantee } => {
                        write!(f, " on table {table}")?;
                        if let Some(g) = grantee {
                            write!(f, " for {}", explicit(g))?;
                        }
                    }
                    LabelGrantsScope::For { grantee } => write!(f, " for {}", explicit(grantee))?,
                    LabelGrantsScope::ForTable { table } => write!(f, " for table {table}")?,
                }
                write_properties(f, properties)
            }
            S::AddGroup {
                tenant: t,
                group,
                comment,
            } => {
                write!(f, "add {}group {group}", tenant(*t))?;
                if let Some(comment) = comment {
                    write!(f, " comment {comment}")?;
                }
                Ok(())
            }
            S::RemoveGroup { tenant: t, group } => write!(f, "remove {}group {group}", tenant(*t)),
            S::ListGroups { tenant: t, user } => {
                write!(f, "list {}groups", tenant(*t))?;
                if let Some(user) = user {
                    write!(f, " for user {user}")?;
                }
                Ok(())
            }
            S::AlterUser {
                tenant: t,
                principal,
                change,
            } => {
                write!(f, "alter {}user {principal} {change}", tenant(*t))
            }
            S::AlterRole {
                tenant: t,
                role,
                change,
            } => write!(f, "alter {}role {role} {change}", tenant(*t)),
            S::GrantSuper {
                privileges,
                grantee,
            } => {
                f.write_str("grant super ")?;
                write_list(f, privileges)?;
                write!(
                    f,
                    " to {}",
                    GranteeText {
                        grantee,
                        explicit_user: true
                    }
                )
            }
            S::RevokeSuper {
                privileges,
                grantee,
            } => {
                f.write_str("revoke super ")?;
                write_list(f, privileges)?;
                write!(
                    f,
                    " from {}",
                    GranteeText {
                        grantee,
                        explicit_user: true
                    }
                )
            }
            S::SetProject { properties } => {
                f.write_str("setproject")?;
                for p in properties {
                    write!(f, " {p}")?;
                }
                Ok(())
            }
            S::CreateRowAccessPolicy(create) => create.fmt(f),
            S::DropRowAccessPolicy { policy, table } => {
                write!(f, "drop row access policy {policy} on {table}")
            }
            S::DescribeRowAccessPolicy { policy, table } => {
                write!(f, "describe row access policy {policy} on {table}")
            }
            S::ListRowAccessPolicies { table } => write!(f, "list row access policy on {table}"),
            S::CreateMaskingPolicy {
                if_not_exists,
                policy,
                to,
                method,
            } => {
                f.write_str("create data masking policy ")?;
                if *if_not_exists {
                    f.write_str("if not exists ")?;
                }
                write!(f, "{policy} to {to} using {method}")
            }
            S::ApplyMaskingPolicy {
                policy,
                table,
                column,
            } => write!(
                f,
                "apply data masking policy {policy} bind to table {table} column {column}"
            ),
            S::UnapplyMaskingPolicy {
                policy,
                table,
                column,
            } => write!(
                f,
                "unapply data masking policy {policy} unbind from table {table} column {column}"
            ),
            S::DropMaskingPolicy { policy } => write!(f, "drop data masking policy {policy}"),
            S::DescribeMaskingPolicy { policy } => {
                write!(f, "describe data masking policy {policy}")
            }
        }
    }
}

impl Display for PropertyChange {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PropertyChange::Set { properties } => write!(f, "set {properties}"),
            PropertyChange::Unset { keys } => {
                f.write_str("unset privilegeproperties(")?;
                write_list(f, keys)?;
                f.write_char(')')
            }
        }
    }
}
