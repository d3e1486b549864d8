//! A question's trailing clauses, at the prompt (`why …;`) and in `mcauth
//! test` files, where flags cannot be written: `owned by PRINCIPAL` (for
//! `--owner`: `--` starts a comment there) and `to project PROJECT` (for
//! `--to-project`).

/// A question's trailing clauses: `owned by PRINCIPAL` (the prompt's
/// spelling of `--owner`: `--` starts a comment there) and `to project
/// PROJECT` (`--to-project`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Clauses<'a> {
    /// `owned by PRINCIPAL`, as written.
    pub owner: Option<&'a str>,
    /// `to project PROJECT`, lower-cased.
    pub to: Option<String>,
}

const CLAUSES_HELP: &str = "e.g. `why bob Select on table sales owned by RAM$acct:amy;` or `why bob Select on table sales to project partner;`";

/// A clause that does not read: where it starts (a byte offset into the
/// text given) and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct ClauseError {
    /// Where the clause starts.
    pub at: usize,
    /// What is wrong, with an example of the clauses.
    pub message: String,
}

impl ClauseError {
    /// `TEXT:1:COL: error[…]: …`, the text with a marker under the clause,
    /// and the fix, as a question's problems are shown.
    pub fn describe(&self, name: &str, text: &str) -> String {
        let code = crate::codes::CliCode::BadClause;
        let col = text.get(..self.at).map_or(1, |t| t.chars().count() + 1);
        format!(
            "{name}:1:{col}: error[{}]: {}\n  {text}\n  {}^\n  help: {}",
            code.as_str(),
            self.message,
            " ".repeat(col - 1),
            code.help().unwrap_or_default()
        )
    }
}

/// The question without its trailing clauses, and the clauses, in any
/// order, each at most once.
pub fn split_clauses(text: &str) -> Result<(&str, Clauses<'_>), ClauseError> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let opens = |w: &[(usize, &str)]| {
        (w[0].1.eq_ignore_ascii_case("owned") && w[1].1.eq_ignore_ascii_case("by"))
            || (w[0].1.eq_ignore_ascii_case("to") && w[1].1.eq_ignore_ascii_case("project"))
    };
    let Some(at) = words.windows(2).position(opens) else {
        return Ok((text, Clauses::default()));
    };
    let mut clauses = Clauses::default();
    let mut rest = &words[at..];
    while let [(start, first), _, tail @ ..] = rest {
        let fail = |why: String| ClauseError {
            at: *start,
            message: format!("{why}, {CLAUSES_HELP}"),
        };
        let Some((_, value)) = tail.first().filter(|_| {
            tail.len() == 1 || tail.get(1..3).is_some_and(|w| w.len() == 2 && opens(w))
        }) else {
            let clause = if first.eq_ignore_ascii_case("owned") {
                "`owned by` takes one principal"
            } else {
                "`to project` takes one project name"
            };
            return Err(fail(format!(
                "{clause} and ends the question or comes before the other clause"
            )));
        };
        if first.eq_ignore_ascii_case("owned") {
            if clauses.owner.replace(value).is_some() {
                return Err(fail("`owned by` is given twice".to_owned()));
            }
        } else {
            let to = super::project_name(value).map_err(&fail)?;
            if clauses.to.replace(to).is_some() {
                return Err(fail("`to project` is given twice".to_owned()));
            }
        }
        rest = &tail[1..];
    }
    if let Some((start, _)) = rest.first() {
        return Err(ClauseError {
            at: *start,
            message: format!("a clause is not complete, {CLAUSES_HELP}"),
        });
    }
    Ok((text[..words[at].0].trim_end(), clauses))
}

#[cfg(test)]
mod tests {
    use super::{Clauses, split_clauses};

    fn owner(text: &str) -> Result<(&str, Option<&str>), super::ClauseError> {
        split_clauses(text).map(|(q, c)| (q, c.owner))
    }

    #[test]
    fn owner_is_taken_off_the_end_of_a_question() {
        assert_eq!(
            owner("bob Select on table t owned by amy"),
            Ok(("bob Select on table t", Some("amy")))
        );
        assert_eq!(
            owner("bob Select on table t OWNED BY RAM$a:amy"),
            Ok(("bob Select on table t", Some("RAM$a:amy")))
        );
        assert_eq!(
            owner("bob Select on table t"),
            Ok(("bob Select on table t", None))
        );
        // A table named `owned` is not the phrase.
        assert_eq!(
            owner("bob Select on table owned"),
            Ok(("bob Select on table owned", None))
        );
        assert!(owner("bob Select on table t owned by").is_err());
        assert!(owner("bob Select owned by amy on table t").is_err());
    }

    #[test]
    fn the_project_the_data_goes_to_is_a_clause_too() {
        assert_eq!(
            split_clauses("bob Select on table t to project Partner"),
            Ok((
                "bob Select on table t",
                Clauses {
                    owner: None,
                    to: Some("partner".into())
                }
            ))
        );
        assert_eq!(
            split_clauses("bob Select on table t to project p owned by amy"),
            Ok((
                "bob Select on table t",
                Clauses {
                    owner: Some("amy"),
                    to: Some("p".into())
                }
            ))
        );
        assert!(split_clauses("bob Select on table t to project a/b").is_err());
        assert!(split_clauses("bob Select on table t to project p to project q").is_err());
        assert!(split_clauses("bob Select on table t to project").is_err());
        assert!(split_clauses("bob Select on table t to project p extra").is_err());
        // The error points at the clause.
        let text = "bob Select on table t owned by";
        let e = split_clauses(text).expect_err("incomplete");
        assert_eq!(&text[e.at..], "owned by");
        assert!(e.describe("<stdin>", text).starts_with(
            "<stdin>:1:23: error[mcauth::explain::bad_clause]: `owned by` takes one principal"
        ));
    }
}
