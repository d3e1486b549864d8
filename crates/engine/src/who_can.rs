//! Who may use a privilege on an object, and by which path: the same
//! evaluation as [`crate::explain`], run for the owner and every member
//! against an index of the grants that name the object, built once.

use std::collections::HashMap;

use serde::Serialize;

use crate::explain::{Depth, GrantSource, Layer, Question, Subject, documents, evaluate, relevant};
use crate::knowledge::Fact;
use crate::names::{GranteeId, PrincipalId, RoleName};
use crate::privilege::{ObjectKind, ObjectRef, Privilege};
use crate::state::GrantRef;
use crate::view::StateView;

/// How a principal gets the access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Path {
    /// It owns the project.
    Owner,
    /// It holds `admin` or `super_administrator`.
    Admin {
        /// The admin role it holds.
        role: RoleName,
    },
    /// It created (owns) the object, and creators may use it
    /// (`ObjectCreatorHasAccessPermission=true`).
    Creator,
    /// A grant to the principal itself.
    Direct {
        /// The grant, as `show grants` prints it.
        grant: String,
    },
    /// A grant to a role it holds.
    Role {
        /// The role it holds.
        role: RoleName,
        /// The role's grant, as `show grants` prints it.
        grant: String,
    },
    /// A package of the object's project installed here, which it may
    /// use (`Read` on the package).
    Package {
        /// The package, as `project.package`.
        package: String,
    },
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Owner => f.write_str("owner"),
            Path::Admin { role } => write!(f, "admin (role {role})"),
            Path::Creator => f.write_str("creator"),
            Path::Direct { grant } => write!(f, "direct ({grant})"),
            Path::Role { role, grant } => write!(f, "role {role} ({grant})"),
            Path::Package { package } => write!(f, "package {package}"),
        }
    }
}

/// One principal that can, or might.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    /// The principal.
    pub principal: PrincipalId,
    /// How it gets the access.
    pub path: Path,
    /// The statement behind the path, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// False when a layer that could take the access away was not read.
    pub verified: bool,
}

/// The answer to "who can".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhoCan {
    /// The privilege asked about.
    pub privilege: Privilege,
    /// The object it would be used on.
    pub object: ObjectRef,
    /// The object's owner (creator), where the question named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_owner: Option<PrincipalId>,
    /// The project the data would be taken to, where the question named
    /// one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaving_to: Option<String>,
    /// Those who can, owner first, then members in order.
    pub principals: Vec<Holder>,
    /// Members refused on what was read, whose answer a layer not read
    /// could change.
    pub not_verified: Vec<PrincipalId>,
    /// False when the members were not read: others may hold the access.
    pub members_read: bool,
}

/// The grants that name the object, by grantee, and the policy
/// documents, each read once.
struct Index<'v>(HashMap<&'v GranteeId, Vec<GrantRef<'v>>>, documents::Cache);

impl GrantSource for Index<'_> {
    fn grants_of(&self, grantee: &GranteeId) -> Vec<GrantRef<'_>> {
        self.0.get(grantee).cloned().unwrap_or_default()
    }

    fn documents(&self) -> Option<&documents::Cache> {
        Some(&self.1)
    }
}

/// Every principal that may use `privilege` on `object`, with the path;
/// `object_owner`, where known, is the object's creator
/// ([`Question::object_owner`]).
pub fn who_can(
    view: &(impl StateView + ?Sized),
    privilege: Privilege,
    object: &ObjectRef,
    object_owner: Option<&PrincipalId>,
    now: Option<i64>,
) -> WhoCan {
    let asked = Question::new(
        Subject::Principal(view.owner().clone()),
        privilege,
        object.clone(),
    )
    .owned_by(object_owner.cloned());
    who_can_asked(view, &asked, now)
}

/// Every principal for whom `asked` (its subject aside) would be
/// answered Allow: the same privilege, object, owner, another project's
/// object through its packages installed here ([`Question::shared_by`])
/// and data taken to another project ([`Question::leaving_to`]).
pub fn who_can_asked(
    view: &(impl StateView + ?Sized),
    asked: &Question,
    now: Option<i64>,
) -> WhoCan {
    let (privilege, object) = (asked.privilege, &asked.object);
    let from = asked.shared_by.as_ref();
    // A question about another project's object reads the grants of Read
    // on the packages installed here too.
    let counts = |named: &ObjectRef| {
        relevant(named, object) || (from.is_some() && named.kind == ObjectKind::Package)
    };
    let mut index = HashMap::new();
    for grantee in view.grantees() {
        let named: Vec<GrantRef<'_>> = view
            .grants_held(grantee)
            .into_iter()
            .flatten()
            .filter(|(key, _)| counts(&key.object))
            .map(GrantRef::of)
            .collect();
        if !named.is_empty() {
            index.insert(grantee, named);
        }
    }
    let index = Index(index, documents::Cache::default());
    let members_read = view.knows(Fact::Members);
    let mut subjects = vec![view.owner()];
    if members_read {
        subjects.extend(view.members());
    }
    let mut principals = Vec::new();
    let mut not_verified = Vec::new();
    for principal in subjects {
        let question = Question {
            subject: Subject::Principal(principal.clone()),
            ..asked.clone()
        };
        let trace = evaluate(view, &index, &question, now, Depth::Decision);
        if !trace.allowed() {
            if !trace.verified {
                not_verified.push(principal.clone());
            }
            continue;
        }
        let step = trace.decisive();
        let path = match step.map(|s| (s.layer, s.grantee.as_ref())) {
            Some((Layer::AdminRole, Some(GranteeId::Role(role)))) => {
                Path::Admin { role: role.clone() }
            }
            Some((Layer::ObjectCreator, _)) => Path::Creator,
            Some((Layer::Package, _)) => Path::Package {
                package: step.and_then(|s| s.package.clone()).unwrap_or_default(),
            },
            Some((Layer::AclGrant | Layer::PolicyGrant | Layer::PolicyDocument, Some(grantee))) => {
                let grant = match (step.map(|s| s.layer), grantee) {
                    (Some(Layer::PolicyGrant), _) => "policy grant",
                    (Some(Layer::PolicyDocument), GranteeId::User(_)) => "project policy",
                    (Some(Layer::PolicyDocument), _) => "role policy",
                    _ => "ACL grant",
                }
                .to_owned();
                match grantee {
                    GranteeId::Role(role) | GranteeId::TenantRole(role) => Path::Role {
                        role: role.clone(),
                        grant,
                    },
                    GranteeId::User(_) => Path::Direct { grant },
                }
            }
            _ => Path::Owner,
        };
        principals.push(Holder {
            principal: principal.clone(),
            path,
            statement: step.and_then(|s| s.statement.clone()),
            verified: trace.verified,
        });
    }
    WhoCan {
        privilege,
        object: object.clone(),
        object_owner: asked.object_owner.clone(),
        leaving_to: asked.leaving_to.clone(),
        principals,
        not_verified,
        members_read,
    }
}

impl std::fmt::Display for WhoCan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} on {}{}: {} principal(s)",
            self.privilege,
            self.object.to_statement_text(),
            self.leaving_to
                .as_ref()
                .map_or(String::new(), |to| format!(", to project {to}")),
            self.principals.len()
        )?;
        for h in &self.principals {
            writeln!(
                f,
                "  {}  via {}{}",
                h.principal,
                h.path,
                if h.verified { "" } else { " (not verified)" }
            )?;
            if let Some(s) = &h.statement {
                writeln!(f, "      {s}")?;
            }
        }
        if !self.not_verified.is_empty() {
            let names: Vec<String> = self.not_verified.iter().map(ToString::to_string).collect();
            writeln!(
                f,
                "  not verified (denied on what was read; a layer not read could allow): {}",
                names.join(", ")
            )?;
        }
        if !self.members_read {
            writeln!(
                f,
                "  not verified: the project's members were not read; others may hold it"
            )?;
        }
        Ok(())
    }
}
