//! Reading a policy document from the JSON tree, reporting structural problems as findings.

use serde::Serialize;

use super::{Condition, Effect, Operator, Patterns, PolicyDocument, Statement};
use crate::finding::{Code, Finding};
use crate::json::{self, Member, Node, Value};
use crate::model::Family;
use crate::span::{LineIndex, Span, Spanned};
use crate::suggest::closest;
use crate::values;

/// Which policy language to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// A RAM identity policy attached to a RAM user, group or role: no `Principal`.
    #[default]
    Ram,
    /// A MaxCompute project-level policy (`put policy`): statements name a `Principal`, and
    /// actions and resources are the project's, not the console actions of MaxCompute's RAM permission table (docs/seeds.md#ram-permissions).
    Project,
    /// A MaxCompute role policy (`put policy FILE on role R`): the project's actions and
    /// resources, and no `Principal` (the role is the principal).
    Role,
}

/// How to read a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// The policy language.
    pub dialect: Dialect,
    /// How deep JSON arrays and objects may nest.
    pub max_depth: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            dialect: Dialect::Ram,
            max_depth: json::DEFAULT_MAX_DEPTH,
        }
    }
}

impl ParseOptions {
    /// Default options for `dialect`.
    pub fn dialect(dialect: Dialect) -> Self {
        ParseOptions {
            dialect,
            ..ParseOptions::default()
        }
    }
}

/// Reads a policy from raw bytes. Fails only when the bytes are not UTF-8 JSON; every other
/// problem is kept in [`PolicyDocument::problems`].
pub fn parse_policy(bytes: &[u8], options: &ParseOptions) -> Result<PolicyDocument, Finding> {
    let node = json::parse_with_depth(bytes, options.max_depth)?;
    Ok(build(node, options.dialect, LineIndex::new(bytes)))
}

/// Reads a policy from text; see [`parse_policy`].
pub fn parse_policy_str(source: &str, options: &ParseOptions) -> Result<PolicyDocument, Finding> {
    parse_policy(source.as_bytes(), options)
}

/// Builds the model by moving the strings out of the JSON tree, which is consumed.
fn build(node: Node, dialect: Dialect, lines: LineIndex) -> PolicyDocument {
    let mut b = Builder {
        dialect,
        problems: Vec::new(),
    };
    let span = node.span;
    let (version, statements) = b.document(node);
    PolicyDocument {
        dialect,
        span,
        version,
        statements,
        lines,
        problems: b.problems,
    }
}

const TOP_KEYS: &[&str] = &["Version", "Statement"];
/// The keys of a statement; `Principal`, last, only in a project policy.
const STATEMENT_KEYS: &[&str] = &[
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
];
const PROJECT_STATEMENT_KEYS: &[&str] = STATEMENT_KEYS;
const RAM_STATEMENT_KEYS: &[&str] = match STATEMENT_KEYS.split_last() {
    Some((_principal, rest)) => rest,
    None => STATEMENT_KEYS,
};

/// The span of an object's opening brace, where "missing key" findings point.
fn opening(span: Span) -> Span {
    Span::new(span.start, span.start + 1)
}

struct Builder {
    dialect: Dialect,
    problems: Vec<Finding>,
}

impl Builder {
    fn report(&mut self, finding: Finding) {
        self.problems.push(finding);
    }

    fn document(&mut self, node: Node) -> (Option<Spanned<String>>, Vec<Statement>) {
        let members = match node.value {
            Value::Object(members) => members,
            other => {
                self.report(
                    Finding::new(
                        Code::NotAnObject,
                        node.span,
                        format!("a policy is a JSON object, not {}", other.type_name()),
                    )
                    .label("expected `{ \"Version\": \"1\", \"Statement\": [...] }`"),
                );
                return (None, Vec::new());
            }
        };
        let [version, statement] = self.fields::<2>(members, TOP_KEYS, "policy");
        let version = self.version(node.span, version);
        let statements = match statement {
            None => {
                self.report(
                    Finding::new(
                        Code::MissingKey,
                        opening(node.span),
                        "the policy has no `Statement`",
                    )
                    .label("policy starts here")
                    .help("add `\"Statement\": [ ... ]` with at least one statement"),
                );
                Vec::new()
            }
            Some(m) => self.statements(m),
        };
        (version, statements)
    }

    /// Splits `members` into the `known` keys (first occurrence each), reporting unknown,
    /// misspelt and duplicated keys.
    fn fields<const N: usize>(
        &mut self,
        members: Vec<Member>,
        known: &[&'static str],
        what: &str,
    ) -> [Option<Member>; N] {
        let mut found: [Option<Member>; N] = std::array::from_fn(|_| None);
        for member in members {
            let key = member.key.value.as_str();
            match known.iter().position(|k| *k == key) {
                Some(i) => match found.get_mut(i) {
                    Some(Some(first)) => {
                        let first = first.key.span;
                        self.report(
                            Finding::new(
                                Code::DuplicateKey,
                                member.key.span,
                                format!("`{key}` is given twice in this {what}"),
                            )
                            .label("duplicate")
                            .related(first, "first given here")
                            .help("merge the two values into one; only the first is read"),
                        );
                    }
                    Some(slot) => *slot = Some(member),
                    None => {}
                },
                None => self.unknown_key(&member, known, what),
            }
        }
        found
    }

    fn unknown_key(&mut self, member: &Member, known: &[&'static str], what: &str) {
        let key = member.key.value.as_str();
        let span = member.key.span;
        if key == "Principal" && self.dialect != Dialect::Project {
            self.report(
                Finding::new(
                    Code::PrincipalNotAllowed,
                    span,
                    "a RAM policy statement has no `Principal`",
                )
                .label("not allowed here")
                .help("RAM policies apply to whoever they are attached to; `Principal` belongs in project-level policies (read them with the project dialect)"),
            );
            return;
        }
        match closest(key, known.iter().copied()) {
            Some(suggestion) => self.report(
                Finding::new(
                    Code::MisspeltKey,
                    span,
                    format!("unknown key `{key}` in this {what}"),
                )
                .label("misspelt?")
                .help(format!("did you mean `{suggestion}`?")),
            ),
            None => self.report(
                Finding::new(
                    Code::UnknownKey,
                    span,
                    format!("unknown key `{key}` in this {what}"),
                )
                .label("unknown")
                .help(format!("the keys of a {what} are {}", known.join(", "))),
            ),
        }
    }

    fn wrong_type(&mut self, span: Span, value: &Value, key: &str, expected: &str) {
        let found = value.type_name();
        self.report(
            Finding::new(
                Code::WrongType,
                span,
                format!("`{key}` must be {expected}, not {found}"),
            )
            .label(format!("{found} here")),
        );
    }

    fn version(&mut self, doc: Span, member: Option<Member>) -> Option<Spanned<String>> {
        let Some(member) = member else {
            self.report(
                Finding::new(
                    Code::MissingVersion,
                    opening(doc),
                    "the policy has no `Version`",
                )
                .label("policy starts here")
                .help("add `\"Version\": \"1\"`"),
            );
            return None;
        };
        let node = member.value;
        match node.value {
            Value::String(v) if v == "1" => Some(Spanned::new(v, node.span)),
            other => {
                let shown = match &other {
                    Value::String(v) => format!("\"{v}\""),
                    Value::Number(n) => n.clone(),
                    v => v.type_name().to_owned(),
                };
                self.report(
                    Finding::new(
                        Code::InvalidVersion,
                        node.span,
                        format!("`Version` must be \"1\", not {shown}"),
                    )
                    .label("unsupported version")
                    .help("RAM policies have one version: write `\"Version\": \"1\"` (a string)"),
                );
                match other {
                    Value::String(v) => Some(Spanned::new(v, node.span)),
                    _ => None,
                }
            }
        }
    }

    fn statements(&mut self, member: Member) -> Vec<Statement> {
        let node = member.value;
        match node.value {
            Value::Object(members) => self.statement(node.span, members, 0).into_iter().collect(),
            Value::Array(items) if items.is_empty() => {
                self.report(
                    Finding::new(Code::EmptyStatement, node.span, "`Statement` is empty")
                        .label("no statements")
                        .help("a policy needs at least one statement; an empty one grants nothing"),
                );
                Vec::new()
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    match item.value {
                        Value::Object(members) => {
                            out.extend(self.statement(item.span, members, i));
                        }
                        other => self.wrong_type(
                            item.span,
                            &other,
                            "Statement",
                            "an object or a list of objects",
                        ),
                    }
                }
                out
            }
            other => {
                self.wrong_type(
                    node.span,
                    &other,
                    "Statement",
                    "an object or a list of objects",
                );
                Vec::new()
            }
        }
    }

    fn statement(&mut self, span: Span, members: Vec<Member>, index: usize) -> Option<Statement> {
        let known = match self.dialect {
            Dialect::Ram | Dialect::Role => RAM_STATEMENT_KEYS,
            Dialect::Project => PROJECT_STATEMENT_KEYS,
        };
        let [
            effect,
            action,
            not_action,
            resource,
            not_resource,
            condition,
            principal,
        ] = self.fields::<7>(members, known, "statement");
        let effect = self.effect(span, effect.as_ref());
        let action = self.either(span, action, not_action, "Action");
        let resource = self.either(span, resource, not_resource, "Resource");
        let principal = match (self.dialect, principal) {
            (Dialect::Project, None) => {
                self.report(
                    Finding::new(
                        Code::MissingPrincipal,
                        opening(span),
                        "a project-level policy statement needs a `Principal`",
                    )
                    .label("statement starts here")
                    .help("name the accounts it applies to, e.g. `\"Principal\": [\"RAM$account:user\"]`"),
                );
                None
            }
            (_, p) => p.and_then(|m| self.principal(m)),
        };
        let conditions = condition.map_or_else(Vec::new, |m| self.conditions(m));
        Some(Statement {
            index,
            span,
            effect,
            action,
            resource,
            principal,
            conditions,
        })
    }

    fn effect(&mut self, statement: Span, member: Option<&Member>) -> Option<Spanned<Effect>> {
        let Some(member) = member else {
            self.report(
                Finding::new(
                    Code::MissingKey,
                    opening(statement),
                    "the statement has no `Effect`",
                )
                .label("statement starts here")
                .help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
            );
            return None;
        };
        let node = &member.value;
        match node.value.as_str() {
            Some("Allow") => Some(Spanned::new(Effect::Allow, node.span)),
            Some("Deny") => Some(Spanned::new(Effect::Deny, node.span)),
            Some(other) => {
                let help = match closest(other, ["Allow", "Deny"]) {
                    Some(s) => format!("did you mean `{s}`? `Effect` is case-sensitive"),
                    None => "`Effect` is `Allow` or `Deny`".to_owned(),
                };
                self.report(
                    Finding::new(
                        Code::InvalidEffect,
                        node.span,
                        format!("`{other}` is not an effect"),
                    )
                    .label("expected `Allow` or `Deny`")
                    .help(help),
                );
                None
            }
            None => {
                self.wrong_type(
                    node.span,
                    &node.value,
                    "Effect",
                    "the string `Allow` or `Deny`",
                );
                None
            }
        }
    }

    /// `Action`/`NotAction` or `Resource`/`NotResource`: exactly one of the pair.
    fn either(
        &mut self,
        statement: Span,
        plain: Option<Member>,
        not: Option<Member>,
        key: &str,
    ) -> Option<Patterns> {
        match (plain, not) {
            (Some(p), Some(n)) => {
                let (first, second) = if p.key.span.start < n.key.span.start {
                    (p, n)
                } else {
                    (n, p)
                };
                self.report(
                    Finding::new(
                        Code::ConflictingKeys,
                        second.key.span,
                        format!("a statement has `{key}` or `Not{key}`, not both"),
                    )
                    .label("second of the pair")
                    .related(first.key.span, "first of the pair")
                    .help(format!("keep one of `{key}` and `Not{key}`")),
                );
                let negated = first.key.value.starts_with("Not");
                self.patterns(first, negated)
            }
            (Some(p), None) => self.patterns(p, false),
            (None, Some(n)) => self.patterns(n, true),
            (None, None) => {
                self.report(
                    Finding::new(
                        Code::MissingKey,
                        opening(statement),
                        format!("the statement has no `{key}` or `Not{key}`"),
                    )
                    .label("statement starts here")
                    .help(format!("add `\"{key}\": ...`")),
                );
                None
            }
        }
    }

    fn patterns(&mut self, member: Member, negated: bool) -> Option<Patterns> {
        let key = member.key.value.as_str();
        let node = member.value;
        let items = match node.value {
            Value::String(s) => vec![Spanned::new(s, node.span)],
            Value::Array(items) => {
                let empty = items.is_empty();
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::String(s) => out.push(Spanned::new(s, item.span)),
                        other => self.wrong_type(item.span, &other, key, "a list of strings"),
                    }
                }
                if empty {
                    self.report(
                        Finding::new(
                            Code::EmptyValue,
                            node.span,
                            format!("`{key}` is an empty list"),
                        )
                        .label("empty")
                        .help("list at least one value, or use `\"*\"`"),
                    );
                }
                out
            }
            other => {
                self.wrong_type(node.span, &other, key, "a string or a list of strings");
                return None;
            }
        };
        for item in items.iter().filter(|i| i.value.is_empty()) {
            self.report(
                Finding::new(
                    Code::EmptyValue,
                    item.span,
                    format!("empty string in `{key}`"),
                )
                .label("empty"),
            );
        }
        Some(Patterns {
            negated,
            key: member.key.span,
            span: node.span,
            items,
        })
    }

    /// `Principal`: a string, a list of strings, or an object whose values are those.
    fn principal(&mut self, member: Member) -> Option<Patterns> {
        let Member { key, value } = member;
        match value.value {
            Value::Object(kinds) => {
                let mut items = Vec::new();
                for kind in kinds {
                    let inner = Member {
                        key: Spanned::new("Principal".to_owned(), kind.key.span),
                        value: kind.value,
                    };
                    items.extend(
                        self.patterns(inner, false)
                            .map(|p| p.items)
                            .unwrap_or_default(),
                    );
                }
                Some(Patterns {
                    negated: false,
                    key: key.span,
                    span: value.span,
                    items,
                })
            }
            other => self.patterns(
                Member {
                    key,
                    value: Node {
                        value: other,
                        span: value.span,
                    },
                },
                false,
            ),
        }
    }

    fn conditions(&mut self, member: Member) -> Vec<Condition> {
        let node = member.value;
        let operators = match node.value {
            Value::Object(operators) => operators,
            other => {
                self.wrong_type(node.span, &other, "Condition", "an object of operators");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        let mut seen: Vec<(Operator, Span)> = Vec::new();
        for op_member in operators {
            let name = op_member.key.value.as_str();
            let Some(op) = Operator::from_name(name) else {
                let names = Operator::ALL.iter().map(|o| o.name());
                let help = match closest(name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "RAM's operators are the String*, Numeric*, Date*, Bool, IpAddress and NotIpAddress families".to_owned(),
                };
                self.report(
                    Finding::new(
                        Code::UnknownOperator,
                        op_member.key.span,
                        format!("`{name}` is not a condition operator"),
                    )
                    .label("unknown operator")
                    .help(help),
                );
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(o, _)| *o == op) {
                self.report(
                    Finding::new(
                        Code::DuplicateKey,
                        op_member.key.span,
                        format!("`{name}` is given twice in this condition"),
                    )
                    .label("duplicate")
                    .related(*first, "first given here")
                    .help("merge the keys of both into one operator"),
                );
                continue;
            }
            seen.push((op, op_member.key.span));
            let keys = match op_member.value.value {
                Value::Object(keys) => keys,
                other => {
                    self.wrong_type(
                        op_member.value.span,
                        &other,
                        name,
                        "an object of condition keys",
                    );
                    continue;
                }
            };
            let operator = Spanned::new(op, op_member.key.span);
            // The conditions of this operator so far are `out[first_key..]`.
            let first_key = out.len();
            for key_member in keys {
                let key = &key_member.key;
                if let Some(first) = out
                    .get(first_key..)
                    .unwrap_or_default()
                    .iter()
                    .map(|c: &Condition| &c.key)
                    .find(|k| k.value.eq_ignore_ascii_case(&key.value))
                {
                    self.report(
                        Finding::new(
                            Code::DuplicateKey,
                            key.span,
                            format!("`{}` is given twice under `{name}`", key.value),
                        )
                        .label("duplicate")
                        .related(first.span, "first given here")
                        .help("list all values under one key"),
                    );
                    continue;
                }
                let (key, values) = self.condition_values(op, key_member);
                out.push(Condition {
                    operator: operator.clone(),
                    key,
                    values,
                });
            }
        }
        out
    }

    fn condition_values(
        &mut self,
        op: Operator,
        member: Member,
    ) -> (Spanned<String>, Vec<Spanned<String>>) {
        let Member {
            key: spanned_key,
            value: node,
        } = member;
        let key = spanned_key.value.as_str();
        let scalars: Vec<Node> = match node.value {
            Value::Array(items) if items.is_empty() => {
                self.report(
                    Finding::new(
                        Code::EmptyValue,
                        node.span,
                        format!("`{key}` has no values"),
                    )
                    .label("empty")
                    .help("a condition with no values never holds"),
                );
                Vec::new()
            }
            Value::Array(items) => items,
            value => vec![Node {
                value,
                span: node.span,
            }],
        };
        let mut out = Vec::with_capacity(scalars.len());
        for item in scalars {
            let text = match item.value {
                Value::String(s) | Value::Number(s) => s,
                Value::Bool(b) => b.to_string(),
                other => {
                    self.wrong_type(
                        item.span,
                        &other,
                        key,
                        "a string, number or boolean, or a list of them",
                    );
                    continue;
                }
            };
            self.check_value(op, key, &text, item.span);
            out.push(Spanned::new(text, item.span));
        }
        (spanned_key, out)
    }

    fn check_value(&mut self, op: Operator, key: &str, text: &str, span: Span) {
        let (ok, expected) = match op.family() {
            Family::String => return,
            Family::Bool => {
                if values::parse_bool(text).is_none() {
                    self.report(
                        Finding::new(
                            Code::InvalidBoolValue,
                            span,
                            format!("`{text}` is not a Bool value for `{key}`"),
                        )
                        .label("expected \"true\" or \"false\"")
                        .help("Bool conditions take \"true\" or \"false\", in lower case"),
                    );
                }
                return;
            }
            Family::Numeric => (values::parse_number(text).is_some(), "a number"),
            Family::Date => (
                values::parse_date(text).is_some(),
                "an ISO 8601 time such as 2019-08-12T17:00:00+08:00",
            ),
            Family::Ip => (
                values::IpNet::parse(text).is_some(),
                "an IP address or CIDR block such as 192.168.0.0/16",
            ),
        };
        if !ok {
            self.report(
                Finding::new(
                    Code::InvalidConditionValue,
                    span,
                    format!("`{text}` is not a valid value for `{}`", op.name()),
                )
                .label(format!("expected {expected}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> PolicyDocument {
        match parse_policy_str(src, &ParseOptions::default()) {
            Ok(doc) => doc,
            Err(e) => panic!("{src}: {e}"),
        }
    }

    fn codes(src: &str) -> Vec<&'static str> {
        read(src)
            .problems()
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    fn stmt(body: &str) -> String {
        format!(r#"{{"Version": "1", "Statement": [{{{body}}}]}}"#)
    }

    const OK: &str = r#""Effect": "Allow", "Action": "odps:GetProject", "Resource": "*""#;

    #[test]
    fn a_complete_policy_reads_cleanly() {
        let doc = read(&stmt(OK));
        assert!(doc.problems().is_empty(), "{:?}", doc.problems());
        assert!(doc.is_valid());
        let s = &doc.statements[0];
        assert_eq!(s.effect.as_ref().map(|e| e.value), Some(Effect::Allow));
        assert_eq!(s.action.as_ref().map(|a| a.items.len()), Some(1));
        assert!(!s.resource.as_ref().is_some_and(|r| r.negated));
    }

    #[test]
    fn statement_may_be_a_single_object() {
        let doc = read(&format!(r#"{{"Version": "1", "Statement": {{{OK}}}}}"#));
        assert!(doc.problems().is_empty());
        assert_eq!(doc.statements.len(), 1);
    }

    #[test]
    fn not_action_and_not_resource_are_negated() {
        let doc = read(&stmt(
            r#""Effect": "Deny", "NotAction": ["odps:Get*"], "NotResource": "acs:odps:*:*:projects/p""#,
        ));
        assert!(doc.problems().is_empty());
        let s = &doc.statements[0];
        assert!(s.action.as_ref().is_some_and(|a| a.negated));
        assert!(s.resource.as_ref().is_some_and(|r| r.negated));
    }

    #[test]
    fn not_an_object() {
        assert_eq!(codes("[]"), ["mcauth::policy::not_an_object"]);
    }

    #[test]
    fn version_problems() {
        assert_eq!(
            codes(r#"{"Statement": [{"Effect":"Allow","Action":"*","Resource":"*"}]}"#),
            ["mcauth::policy::missing_version"]
        );
        assert_eq!(
            codes(&stmt(OK).replace("\"1\"", "1")),
            ["mcauth::policy::invalid_version"]
        );
        assert_eq!(
            codes(&stmt(OK).replace("\"1\"", "\"2012-10-17\"")),
            ["mcauth::policy::invalid_version"]
        );
    }

    #[test]
    fn statement_problems() {
        assert_eq!(
            codes(r#"{"Version": "1"}"#),
            ["mcauth::policy::missing_key"]
        );
        assert_eq!(
            codes(r#"{"Version": "1", "Statement": []}"#),
            ["mcauth::policy::empty_statement"]
        );
        assert_eq!(
            codes(r#"{"Version": "1", "Statement": "x"}"#),
            ["mcauth::policy::wrong_type"]
        );
        assert_eq!(
            codes(r#"{"Version": "1", "Statement": [1]}"#),
            ["mcauth::policy::wrong_type"]
        );
    }

    #[test]
    fn unknown_misspelt_and_duplicate_keys() {
        assert_eq!(
            codes(&stmt(&format!("{OK}, \"Actions\": \"x\""))),
            ["mcauth::policy::misspelt_key"]
        );
        assert_eq!(
            codes(&stmt(&format!("{OK}, \"Frobnicate\": 1"))),
            ["mcauth::policy::unknown_key"]
        );
        assert_eq!(
            codes(&stmt(&format!("{OK}, \"Effect\": \"Deny\""))),
            ["mcauth::policy::duplicate_key"]
        );
        let doc = read(&stmt(&format!("{OK}, \"effect\": \"Deny\"")));
        assert_eq!(
            doc.problems()[0].help.as_deref(),
            Some("did you mean `Effect`?")
        );
        assert_eq!(
            codes(&format!(
                r#"{{"Version": "1", "Versoin": "1", "Statement": [{{{OK}}}]}}"#
            )),
            ["mcauth::policy::misspelt_key"]
        );
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let src = stmt(&format!("{OK}, \"Effect\": \"Deny\""));
        let doc = read(&src);
        let f = &doc.problems()[0];
        assert_eq!(&src[f.span.start..f.span.end], "\"Effect\"");
        assert!(f.span.start > f.related[0].span.start);
        assert_eq!(
            doc.statements[0].effect.as_ref().map(|e| e.value),
            Some(Effect::Allow)
        );
    }

    #[test]
    fn effect_problems() {
        let doc = read(&stmt(
            r#""Effect": "allow", "Action": "*", "Resource": "*""#,
        ));
        assert_eq!(doc.problems()[0].code, Code::InvalidEffect);
        assert!(
            doc.problems()[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("`Allow`"))
        );
        assert_eq!(
            codes(&stmt(
                r#""Effect": "Permit", "Action": "*", "Resource": "*""#
            )),
            ["mcauth::policy::invalid_effect"]
        );
        assert_eq!(
            codes(&stmt(r#""Effect": true, "Action": "*", "Resource": "*""#)),
            ["mcauth::policy::wrong_type"]
        );
        assert_eq!(
            codes(&stmt(r#""Action": "*", "Resource": "*""#)),
            ["mcauth::policy::missing_key"]
        );
    }

    #[test]
    fn action_and_resource_problems() {
        assert_eq!(
            codes(&stmt(r#""Effect": "Allow", "Resource": "*""#)),
            ["mcauth::policy::missing_key"]
        );
        assert_eq!(
            codes(&stmt(r#""Effect": "Allow", "Action": "*""#)),
            ["mcauth::policy::missing_key"]
        );
        assert_eq!(
            codes(&stmt(
                r#""Effect": "Allow", "Action": "*", "NotAction": "x", "Resource": "*""#
            )),
            ["mcauth::policy::conflicting_keys"]
        );
        assert_eq!(
            codes(&stmt(r#""Effect": "Allow", "Action": [], "Resource": "*""#)),
            ["mcauth::policy::empty_value"]
        );
        assert_eq!(
            codes(&stmt(
                r#""Effect": "Allow", "Action": [""], "Resource": "*""#
            )),
            ["mcauth::policy::empty_value"]
        );
        assert_eq!(
            codes(&stmt(
                r#""Effect": "Allow", "Action": [1], "Resource": "*""#
            )),
            ["mcauth::policy::wrong_type"]
        );
        assert_eq!(
            codes(&stmt(r#""Effect": "Allow", "Action": {}, "Resource": "*""#)),
            ["mcauth::policy::wrong_type"]
        );
    }

    #[test]
    fn principal_depends_on_the_dialect() {
        let src = stmt(&format!("{OK}, \"Principal\": \"*\""));
        assert_eq!(codes(&src), ["mcauth::policy::principal_not_allowed"]);
        let project = ParseOptions::dialect(Dialect::Project);
        let doc = parse_policy_str(&src, &project);
        assert!(doc.as_ref().is_ok_and(|d| d.problems().is_empty()));
        let doc = parse_policy_str(&stmt(OK), &project);
        let codes: Vec<_> = doc
            .iter()
            .flat_map(|d| d.problems())
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, [Code::MissingPrincipal]);
        let doc = parse_policy_str(
            &stmt(&format!("{OK}, \"Principal\": {{\"RAM\": [\"RAM$a:b\"]}}")),
            &project,
        );
        let principals = doc
            .ok()
            .and_then(|d| d.statements[0].principal.clone())
            .map(|p| p.items.len());
        assert_eq!(principals, Some(1));
    }

    #[test]
    fn conditions_are_flattened() {
        let doc = read(&stmt(&format!(
            r#"{OK}, "Condition": {{"Bool": {{"odps:Encryption": ["false"]}}, "IpAddress": {{"acs:SourceIp": ["10.0.0.0/8", "192.168.0.1"]}}}}"#
        )));
        assert!(doc.problems().is_empty(), "{:?}", doc.problems());
        let c = &doc.statements[0].conditions;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].operator.value, Operator::Bool);
        assert_eq!(c[1].values.len(), 2);
    }

    #[test]
    fn condition_problems() {
        let cond = |c: &str| codes(&stmt(&format!(r#"{OK}, "Condition": {c}"#)));
        assert_eq!(
            cond(r#"{"StringEqual": {"k": "v"}}"#),
            ["mcauth::policy::unknown_operator"]
        );
        assert_eq!(
            cond(r#"{"Bool": {"odps:Encryption": "True"}}"#),
            ["mcauth::policy::invalid_bool_value"]
        );
        assert_eq!(
            cond(r#"{"Bool": {"odps:Encryption": true}}"#),
            Vec::<&str>::new()
        );
        assert_eq!(
            cond(r#"{"Bool": {"odps:Encryption": [false, "yes"]}}"#),
            ["mcauth::policy::invalid_bool_value"]
        );
        assert_eq!(
            cond(r#"{"NumericLessThan": {"k": "ten"}}"#),
            ["mcauth::policy::invalid_condition_value"]
        );
        assert_eq!(
            cond(r#"{"NumericLessThan": {"k": 10}}"#),
            Vec::<&str>::new()
        );
        assert_eq!(
            cond(r#"{"DateLessThan": {"acs:CurrentTime": "soon"}}"#),
            ["mcauth::policy::invalid_condition_value"]
        );
        assert_eq!(
            cond(r#"{"IpAddress": {"acs:SourceIp": "10.0.0.0/40"}}"#),
            ["mcauth::policy::invalid_condition_value"]
        );
        assert_eq!(
            cond(r#"{"StringEquals": {"k": []}}"#),
            ["mcauth::policy::empty_value"]
        );
        assert_eq!(
            cond(r#"{"StringEquals": {"k": [{}]}}"#),
            ["mcauth::policy::wrong_type"]
        );
        assert_eq!(
            cond(r#"{"StringEquals": {"k": "a", "K": "b"}}"#),
            ["mcauth::policy::duplicate_key"]
        );
        assert_eq!(
            cond(r#"{"StringEquals": {"k": "a"}, "StringEquals": {"j": "b"}}"#),
            ["mcauth::policy::duplicate_key"]
        );
        assert_eq!(
            cond(r#"{"StringEquals": "a"}"#),
            ["mcauth::policy::wrong_type"]
        );
        assert_eq!(cond(r#"[]"#), ["mcauth::policy::wrong_type"]);
    }

    #[test]
    fn syntax_errors_are_findings() {
        let e = parse_policy(b"{\"Version\": ", &ParseOptions::default());
        assert_eq!(
            e.err().map(|f| f.code.as_str()),
            Some("mcauth::policy::json::unexpected_eof")
        );
    }
}
