//! Policy documents over REST (docs/wire-protocol.md#policy-documents), as odpscmd's
//! `get policy` / `put policy` use them: the document is raw JSON in the
//! body, both ways.

use reqwest::Method;

use super::Client;
use super::answer;
use crate::error::OdpsError;

/// Which policy a call reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyTarget<'a> {
    /// `/projects/{p}?policy`.
    Project,
    /// `/projects/{p}?security_policy`.
    Security,
    /// `/projects/{p}/roles/{r}?policy`.
    Role(&'a str),
}

impl Client {
    /// The stored document, verbatim; empty when none was put.
    pub async fn get_policy(
        &self,
        project: &str,
        target: PolicyTarget<'_>,
    ) -> Result<String, OdpsError> {
        let call = self.call(Method::GET, self.policy_target(project, target)?, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        Ok(resp.body)
    }

    /// Stores `document` (raw JSON). A PUT of the same document is
    /// idempotent, so it is retried like a read.
    pub async fn put_policy(
        &self,
        project: &str,
        target: PolicyTarget<'_>,
        document: &str,
    ) -> Result<(), OdpsError> {
        let call = self.call(
            Method::PUT,
            self.policy_target(project, target)?,
            Some(("application/json", document.to_owned())),
        );
        answer::success(&call, self.execute(&call).await?)?;
        Ok(())
    }

    fn policy_target(
        &self,
        project: &str,
        target: PolicyTarget<'_>,
    ) -> Result<super::url::Target, OdpsError> {
        Ok(match target {
            PolicyTarget::Project => self.target(&["projects", project])?.param("policy", ""),
            PolicyTarget::Security => self
                .target(&["projects", project])?
                .param("security_policy", ""),
            PolicyTarget::Role(role) => self
                .target(&["projects", project, "roles", role])?
                .param("policy", ""),
        })
    }
}
