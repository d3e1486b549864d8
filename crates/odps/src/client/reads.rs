//! The REST reads used for planning (docs/wire-protocol.md#users-and-roles,
//! #project-and-security-configuration).

use reqwest::Method;

use super::Client;
use super::answer;
use super::send::{Call, RawResponse};
use super::url::Target;
use crate::error::OdpsError;
use crate::model::{self, ProjectMeta, Role, User};

/// How many pages of 100 `list_projects` reads at most.
const MAX_PROJECT_PAGES: usize = 1_000;

impl Client {
    /// `GET /projects/{p}/users`: the project's members.
    pub async fn list_users(&self, project: &str) -> Result<Vec<User>, OdpsError> {
        let (call, resp) = self
            .get(self.target(&["projects", project, "users"])?)
            .await?;
        model::parse_users(&resp.body).map_err(|e| answer::invalid(&call, e))
    }

    /// `GET /projects/{p}/users/{name}?type=displayname`: one member by
    /// display name (`ALIYUN$…`, `RAM$…`). A non-member is a 404
    /// ([`OdpsError::is_not_found`]).
    pub async fn get_user(&self, project: &str, display_name: &str) -> Result<User, OdpsError> {
        let target = self
            .target(&["projects", project, "users", display_name])?
            .param("type", "displayname");
        let (call, resp) = self.get(target).await?;
        model::parse_user(&resp.body).map_err(|e| answer::invalid(&call, e))
    }

    /// `GET /projects/{p}/users/{name}?roles=&type=displayname`: a member's roles.
    pub async fn user_roles(
        &self,
        project: &str,
        display_name: &str,
    ) -> Result<Vec<Role>, OdpsError> {
        let target = self
            .target(&["projects", project, "users", display_name])?
            .param("roles", "")
            .param("type", "displayname");
        let (call, resp) = self.get(target).await?;
        model::parse_roles(&resp.body).map_err(|e| answer::invalid(&call, e))
    }

    /// `GET /projects/{p}/roles`: the project's roles.
    pub async fn list_roles(&self, project: &str) -> Result<Vec<Role>, OdpsError> {
        let (call, resp) = self
            .get(self.target(&["projects", project, "roles"])?)
            .await?;
        model::parse_roles(&resp.body).map_err(|e| answer::invalid(&call, e))
    }

    /// `GET /projects/{p}/roles/{r}?users=`: the members holding a role.
    pub async fn role_users(&self, project: &str, role: &str) -> Result<Vec<User>, OdpsError> {
        let target = self
            .target(&["projects", project, "roles", role])?
            .param("users", "");
        let (call, resp) = self.get(target).await?;
        model::parse_users(&resp.body).map_err(|e| answer::invalid(&call, e))
    }

    /// `GET /projects`, page after page: the names of the projects the
    /// caller may see. At most `MAX_PROJECT_PAGES` pages are read, so a
    /// service that never ends the list cannot hold the caller.
    pub async fn list_projects(&self) -> Result<Vec<String>, OdpsError> {
        let mut names = Vec::new();
        let mut marker = String::new();
        for _ in 0..MAX_PROJECT_PAGES {
            let mut target = self.target(&["projects"])?.param("maxitems", "100");
            if !marker.is_empty() {
                target = target.param("marker", &marker);
            }
            let (call, resp) = self.get(target).await?;
            let (page, next) =
                model::parse_project_list(&resp.body).map_err(|e| answer::invalid(&call, e))?;
            let empty = page.is_empty();
            names.extend(page);
            if next.is_empty() || empty || next == marker {
                break;
            }
            marker = next;
        }
        Ok(names)
    }

    /// `GET /projects/{p}`: project metadata, owner and times from headers.
    pub async fn project_meta(&self, project: &str) -> Result<ProjectMeta, OdpsError> {
        let (call, resp) = self.get(self.target(&["projects", project])?).await?;
        let mut meta = model::parse_project(&resp.body).map_err(|e| answer::invalid(&call, e))?;
        meta.owner = resp.header("x-odps-owner").map(str::to_owned);
        meta.creation_time = resp.header("x-odps-creation-time").map(str::to_owned);
        meta.last_modified = resp.header("last-modified").map(str::to_owned);
        Ok(meta)
    }

    async fn get(&self, target: Target) -> Result<(Call, RawResponse), OdpsError> {
        let call = self.call(Method::GET, target, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        Ok((call, resp))
    }
}
