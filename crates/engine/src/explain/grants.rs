//! The ACL and policy grants to a principal and to each of its roles.

use crate::change::Change;
use crate::export::{ExpiryDays, Item, grant_statement};
use crate::knowledge::Fact;
use crate::names::GranteeId;
use crate::privilege::{ObjectRef, Privilege};
use crate::state::{Expiry, Flag, GrantKind, GrantRef};
use crate::view::StateView;

use super::{Decided, GrantSource, Layer, Outcome, Question, Step, Subject, Tracer};

/// Consults the grants of `grantees`: a policy Deny that applies decides;
/// else the first grant that allows; else nothing allows.
///
/// A grant with `conditions` depends on the request (its source IP, the
/// instance, the time…), which a question does not know: it decides
/// nothing, and where it would change the answer if its condition held,
/// the answer is *not verified* (as a policy document's statement with a
/// condition on an unknown key; see `super::documents`).
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    source: &dyn GrantSource,
    t: &mut Tracer,
    q: &Question,
    grantees: &[GranteeId],
    now: Option<i64>,
) -> Decided {
    let acl = view.flag(Flag::CheckPermissionUsingAcl);
    let policy = view.flag(Flag::CheckPermissionUsingPolicy);
    if view.knows(Fact::Flags) {
        t.push(Step::new(
            Layer::Configuration,
            Outcome::Note,
            format!(
                "CheckPermissionUsingACL={acl}, CheckPermissionUsingPolicy={policy}{}",
                match (acl, policy) {
                    (true, true) => ": ACL and policy grants both count",
                    (false, true) => ": ACL grants do not count",
                    (true, false) => ": policy grants do not count",
                    (false, false) => ": no grant counts",
                }
            ),
        ));
    } else {
        t.not_verified(Layer::Configuration, Fact::Flags);
    }
    let mut allowed: Option<(String, usize)> = None;
    let mut denied: Option<(String, usize)> = None;
    // Grants that would apply if their condition held: (step, denies).
    let mut open: Vec<(Step, bool)> = Vec::new();
    for grantee in grantees {
        if !view.knows_grants_of(grantee) {
            t.push(Step::new(
                Layer::AclGrant,
                Outcome::NotVerified,
                format!("the grants of {grantee} were not read"),
            ));
            continue;
        }
        let mut any = false;
        for grant in source.grants_of(grantee) {
            let key = &grant.key;
            if !relevant(&key.object, &q.object) {
                continue;
            }
            any = true;
            let layer = if key.kind == GrantKind::Acl {
                Layer::AclGrant
            } else {
                Layer::PolicyGrant
            };
            let what = format!(
                "{} on {} {} to {grantee}",
                key.privilege, key.object.kind, key.object.name
            );
            let kind_name = match key.kind {
                GrantKind::Acl => "the ACL grant",
                GrantKind::Policy { allow: true } => "the policy grant (Allow)",
                GrantKind::Policy { allow: false } => "the policy grant (Deny)",
            };
            let counts = match key.kind {
                GrantKind::Acl => acl,
                GrantKind::Policy { .. } => policy,
            };
            let why_not = if !counts {
                Some(
                    match key.kind {
                        GrantKind::Acl => "ACL grants do not count (CheckPermissionUsingACL=false)",
                        GrantKind::Policy { .. } => {
                            "policy grants do not count (CheckPermissionUsingPolicy=false)"
                        }
                    }
                    .to_owned(),
                )
            } else if lapsed(&grant, now) {
                Some("it has expired".to_owned())
            } else if !(key.privilege == q.privilege || key.privilege == Privilege::All) {
                Some(format!("it grants {}, not {}", key.privilege, q.privilege))
            } else if !covers(&key.object, &q.object) {
                Some(match &key.object.column {
                    Some(c) => format!("it covers column {c} only"),
                    None => "it does not cover the object".to_owned(),
                })
            } else {
                None
            };
            let mut detail = format!("{kind_name} of {what}");
            if key.object.name.contains('*') {
                detail.push_str(&format!(" (pattern {})", key.object.name));
            }
            if let Some(e) = &grant.props.expires
                && why_not.is_none()
            {
                let ExpiryDays(days) = ExpiryDays::of(e, now);
                detail.push_str(&format!("; expires in {days} day(s)"));
            }
            let statement = statement_of(grantee, &grant, now);
            let denies = key.kind == (GrantKind::Policy { allow: false });
            let outcome = match (&why_not, &grant.props.conditions) {
                (Some(why), _) => {
                    detail.push_str("; ");
                    detail.push_str(why);
                    Outcome::DoesNotApply
                }
                (None, Some(c)) => {
                    detail.push_str(&format!(
                        "; it would {} if its condition `{c}` held, which depends on the request this question does not know",
                        if denies { "deny" } else { "allow" }
                    ));
                    Outcome::NotVerified
                }
                (None, None) if denies => Outcome::Denies,
                (None, None) => Outcome::Allows,
            };
            let step = Step::new(layer, outcome, detail)
                .with_statement(statement)
                .for_grantee(grantee)
                .made_by(Change::AddAclGrant {
                    grantee: grantee.clone(),
                    grant: grant.key.clone(),
                    props: grant.props.clone(),
                });
            if outcome == Outcome::NotVerified {
                open.push((step, denies));
                continue;
            }
            let step = t.push(step);
            match outcome {
                Outcome::Denies if denied.is_none() => {
                    denied = Some((format!("denied by the policy grant of {what}"), step));
                }
                Outcome::Allows if allowed.is_none() => {
                    let kind = if key.kind == GrantKind::Acl {
                        "ACL"
                    } else {
                        "policy"
                    };
                    allowed = Some((format!("allowed by the {kind} grant of {what}"), step));
                }
                _ => {}
            }
        }
        if !any {
            t.push(Step::new(
                Layer::AclGrant,
                Outcome::DoesNotApply,
                format!("no grant to {grantee} names {}", q.object_words()),
            ));
        }
    }
    // What the grants that decide decided; a grant with a condition
    // could change it only the other way.
    for (mut step, denies) in open {
        let could_change = match (&denied, &allowed) {
            (Some(_), _) => false,
            (None, Some(_)) => denies,
            (None, None) => !denies,
        };
        if !could_change {
            step.outcome = Outcome::DoesNotApply;
            step.detail.push_str("; it could not change the answer");
        }
        t.push(step);
    }
    match (denied, allowed) {
        (Some((reason, step)), _) => Decided::Deny {
            reason,
            step: Some(step),
        },
        (None, Some((reason, step))) => Decided::Allow {
            reason,
            step: Some(step),
        },
        (None, None) => Decided::Deny {
            reason: match &q.subject {
                Subject::Principal(p) => format!(
                    "no grant to {p} or its roles allows {} on {}",
                    q.privilege,
                    q.object_words()
                ),
                Subject::Role(r) => format!(
                    "no grant to role {r} allows {} on {}",
                    q.privilege,
                    q.object_words()
                ),
            },
            step: None,
        },
    }
}

/// Whether a grant has lapsed by `now`.
pub(crate) fn lapsed(grant: &GrantRef<'_>, now: Option<i64>) -> bool {
    matches!(
        (grant.props.expires, now),
        (Some(Expiry::At(at)), Some(now)) if at <= now
    )
}

/// The statement that makes this grant.
fn statement_of(grantee: &GranteeId, grant: &GrantRef<'_>, now: Option<i64>) -> String {
    grant_statement(&[Item::Grant {
        grantee: grantee.clone(),
        object: grant.key.object.clone(),
        kind: grant.key.kind,
        privilege: grant.key.privilege,
        conditions: grant.props.conditions.clone(),
        expires: grant.props.expires.as_ref().map(|e| ExpiryDays::of(e, now)),
    }])
}

/// Whether a grant's object is about the object asked about: the same
/// type and a matching name, whatever the columns.
pub(crate) fn relevant(granted: &ObjectRef, asked: &ObjectRef) -> bool {
    granted.kind == asked.kind && star_match(&granted.name, &asked.name)
}

/// Whether a grant's object covers the object asked about: a table grant
/// covers its columns, a column grant only its column.
pub(crate) fn covers(granted: &ObjectRef, asked: &ObjectRef) -> bool {
    relevant(granted, asked)
        && match (&granted.column, &asked.column) {
            (None, _) => true,
            (Some(g), Some(a)) => g.eq_ignore_ascii_case(a),
            (Some(_), None) => false,
        }
}

/// `pattern` against `name`, `*` matching any run of characters (names
/// are compared case-insensitively, as MaxCompute's are).
pub(crate) fn star_match(pattern: &str, name: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return name.is_empty();
    };
    if !pattern.contains('*') {
        return pattern == name;
    }
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let (last, middle) = middle.split_last().map_or(("", &[][..]), |(l, m)| (*l, m));
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::star_match;

    #[test]
    fn stars_match_runs_of_characters() {
        assert!(star_match("*", "anything"));
        assert!(star_match("sales_*", "sales_2026"));
        assert!(star_match("*_tmp", "x_tmp"));
        assert!(star_match("a*b*c", "aXXbYYc"));
        assert!(!star_match("a*b*c", "aXXbYY"));
        assert!(!star_match("sales", "sales_2026"));
        assert!(star_match("Sales", "sales"));
        assert!(!star_match("ab*ba", "aba"));
    }
}
