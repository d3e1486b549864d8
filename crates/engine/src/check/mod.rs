//! Checking a statement against a view of the state: [`check`] says what
//! a statement would do (its [`Effect`]) or why it cannot run (a
//! [`Failure`]); [`execute`] is `check` followed by [`apply`] of the
//! changes.

mod access;
mod acl;
mod config;
mod creator;
mod groups;
mod labels;
mod packages;
mod policies;
mod resolve;
mod role_space;
mod roles;
mod tenant;
#[cfg(test)]
mod tests;
mod users;

use mcauth_syntax::Span;
use mcauth_syntax::ast::{Grantee, SetValue, Setting, Statement, StatementKind};
use serde::{Deserialize, Serialize};

use self::role_space::Assignment;
use crate::authority::{self, Action, Authority};
use crate::change::{Change, apply};
use crate::failure::{Failure, FailureCode, Warning, WarningCode};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId};
use crate::output::Output;
use crate::privilege::ObjectRef;
use crate::ram::RamVerdict;
use crate::state::ProjectState;
use crate::view::StateView;

/// Who runs a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    /// The user the statement runs as.
    pub principal: PrincipalId,
    /// The Alibaba Cloud account the caller belongs to; `RAM$name`
    /// resolves to `RAM$<account>:name`.
    pub account: String,
    /// What the caller's RAM policies decided for the RAM action this
    /// statement needs (see [`crate::ram_request`]), when someone evaluated them:
    /// the emulator does, for RAM users running tenant-level statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram: Option<RamVerdict>,
    /// The caller's RAM policies live in RAM, where this backend cannot
    /// read them (a client talking to MaxCompute): a statement RAM
    /// policies could allow is not refused for want of a verdict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ram_policies_unknown: bool,
}

impl Caller {
    /// `principal`, of `account`, with no RAM policy verdict.
    pub fn new(principal: PrincipalId, account: impl Into<String>) -> Self {
        Caller {
            principal,
            account: account.into(),
            ram: None,
            ram_policies_unknown: false,
        }
    }

    /// The same caller, whose RAM policies cannot be read here.
    pub fn with_unknown_ram_policies(mut self) -> Self {
        self.ram_policies_unknown = true;
        self
    }

    /// The same caller with a RAM policy verdict attached.
    pub fn with_ram(mut self, verdict: RamVerdict) -> Self {
        self.ram = Some(verdict);
        self
    }

    /// A caller whose account is the one its principal names
    /// (`ALIYUN$a` and `RAM$a:x` both belong to `a`).
    pub fn from_principal(principal: PrincipalId) -> Self {
        let account = principal.account().unwrap_or_default().to_owned();
        Caller::new(principal, account)
    }

    /// The project owner.
    pub fn owner_of(view: &(impl StateView + ?Sized)) -> Self {
        Caller::from_principal(view.owner().clone())
    }
}

/// What the engine is told about the moment and the connection; all
/// optional. `now` (Unix seconds, UTC) turns `"expires"="<days>"` into a
/// time and lets `clear expired grants` work; the rest feeds `whoami`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The moment, in Unix seconds (UTC).
    pub now: Option<i64>,
    /// The endpoint the client connected to, for `whoami`.
    pub endpoint: Option<String>,
    /// The Tunnel endpoint, for `whoami`.
    pub tunnel_endpoint: Option<String>,
    /// The client's IP address, for `whoami` and policy conditions.
    pub source_ip: Option<String>,
    /// The VPC the client connected from, for `whoami`.
    pub vpc_id: Option<String>,
    /// The session's current schema (`odps.default.schema`), for `whoami`.
    pub schema: Option<String>,
    /// The session's `odps.namespace.schema`: whether `a.b.c` names
    /// project.schema.table and `a.b` schema.table (`true`), or `a.b`
    /// project.table (`false`). `None` when the session did not set it:
    /// the tenant's default then decides, which mcauth cannot see, and
    /// names read as before the three-tier model (`a.b` project.table,
    /// `a.b.c` project.schema.table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_schema: Option<bool>,
    /// The text of each file a `put … policy FILE` statement names, keyed
    /// by the path as written: the runner reads (and lints) the file, the
    /// engine stores what it was given.
    #[serde(default)]
    pub documents: std::collections::BTreeMap<String, String>,
    /// Other names that mean this project in qualified object names: a
    /// project's export names its tables in schemas as
    /// `project.schema.table`, and applied to another project (`mcauth
    /// apply --project copy`) those names mean the copy's tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub project_aliases: Vec<String>,
    /// The packages of projects the runner holds whole (the emulator
    /// serves several), by lower-case project name: each package, by
    /// lower-case name, with the projects allowed to install it. `install
    /// package p.k` of a project named here is checked against it (the
    /// package must exist and allow this project); of any other project it
    /// is recorded with a `not_verified` warning.
    #[serde(default)]
    pub packages_elsewhere: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    >,
    /// `--skip-existing`: a statement that would fail only because what
    /// it makes is already there passes, changing nothing, with a
    /// `skipped` warning (see [`FailureCode::is_already_there`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip_existing: bool,
    /// Who created each object (by type and name, without columns), when
    /// the runner knows the creator of every object it has (the emulator:
    /// the tables accounts.toml declares): a grant or revoke by a member
    /// without the standing for it is then allowed only to the object's
    /// creator. `None` (the default): creators are not known, and such a
    /// grant passes with a `not_verified` warning (see `check::creator`).
    #[serde(skip)]
    pub object_creators: Option<std::collections::BTreeMap<ObjectRef, PrincipalId>>,
}

/// The session settings a statement sets, as `(key, value)`: `set
/// odps.namespace.schema=true` and `set odps.default.schema=s`. Other
/// statements, and other settings, give `None`.
fn session_setting(statement: &Statement) -> Option<(&str, &str)> {
    match &statement.kind {
        StatementKind::Set {
            setting: Setting::Session(key),
            value: SetValue::Text(value),
            ..
        } if key.value.eq_ignore_ascii_case(NAMESPACE_SCHEMA)
            || key.value.eq_ignore_ascii_case(DEFAULT_SCHEMA) =>
        {
            Some((&key.value, &value.value))
        }
        _ => None,
    }
}

/// The session flag of the three-tier model.
pub const NAMESPACE_SCHEMA: &str = "odps.namespace.schema";
/// The session's current schema.
pub const DEFAULT_SCHEMA: &str = "odps.default.schema";

/// The packages `view` created, each with the projects allowed to install
/// it: what [`Context::packages_elsewhere`] holds for that project.
pub fn packages_allowed(
    view: &(impl StateView + ?Sized),
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    view.packages()
        .into_iter()
        .filter_map(|p| {
            Some((
                p.to_owned(),
                view.package(p)?.allowed.keys().cloned().collect(),
            ))
        })
        .collect()
}

impl Context {
    /// Whether `statement` changes the session this context describes
    /// (see [`Context::observe`]).
    pub fn is_session_setting(statement: &Statement) -> bool {
        session_setting(statement).is_some()
    }

    /// Takes in what `statement` sets for the rest of the session:
    /// `set odps.namespace.schema=true|false` and `set
    /// odps.default.schema=<schema>`. A runner calls this after each
    /// statement it runs, so that the ones after it read names as
    /// MaxCompute will.
    pub fn observe(&mut self, statement: &Statement) {
        let Some((key, value)) = session_setting(statement) else {
            return;
        };
        if key.eq_ignore_ascii_case(NAMESPACE_SCHEMA) {
            if value.eq_ignore_ascii_case("true") {
                self.namespace_schema = Some(true);
            } else if value.eq_ignore_ascii_case("false") {
                self.namespace_schema = Some(false);
            }
        } else {
            self.schema = Some(value.to_owned());
        }
    }
}

/// What a statement that passes its checks does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effect {
    /// The mutations, in order; empty for queries and no-ops.
    pub changes: Vec<Change>,
    /// What the statement prints.
    pub output: Output,
    /// Things worth knowing about it, such as a grant that will not take effect.
    pub warnings: Vec<Warning>,
}

/// Checks one statement against a view, as `caller`, without a clock.
pub fn check(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    statement: &Statement,
) -> Result<Effect, Failure> {
    check_in(view, caller, &Context::default(), statement)
}

/// Checks one statement against a view, as `caller`, in `ctx`.
pub fn check_in(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    ctx: &Context,
    statement: &Statement,
) -> Result<Effect, Failure> {
    let mut cx = Cx {
        view,
        caller,
        ctx,
        stmt: statement,
        warnings: Vec::new(),
    };
    let (changes, output) = match dispatch(&mut cx) {
        Ok(done) => done,
        Err(failure)
            if ctx.skip_existing
                && failure.code.is_already_there()
                && (single_target(statement) || every_part_there(view, caller, ctx, statement)) =>
        {
            return Ok(skipped(failure));
        }
        Err(failure) if failure.code.is_already_there() => {
            let whole = single_target(statement) || every_part_there(view, caller, ctx, statement);
            return Err(already_there(failure, whole));
        }
        Err(failure) => return Err(failure),
    };
    Ok(Effect {
        changes,
        output,
        warnings: cx.warnings,
    })
}

/// What is already there needs nothing done: the help says so, and how
/// a script that runs again skips it, before any fix that would take
/// something away (`drop role r;`, `remove user …`).
fn already_there(mut failure: Failure, single: bool) -> Failure {
    failure.help = if single {
        format!(
            "nothing to do (a script run again skips it with --skip-existing); {}",
            failure.help
        )
    } else {
        format!(
            "grant the roles one at a time, so that one already held can be skipped (--skip-existing); {}",
            failure.help
        )
    };
    failure
}

/// Whether a statement makes one thing only, so that "already there"
/// about a part is about the whole. `grant r1, r2 to u;` where `u` holds
/// `r1` is not skipped: skipping it would leave `r2` ungranted.
fn single_target(statement: &Statement) -> bool {
    match &statement.kind {
        StatementKind::GrantRoles {
            roles, grantees, ..
        } => roles.len() == 1 && grantees.len() == 1,
        _ => true,
    }
}

/// Whether every role of a `grant r1, r2 to u1, u2;` is already held by
/// every grantee: then the whole statement is there, and skipping it
/// loses nothing.
fn every_part_there(
    view: &(impl StateView + ?Sized),
    caller: &Caller,
    ctx: &Context,
    statement: &Statement,
) -> bool {
    let StatementKind::GrantRoles {
        tenant,
        roles,
        grantees,
        with_admin_option,
    } = &statement.kind
    else {
        return false;
    };
    roles.iter().all(|role| {
        grantees.iter().all(|grantee| {
            let part = Statement {
                kind: StatementKind::GrantRoles {
                    tenant: *tenant,
                    roles: vec![role.clone()],
                    grantees: vec![grantee.clone()],
                    with_admin_option: *with_admin_option,
                },
                span: statement.span,
            };
            let mut cx = Cx {
                view,
                caller,
                ctx,
                stmt: &part,
                warnings: Vec::new(),
            };
            matches!(dispatch(&mut cx), Err(f) if f.code.is_already_there())
        })
    })
}

/// A statement `--skip-existing` skips: no changes, and a `skipped`
/// warning that says why.
fn skipped(failure: Failure) -> Effect {
    let mut warnings = failure.warnings;
    warnings.push(
        Warning::new(
            WarningCode::Skipped,
            format!("skipped: {}", failure.message),
            failure.span,
        )
        .with_help("--skip-existing skips what is already there"),
    );
    Effect {
        changes: Vec::new(),
        output: Output::Ok,
        warnings,
    }
}

impl Effect {
    /// Whether `--skip-existing` skipped the statement.
    pub fn is_skipped(&self) -> bool {
        self.warnings.iter().any(|w| w.code == WarningCode::Skipped)
    }
}

/// Checks a statement and applies its changes.
pub fn execute(
    state: &mut ProjectState,
    caller: &Caller,
    statement: &Statement,
) -> Result<Effect, Failure> {
    execute_in(state, caller, &Context::default(), statement)
}

/// [`execute`] in a context.
pub fn execute_in(
    state: &mut ProjectState,
    caller: &Caller,
    ctx: &Context,
    statement: &Statement,
) -> Result<Effect, Failure> {
    let effect = check_in(state, caller, ctx, statement)?;
    for change in &effect.changes {
        apply(state, change);
    }
    Ok(effect)
}

type Outcome = Result<(Vec<Change>, Output), Failure>;

/// Everything one check needs.
pub(crate) struct Cx<'a, V: StateView + ?Sized> {
    pub view: &'a V,
    pub caller: &'a Caller,
    pub ctx: &'a Context,
    pub stmt: &'a Statement,
    pub warnings: Vec<Warning>,
}

impl<V: StateView + ?Sized> Cx<'_, V> {
    fn require(&mut self, action: Action) -> Result<Authority, Failure> {
        let stmt = self.stmt;
        let decided = authority::require(self.view, self.caller, action, *stmt.span, &|| {
            stmt.to_string()
        });
        // The owner is always known; anyone else's standing rests on the
        // members and on who holds admin and super_administrator.
        match decided {
            Ok(Authority::Owner) => decided,
            Err(_) if action.owner_only() => decided,
            _ if self.standing_known() => decided,
            _ => Ok(self.authority()),
        }
    }

    /// The caller's standing. When the members or who holds the built-in
    /// roles were not read, a caller who is not the owner is taken at the
    /// most (with a `not_verified` warning): MaxCompute decides.
    fn authority(&mut self) -> Authority {
        let a = authority::authority(self.view, self.caller);
        if a == Authority::Owner {
            return a;
        }
        let span = self.stmt.span;
        let members = self.knows(Fact::Members, span);
        let holders = self.knows(Fact::RoleHolders, span);
        if members && holders {
            a
        } else {
            Authority::SuperAdministrator
        }
    }

    /// Whether the caller's standing can be told from the view.
    fn standing_known(&self) -> bool {
        self.view.knows(Fact::Members) && self.view.knows(Fact::RoleHolders)
    }

    /// Whether the view holds `fact`. When it does not, the check must
    /// not refuse on it: this records (once per statement) a
    /// `not_verified` warning that names the fact, at `span`.
    pub(crate) fn knows(&mut self, fact: Fact, span: impl Into<Span>) -> bool {
        if self.view.knows(fact) {
            return true;
        }
        self.not_verified(fact.describe(), span);
        false
    }

    /// [`Cx::knows`] for the grants of one grantee.
    pub(crate) fn knows_grants_of(&mut self, grantee: &GranteeId, span: impl Into<Span>) -> bool {
        if self.view.knows_grants_of(grantee) {
            return true;
        }
        self.not_verified(&format!("the grants of {grantee}"), span);
        false
    }

    pub(crate) fn not_verified(&mut self, what: &str, span: impl Into<Span>) {
        let message =
            format!("not checked: mcauth has not read {what} from the service; MaxCompute decides");
        if self
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::NotVerified && w.message == message)
        {
            return;
        }
        self.warn_with(
            WarningCode::NotVerified,
            message,
            span,
            "the statement is sent as it is; the service's answer is the verdict",
        );
    }

    fn warn(&mut self, code: WarningCode, message: impl Into<String>, span: impl Into<Span>) {
        self.warnings.push(Warning::new(code, message, span));
    }

    fn warn_with(
        &mut self,
        code: WarningCode,
        message: impl Into<String>,
        span: impl Into<Span>,
        help: impl Into<String>,
    ) {
        self.warnings
            .push(Warning::new(code, message, span).with_help(help));
    }

    fn unsupported(&self, what: &str, help: &str) -> Failure {
        Failure::new(
            FailureCode::UnsupportedLocally,
            format!("{what} cannot be carried out by the local model"),
            self.stmt.span,
            "not modelled locally",
            help,
        )
    }
}

fn ok(changes: Vec<Change>) -> Outcome {
    Ok((changes, Output::Ok))
}

fn dispatch<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    use StatementKind as K;
    let stmt = cx.stmt;
    match &stmt.kind {
        K::AddUser {
            tenant: false,
            principal,
            comment,
        } => users::add_user(cx, principal, comment.as_ref()),
        K::RemoveUser {
            tenant: false,
            principal,
        } => users::remove_user(cx, principal),
        K::ListUsers { tenant: false } => users::list_users(cx),
        K::ListAccountProviders => users::list_providers(cx),
        K::AddAccountProvider { provider } => users::add_provider(cx, provider),
        K::RemoveAccountProvider { provider } => users::remove_provider(cx, provider),

        K::AddUser {
            tenant: true,
            principal,
            ..
        } => tenant::add_user(cx, principal),
        K::RemoveUser {
            tenant: true,
            principal,
        } => tenant::remove_user(cx, principal),
        K::ListUsers { tenant: true } => tenant::list_users(cx),

        K::CreateRole {
            tenant: false,
            role,
            comment,
            properties,
        } => roles::create_role(cx, role, comment.as_ref(), properties.as_ref()),
        K::DropRole {
            tenant: false,
            role,
        } => roles::drop_role(cx, role),
        K::ListRoles { tenant: false } => roles::list_roles(cx),
        K::DescribeRole {
            tenant: false,
            role,
        } => roles::describe_role(cx, role),
        K::GrantRoles {
            tenant,
            roles,
            grantees,
            with_admin_option,
        } => role_space::assign_roles(
            cx,
            *tenant,
            &Assignment {
                roles,
                grantees,
                admin_option: *with_admin_option,
                grant: true,
            },
        ),
        K::RevokeRoles {
            admin_option_for,
            tenant,
            roles,
            grantees,
        } => role_space::assign_roles(
            cx,
            *tenant,
            &Assignment {
                roles,
                grantees,
                admin_option: *admin_option_for,
                grant: false,
            },
        ),
        K::ShowPrincipals {
            tenant: false,
            role,
        } => roles::show_principals(cx, role),
        K::ShowRoleGrant { grantee } => roles::show_role_grant(cx, grantee),

        K::CreateRole {
            tenant: true,
            role,
            properties,
            ..
        } => tenant::create_role(cx, role, properties.as_ref()),
        K::DropRole { tenant: true, role } => tenant::drop_role(cx, role),
        K::ListRoles { tenant: true } => tenant::list_roles(cx),
        K::DescribeRole { tenant: true, role } => tenant::describe_role(cx, role),
        K::ShowPrincipals { tenant: true, role } => tenant::show_principals(cx, role),
        K::AddTenantRoleToProject { role, project } => {
            tenant::role_to_project(cx, role, project, true)
        }
        K::RemoveTenantRoleFromProject { role, project } => {
            tenant::role_to_project(cx, role, project, false)
        }

        K::GrantPrivileges {
            privileges,
            object,
            grantees,
            with_grant_option,
            properties,
        } => acl::grant(
            cx,
            privileges,
            object,
            grantees,
            *with_grant_option,
            properties.as_ref(),
        ),
        K::RevokePrivileges {
            grant_option_for,
            privileges,
            object,
            grantees,
            properties,
        } => acl::revoke(
            cx,
            privileges,
            object,
            grantees,
            *grant_option_for,
            properties.as_ref(),
        ),
        K::ShowGrants { grantee, on, .. } => acl::show_grants(cx, grantee.as_ref(), on.as_ref()),
        K::ShowAcl {
            object,
            object_type,
        } => acl::show_acl(cx, object, *object_type),
        K::ClearExpiredGrants => acl::clear_expired(cx),
        K::PurgePrivileges { grantees } => acl::purge(cx, grantees),

        K::Whoami => config::whoami(cx),
        K::ShowSecurityConfiguration => config::show(cx),
        K::Set {
            setting,
            value,
            exception,
        } => config::set(cx, setting, value, exception.as_ref()),
        K::ListTrustedProjects => config::list_trusted(cx),
        K::AddTrustedProject { project } => config::trusted(cx, project, true),
        K::RemoveTrustedProject { project } => config::trusted(cx, project, false),

        K::CreatePackage { package } => packages::create(cx, package),
        K::DropPackage { package } => packages::drop(cx, package),
        K::AddToPackage {
            object_type,
            object,
            package,
            privileges,
            properties,
        } => packages::add_object(
            cx,
            *object_type,
            object,
            package,
            privileges.as_deref(),
            properties.as_ref(),
        ),
        K::RemoveFromPackage {
            object_type,
            object,
            package,
        } => packages::remove_object(cx, *object_type, object, package),
        K::AllowInstallPackage {
            project,
            package,
            privileges,
            label,
            days,
        } => packages::allow(
            cx,
            project,
            package,
            packages::Terms {
                privileges: privileges.as_deref(),
                label: label.as_ref(),
                days: days.as_ref(),
            },
        ),
        K::DisallowInstallPackage { project, package } => {
            packages::disallow(cx, project, package)
        }
        K::InstallPackage {
            package,
            properties,
        } => packages::install(cx, package, properties.as_ref(), true),
        K::UninstallPackage {
            package,
            properties,
        } => packages::install(cx, package, properties.as_ref(), false),
        K::ShowPackages { with, properties } => {
            packages::show(cx, with.as_ref(), properties.as_ref())
        }
        K::DescribePackage {
            package,
            properties,
        } => packages::describe(cx, package, properties.as_ref()),
        K::ShowPackageItems {
            project,
            object_type,
            properties,
        } => packages::show_items(cx, project.as_ref(), *object_type, properties.as_ref()),
        K::DescribePackageItems { object, project } => {
            packages::describe_items(cx, object, project.as_ref())
        }

        K::SetLabel { level, target } => labels::set_label(cx, level, target),
        K::GrantLabel(grant) => labels::grant(cx, grant),
        K::RevokeLabel {
            table,
            columns,
            grantee,
            properties,
        } => labels::revoke(cx, table, columns.as_deref(), grantee, properties.as_ref()),
        K::ShowLabelGrants {
            level,
            scope,
            properties,
        } => labels::show(cx, level.as_ref(), scope, properties.as_ref()),

        K::AddGroup {
            tenant,
            group,
            comment,
        } => groups::add(cx, *tenant, group, comment.as_ref()),
        K::RemoveGroup { tenant, group } => groups::remove(cx, *tenant, group),
        K::ListGroups { tenant, user } => groups::list(cx, *tenant, user.as_ref()),
        K::AlterUser { .. } | K::AlterRole { .. } => Err(cx.unsupported(
            "alter user/role",
            "re-create the role with the properties it needs: drop role <r>; create role <r> privilegeproperties(\"type\"=\"resource\");",
        )),
        K::GrantSuper { .. } | K::RevokeSuper { .. } => Err(cx.unsupported(
            "super privileges",
            "grant the built-in role instead: grant super_administrator to <user>;",
        )),
        K::GetPolicy { role } => policies::get(cx, role.as_ref()),
        K::PutPolicy { file, role } => policies::put(cx, file, role.as_ref()),
        K::GetSecurityPolicy => policies::get_security(cx),
        K::PutSecurityPolicy { file } => policies::put_security(cx, file),
        K::SetProject { properties } => config::setproject(cx, properties),
        K::CreateRowAccessPolicy(create) => access::create_row_policy(cx, create),
        K::DropRowAccessPolicy { policy, table } => access::drop_row_policy(cx, policy, table),
        K::DescribeRowAccessPolicy { policy, table } => {
            access::describe_row_policy(cx, policy, table)
        }
        K::ListRowAccessPolicies { table } => access::list_row_policies(cx, table),
        K::CreateMaskingPolicy {
            if_not_exists,
            policy,
            to,
            method,
        } => access::create_masking_policy(cx, *if_not_exists, policy, to, method),
        K::ApplyMaskingPolicy {
            policy,
            table,
            column,
        } => access::bind_masking_policy(cx, policy, table, column, true),
        K::UnapplyMaskingPolicy {
            policy,
            table,
            column,
        } => access::bind_masking_policy(cx, policy, table, column, false),
        K::DropMaskingPolicy { policy } => access::drop_masking_policy(cx, policy),
        K::DescribeMaskingPolicy { policy } => access::describe_masking_policy(cx, policy),
    }
}

/// Whether a grantee names a group (not modelled).
fn is_group(g: &Grantee) -> bool {
    matches!(g, Grantee::Group { .. })
}
