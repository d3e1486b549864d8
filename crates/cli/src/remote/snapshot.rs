//! Reading a project's authorization state from MaxCompute into the
//! engine's model, lazily: only the kinds of fact a script needs
//! ([`mcauth_engine::Needs`]), each once, a few requests at a time.
//!
//! What was read is replayed as engine changes into a state that started
//! out knowing nothing ([`ProjectState::unread`]), and each kind read is
//! recorded as known. A kind the service does not show, or that the caller
//! may not read, stays unknown: the checks that depend on it pass with a
//! `not_verified` warning and MaxCompute decides.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use mcauth_engine::{
    Caller, Change, Fact, GranteeId, Group, Needs, PrincipalId, ProjectState, Provider, RoleName,
    RoleType, StateView, apply,
};
use mcauth_odps::{Client, OdpsError, SecurityQuery};
use mcauth_syntax::ast::StatementKind;

use super::facts;

/// How many reads are in flight at once.
const CONCURRENCY: usize = 8;

/// The kinds read by this module; the others by [`facts`].
const MEMBERSHIP: [Fact; 4] = [
    Fact::Providers,
    Fact::Members,
    Fact::Roles,
    Fact::RoleHolders,
];

/// The project as far as its metadata says: its owner, and nothing else
/// known yet.
pub async fn open(
    client: &Client,
    project: &str,
    caller: &Caller,
) -> Result<ProjectState, OdpsError> {
    let meta = client.project_meta(project).await?;
    let owner = meta
        .owner
        .as_deref()
        .and_then(|o| PrincipalId::parse(o, ""))
        .unwrap_or_else(|| caller.principal.clone());
    Ok(ProjectState::unread(project, owner))
}

/// What one read found: the changes that put it into the state, or
/// `None` when the service does not show it.
type Found = Option<Vec<Change>>;

/// One read, named by what it reads (results are applied in this order,
/// whatever order they arrive in).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Read {
    Fact(Fact),
    HoldersOfUser(String),
    HoldersOfRole(String),
    Grants(GranteeId),
}

type Job = Pin<Box<dyn Future<Output = (Read, Result<Found, OdpsError>)> + Send>>;

/// Reads what `needs` asks for and `state` does not know yet, and records
/// it. Kinds the service refuses to show (a 403, say) or answers in a way
/// mcauth cannot read stay unknown; each is named once in `refused`. A
/// connection error ends the reading.
pub async fn read_missing(
    client: &Client,
    project: &str,
    state: &mut ProjectState,
    needs: &Needs,
    refused: &mut BTreeSet<Fact>,
) -> Result<(), OdpsError> {
    let mut wanted: BTreeSet<Fact> = needs
        .facts
        .iter()
        .copied()
        .filter(|f| !state.knows(*f))
        .collect();
    let grantees: Vec<GranteeId> = needs
        .grants_of
        .iter()
        .filter(|g| !state.knows_grants_of(g))
        .cloned()
        .collect();
    // Who holds which role, and whose grants can be asked, depend on the
    // members and the roles: those come first.
    if wanted.contains(&Fact::RoleHolders) || !grantees.is_empty() {
        for f in [Fact::Members, Fact::Roles] {
            if !state.knows(f) {
                wanted.insert(f);
            }
        }
    }
    let first: Vec<Job> = [Fact::Providers, Fact::Members, Fact::Roles]
        .into_iter()
        .filter(|f| wanted.contains(f) && !refused.contains(f))
        .map(|f| membership_job(client, project, f))
        .collect();
    absorb(state, run_bounded(first).await, refused)?;

    let mut second: Vec<Job> = Vec::new();
    let holders = wanted.contains(&Fact::RoleHolders)
        && !refused.contains(&Fact::RoleHolders)
        && state.knows(Fact::Members)
        && state.knows(Fact::Roles);
    if holders {
        second.extend(holders_jobs(client, project, state));
    }
    let known = facts::Known {
        roles: state.roles().into_iter().cloned().collect(),
    };
    for fact in wanted.iter().copied() {
        if MEMBERSHIP.contains(&fact) || refused.contains(&fact) || !facts::readable(fact) {
            continue;
        }
        let (client, project, known) = (client.clone(), project.to_owned(), known.clone());
        second.push(Box::pin(async move {
            let found =
                again(|| facts::read(client.clone(), project.clone(), fact, known.clone())).await;
            (Read::Fact(fact), found)
        }));
    }
    for grantee in grantees {
        if refused.contains(&Fact::Grants) || !askable(state, &grantee) {
            continue;
        }
        let (client, project) = (client.clone(), project.to_owned());
        second.push(Box::pin(async move {
            let found =
                again(|| facts::read_grants(client.clone(), project.clone(), grantee.clone()))
                    .await;
            (Read::Grants(grantee), found)
        }));
    }
    absorb(state, run_bounded(second).await, refused)?;
    if holders && !refused.contains(&Fact::RoleHolders) {
        state.learn(Fact::RoleHolders);
    }
    Ok(())
}

/// Whether the service shows a grantee's grants: a member's, or an
/// existing role's. A removed user's retained grants are not shown.
fn askable(state: &ProjectState, grantee: &GranteeId) -> bool {
    match grantee {
        GranteeId::User(p) => state.is_member(p),
        GranteeId::Role(r) => state.role_exists(r),
        GranteeId::TenantRole(_) => false,
    }
}

/// Applies what the reads found, in a fixed order, and records what was
/// learnt. A refusal or an unreadable answer leaves the kind unknown.
fn absorb(
    state: &mut ProjectState,
    mut results: Vec<(Read, Result<Found, OdpsError>)>,
    refused: &mut BTreeSet<Fact>,
) -> Result<(), OdpsError> {
    results.sort_by(|a, b| a.0.cmp(&b.0));
    for (read, result) in results {
        let found = match result {
            Ok(found) => found,
            // Refused (403), or answered in a way mcauth cannot read: the
            // kind stays unknown rather than the run ending. A connection
            // that fails ends it.
            Err(e) if e.service().is_some() || matches!(e, OdpsError::InvalidResponse { .. }) => {
                refused.insert(match &read {
                    Read::Fact(f) => *f,
                    Read::HoldersOfUser(_) | Read::HoldersOfRole(_) => Fact::RoleHolders,
                    Read::Grants(_) => Fact::Grants,
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some(changes) = found else { continue };
        for change in &changes {
            apply(state, change);
        }
        match read {
            Read::Fact(f) => state.learn(f),
            Read::Grants(g) => state.learn_grants_of(g),
            Read::HoldersOfUser(_) | Read::HoldersOfRole(_) => {}
        }
    }
    Ok(())
}

/// Runs a read again when the connection dropped after it was sent: a
/// read changes nothing, so asking twice is safe (at most three times).
async fn again<F, Fut>(read: F) -> Result<Found, OdpsError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Found, OdpsError>>,
{
    let mut attempt = 1;
    loop {
        match read().await {
            Err(e) if e.outcome_unknown() && attempt < 3 => attempt += 1,
            other => return other,
        }
    }
}

/// Runs reads at most [`CONCURRENCY`] at a time.
async fn run_bounded(jobs: Vec<Job>) -> Vec<(Read, Result<Found, OdpsError>)> {
    let mut set = tokio::task::JoinSet::new();
    let mut out = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    for job in jobs.by_ref().take(CONCURRENCY) {
        set.spawn(job);
    }
    while let Some(done) = set.join_next().await {
        // A read that panicked is left out: its kind stays unknown.
        if let Ok(result) = done {
            out.push(result);
        }
        if let Some(job) = jobs.next() {
            set.spawn(job);
        }
    }
    out
}

fn membership_job(client: &Client, project: &str, fact: Fact) -> Job {
    let (client, project) = (client.clone(), project.to_owned());
    Box::pin(async move {
        let found = again(|| async {
            match fact {
                Fact::Providers => read_providers(&client, &project).await,
                Fact::Members => read_members(&client, &project).await,
                _ => read_roles(&client, &project).await,
            }
            .map(Some)
        })
        .await;
        (Read::Fact(fact), found)
    })
}

async fn read_providers(client: &Client, project: &str) -> Result<Vec<Change>, OdpsError> {
    let providers = client
        .run_security_query(
            project,
            &SecurityQuery::new("list accountproviders").json(false),
            std::future::pending(),
        )
        .await?;
    // `ALIYUN, RAM` as text; tolerate a JSON array too.
    let names = providers
        .split([',', '\n'])
        .map(|n| n.trim().trim_matches(['[', ']', '"', ' ']));
    Ok(names
        .filter_map(Provider::from_name)
        .filter(|p| *p != Provider::Aliyun)
        .map(|provider| Change::AddProvider { provider })
        .collect())
}

async fn read_members(client: &Client, project: &str) -> Result<Vec<Change>, OdpsError> {
    let users = client.list_users(project).await?;
    Ok(users
        .iter()
        .filter_map(|user| {
            let principal = PrincipalId::parse(&user.display_name, "")?;
            Some(if user.display_name.starts_with("p4_") {
                Change::AddResidue {
                    principal,
                    roles: Vec::new(),
                }
            } else {
                Change::AddMember { principal }
            })
        })
        .collect())
}

async fn read_roles(client: &Client, project: &str) -> Result<Vec<Change>, OdpsError> {
    let roles = client.list_roles(project).await?;
    Ok(roles
        .iter()
        .filter(|role| !RoleName::new(&role.name).is_builtin())
        .map(|role| Change::CreateRole {
            role: RoleName::new(&role.name),
            role_type: role_type(role.role_type.as_deref()),
            comment: None,
        })
        .collect())
}

/// A listed role's type. The Java SDK reads `<Type>`; where the answer
/// does not carry it (the emulator's does not, and no statement's text
/// shows it either: `describe role` prints users and grants only), the
/// role is taken as a resource role, the default, so that ACL checks stay
/// lenient rather than wrong.
fn role_type(listed: Option<&str>) -> RoleType {
    match listed {
        Some(t) if t.eq_ignore_ascii_case("admin") => RoleType::Admin,
        _ => RoleType::Resource,
    }
}

/// Who holds which role: one request per member or one per role,
/// whichever is fewer (MaxCompute has no listing of all assignments).
fn holders_jobs(client: &Client, project: &str, state: &ProjectState) -> Vec<Job> {
    let users: Vec<&PrincipalId> = state
        .members()
        .into_iter()
        .chain(state.residues())
        .collect();
    let roles = state.roles();
    if users.len() <= roles.len() {
        users
            .into_iter()
            .map(|user| {
                let (client, project, user) = (client.clone(), project.to_owned(), user.clone());
                Box::pin(async move {
                    let name = user.to_string();
                    let found = client.user_roles(&project, &name).await.map(|roles| {
                        Some(
                            roles
                                .iter()
                                .map(|r| Change::GrantRole {
                                    role: RoleName::new(&r.name),
                                    principal: user.clone(),
                                })
                                .collect(),
                        )
                    });
                    (Read::HoldersOfUser(name), found)
                }) as Job
            })
            .collect()
    } else {
        roles
            .into_iter()
            .map(|role| {
                let (client, project, role) = (client.clone(), project.to_owned(), role.clone());
                Box::pin(async move {
                    let found = client
                        .role_users(&project, role.as_str())
                        .await
                        .map(|users| {
                            Some(
                                users
                                    .iter()
                                    .filter_map(|u| PrincipalId::parse(&u.display_name, ""))
                                    .map(|principal| Change::GrantRole {
                                        role: role.clone(),
                                        principal,
                                    })
                                    .collect(),
                            )
                        });
                    (Read::HoldersOfRole(role.as_str().to_owned()), found)
                }) as Job
            })
            .collect()
    }
}

/// Providers, members, roles and who holds them, read afresh, and the
/// groups when `changes` touch them: what a statement whose outcome is
/// unknown is judged by.
pub async fn read_membership(
    client: &Client,
    project: &str,
    caller: &Caller,
    changes: &[Change],
) -> Result<ProjectState, OdpsError> {
    let mut state = open(client, project, caller).await?;
    let mut facts: BTreeSet<Fact> = MEMBERSHIP.into_iter().collect();
    facts.extend(changes.iter().filter_map(observed_in));
    let needs = Needs {
        facts,
        grants_of: BTreeSet::new(),
    };
    read_missing(client, project, &mut state, &needs, &mut BTreeSet::new()).await?;
    Ok(state)
}

/// Whether two states agree on providers, members, roles, role
/// assignments and groups, as far as both know them (a statement's check
/// reads the kinds its changes touch, so those are known; see
/// [`can_judge`]). Groups are compared by name: a listing shows no
/// comment.
pub fn same_membership(a: &ProjectState, b: &ProjectState) -> bool {
    let both = |f: Fact| a.knows(f) && b.knows(f);
    (!both(Fact::Providers) || a.providers() == b.providers())
        && (!both(Fact::Members) || a.members() == b.members())
        && (!both(Fact::Roles) || a.roles() == b.roles())
        && (!both(Fact::RoleHolders)
            || a.roles()
                .iter()
                .all(|r| a.role_members(r) == b.role_members(r)))
        && (!both(Fact::Groups) || group_names(a) == group_names(b))
}

/// The groups of a state, without their comments.
pub(crate) fn group_names(state: &ProjectState) -> Vec<&Group> {
    state.groups().into_iter().map(|(g, _)| g).collect()
}

/// Whether reading the state back shows this change.
pub fn is_observable(change: &Change) -> bool {
    observed_in(change).is_some()
}

/// The kind of fact that shows an observable change.
fn observed_in(change: &Change) -> Option<Fact> {
    Some(match change {
        Change::AddProvider { .. } | Change::RemoveProvider { .. } => Fact::Providers,
        Change::AddMember { .. } | Change::RemoveMember { .. } => Fact::Members,
        Change::CreateRole { .. } | Change::DropRole { .. } => Fact::Roles,
        Change::GrantRole { .. } | Change::RevokeRole { .. } => Fact::RoleHolders,
        // `list groups` and `list tenant groups` show them.
        Change::AddGroup { .. } | Change::RemoveGroup { .. } => Fact::Groups,
        _ => return None,
    })
}

/// Whether the state before a statement knew every kind its changes show
/// in: otherwise comparing it with what is read back proves nothing (a
/// kind the caller may not read stays unknown, and the comparison would
/// pass whatever the service holds).
pub fn can_judge(before: &ProjectState, changes: &[Change]) -> bool {
    changes
        .iter()
        .filter_map(observed_in)
        .all(|fact| before.knows(fact))
}

/// Whether MaxCompute accepts this change again without effect.
///
/// Of the changes of the statements beyond the core (docs/language.md#other-statements),
/// none is, taken alone:
/// `add group` and `remove group` sent again are refused (the group
/// exists, or is gone), so they are judged by reading the groups back
/// instead ([`is_observable`]); `setproject` is a REST call, not a security query,
/// so a dropped connection never reaches this question; a plain `create`
/// of a row access or masking policy sent again is refused as existing,
/// and `drop` as missing. Binding and unbinding a masking policy would
/// leave the same bindings, but what MaxCompute answers to a second
/// `apply`/`unapply` of the same binding is not documented: sent again,
/// the answer might report as failed a statement that took effect, so
/// they are not re-sent. The create forms that replace or skip an
/// existing policy are idempotent as statements: [`resends_alike`].
pub fn is_idempotent(change: &Change) -> bool {
    matches!(
        change,
        Change::AddAclGrant { .. }
            | Change::RemoveAclGrant { .. }
            | Change::PurgeGrants { .. }
            | Change::SetFlag { .. }
            | Change::AddLabelGrant { .. }
            | Change::RemoveLabelGrant { .. }
            // `set label` sets a level: sent twice, the level is the same.
            | Change::SetObjectLabel { .. }
            | Change::SetUserLabel { .. }
    )
}

/// Whether the statement itself leaves the same state when it runs twice,
/// whatever its change: `create or replace row access policy` puts the
/// same rule again; `create … if not exists` (a row access or a masking
/// policy) does nothing the second time. Both are security queries
/// (`run_query`). Should the service not support `if not exists` (the
/// Java SDK's masking test allows for that), the first send failed the
/// same way the second does, so the answer is still the true one.
pub fn resends_alike(statement: &StatementKind) -> bool {
    match statement {
        StatementKind::CreateRowAccessPolicy(create) => create.or_replace || create.if_not_exists,
        StatementKind::CreateMaskingPolicy { if_not_exists, .. } => *if_not_exists,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_type_decides_and_resource_is_the_default() {
        assert_eq!(role_type(Some("admin")), RoleType::Admin);
        assert_eq!(role_type(Some("ADMIN")), RoleType::Admin);
        assert_eq!(role_type(Some("Resource")), RoleType::Resource);
        assert_eq!(role_type(Some("something else")), RoleType::Resource);
        assert_eq!(role_type(None), RoleType::Resource);
    }

    /// What a dropped connection may be answered with by sending again:
    /// only what leaves the same state when it runs twice.
    #[test]
    fn only_what_runs_twice_alike_is_sent_again() {
        let changes = |script: &str| {
            let mut state = ProjectState::new("p", mcauth_engine::PrincipalId::aliyun("o@x.com"));
            let owner = mcauth_engine::Caller::owner_of(&state);
            let mut out = Vec::new();
            for statement in &mcauth_syntax::parse(script).statements {
                let effect = mcauth_engine::execute(&mut state, &owner, statement).expect("runs");
                out.extend(effect.changes);
            }
            out
        };
        let label = changes("set label 2 to table t;");
        assert!(!label.is_empty() && label.iter().all(is_idempotent));
        let group = changes("add group g;");
        assert!(!group.is_empty() && !group.iter().all(is_idempotent));
        // None of those statements' changes is idempotent by itself.
        for script in [
            "add group g; remove group g; add tenant group h;",
            "create row access policy p on t to default filter using (1 = 1); drop row access policy p on t;",
            "create data masking policy m to default using MASKED_HASH; apply data masking policy m bind to table u column c; unapply data masking policy m unbind from table u column c; drop data masking policy m;",
        ] {
            let made = changes(script);
            assert!(!made.is_empty(), "{script}");
            assert!(!made.iter().any(is_idempotent), "{script}");
        }
    }

    /// Groups are judged by reading them back, but only where the state
    /// before the statement knew them.
    #[test]
    fn groups_are_observable_where_they_were_read() {
        let add = Change::AddGroup {
            group: mcauth_engine::Group {
                tenant: false,
                name: "g".into(),
            },
            comment: Some("kept".into()),
        };
        assert!(is_observable(&add));
        let owner = PrincipalId::aliyun("o@x.com");
        let whole = ProjectState::new("p", owner.clone());
        let unread = ProjectState::unread("p", owner);
        assert!(can_judge(&whole, std::slice::from_ref(&add)));
        assert!(!can_judge(&unread, std::slice::from_ref(&add)));
        // A group read back has no comment, and still counts as the same.
        let mut after = whole.clone();
        apply(&mut after, &add);
        let mut read = whole.clone();
        apply(
            &mut read,
            &Change::AddGroup {
                group: mcauth_engine::Group {
                    tenant: false,
                    name: "g".into(),
                },
                comment: None,
            },
        );
        assert!(same_membership(&read, &after));
        assert!(!same_membership(&whole, &after));
    }

    /// The create forms that replace or skip are re-sent; the others not.
    #[test]
    fn create_or_replace_and_if_not_exists_are_sent_again() {
        let alike = |text: &str| {
            let statement =
                mcauth_syntax::parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            resends_alike(&statement.kind)
        };
        assert!(alike(
            "create or replace row access policy p on t to role r filter using (a = 1)"
        ));
        assert!(alike(
            "create row access policy if not exists p on t to default filter using (a = 1)"
        ));
        assert!(alike(
            "create data masking policy if not exists m to default using UNMASKED"
        ));
        assert!(!alike(
            "create row access policy p on t to default filter using (a = 1)"
        ));
        assert!(!alike(
            "create data masking policy m to default using UNMASKED"
        ));
        assert!(!alike("drop row access policy p on t"));
        assert!(!alike(
            "apply data masking policy m bind to table t column c"
        ));
        assert!(!alike("add group g"));
    }
}
