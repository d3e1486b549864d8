//! Policy documents over REST, as odpscmd's `get policy` reads them: the
//! project's (`GET /projects/{p}?policy`), its security policy
//! (`?security_policy`) and each role's (`/roles/{r}?policy`); and
//! ProjectProtection's exception policy, from the security configuration
//! document (`?security_configuration`, `<Exceptions>`). A body that is
//! empty (or white space) means none was put. Tenant roles'
//! policies have no REST call on the project endpoint and are not read;
//! no check reads a policy document.

use mcauth_engine::{Change, PolicySlot, RoleName};
use mcauth_odps::{Client, OdpsError, PolicyTarget};

/// The document stored in `slot`, if one was put. A role with no policy
/// answers an empty one (`{"Statement": [], "Version": "1"}`, which
/// PyODPS's `Role.policy` parses): that is none too.
pub fn change(slot: PolicySlot, document: String) -> Option<Change> {
    let empty = document.trim().is_empty()
        || matches!(slot, PolicySlot::Role(_))
            && serde_json::from_str::<serde_json::Value>(&document).is_ok_and(|v| {
                v.get("Statement")
                    .and_then(|s| s.as_array())
                    .is_some_and(Vec::is_empty)
                    && v.as_object().is_some_and(|o| o.len() <= 2)
            });
    (!empty).then_some(Change::PutPolicy { slot, document })
}

/// A [`Change::PutPolicy`] for each document put. A role that vanished
/// since it was listed (a 404) has none.
pub async fn read(
    client: &Client,
    project: &str,
    roles: &[RoleName],
) -> Result<Vec<Change>, OdpsError> {
    let mut changes = Vec::new();
    let project_doc = client.get_policy(project, PolicyTarget::Project).await?;
    changes.extend(change(PolicySlot::Project, project_doc));
    let security = client.get_policy(project, PolicyTarget::Security).await?;
    changes.extend(change(PolicySlot::Security, security));
    let protection = client.protection(project).await?;
    changes.extend(
        protection
            .exception
            .and_then(|e| change(PolicySlot::ProtectionException, e)),
    );
    for role in roles {
        match client
            .get_policy(project, PolicyTarget::Role(role.as_str()))
            .await
        {
            Ok(doc) => changes.extend(change(PolicySlot::Role(role.clone()), doc)),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_body_is_no_document_and_others_are_kept_verbatim() {
        assert_eq!(change(PolicySlot::Project, String::new()), None);
        assert_eq!(change(PolicySlot::Security, " \n".into()), None);
        let doc = "{\"Version\": \"1\"}\n".to_owned();
        assert_eq!(
            change(PolicySlot::Role(RoleName::new("r")), doc.clone()),
            Some(Change::PutPolicy {
                slot: PolicySlot::Role(RoleName::new("r")),
                document: doc
            })
        );
    }
}
