//! LabelSecurity: a column (or table) labelled above the principal's
//! clearance is readable only through a label grant of that level.
//!
//! **Choices where the docs are silent:** labels govern reading data
//! (`Select`, `Download`) on tables only; unlabelled data and users are at
//! level 0; the owner and the admin roles are not held back by labels
//! (they decide before this layer); a label grant to a role the principal
//! holds counts as one to the principal; a label grant on the table covers
//! its columns. A table's columns are checked when a column is named.

use crate::change::Change;
use crate::export::ExpiryDays;
use crate::knowledge::Fact;
use crate::names::GranteeId;
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::{Expiry, Flag, LabelGrant};
use crate::view::StateView;

use super::{Decided, Layer, Outcome, Question, Step, Subject, Tracer};

/// Holds an Allow back when the data is labelled above the principal's
/// clearance and no label grant covers it.
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    t: &mut Tracer,
    q: &Question,
    grantees: &[GranteeId],
    now: Option<i64>,
    decided: Decided,
) -> Decided {
    if !matches!(decided, Decided::Allow { .. }) {
        return decided;
    }
    if q.object.kind != ObjectKind::Table
        || !matches!(q.privilege, Privilege::Select | Privilege::Download)
    {
        t.push(Step::new(
            Layer::LabelSecurity,
            Outcome::DoesNotApply,
            "labels govern reading table data (Select, Download) only",
        ));
        return decided;
    }
    if !view.knows(Fact::Flags) {
        t.not_verified(Layer::LabelSecurity, Fact::Flags);
        return decided;
    }
    if !view.flag(Flag::LabelSecurity) {
        t.push(Step::new(
            Layer::LabelSecurity,
            Outcome::DoesNotApply,
            "LabelSecurity=false: labels are not checked",
        ));
        return decided;
    }
    if !view.knows(Fact::ObjectLabels) {
        t.not_verified(Layer::LabelSecurity, Fact::ObjectLabels);
        return decided;
    }
    let table = ObjectRef::new(ObjectKind::Table, q.object.name.clone());
    let (labelled, level_text) = match q
        .object
        .column
        .as_ref()
        .and_then(|_| view.object_label(&q.object).map(|l| (q.object.clone(), l)))
    {
        Some(found) => (Some(found.0), found.1),
        None => match view.object_label(&table) {
            Some(l) => (Some(table.clone()), l),
            None => (None, "0"),
        },
    };
    let Some(level) = level(level_text) else {
        t.push(Step::new(
            Layer::LabelSecurity,
            Outcome::NotVerified,
            format!("the label `{level_text}` is not a level mcauth can compare"),
        ));
        return decided;
    };
    let (clearance_text, whose) = match &q.subject {
        Subject::Principal(p) => (view.user_label(p), p.to_string()),
        Subject::Role(r) => (None, format!("role {r}")),
    };
    let clearance = clearance_text.map_or(Some(0), self::level);
    let Some(clearance) = clearance else {
        t.push(Step::new(
            Layer::LabelSecurity,
            Outcome::NotVerified,
            format!(
                "{whose}'s label `{}` is not a level mcauth can compare",
                clearance_text.unwrap_or_default()
            ),
        ));
        return decided;
    };
    let data = q.object.to_statement_text();
    let where_from = match &labelled {
        Some(o) if o.column.is_some() => format!("its column label {level}"),
        Some(_) => format!("the table's label {level}"),
        None => "no label (level 0)".to_owned(),
    };
    if level <= clearance {
        t.push(Step::new(
            Layer::LabelSecurity,
            Outcome::DoesNotApply,
            format!(
                "{data} has {where_from}, within {whose}'s clearance {clearance}{}",
                if q.object.column.is_none() {
                    "; name a column to check its own label"
                } else {
                    ""
                }
            ),
        ));
        return decided;
    }
    let mut candidates = vec![table.clone()];
    if q.object.column.is_some() {
        candidates.insert(0, q.object.clone());
    }
    for grantee in grantees {
        for object in &candidates {
            let Some(grant) = view.label_grant(grantee, object) else {
                continue;
            };
            let statement = statement_of(grantee, object, grant, now);
            let change = Change::AddLabelGrant {
                grantee: grantee.clone(),
                object: object.clone(),
                grant: grant.clone(),
            };
            let granted = self::level(&grant.level).unwrap_or(0);
            let expired = matches!(
                (grant.expires, now),
                (Some(Expiry::At(at)), Some(now)) if at <= now
            );
            let what = format!(
                "the label grant of level {} on {} to {grantee}",
                grant.level,
                object.to_statement_text()
            );
            if expired {
                t.push(
                    Step::new(
                        Layer::LabelSecurity,
                        Outcome::DoesNotApply,
                        format!("{what}; it has expired"),
                    )
                    .with_statement(statement)
                    .made_by(change),
                );
            } else if granted < level {
                t.push(
                    Step::new(
                        Layer::LabelSecurity,
                        Outcome::DoesNotApply,
                        format!("{what}; {level} is above {granted}"),
                    )
                    .with_statement(statement)
                    .made_by(change),
                );
            } else {
                let left = grant
                    .expires
                    .map(|e| format!("; expires in {} day(s)", ExpiryDays::of(&e, now).0))
                    .unwrap_or_default();
                t.push(
                    Step::new(
                        Layer::LabelSecurity,
                        Outcome::Allows,
                        format!("{data} has {where_from}, above {whose}'s clearance {clearance}; {what} covers it{left}"),
                    )
                    .with_statement(statement)
                    .made_by(change),
                );
                return decided;
            }
        }
    }
    let reason = format!(
        "{data} is labelled {level}, above {whose}'s clearance {clearance}, and no label grant covers it"
    );
    let grantee = match &q.subject {
        Subject::Principal(p) => format!("user {}", p.to_statement_text()),
        Subject::Role(r) => format!("role {r}"),
    };
    let step = t.push(
        Step::new(Layer::LabelSecurity, Outcome::Denies, reason.clone())
            .with_statement(format!("grant label {level} on {data} to {grantee};")),
    );
    Decided::Deny {
        reason,
        step: Some(step),
    }
}

/// A label level: a whole number.
pub(super) fn level(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

fn statement_of(
    grantee: &GranteeId,
    object: &ObjectRef,
    grant: &LabelGrant,
    now: Option<i64>,
) -> String {
    let to = match grantee {
        GranteeId::User(p) => format!("user {}", p.to_statement_text()),
        other => other.to_statement_text(),
    };
    let mut s = format!(
        "grant label {} on {} to {to}",
        grant.level,
        object.to_statement_text()
    );
    if let Some(e) = &grant.expires {
        s.push_str(&format!(" with exp {}", ExpiryDays::of(e, now).0));
    }
    s.push(';');
    s
}
