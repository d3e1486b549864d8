//! The project a question is asked of, on either backend: the embedded
//! store holds it whole; against MaxCompute, the facts a question needs
//! are read through the remote snapshot, and what cannot be read stays
//! unknown (the answer then says "not verified").

use std::collections::BTreeSet;
use std::process::ExitCode;

use mcauth_engine::{Fact, GranteeId, Needs, ProjectState, StateView};

use crate::cli::Cli;
use crate::diagnostics::Printer;
use crate::exit;
use crate::run::Backend as _;

/// Whether every question reads `fact` before any grant: all but the
/// grants (read per grantee), the tenant's users, roles and groups, and
/// the row access and masking policies, which no question asks about.
fn in_base(fact: Fact) -> bool {
    !matches!(
        fact,
        Fact::Grants
            | Fact::TenantUsers
            | Fact::TenantRoles
            | Fact::TenantRolesInProject
            | Fact::Groups
            | Fact::RowAccessPolicies
            | Fact::MaskingPolicies
    )
}

/// A project opened to be read, not run on: the store's, or MaxCompute's
/// through a remote session whose printer is never used.
pub enum Project {
    Store(Box<crate::run::Planner>),
    Remote(Box<crate::remote::RemoteSession>),
}

impl Project {
    /// Opens the target the target rule picks; `Err` is the exit code,
    /// the problem printed.
    pub fn open(cli: &Cli) -> Result<Project, ExitCode> {
        Project::open_named(cli, None)
    }

    /// Opens project `name` rather than the one `--project` names.
    pub fn open_named(cli: &Cli, name: Option<&str>) -> Result<Project, ExitCode> {
        let project = name
            .map(str::to_owned)
            .or_else(|| cli.target.project.first().cloned());
        let opened = match crate::target::resolve(cli) {
            Err(conflict) => return Err(exit::usage(&conflict.to_string())),
            Ok(crate::target::Target::Store(store)) => {
                let target = crate::cli::TargetArgs {
                    project: project.into_iter().collect(),
                    projects: None,
                    jobs: None,
                    store: cli.target.store.clone(),
                    as_principal: cli.target.as_principal.clone(),
                };
                crate::run::Planner::open(&target, &store)
                    .map(|planner| Project::Store(Box::new(planner)))
            }
            Ok(crate::target::Target::Remote(_)) => {
                let printer = crate::run::printer::OutputPrinter::new(
                    crate::cli::ResultFormat::Text,
                    false,
                    false,
                    Printer::new(crate::cli::ErrorFormat::Plain, false, false),
                );
                crate::remote::RemoteSession::open(cli, project.as_deref(), printer)
                    .map(|session| Project::Remote(Box::new(session)))
            }
        };
        opened.map_err(|message| {
            eprintln!("mcauth: {message}");
            ExitCode::from(exit::CONFIG)
        })
    }

    /// The project with the base facts read: members, roles and who holds
    /// them, the configuration, labels, packages, policies.
    pub fn base(&mut self) -> Result<&ProjectState, ExitCode> {
        self.read(BTreeSet::new())
    }

    /// The project with the grants of `grantees` read too.
    pub fn with_grants(
        &mut self,
        grantees: BTreeSet<GranteeId>,
    ) -> Result<&ProjectState, ExitCode> {
        self.read(grantees)
    }

    /// Everyone's grants: every member's and every role's.
    pub fn with_all_grants(&mut self) -> Result<&ProjectState, ExitCode> {
        let grantees = everyone(self.base()?);
        self.read(grantees)
    }

    fn read(&mut self, grants_of: BTreeSet<GranteeId>) -> Result<&ProjectState, ExitCode> {
        let failed = |message: String| {
            eprintln!("mcauth: {message}");
            ExitCode::from(exit::CONFIG)
        };
        match self {
            Project::Store(planner) => Ok(planner.state()),
            Project::Remote(session) => match session.read_state(&needs(grants_of)) {
                Ok(Some((state, _))) => Ok(state),
                Ok(None) => Err(failed(
                    "this caller may not read the project, so no question about it can be answered"
                        .to_owned(),
                )),
                Err(message) => Err(failed(message)),
            },
        }
    }

    /// Plans statements with the policy documents they name against the
    /// project; nothing runs (`check --plan`).
    pub fn plan(
        &mut self,
        statements: &[mcauth_syntax::ast::Statement],
        documents: crate::run::Documents,
    ) -> Result<mcauth_engine::Plan, String> {
        match self {
            Project::Store(planner) => planner.plan(statements, documents),
            Project::Remote(session) => {
                crate::run::driver::plan(session.as_mut(), statements, documents)
            }
        }
    }

    /// The clock expiries are judged by.
    pub fn now(&self) -> Option<i64> {
        match self {
            Project::Store(planner) => planner.now(),
            Project::Remote(_) => wall_clock(),
        }
    }
}

/// Now, in Unix seconds.
pub fn wall_clock() -> Option<i64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

/// What a question reads: the base facts, and the grants of `grantees`.
pub fn needs(grants_of: BTreeSet<GranteeId>) -> Needs {
    Needs {
        facts: Fact::ALL.into_iter().filter(|f| in_base(*f)).collect(),
        grants_of,
    }
}

/// Every member and every role, whose grants `who-can` reads.
pub fn everyone(state: &ProjectState) -> BTreeSet<GranteeId> {
    let members = state.members().into_iter().cloned().map(GranteeId::User);
    let mut g: BTreeSet<GranteeId> = members.collect();
    g.extend(state.roles().into_iter().cloned().map(GranteeId::Role));
    g
}
