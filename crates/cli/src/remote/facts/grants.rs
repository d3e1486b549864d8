//! The ACL and policy grants of one grantee, from the text of `show
//! grants for <user>` or `show grants for [tenant] role <r>` (also
//! `describe role`'s, whose lines stand in no `[…]` block):
//!
//! ```text
//! [roles]
//! worker
//!
//! Authorization Type: ACL
//! [role/worker]
//! A       projects/p/tables/t: Select
//! [user/RAM$a@x.com:bob]
//! A       projects/p: CreateTable | List
//! AC      projects/p/tables/t/c: Select<TAB>Expires:2025-01-01T00:00:00+0000
//!
//! Authorization Type: Policy
//! [role/worker]
//! D       projects/p/tables/tb_*: Drop
//! ```
//!
//! (`<TAB>` is a tab.) Only the grantee's own block counts: a user's
//! answer also prints the grants of its roles, which are theirs. `A`/`D` is allow/deny (deny in
//! a policy only), `C` says the grant has a condition. The text does not
//! show a condition, so a `C` grant is read with
//! [`CONDITIONS_NOT_SHOWN`], which equals no condition a statement
//! writes: a re-grant with any condition is then sent, never judged to
//! change nothing. Sections of other types (odpscmd's `ObjectCreator`,
//! which lists the implicit rights of an object's creator) hold no grant
//! and are passed over.

use mcauth_engine::{Change, GrantKey, GrantKind, GrantProps, GranteeId, PrincipalClass};

use super::text::{
    ParseError, excerpt, expiry_of, grantee_of, lines, object_of, privileges_of, starts_with_ci,
};

/// The conditions of a grant whose line is marked `C`: MaxCompute's text
/// does not print them.
pub const CONDITIONS_NOT_SHOWN: &str = "(a condition MaxCompute's text does not show)";

/// The statement that shows the grants of `grantee`.
pub fn statement(grantee: &GranteeId) -> String {
    match grantee {
        GranteeId::User(p) => format!("show grants for {}", p.to_statement_text()),
        GranteeId::Role(r) => format!("show grants for role {r}"),
        GranteeId::TenantRole(r) => format!("show grants for tenant role {r}"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any header.
    Start,
    /// `[roles]` or `[users]`: one name a line, until a blank line.
    Names,
    Acl,
    Policy,
    /// A section of another type: no grants.
    Other,
}

/// Whether a `[…]` block is the grantee's own.
fn is_own(block: &str, own: &GranteeId) -> bool {
    match (grantee_of(block), own) {
        (Ok(g), _) if &g == own => true,
        // Older answers name an Alibaba Cloud account without its
        // provider: `[user/odpstest1@aliyun.com]`.
        (Ok(GranteeId::User(p)), GranteeId::User(o)) => {
            p.class() == PrincipalClass::Other
                && o.class() == PrincipalClass::Aliyun
                && p.as_str().eq_ignore_ascii_case(o.short_name())
        }
        _ => false,
    }
}

/// The changes that give `own` the grants an answer shows. `Ok(None)`:
/// the answer is the owner's (`projects/p: Project Owner`), which lists
/// no grants.
pub fn parse(
    project: &str,
    own: &GranteeId,
    text: &str,
) -> Result<Option<Vec<Change>>, ParseError> {
    // A role's own answer may print its lines without a block.
    let bare_lines_are_own = !matches!(own, GranteeId::User(_));
    let mut section = Section::Start;
    // `Some(true)`: in the grantee's own block.
    let mut block: Option<bool> = None;
    let mut changes = Vec::new();
    for (n, raw) in lines(text) {
        let line = raw.trim();
        if line.is_empty() {
            if section == Section::Names {
                section = Section::Start;
            }
            continue;
        }
        if starts_with_ci(line, "authorization type:") {
            let t = line["authorization type:".len()..].trim();
            section = if t.eq_ignore_ascii_case("acl") {
                Section::Acl
            } else if t.eq_ignore_ascii_case("policy") {
                Section::Policy
            } else {
                Section::Other
            };
            block = None;
            continue;
        }
        let bracketed = line
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .map(str::trim);
        match (section, bracketed) {
            (Section::Start | Section::Names, Some(h))
                if h.eq_ignore_ascii_case("roles") || h.eq_ignore_ascii_case("users") =>
            {
                section = Section::Names;
            }
            (Section::Names | Section::Other, _) => {}
            (Section::Acl | Section::Policy, Some(b)) => block = Some(is_own(b, own)),
            (Section::Acl | Section::Policy, None) => {
                let mine = block.unwrap_or(bare_lines_are_own);
                if block.is_none() && !mine {
                    return Err(ParseError::at(
                        n,
                        format!("a grant outside any [grantee] block: `{}`", excerpt(line)),
                    ));
                }
                if mine {
                    let policy = section == Section::Policy;
                    grant_line(project, own, policy, line, &mut changes)
                        .map_err(|m| ParseError::at(n, m))?;
                }
            }
            // The owner's answer: `[ALIYUN$x]` then `projects/p: Project Owner`.
            (Section::Start, Some(_)) => {}
            (Section::Start, None) if line.ends_with(": Project Owner") => return Ok(None),
            (Section::Start, None) => {
                return Err(ParseError::at(
                    n,
                    format!(
                        "expected [roles] or Authorization Type:, not `{}`",
                        excerpt(line)
                    ),
                ));
            }
        }
    }
    Ok(Some(changes))
}

/// `AC      projects/p/tables/t: Select | Describe<TAB>Expires:…`.
fn grant_line(
    project: &str,
    own: &GranteeId,
    policy: bool,
    line: &str,
    changes: &mut Vec<Change>,
) -> Result<(), String> {
    let (marker, body) = line
        .split_once(char::is_whitespace)
        .ok_or_else(|| format!("`{}` is not a grant line", excerpt(line)))?;
    let body = body.trim_start();
    let mut flags = marker.chars();
    let allow = match flags.next() {
        Some('A') => true,
        Some('D') if policy => false,
        _ => {
            return Err(format!(
                "marker `{}` is not A, D, AC or DC",
                excerpt(marker)
            ));
        }
    };
    let conditions = match (flags.next(), flags.next()) {
        (None, _) => None,
        (Some('C'), None) => Some(CONDITIONS_NOT_SHOWN.to_owned()),
        _ => {
            return Err(format!(
                "marker `{}` is not A, D, AC or DC",
                excerpt(marker)
            ));
        }
    };
    // The expiry follows the privileges after white space.
    let (main, expires) = match body.rfind("Expires:") {
        Some(i) if body[..i].ends_with(char::is_whitespace) => (
            body[..i].trim_end(),
            Some(expiry_of(&body[i + "Expires:".len()..])?),
        ),
        _ => (body, None),
    };
    let (resource, privileges) = main
        .rsplit_once(": ")
        .ok_or_else(|| format!("`{}` has no `: ` before its privileges", excerpt(main)))?;
    let object = object_of(project, resource.trim())?;
    let kind = if policy {
        GrantKind::Policy { allow }
    } else {
        GrantKind::Acl
    };
    let props = GrantProps {
        conditions,
        expires,
    };
    for privilege in privileges_of(privileges)? {
        changes.push(Change::AddAclGrant {
            grantee: own.clone(),
            grant: GrantKey {
                object: object.clone(),
                privilege,
                kind,
            },
            props: props.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use mcauth_engine::{Expiry, ObjectKind, ObjectRef, PrincipalId, Privilege, RoleName};

    use super::*;

    fn bob() -> GranteeId {
        GranteeId::User(PrincipalId::ram_user("a@x.com", "bob"))
    }

    fn keys(changes: &[Change]) -> Vec<(String, Privilege, GrantKind, GrantProps)> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::AddAclGrant { grant, props, .. } => Some((
                    grant.object.resource("p"),
                    grant.privilege,
                    grant.kind,
                    props.clone(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_user_reads_only_its_own_blocks() {
        let text = "[roles]\nworker\nAuthorization Type: ACL\n\n\
            [role/worker]\n\
            A       projects/p/tables/t: Select\n\
            [user/RAM$A@X.com:Bob]\n\
            A       projects/p: CreateTable | List\n\
            AC      projects/p/tables/t/c: Select\tExpires:1970-01-02T00:00:00+0000\n\n\
            Authorization Type: Policy\n\
            [role/worker]\n\
            D       projects/p/tables/tb_*: Drop\n\
            Authorization Type: ObjectCreator\n\
            AG      projects/p/tables/t6: All\n";
        let changes = parse("p", &bob(), text).expect("reads").expect("grants");
        let acl = GrantKind::Acl;
        let none = GrantProps::default();
        assert_eq!(
            keys(&changes),
            vec![
                (
                    "projects/p".into(),
                    Privilege::CreateTable,
                    acl,
                    none.clone()
                ),
                ("projects/p".into(), Privilege::List, acl, none),
                (
                    "projects/p/tables/t/c".into(),
                    Privilege::Select,
                    acl,
                    GrantProps {
                        conditions: Some(CONDITIONS_NOT_SHOWN.into()),
                        expires: Some(Expiry::At(86_400)),
                    }
                ),
            ]
        );
        assert!(changes.iter().all(|c| matches!(c,
            Change::AddAclGrant { grantee, .. } if grantee == &bob())));
    }

    #[test]
    fn a_role_reads_its_block_or_bare_lines_in_any_case() {
        let role = GranteeId::Role(RoleName::new("Worker"));
        let blocks = "Authorization Type: Policy\r\n[role/WORKER]\r\nDC      projects/p/tables/t: Drop | Select\tExpires:P3D\r\n";
        let changes = parse("p", &role, blocks).expect("reads").expect("grants");
        assert_eq!(
            keys(&changes)
                .iter()
                .map(|(_, p, k, props)| (*p, *k, props.expires))
                .collect::<Vec<_>>(),
            vec![
                (
                    Privilege::Drop,
                    GrantKind::Policy { allow: false },
                    Some(Expiry::Days(3))
                ),
                (
                    Privilege::Select,
                    GrantKind::Policy { allow: false },
                    Some(Expiry::Days(3))
                ),
            ]
        );
        // `describe role`: users, then lines without blocks.
        let describe = "[users]\nRAM$a:b\n\nAuthorization Type: ACL\nA       projects/p/registration/functions/f$1: Execute\n";
        let changes = parse("p", &role, describe).expect("reads").expect("grants");
        match changes.as_slice() {
            [Change::AddAclGrant { grant, .. }] => assert_eq!(
                grant.object,
                ObjectRef {
                    kind: ObjectKind::Function,
                    name: "f$1".into(),
                    column: None,
                    partition: None,
                }
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_answers_and_the_owner() {
        assert_eq!(parse("p", &bob(), "[roles]"), Ok(Some(vec![])));
        assert_eq!(parse("p", &bob(), "[roles]\n\n"), Ok(Some(vec![])));
        assert_eq!(parse("p", &bob(), ""), Ok(Some(vec![])));
        let role = GranteeId::Role(RoleName::new("r"));
        assert_eq!(parse("p", &role, "\n"), Ok(Some(vec![])));
        let owner = GranteeId::User(PrincipalId::aliyun("o@x.com"));
        assert_eq!(
            parse("p", &owner, "[ALIYUN$o@x.com]\nprojects/p: Project Owner"),
            Ok(None)
        );
        // An old answer names the account without its provider.
        let text = "Authorization Type: ACL\n[user/o@x.com]\nA       projects/p: List";
        assert_eq!(
            parse("p", &owner, text).map(|c| c.map(|c| c.len())),
            Ok(Some(1))
        );
    }

    #[test]
    fn unexpected_text_is_an_error_that_names_the_line() {
        let cases = [
            ("hello", 1),
            ("Authorization Type: ACL\nA       projects/p: List", 2),
            (
                "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nD       projects/p: List",
                3,
            ),
            (
                "Authorization Type: Policy\n[user/RAM$a@x.com:bob]\nAG      projects/p: List",
                3,
            ),
            (
                "Authorization Type: Policy\n[user/RAM$a@x.com:bob]\nACX     projects/p: List",
                3,
            ),
            (
                "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA       projects/p: Create* | List",
                3,
            ),
            (
                "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA       projects/q: List",
                3,
            ),
            (
                "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA       projects/p List",
                3,
            ),
            ("Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA", 3),
            (
                "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA       projects/p: List\tExpires:soon",
                3,
            ),
        ];
        for (text, line) in cases {
            let e = parse("p", &bob(), text).expect_err(text);
            assert_eq!(e.line, line, "{text}: {}", e.message);
        }
        // Another grantee's odd lines are not read at all.
        let text = "Authorization Type: ACL\n[role/w]\nA       projects/p: Create*";
        assert_eq!(parse("p", &bob(), text), Ok(Some(vec![])));
    }

    #[test]
    fn a_huge_line_is_read_in_one_pass() {
        let name = "x".repeat(1 << 20);
        let text = format!(
            "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA       projects/p/resources/{name}: Read | Write"
        );
        let changes = parse("p", &bob(), &text).expect("reads").expect("grants");
        assert_eq!(changes.len(), 2);
        let junk = format!(
            "Authorization Type: ACL\n[user/RAM$a@x.com:bob]\nA {}",
            ": ".repeat(1 << 20)
        );
        let e = parse("p", &bob(), &junk).expect_err("junk");
        assert!(e.message.len() < 400, "{}", e.message.len());
    }
}
