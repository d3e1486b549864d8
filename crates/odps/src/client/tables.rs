//! `GET /projects/{p}/tables/{t}`: a table's metadata, read for its owner
//! (docs/wire-protocol.md#table-metadata).

use serde::Deserialize;

use super::Client;
use super::answer;
use crate::error::OdpsError;

/// What mcauth reads of a table: its name and owner (who created it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableMeta {
    /// `<Name>`.
    pub name: String,
    /// The owner: the `owner` of the JSON in `<Schema>` (which PyODPS
    /// lets win), else `<Owner>`; `None` when the answer names neither.
    pub owner: Option<String>,
}

#[derive(Deserialize)]
struct TableXml {
    #[serde(rename = "Name", default)]
    name: Option<String>,
    #[serde(rename = "Owner", default)]
    owner: Option<String>,
    #[serde(rename = "Schema", default)]
    schema: Option<SchemaXml>,
}

#[derive(Deserialize)]
struct SchemaXml {
    #[serde(rename = "$text", default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct SchemaJson {
    #[serde(default)]
    owner: Option<String>,
}

/// Reads the table XML. A `<Schema>` whose text is not JSON is ignored
/// (the owner may still be in `<Owner>`).
pub fn parse_table(xml: &str) -> Result<TableMeta, String> {
    let t: TableXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    let from_schema = t
        .schema
        .and_then(|s| s.text)
        .and_then(|text| serde_json::from_str::<SchemaJson>(text.trim()).ok())
        .and_then(|j| j.owner);
    let owner = from_schema
        .or(t.owner)
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty());
    Ok(TableMeta {
        name: t.name.unwrap_or_default(),
        owner,
    })
}

impl Client {
    /// `GET /projects/{p}/tables/{t}`: the table's name and owner. A
    /// table the service does not show is a 404
    /// ([`OdpsError::is_not_found`]).
    pub async fn table_meta(&self, project: &str, table: &str) -> Result<TableMeta, OdpsError> {
        let target = self.target(&["projects", project, "tables", table])?;
        let call = self.call(reqwest::Method::GET, target, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        parse_table(&resp.body).map_err(|e| answer::invalid(&call, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_comes_from_the_schema_json_or_the_owner_element() {
        let both = r#"<?xml version="1.0" encoding="UTF-8"?>
<Table><Name>sales</Name><Owner>ALIYUN$old@x.com</Owner>
<Schema><![CDATA[{"owner":"RAM$acme@x.com:alice","createTime":1,"columns":[]}]]></Schema></Table>"#;
        let t = parse_table(both).expect("reads");
        assert_eq!(t.name, "sales");
        assert_eq!(t.owner.as_deref(), Some("RAM$acme@x.com:alice"));
        let escaped = "<Table><Name>t</Name><Schema>{&quot;owner&quot;:&quot;ALIYUN$a@x.com&quot;}</Schema></Table>";
        assert_eq!(
            parse_table(escaped).expect("reads").owner.as_deref(),
            Some("ALIYUN$a@x.com")
        );
        let element = "<Table><Name>t</Name><Owner>ALIYUN$b@x.com</Owner></Table>";
        assert_eq!(
            parse_table(element).expect("reads").owner.as_deref(),
            Some("ALIYUN$b@x.com")
        );
        let neither = "<Table><Name>t</Name><Schema>not json</Schema></Table>";
        assert_eq!(parse_table(neither).expect("reads").owner, None);
        assert!(parse_table("not xml <").is_err());
    }
}
