//! The Java SDK's `checkPermission` requests, read: `GET
//! /projects/{p}/auth/?type=Table&name=t&grantee=Select[&columns=a,b]`
//! (the deprecated form, whose `grantee` is the action) and `POST
//! /projects/{p}/auth/` with `[{"Action": "Select", "Resource":
//! "/projects/p/tables/t", "Principal": "…", "odps:SelectColumns":
//! "[\"a\"]"}]`. The engine's `check_access` answers them.

use std::collections::HashMap;

use mcauth_engine::{ObjectKind, ObjectRef, Privilege};

/// One question: may (the caller, or `principal`) use `privilege` on
/// each of `objects` (one per column when columns are named)?
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Question {
    pub objects: Vec<ObjectRef>,
    pub privilege: Privilege,
    /// Someone else's name, from `Principal`.
    pub principal: Option<String>,
}

/// Why a request cannot be read: a message for `InvalidParameter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadQuestion(pub String);

fn bad(message: impl Into<String>) -> BadQuestion {
    BadQuestion(format!(
        "ODPS-0420061: Invalid parameter in HTTP request - {}",
        message.into()
    ))
}

fn privilege(action: &str) -> Result<Privilege, BadQuestion> {
    Privilege::from_name(action.trim()).ok_or_else(|| {
        bad(format!(
            "unknown action '{}'",
            crate::wire::printable(action)
        ))
    })
}

fn kind(object_type: &str) -> Result<ObjectKind, BadQuestion> {
    match object_type.trim().to_ascii_lowercase().as_str() {
        "project" => Ok(ObjectKind::Project),
        "table" => Ok(ObjectKind::Table),
        "function" => Ok(ObjectKind::Function),
        "resource" => Ok(ObjectKind::Resource),
        "instance" => Ok(ObjectKind::Instance),
        other => Err(bad(format!(
            "unknown object type '{}' (Project, Table, Function, Resource or Instance)",
            crate::wire::printable(other)
        ))),
    }
}

/// The objects asked about: one, or one per column.
fn objects(kind: ObjectKind, name: &str, columns: &[String]) -> Vec<ObjectRef> {
    let name = kind.normalise_name(name);
    if columns.is_empty() || kind != ObjectKind::Table {
        return vec![ObjectRef {
            kind,
            name,
            column: None,
            partition: None,
        }];
    }
    columns
        .iter()
        .map(|c| ObjectRef {
            kind,
            name: name.clone(),
            column: Some(c.trim().to_ascii_lowercase()),
            partition: None,
        })
        .collect()
}

/// The deprecated `GET` form.
pub(crate) fn from_query(
    project: &str,
    q: &HashMap<String, String>,
) -> Result<Question, BadQuestion> {
    let get = |k: &str| {
        q.get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(format!("missing parameter {k}")))
    };
    let kind = kind(get("type")?)?;
    let name = if kind == ObjectKind::Project {
        project.to_owned()
    } else {
        get("name")?.to_owned()
    };
    let columns: Vec<String> = q
        .get("columns")
        .map(|c| {
            c.split(',')
                .filter(|c| !c.trim().is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Question {
        objects: objects(kind, &name, &columns),
        privilege: privilege(get("grantee")?)?,
        principal: None,
    })
}

/// A `Resource` of the `POST` form: `[/]projects/<p>[/schemas/<s>]/…`.
fn resource(project: &str, text: &str) -> Result<(ObjectKind, String), BadQuestion> {
    let parts: Vec<&str> = text.trim().trim_start_matches('/').split('/').collect();
    let unknown = || {
        bad(format!(
            "unknown resource '{}'",
            crate::wire::printable(text)
        ))
    };
    let (p, rest) = match parts.as_slice() {
        ["projects", p, rest @ ..] => (*p, rest),
        _ => return Err(unknown()),
    };
    if !p.eq_ignore_ascii_case(project) {
        return Err(bad(format!(
            "the resource names project '{}', not {project}",
            crate::wire::printable(p)
        )));
    }
    let (schema, rest) = match rest {
        ["schemas", s, rest @ ..] => (Some(*s), rest),
        _ => (None, rest),
    };
    let (kind, name) = match rest {
        [] => return Ok((ObjectKind::Project, project.to_owned())),
        ["tables", t] => (ObjectKind::Table, (*t).to_owned()),
        ["registration", "functions", f] | ["functions", f] => {
            (ObjectKind::Function, (*f).to_owned())
        }
        ["resources", r] => (ObjectKind::Resource, (*r).to_owned()),
        ["instances", i] => (ObjectKind::Instance, (*i).to_owned()),
        _ => return Err(unknown()),
    };
    let name = match (kind, schema) {
        (ObjectKind::Table, Some(s)) => format!("{s}.{name}"),
        _ => name,
    };
    Ok((kind, name))
}

/// The `POST` form: a JSON array of one request (the SDK sends one).
pub(crate) fn from_json(project: &str, body: &str) -> Result<Question, BadQuestion> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let first = match &value {
        serde_json::Value::Array(items) if items.len() == 1 => &items[0],
        serde_json::Value::Object(_) => &value,
        _ => return Err(bad("the body is not an array of one permission request")),
    };
    let field = |k: &str| first.get(k).and_then(serde_json::Value::as_str);
    let action = field("Action").ok_or_else(|| bad("missing Action"))?;
    let (kind, name) = resource(
        project,
        field("Resource").ok_or_else(|| bad("missing Resource"))?,
    )?;
    let columns: Vec<String> = match field("odps:SelectColumns") {
        Some(text) => serde_json::from_str(text)
            .map_err(|_| bad("odps:SelectColumns is not a JSON array of column names"))?,
        None => Vec::new(),
    };
    Ok(Question {
        objects: objects(kind, &name, &columns),
        privilege: privilege(action)?,
        principal: field("Principal").map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, column: Option<&str>) -> ObjectRef {
        match column {
            Some(column) => ObjectRef::column(ObjectKind::Table, name, column),
            None => ObjectRef::new(ObjectKind::Table, name),
        }
    }

    #[test]
    fn the_get_form() {
        let q: HashMap<String, String> = [
            ("type", "Table"),
            ("name", "Sales"),
            ("grantee", "Select"),
            ("columns", "a,B"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let question = from_query("p", &q).expect("valid");
        assert_eq!(question.privilege, Privilege::Select);
        assert_eq!(
            question.objects,
            [table("sales", Some("a")), table("sales", Some("b"))]
        );
        let mut project = q.clone();
        project.insert("type".into(), "Project".into());
        project.insert("grantee".into(), "CreateTable".into());
        let question = from_query("p", &project).expect("valid");
        assert_eq!(question.objects[0].kind, ObjectKind::Project);
        let mut bad_type = q.clone();
        bad_type.insert("type".into(), "Volume".into());
        assert!(from_query("p", &bad_type).is_err());
        let mut bad_action = q;
        bad_action.insert("grantee".into(), "Fly".into());
        assert!(from_query("p", &bad_action).is_err());
    }

    #[test]
    fn the_post_form() {
        let body = r#"[{"Action":"Select","Resource":"/projects/p/tables/t","Principal":"RAM$a@b.com:bob","odps:SelectColumns":"[\"c1\"]"}]"#;
        let question = from_json("p", body).expect("valid");
        assert_eq!(question.objects, [table("t", Some("c1"))]);
        assert_eq!(question.principal.as_deref(), Some("RAM$a@b.com:bob"));
        let schema = r#"[{"Action":"Describe","Resource":"projects/p/schemas/s/tables/t"}]"#;
        assert_eq!(
            from_json("p", schema).expect("valid").objects,
            [table("s.t", None)]
        );
        let function =
            r#"[{"Action":"Execute","Resource":"/projects/p/registration/functions/f"}]"#;
        assert_eq!(
            from_json("p", function).expect("valid").objects[0].kind,
            ObjectKind::Function
        );
        for bad in [
            "nope",
            "[]",
            r#"[{"Action":"Select"}]"#,
            r#"[{"Action":"Select","Resource":"/projects/other/tables/t"}]"#,
            r#"[{"Action":"Select","Resource":"/projects/p/volumes/v"}]"#,
        ] {
            assert!(from_json("p", bad).is_err(), "{bad}");
        }
    }
}
