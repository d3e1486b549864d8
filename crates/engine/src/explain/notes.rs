//! The layers that do not change the answer here: what the engine keeps
//! without evaluating (the security policy, installed packages), and what
//! governs data leaving the project (Download control for a Select,
//! ProjectProtection and the trusted projects).

use crate::knowledge::Fact;
use crate::privilege::Privilege;
use crate::state::{Flag, PolicySlot};
use crate::view::StateView;

use super::{Layer, Outcome, Question, Step, Tracer};

/// The property that switches Download control on.
pub const DOWNLOAD_PROPERTY: &str = "odps.security.enabledownloadprivilege";

pub(super) fn consult<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) {
    security_policy(view, t);
    packages(view, t, q);
    download(view, t, q);
    // A question that names where the data goes was answered by
    // ProjectProtection itself (`super::leaving`).
    if q.leaving_to.is_none() {
        protection(view, t);
    }
}

/// The security policy (`put security policy FILE`) is kept and returned
/// as put, but the docs do not say how it takes part in an access check,
/// so it is reported as not modelled. The project and role policies decide
/// (`super::documents`).
fn security_policy<V: StateView + ?Sized>(view: &V, t: &mut Tracer) {
    if view.knows(Fact::Policies) && view.policy(&PolicySlot::Security).is_some() {
        t.push(Step::new(
            Layer::PolicyDocument,
            Outcome::NotModelled,
            "the security policy is stored and not evaluated: MaxCompute does not document how it takes part in access checks",
        ));
    }
}

fn packages<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) {
    if q.shared_by.is_some() {
        // The packages installed from the object's project decided
        // (`super::installed`).
        return;
    }
    if view.knows(Fact::Packages) {
        let whole = crate::privilege::ObjectRef {
            column: None,
            partition: None,
            ..q.object.clone()
        };
        for name in view.packages() {
            if !view.package_has_object(name, &whole) {
                continue;
            }
            let Some(package) = view.package(name) else {
                continue;
            };
            let to: Vec<String> = package
                .allowed
                .iter()
                .map(|(project, label)| match label {
                    Some(l) => format!("{project} (using label {l})"),
                    None => project.clone(),
                })
                .collect();
            t.push(Step::new(
                Layer::Package,
                Outcome::Note,
                format!(
                    "package {name} shares {} {}{}",
                    whole.kind,
                    whole.name,
                    if to.is_empty() {
                        " with no project yet".to_owned()
                    } else {
                        format!(" with {}", to.join(", "))
                    }
                ),
            ));
        }
    } else {
        t.not_verified(Layer::Package, Fact::Packages);
    }
    if !view.knows(Fact::Installs) {
        t.not_verified(Layer::Package, Fact::Installs);
        return;
    }
    let installed = view.installed_packages();
    if installed.is_empty() {
        t.push(Step::new(
            Layer::Package,
            Outcome::DoesNotApply,
            format!("no package is installed in project {}", view.project()),
        ));
    } else {
        t.push(Step::new(
            Layer::Package,
            Outcome::NotModelled,
            format!(
                "installed: {}; their objects live in the projects that created them, which this state does not hold",
                installed.join(", ")
            ),
        ));
    }
}

/// What Download control means for the question, where the evaluation
/// did not already say it (see [`super::download`], which decides a
/// Download question while the control is off).
fn download<V: StateView + ?Sized>(view: &V, t: &mut Tracer, q: &Question) {
    if !matches!(q.privilege, Privilege::Download | Privilege::Select)
        || t.steps.iter().any(|s| s.layer == Layer::DownloadControl)
    {
        return;
    }
    if !view.knows(Fact::ProjectProperties) {
        t.push(Step::new(
            Layer::DownloadControl,
            Outcome::Note,
            format!(
                "{} were not read: whether a download also needs the Download privilege is not known",
                Fact::ProjectProperties
            ),
        ));
        return;
    }
    let detail = match (super::download::on(view), q.privilege) {
        (true, Privilege::Download) => {
            "Download control is on: downloading needs this Download privilege".to_owned()
        }
        (true, _) => {
            "Download control is on: downloading the data also needs the Download privilege"
                .to_owned()
        }
        (false, _) => format!(
            "Download control is off ({DOWNLOAD_PROPERTY} is not true): MaxCompute does not ask for Download before a download"
        ),
    };
    t.push(Step::new(Layer::DownloadControl, Outcome::Note, detail));
}

fn protection<V: StateView + ?Sized>(view: &V, t: &mut Tracer) {
    if !view.knows(Fact::Flags) {
        t.not_verified(Layer::ProjectProtection, Fact::Flags);
        return;
    }
    if !view.flag(Flag::ProjectProtection) {
        t.push(Step::new(
            Layer::ProjectProtection,
            Outcome::Note,
            "ProjectProtection=false: data read here may be written to other projects",
        ));
        return;
    }
    let trusted = if view.knows(Fact::TrustedProjects) {
        let list = view.trusted_projects();
        if list.is_empty() {
            "no trusted project".to_owned()
        } else {
            format!("the trusted projects {}", list.join(", "))
        }
    } else {
        "the trusted projects (not read)".to_owned()
    };
    let exception =
        if view.knows(Fact::Policies) && view.policy(&PolicySlot::ProtectionException).is_some() {
            ", or as its exception policy allows"
        } else {
            ""
        };
    t.push(Step::new(
        Layer::ProjectProtection,
        Outcome::Note,
        format!("ProjectProtection=true: data read here may leave only for {trusted}{exception}"),
    ));
}
