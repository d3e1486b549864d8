//! mcauth-engine: the rules of MaxCompute project security statements.
//!
//! A pure model of one project's authorization state ([`ProjectState`]),
//! the primitive [`Change`]s that mutate it ([`apply`]), a read-only
//! [`StateView`] of it and an [`Overlay`] of pending changes over any view.
//! No I/O: no files, no network, no clock.

mod change;
mod names;
mod overlay;
mod privilege;
mod state;
mod view;

pub use change::{Change, apply};
pub use names::{GranteeId, PrincipalClass, PrincipalId, Provider, RoleName};
pub use overlay::Overlay;
pub use privilege::{ObjectKind, ObjectRef, Privilege};
pub use state::{
    AclGrant, Expiry, Flag, GrantKey, GrantKind, GrantProps, LabelGrant, Package, ProjectState,
    RoleInfo, RoleType,
};
pub use view::StateView;
