//! The emulator's state: accounts, the store with its loaded projects, and
//! the asynchronous security-query instances. Store work is blocking
//! (SQLite) but short, and runs on the request's worker (see
//! `api::blocking`); detached async-mode queries run on the blocking pool.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use mcauth_engine::{
    Caller, Change, Context, Effect, Failure, Overlay, PrincipalId, ProjectState, RamVerdict,
    StateView, check_in, ram_request,
};
use mcauth_store::{Project, Store, StoreError};
use mcauth_syntax::ast::{Statement, StatementKind};

use crate::accounts::{Accounts, Identity};
use crate::api::ApiError;
use crate::faults::Faults;
use crate::log::RequestLog;
use crate::ram::RamContext;
use crate::wire::Ids;

/// How many finished async instances are kept for polling.
const MAX_INSTANCES: usize = 10_000;

pub(crate) struct App {
    pub accounts: Accounts,
    pub faults: Faults,
    pub async_mode: bool,
    pub host_id: String,
    pub verify: mcauth_odps::VerifyOptions,
    /// How long a request body may take to arrive.
    pub body_timeout: Duration,
    pub log: RequestLog,
    pub ids: Ids,
    store: Mutex<StoreState>,
    instances: Mutex<Instances>,
}

struct StoreState {
    store: Store,
    projects: HashMap<String, LoadedProject>,
}

impl StoreState {
    /// The store and served project `name`: ODPS-0420111 when it is not
    /// served.
    fn get(&mut self, name: &str) -> Result<(&mut Store, &mut LoadedProject), ApiError> {
        let loaded = self
            .projects
            .get_mut(name)
            .ok_or_else(|| ApiError::no_such_project(name))?;
        Ok((&mut self.store, loaded))
    }

    /// Catches every served project up with what other writers committed.
    fn refresh_all(&mut self) -> Result<(), ApiError> {
        for loaded in self.projects.values_mut() {
            self.store
                .refresh(&mut loaded.project)
                .map_err(ApiError::store)?;
        }
        Ok(())
    }
}

/// Why a statement sent to [`App::execute`] did not run.
enum Refusal {
    /// The caller is not let in (see [`gate`]).
    NotAdmitted(ApiError),
    Failed(Failure),
}

struct LoadedProject {
    project: Project,
    created: SystemTime,
    modified: SystemTime,
}

/// Project metadata for `GET /projects/{p}`.
pub(crate) struct ProjectMeta {
    pub owner: PrincipalId,
    pub created: SystemTime,
    pub modified: SystemTime,
    /// What `setproject` set, by name.
    pub properties: Vec<(String, String)>,
}

/// A project's properties, as `ProjectMeta` keeps them.
fn properties(state: &ProjectState) -> Vec<(String, String)> {
    let lent = state.project_properties().into_iter();
    lent.map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// What a security query did.
pub(crate) enum Ran {
    Done(Effect),
    Failed(Failure),
}

/// How a caller is let in for one statement.
#[derive(Default)]
pub(crate) struct Admission {
    /// What the caller's RAM policies decided for the statement's RAM
    /// action, for RAM users and roles.
    verdict: Option<RamVerdict>,
    /// A tenant-level statement by an identity of the project owner's
    /// account: it acts on the account, not the project, so it does not
    /// need project membership; RAM policies and tenant roles decide.
    account_level: bool,
}

#[derive(Clone)]
pub(crate) enum InstanceStatus {
    Running,
    Terminated(String),
    Failed(String),
}

struct Instance {
    project: String,
    /// Who submitted it: they may poll it even when not a member (an
    /// account-level statement needs no membership).
    submitter: PrincipalId,
    status: InstanceStatus,
}

#[derive(Default)]
struct Instances {
    map: HashMap<String, Instance>,
    order: VecDeque<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl App {
    pub(crate) fn new(
        store: Store,
        accounts: Accounts,
        faults: Faults,
        async_mode: bool,
        log: RequestLog,
    ) -> Result<Self, StoreError> {
        let mut store = store;
        let now = SystemTime::now();
        let mut projects = HashMap::new();
        for spec in accounts.projects() {
            let mut project = store.project(&spec.name, &spec.owner)?;
            // A project the store did not hold starts with the account
            // providers of a new MaxCompute project (accounts.toml's
            // `account_providers`).
            if project.seq() == 0 {
                let missing: Vec<Change> = spec
                    .providers
                    .iter()
                    .filter(|p| !project.state().has_provider(**p))
                    .map(|p| Change::AddProvider { provider: *p })
                    .collect();
                if !missing.is_empty() {
                    let mut batch = store.begin(&mut project)?;
                    batch.record(
                        "-- mcauth serve: the account providers of a new project",
                        &missing,
                    )?;
                    batch.commit()?;
                }
            }
            projects.insert(
                spec.name.clone(),
                LoadedProject {
                    project,
                    created: now,
                    modified: now,
                },
            );
        }
        let region = accounts.region().to_owned();
        Ok(Self {
            accounts,
            faults,
            async_mode,
            host_id: "mcauth-serve".to_owned(),
            verify: mcauth_odps::VerifyOptions {
                // A V4 scope must name the emulator's region.
                region: Some(region),
                ..mcauth_odps::VerifyOptions::default()
            },
            body_timeout: crate::server::Limits::default().body_timeout,
            log,
            ids: Ids::new(),
            store: Mutex::new(StoreState { store, projects }),
            instances: Mutex::new(Instances::default()),
        })
    }

    /// The owners the store holds for the served projects (which may differ
    /// from accounts.toml when the store was made earlier).
    pub(crate) fn owners(&self) -> Vec<(String, PrincipalId)> {
        let state = lock(&self.store);
        let mut v: Vec<(String, PrincipalId)> = state
            .projects
            .iter()
            .map(|(n, p)| (n.clone(), p.project.state().owner().clone()))
            .collect();
        v.sort();
        v
    }

    /// Runs `f` on the up-to-date state of `project` after checking that
    /// the caller is in it (owner or member): ODPS-0420095 otherwise.
    pub(crate) fn read<T>(
        &self,
        project: &str,
        who: &Identity,
        f: impl FnOnce(&ProjectState, &Caller) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.fresh(project, |loaded| {
            let state = loaded.project.state();
            let caller = gate(state, who, &Admission::default())?;
            f(state, &caller)
        })
    }

    /// Runs `f` on `project` caught up with what other writers committed,
    /// under the store's lock: ODPS-0420111 when it is not served.
    fn fresh<T>(
        &self,
        project: &str,
        f: impl FnOnce(&LoadedProject) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut guard = lock(&self.store);
        let (store, loaded) = guard.get(project)?;
        store
            .refresh(&mut loaded.project)
            .map_err(ApiError::store)?;
        f(loaded)
    }

    /// Owner and times of a project.
    pub(crate) fn meta(&self, project: &str, who: &Identity) -> Result<ProjectMeta, ApiError> {
        self.fresh(project, |loaded| {
            gate(loaded.project.state(), who, &Admission::default())?;
            Ok(ProjectMeta {
                owner: loaded.project.state().owner().clone(),
                created: loaded.created,
                modified: loaded.modified,
                properties: properties(loaded.project.state()),
            })
        })
    }

    /// Only the membership check.
    pub(crate) fn admit(&self, project: &str, who: &Identity) -> Result<(), ApiError> {
        self.read(project, who, |_, _| Ok(()))
    }

    /// Only the admission check (for async submissions): what
    /// [`App::execute`] would check before running `statement`.
    pub(crate) fn admit_for(
        &self,
        project: &str,
        who: &Identity,
        ctx: &Context,
        statement: &Statement,
    ) -> Result<(), ApiError> {
        self.fresh(project, |loaded| {
            let state = loaded.project.state();
            let admission = self.admission(state.owner(), who, ctx, statement);
            gate(state, who, &admission).map(|_| ())
        })
    }

    /// How `who` is let in for `statement` in a project owned by `owner`:
    /// for a tenant-level statement by an identity of the owner's account,
    /// without project membership and, for RAM users and roles, with the
    /// verdict of their RAM policies on
    /// `acs:odps:<region>:<owner's account id>:<resource>`. An account is
    /// never subject to RAM policies; identities of other accounts get no
    /// verdict (their account's policies cannot grant rights on this
    /// tenant) and need membership as for any statement.
    fn admission(
        &self,
        owner: &PrincipalId,
        who: &Identity,
        ctx: &Context,
        statement: &Statement,
    ) -> Admission {
        let Some(request) = ram_request(statement) else {
            return Admission::default();
        };
        let Some(account) = owner
            .account()
            .filter(|a| a.eq_ignore_ascii_case(&who.account))
        else {
            return Admission::default();
        };
        let verdict = who.policies.as_ref().map(|policies| {
            let cx = RamContext {
                source_ip: ctx.source_ip.as_deref(),
                now: ctx.now,
            };
            policies.verdict(
                request.action,
                self.accounts.region(),
                &self.accounts.account_id(account),
                &request.resource,
                &cx,
            )
        });
        Admission {
            verdict,
            account_level: true,
        }
    }

    /// Checks a statement as the caller and, if it changes anything,
    /// commits it, by the store's one check-and-commit path
    /// ([`Store::check_and_commit`]): read-only statements never take the
    /// write lock, and a changing one is checked against the state as of
    /// the lock, so concurrent writers (other processes too) cannot
    /// interleave.
    pub(crate) fn execute(
        &self,
        project: &str,
        who: &Identity,
        ctx: &Context,
        text: &str,
        statement: &Statement,
    ) -> Result<Ran, ApiError> {
        let mut guard = lock(&self.store);
        let st = &mut *guard;
        // `install package p.k` of a served project is checked against it.
        let widened;
        let ctx = match statement.kind {
            StatementKind::InstallPackage { .. } => {
                let mut c = ctx.clone();
                c.packages_elsewhere = Self::served_packages(st)?;
                widened = c;
                &widened
            }
            // A table's creator may grant and revoke on it.
            StatementKind::GrantPrivileges { .. } | StatementKind::RevokePrivileges { .. } => {
                let mut c = ctx.clone();
                c.object_creators = Some(crate::tables::creators(&self.accounts, project));
                widened = c;
                &widened
            }
            _ => ctx,
        };
        let (store, loaded) = st.get(project)?;
        let admission = self.admission(loaded.project.state().owner(), who, ctx, statement);
        let check = |state: &ProjectState| match gate(state, who, &admission) {
            Ok(caller) => check_in(state, &caller, ctx, statement).map_err(Refusal::Failed),
            Err(e) => Err(Refusal::NotAdmitted(e)),
        };
        let outcome = store
            .check_and_commit(&mut loaded.project, text, check)
            .map_err(ApiError::store)?;
        match outcome {
            Ok(effect) => {
                if !effect.changes.is_empty() {
                    // Committed.
                    loaded.modified = SystemTime::now();
                }
                Ok(Ran::Done(effect))
            }
            Err(Refusal::Failed(f)) => Ok(Ran::Failed(f)),
            Err(Refusal::NotAdmitted(e)) => Err(e),
        }
    }

    /// Runs the statements `plan` makes of the up-to-date state, as the
    /// caller, in order, all or nothing, then `tail` (changes no statement
    /// makes, given the state the statements leave), in one write
    /// transaction. The first failure stops it with nothing written.
    pub(crate) fn execute_all(
        &self,
        project: &str,
        who: &Identity,
        ctx: &Context,
        plan: impl FnOnce(&dyn StateView) -> Vec<Statement>,
        tail: impl FnOnce(&dyn StateView) -> Option<(String, Vec<Change>)>,
    ) -> Result<Ran, ApiError> {
        let mut guard = lock(&self.store);
        let (store, loaded) = guard.get(project)?;
        let mut batch = store.begin(&mut loaded.project).map_err(ApiError::store)?;
        let mut records: Vec<(String, Vec<Change>)> = Vec::new();
        let mut last = None;
        {
            let state = batch.state();
            let caller = gate(state, who, &Admission::default())?;
            let statements = plan(state);
            let mut overlay = Overlay::new(state);
            for statement in &statements {
                match overlay.check(&caller, ctx, statement) {
                    Ok(effect) => {
                        records.push((format!("{statement};"), effect.changes.clone()));
                        last = Some(effect);
                    }
                    Err(f) => return Ok(Ran::Failed(f)),
                }
            }
            if let Some(extra) = tail(&overlay) {
                records.push(extra);
            }
        }
        let wrote = records.iter().any(|(_, changes)| !changes.is_empty());
        let written = records
            .iter()
            .try_for_each(|(text, changes)| batch.record(text, changes))
            .and_then(|()| if wrote { batch.commit() } else { Ok(()) });
        if let Err(e) = written {
            // The in-memory state may hold changes the file does not.
            store.reload(&mut loaded.project);
            return Err(ApiError::store(e));
        }
        if wrote {
            loaded.modified = SystemTime::now();
        }
        Ok(Ran::Done(last.unwrap_or(Effect {
            changes: Vec::new(),
            output: mcauth_engine::Output::Ok,
            warnings: Vec::new(),
        })))
    }

    /// Every served project `who` may see (`GET /projects`), with owner
    /// and times, sorted by name: the ones they own or belong to; for a
    /// RAM identity of an owner's account, RAM decides first — an Allow
    /// of `odps:ListProjects` shows all of that account's projects, a
    /// Deny none (as documented for ListProjects).
    pub(crate) fn visible_projects(
        &self,
        who: &Identity,
    ) -> Result<Vec<(String, ProjectMeta)>, ApiError> {
        let mut guard = lock(&self.store);
        guard.refresh_all()?;
        let mut out = Vec::new();
        for (name, loaded) in &guard.projects {
            let state = loaded.project.state();
            let owner = state.owner();
            let member = owner == &who.principal || state.is_member(&who.principal);
            let same_account = owner
                .account()
                .is_some_and(|a| a.eq_ignore_ascii_case(&who.account));
            let ram = match (&who.policies, same_account) {
                (Some(policies), true) => Some(policies.verdict(
                    "odps:ListProjects",
                    self.accounts.region(),
                    &self.accounts.account_id(&who.account),
                    &format!("projects/{name}"),
                    &RamContext {
                        source_ip: None,
                        now: None,
                    },
                )),
                _ => None,
            };
            // RAM's own default (anyone may list the projects they joined)
            // is no statement: then membership decides.
            let visible = match ram {
                Some(v) if v.decision == mcauth_engine::RamDecision::ExplicitDeny => false,
                Some(v)
                    if v.decision == mcauth_engine::RamDecision::Allow
                        && v.decided_by.is_some() =>
                {
                    true
                }
                _ => member,
            };
            if visible {
                out.push((
                    name.clone(),
                    ProjectMeta {
                        owner: owner.clone(),
                        created: loaded.created,
                        modified: loaded.modified,
                        properties: properties(loaded.project.state()),
                    },
                ));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The packages of every served project (the caller's own included:
    /// PyODPS's tests install `<project>.non_exist_package` and expect it
    /// to fail), for `install package` (see `Context::packages_elsewhere`).
    fn served_packages(
        st: &mut StoreState,
    ) -> Result<BTreeMap<String, BTreeMap<String, BTreeSet<String>>>, ApiError> {
        st.refresh_all()?;
        let mut out = BTreeMap::new();
        for (name, loaded) in &st.projects {
            let packages = mcauth_engine::packages_allowed(loaded.project.state());
            out.insert(name.to_ascii_lowercase(), packages);
        }
        Ok(out)
    }

    pub(crate) fn new_instance(
        &self,
        project: &str,
        submitter: &PrincipalId,
    ) -> Result<String, ApiError> {
        let id = self
            .ids
            .instance_id()
            .ok_or_else(|| ApiError::internal("the random source failed"))?;
        let mut inst = lock(&self.instances);
        while inst.order.len() >= MAX_INSTANCES {
            match inst.order.pop_front() {
                Some(old) => {
                    inst.map.remove(&old);
                }
                None => break,
            }
        }
        inst.map.insert(
            id.clone(),
            Instance {
                project: project.to_owned(),
                submitter: submitter.clone(),
                status: InstanceStatus::Running,
            },
        );
        inst.order.push_back(id.clone());
        Ok(id)
    }

    pub(crate) fn finish_instance(&self, id: &str, status: InstanceStatus) {
        if let Some(i) = lock(&self.instances).map.get_mut(id) {
            i.status = status;
        }
    }

    /// Whether `who` may read instances others submitted in `project`: the
    /// owner, Super_Administrator and Admin, as for other people's jobs.
    /// ODPS-0420095 for someone not in the project.
    pub(crate) fn reads_others_instances(
        &self,
        project: &str,
        who: &Identity,
    ) -> Result<bool, ApiError> {
        self.read(project, who, |state, caller| {
            Ok(mcauth_engine::authority(state, caller) <= mcauth_engine::Authority::Admin)
        })
    }

    /// An instance's status and who submitted it.
    pub(crate) fn instance(
        &self,
        project: &str,
        id: &str,
    ) -> Option<(InstanceStatus, PrincipalId)> {
        lock(&self.instances)
            .map
            .get(id)
            .filter(|i| i.project == project)
            .map(|i| (i.status.clone(), i.submitter.clone()))
    }
}

/// The caller as the engine sees it, if they are in the project (or the
/// statement is account-level, see [`Admission`]).
fn gate(state: &ProjectState, who: &Identity, admission: &Admission) -> Result<Caller, ApiError> {
    let mut caller = Caller::new(who.principal.clone(), who.account.clone());
    if let Some(verdict) = &admission.verdict {
        caller = caller.with_ram(verdict.clone());
    }
    if admission.account_level
        || &caller.principal == state.owner()
        || state.is_member(&caller.principal)
    {
        Ok(caller)
    } else {
        Err(ApiError::not_in_project(state.project()))
    }
}

/// Shared handle.
pub(crate) type SharedApp = Arc<App>;
