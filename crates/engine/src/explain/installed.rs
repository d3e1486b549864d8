//! Packages installed from other projects: a question asked in project A
//! about an object of project B (`B.t`) is decided by the packages of B
//! installed in A (docs/language.md#packages-installed-from-other-projects).
//!
//! A package of B lets a subject of A use a privilege on B's object when
//! B's package shares the object with that privilege, B still allows A to
//! install it (not disallowed, not expired, and, where the allowance names
//! privileges, with that one), the subject may use the package in A
//! (`Read` on `package B.pk`, decided by A's own layers: owner, admin
//! roles, ACL and policy grants), and, under B's LabelSecurity, the
//! object's label in B is not above the allowance's label (0 when the
//! allowance names none).
//!
//! The engine stays pure: what was read of B comes with the question
//! ([`SharingProject`]); what was not read is *not verified*, never absent.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::knowledge::Fact;
use crate::names::GranteeId;
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::{Expiry, Package};
use crate::view::StateView;

use super::labels::level;
use super::{Decided, Depth, GrantSource, Layer, Outcome, Question, Step, Tracer};

/// What the asker read of the project that created the object a question
/// is about, when that is another project than the one asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharingProject {
    /// The project that created the object (lower case).
    pub project: String,
    /// The object as that project names it.
    pub object: ObjectRef,
    /// The packages it created, by name; `None` when they were not read.
    /// Shared: `who-can` asks the same of every member.
    #[serde(skip)]
    pub packages: Option<Arc<BTreeMap<String, Package>>>,
    /// The labels set on its tables and columns; `None` when not read.
    #[serde(skip)]
    pub labels: Option<Arc<BTreeMap<ObjectRef, String>>>,
    /// Whether LabelSecurity is on there; `None` when not read.
    #[serde(skip)]
    pub label_security: Option<bool>,
}

impl SharingProject {
    /// Project `project`'s object `object`, nothing of it read.
    pub fn unread(project: impl Into<String>, object: ObjectRef) -> SharingProject {
        SharingProject {
            project: project.into(),
            object,
            packages: None,
            labels: None,
            label_security: None,
        }
    }

    /// `object` of the project `view` holds, with what `view` knows of
    /// its packages, labels and LabelSecurity.
    pub fn read_from(view: &(impl StateView + ?Sized), object: ObjectRef) -> SharingProject {
        let packages = view.knows(Fact::Packages).then(|| {
            Arc::new(
                view.packages()
                    .into_iter()
                    .filter_map(|name| Some((name.to_owned(), view.package(name)?.clone())))
                    .collect(),
            )
        });
        let labels = view.knows(Fact::ObjectLabels).then(|| {
            Arc::new(
                view.object_labels()
                    .into_iter()
                    .map(|(o, l)| (o.clone(), l.to_owned()))
                    .collect(),
            )
        });
        SharingProject {
            project: view.project().to_owned(),
            object,
            packages,
            labels,
            label_security: view
                .knows(Fact::Flags)
                .then(|| view.flag(crate::state::Flag::LabelSecurity)),
        }
    }
}

/// What one package makes of the question.
enum Verdict {
    /// It allows, through the decisive step of the `Read` question.
    Allows {
        reason: String,
        grantee: Option<GranteeId>,
        statement: Option<String>,
    },
    /// It does not apply (its step is pushed).
    No,
}

/// Decides a question about `from`'s object by the packages of `from`
/// installed here.
pub(super) fn consult<V: StateView + ?Sized>(
    view: &V,
    source: &dyn GrantSource,
    t: &mut Tracer,
    q: &Question,
    from: &SharingProject,
    now: Option<i64>,
) -> Decided {
    let here = view.project();
    let b = &from.project;
    let object = format!("{} {}", from.object.kind, from.object.name);
    if !view.knows(Fact::Installs) {
        t.open(Layer::Package, format!("{} were not read", Fact::Installs));
        return Decided::Deny {
            reason: format!("{} were not read", Fact::Installs),
            step: None,
        };
    }
    let prefix = format!("{b}.");
    let installed: Vec<&str> = view
        .installed_packages()
        .into_iter()
        .filter(|p| p.starts_with(&prefix))
        .collect();
    if installed.is_empty() {
        return t.decide(Step::new(
            Layer::Package,
            Outcome::Denies,
            format!("no package of project {b} is installed in project {here}"),
        ));
    }
    for full in installed {
        let name = &full[prefix.len()..];
        let Some(package) = shares(t, q, from, full, name) else {
            continue;
        };
        let Some(cap) = allowance(t, q, from, here, full, name, package, now) else {
            continue;
        };
        if !under_cap(t, q, from, full, cap) {
            continue;
        }
        if let Verdict::Allows {
            reason,
            grantee,
            statement,
        } = read_on(view, source, t, q, full, now)
        {
            let mut step = Step::new(
                Layer::Package,
                Outcome::Allows,
                format!(
                    "package {full} shares {object} of project {b} with {}, and {reason}",
                    q.privilege
                ),
            );
            step.grantee = grantee;
            step.statement = statement;
            step.package = Some(full.to_owned());
            return t.decide(step);
        }
    }
    Decided::Deny {
        reason: format!(
            "no package of project {b} installed in project {here} lets {} use {} on {object}",
            q.subject, q.privilege
        ),
        step: None,
    }
}

/// The package `name` of `from`, if it shares the object with the
/// privilege; else its step says why not.
fn shares<'a>(
    t: &mut Tracer,
    q: &Question,
    from: &'a SharingProject,
    full: &str,
    name: &str,
) -> Option<&'a Package> {
    let b = &from.project;
    let whole = ObjectRef {
        column: None,
        partition: None,
        ..from.object.clone()
    };
    let object = format!("{} {}", whole.kind, whole.name);
    let Some(packages) = &from.packages else {
        t.open(Layer::Package,
            format!(
                "package {full} is installed; the packages of project {b} were not read, so what it shares is not known"
            ),
        );
        return None;
    };
    let Some(package) = packages.get(name) else {
        t.push(Step::new(
            Layer::Package,
            Outcome::DoesNotApply,
            format!("package {full} is installed, but project {b} no longer has it"),
        ));
        return None;
    };
    let Some(privileges) = package.objects.get(&whole) else {
        t.push(
            Step::new(
                Layer::Package,
                Outcome::DoesNotApply,
                format!("package {full} does not share {object}"),
            )
            .with_statement(format!(
                "add {object} to package {name} with privileges {}; -- in project {b}",
                q.privilege
            )),
        );
        return None;
    };
    if !privileges.contains(&q.privilege) {
        let names: Vec<&str> = privileges.iter().map(|p| p.as_str()).collect();
        t.push(Step::new(
            Layer::Package,
            Outcome::DoesNotApply,
            format!(
                "package {full} shares {object} with {}, not {}",
                if names.is_empty() {
                    "no privilege".to_owned()
                } else {
                    names.join(", ")
                },
                q.privilege
            ),
        ));
        return None;
    }
    Some(package)
}

/// The label cap of `from`'s allowance for this project, if it still lets
/// it install the package with the privilege; else its step says why not.
#[allow(clippy::too_many_arguments)]
fn allowance(
    t: &mut Tracer,
    q: &Question,
    from: &SharingProject,
    here: &str,
    full: &str,
    name: &str,
    package: &Package,
    now: Option<i64>,
) -> Option<u32> {
    let b = &from.project;
    let to = [here, "*"]
        .into_iter()
        .find(|p| package.allowed.contains_key(*p));
    let Some(to) = to else {
        t.push(
            Step::new(
                Layer::Package,
                Outcome::DoesNotApply,
                format!("project {b} no longer allows project {here} to install package {full}"),
            )
            .with_statement(format!(
                "allow project {here} to install package {name}; -- in project {b}"
            )),
        );
        return None;
    };
    if let Some(narrowed) = package.allowed_privileges.get(to)
        && !narrowed.is_empty()
        && !narrowed.contains(&q.privilege)
    {
        t.push(Step::new(
            Layer::Package,
            Outcome::DoesNotApply,
            format!(
                "project {b} allows project {to} package {full} without {}",
                q.privilege
            ),
        ));
        return None;
    }
    match (package.allowed_until.get(to), now) {
        (Some(Expiry::At(at)), Some(now)) if *at <= now => {
            t.push(Step::new(
                Layer::Package,
                Outcome::DoesNotApply,
                format!("project {b}'s allowance of package {full} to project {to} has expired"),
            ));
            return None;
        }
        _ => {}
    }
    let label = package.allowed.get(to).cloned().flatten();
    Some(label.as_deref().and_then(level).unwrap_or(0))
}

/// Whether the object's label in `from` is within `cap`, where labels
/// count (its LabelSecurity on, a Select or Download of a table).
fn under_cap(t: &mut Tracer, q: &Question, from: &SharingProject, full: &str, cap: u32) -> bool {
    let b = &from.project;
    if from.object.kind != ObjectKind::Table
        || !matches!(q.privilege, Privilege::Select | Privilege::Download)
        || from.label_security == Some(false)
    {
        return true;
    }
    let Some(labels) = &from.labels else {
        t.open(Layer::Package,
            format!(
                "the labels of project {b} were not read: whether the data is within package {full}'s label {cap} is not known"
            ),
        );
        return true;
    };
    let table = ObjectRef::new(ObjectKind::Table, from.object.name.clone());
    let at = |o: &ObjectRef| labels.get(o).and_then(|l| level(l)).unwrap_or(0);
    // As LabelSecurity here: a table's columns count when one is named.
    let found = at(&table).max(at(&from.object));
    if found <= cap {
        return true;
    }
    match from.label_security {
        Some(true) => {
            t.push(Step::new(
                Layer::Package,
                Outcome::DoesNotApply,
                format!(
                    "the data is labelled {found} in project {b}, above the label {cap} its allowance of package {full} gives"
                ),
            ));
            false
        }
        _ => {
            t.open(Layer::Package,
                format!(
                    "the data is labelled {found} in project {b}, above package {full}'s label {cap}, and whether LabelSecurity is on there was not read"
                ),
            );
            true
        }
    }
}

/// Whether the subject may use the installed package here: `Read` on
/// `package B.pk`, decided by this project's own layers, whose steps join
/// the trace.
fn read_on<V: StateView + ?Sized>(
    view: &V,
    source: &dyn GrantSource,
    t: &mut Tracer,
    q: &Question,
    full: &str,
    now: Option<i64>,
) -> Verdict {
    let read = Question::new(
        q.subject.clone(),
        Privilege::Read,
        ObjectRef::new(ObjectKind::Package, full.to_owned()),
    );
    let trace = super::evaluate(view, source, &read, now, Depth::Decision);
    let decisive = trace.decisive().cloned();
    let (allowed, reason) = (trace.allowed(), trace.reason);
    // The package layer applies the labels (the allowance's cap), and
    // what is not modelled about the package itself says nothing here.
    for step in trace.steps {
        if step.outcome != Outcome::NotModelled && step.layer != Layer::LabelSecurity {
            t.push(step);
        }
    }
    if allowed {
        return Verdict::Allows {
            reason: format!("{} may use it: {reason}", q.subject),
            grantee: decisive.as_ref().and_then(|s| s.grantee.clone()),
            statement: decisive.and_then(|s| s.statement),
        };
    }
    let grantee = match &q.subject {
        super::Subject::Principal(p) => format!("user {}", p.to_statement_text()),
        super::Subject::Role(r) => format!("role {r}"),
    };
    t.push(
        Step::new(
            Layer::Package,
            Outcome::DoesNotApply,
            format!("{} may not use package {full}: {reason}", q.subject),
        )
        .with_statement(format!("grant Read on package {full} to {grantee};")),
    );
    Verdict::No
}

#[cfg(test)]
mod tests;
