//! `get policy`, `put policy`, `get security policy` and `put security
//! policy` are REST calls on MaxCompute, as in odpscmd, not security
//! queries: the document travels as the body. So is `set
//! ProjectProtection=… with exception FILE`: the exception policy goes in
//! the security configuration document (`PUT ?security_configuration`).

use mcauth_odps::{Client, OdpsError, PolicyTarget};
use mcauth_syntax::SecurityFlag;
use mcauth_syntax::ast::{FilePath, RoleRef, SetValue, Setting, Statement, StatementKind};

use crate::run::Documents;

/// One policy call, with what it reads or writes.
pub enum PolicyCall<'a> {
    Get(PolicyTarget<'a>),
    Put(PolicyTarget<'a>, &'a str),
    /// A tenant role's policy: MaxCompute's REST API has no call for it.
    Tenant,
    /// ProjectProtection on or off, with this exception policy.
    Protection {
        protected: bool,
        exception: &'a str,
    },
}

impl<'a> PolicyCall<'a> {
    /// The call for a policy statement, with the document read for a
    /// `put` (from the run's policy files, keyed by the path as written).
    pub fn of(statement: &'a Statement, documents: &'a Documents) -> Option<Self> {
        let target = |role: &'a Option<RoleRef>| match role {
            None => Some(PolicyTarget::Project),
            Some(r) if r.tenant => None,
            Some(r) => Some(PolicyTarget::Role(r.role.value.as_str())),
        };
        let document = |file: &FilePath| documents.get(&file.value).map(String::as_str);
        Some(match &statement.kind {
            StatementKind::GetPolicy { role } => target(role).map_or(Self::Tenant, Self::Get),
            StatementKind::GetSecurityPolicy => Self::Get(PolicyTarget::Security),
            StatementKind::PutPolicy { role, file } => match (target(role), document(file)) {
                (Some(t), Some(doc)) => Self::Put(t, doc),
                (None, _) => Self::Tenant,
                (Some(_), None) => return None,
            },
            StatementKind::PutSecurityPolicy { file } => {
                Self::Put(PolicyTarget::Security, document(file)?)
            }
            StatementKind::Set {
                setting: Setting::Security(SecurityFlag::ProjectProtection),
                value: SetValue::Bool(protected),
                exception: Some(file),
            } => Self::Protection {
                protected: *protected,
                exception: document(file)?,
            },
            _ => return None,
        })
    }

    /// Makes the call. A document read is answered as it was stored,
    /// less one final newline, as the embedded store prints it.
    pub async fn send(&self, client: &Client, project: &str) -> Result<String, OdpsError> {
        match *self {
            Self::Get(target) => {
                let doc = client.get_policy(project, target).await?;
                Ok(doc.strip_suffix('\n').unwrap_or(&doc).to_owned())
            }
            Self::Put(target, doc) => {
                client.put_policy(project, target, doc).await?;
                Ok(String::new())
            }
            Self::Protection {
                protected,
                exception,
            } => {
                client
                    .set_protection(project, protected, Some(exception))
                    .await?;
                Ok(String::new())
            }
            Self::Tenant => Err(OdpsError::InvalidArgument {
                message: "tenant role policies cannot be read or written through MaxCompute's project REST API; use the MaxCompute console".to_owned(),
            }),
        }
    }
}
