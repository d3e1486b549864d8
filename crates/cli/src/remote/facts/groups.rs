//! The groups, from `list groups` and `list tenant groups`: one name a
//! line, as the engine prints them (groups have no documented output
//! format; this is the emulator's, which is the engine's).
//!
//! The listing shows names only, so a group read back has no comment:
//! nothing mcauth checks reads a group's comment, and groups are not
//! exported.

use mcauth_engine::{Change, Group};

use super::text::{ParseError, names};

pub const PROJECT: &str = "list groups";
pub const TENANT: &str = "list tenant groups";

/// The changes that add every group listed, as project groups or as
/// tenant groups. Names are lower-cased, as `add group` keeps them.
pub fn parse(tenant: bool, text: &str) -> Result<Vec<Change>, ParseError> {
    Ok(names(text, "a group name")?
        .into_iter()
        .map(|name| Change::AddGroup {
            group: Group {
                tenant,
                name: name.to_ascii_lowercase(),
            },
            comment: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(changes: &[Change]) -> Vec<(bool, &str)> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::AddGroup { group, comment } => {
                    assert_eq!(comment, &None);
                    Some((group.tenant, group.name.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_group_a_line() {
        assert_eq!(parse(false, ""), Ok(vec![]));
        assert_eq!(parse(true, "\r\n\n"), Ok(vec![]));
        let changes = parse(false, "data_team\r\nReviewers$1\n\n").expect("reads");
        assert_eq!(
            groups(&changes),
            [(false, "data_team"), (false, "reviewers$1")]
        );
        let changes = parse(true, "ops\n").expect("reads");
        assert_eq!(groups(&changes), [(true, "ops")]);
    }

    #[test]
    fn a_line_that_is_no_name_is_an_error() {
        assert_eq!(parse(false, "a\nnot one").map_err(|e| e.line), Err(2));
        let e = parse(true, "x y").expect_err("two words");
        assert!(e.message.contains("`x y`"), "{}", e.message);
    }
}
