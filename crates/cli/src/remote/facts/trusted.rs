//! The trusted projects, from `list trustedprojects`: one project a line.

use mcauth_engine::Change;

use super::text::{ParseError, names};

pub const STATEMENT: &str = "list trustedprojects";

/// The changes that trust every project listed. Names are lower-cased,
/// as `add trustedproject` keeps them.
pub fn parse(text: &str) -> Result<Vec<Change>, ParseError> {
    Ok(names(text, "a project name")?
        .into_iter()
        .map(|name| Change::AddTrustedProject {
            project: name.to_ascii_lowercase(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(changes: &[Change]) -> Vec<&str> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::AddTrustedProject { project } => Some(project.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_project_a_line() {
        assert_eq!(parse(""), Ok(vec![]));
        assert_eq!(parse("\n\n"), Ok(vec![]));
        let changes = parse("a\r\nB$1@x:y/z\n\n").expect("reads");
        assert_eq!(names(&changes), ["a", "b$1@x:y/z"]);
        assert_eq!(parse("a\nnot one").map_err(|e| e.line), Err(2));
    }
}
