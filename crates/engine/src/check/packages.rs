//! Packages (docs/language.md#other-statements). Packages created here are modelled fully; packages
//! of other projects are seen only when the runner passes them in
//! [`Context::packages_elsewhere`](super::Context) (the emulator for the
//! projects it serves, the embedded store for the projects it holds, the
//! remote backend for the projects whose packages the caller may read):
//! then `install package p.k` fails as on
//! MaxCompute when `k` does not exist or does not allow this project;
//! otherwise it is recorded with a warning that it was not verified.
//!
//! The SDK grammar's forms whose meaning is not documented are kept, each
//! with a `not_verified` warning: `allow project * …` (every project),
//! `allow … with <privileges>` and `exp <days>` (kept with the
//! allowance), `show packages with <object>` (the packages of this project
//! that hold it), `show package items` and `describe package items` (the
//! objects of this project's packages), and every `privilegeproperties`
//! of a package statement (recorded, not read).

use mcauth_syntax::ObjectType;
use mcauth_syntax::ast::{
    Ident, Object, ObjectName, Privilege as PrivilegeAst, ProjectScope, Properties,
};

use super::acl::object_name;
use super::{Cx, Outcome, ok};
use crate::authority::Action;
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::output::{
    AllowedProject, Output, PackageDescription, PackageItem, PackageList, PackageObject,
};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::time::{expiry_after, expiry_text};
use crate::view::{StateView, owned};

/// Says that a form of the SDK grammar was kept without its meaning
/// being known.
fn undocumented<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    what: &str,
    kept: &str,
    span: impl Into<mcauth_syntax::Span>,
) {
    cx.warn_with(
        WarningCode::NotVerified,
        format!("{what} is not documented; {kept}"),
        span,
        "MaxCompute's answer is the verdict",
    );
}

/// Notes `privilegeproperties` that are recorded but not read.
fn properties_not_read<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    properties: Option<&Properties>,
    statement: &str,
) {
    if let Some(p) = properties {
        undocumented(
            cx,
            &format!("what privilegeproperties mean on {statement}"),
            "mcauth keeps them in the statement and does not read them",
            p.span,
        );
    }
}

/// The project a scope names, as kept: lower case, or `*`.
fn scope_name(scope: &ProjectScope) -> String {
    match scope {
        ProjectScope::All => "*".to_owned(),
        ProjectScope::Project { name } => name.value.to_ascii_lowercase(),
    }
}

fn scope_span(scope: &ProjectScope, fallback: mcauth_syntax::Span) -> mcauth_syntax::Span {
    match scope {
        ProjectScope::All => fallback,
        ProjectScope::Project { name } => *name.span,
    }
}

fn not_found(name: &str, span: impl Into<mcauth_syntax::Span>) -> Failure {
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
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::AddPackageResource)?;
    let name = existing_package(cx, package)?;
    properties_not_read(cx, properties, "add … to package");
    let kind = object_type;
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
        object: ObjectRef::new(kind, kind.normalise_name(&object.value)),
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
    let kind = object_type;
    let object_ref = ObjectRef::new(kind, kind.normalise_name(&object.value));
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

/// The terms `allow project … to install package …` gives.
pub(crate) struct Terms<'a> {
    pub privileges: Option<&'a [PrivilegeAst]>,
    pub label: Option<&'a Ident>,
    pub days: Option<&'a Ident>,
}

/// Whether a package exists, unless the packages were not read (then it
/// passes, with a warning).
fn package_exists<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    package: &ObjectName,
) -> Result<String, Failure> {
    let name = package.value.to_ascii_lowercase();
    if cx.knows(Fact::Packages, package.span) && !cx.view.has_package(&name) {
        return Err(not_found(&name, package.span));
    }
    Ok(name)
}

pub(crate) fn allow<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    project: &ProjectScope,
    package: &ObjectName,
    terms: Terms<'_>,
) -> Outcome {
    cx.require(Action::AllowInstallPackage)?;
    let name = package_exists(cx, package)?;
    let target = scope_name(project);
    let mut privileges = Vec::new();
    for p in terms.privileges.unwrap_or_default() {
        match Privilege::from_name(&p.name.value) {
            Some(pr) if p.columns.is_none() => privileges.push(pr),
            _ => {
                return Err(Failure::new(
                    FailureCode::InvalidPrivilege,
                    format!("unknown privilege {}", p.name.value),
                    p.name.span,
                    "not a privilege",
                    format!(
                        "name privileges without columns, e.g. allow project {target} to install package {name} with Select;"
                    ),
                ));
            }
        }
    }
    let until = match terms.days {
        None => None,
        Some(d) => Some(expiry_after(
            d.value.parse().map_err(|_| {
                Failure::new(
                    FailureCode::InvalidProperty,
                    format!("`exp` takes a number of days, not {}", d.value),
                    d.span,
                    "not a number of days",
                    format!("e.g. allow project {target} to install package {name} exp 30;"),
                )
            })?,
            cx.ctx.now,
        )),
    };
    let mut odd = Vec::new();
    if matches!(project, ProjectScope::All) {
        odd.push("`allow project *`");
    }
    if terms.privileges.is_some() {
        odd.push("`with <privileges>`");
    }
    if terms.days.is_some() {
        odd.push("`exp <days>`");
    }
    if !odd.is_empty() {
        undocumented(
            cx,
            &format!("the meaning of {} in an allowance", odd.join(" and ")),
            "mcauth keeps the allowance as written",
            scope_span(project, *package.span),
        );
    }
    ok(vec![Change::AllowPackageInstall {
        package: name,
        project: target,
        label: terms.label.map(|l| l.value.clone()),
        privileges,
        until,
    }])
}

pub(crate) fn disallow<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    project: &ProjectScope,
    package: &ObjectName,
) -> Outcome {
    cx.require(Action::DisallowInstallPackage)?;
    let name = package.value.to_ascii_lowercase();
    let target = scope_name(project);
    // Disallowing reads whom the package allows.
    if cx.knows(Fact::Packages, package.span) {
        let Some(p) = cx.view.package(&name) else {
            return Err(not_found(&name, package.span));
        };
        if !p.allowed.contains_key(&target) {
            cx.warn(
                WarningCode::NoEffect,
                format!("project {target} is not allowed to install package {name}"),
                scope_span(project, *package.span),
            );
            return ok(Vec::new());
        }
    }
    ok(vec![Change::DisallowPackageInstall {
        package: name,
        project: target,
    }])
}

pub(crate) fn install<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    package: &ObjectName,
    properties: Option<&Properties>,
    install: bool,
) -> Outcome {
    cx.require(if install {
        Action::InstallPackage
    } else {
        Action::UninstallPackage
    })?;
    properties_not_read(
        cx,
        properties,
        if install {
            "install package"
        } else {
            "uninstall package"
        },
    );
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

pub(crate) fn show<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    with: Option<&Object>,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::ShowPackages)?;
    properties_not_read(cx, properties, "show packages");
    let Some(object) = with else {
        return Ok((
            Vec::new(),
            Output::Packages(PackageList {
                created: owned(cx.view.packages()),
                installed: owned(cx.view.installed_packages()),
            }),
        ));
    };
    let target = package_object(cx, object)?;
    undocumented(
        cx,
        "`show packages with <object>`",
        "mcauth lists the packages of this project that hold the object",
        object.name.span,
    );
    let created = cx
        .view
        .packages()
        .into_iter()
        .filter(|p| cx.view.package_has_object(p, &target))
        .map(str::to_owned)
        .collect();
    Ok((
        Vec::new(),
        Output::Packages(PackageList {
            created,
            installed: Vec::new(),
        }),
    ))
}

/// An object as a package holds it (no columns, no partition).
fn package_object<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    object: &Object,
) -> Result<ObjectRef, Failure> {
    let kind = object.object_type;
    let name = match kind {
        ObjectKind::Table => object_name(cx, kind, &object.name, true)?,
        _ => kind.normalise_name(&object.name.value),
    };
    Ok(ObjectRef::new(kind, name))
}

fn allowed_projects(p: &crate::state::Package) -> Vec<AllowedProject> {
    p.allowed
        .iter()
        .map(|(project, label)| AllowedProject {
            project: project.clone(),
            label: label.clone(),
            privileges: p
                .allowed_privileges
                .get(project)
                .cloned()
                .unwrap_or_default(),
            until: p.allowed_until.get(project).map(expiry_text),
        })
        .collect()
}

pub(crate) fn describe<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    package: &ObjectName,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::DescribePackage)?;
    properties_not_read(cx, properties, "describe package");
    let name = package.value.to_ascii_lowercase();
    if let Some(p) = cx.view.package(&name) {
        let allowed_projects = allowed_projects(p);
        return Ok((
            Vec::new(),
            Output::PackageDescription(PackageDescription {
                package: name,
                installed_from: None,
                objects: p
                    .objects
                    .iter()
                    .map(|(o, privileges)| PackageObject {
                        kind: o.kind,
                        name: o.name.clone(),
                        privileges: privileges.clone(),
                    })
                    .collect(),
                allowed_projects,
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

/// Whether `from` names another project than this one: its packages'
/// contents cannot be seen here.
fn other_project<V: StateView + ?Sized>(cx: &mut Cx<'_, V>, from: Option<&Ident>) -> bool {
    let Some(p) = from else {
        return false;
    };
    if p.value.eq_ignore_ascii_case(cx.view.project()) {
        return false;
    }
    cx.warn_with(
        WarningCode::NotVerified,
        format!(
            "the packages of project {} cannot be seen from here; mcauth lists none of their objects",
            p.value
        ),
        p.span,
        "MaxCompute's answer is the verdict",
    );
    true
}

/// Every object of this project's packages, as items.
fn items<V: StateView + ?Sized>(
    cx: &Cx<'_, V>,
    keep: impl Fn(&ObjectRef) -> bool,
) -> Vec<PackageItem> {
    let mut out = Vec::new();
    for package in cx.view.packages() {
        let Some(p) = cx.view.package(package) else {
            continue;
        };
        for (o, privileges) in &p.objects {
            if keep(o) {
                out.push(PackageItem {
                    package: package.to_owned(),
                    kind: o.kind,
                    name: o.name.clone(),
                    privileges: privileges.clone(),
                });
            }
        }
    }
    out
}

pub(crate) fn show_items<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    from: Option<&Ident>,
    object_type: Option<ObjectType>,
    properties: Option<&Properties>,
) -> Outcome {
    cx.require(Action::DescribePackage)?;
    properties_not_read(cx, properties, "show package items");
    undocumented(
        cx,
        "`show package items`",
        "mcauth lists the objects of this project's packages",
        cx.stmt.span,
    );
    if other_project(cx, from) {
        return Ok((Vec::new(), Output::PackageItems(Vec::new())));
    }
    let kind = object_type;
    let list = items(cx, |o| kind.is_none_or(|k| o.kind == k));
    Ok((Vec::new(), Output::PackageItems(list)))
}

pub(crate) fn describe_items<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    object: &Object,
    from: Option<&Ident>,
) -> Outcome {
    cx.require(Action::DescribePackage)?;
    let target = package_object(cx, object)?;
    undocumented(
        cx,
        "`describe package items`",
        "mcauth lists the packages of this project that hold the object",
        object.name.span,
    );
    if other_project(cx, from) {
        return Ok((Vec::new(), Output::PackageItems(Vec::new())));
    }
    let list = items(cx, |o| o == &target);
    Ok((Vec::new(), Output::PackageItems(list)))
}
