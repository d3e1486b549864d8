//! Turning stored grants into the lines `show grants`, `describe role` and
//! `show acl` print.
//!
//! One line per (resource, marker, condition, expiry); lines in resource
//! order; privileges on a line in the order they were granted.

use std::collections::BTreeMap;

use crate::names::GranteeId;
use crate::output::{AclLine, AuthorizationType, GrantBlock, GrantLine, GrantSection};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::{GrantKind, GrantRef};
use crate::time::expiry_text;
use crate::view::StateView;

/// Which grants a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    All,
    Type(ObjectKind),
    /// An object, any of its columns.
    Object(ObjectKind, String),
}

impl Filter {
    pub(crate) fn keeps(&self, object: &ObjectRef) -> bool {
        match self {
            Filter::All => true,
            Filter::Type(kind) => object.kind == *kind,
            Filter::Object(kind, name) => object.kind == *kind && &object.name == name,
        }
    }
}

fn authorization_type(kind: GrantKind) -> AuthorizationType {
    match kind {
        GrantKind::Acl => AuthorizationType::Acl,
        GrantKind::Policy { .. } => AuthorizationType::Policy,
    }
}

fn marker(g: &GrantRef<'_>) -> String {
    let mut m = String::from(match g.key.kind {
        GrantKind::Policy { allow: false } => "D",
        _ => "A",
    });
    if g.props.conditions.is_some() {
        m.push('C');
    }
    m
}

type LineKey = (String, String, Option<String>, Option<String>);

fn group<'g, 'v: 'g>(
    grants: impl Iterator<Item = &'g GrantRef<'v>>,
    resource: impl Fn(&ObjectRef) -> String,
) -> BTreeMap<LineKey, Vec<(u64, Privilege)>> {
    let mut groups: BTreeMap<LineKey, Vec<(u64, Privilege)>> = BTreeMap::new();
    for g in grants {
        let key = (
            resource(&g.key.object),
            marker(g),
            g.props.conditions.clone(),
            g.props.expires.as_ref().map(expiry_text),
        );
        groups
            .entry(key)
            .or_default()
            .push((g.seq, g.key.privilege));
    }
    groups
}

fn ordered(mut privileges: Vec<(u64, Privilege)>) -> Vec<Privilege> {
    privileges.sort();
    privileges.dedup_by_key(|(_, p)| *p);
    privileges.into_iter().map(|(_, p)| p).collect()
}

/// The lines of one authorization type.
pub(crate) fn grant_lines(
    project: &str,
    grants: &[GrantRef<'_>],
    t: AuthorizationType,
    filter: &Filter,
) -> Vec<GrantLine> {
    let kept = grants
        .iter()
        .filter(|g| authorization_type(g.key.kind) == t && filter.keeps(&g.key.object));
    group(kept, |o| o.resource(project))
        .into_iter()
        .map(
            |((resource, marker, conditions, expires), privileges)| GrantLine {
                marker,
                resource,
                privileges: ordered(privileges),
                conditions,
                expires,
            },
        )
        .collect()
}

/// `Authorization Type:` sections for the given grantees, in order;
/// grantees with nothing to show are left out, and so are empty sections.
pub(crate) fn sections(
    view: &(impl StateView + ?Sized),
    grantees: &[GranteeId],
    filter: &Filter,
) -> Vec<GrantSection> {
    let grants: Vec<(&GranteeId, Vec<GrantRef<'_>>)> =
        grantees.iter().map(|g| (g, view.grants_of(g))).collect();
    let mut out = Vec::new();
    for t in [AuthorizationType::Acl, AuthorizationType::Policy] {
        let blocks: Vec<GrantBlock> = grants
            .iter()
            .filter_map(|(g, list)| {
                let lines = grant_lines(view.project(), list, t, filter);
                (!lines.is_empty()).then(|| GrantBlock {
                    grantee: (*g).clone(),
                    lines,
                })
            })
            .collect();
        if !blocks.is_empty() {
            out.push(GrantSection {
                authorization_type: t,
                blocks,
            });
        }
    }
    out
}

/// The `show acl` lines of one authorization type for an object, over
/// the grantees that exist now.
pub(crate) fn acl_lines(
    view: &(impl StateView + ?Sized),
    grantees: &[&GranteeId],
    t: AuthorizationType,
    filter: &Filter,
) -> Vec<AclLine> {
    let project = view.project();
    let mut out = Vec::new();
    for grantee in grantees {
        let grants = view.grants_of(grantee);
        let kept = grants
            .iter()
            .filter(|g| authorization_type(g.key.kind) == t && filter.keeps(&g.key.object));
        for ((resource, marker, _, expires), privileges) in group(kept, |o| o.acl_resource(project))
        {
            out.push(AclLine {
                marker,
                grantee: grantee.to_string(),
                resource: Some(resource),
                privileges: ordered(privileges),
                expires,
            });
        }
    }
    out
}
