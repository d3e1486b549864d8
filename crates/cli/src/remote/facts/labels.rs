//! Label grants, from `show label grants` (format undocumented; the
//! engine's): `<grantee>\t<resource>\tLabel <level>[\tExpires:<time>]`.
//!
//! The labels set on tables, columns and users (`set label …`) are not
//! shown by any statement, so they are not read; no check reads them
//! (they are kept only to be stored), so knowing the label grants is
//! knowing all that the checks use of [`mcauth_engine::Fact::Labels`].

use mcauth_engine::{Change, LabelGrant, ObjectKind};

use super::text::{ParseError, excerpt, expiry_of, grantee_of, lines, object_of, starts_with_ci};

pub const STATEMENT: &str = "show label grants";

/// A [`Change::AddLabelGrant`] for each line.
pub fn parse(project: &str, text: &str) -> Result<Vec<Change>, ParseError> {
    let mut changes = Vec::new();
    for (n, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |why: String| ParseError::at(n, why);
        let mut fields = line.split('\t').map(str::trim);
        let (Some(grantee), Some(resource), Some(level)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(fail(format!(
                "`{}` is not `<grantee>\\t<resource>\\tLabel <level>`",
                excerpt(line)
            )));
        };
        let grantee = grantee_of(grantee).map_err(fail)?;
        let object = object_of(project, resource).map_err(fail)?;
        if object.kind != ObjectKind::Table {
            return Err(fail(format!(
                "label grants are on tables, not `{}`",
                excerpt(resource)
            )));
        }
        let level = if starts_with_ci(level, "label ") {
            level["label ".len()..].trim()
        } else {
            ""
        };
        if level.is_empty() {
            return Err(fail(format!("`{}` is not `Label <level>`", excerpt(line))));
        }
        let expires = match fields.next() {
            None => None,
            Some(e) if starts_with_ci(e, "expires:") => {
                Some(expiry_of(&e["expires:".len()..]).map_err(fail)?)
            }
            Some(other) => {
                return Err(fail(format!(
                    "`{}` is not `Expires:<time>`",
                    excerpt(other)
                )));
            }
        };
        if let Some(extra) = fields.next() {
            return Err(fail(format!("unexpected `{}`", excerpt(extra))));
        }
        changes.push(Change::AddLabelGrant {
            grantee,
            object,
            grant: LabelGrant {
                level: level.to_owned(),
                expires,
            },
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use mcauth_engine::{Expiry, GranteeId, ObjectRef, PrincipalId, RoleName};

    use super::*;

    #[test]
    fn one_grant_a_line() {
        let text = "user/RAM$a@x.com:bob\tprojects/p/tables/t\tLabel 2\tExpires:1970-01-01T00:00:10+0000\r\n\
            role/Worker\tprojects/p/tables/t/c\tLabel 3\n";
        let changes = parse("p", text).expect("reads");
        assert_eq!(
            changes,
            vec![
                Change::AddLabelGrant {
                    grantee: GranteeId::User(PrincipalId::ram_user("a@x.com", "bob")),
                    object: ObjectRef {
                        kind: ObjectKind::Table,
                        name: "t".into(),
                        column: None,
                        partition: None,
                    },
                    grant: LabelGrant {
                        level: "2".into(),
                        expires: Some(Expiry::At(10))
                    },
                },
                Change::AddLabelGrant {
                    grantee: GranteeId::Role(RoleName::new("worker")),
                    object: ObjectRef {
                        kind: ObjectKind::Table,
                        name: "t".into(),
                        column: Some("c".into()),
                        partition: None,
                    },
                    grant: LabelGrant {
                        level: "3".into(),
                        expires: None
                    },
                },
            ]
        );
        assert_eq!(parse("p", ""), Ok(vec![]));
        assert_eq!(parse("p", "\n"), Ok(vec![]));
    }

    #[test]
    fn odd_lines_are_errors() {
        for text in [
            "user/RAM$a@x.com:bob projects/p/tables/t Label 2",
            "group/g\tprojects/p/tables/t\tLabel 2",
            "role/r\tprojects/p/resources/x\tLabel 2",
            "role/r\tprojects/p/tables/t\tLevel 2",
            "role/r\tprojects/p/tables/t\tLabel ",
            "role/r\tprojects/p/tables/t\tLabel 2\tSoon",
            "role/r\tprojects/p/tables/t\tLabel 2\tExpires:never",
            "role/r\tprojects/p/tables/t\tLabel 2\tExpires:P1D\tmore",
        ] {
            assert!(parse("p", text).is_err(), "{text}");
        }
    }
}
