//! Why a principal (or a role) may or may not use a privilege on an
//! object: the decision and the trace of every layer consulted.
//!
//! This is the engine's one access decision: [`crate::check_access`] (the
//! emulator's `checkPermission`) is [`explain`] without the trace, and
//! [`crate::who_can`] runs the same evaluation for every member. Layers
//! are consulted in order, strongest first: the owner, membership, the
//! admin roles, Download control (which turns a question about Download
//! into one about Select while it is off), the ACL and policy grants to
//! the principal and to each of its roles, the object's creator (when the
//! question names the object's owner), the project policy and the
//! policies of its roles (an explicit Deny, from a policy grant or a
//! document, beats any Allow), then LabelSecurity. Layers the engine
//! keeps but does not evaluate (the security policy, installed packages,
//! a creator nobody named) are reported as *not modelled*; the layers
//! about data leaving the project (ProjectProtection, and Download control
//! for a Select) are reported as notes that do not change the answer.
//!
//! **Not read is never absent:** a layer whose facts the view does not
//! hold ([`StateView::knows`]) is *not verified*, and a decision that such
//! a layer could change says so ([`Trace::verified`]).

mod creator;
pub(crate) mod documents;
mod download;
mod grants;
mod installed;
mod labels;
mod leaving;
mod notes;
mod render;

use serde::Serialize;

use crate::change::Change;
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::privilege::{ObjectRef, Privilege};
use crate::state::GrantRef;
use crate::view::StateView;

pub(crate) use grants::relevant;
pub use installed::SharingProject;
pub use notes::DOWNLOAD_PROPERTY;

/// Whom a question is about: a principal (as its grants, roles and
/// standing give it), or a role alone (its own grants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum Subject {
    /// A principal, with the roles it holds and its standing (owner,
    /// admin roles).
    Principal(PrincipalId),
    /// A role, with its own grants only.
    Role(RoleName),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Principal(p) => write!(f, "{p}"),
            Subject::Role(r) => write!(f, "role {r}"),
        }
    }
}

/// One question: may `subject` use `privilege` on `object`?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// Who would use the privilege.
    pub subject: Subject,
    /// The privilege asked about.
    pub privilege: Privilege,
    /// The object (and column) it would be used on.
    pub object: ObjectRef,
    /// Who owns (created) the object, where the asker knows it: a table's
    /// `Owner` in MaxCompute's metadata. The project state does not hold
    /// it (no security statement creates objects), so the ObjectCreator
    /// layer decides only with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_owner: Option<PrincipalId>,
    /// Set when the object belongs to another project (`B.t` asked in A):
    /// what was read of that project. The packages of it installed here
    /// decide ([`SharingProject`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_by: Option<SharingProject>,
    /// The project the data would be written to, for a question about
    /// data leaving the project: ProjectProtection then decides too
    /// (see `leaving`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaving_to: Option<String>,
}

impl Question {
    /// A question whose object's owner is not known.
    pub fn new(subject: Subject, privilege: Privilege, object: ObjectRef) -> Question {
        Question {
            subject,
            privilege,
            object,
            object_owner: None,
            shared_by: None,
            leaving_to: None,
        }
    }

    /// The same question, about taking the data to project `to`.
    pub fn leaving_to(mut self, to: Option<String>) -> Question {
        self.leaving_to = to.map(|p| p.to_ascii_lowercase());
        self
    }

    /// The same question, about an object of another project.
    pub fn shared_by(mut self, from: Option<SharingProject>) -> Question {
        self.shared_by = from;
        self
    }

    /// The same question, with the object's owner known.
    pub fn owned_by(mut self, owner: Option<PrincipalId>) -> Question {
        self.object_owner = owner;
        self
    }

    /// The object as a trace names it: `table t`.
    pub(crate) fn object_words(&self) -> String {
        format!("{} {}", self.object.kind, self.object.name)
    }
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The subject may use the privilege.
    Allow,
    /// It may not: an explicit Deny, or no layer allows it.
    Deny,
}

impl Verdict {
    /// `Allow` or `Deny`, as traces print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "Allow",
            Verdict::Deny => "Deny",
        }
    }
}

/// A layer of MaxCompute's access checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// The project owner, who may do anything in the project.
    Owner,
    /// Whether the principal is a member of the project at all.
    Membership,
    /// The built-in `admin` and `super_administrator` roles.
    AdminRole,
    /// The security configuration's switches (ACL and policy checks).
    Configuration,
    /// ACL grants to the principal and to each of its roles.
    AclGrant,
    /// Policy grants (`"policy"="true"`), Allow or Deny, to its roles.
    PolicyGrant,
    /// The project policy and the policies of its roles.
    PolicyDocument,
    /// Column and table levels against the principal's level and label grants.
    LabelSecurity,
    /// The object's creator (its owner), with `ObjectCreatorHasAccessPermission`.
    ObjectCreator,
    /// Packages created here or installed from other projects.
    Package,
    /// Whether downloading needs the Download privilege.
    DownloadControl,
    /// Whether data may leave the project, and to which trusted projects.
    ProjectProtection,
}

impl Layer {
    /// The layer's name as traces print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Owner => "owner",
            Layer::Membership => "membership",
            Layer::AdminRole => "admin role",
            Layer::Configuration => "configuration",
            Layer::AclGrant => "ACL grant",
            Layer::PolicyGrant => "policy grant",
            Layer::LabelSecurity => "LabelSecurity",
            Layer::PolicyDocument => "policy document",
            Layer::ObjectCreator => "ObjectCreator",
            Layer::Package => "package",
            Layer::DownloadControl => "Download control",
            Layer::ProjectProtection => "ProjectProtection",
        }
    }

    /// Whether the layer takes part in the decision (the others are
    /// notes, or not modelled).
    pub fn decides(self) -> bool {
        matches!(
            self,
            Layer::Owner
                | Layer::Membership
                | Layer::AdminRole
                | Layer::Configuration
                | Layer::AclGrant
                | Layer::PolicyGrant
                | Layer::PolicyDocument
                | Layer::LabelSecurity
                | Layer::ObjectCreator
                | Layer::DownloadControl
        )
    }
}

/// What one layer (or one grant of it) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It allows (and would decide, unless a Deny or a later layer wins).
    Allows,
    /// It denies.
    Denies,
    /// It was consulted and does not apply.
    DoesNotApply,
    /// Its facts were not read: it might change the answer.
    NotVerified,
    /// The engine keeps these facts but does not evaluate them.
    NotModelled,
    /// Said for the record; it does not change the answer.
    Note,
}

impl Outcome {
    /// The outcome as traces print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allows => "allows",
            Outcome::Denies => "denies",
            Outcome::DoesNotApply => "does not apply",
            Outcome::NotVerified => "not verified",
            Outcome::NotModelled => "not modelled",
            Outcome::Note => "note",
        }
    }
}

/// One line of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The layer consulted.
    pub layer: Layer,
    /// What it made of the question.
    pub outcome: Outcome,
    /// What was found, in words.
    pub detail: String,
    /// The statement that made the fact (a grant, a role grant, a label
    /// grant), as mcauth would write it, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The grantee whose grant this step is about, or the role that
    /// grants standing (admin roles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grantee: Option<GranteeId>,
    /// The installed package (`project.package`) whose use decided, on
    /// the package layer's deciding step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The change that made the fact this step is about (a grant, a role
    /// grant, a label grant, a member), for a backend that keeps history
    /// to find the statement that made it.
    #[serde(skip)]
    pub change: Option<Change>,
    /// That statement, as it was run, where the backend knows it (the
    /// embedded store's history); filled in by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Recorded>,
}

/// A statement as the store recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// Its sequence number in the project's history.
    pub seq: i64,
    /// The statement's text as it was run.
    pub text: String,
}

impl Step {
    fn new(layer: Layer, outcome: Outcome, detail: impl Into<String>) -> Step {
        Step {
            layer,
            outcome,
            detail: detail.into(),
            statement: None,
            grantee: None,
            package: None,
            change: None,
            recorded: None,
        }
    }

    fn made_by(mut self, change: Change) -> Step {
        self.change = Some(change);
        self
    }

    fn for_grantee(mut self, grantee: &GranteeId) -> Step {
        self.grantee = Some(grantee.clone());
        self
    }

    fn with_statement(mut self, statement: impl Into<String>) -> Step {
        self.statement = Some(statement.into());
        self
    }
}

/// How the decision was reached: the question, the answer, the layer
/// that decided, and every layer consulted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// The question answered.
    pub question: Question,
    /// The answer.
    pub verdict: Verdict,
    /// False when a layer that could change the answer was not read.
    pub verified: bool,
    /// The reason in one sentence (what `checkPermission` answers).
    pub reason: String,
    /// The index in `steps` of the step that decided, if one did (a Deny
    /// for want of any grant has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<usize>,
    /// Every layer consulted, in the order consulted.
    pub steps: Vec<Step>,
}

impl Trace {
    /// Whether the answer is Allow.
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allow
    }

    /// The decisive step, if any.
    pub fn decisive(&self) -> Option<&Step> {
        self.decided_by.and_then(|i| self.steps.get(i))
    }
}

/// How much of a trace to build: who-can builds only what decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    /// Every layer, notes and layers not modelled included.
    Full,
    /// The deciding layers only.
    Decision,
}

/// Where the grants of a grantee come from: the view, or an index built
/// once for many questions about the same object (who-can).
pub(crate) trait GrantSource {
    fn grants_of(&self, grantee: &GranteeId) -> Vec<GrantRef<'_>>;

    /// Documents already read, for a source that answers many questions
    /// about one view (who-can); `None` reads them for each question.
    fn documents(&self) -> Option<&documents::Cache> {
        None
    }
}

/// The view's own grants.
pub(crate) struct FromView<'a, V: StateView + ?Sized>(pub &'a V);

impl<V: StateView + ?Sized> GrantSource for FromView<'_, V> {
    fn grants_of(&self, grantee: &GranteeId) -> Vec<GrantRef<'_>> {
        self.0.grants_of(grantee)
    }
}

/// Why `question` is answered as it is, with `now` (Unix seconds) to let
/// expired grants lapse.
pub fn explain(view: &(impl StateView + ?Sized), question: &Question, now: Option<i64>) -> Trace {
    evaluate(view, &FromView(view), question, now, Depth::Full)
}

/// The evaluation every answer comes from.
pub(crate) fn evaluate<V: StateView + ?Sized>(
    view: &V,
    source: &dyn GrantSource,
    question: &Question,
    now: Option<i64>,
    depth: Depth,
) -> Trace {
    let mut t = Tracer {
        steps: Vec::new(),
        unverified: false,
    };
    let decided = match &question.shared_by {
        Some(from) => installed::consult(view, source, &mut t, question, from, now),
        None => decide_here(view, source, &mut t, question, now, depth),
    };
    let decided = leaving::consult(view, source.documents(), &mut t, question, now, decided);
    let (verdict, reason, decided_by) = match decided {
        Decided::Allow { reason, step } => (Verdict::Allow, reason, step),
        Decided::Deny { reason, step } => (Verdict::Deny, reason, step),
    };
    if depth == Depth::Full {
        notes::consult(view, &mut t, question);
    }
    Trace {
        question: question.clone(),
        verdict,
        verified: !t.unverified,
        reason,
        decided_by,
        steps: t.steps,
    }
}

/// The decision about an object of the project asked: standing, then the
/// grants, the creator, the documents and LabelSecurity.
fn decide_here<V: StateView + ?Sized>(
    view: &V,
    source: &dyn GrantSource,
    t: &mut Tracer,
    question: &Question,
    now: Option<i64>,
    depth: Depth,
) -> Decided {
    match standing(view, t, question) {
        Some(decided @ Decided::Allow { .. }) => {
            if depth == Depth::Full {
                documents::standing_note(view, t, question);
            }
            decided
        }
        Some(decided) => decided,
        None => {
            let grantees = grantees(view, t, question);
            // Without Download control, a download is judged as a Select.
            let asked = download::consulted(view, t, question);
            let decided = grants::consult(view, source, t, &asked, &grantees, now);
            let decided = creator::consult(view, t, &asked, decided);
            let decided = documents::consult(view, source.documents(), t, &asked, now, decided);
            labels::consult(view, t, &asked, &grantees, now, decided)
        }
    }
}

/// A decision and the step that made it.
pub(crate) enum Decided {
    Allow { reason: String, step: Option<usize> },
    Deny { reason: String, step: Option<usize> },
}

/// The steps so far.
pub(crate) struct Tracer {
    steps: Vec<Step>,
    unverified: bool,
}

impl Tracer {
    /// Adds a step; returns its index.
    fn push(&mut self, step: Step) -> usize {
        if step.outcome == Outcome::NotVerified && step.layer.decides() {
            self.unverified = true;
        }
        self.steps.push(step);
        self.steps.len() - 1
    }

    /// Adds the step that decides, and returns its decision: an allowing
    /// step allows, any other denies, for the reason it gives.
    fn decide(&mut self, step: Step) -> Decided {
        let reason = step.detail.clone();
        let allows = step.outcome == Outcome::Allows;
        let step = Some(self.push(step));
        if allows {
            Decided::Allow { reason, step }
        } else {
            Decided::Deny { reason, step }
        }
    }

    /// Adds a step that could not be judged, on a layer that decides
    /// this question although it does not decide every question
    /// (packages of another project, data leaving the project): the answer
    /// is not verified.
    fn open(&mut self, layer: Layer, detail: String) {
        self.push(Step::new(layer, Outcome::NotVerified, detail));
        self.unverified = true;
    }

    fn not_verified(&mut self, layer: Layer, fact: Fact) {
        self.push(Step::new(
            layer,
            Outcome::NotVerified,
            format!("{fact} were not read"),
        ));
    }
}

/// The owner, membership and the admin roles: the standing that decides
/// before any grant is read.
fn standing<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) -> Option<Decided> {
    let project = view.project();
    match &q.subject {
        Subject::Principal(p) => {
            if p == view.owner() {
                return Some(t.decide(Step::new(
                    Layer::Owner,
                    Outcome::Allows,
                    format!("{p} owns project {project}"),
                )));
            }
            t.push(Step::new(
                Layer::Owner,
                Outcome::DoesNotApply,
                format!("the owner of project {project} is {}", view.owner()),
            ));
            if !view.knows(Fact::Members) {
                t.not_verified(Layer::Membership, Fact::Members);
            } else if !view.is_member(p) {
                return Some(
                    t.decide(
                        Step::new(
                            Layer::Membership,
                            Outcome::Denies,
                            format!("{p} is not in project {project}"),
                        )
                        .with_statement(format!("add user {};", p.to_statement_text())),
                    ),
                );
            } else {
                t.push(
                    Step::new(
                        Layer::Membership,
                        Outcome::DoesNotApply,
                        format!("{p} is a member of project {project}"),
                    )
                    .made_by(Change::AddMember {
                        principal: p.clone(),
                    }),
                );
            }
            if !view.knows(Fact::RoleHolders) {
                t.not_verified(Layer::AdminRole, Fact::RoleHolders);
                return None;
            }
            for role in [RoleName::super_administrator(), RoleName::admin()] {
                if view.has_role(p, &role) {
                    return Some(
                        t.decide(
                            Step::new(
                                Layer::AdminRole,
                                Outcome::Allows,
                                format!("{p} holds role {role}"),
                            )
                            .with_statement(format!("grant {role} to {};", p.to_statement_text()))
                            .for_grantee(&GranteeId::Role(role.clone()))
                            .made_by(Change::GrantRole {
                                role: role.clone(),
                                principal: p.clone(),
                            }),
                        ),
                    );
                }
            }
            t.push(Step::new(
                Layer::AdminRole,
                Outcome::DoesNotApply,
                format!("{p} holds neither admin nor super_administrator"),
            ));
            None
        }
        Subject::Role(role) => {
            if view.knows(Fact::Roles) && !view.role_exists(role) {
                return Some(
                    t.decide(
                        Step::new(
                            Layer::Membership,
                            Outcome::Denies,
                            format!("role {role} does not exist in project {project}"),
                        )
                        .with_statement(format!("create role {role};")),
                    ),
                );
            }
            if role.is_builtin() {
                return Some(t.decide(Step::new(
                    Layer::AdminRole,
                    Outcome::Allows,
                    format!("role {role} may use every resource of project {project}"),
                )));
            }
            t.push(Step::new(
                Layer::AdminRole,
                Outcome::DoesNotApply,
                format!("role {role} is neither admin nor super_administrator"),
            ));
            None
        }
    }
}

/// Whose grants count: the principal and each role it holds, or the role.
fn grantees<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) -> Vec<GranteeId> {
    match &q.subject {
        Subject::Principal(p) => {
            let mut out = vec![GranteeId::User(p.clone())];
            if view.knows(Fact::RoleHolders) {
                out.extend(view.roles_of(p).iter().cloned().map(GranteeId::Role));
            } else if !t
                .steps
                .iter()
                .any(|s| s.layer == Layer::AdminRole && s.outcome == Outcome::NotVerified)
            {
                t.not_verified(Layer::AclGrant, Fact::RoleHolders);
            }
            out
        }
        Subject::Role(r) => vec![GranteeId::Role(r.clone())],
    }
}

#[cfg(test)]
mod tests;
