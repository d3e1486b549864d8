//! What the engine's unit tests share.

use crate::check::{Caller, Context, execute_in};
use crate::names::PrincipalId;
use crate::state::ProjectState;

/// Project `p` of `ALIYUN$owner@x.com` after its owner ran `script`, at
/// `now` (Unix seconds) when it is given. A statement that fails panics.
pub(crate) fn project_after(script: &str, now: Option<i64>) -> ProjectState {
    named_project_after("p", script, now)
}

/// Project `name`, owned by `owner@x.com`, after `script` run by its
/// owner, each statement in the session the ones before it set up (`set
/// odps.namespace.schema=true`), as every runner does.
pub(crate) fn named_project_after(name: &str, script: &str, now: Option<i64>) -> ProjectState {
    let mut state = ProjectState::new(name, PrincipalId::aliyun("owner@x.com"));
    let owner = Caller::owner_of(&state);
    let mut ctx = Context {
        now,
        ..Context::default()
    };
    for stmt in mcauth_syntax::parse(script).statements {
        execute_in(&mut state, &owner, &ctx, &stmt).unwrap_or_else(|f| panic!("{stmt}: {f:?}"));
        ctx.observe(&stmt);
    }
    state
}
