//! Which recorded statement made each fact a trace names: the embedded
//! store keeps every statement it ran with its changes, so a grant can be
//! traced to the statement as it was typed. The latest statement that
//! made the fact wins (a grant revoked and granted again was made by the
//! second grant). Against an endpoint there is no history: the trace
//! keeps the statement that would make the fact.

use mcauth_engine::Change;
use mcauth_engine::explain::Recorded;

/// Whether `logged` made the fact `wanted` names (properties aside: an
/// expiry is recorded as a time, asked about as days).
fn made(wanted: &Change, logged: &Change) -> bool {
    match (wanted, logged) {
        (
            Change::AddAclGrant { grantee, grant, .. },
            Change::AddAclGrant {
                grantee: g,
                grant: k,
                ..
            },
        ) => grantee == g && grant == k,
        (
            Change::AddLabelGrant {
                grantee, object, ..
            },
            Change::AddLabelGrant {
                grantee: g,
                object: o,
                ..
            },
        ) => grantee == g && object == o,
        (Change::PutPolicy { slot, .. }, Change::PutPolicy { slot: s, .. }) => slot == s,
        (Change::GrantRole { .. }, Change::GrantRole { .. })
        | (Change::AddMember { .. }, Change::AddMember { .. }) => wanted == logged,
        _ => false,
    }
}

/// Fills in [`mcauth_engine::explain::Step::recorded`] from a history
/// walk: `history` calls its visitor once per statement, oldest first.
pub fn fill(
    traces: &mut [mcauth_engine::explain::Trace],
    history: impl FnOnce(&mut dyn FnMut(i64, &str, &[Change])) -> Result<(), String>,
) -> Result<(), String> {
    let mut wanted: Vec<(usize, usize, Change)> = Vec::new();
    for (t, trace) in traces.iter().enumerate() {
        for (s, step) in trace.steps.iter().enumerate() {
            if let Some(change) = &step.change {
                wanted.push((t, s, change.clone()));
            }
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let mut found: Vec<Option<Recorded>> = vec![None; wanted.len()];
    history(&mut |seq, text, changes| {
        for (i, (_, _, change)) in wanted.iter().enumerate() {
            if changes.iter().any(|c| made(change, c)) {
                let mut text = text.trim().to_owned();
                if !text.ends_with([';', '；']) {
                    text.push(';');
                }
                found[i] = Some(Recorded { seq, text });
            }
        }
    })?;
    for ((t, s, _), recorded) in wanted.into_iter().zip(found) {
        if let Some(step) = traces.get_mut(t).and_then(|tr| tr.steps.get_mut(s)) {
            step.recorded = recorded;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_engine::{
        GrantKey, GrantKind, GranteeId, ObjectKind, ObjectRef, Privilege, RoleName,
    };

    #[test]
    fn a_grant_is_made_by_the_latest_statement_that_made_it() {
        let key = GrantKey {
            object: ObjectRef::new(ObjectKind::Table, "t"),
            privilege: Privilege::Select,
            kind: GrantKind::Acl,
        };
        let grant = Change::AddAclGrant {
            grantee: GranteeId::Role(RoleName::new("r")),
            grant: key.clone(),
            props: Default::default(),
        };
        let other = Change::AddAclGrant {
            grantee: GranteeId::Role(RoleName::new("s")),
            grant: key,
            props: Default::default(),
        };
        assert!(made(&grant, &grant));
        assert!(!made(&grant, &other));
    }
}
