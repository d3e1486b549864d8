//! Reading facts from MaxCompute, one kind at a time.
//!
//! Each reader turns what the service answers into the engine
//! [`Change`]s that put the fact into a state built by
//! [`mcauth_engine::ProjectState::unread`]; the caller applies them and
//! then records the kind as known ([`mcauth_engine::ProjectState::learn`]).
//! A reader returns changes rather than editing the state, so several can
//! run at once.
//!
//! Where MaxCompute has a REST call for a fact, the reader uses it;
//! otherwise it sends the statement odpscmd would (`list trustedprojects`,
//! `show securityconfiguration`, …) with text output and reads the
//! documented format, which is also what the engine prints.
//!
//! | kind | requests |
//! | --- | --- |
//! | trusted projects | `list trustedprojects` |
//! | flags | `show securityconfiguration` |
//! | packages | `show packages`, then `describe package k` per package created |
//! | installs | `show packages` |
//! | tenant users | `list tenant users` |
//! | labels | `show label grants` |
//! | groups | `list groups`, `list tenant groups` |
//! | policies | `GET ?policy`, `GET ?security_policy`, `GET ?security_configuration` (ProjectProtection's exception policy), `GET roles/{r}?policy` per role |
//! | one grantee's grants | `show grants for <user>` / `show grants for [tenant] role r` |
//!
//! Not read here: providers, members, roles and their holders
//! (`snapshot`); the grants as a whole (a removed user's or dropped
//! role's retained grants cannot be shown, so only [`read_grants`] per
//! grantee); the tenant roles added to the project (see [`tenant`]).
//!
//! Not read at all, so their checks pass with a `not_verified` warning:
//! - the row access policies: they are kept per table, and only `list
//!   row access policy on <t>` shows them, one table at a time; no
//!   statement lists the tables that have some (nor, in the security
//!   language, the tables at all), so they cannot be read whole;
//! - the data masking policies: `describe data masking policy <p>` shows
//!   one policy, and no documented statement lists them all or shows
//!   which columns they are bound to (the Java SDK reads a table's
//!   bindings from its extended metadata, one table at a time).

mod flags;
mod grants;
mod groups;
mod labels;
mod owner;
mod packages;
mod policies;
mod sharing;
mod tenant;
mod text;
mod trusted;

#[cfg(test)]
mod roundtrip;
#[cfg(test)]
mod served;

use mcauth_engine::{Change, Fact, GranteeId, RoleName};
use mcauth_odps::{Client, OdpsError, SecurityQuery};

use text::ParseError;

/// What is already known when a kind is read: the roles, whose policies
/// are read one by one. (A member's grants are asked one member at a time,
/// [`read_grants`]; no reader needs the members, so a large project's
/// members are not copied into every reading job.)
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub roles: Vec<RoleName>,
}

/// The kinds [`read`] can read. Providers, members, roles and their
/// holders are read by `snapshot`.
pub fn readable(fact: Fact) -> bool {
    match fact {
        Fact::TrustedProjects
        | Fact::Flags
        | Fact::Packages
        | Fact::Installs
        | Fact::TenantUsers
        | Fact::TenantRoles
        | Fact::ProjectProperties
        | Fact::Labels
        | Fact::Groups
        | Fact::Policies => true,
        Fact::Providers
        | Fact::Members
        | Fact::Roles
        | Fact::RoleHolders
        | Fact::Grants
        | Fact::TenantRolesInProject
        | Fact::ObjectLabels
        | Fact::RowAccessPolicies
        | Fact::MaskingPolicies => false,
    }
}

/// Reads one kind of fact. `Ok(None)`: this kind cannot be read from the
/// service (it stays unknown).
pub async fn read(
    client: Client,
    project: String,
    fact: Fact,
    known: Known,
) -> Result<Option<Vec<Change>>, OdpsError> {
    if !readable(fact) {
        return Ok(None);
    }
    let (client, project) = (&client, project.as_str());
    let changes = match fact {
        Fact::TrustedProjects => {
            let answer = text_query(client, project, trusted::STATEMENT).await?;
            trusted::parse(&answer).map_err(|e| unreadable(trusted::STATEMENT, &e))?
        }
        Fact::Flags => {
            let answer = text_query(client, project, flags::STATEMENT).await?;
            flags::parse(&answer).map_err(|e| unreadable(flags::STATEMENT, &e))?
        }
        Fact::Packages => {
            let listing = package_listing(client, project).await?;
            let mut changes = Vec::new();
            for package in &listing.created {
                let statement = packages::describe(package);
                let answer = text_query(client, project, &statement).await?;
                changes.extend(
                    packages::parse_description(package, &answer)
                        .map_err(|e| unreadable(&statement, &e))?,
                );
            }
            changes
        }
        Fact::Installs => packages::installs(&package_listing(client, project).await?),
        Fact::TenantUsers => {
            let answer = text_query(client, project, tenant::USERS).await?;
            tenant::parse_users(&answer).map_err(|e| unreadable(tenant::USERS, &e))?
        }
        Fact::Labels => {
            let answer = text_query(client, project, labels::STATEMENT).await?;
            labels::parse(project, &answer).map_err(|e| unreadable(labels::STATEMENT, &e))?
        }
        Fact::Policies => policies::read(client, project, &known.roles).await?,
        Fact::Groups => {
            let mut changes = Vec::new();
            for (tenant, statement) in [(false, groups::PROJECT), (true, groups::TENANT)] {
                let answer = text_query(client, project, statement).await?;
                changes
                    .extend(groups::parse(tenant, &answer).map_err(|e| unreadable(statement, &e))?);
            }
            changes
        }
        Fact::TenantRoles => {
            let answer = text_query(client, project, tenant::ROLES).await?;
            let roles = tenant::parse_roles(&answer).map_err(|e| unreadable(tenant::ROLES, &e))?;
            let mut changes: Vec<Change> = roles
                .iter()
                .filter(|r| !r.is_builtin())
                .map(|role| Change::CreateTenantRole { role: role.clone() })
                .collect();
            for role in &roles {
                let statement = tenant::principals(role);
                let answer = text_query(client, project, &statement).await?;
                changes.extend(
                    tenant::parse_holders(role, &answer).map_err(|e| unreadable(&statement, &e))?,
                );
            }
            changes
        }
        // `setproject` as odpscmd shows it: the project's properties.
        Fact::ProjectProperties => client
            .project_properties(project)
            .await?
            .into_iter()
            .map(|(key, value)| Change::SetProjectProperty { key, value })
            .collect(),
        // The kinds [`readable`] says are not read here.
        _ => return Ok(None),
    };
    Ok(Some(changes))
}

/// Reads the grants of one grantee (a member, or an existing role).
/// `Ok(None)`: they cannot be read (a removed user's retained grants are
/// not shown by the service).
pub async fn read_grants(
    client: Client,
    project: String,
    grantee: GranteeId,
) -> Result<Option<Vec<Change>>, OdpsError> {
    let statement = grants::statement(&grantee);
    let answer = match text_query(&client, &project, &statement).await {
        Ok(answer) => answer,
        // Refused: if the grantee is gone, its retained grants cannot be
        // shown; otherwise the refusal stands.
        Err(e) if e.service().is_some() => {
            return match exists(&client, &project, &grantee).await {
                Ok(false) => Ok(None),
                Ok(true) | Err(_) => Err(e),
            };
        }
        Err(e) => return Err(e),
    };
    // `Ok(None)` from the parser: the owner's answer, which lists no grants.
    grants::parse(&project, &grantee, &answer).map_err(|e| unreadable(&statement, &e))
}

/// Whether a grantee whose grants were refused still exists: a member
/// (`GET users/{name}`), a role (`GET roles`). A tenant role is taken to
/// exist: the project endpoint has no REST call for it.
async fn exists(client: &Client, project: &str, grantee: &GranteeId) -> Result<bool, OdpsError> {
    match grantee {
        GranteeId::User(p) => match client.get_user(project, p.as_str()).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        },
        GranteeId::Role(r) => Ok(client
            .list_roles(project)
            .await?
            .iter()
            .any(|listed| RoleName::new(&listed.name) == *r)),
        GranteeId::TenantRole(_) => Ok(true),
    }
}

async fn package_listing(client: &Client, project: &str) -> Result<packages::Listing, OdpsError> {
    let answer = text_query(client, project, packages::LIST).await?;
    packages::parse_list(&answer).map_err(|e| unreadable(packages::LIST, &e))
}

/// Runs a statement with a text answer, as odpscmd asks for it.
async fn text_query(client: &Client, project: &str, statement: &str) -> Result<String, OdpsError> {
    let query = SecurityQuery::new(statement).json(false);
    client
        .run_security_query(project, &query, std::future::pending())
        .await
}

/// The error for an answer a reader could not read.
fn unreadable(statement: &str, e: &ParseError) -> OdpsError {
    let at = if e.line == 0 {
        String::new()
    } else {
        format!(" at line {}", e.line)
    };
    super::invalid(&format!(
        "the answer to `{statement}` cannot be read{at}: {}",
        e.message
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_kinds_are_the_ones_read_serves() {
        let served: Vec<&str> = Fact::ALL
            .into_iter()
            .filter(|f| readable(*f))
            .map(Fact::describe)
            .collect();
        assert_eq!(
            served.join("; "),
            "the policy documents; the labels and label grants; the packages; \
             the installed packages; the trusted projects; the security configuration; \
             the tenant's users; the tenant's roles; the groups; the project's properties"
        );
    }

    #[test]
    fn an_unreadable_answer_names_the_statement_and_the_line() {
        let e = unreadable("list trustedprojects", &ParseError::at(3, "`a b` is odd"));
        let text = e.to_string();
        assert!(text.contains("`list trustedprojects`"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("`a b` is odd"), "{text}");
    }
}
