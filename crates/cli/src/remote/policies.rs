//! `get policy`, `put policy`, `get security policy` and `put security
//! policy` are REST calls on MaxCompute, as in odpscmd, not security
//! queries: the document travels as the body.

use std::collections::BTreeMap;

use mcauth_odps::{Client, OdpsError, PolicyTarget};
use mcauth_syntax::ast::{FilePath, Statement, StatementKind};

/// One policy call, with what it reads or writes.
pub enum PolicyCall<'a> {
    Get(Target<'a>),
    Put(Target<'a>, &'a str),
    /// A tenant role's policy: MaxCompute's REST API has no call for it.
    Tenant,
}

/// Which document: the project's, the security policy, or a role's.
pub enum Target<'a> {
    Project,
    Security,
    Role(&'a str),
}

impl<'a> PolicyCall<'a> {
    /// The call for a policy statement, with the document read for a
    /// `put` (from the run's policy files, keyed by the path as written).
    pub fn of(statement: &'a Statement, documents: &'a BTreeMap<String, String>) -> Option<Self> {
        let target = |role: &'a Option<mcauth_syntax::ast::RoleRef>| match role {
            None => Some(Target::Project),
            Some(r) if r.tenant => None,
            Some(r) => Some(Target::Role(r.role.value.as_str())),
        };
        let document = |file: &FilePath| documents.get(&file.value).map(String::as_str);
        Some(match &statement.kind {
            StatementKind::GetPolicy { role } => target(role).map_or(Self::Tenant, Self::Get),
            StatementKind::GetSecurityPolicy => Self::Get(Target::Security),
            StatementKind::PutPolicy { role, file } => match (target(role), document(file)) {
                (Some(t), Some(doc)) => Self::Put(t, doc),
                (None, _) => Self::Tenant,
                (Some(_), None) => return None,
            },
            StatementKind::PutSecurityPolicy { file } => {
                Self::Put(Target::Security, document(file)?)
            }
            _ => return None,
        })
    }

    /// Makes the call. A document read is answered as it was stored,
    /// less one final newline, as the embedded store prints it.
    pub async fn send(&self, client: &Client, project: &str) -> Result<String, OdpsError> {
        match self {
            Self::Get(t) => {
                let doc = client.get_policy(project, t.rest()).await?;
                Ok(doc.strip_suffix('\n').unwrap_or(&doc).to_owned())
            }
            Self::Put(t, doc) => {
                client.put_policy(project, t.rest(), doc).await?;
                Ok(String::new())
            }
            Self::Tenant => Err(OdpsError::InvalidArgument {
                message: "tenant role policies cannot be read or written through MaxCompute's project REST API; use the MaxCompute console".to_owned(),
            }),
        }
    }
}

impl Target<'_> {
    fn rest(&self) -> PolicyTarget<'_> {
        match self {
            Target::Project => PolicyTarget::Project,
            Target::Security => PolicyTarget::Security,
            Target::Role(r) => PolicyTarget::Role(r),
        }
    }
}
