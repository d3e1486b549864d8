//! Packages (§2.18). Packages created here are modelled fully; packages
//! of other projects are seen only when the runner passes them in
//! [`Context::packages_elsewhere`](super::Context) (the emulator does, for
//! the projects it serves): then `install package p.k` fails as on
//! MaxCompute when `k` does not exist or does not allow this project;
//! otherwise it is recorded with a warning that it was not verified.

use mcauth_syntax::ast::{Ident, ObjectName, ObjectType, Privilege as PrivilegeAst};

use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::output::{Output, PackageDescription, PackageList, PackageObject};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::view::StateView;

fn not_found(name: &str, span: mcauth_syntax::Span) -> Failure {
    Failure::new(
        FailureCode::PackageNotFound,
        format!("package {name} does not exist"),
        span,
        "no such package",
        format!("create it first: create package {name};"),
    )
}

fn existing_package<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    package: &Ident,
) -> Result<String, Failure> {
    let name = package.value.to_ascii_lowercase();
    if cx.knows(Fact::Packages, package.span) && !cx.view.has_package(&name) {
        return Err(not_found(&name, package.span));
    }
    Ok(name)
}

pub(crate) fn create<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, package: &Ident) -> Outcome {
    cx.require(Action::CreatePackage)?;
    let name = package.value.to_ascii_lowercase();
    if cx.knows(Fact::Packages, package.span) && cx.view.has_package(&name) {
        return Err(Failure::new(
            FailureCode::PackageExists,
            format!("package {name} already exists"),
            package.span,
            "already a package",
            format!("use another name, or drop it first: drop package {name};"),
        ));
    }
    ok(vec![Change::CreatePackage { package: name }])
}

pub(crate) fn drop<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, package: &Ident) -> Outcome {
    cx.require(Action::DropPackage)?;
    let name = existing_package(cx, package)?;
    ok(vec![Change::DropPackage { package: name }])
}

pub(crate) fn add_object<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    object_type: ObjectType,
    object: &ObjectName,
    package: &Ident,
    privileges: Option<&[PrivilegeAst]>,
) -> Outcome {
    cx.require(Action::AddPackageResource)?;
    let name = existing_package(cx, package)?;
    let kind = ObjectKind::from(object_type);
    let mut list = Vec::new();
    for p in privileges.unwrap_or_default() {
        match Privilege::from_name(&p.name.value).filter(|pr| kind.allows(*pr)) {
            Some(pr) => list.push(pr),
            None => {
                let valid: Vec<&str> = kind
                    .privileges()
                    .unwrap_or(&Privilege::ALL)
                    .iter()
                    .map(|p| p.as_str())
                    .collect();
                return Err(Failure::new(
                    FailureCode::InvalidPrivilege,
                    format!("privilege {} is not valid on a {kind}", p.name.value),
                    p.name.span,
                    format!("not a {kind} privilege"),
                    format!(
                        "privileges on a {kind}: {}; e.g. add {kind} {} to package {name} with privileges {};",
                        valid.join(", "),
                        object.value,
                        valid.first().copied().unwrap_or("Read")
                    ),
                ));
            }
        }
    }
    ok(vec![Change::AddPackageObject {
        package: name,
        object: ObjectRef {
            kind,
            name: kind.normalise_name(&object.value),
            column: None,
        },
        privileges: list,
    }])
}

pub(crate) fn remove_object<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    object_type: ObjectType,
    object: &ObjectName,
    package: &Ident,
) -> Outcome {
    cx.require(Action::RemovePackageResource)?;
    let name = existing_package(cx, package)?;
    let kind = ObjectKind::from(object_type);
    let object_ref = ObjectRef {
        kind,
        name: kind.normalise_name(&object.value),
        column: None,
    };
    let present = cx.view.package_has_object(&name, &object_ref);
    if cx.knows(Fact::Packages, object.span) && !present {
        cx.warn(
            WarningCode::NoEffect,
            format!("package {name} does not hold {kind} {}", object_ref.name),
            object.span,
        );
        return ok(Vec::new());
    }
    ok(vec![Change::RemovePackageObject {
        package: name,
        object: object_ref,
    }])
}

pub(crate) fn allow<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    project: &Ident,
    package: &ObjectName,
    label: Option<&Ident>,
    allow: bool,
) -> Outcome {
    cx.require(if allow {
        Action::AllowInstallPackage
    } else {
        Action::DisallowInstallPackage
    })?;
    let name = package.value.to_ascii_lowercase();
    let target = project.value.to_ascii_lowercase();
    // Allowing needs only that the package exists; disallowing also reads
    // whom it allows.
    let allowed = if !cx.knows(Fact::Packages, package.span) {
        Some(true)
    } else if allow {
        cx.view.has_package(&name).then_some(true)
    } else {
        cx.view
            .package(&name)
            .map(|p| p.allowed.contains_key(&target))
    };
    let Some(allowed) = allowed else {
        return Err(not_found(&name, package.span));
    };
    if !allowed {
        cx.warn(
            WarningCode::NoEffect,
            format!("project {target} is not allowed to install package {name}"),
            project.span,
        );
        return ok(Vec::new());
    }
    ok(vec![if allow {
        Change::AllowPackageInstall {
            package: name,
            project: target,
            label: label.map(|l| l.value.clone()),
        }
    } else {
        Change::DisallowPackageInstall {
            package: name,
            project: target,
        }
    }])
}

pub(crate) fn install<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    package: &ObjectName,
    install: bool,
) -> Outcome {
    cx.require(if install {
        Action::InstallPackage
    } else {
        Action::UninstallPackage
    })?;
    let name = package.value.to_ascii_lowercase();
    let known = cx.knows(Fact::Installs, package.span);
    let installed = cx.view.is_installed(&name);
    if install {
        if known && installed {
            cx.warn(
                WarningCode::NoEffect,
                format!("package {name} is already installed"),
                package.span,
            );
            return ok(Vec::new());
        }
        let (source, short) = name.split_once('.').unwrap_or(("", name.as_str()));
        match cx.ctx.packages_elsewhere.get(source) {
            Some(packages) => {
                let this = cx.view.project().to_ascii_lowercase();
                match packages.get(short) {
                    None => {
                        return Err(Failure::new(
                            FailureCode::PackageNotFound,
                            format!("package {name} does not exist"),
                            package.span,
                            "no such package",
                            format!(
                                "`show packages;` in project {source} lists its packages; there its owner can create this one: create package {short};"
                            ),
                        ));
                    }
                    Some(allowed) if !allowed.contains(&this) => {
                        return Err(Failure::new(
                            FailureCode::PermissionDenied,
                            format!(
                                "project {this} is not allowed to install package {name}"
                            ),
                            package.span,
                            "not allowed to install it",
                            format!(
                                "in project {source}, its owner can run: allow project {this} to install package {short};"
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            None => cx.warn(
                WarningCode::NotVerified,
                format!(
                    "package {name} belongs to another project; the local model cannot check that it exists or that this project may install it"
                ),
                package.span,
            ),
        }
        return ok(vec![Change::InstallPackage { package: name }]);
    }
    if known && !installed {
        return Err(Failure::new(
            FailureCode::PackageNotInstalled,
            format!("package {name} is not installed"),
            package.span,
            "not installed",
            format!("nothing to uninstall; to install it: install package {name};"),
        ));
    }
    ok(vec![Change::UninstallPackage { package: name }])
}

pub(crate) fn show<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ShowPackages)?;
    Ok((
        Vec::new(),
        Output::Packages(PackageList {
            created: cx.view.packages(),
            installed: cx.view.installed_packages(),
        }),
    ))
}

pub(crate) fn describe<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, package: &ObjectName) -> Outcome {
    cx.require(Action::DescribePackage)?;
    let name = package.value.to_ascii_lowercase();
    if let Some(p) = cx.view.package(&name) {
        return Ok((
            Vec::new(),
            Output::PackageDescription(PackageDescription {
                package: name,
                installed_from: None,
                objects: p
                    .objects
                    .into_iter()
                    .map(|(o, privileges)| PackageObject {
                        kind: o.kind,
                        name: o.name,
                        privileges,
                    })
                    .collect(),
                allowed_projects: p.allowed.into_iter().collect(),
            }),
        ));
    }
    if cx.view.is_installed(&name) || !cx.knows(Fact::Installs, package.span) {
        let from = name.split_once('.').map_or("", |(p, _)| p).to_owned();
        return Ok((
            Vec::new(),
            Output::PackageDescription(PackageDescription {
                package: name,
                installed_from: Some(from),
                objects: Vec::new(),
                allowed_projects: Vec::new(),
            }),
        ));
    }
    Err(not_found(&name, package.span))
}
