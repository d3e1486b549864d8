//! Reading a question: `SUBJECT PRIVILEGE[, PRIVILEGE] on TYPE OBJECT
//! [(columns)]`, where SUBJECT is a principal as a statement writes it
//! (`RAM$acct:bob`), `user P`, `role R`, or a bare name that one member
//! (or the owner) goes by (`bob`). The part after the subject is read by
//! the statement parser, as the object of a `grant` is, so objects,
//! patterns and columns are written exactly as in a statement.

use std::fmt;

use mcauth_engine::explain::{Question, Subject};
use mcauth_engine::{ObjectKind, ObjectRef, Privilege, ProjectState, RoleName, StateView};
use mcauth_syntax::ast::StatementKind;

use crate::codes::CliCode;

/// What is wrong with a question, and where (a byte offset into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionError {
    /// No subject, or no `role`/`user` name after the word.
    MissingSubject { at: usize },
    /// A name no member, nor the owner, goes by.
    UnknownName { at: usize, name: String },
    /// A name several members go by.
    AmbiguousName {
        at: usize,
        name: String,
        candidates: Vec<String>,
    },
    /// A principal written with a provider that cannot be read.
    BadPrincipal { at: usize, text: String },
    /// The part after the subject does not read as `PRIVILEGE on TYPE OBJECT`.
    Syntax {
        at: usize,
        message: String,
        help: Option<String>,
    },
    /// A privilege the object's type does not take.
    PrivilegeNotForType {
        at: usize,
        privilege: Privilege,
        kind: ObjectKind,
    },
}

impl QuestionError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        let code = match self {
            QuestionError::MissingSubject { .. } => CliCode::MissingSubject,
            QuestionError::UnknownName { .. } => CliCode::UnknownName,
            QuestionError::AmbiguousName { .. } => CliCode::AmbiguousName,
            QuestionError::BadPrincipal { .. } => CliCode::BadPrincipal,
            QuestionError::Syntax { .. } => CliCode::BadQuestion,
            QuestionError::PrivilegeNotForType { .. } => CliCode::PrivilegeNotForType,
        };
        code.as_str()
    }

    pub fn at(&self) -> usize {
        match self {
            QuestionError::MissingSubject { at }
            | QuestionError::UnknownName { at, .. }
            | QuestionError::AmbiguousName { at, .. }
            | QuestionError::BadPrincipal { at, .. }
            | QuestionError::Syntax { at, .. }
            | QuestionError::PrivilegeNotForType { at, .. } => *at,
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            QuestionError::MissingSubject { .. } => {
                CliCode::MissingSubject.help().unwrap_or_default().to_owned()
            }
            QuestionError::UnknownName { name, .. } => format!(
                "no member of the project goes by `{name}`: write the principal in full, e.g. RAM$<account>:{name}, or `role {name}` for a role"
            ),
            QuestionError::AmbiguousName { candidates, .. } => {
                format!("write one of them in full: {}", candidates.join(", "))
            }
            QuestionError::BadPrincipal { .. } => {
                "write it as in a statement: RAM$acct:bob, ALIYUN$me@example.com, `RAM$acct:role/etl`".to_owned()
            }
            QuestionError::Syntax { help, .. } => help.clone().unwrap_or_else(|| {
                "write PRIVILEGE on TYPE OBJECT [(columns)], e.g. Select on table sales(ssn)".to_owned()
            }),
            QuestionError::PrivilegeNotForType { kind, .. } => {
                let list: Vec<&str> = kind
                    .privileges()
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.as_str())
                    .collect();
                format!("a {kind} takes {}", list.join(", "))
            }
        }
    }
}

impl fmt::Display for QuestionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuestionError::MissingSubject { .. } => {
                f.write_str("the question names no principal or role")
            }
            QuestionError::UnknownName { name, .. } => {
                write!(f, "`{name}` is not a member of the project")
            }
            QuestionError::AmbiguousName {
                name, candidates, ..
            } => {
                write!(f, "`{name}` could be any of {} members", candidates.len())
            }
            QuestionError::BadPrincipal { text, .. } => write!(f, "`{text}` is not a principal"),
            QuestionError::Syntax { message, .. } => f.write_str(message),
            QuestionError::PrivilegeNotForType {
                privilege, kind, ..
            } => {
                write!(f, "{privilege} is not a privilege on a {kind}")
            }
        }
    }
}

/// The next whitespace-separated word at or after `from`: (start, word).
fn word(text: &str, from: usize) -> Option<(usize, &str)> {
    let rest = text.get(from..)?;
    let start = from + (rest.len() - rest.trim_start().len());
    let word = text.get(start..)?.split_whitespace().next()?;
    Some((start, word))
}

/// Reads a question against the project (to resolve short names). One
/// question per privilege and per column named.
pub fn parse(text: &str, state: &ProjectState) -> Result<Vec<Question>, QuestionError> {
    let (subject, rest_at) = subject(text, state)?;
    let (privileges, object) = action(text, rest_at, state.project())?;
    let mut out = Vec::new();
    for privilege in privileges {
        for object in object.iter() {
            out.push(Question::new(subject.clone(), privilege, object.clone()));
        }
    }
    Ok(out)
}

/// The subject and where the rest of the question starts.
pub fn subject(text: &str, state: &ProjectState) -> Result<(Subject, usize), QuestionError> {
    let Some((at, first)) = word(text, 0) else {
        return Err(QuestionError::MissingSubject { at: 0 });
    };
    let end = at + first.len();
    let named = |from: usize| word(text, from).ok_or(QuestionError::MissingSubject { at: from });
    if first.eq_ignore_ascii_case("role") {
        let (at, name) = named(end)?;
        return Ok((Subject::Role(RoleName::new(name)), at + name.len()));
    }
    let (at, name) = if first.eq_ignore_ascii_case("user") {
        named(end)?
    } else {
        (at, first)
    };
    Ok((
        Subject::Principal(principal(name, at, state)?),
        at + name.len(),
    ))
}

/// A principal in full, or a short name one member goes by; `at` is
/// where it starts in the text read, for errors.
pub fn principal(
    name: &str,
    at: usize,
    state: &ProjectState,
) -> Result<mcauth_engine::PrincipalId, QuestionError> {
    let account = state.owner().account().unwrap_or_default().to_owned();
    if name.contains('$') {
        return mcauth_engine::PrincipalId::parse(name, &account).ok_or_else(|| {
            QuestionError::BadPrincipal {
                at,
                text: name.to_owned(),
            }
        });
    }
    let mut everyone = vec![state.owner()];
    everyone.extend(state.members());
    let found: Vec<_> = everyone
        .into_iter()
        .filter(|p| {
            p.short_name().eq_ignore_ascii_case(name) || p.as_str().eq_ignore_ascii_case(name)
        })
        .collect();
    match found.len() {
        1 => Ok(found
            .into_iter()
            .next()
            .cloned()
            .unwrap_or_else(|| unreachable!())),
        0 => Err(QuestionError::UnknownName {
            at,
            name: name.to_owned(),
        }),
        _ => Err(QuestionError::AmbiguousName {
            at,
            name: name.to_owned(),
            candidates: found.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// `PRIVILEGE[, …] on TYPE OBJECT [(columns)]` from `at`: the privileges
/// and one object per column (or the object itself).
pub fn action(
    text: &str,
    at: usize,
    project: &str,
) -> Result<(Vec<Privilege>, Vec<ObjectRef>), QuestionError> {
    let rest = text
        .get(at..)
        .unwrap_or_default()
        .trim_end()
        .trim_end_matches(';');
    const PREFIX: &str = "grant ";
    let statement = format!("{PREFIX}{rest} to role mcauth_question;");
    let syntax = |message: String, offset: usize, help: Option<String>| QuestionError::Syntax {
        at: at + offset.saturating_sub(PREFIX.len()).min(rest.len()),
        message,
        help,
    };
    let parsed =
        mcauth_syntax::parse_statement(&statement).map_err(|errors| match errors.first() {
            Some(e) => syntax(e.message.clone(), e.span.start, e.help.clone()),
            None => syntax("the question does not read".to_owned(), PREFIX.len(), None),
        })?;
    let StatementKind::GrantPrivileges {
        privileges, object, ..
    } = parsed.kind
    else {
        return Err(syntax(
            "the question does not read as PRIVILEGE on TYPE OBJECT".to_owned(),
            PREFIX.len(),
            None,
        ));
    };
    let kind = object.object_type;
    let mut out = Vec::new();
    let mut columns: Vec<String> = object
        .columns
        .iter()
        .flatten()
        .map(|c| c.value.to_ascii_lowercase())
        .collect();
    for p in &privileges {
        let offset = p.name.span.start;
        let Some(privilege) = Privilege::from_name(&p.name.value) else {
            let guess = mcauth_syntax::did_you_mean(
                &p.name.value,
                Privilege::ALL.iter().map(|p| p.as_str()),
            );
            return Err(syntax(
                format!("`{}` is not a privilege", p.name.value),
                offset,
                guess.map(|g| format!("did you mean `{g}`?")),
            ));
        };
        if !kind.allows(privilege) {
            return Err(QuestionError::PrivilegeNotForType {
                at: at + offset.saturating_sub(PREFIX.len()),
                privilege,
                kind,
            });
        }
        columns.extend(
            p.columns
                .iter()
                .flatten()
                .map(|c| c.value.to_ascii_lowercase()),
        );
        out.push(privilege);
    }
    let mut name = kind.normalise_name(&object.name.value);
    if kind == ObjectKind::Project {
        name = project.to_owned();
    } else if let Some(local) = name
        .strip_prefix(&project.to_ascii_lowercase())
        .and_then(|n| n.strip_prefix('.'))
    {
        name = local.to_owned();
    }
    let objects = if columns.is_empty() {
        vec![ObjectRef::new(kind, name)]
    } else {
        columns
            .into_iter()
            .map(|c| ObjectRef::column(kind, name.clone(), c))
            .collect()
    };
    Ok((out, objects))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_engine::PrincipalId;

    fn project() -> ProjectState {
        let mut s = ProjectState::new("p", PrincipalId::aliyun("acct"));
        for change in [
            mcauth_engine::Change::AddMember {
                principal: PrincipalId::ram_user("acct", "bob"),
            },
            mcauth_engine::Change::AddMember {
                principal: PrincipalId::ram_user("other", "bob"),
            },
            mcauth_engine::Change::AddMember {
                principal: PrincipalId::ram_user("acct", "alice"),
            },
        ] {
            mcauth_engine::apply(&mut s, &change);
        }
        s
    }

    #[test]
    fn questions_read_like_grants() {
        let s = project();
        let q = parse("alice Select on table Sales(ssn, Name)", &s).expect("reads");
        assert_eq!(q.len(), 2);
        assert_eq!(
            q[0].subject,
            Subject::Principal(PrincipalId::ram_user("acct", "alice"))
        );
        assert_eq!(
            q[1].object,
            ObjectRef::column(ObjectKind::Table, "sales", "name")
        );
        let q = parse("role analyst Describe, Select on table sales_*", &s).expect("reads");
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].subject, Subject::Role(RoleName::new("analyst")));
        let q = parse("RAM$bob CreateTable on project p", &s).expect("reads");
        assert_eq!(
            q[0].subject,
            Subject::Principal(PrincipalId::ram_user("acct", "bob"))
        );
        assert_eq!(q[0].object, ObjectRef::new(ObjectKind::Project, "p"));
        assert_eq!(
            parse("alice Select on table p.sales", &s).expect("reads")[0]
                .object
                .name,
            "sales"
        );
    }

    #[test]
    fn bad_questions_say_where_and_how_to_fix() {
        let s = project();
        let e = parse("bob Select on table t", &s).unwrap_err();
        assert_eq!(e.code(), "mcauth::explain::ambiguous_name");
        assert!(e.help().contains("RAM$other:bob"), "{}", e.help());
        let e = parse("carol Select on table t", &s).unwrap_err();
        assert_eq!((e.code(), e.at()), ("mcauth::explain::unknown_name", 0));
        let e = parse("alice Selct on table t", &s).unwrap_err();
        assert_eq!(e.at(), 6, "{e}");
        assert_eq!(e.help(), "did you mean `Select`?");
        let e = parse("alice Select on project p", &s).unwrap_err();
        assert_eq!(e.code(), "mcauth::explain::privilege_not_for_type");
        assert_eq!(e.at(), 6);
        let e = parse("alice Select table t", &s).unwrap_err();
        assert_eq!(e.code(), "mcauth::explain::bad_question");
        assert!(parse("", &s).is_err());
        assert!(parse("role", &s).is_err());
    }
}
