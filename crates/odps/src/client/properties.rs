//! Project properties over REST, as odpscmd's `setproject` uses them:
//! `GET /projects/{p}?properties=all` reads them all, and `PUT
//! /projects/{p}` with a `<Project>` document whose `<Properties>` hold
//! the ones to set.

use std::collections::BTreeMap;

use reqwest::Method;

use super::Client;
use super::answer;
use crate::error::OdpsError;
use crate::model;

impl Client {
    /// Every property of a project, by name.
    pub async fn project_properties(
        &self,
        project: &str,
    ) -> Result<BTreeMap<String, String>, OdpsError> {
        let target = self
            .target(&["projects", project])?
            .param("properties", "all");
        let call = self.call(Method::GET, target, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        let meta = model::parse_project(&resp.body).map_err(|e| answer::invalid(&call, e))?;
        Ok(meta.properties)
    }

    /// Sets project properties (the others keep their values). Setting a
    /// property to a value again changes nothing, so it is retried like a
    /// read.
    pub async fn set_project_properties(
        &self,
        project: &str,
        properties: &[(String, String)],
    ) -> Result<(), OdpsError> {
        let body = model::project_properties_body(project, properties);
        let call = self.call(
            Method::PUT,
            self.target(&["projects", project])?,
            Some(("application/xml", body)),
        );
        answer::success(&call, self.execute(&call).await?)?;
        Ok(())
    }
}
