//! The tables a served project declares in accounts.toml, and `GET
//! /projects/{p}/tables/{t}`, their metadata as MaxCompute serves it.
//!
//! ```toml
//! [[projects]]
//! name = "sales"
//! owner = "ALIYUN$acme@example.com"
//! tables = [
//!   { name = "orders", owner = "RAM$acme@example.com:alice",
//!     columns = [{ name = "id", type = "bigint" }, { name = "ssn", type = "string" }] },
//! ]
//! ```
//!
//! The emulator keeps no data and runs no DDL: a declared table is only a
//! name, its owner (who created it, which the ObjectCreator rule reads,
//! docs/language.md#security-configuration) and optionally its columns.
//! `owner` is a principal as a statement writes it (`RAM$alice` is a RAM
//! user of the project owner's account).
//!
//! The answer is MaxCompute's table XML as PyODPS reads it
//! (docs/wire-protocol.md#table-metadata): `<Table>` with `<Name>`,
//! `<Owner>`, `<CreationTime>`, `<LastModifiedTime>` and `<Schema>`, whose
//! text is a JSON object (`owner`, `createTime`, `lastModifiedTime`,
//! `lastDDLTime` in Unix seconds, `comment`, `columns`, `partitionKeys`).
//! A table the file does not declare is 404 `NoSuchObject`. The caller
//! must be in the project, as for every other read of it; the emulator
//! does not check Describe on the table.

use std::ops::Range;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State};
use http::{HeaderValue, StatusCode, header};
use mcauth_engine::{ObjectKind, ObjectRef, PrincipalId};
use serde::Deserialize;
use toml::Spanned;

use crate::accounts::Accounts;
use crate::api::{ApiError, ApiResult, Who, xml};
use crate::app::SharedApp;
use crate::wire::{XML_DECL, escape};

/// A table a project declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSpec {
    /// Its name, lower-case (MaxCompute's names are case-insensitive).
    pub name: String,
    /// Who created it: MaxCompute's `Owner` of the table.
    pub owner: PrincipalId,
    /// Its columns, in file order (none when the file names none).
    pub columns: Vec<ColumnSpec>,
}

/// A column of a declared table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Its name, lower-case.
    pub name: String,
    /// Its type as MaxCompute writes it, e.g. `bigint`.
    pub data_type: String,
}

/// One entry of a project's `tables` as the file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTable {
    name: Spanned<String>,
    owner: Spanned<String>,
    #[serde(default)]
    columns: Vec<Spanned<RawColumn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawColumn {
    name: Spanned<String>,
    #[serde(rename = "type")]
    data_type: Spanned<String>,
}

/// The column types a declared table may use: MaxCompute's primitive
/// types, which PyODPS reads without parameters.
const TYPES: &[&str] = &[
    "bigint",
    "int",
    "smallint",
    "tinyint",
    "double",
    "float",
    "decimal",
    "boolean",
    "string",
    "binary",
    "datetime",
    "date",
    "timestamp",
];

/// Whether `name` can name a table or column: 1–128 ASCII letters, digits
/// and `_`, starting with a letter or `_`.
fn is_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The tables of project `project` (owned by `project_owner`, whose
/// account `RAM$name` resolves in), checked; an error names the place at
/// fault.
pub(crate) fn validate(
    project: &str,
    project_owner: &PrincipalId,
    raw: &[Spanned<RawTable>],
) -> Result<Vec<TableSpec>, (Range<usize>, String)> {
    let account = project_owner.account().unwrap_or_default();
    let mut tables: Vec<TableSpec> = Vec::new();
    for table in raw {
        let table = table.get_ref();
        let name = table.name.get_ref();
        if !is_name(name) {
            return Err((
                table.name.span(),
                format!(
                    "{name:?} is not a table name: 1-128 letters, digits and _, starting with a letter or _"
                ),
            ));
        }
        let name = name.to_ascii_lowercase();
        if tables.iter().any(|t| t.name == name) {
            return Err((
                table.name.span(),
                format!("table {name:?} of project {project:?} is declared twice"),
            ));
        }
        let owner_text = table.owner.get_ref();
        let owner = Some(owner_text)
            .filter(|o| o.contains('$'))
            .and_then(|o| PrincipalId::parse(o, account))
            .ok_or_else(|| {
            (
                table.owner.span(),
                format!(
                    "the owner of table {name:?} must be a principal, e.g. RAM${account}:alice or ALIYUN${account}"
                ),
            )
        })?;
        let mut columns: Vec<ColumnSpec> = Vec::new();
        for column in &table.columns {
            let column = column.get_ref();
            let column_name = column.name.get_ref();
            if !is_name(column_name) {
                return Err((
                    column.name.span(),
                    format!("{column_name:?} is not a column name"),
                ));
            }
            let data_type = column.data_type.get_ref().to_ascii_lowercase();
            if !TYPES.contains(&data_type.as_str()) {
                return Err((
                    column.data_type.span(),
                    format!(
                        "{:?} is not a column type the emulator serves; use one of {}",
                        column.data_type.get_ref(),
                        TYPES.join(", ")
                    ),
                ));
            }
            columns.push(ColumnSpec {
                name: column_name.to_ascii_lowercase(),
                data_type,
            });
        }
        tables.push(TableSpec {
            name,
            owner,
            columns,
        });
    }
    Ok(tables)
}

/// The declared table `table` of `project`, if any.
fn declared<'a>(accounts: &'a Accounts, project: &str, table: &str) -> Option<&'a TableSpec> {
    accounts
        .projects()
        .iter()
        .find(|p| p.name == project)?
        .tables
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(table))
}

/// The owner (creator) of `object` where accounts.toml declares it: the
/// ObjectCreator rule's input for `checkPermission`.
pub(crate) fn object_owner<'a>(
    accounts: &'a Accounts,
    project: &str,
    object: &ObjectRef,
) -> Option<&'a PrincipalId> {
    (object.kind == ObjectKind::Table)
        .then(|| declared(accounts, project, &object.name))
        .flatten()
        .map(|t| &t.owner)
}

/// The creator of every table project `project` serves, as the engine
/// takes them for a grant or revoke by a table's creator
/// (`Context::object_creators`): the emulator's tables are the declared
/// ones, so an undeclared table has no creator among the members.
pub(crate) fn creators(
    accounts: &Accounts,
    project: &str,
) -> std::collections::BTreeMap<ObjectRef, PrincipalId> {
    accounts
        .projects()
        .iter()
        .filter(|p| p.name == project)
        .flat_map(|p| p.tables.iter())
        .map(|t| {
            (
                ObjectRef::new(ObjectKind::Table, ObjectKind::Table.normalise_name(&t.name)),
                t.owner.clone(),
            )
        })
        .collect()
}

/// `GET /projects/{p}/tables/{t}`: the table's metadata, for a member.
pub(crate) async fn get_table(
    State(app): State<SharedApp>,
    axum::extract::Extension(who): Who,
    Path((p, t)): Path<(String, String)>,
) -> ApiResult {
    let meta = app.meta(&p, &who)?;
    let Some(table) = declared(&app.accounts, &p, &t) else {
        return Err(ApiError::no_such_table(&p, &t));
    };
    let mut resp = xml(
        StatusCode::OK,
        table_xml(table, meta.created, meta.modified),
    );
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(meta.modified)) {
        resp.headers_mut().insert(header::LAST_MODIFIED, v);
    }
    Ok(resp)
}

fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The table XML, with the times the emulator has (the project's).
fn table_xml(table: &TableSpec, created: SystemTime, modified: SystemTime) -> String {
    let columns: Vec<serde_json::Value> = table
        .columns
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "type": c.data_type,
                "comment": "",
                "label": "",
            })
        })
        .collect();
    let schema = serde_json::json!({
        "owner": table.owner.as_str(),
        "createTime": unix_seconds(created),
        "lastModifiedTime": unix_seconds(modified),
        "lastDDLTime": unix_seconds(modified),
        "comment": "",
        "isVirtualView": false,
        "columns": columns,
        "partitionKeys": [],
    });
    format!(
        "{XML_DECL}<Table><Name>{}</Name><Owner>{}</Owner><CreationTime>{}</CreationTime><LastModifiedTime>{}</LastModifiedTime><Schema>{}</Schema></Table>",
        escape(&table.name),
        escape(table.owner.as_str()),
        httpdate::fmt_http_date(created),
        httpdate::fmt_http_date(modified),
        escape(&schema.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml: &str) -> Result<Vec<TableSpec>, (Range<usize>, String)> {
        #[derive(Deserialize)]
        struct File {
            tables: Vec<Spanned<RawTable>>,
        }
        let file: File = toml::from_str(toml).expect("toml");
        validate("p", &PrincipalId::aliyun("acme@example.com"), &file.tables)
    }

    #[test]
    fn tables_name_an_owner_and_columns() {
        let tables = parse(
            r#"tables = [{ name = "Sales", owner = "RAM$alice", columns = [{ name = "id", type = "BIGINT" }] }]"#,
        )
        .expect("valid");
        assert_eq!(tables[0].name, "sales");
        assert_eq!(
            tables[0].owner,
            PrincipalId::ram_user("acme@example.com", "alice")
        );
        assert_eq!(tables[0].columns[0].data_type, "bigint");
        let xml = table_xml(&tables[0], UNIX_EPOCH, UNIX_EPOCH);
        assert!(
            xml.contains("<Owner>RAM$acme@example.com:alice</Owner>"),
            "{xml}"
        );
        assert!(
            xml.contains("&quot;owner&quot;:&quot;RAM$acme@example.com:alice&quot;"),
            "{xml}"
        );
    }

    #[test]
    fn bad_tables_are_refused_with_the_reason() {
        for (toml, says) in [
            (
                r#"tables = [{ name = "a b", owner = "RAM$x" }]"#,
                "not a table name",
            ),
            (
                r#"tables = [{ name = "t", owner = "RAM$x" }, { name = "T", owner = "RAM$y" }]"#,
                "declared twice",
            ),
            (
                r#"tables = [{ name = "t", owner = "nobody" }]"#,
                "must be a principal",
            ),
            (
                r#"tables = [{ name = "t", owner = "RAM$x", columns = [{ name = "c", type = "map" }] }]"#,
                "not a column type",
            ),
        ] {
            let (_, message) = parse(toml).expect_err(toml);
            assert!(message.contains(says), "{toml}: {message}");
        }
    }
}
