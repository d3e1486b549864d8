//! A request to simulate: an action on a resource, with context key/values.

use serde::Serialize;

use super::codes::SimulateCode;
use crate::json::{self, JsonError, Value};

/// One context key and its values (a request may carry several values for a key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key, e.g. `odps:Encryption`. Compared without regard to ASCII case.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

/// What is being asked: may the caller perform `action` on `resource`, given `context`?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// The action, e.g. `odps:CreateProject`.
    pub action: String,
    /// The resource ARN, e.g. `acs:odps:cn-hangzhou:12345:projects/*`.
    pub resource: String,
    /// Condition keys and their values.
    pub context: Vec<ContextEntry>,
}

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The line is not JSON.
    #[error("request is not valid JSON: {0}")]
    Json(JsonError),
    /// The JSON is not an object.
    #[error("a request is a JSON object with \"action\", \"resource\" and optional \"context\"")]
    NotAnObject,
    /// `action` or `resource` is missing.
    #[error("request has no \"{0}\"")]
    MissingField(&'static str),
    /// A field has the wrong type.
    #[error("request field \"{field}\" must be {expected}")]
    WrongType {
        /// The field.
        field: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A field the request format does not have.
    #[error("unknown request field \"{0}\"")]
    UnknownField(String),
    /// A `--context` argument without `=`.
    #[error("context \"{0}\" is not of the form key=value")]
    BadContext(String),
}

impl RequestError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The catalogue entry of this error.
    pub fn kind(&self) -> SimulateCode {
        match self {
            RequestError::Json(_) => SimulateCode::RequestJson,
            RequestError::NotAnObject => SimulateCode::RequestNotAnObject,
            RequestError::MissingField(_) => SimulateCode::RequestMissingField,
            RequestError::WrongType { .. } => SimulateCode::RequestWrongType,
            RequestError::UnknownField(_) => SimulateCode::RequestUnknownField,
            RequestError::BadContext(_) => SimulateCode::RequestBadContext,
        }
    }
}

impl mcauth_codes::Coded for RequestError {
    fn entry(&self) -> mcauth_codes::Entry {
        self.kind().entry()
    }
}

mcauth_codes::diagnostic!(RequestError);

impl Request {
    /// A request without context.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Request {
            action: action.into(),
            resource: resource.into(),
            context: Vec::new(),
        }
    }

    /// Adds a value for `key`.
    #[must_use]
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.add_context(key, value);
        self
    }

    /// Adds a value for `key`, keeping earlier values of the same key.
    pub fn add_context(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        match self
            .context
            .iter_mut()
            .find(|e| e.key.eq_ignore_ascii_case(&key))
        {
            Some(entry) => entry.values.push(value),
            None => self.context.push(ContextEntry {
                key,
                values: vec![value],
            }),
        }
    }

    /// Adds a `key=value` argument (as given to `--context`).
    pub fn add_context_arg(&mut self, arg: &str) -> Result<(), RequestError> {
        match arg.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                self.add_context(k.trim(), v);
                Ok(())
            }
            _ => Err(RequestError::BadContext(arg.to_owned())),
        }
    }

    /// The values of `key`, compared without regard to ASCII case.
    pub fn context_values(&self, key: &str) -> Option<&[String]> {
        self.context
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| e.values.as_slice())
    }

    /// Reads one request from a JSON object such as
    /// `{"action": "odps:CreateProject", "resource": "*", "context": {"odps:Encryption": "false"}}`.
    /// Context values may be strings, numbers, booleans or lists of them.
    pub fn from_json(line: &str) -> Result<Request, RequestError> {
        Request::from_json_with(line, &[]).map(|(request, _)| request)
    }

    /// Reads one request like [`Request::from_json`], also accepting the string fields named
    /// in `extra` (such as a caller's `"expect"`), which are returned with their values in
    /// the order given.
    pub fn from_json_with(
        line: &str,
        extra: &[&str],
    ) -> Result<(Request, Vec<(String, String)>), RequestError> {
        let mut extras = Vec::new();
        let node = json::parse_str(line, 8).map_err(RequestError::Json)?;
        let Value::Object(members) = node.value else {
            return Err(RequestError::NotAnObject);
        };
        let (mut action, mut resource) = (None, None);
        let mut request = Request::new("", "");
        for member in members {
            let field = member.key.value;
            match (field.as_str(), member.value.value) {
                ("action", Value::String(s)) => action = Some(s),
                ("resource", Value::String(s)) => resource = Some(s),
                ("action" | "resource", _) => {
                    return Err(RequestError::WrongType {
                        field,
                        expected: "a string",
                    });
                }
                ("context", Value::Object(entries)) => {
                    for entry in entries {
                        let values = match entry.value.value {
                            Value::Array(items) => items.into_iter().map(|i| i.value).collect(),
                            other => vec![other],
                        };
                        for value in values {
                            let text = scalar(value).ok_or_else(|| RequestError::WrongType {
                                field: format!("context.{}", entry.key.value),
                                expected: "a string, number, boolean or a list of them",
                            })?;
                            request.add_context(entry.key.value.clone(), text);
                        }
                    }
                }
                ("context", _) => {
                    return Err(RequestError::WrongType {
                        field,
                        expected: "an object",
                    });
                }
                (name, Value::String(s)) if extra.contains(&name) => extras.push((field, s)),
                (name, _) if extra.contains(&name) => {
                    return Err(RequestError::WrongType {
                        field,
                        expected: "a string",
                    });
                }
                _ => return Err(RequestError::UnknownField(field)),
            }
        }
        request.action = action.ok_or(RequestError::MissingField("action"))?;
        request.resource = resource.ok_or(RequestError::MissingField("resource"))?;
        Ok((request, extras))
    }
}

fn scalar(value: Value) -> Option<String> {
    match value {
        Value::String(s) | Value::Number(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_requests() {
        let r = Request::from_json(
            r#"{"action": "odps:CreateProject", "resource": "*", "context": {"odps:Encryption": false, "acs:SourceIp": ["10.0.0.1", "10.0.0.2"]}}"#,
        );
        let expected = Request::new("odps:CreateProject", "*")
            .with_context("odps:Encryption", "false")
            .with_context("acs:SourceIp", "10.0.0.1")
            .with_context("acs:SourceIp", "10.0.0.2");
        assert_eq!(r, Ok(expected));
    }

    #[test]
    fn bad_requests() {
        let code = |s: &str| Request::from_json(s).err().map(|e| e.code());
        assert_eq!(code("{"), Some("mcauth::policy::request::json"));
        assert_eq!(code("[]"), Some("mcauth::policy::request::not_an_object"));
        assert_eq!(
            code(r#"{"action": "x"}"#),
            Some("mcauth::policy::request::missing_field")
        );
        assert_eq!(
            code(r#"{"action": 1, "resource": "*"}"#),
            Some("mcauth::policy::request::wrong_type")
        );
        assert_eq!(
            code(r#"{"action": "a", "resource": "*", "context": {"k": {}}}"#),
            Some("mcauth::policy::request::wrong_type")
        );
        assert_eq!(
            code(r#"{"action": "a", "resource": "*", "extra": 1}"#),
            Some("mcauth::policy::request::unknown_field")
        );
    }

    #[test]
    fn extra_fields() {
        let line = r#"{"action": "odps:GetProject", "resource": "*", "expect": "allow"}"#;
        let (r, extras) =
            Request::from_json_with(line, &["expect"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r, Request::new("odps:GetProject", "*"));
        assert_eq!(extras, vec![("expect".to_owned(), "allow".to_owned())]);
        assert!(matches!(
            Request::from_json(line),
            Err(RequestError::UnknownField(f)) if f == "expect"
        ));
        assert!(matches!(
            Request::from_json_with(
                r#"{"action": "a", "resource": "*", "expect": 1}"#,
                &["expect"]
            ),
            Err(RequestError::WrongType { .. })
        ));
    }

    #[test]
    fn context_arguments() {
        let mut r = Request::new("a", "b");
        assert!(r.add_context_arg("odps:Encryption=false").is_ok());
        assert!(r.add_context_arg("x=a=b").is_ok());
        assert_eq!(
            r.context_values("ODPS:ENCRYPTION"),
            Some(&["false".to_owned()][..])
        );
        assert_eq!(r.context_values("x"), Some(&["a=b".to_owned()][..]));
        assert!(matches!(
            r.add_context_arg("novalue"),
            Err(RequestError::BadContext(_))
        ));
        assert!(matches!(
            r.add_context_arg("=v"),
            Err(RequestError::BadContext(_))
        ));
    }
}
