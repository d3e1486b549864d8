//! `whoami`, the security configuration and trusted projects
//! (docs/language.md#whoami, #security-configuration,
//! #other-statements).

use mcauth_syntax::ast::{FilePath, Ident, ProjectProperty, SetValue, Setting};

use super::{Cx, Outcome, ok};
use crate::authority::{Action, Authority, not_in_project};
use crate::change::Change;
use crate::failure::{Failure, FailureCode, WarningCode};
use crate::knowledge::Fact;
use crate::output::{Output, SecurityConfiguration, Whoami};
use crate::state::{Flag, PolicySlot};
use crate::view::{StateView, owned};

/// Anyone may ask who they are. **Choice:** the name prints with its
/// provider (`Name: ALIYUN$odpstest@aliyun.com`, `Name: RAM$acct:bob`),
/// as principals are written in statements, on both backends; the
/// documented example drops `ALIYUN$`, which made an Alibaba Cloud
/// account and a bare name look alike.
pub(crate) fn whoami<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    let name = cx.caller.principal.to_string();
    let ctx = cx.ctx;
    Ok((
        Vec::new(),
        Output::Whoami(Whoami {
            name,
            source_ip: ctx.source_ip.clone(),
            vpc_id: ctx.vpc_id.clone(),
            endpoint: ctx.endpoint.clone(),
            tunnel_endpoint: ctx.tunnel_endpoint.clone(),
            project: cx.view.project().to_owned(),
            schema: ctx.schema.clone(),
        }),
    ))
}

/// The project property that switches download control on
/// (documented: `setproject odps.security.enabledownloadprivilege=true|false;`).
pub(crate) const DOWNLOAD_PRIVILEGE: &str = "odps.security.enabledownloadprivilege";

/// Whether download control is on: the property, compared without case.
fn download_control<V: StateView + ?Sized>(view: &V) -> bool {
    let on = |v: &str| v.eq_ignore_ascii_case("true");
    match view.project_property(DOWNLOAD_PRIVILEGE) {
        Some(v) => on(v),
        None => view
            .project_properties()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(DOWNLOAD_PRIVILEGE))
            .is_some_and(|(_, v)| on(v)),
    }
}

pub(crate) fn show<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::GetSecurityConfiguration)?;
    let view = cx.view;
    let mut config = SecurityConfiguration::from_flags(|f| view.flag(f));
    config.enable_download_privilege = download_control(view);
    Ok((Vec::new(), Output::SecurityConfiguration(config)))
}

/// `setproject k=v …` sets project properties (owner or
/// Super_Administrator, as documented for download control); `setproject`
/// alone shows them, to any member (odpscmd reads them from the project's
/// metadata, which every member may read).
///
/// **Choices:** keys are kept as written; a value is what odpscmd sends
/// (one pair of enclosing double quotes removed); setting a property to
/// the value it has changes nothing. Only download control's value is
/// checked (`true` or `false`, documented); any other key is kept as it
/// is given, as the service's meaning of it is not mcauth's to judge.
pub(crate) fn setproject<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    properties: &[ProjectProperty],
) -> Outcome {
    if properties.is_empty() {
        if cx.authority() == Authority::Outsider {
            return Err(not_in_project(cx.view, cx.caller, cx.stmt.span));
        }
        return Ok((
            Vec::new(),
            Output::ProjectProperties(
                cx.view
                    .project_properties()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
        ));
    }
    cx.require(Action::UpdateProject)?;
    let mut changes = Vec::new();
    for p in properties {
        let key = p.key.value.clone();
        let value = p.effective_value().to_owned();
        if key.eq_ignore_ascii_case(DOWNLOAD_PRIVILEGE)
            && !value.eq_ignore_ascii_case("true")
            && !value.eq_ignore_ascii_case("false")
        {
            let span = p.value.as_ref().map_or(p.key.span, |v| v.span);
            return Err(Failure::new(
                FailureCode::InvalidProperty,
                format!("{DOWNLOAD_PRIVILEGE} takes true or false, not \"{value}\""),
                span,
                "not true or false",
                format!("setproject {DOWNLOAD_PRIVILEGE}=true;"),
            ));
        }
        let same = cx.knows(Fact::ProjectProperties, p.key.span)
            && cx.view.project_property(&key) == Some(value.as_str())
            && !changes
                .iter()
                .any(|c| matches!(c, Change::SetProjectProperty { key: k, .. } if k == &key));
        if !same {
            changes.push(Change::SetProjectProperty { key, value });
        }
    }
    if changes.is_empty() {
        cx.warn(
            WarningCode::NoEffect,
            "every property named already has that value",
            cx.stmt.span,
        );
    }
    ok(changes)
}

/// `set <flag>=<bool>` changes the project configuration; any other key
/// is a session setting of the client, which the engine accepts and
/// ignores.
pub(crate) fn set<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    setting: &Setting,
    value: &SetValue,
    exception: Option<&FilePath>,
) -> Outcome {
    let flag = match setting {
        Setting::Session(_) => return ok(Vec::new()),
        Setting::Security(f) => *f,
    };
    cx.require(Action::SetSecurityConfiguration)?;
    let value = match value {
        SetValue::Bool(b) => *b,
        SetValue::Text(t) => {
            return Err(Failure::new(
                FailureCode::InvalidProperty,
                format!(
                    "{} must be boolean String(set XXX=true|false)",
                    flag.name().to_ascii_uppercase()
                ),
                t.span,
                "not true or false",
                format!("set {}=true;", flag.name()),
            ));
        }
    };
    let mut changes = Vec::new();
    if !(cx.knows(Fact::Flags, cx.stmt.span) && cx.view.flag(flag) == value) {
        changes.push(Change::SetFlag { flag, value });
    }
    // `ProjectProtection`'s exception policy: the one named (when its
    // runner passed the text in `Context::documents`), or none, as
    // odpscmd's `set ProjectProtection=…` without one leaves none.
    let slot = PolicySlot::ProtectionException;
    let wanted = match exception {
        Some(file) => match cx.ctx.documents.get(&file.value) {
            Some(text) if flag == Flag::ProjectProtection => Some(text.clone()),
            _ => {
                cx.warn(
                    WarningCode::NotVerified,
                    format!(
                        "the exception policy {} is not read by the local model; only the flag is set",
                        file.value
                    ),
                    file.span,
                );
                None
            }
        },
        None if flag == Flag::ProjectProtection => Some(String::new()),
        None => None,
    };
    // Only a stored document that differs is replaced; one never read
    // (a remote view) is left to MaxCompute.
    if let Some(document) = wanted
        && cx.view.knows(Fact::Policies)
        && cx.view.policy(&slot).unwrap_or_default() != document
    {
        changes.push(Change::PutPolicy { slot, document });
    }
    ok(changes)
}

pub(crate) fn list_trusted<V: StateView + ?Sized>(cx: &mut Cx<'_, V>) -> Outcome {
    cx.require(Action::ListTrustedProjects)?;
    Ok((
        Vec::new(),
        Output::TrustedProjects(owned(cx.view.trusted_projects())),
    ))
}

pub(crate) fn trusted<V: StateView + ?Sized>(
    cx: &mut Cx<'_, V>,
    project: &Ident,
    add: bool,
) -> Outcome {
    cx.require(if add {
        Action::AddTrustedProject
    } else {
        Action::RemoveTrustedProject
    })?;
    let name = project.value.to_ascii_lowercase();
    let present = cx.view.is_trusted_project(&name);
    let known = cx.knows(Fact::TrustedProjects, project.span);
    if known && add && present {
        return Err(Failure::new(
            FailureCode::TrustedProjectExists,
            format!("project {name} is already trusted"),
            project.span,
            "already trusted",
            "`list trustedprojects;` shows them",
        ));
    }
    if known && !add && !present {
        return Err(Failure::new(
            FailureCode::TrustedProjectNotFound,
            format!("project {name} is not trusted"),
            project.span,
            "not a trusted project",
            "nothing to remove; `list trustedprojects;` shows them",
        ));
    }
    ok(vec![if add {
        Change::AddTrustedProject { project: name }
    } else {
        Change::RemoveTrustedProject { project: name }
    }])
}
