//! The policy documents: the project policy (`put policy FILE`), whose
//! statements name the principals they apply to, and the policy of each
//! role the principal holds (`put policy FILE on role r`), evaluated with
//! [`mcauth_policy::ProjectPolicies`].
//!
//! The question becomes a request as MaxCompute's project and role
//! policies are written: action `odps:<Privilege>`, resource
//! `acs:odps:*:projects/<p>` or `acs:odps:*:projects/<p>/tables/<t>` (the
//! documented ARNs name objects, not columns, so a column is checked as its
//! table), principal as the docs write it (`RAM$account:bob`,
//! `ALIYUN$alice@aliyun.com`). The only context known is `acs:CurrentTime`
//! (from `now`); a statement whose condition needs any other key (the
//! source IP, the instance) might apply, and where it could change the
//! answer the trace is *not verified*.
//!
//! **Precedence**, as MaxCompute's: an applicable Deny beats every Allow —
//! ACL grants, policy grants and documents alike ("If an action is both
//! allowed and denied …, the settings of deny take effect", MaxCompute's
//! "Policy-based access control and download control"); an Allow allows as a policy grant
//! does, and LabelSecurity may still hold it back. Documents count while
//! `CheckPermissionUsingPolicy` is on, as policy grants do (the flag turns
//! policy-based access control on and off, same page).
//!
//! **Choice where the docs are silent:** the owner and the holders of
//! `admin` and `super_administrator` decide before any grant or document
//! ([`super::standing`]), so a Deny does not bind them — the same rule
//! [`crate::check_access`] has always applied to policy grants (the owner
//! has every permission, the admin roles "operation permissions on all
//! resources of the project", "Role planning",
//! <https://www.alibabacloud.com/help/en/maxcompute/user-guide/role-planning>). A question about a role
//! reads that role's policy only: the project policy names principals.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mcauth_policy::Effect;
use mcauth_policy::{Dialect, ParseOptions, ProjectPolicies, Request, parse_policy_str};
use mcauth_policy::{OpenStatement, StatementRef};

use crate::change::Change;
use crate::knowledge::Fact;
use crate::names::GranteeId;
use crate::privilege::{ObjectKind, ObjectRef};
use crate::state::{Flag, PolicySlot};
use crate::view::StateView;

use super::{Decided, Layer, Outcome, Question, Step, Subject, Tracer};

/// Documents compiled once for many questions about one view: who-can
/// asks for every member, and a project policy need not be read for each.
#[derive(Default)]
pub(crate) struct Cache(RefCell<HashMap<PolicySlot, Rc<Compiled>>>);

/// A document compiled on its own, or why it does not read.
type Compiled = Result<ProjectPolicies, String>;

impl Cache {
    fn compiled(&self, s: &Stored) -> Rc<Compiled> {
        if let Some(compiled) = self.0.borrow().get(&s.slot) {
            return Rc::clone(compiled);
        }
        let compiled = Rc::new(compile(s));
        self.0
            .borrow_mut()
            .insert(s.slot.clone(), Rc::clone(&compiled));
        compiled
    }
}

/// Reads a stored document in its slot's dialect and compiles it.
fn compile(s: &Stored) -> Compiled {
    // The exception policy names principals, as the project policy does.
    let dialect = match s.slot {
        PolicySlot::Project | PolicySlot::ProtectionException => Dialect::Project,
        _ => Dialect::Role,
    };
    let doc =
        parse_policy_str(&s.document, &ParseOptions::dialect(dialect)).map_err(|f| f.message)?;
    let mut set = ProjectPolicies::new();
    set.add(s.slot.to_string(), &doc)
        .map_err(|e| e.to_string())?;
    Ok(set)
}

/// The condition key this evaluation knows, from `now`.
const CURRENT_TIME: &str = "acs:CurrentTime";

/// One stored document that takes part.
struct Stored {
    slot: PolicySlot,
    document: String,
    grantee: Option<GranteeId>,
}

/// A statement of one document, for the trace.
struct Statement<'a> {
    stored: &'a Stored,
    set: &'a ProjectPolicies,
    at: StatementRef,
}

impl Statement<'_> {
    /// `statement 1 of the project policy (line 4)`.
    fn describe(&self) -> String {
        self.set.statement_info(self.at).map_or_else(
            || format!("a statement of {}", self.stored.slot),
            |i| {
                format!(
                    "statement {} of {} (line {})",
                    i.statement, i.policy, i.line
                )
            },
        )
    }
}

/// Consults the documents after the grants: a Deny that applies decides
/// over any Allow; an Allow decides where nothing else allowed.
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    cache: Option<&Cache>,
    t: &mut Tracer,
    q: &Question,
    now: Option<i64>,
    decided: Decided,
) -> Decided {
    if !view.knows(Fact::Policies) {
        t.not_verified(Layer::PolicyDocument, Fact::Policies);
        return decided;
    }
    let stored = stored(view, t, q);
    if stored.is_empty() {
        t.push(Step::new(
            Layer::PolicyDocument,
            Outcome::DoesNotApply,
            match &q.subject {
                Subject::Principal(_) => "no project or role policy document is stored",
                Subject::Role(_) => "no policy document is stored for the role",
            },
        ));
        return decided;
    }
    let names: Vec<String> = stored.iter().map(|s| s.slot.to_string()).collect();
    if !view.flag(Flag::CheckPermissionUsingPolicy) {
        t.push(Step::new(
            Layer::PolicyDocument,
            Outcome::DoesNotApply,
            format!(
                "{} stored; policy documents do not count (CheckPermissionUsingPolicy=false)",
                names.join(", ")
            ),
        ));
        return decided;
    }
    let mut sets: Vec<(&Stored, Rc<Compiled>)> = Vec::new();
    for s in &stored {
        let compiled = match cache {
            Some(cache) => cache.compiled(s),
            None => Rc::new(compile(s)),
        };
        if let Err(problem) = compiled.as_ref() {
            t.push(
                Step::new(
                    Layer::PolicyDocument,
                    Outcome::NotVerified,
                    format!(
                        "{} does not read as a policy ({problem}); its statements could change the answer",
                        s.slot
                    ),
                )
                .made_by(change(s)),
            );
        }
        sets.push((s, compiled));
    }
    let resource = resource(view.project(), &q.object);
    let mut request = Request::new(format!("odps:{}", q.privilege), resource.clone());
    if let Some(now) = now {
        request.add_context(CURRENT_TIME, current_time(now));
    }
    let principal = match &q.subject {
        Subject::Principal(p) => Some(p.to_string()),
        Subject::Role(_) => None,
    };
    let whom = match &q.subject {
        Subject::Principal(p) => format!(" for {p}"),
        Subject::Role(_) => String::new(),
    };
    let column = if q.object.column.is_some() {
        " (policy resources name the table, not its columns)"
    } else {
        ""
    };
    let asked = format!("{} on {resource}{whom}{column}", request.action);
    // Every document's statements, in order: the project policy's, then
    // each role's.
    let mut applied: Vec<(Statement, Effect)> = Vec::new();
    let mut open: Vec<(Statement, OpenStatement)> = Vec::new();
    let mut read: Vec<&Stored> = Vec::new();
    for (s, compiled) in &sets {
        let Ok(set) = compiled.as_ref() else {
            continue;
        };
        read.push(s);
        let a = set.assess(&request, principal.as_deref());
        let named = |at| Statement { stored: s, set, at };
        applied.extend(a.applied.into_iter().map(|(at, e)| (named(at), e)));
        open.extend(a.open.into_iter().map(|o| (named(o.at), o)));
    }
    let mut deny_step = None;
    let mut allow_step = None;
    for (statement, effect) in &applied {
        let denies = *effect == Effect::Deny;
        let mut step = Step::new(
            Layer::PolicyDocument,
            if denies {
                Outcome::Denies
            } else {
                Outcome::Allows
            },
            format!(
                "{} {} {asked}",
                statement.describe(),
                if denies { "denies" } else { "allows" }
            ),
        )
        .made_by(change(statement.stored));
        if let Some(g) = &statement.stored.grantee {
            step = step.for_grantee(g);
        }
        let index = t.push(step);
        let first = if denies {
            &mut deny_step
        } else {
            &mut allow_step
        };
        first.get_or_insert((index, statement.describe()));
    }
    let decided = match (deny_step, allow_step, decided) {
        // A Deny a policy grant decided stays the first one.
        (_, _, d @ Decided::Deny { step: Some(_), .. }) => d,
        (Some((index, by)), _, _) => Decided::Deny {
            reason: format!("explicitly denied by {by}"),
            step: Some(index),
        },
        (None, Some((index, by)), Decided::Deny { step: None, .. }) => Decided::Allow {
            reason: format!("allowed by {by}"),
            step: Some(index),
        },
        (_, _, d) => d,
    };
    for (statement, o) in &open {
        let denies = o.effect == Effect::Deny;
        let could_change = match &decided {
            Decided::Allow { .. } => denies,
            Decided::Deny { step, .. } => !denies && step.is_none(),
        };
        let keys = o.keys.join(", ");
        let mut detail = format!(
            "{} would {} {asked} if its condition on {keys} held; this question does not know {keys}",
            statement.describe(),
            if denies { "deny" } else { "allow" }
        );
        if !could_change {
            detail.push_str("; it could not change the answer");
        }
        t.push(
            Step::new(
                Layer::PolicyDocument,
                if could_change {
                    Outcome::NotVerified
                } else {
                    Outcome::DoesNotApply
                },
                detail,
            )
            .made_by(change(statement.stored)),
        );
    }
    if applied.is_empty() && open.is_empty() && !read.is_empty() {
        let read: Vec<String> = read.iter().map(|s| s.slot.to_string()).collect();
        t.push(Step::new(
            Layer::PolicyDocument,
            Outcome::DoesNotApply,
            format!("no statement of {} applies to {asked}", read.join(" or ")),
        ));
    }
    decided
}

/// For a trace the owner's or an admin role's standing decided: the
/// documents stored for the principal do not bind it (see the module's
/// choice), said where there are any.
pub(super) fn standing_note<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) {
    if !view.knows(Fact::Policies) {
        return;
    }
    let mut scratch = Tracer {
        steps: Vec::new(),
        unverified: false,
    };
    let stored = stored(view, &mut scratch, q);
    if stored.is_empty() {
        return;
    }
    let names: Vec<String> = stored.iter().map(|s| s.slot.to_string()).collect();
    t.push(Step::new(
        Layer::PolicyDocument,
        Outcome::DoesNotApply,
        format!(
            "{} stored; the owner and the admin roles decide before any policy document, so no Deny there binds {}",
            names.join(", "),
            q.subject
        ),
    ));
}

/// The documents that apply to the subject: the project policy and the
/// policies of the principal's roles, or the role's own.
fn stored<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) -> Vec<Stored> {
    let mut out = Vec::new();
    let mut add = |slot: PolicySlot, grantee: Option<GranteeId>| {
        if let Some(document) = view.policy(&slot) {
            out.push(Stored {
                slot,
                document: document.to_owned(),
                grantee,
            });
        }
    };
    match &q.subject {
        Subject::Principal(p) => {
            add(PolicySlot::Project, Some(GranteeId::User(p.clone())));
            if view.knows(Fact::RoleHolders) {
                for role in view.roles_of(p) {
                    add(
                        PolicySlot::Role(role.clone()),
                        Some(GranteeId::Role(role.clone())),
                    );
                }
            } else {
                t.push(Step::new(
                    Layer::PolicyDocument,
                    Outcome::NotVerified,
                    format!(
                        "the roles of {p} were not read: their policies could change the answer"
                    ),
                ));
            }
        }
        Subject::Role(r) => add(
            PolicySlot::Role(r.clone()),
            Some(GranteeId::Role(r.clone())),
        ),
    }
    out
}

/// What ProjectProtection's exception policy says of a question about
/// data leaving the project.
pub(super) enum Exception {
    /// A statement allows it (described).
    Allows(String),
    /// A statement would allow it if its condition on these keys held.
    Open { statement: String, keys: String },
    /// No statement allows it.
    No,
    /// The stored document does not read as a policy.
    Unreadable(String),
}

/// The exception policy's answer, `None` when none is stored.
pub(super) fn exception<V: StateView + ?Sized>(
    view: &V,
    cache: Option<&Cache>,
    q: &Question,
    now: Option<i64>,
) -> Option<Exception> {
    let stored = Stored {
        slot: PolicySlot::ProtectionException,
        document: view.policy(&PolicySlot::ProtectionException)?.to_owned(),
        grantee: None,
    };
    let compiled = match cache {
        Some(cache) => cache.compiled(&stored),
        None => Rc::new(compile(&stored)),
    };
    let set = match compiled.as_ref() {
        Ok(set) => set,
        Err(problem) => return Some(Exception::Unreadable(problem.clone())),
    };
    let mut request = Request::new(
        format!("odps:{}", q.privilege),
        resource(view.project(), &q.object),
    );
    if let Some(now) = now {
        request.add_context(CURRENT_TIME, current_time(now));
    }
    let principal = match &q.subject {
        Subject::Principal(p) => Some(p.to_string()),
        Subject::Role(_) => None,
    };
    let a = set.assess(&request, principal.as_deref());
    let named = |at| Statement {
        stored: &stored,
        set,
        at,
    };
    // An explicit Deny beats every Allow, in this document as in others.
    if a.applied.iter().any(|(_, e)| *e == Effect::Deny) {
        return Some(Exception::No);
    }
    if let Some((at, _)) = a.applied.iter().find(|(_, e)| *e == Effect::Allow) {
        return Some(Exception::Allows(named(*at).describe()));
    }
    if let Some(o) = a.open.iter().find(|o| o.effect == Effect::Allow) {
        return Some(Exception::Open {
            statement: named(o.at).describe(),
            keys: o.keys.join(", "),
        });
    }
    Some(Exception::No)
}

/// The change that stored a document (for the store's history).
fn change(s: &Stored) -> Change {
    Change::PutPolicy {
        slot: s.slot.clone(),
        document: s.document.clone(),
    }
}

/// The object's ARN as project and role policies name it: the whole
/// object, never a column or a partition.
pub(crate) fn resource(project: &str, object: &ObjectRef) -> String {
    if object.kind == ObjectKind::Project {
        return format!("acs:odps:*:projects/{}", object.name);
    }
    let whole = ObjectRef::new(object.kind, object.name.clone());
    format!("acs:odps:*:{}", whole.resource(project))
}

/// `acs:CurrentTime` as RAM writes it: `2026-12-04T06:00:00Z`.
fn current_time(now: i64) -> String {
    let text = crate::time::iso8601(now);
    match text.strip_suffix("+0000") {
        Some(t) => format!("{t}Z"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_name_whole_objects() {
        let col = ObjectRef::column(ObjectKind::Table, "sales", "amount");
        assert_eq!(resource("p", &col), "acs:odps:*:projects/p/tables/sales");
        let p = ObjectRef::new(ObjectKind::Project, "p");
        assert_eq!(resource("p", &p), "acs:odps:*:projects/p");
        assert_eq!(current_time(0), "1970-01-01T00:00:00Z");
    }
}
