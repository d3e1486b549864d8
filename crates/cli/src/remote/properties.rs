//! `setproject` is a REST call on MaxCompute, as in odpscmd, not a
//! security query: `setproject k=v …` puts the properties on the project
//! (`PUT /projects/{p}`), and `setproject` alone reads them all
//! (`GET /projects/{p}?properties=all`).

use mcauth_odps::{Client, OdpsError};
use mcauth_syntax::ast::{Statement, StatementKind};

/// One `setproject`, with what it reads or writes.
pub enum PropertiesCall {
    /// `setproject`: every property, printed `key=value` a line.
    Show,
    /// `setproject k=v …`: the values odpscmd sends.
    Set(Vec<(String, String)>),
}

impl PropertiesCall {
    pub fn of(statement: &Statement) -> Option<Self> {
        let StatementKind::SetProject { properties } = &statement.kind else {
            return None;
        };
        if properties.is_empty() {
            return Some(Self::Show);
        }
        Some(Self::Set(
            properties
                .iter()
                .map(|p| (p.key.value.clone(), p.effective_value().to_owned()))
                .collect(),
        ))
    }

    /// Makes the call. The answer is what the embedded store prints: the
    /// properties as `key=value` lines (JSON: `[[key, value], …]`), or
    /// nothing for a change (JSON: `{}`).
    pub async fn send(
        &self,
        client: &Client,
        project: &str,
        json: bool,
    ) -> Result<String, OdpsError> {
        match self {
            Self::Show => {
                let properties = client.project_properties(project).await?;
                if json {
                    let pairs: Vec<(&String, &String)> = properties.iter().collect();
                    return Ok(serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_owned()));
                }
                let lines: Vec<String> =
                    properties.iter().map(|(k, v)| format!("{k}={v}")).collect();
                Ok(lines.join("\n"))
            }
            Self::Set(properties) => {
                client.set_project_properties(project, properties).await?;
                Ok(if json { "{}" } else { "" }.to_owned())
            }
        }
    }
}
