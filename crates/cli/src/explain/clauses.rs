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

/// The question without its trailing clauses, and the clauses, in any
/// order, each at most once.
pub fn split_clauses(text: &str) -> Result<(&str, Clauses<'_>), String> {
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
    while let [(_, first), _, tail @ ..] = rest {
        let Some((_, value)) = tail.first().filter(|_| {
            tail.len() == 1 || tail.get(1..3).is_some_and(|w| w.len() == 2 && opens(w))
        }) else {
            let clause = if first.eq_ignore_ascii_case("owned") {
                "`owned by` takes one principal"
            } else {
                "`to project` takes one project name"
            };
            return Err(format!(
                "mcauth: {clause} and ends the question or comes before the other clause, {CLAUSES_HELP}"
            ));
        };
        if first.eq_ignore_ascii_case("owned") {
            if clauses.owner.replace(value).is_some() {
                return Err(format!("mcauth: `owned by` is given twice, {CLAUSES_HELP}"));
            }
        } else {
            let to = super::project_name(value).map_err(|e| format!("mcauth: {e}"))?;
            if clauses.to.replace(to).is_some() {
                return Err(format!(
                    "mcauth: `to project` is given twice, {CLAUSES_HELP}"
                ));
            }
        }
        rest = &tail[1..];
    }
    if !rest.is_empty() {
        return Err(format!("mcauth: a clause is not complete, {CLAUSES_HELP}"));
    }
    Ok((text[..words[at].0].trim_end(), clauses))
}

#[cfg(test)]
mod tests {
    use super::{Clauses, split_clauses};

    fn owner(text: &str) -> Result<(&str, Option<&str>), String> {
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
    }
}
