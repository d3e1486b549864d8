//! mcauth-engine: the rules of MaxCompute project security statements.
//!
//! A pure model of one project's authorization state ([`ProjectState`]),
//! the primitive [`Change`]s that mutate it ([`apply`]), a read-only
//! [`StateView`] of it and an [`Overlay`] of pending changes over any view.
//! [`check`] decides what a statement does or why it cannot run;
//! [`execute`] is check + apply; [`plan()`] checks a whole script against a
//! simulated copy. No I/O: no files, no network, no clock.
//!
//! The core (state, changes, views, checks, plans, reports) is re-exported
//! flat from private modules. The features built on it keep a public
//! module each, because their items read with the module's name:
//! [`audit`], [`converge`], [`desired`], [`explain`](mod@explain) and
//! [`export`] (`converge::Step`, `export::Kind`, `desired::build`).
//!
//! ```
//! use mcauth_engine::{Caller, PrincipalId, ProjectState, execute};
//!
//! let mut state = ProjectState::new("p", PrincipalId::aliyun("owner@x.com"));
//! let owner = Caller::owner_of(&state);
//! let parsed = mcauth_syntax::parse("add user RAM$bob; add accountprovider ram; add user RAM$bob;");
//! let first = execute(&mut state, &owner, &parsed.statements[0]).unwrap_err();
//! assert_eq!(first.message, "lack of account provider, principalName RAM$owner@x.com:bob");
//! execute(&mut state, &owner, &parsed.statements[1]).unwrap();
//! let third = execute(&mut state, &owner, &parsed.statements[2]).unwrap();
//! assert_eq!(third.output.to_string(), "OK");
//! ```
#![warn(missing_docs)]

mod access;
pub mod audit;
mod authority;
mod change;
mod check;
pub mod converge;
pub mod desired;

pub mod explain;
pub mod export;
mod failure;
mod knowledge;
mod names;
mod needs;
mod output;
mod overlay;
mod plan;
mod privilege;
mod ram;
mod report;
mod state;
#[cfg(test)]
mod testing;
mod time;
mod view;
mod who_can;

pub use access::{AccessDecision, check_access};
pub use authority::{Authority, authority};
pub use change::{Change, apply};
pub use check::{
    Caller, Context, DEFAULT_SCHEMA, Effect, NAMESPACE_SCHEMA, check, check_in, execute,
    execute_in, packages_allowed,
};
pub use failure::{Failure, FailureCode, Warning, WarningCode};
pub use knowledge::{Fact, Knowledge};
pub use names::{GranteeId, PrincipalClass, PrincipalId, Provider, RoleName};
pub use needs::Needs;
pub use output::{
    AclLine, AclReport, AllowedProject, AuthorizationType, GrantBlock, GrantLine, GrantSection,
    GrantsReport, LabelGrantLine, MaskingPolicyInfo, Output, PackageDescription, PackageItem,
    PackageList, PackageObject, RoleDescription, RowAccessPolicyInfo, SecurityConfiguration,
    Whoami,
};
pub use overlay::Overlay;
pub use plan::{Plan, PlanCounts, PlanText, Planner, Step, Verdict, plan, plan_in, render_step};
pub use privilege::{ObjectKind, ObjectRef, Privilege};
pub use ram::{RamDecision, RamRequest, RamVerdict, ram_request};
pub use state::{
    AclGrant, Expiry, Flag, GrantKey, GrantKind, GrantProps, GrantRef, Group, LabelGrant,
    MaskingBinding, MaskingPolicy, Package, PolicySlot, PolicyTargetIds, ProjectState, RoleInfo,
    RoleScope, RoleType, RowAccessPolicy,
};
pub use time::{iso8601, rfc3339_millis};
pub use view::StateView;
pub use who_can::{Holder, Path, WhoCan, who_can, who_can_asked};
