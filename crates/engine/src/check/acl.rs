//! ACL and policy grants, `show grants`, `show acl`, `purge privs`
//! (docs/language.md#privileges to #purge-privs;
//! rules d, h of #checked-rules).
//!
//! **Choices where the docs are silent:**
//! - Objects themselves (tables, functions…) are not modelled, so a grant
//!   on an object that does not exist cannot be caught; the object must
//!   belong to the current project (`prj.t` with another `prj` fails).
//! - Wildcard object names (`tb_*`) are accepted in policy grants only:
//!   ACLs name existing objects.
//! - Granting a privilege already held with the same properties changes
//!   nothing; with other properties, the properties are replaced.
//!   Revoking a privilege not held changes nothing; both warn.
//! - `purge privs` does not need the RAM provider (it cleans up after
//!   principals that are gone) and, with nothing to purge, changes nothing.

use mcauth_syntax::ObjectType;
use mcauth_syntax::ast::{
    Grantee, GrantsFilter, Ident, Object, ObjectName, PartitionValue, Principal, PrincipalKind,
    Privilege as PrivilegeAst, Properties, Property, StatementKind, StringLit,
};
use mcauth_syntax::did_you_mean;
use rustc_hash::FxHashSet;

use super::resolve::{bare, existing, id_of};
use super::role_space::revoke_all;
use super::roles::{invalid_property, role_not_found};
use super::{Cx, Outcome, is_group, ok};
use crate::authority::{Action, Authority, not_in_project};
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::output::{AclLine, AclReport, AuthorizationType, GrantsReport, Output};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::report::{Filter, acl_lines, sections};
use crate::state::{Expiry, GrantKey, GrantKind, GrantProps, RoleScope, RoleType};
use crate::time::expiry_after;
use crate::view::StateView;

/// The `privilegeproperties` of a grant or revoke.
struct GrantProperties {
    policy: bool,
    allow: bool,
    conditions: Option<String>,
    expires_days: Option<u32>,
}

fn boolean(lit: &StringLit) -> Result<bool, Failure> {
    if lit.value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if lit.value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(invalid_property(
            lit,
            format!("expected \"true\" or \"false\", not \"{}\"", lit.value),
            "e.g. privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\")",
        ))
    }
}

fn grant_properties(properties: Option<&Properties>) -> Result<GrantProperties, Failure> {
    let mut out = GrantProperties {
        policy: false,
        allow: true,
        conditions: None,
        expires_days: None,
    };
    for Property { key, value } in properties.iter().flat_map(|p| p.entries.iter()) {
        match key.value.to_ascii_lowercase().as_str() {
            "policy" => out.policy = boolean(value)?,
            "allow" => out.allow = boolean(value)?,
            "conditions" => out.conditions = Some(value.value.clone()),
            "expires" => {
                out.expires_days = Some(value.value.trim().parse().map_err(|_| {
                    invalid_property(
                        value,
                        format!("\"expires\" is a number of days, not \"{}\"", value.value),
                        "e.g. privilegeproperties(\"expires\"=\"30\")",
                    )
                })?);
            }
            _ => {
                return Err(invalid_property(
                    key,
                    format!("unknown privilege property \"{}\"", key.value),
                    "grants take \"policy\", \"allow\", \"conditions\" and \"expires\", e.g. privilegeproperties(\"expires\"=\"30\")",
                ));
            }
        }
    }
    Ok(out)
}

fn invalid_object(name: &ObjectName, message: String, help: String) -> Failure {
    Failure::new(
        FailureCode::InvalidObject,
        message,
        name.span,
        "not an object of this project",
        help,
    )
}

/// The normalised name of an object of this project.
pub(crate) fn object_name<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    kind: ObjectKind,
    name: &ObjectName,
    patterns: bool,
) -> Result<String, Failure> {
    let project = cx.view.project();
    if name.is_pattern() && !patterns {
        return Err(invalid_object(
            name,
            format!(
                "ACL grants name existing objects; `{}` is a pattern, which only policy grants take",
                name.value
            ),
            format!(
                "grant it to a role as a policy: grant <privilege> on {kind} {} to role <role> privilegeproperties(\"policy\"=\"true\", \"allow\"=\"true\");",
                name.value
            ),
        ));
    }
    let other = |p: &str| {
        invalid_object(
            name,
            format!("`{}` belongs to project {p}, not to {project}", name.value),
            format!("run the grant in project {p}, or name an object of {project}"),
        )
    };
    let here = |p: &str| {
        p.eq_ignore_ascii_case(project)
            || cx
                .ctx
                .project_aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(p))
    };
    let parts = name.parts();
    match kind {
        ObjectKind::Project => {
            if here(&name.value) {
                Ok(project.to_owned())
            } else {
                Err(other(&name.value))
            }
        }
        ObjectKind::Table => {
            let schema_mode = cx.ctx.namespace_schema;
            let table = match (schema_mode, parts.as_slice()) {
                (_, [t]) if !t.is_empty() => Some(t.to_ascii_lowercase()),
                // Schema mode: a.b is schema.table, a.b.c project.schema.table.
                (Some(true), [s, t]) if !s.is_empty() && !t.is_empty() => Some(schema_table(s, t)),
                // Otherwise a.b is project.table.
                (Some(false) | None, [p, t]) if !t.is_empty() && here(p) => {
                    Some(t.to_ascii_lowercase())
                }
                (Some(false), [_, _, _]) => {
                    return Err(invalid_object(
                        name,
                        format!(
                            "`{}` names project.schema.table, which only schema mode reads; this session set odps.namespace.schema=false",
                            name.value
                        ),
                        format!(
                            "switch schema mode on first: set odps.namespace.schema=true; or name the table as {project}.<table>"
                        ),
                    ));
                }
                // Unset: the tenant's default decides; read a.b.c as
                // project.schema.table, which is all it can mean.
                (Some(true) | None, [p, s, t]) if !s.is_empty() && !t.is_empty() && here(p) => {
                    Some(schema_table(s, t))
                }
                (Some(false), [p, _]) if !here(p) => return Err(other(p)),
                (None, [p, t]) if !here(p) => {
                    return Err(invalid_object(
                        name,
                        format!("`{}` belongs to project {p}, not to {project}", name.value),
                        format!(
                            "run the grant in project {p}; or, if {p} is a schema of {project}, switch schema mode on first: set odps.namespace.schema=true; (then {p}.{t} is schema.table)"
                        ),
                    ));
                }
                (_, [p, _, _]) if !here(p) => return Err(other(p)),
                _ => None,
            };
            table.ok_or_else(|| {
                invalid_object(
                    name,
                    format!("`{}` is not a table name", name.value),
                    format!(
                        "name a table as <table> or {project}.<table>, e.g. grant Select on table sales to <user>;"
                    ),
                )
            })
        }
        ObjectKind::Schema => match parts.as_slice() {
            [s] if !s.is_empty() => Ok(s.to_ascii_lowercase()),
            [p, s] if !s.is_empty() && here(p) => Ok(s.to_ascii_lowercase()),
            [p, _] if !here(p) => Err(other(p)),
            _ => Err(invalid_object(
                name,
                format!("`{}` is not a schema name", name.value),
                format!("name a schema as <schema> or {project}.<schema>"),
            )),
        },
        _ => Ok(kind.normalise_name(&name.value)),
    }
}

/// A table in a schema, as kept: `schema.table`, or `table` in the
/// schema DEFAULT (where a table named without a schema is).
fn schema_table(schema: &str, table: &str) -> String {
    if schema.eq_ignore_ascii_case("default") {
        table.to_ascii_lowercase()
    } else {
        format!("{schema}.{table}").to_ascii_lowercase()
    }
}

/// The partition of an object as kept: `col=value/col=value`, columns in
/// lower case, values as written (a string's quotes removed).
pub(crate) fn partition_text(values: &[PartitionValue]) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&v.column.value.to_ascii_lowercase());
        if let Some(value) = &v.value {
            out.push('=');
            out.push_str(value.text());
        }
    }
    out
}

/// The statement with one thing changed, as help text.
fn amended(stmt: &mcauth_syntax::ast::Statement, f: impl FnOnce(&mut StatementKind)) -> String {
    let mut s = stmt.clone();
    f(&mut s.kind);
    s.to_string()
}

fn policy_properties(allow: bool) -> Properties {
    Properties {
        entries: vec![
            Property {
                key: StringLit::new("policy"),
                value: StringLit::new("true"),
            },
            Property {
                key: StringLit::new("allow"),
                value: StringLit::new(if allow { "true" } else { "false" }),
            },
        ],
        span: Default::default(),
    }
}

/// Every (object, privilege) a statement names, checked against
/// docs/language.md#privileges-per-object-type.
fn targets<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    privileges: &[PrivilegeAst],
    object: &Object,
    policy: bool,
) -> Result<Vec<(ObjectRef, Privilege)>, Failure> {
    let kind = object.object_type;
    let name = object_name(cx, kind, &object.name, policy)?;
    let partition = object.partition.as_deref().map(partition_text);
    if let Some(p) = &partition {
        cx.warn_with(
            WarningCode::NotVerified,
            format!(
                "how MaxCompute keeps a grant on one partition is not documented; mcauth records it on partition {p} of table {name}, apart from the table's own grants"
            ),
            object.name.span,
            "MaxCompute's answer is the verdict; `show grants` shows what it kept",
        );
    }
    let mut out = Vec::new();
    for (i, p) in privileges.iter().enumerate() {
        let valid = kind.privileges().unwrap_or(&Privilege::ALL);
        let Some(privilege) = Privilege::from_name(&p.name.value).filter(|pr| kind.allows(*pr))
        else {
            let names: Vec<&str> = valid.iter().map(|p| p.as_str()).collect();
            let guess = did_you_mean(&p.name.value, names.iter().copied());
            let suggestion = guess.or(names.first().copied()).unwrap_or("All");
            let known = Privilege::from_name(&p.name.value).is_some();
            let message = if known {
                format!("privilege {} is not valid on a {kind}", p.name.value)
            } else {
                format!("unknown privilege {}", p.name.value)
            };
            let fixed = amended(cx.stmt, |k| {
                if let StatementKind::GrantPrivileges { privileges, .. }
                | StatementKind::RevokePrivileges { privileges, .. } = k
                    && let Some(p) = privileges.get_mut(i)
                {
                    p.name = Ident::new(suggestion);
                }
            });
            return Err(Failure::new(
                FailureCode::InvalidPrivilege,
                message,
                p.name.span,
                format!("not a {kind} privilege"),
                match guess {
                    Some(guess) if !known => format!(
                        "did you mean `{guess}`: {fixed} (privileges on a {kind}: {})",
                        names.join(", ")
                    ),
                    _ => format!("privileges on a {kind}: {}; e.g. {fixed}", names.join(", ")),
                },
            ));
        };
        let columns = p.columns.as_ref().or(object.columns.as_ref());
        match columns {
            Some(cols) if kind == ObjectKind::Table => {
                for c in cols {
                    out.push((
                        ObjectRef {
                            partition: partition.clone(),
                            ..ObjectRef::column(kind, name.clone(), c.value.to_ascii_lowercase())
                        },
                        privilege,
                    ));
                }
            }
            Some(_) => {
                return Err(invalid_object(
                    &object.name,
                    format!("only tables have columns, not a {kind}"),
                    format!(
                        "drop the column list: ... on {kind} {} ...",
                        object.name.value
                    ),
                ));
            }
            None => out.push((
                ObjectRef {
                    partition: partition.clone(),
                    ..ObjectRef::new(kind, name.clone())
                },
                privilege,
            )),
        }
    }
    Ok(out)
}

/// The grantee of a grant or revoke. When granting, the rules of #privileges
/// about policy grants and administrator roles apply.
pub(crate) fn grantee<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    g: &Grantee,
    kind: Option<GrantKind>,
) -> Result<GranteeId, Failure> {
    match g {
        Grantee::User {
            tenant: false,
            principal,
        } => {
            let id = existing(cx, principal, false)?;
            if kind.is_some_and(GrantKind::is_policy) {
                return Err(Failure::new(
                    FailureCode::PolicyGrantToUser,
                    "Policy-based permission control supports granting permissions only to existing roles.",
                    principal.span,
                    "a user, but policy grants go to roles",
                    format!(
                        "grant the policy to a role and the role to the user: create role policy_role; {} grant policy_role to {};",
                        amended(cx.stmt, |k| {
                            if let StatementKind::GrantPrivileges { grantees, .. } = k {
                                *grantees = vec![Grantee::Role {
                                    tenant: false,
                                    name: Ident::new("policy_role"),
                                }];
                            }
                        }),
                        id.to_statement_text()
                    ),
                ));
            }
            Ok(GranteeId::User(id))
        }
        Grantee::Role { tenant, name } => {
            let role = RoleName::new(&name.value);
            let (scope, fact) = if *tenant {
                (RoleScope::Tenant, Fact::TenantRoles)
            } else {
                (RoleScope::Project, Fact::Roles)
            };
            let role_type = cx.view.role_in(scope, &role).map(|i| i.role_type);
            if kind.is_some() && role.is_builtin() {
                return Err(Failure::new(
                    FailureCode::BuiltinRole,
                    format!("the permissions of built-in role {role} cannot be modified"),
                    name.span,
                    "a built-in role",
                    format!("grant to a custom role instead: create role <role>; {}", cx.stmt),
                ));
            }
            let role_type = match role_type {
                Some(t) => t,
                None if !cx.knows(fact, name.span) => RoleType::Resource,
                None => {
                let help = if *tenant {
                    format!("create it first: create tenant role {role};")
                } else {
                    format!("create it first: create role {role};")
                };
                let known = cx.view.roles_in(scope);
                return Err(role_not_found(name, &known, help));
                }
            };
            if kind == Some(GrantKind::Acl) && role_type == RoleType::Admin {
                return Err(Failure::new(
                    FailureCode::AclGrantToAdminRole,
                    format!("{role} is an administrator role; administrator roles take policy grants only"),
                    name.span,
                    "an administrator role",
                    format!(
                        "grant it as a policy: {}",
                        amended(cx.stmt, |k| {
                            if let StatementKind::GrantPrivileges { properties, .. } = k {
                                *properties = Some(policy_properties(true));
                            }
                        })
                    ),
                ));
            }
            Ok(if *tenant {
                GranteeId::TenantRole(role)
            } else {
                GranteeId::Role(role)
            })
        }
        Grantee::User { tenant: true, .. } => Err(cx.unsupported(
            "grants to tenant users",
            "add the user to the project and grant it there: add user <user>; grant <privilege> on <object> to <user>;",
        )),
        _ if is_group(g) => Err(cx.unsupported(
            "groups",
            "grant to a role instead: grant <privilege> on <object> to role <role>;",
        )),
        _ => Err(cx.unsupported("this grantee", "grant to a user or a role")),
    }
}

pub(crate) fn grant<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    privileges: &[PrivilegeAst],
    object: &Object,
    grantees: &[Grantee],
    with_grant_option: bool,
    properties: Option<&Properties>,
) -> Outcome {
    // A member without the standing may still be the objects' creator
    // (checked once the objects are known).
    let standing = super::creator::standing(cx, Action::Grant)?;
    if with_grant_option {
        return Err(Failure::new(
            FailureCode::GrantOptionNotSupported,
            "ACLs do not support granting permissions with the [with grant option] clause.",
            cx.stmt.span,
            "with grant option",
            amended(cx.stmt, |k| {
                if let StatementKind::GrantPrivileges {
                    with_grant_option, ..
                } = k
                {
                    *with_grant_option = false;
                }
            }),
        ));
    }
    let props = grant_properties(properties)?;
    let kind = if props.policy {
        GrantKind::Policy { allow: props.allow }
    } else if !props.allow {
        let span = properties.map_or(cx.stmt.span, |p| p.span);
        return Err(Failure::new(
            FailureCode::AclDenyNotSupported,
            "ACLs support only whitelisting. Blacklisting is not supported.",
            span,
            "a deny without \"policy\"=\"true\"",
            format!(
                "deny with a policy grant to a role: {}",
                amended(cx.stmt, |k| {
                    if let StatementKind::GrantPrivileges { properties, .. } = k {
                        *properties = Some(policy_properties(false));
                    }
                })
            ),
        ));
    } else {
        GrantKind::Acl
    };
    let targets = targets(cx, privileges, object, props.policy)?;
    super::creator::or_creator(cx, standing, targets.iter().map(|(o, _)| o))?;
    let grant_props = GrantProps {
        conditions: props.conditions,
        expires: props.expires_days.map(|d| expiry_after(d, cx.ctx.now)),
    };
    let mut changes: Vec<Change> = Vec::new();
    // The (grantee, grant) pairs this statement already adds.
    let mut adding: FxHashSet<(GranteeId, GrantKey)> = FxHashSet::default();
    for g in grantees {
        let id = grantee(cx, g, Some(kind))?;
        for (object, privilege) in &targets {
            let key = GrantKey {
                object: object.clone(),
                privilege: *privilege,
                kind,
            };
            // Unread grants: the grant is sent whatever it holds, which
            // MaxCompute accepts again without effect; nothing to warn of.
            let same = cx.view.knows_grants_of(&id)
                && cx.view.grant_props(&id, &key) == Some(&grant_props);
            if !same && adding.insert((id.clone(), key.clone())) {
                changes.push(Change::AddAclGrant {
                    grantee: id.clone(),
                    grant: key,
                    props: grant_props.clone(),
                });
            }
        }
    }
    if changes.is_empty() {
        cx.warn(
            WarningCode::NoEffect,
            "every privilege named is already granted as written",
            cx.stmt.span,
        );
    }
    ok(changes)
}

pub(crate) fn revoke<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    privileges: &[PrivilegeAst],
    object: &Object,
    grantees: &[Grantee],
    grant_option_for: bool,
    properties: Option<&Properties>,
) -> Outcome {
    let standing = super::creator::standing(cx, Action::Revoke)?;
    if grant_option_for {
        return Err(Failure::new(
            FailureCode::GrantOptionNotSupported,
            "ACLs do not support granting permissions with the [with grant option] clause.",
            cx.stmt.span,
            "grant option for",
            amended(cx.stmt, |k| {
                if let StatementKind::RevokePrivileges {
                    grant_option_for, ..
                } = k
                {
                    *grant_option_for = false;
                }
            }),
        ));
    }
    let props = grant_properties(properties)?;
    let kind = if props.policy {
        GrantKind::Policy { allow: props.allow }
    } else {
        GrantKind::Acl
    };
    let targets = targets(cx, privileges, object, props.policy)?;
    super::creator::or_creator(cx, standing, targets.iter().map(|(o, _)| o))?;
    let mut changes = Vec::new();
    // The (grantee, grant) pairs this statement already removes.
    let mut removing: FxHashSet<(GranteeId, GrantKey)> = FxHashSet::default();
    let mut missing: Option<(GranteeId, GrantKey)> = None;
    for g in grantees {
        let id = grantee(cx, g, None)?;
        for (object, privilege) in &targets {
            let key = GrantKey {
                object: object.clone(),
                privilege: *privilege,
                kind,
            };
            if cx.view.grant_seq(&id, &key).is_some() || !cx.knows_grants_of(&id, g.span()) {
                if removing.insert((id.clone(), key.clone())) {
                    changes.push(Change::RemoveAclGrant {
                        grantee: id.clone(),
                        grant: key,
                    });
                }
            } else if missing.is_none() {
                missing = Some((id.clone(), key));
            }
        }
    }
    if let Some((g, key)) = missing {
        let show = format!("show grants for {};", g.to_statement_text());
        cx.warn_with(
            WarningCode::NoEffect,
            format!(
                "{} holds no {} on {}; nothing to revoke there",
                g.name(),
                key.privilege,
                key.object.to_statement_text()
            ),
            cx.stmt.span,
            format!("see what it holds: {show}"),
        );
    }
    ok(changes)
}

/// The id a `purge privs from <user>` means: a member, or else whoever
/// holds retained grants under that name.
fn purge_user_id<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, p: &Principal) -> PrincipalId {
    if let PrincipalKind::Bare { name } = &p.kind {
        if let Some(member) = bare(cx, name) {
            return member;
        }
        for candidate in [
            PrincipalId::aliyun(name),
            PrincipalId::ram_user(&cx.caller.account, name),
        ] {
            if cx.view.has_grants(&GranteeId::User(candidate.clone())) {
                return candidate;
            }
        }
    }
    id_of(cx, p)
}

fn still_exists(name: &str, span: impl Into<mcauth_syntax::Span>, help: String) -> Failure {
    Failure::new(
        FailureCode::PrincipalStillExists,
        format!("Principal {name} still exist in the project"),
        span,
        "still in the project",
        help,
    )
}

pub(crate) fn purge<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, grantees: &[Grantee]) -> Outcome {
    cx.require(Action::PurgePrivileges)?;
    let mut changes = Vec::new();
    for g in grantees {
        let id = match g {
            Grantee::User {
                tenant: false,
                principal,
            } => {
                let id = purge_user_id(cx, principal);
                if &id == cx.view.owner()
                    || (cx.knows(Fact::Members, principal.span) && cx.view.is_member(&id))
                {
                    let roles = cx.view.roles_of(&id);
                    let revoke = if roles.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", revoke_all(RoleScope::Project, roles, &id))
                    };
                    let who = id.to_statement_text();
                    return Err(still_exists(
                        id.as_str(),
                        principal.span,
                        format!(
                            "remove the user first: {revoke}remove user {who}; purge privs from user {who};"
                        ),
                    ));
                }
                GranteeId::User(id)
            }
            Grantee::Role { tenant, name } => {
                let role = RoleName::new(&name.value);
                let exists = if *tenant {
                    cx.knows(Fact::TenantRoles, name.span) && cx.view.tenant_role(&role).is_some()
                } else {
                    cx.knows(Fact::Roles, name.span) && cx.view.role_exists(&role)
                };
                if exists {
                    let t = if *tenant { "tenant role" } else { "role" };
                    let members = if *tenant {
                        cx.view.tenant_role_members(&role)
                    } else {
                        cx.view.role_members(&role)
                    };
                    let revoke = if members.is_empty() {
                        String::new()
                    } else {
                        let who: Vec<String> =
                            members.iter().map(PrincipalId::to_statement_text).collect();
                        format!("revoke {role} from {}; ", who.join(", "))
                    };
                    return Err(still_exists(
                        role.as_str(),
                        name.span,
                        format!(
                            "drop the role first: {revoke}drop {t} {role}; purge privs from {t} {role};"
                        ),
                    ));
                }
                if *tenant {
                    GranteeId::TenantRole(role)
                } else {
                    GranteeId::Role(role)
                }
            }
            _ => {
                return Err(cx.unsupported(
                    "purging tenant users or groups",
                    "purge a removed user or a dropped role: purge privs from user <user>;",
                ));
            }
        };
        let has_labels = cx.view.label_grants().iter().any(|(g, _, _)| *g == &id);
        let known = cx.knows_grants_of(&id, g.span()) & cx.knows(Fact::Labels, g.span());
        if !known || cx.view.has_grants(&id) || has_labels {
            changes.push(Change::PurgeGrants { grantee: id });
        } else {
            cx.warn(
                WarningCode::NoEffect,
                format!("{} has no retained grants to purge", id.name()),
                g.span(),
            );
        }
    }
    ok(changes)
}

fn filter_of<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    on: Option<&GrantsFilter>,
) -> Result<Filter, Failure> {
    Ok(match on {
        None => Filter::All,
        Some(GrantsFilter::Type { object_type }) => Filter::Type(*object_type),
        Some(GrantsFilter::Object { object }) => {
            let kind = object.object_type;
            Filter::Object(kind, object_name(cx, kind, &object.name, true)?)
        }
    })
}

fn principal_report<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    id: PrincipalId,
    filter: &Filter,
) -> Output {
    if &id == cx.view.owner() {
        return Output::Grants(GrantsReport::Owner {
            owner: id,
            project: cx.view.project().to_owned(),
        });
    }
    let roles = cx.view.roles_of(&id);
    let mut grantees: Vec<GranteeId> = roles.iter().cloned().map(GranteeId::Role).collect();
    grantees.push(GranteeId::User(id.clone()));
    Output::Grants(GrantsReport::Principal {
        sections: sections(cx.view, &grantees, filter),
        principal: id,
        roles: roles.iter().cloned().collect(),
    })
}

pub(crate) fn show_grants<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    grantee: Option<&Grantee>,
    on: Option<&GrantsFilter>,
) -> Outcome {
    let output = match grantee {
        None => {
            if cx.authority() == Authority::Outsider {
                return Err(not_in_project(cx.view, cx.caller, cx.stmt.span));
            }
            let filter = filter_of(cx, on)?;
            principal_report(cx, cx.caller.principal.clone(), &filter)
        }
        Some(Grantee::User {
            tenant: false,
            principal,
        }) => {
            let self_query = id_of(cx, principal) == cx.caller.principal;
            if !self_query {
                cx.require(Action::ShowGrants)?;
            } else if cx.authority() == Authority::Outsider {
                return Err(not_in_project(cx.view, cx.caller, cx.stmt.span));
            }
            let id = existing(cx, principal, false)?;
            let filter = filter_of(cx, on)?;
            principal_report(cx, id, &filter)
        }
        Some(Grantee::Role { tenant, name }) => {
            cx.require(Action::ShowGrants)?;
            let role = RoleName::new(&name.value);
            let (exists, id, fact) = if *tenant {
                (
                    cx.view.tenant_role(&role).is_some(),
                    GranteeId::TenantRole(role.clone()),
                    Fact::TenantRoles,
                )
            } else {
                (
                    cx.view.role_exists(&role),
                    GranteeId::Role(role.clone()),
                    Fact::Roles,
                )
            };
            if !exists && cx.knows(fact, name.span) {
                return Err(role_not_found(
                    name,
                    &cx.view.roles(),
                    "`list roles;` shows the roles".into(),
                ));
            }
            let filter = filter_of(cx, on)?;
            Output::Grants(GrantsReport::Role {
                sections: sections(cx.view, std::slice::from_ref(&id), &filter),
                role,
            })
        }
        Some(_) => {
            return Err(cx.unsupported(
                "grants of tenant users and groups",
                "show the grants of a project user or role: show grants for <user>;",
            ));
        }
    };
    Ok((Vec::new(), output))
}

pub(crate) fn show_acl<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    object: &ObjectName,
    object_type: Option<ObjectType>,
) -> Outcome {
    cx.require(Action::ShowAcl)?;
    // Documented default: a table.
    let kind = object_type.unwrap_or(ObjectKind::Table);
    let name = object_name(cx, kind, object, true)?;
    let filter = Filter::Object(kind, name.clone());
    let implicit_line = |who: String| AclLine {
        marker: "AG".into(),
        grantee: who,
        resource: None,
        privileges: vec![Privilege::All],
        expires: None,
    };
    let mut implicit = vec![implicit_line(format!("project_owner/{}", cx.view.owner()))];
    for (role, label) in [
        (RoleName::super_administrator(), "super_administrator"),
        (RoleName::admin(), "admin"),
    ] {
        for m in cx.view.role_members(&role) {
            implicit.push(implicit_line(format!("{label}/{m}")));
        }
    }
    let active: Vec<&GranteeId> = cx
        .view
        .grantees()
        .into_iter()
        .filter(|g| match g {
            GranteeId::User(p) => cx.view.is_member(p),
            GranteeId::Role(r) => cx.view.role_exists(r),
            GranteeId::TenantRole(r) => cx.view.tenant_role(r).is_some(),
        })
        .collect();
    let report = AclReport {
        object_type: kind,
        object: name,
        implicit,
        acl: acl_lines(cx.view, &active, AuthorizationType::Acl, &filter),
        policy: acl_lines(cx.view, &active, AuthorizationType::Policy, &filter),
    };
    Ok((Vec::new(), Output::Acl(report)))
}

pub(crate) fn clear_expired<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ClearExpiredGrants)?;
    let Some(now) = cx.ctx.now else {
        cx.warn(
            WarningCode::NotVerified,
            "no clock was given, so no grant counts as expired",
            cx.stmt.span,
        );
        return ok(Vec::new());
    };
    let expired = |e: Option<&Expiry>| matches!(e, Some(Expiry::At(t)) if *t <= now);
    cx.knows(Fact::Grants, cx.stmt.span);
    cx.knows(Fact::Labels, cx.stmt.span);
    let mut changes = Vec::new();
    for g in cx.view.grantees() {
        for (key, (props, _)) in cx.view.grants_held(g).into_iter().flatten() {
            if expired(props.expires.as_ref()) {
                changes.push(Change::RemoveAclGrant {
                    grantee: g.clone(),
                    grant: key.clone(),
                });
            }
        }
    }
    for (g, object, label) in cx.view.label_grants() {
        if expired(label.expires.as_ref()) {
            changes.push(Change::RemoveLabelGrant {
                grantee: g.clone(),
                object: object.clone(),
            });
        }
    }
    ok(changes)
}
