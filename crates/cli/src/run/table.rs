//! Results as a table, for `--format csv` and `--format tsv`: one header
//! line, then a row per item.
//!
//! The table is made from a result's JSON form (`Output` serialised), by
//! one rule for every kind of result, so that a new kind needs no code
//! here: a list of names is a `name` column; an object's plain fields
//! are columns (a list of plain values is one field, joined with `, `);
//! an object's lists of objects become rows, each carrying the plain
//! fields of the objects it sits in. Nested objects' fields are named by
//! their path (`grantee.name`).

use serde_json::Value;

/// A header and rows of the same width.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The table of a result's `data` (the `data` of `{"type", "data"}`);
/// `None` for a result with no data (a change).
pub fn of(data: Option<&Value>) -> Option<Table> {
    let data = data?;
    let mut records: Vec<Vec<(String, String)>> = Vec::new();
    match data {
        // A list of names, possibly empty: the header still says what the
        // column is.
        Value::Array(items) if items.iter().all(is_plain) => {
            return Some(Table {
                header: vec!["name".to_owned()],
                rows: items.iter().map(|v| vec![plain(v)]).collect(),
            });
        }
        _ => unnest(data, "", &[], &mut records),
    }
    let mut header: Vec<String> = Vec::new();
    for record in &records {
        for (key, _) in record {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let rows = records
        .into_iter()
        .map(|record| {
            header
                .iter()
                .map(|h| {
                    record
                        .iter()
                        .rev()
                        .find(|(k, _)| k == h)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    Some(Table { header, rows })
}

/// A scalar, or a list of scalars.
fn is_plain(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(|i| !i.is_array() && !i.is_object()),
        Value::Object(_) => false,
        _ => true,
    }
}

/// The text of a plain value: strings as they are, lists joined.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Appends the records `v` makes, each starting with `context`; `path`
/// names `v`'s fields (`grantee.` for the fields of `grantee`).
fn unnest(
    v: &Value,
    path: &str,
    context: &[(String, String)],
    out: &mut Vec<Vec<(String, String)>>,
) {
    match v {
        Value::Object(map) => {
            let mut record = context.to_vec();
            let mut nested = Vec::new();
            for (key, value) in map {
                let name = format!("{path}{key}");
                match value {
                    Value::Object(_) => nested.push((format!("{name}."), value)),
                    _ if is_plain(value) => record.push((name, plain(value))),
                    _ => nested.push((path.to_owned(), value)),
                }
            }
            // An object's own objects (`grantee`) are more of its fields.
            let (fields, lists): (Vec<_>, Vec<_>) =
                nested.into_iter().partition(|(_, v)| v.is_object());
            for (prefix, value) in fields {
                let mut inner = Vec::new();
                unnest(value, &prefix, &[], &mut inner);
                if let [single] = inner.as_slice() {
                    record.extend(single.iter().cloned());
                } else {
                    lists_into(&record, inner, out);
                    return;
                }
            }
            if lists.is_empty() {
                out.push(record);
            } else {
                for (prefix, value) in lists {
                    unnest(value, &prefix, &record, out);
                }
            }
        }
        Value::Array(items) => {
            // Plain members of a mixed list (`["ACL", [...]]`) label the
            // rows the rest make.
            let label: Vec<&Value> = items.iter().filter(|i| is_plain(i)).collect();
            let mut record = context.to_vec();
            if !label.is_empty() {
                let text = label
                    .iter()
                    .map(|v| plain(v))
                    .collect::<Vec<_>>()
                    .join(", ");
                record.push((format!("{path}section"), text));
            }
            for item in items.iter().filter(|i| !is_plain(i)) {
                unnest(item, path, &record, out);
            }
        }
        other => {
            let mut record = context.to_vec();
            record.push((format!("{path}value"), plain(other)));
            out.push(record);
        }
    }
}

/// Records made under a nested object with lists of its own, each after
/// `record`.
fn lists_into(
    record: &[(String, String)],
    inner: Vec<Vec<(String, String)>>,
    out: &mut Vec<Vec<(String, String)>>,
) {
    for fields in inner {
        let mut row = record.to_vec();
        row.extend(fields);
        out.push(row);
    }
}

/// The table as CSV (RFC 4180: fields with a comma, a quote or a line
/// break are quoted, quotes doubled) or TSV (tabs and line breaks in a
/// field are written `\t`, `\n`, a backslash `\\`).
pub fn render(table: &Table, tsv: bool) -> String {
    let mut out = String::new();
    for row in std::iter::once(&table.header).chain(&table.rows) {
        let fields: Vec<String> = row
            .iter()
            .map(|f| if tsv { tsv_field(f) } else { csv_field(f) })
            .collect();
        out.push_str(&fields.join(if tsv { "\t" } else { "," }));
        out.push('\n');
    }
    out.pop();
    out
}

fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}

fn tsv_field(f: &str) -> String {
    f.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_of_names_is_one_column_even_when_empty() {
        let t = of(Some(&json!(["a", "b,c"]))).expect("table");
        assert_eq!(render(&t, false), "name\na\n\"b,c\"");
        let t = of(Some(&json!([]))).expect("table");
        assert_eq!(render(&t, true), "name");
    }

    #[test]
    fn an_object_is_a_row_and_its_lists_are_rows() {
        let t = of(Some(&json!({"name": "me", "project": "p"}))).expect("table");
        assert_eq!(render(&t, false), "name,project\nme,p");
        let acl = json!({
            "object": "t",
            "acl": [{"grantee": "role/r", "marker": "A", "privileges": ["Select", "Describe"]}],
        });
        let t = of(Some(&acl)).expect("table");
        assert_eq!(
            render(&t, false),
            "object,grantee,marker,privileges\nt,role/r,A,\"Select, Describe\""
        );
    }

    #[test]
    fn nested_objects_are_named_by_their_path() {
        let grants = json!({
            "principal": "RAM$a:b",
            "sections": [{"authorization_type": "ACL", "blocks": [
                {"grantee": {"name": "r", "type": "role"},
                 "lines": [{"marker": "A", "resource": "projects/p/tables/t"}]}
            ]}],
        });
        let t = of(Some(&grants)).expect("table");
        assert_eq!(
            t.header,
            vec![
                "principal",
                "authorization_type",
                "grantee.name",
                "grantee.type",
                "marker",
                "resource"
            ]
        );
        assert_eq!(t.rows.len(), 1);
        assert_eq!(
            render(&t, true).lines().nth(1),
            Some("RAM$a:b\tACL\tr\trole\tA\tprojects/p/tables/t")
        );
    }

    #[test]
    fn a_change_has_no_table() {
        assert_eq!(of(None), None);
    }
}
