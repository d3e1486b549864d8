//! Conditions compiled for evaluation: values parsed once, compared without allocating.
//!
//! Semantics, as in RAM (and AWS IAM, which RAM follows):
//! - a condition holds when any request value matches any policy value;
//! - a negated operator (`StringNotEquals`, `NotIpAddress`, ...) holds when no request value
//!   matches any policy value, including when the request lacks the key;
//! - any other operator does not hold when the request lacks the key.

use std::net::IpAddr;

use crate::glob::{Case, Glob};
use crate::model::{Condition, Operator};
use crate::values::{self, IpNet};

/// A condition ready to evaluate.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The operator.
    pub op: Operator,
    /// The key, as written.
    pub key: Box<str>,
    values: Values,
}

#[derive(Debug, Clone)]
enum Values {
    Text(Box<[Box<str>]>),
    Like(Box<[Glob]>),
    Number(Box<[f64]>),
    Date(Box<[i64]>),
    Bool(Box<[bool]>),
    Ip(Box<[IpNet]>),
}

/// Why a condition did not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// The request does not carry the key.
    MissingKey,
    /// The request's values do not satisfy the operator.
    NoMatch,
}

impl Compiled {
    /// Compiles `condition`; values that do not parse for the operator are dropped (the
    /// reader reports them, and documents with errors are not simulated).
    pub fn new(condition: &Condition) -> Compiled {
        use Operator as O;
        let op = condition.operator.value;
        let texts = condition.values.iter().map(|v| v.value.as_str());
        let values = match op {
            O::StringEquals
            | O::StringNotEquals
            | O::StringEqualsIgnoreCase
            | O::StringNotEqualsIgnoreCase => Values::Text(texts.map(Box::from).collect()),
            O::StringLike | O::StringNotLike => {
                Values::Like(texts.map(|t| Glob::new(t, Case::Sensitive)).collect())
            }
            O::NumericEquals
            | O::NumericNotEquals
            | O::NumericLessThan
            | O::NumericLessThanEquals
            | O::NumericGreaterThan
            | O::NumericGreaterThanEquals => {
                Values::Number(texts.filter_map(values::parse_number).collect())
            }
            O::DateEquals
            | O::DateNotEquals
            | O::DateLessThan
            | O::DateLessThanEquals
            | O::DateGreaterThan
            | O::DateGreaterThanEquals => {
                Values::Date(texts.filter_map(values::parse_date).collect())
            }
            O::Bool => Values::Bool(texts.filter_map(values::parse_bool).collect()),
            O::IpAddress | O::NotIpAddress => Values::Ip(texts.filter_map(IpNet::parse).collect()),
        };
        Compiled {
            op,
            key: condition.key.value.as_str().into(),
            values,
        }
    }

    /// Evaluates against the request's values for the key (`None` when absent).
    pub fn eval(&self, request_values: Option<&[String]>) -> Result<(), Miss> {
        let present = request_values.filter(|v| !v.is_empty());
        let Some(given) = present else {
            return if self.op.is_negated() {
                Ok(())
            } else {
                Err(Miss::MissingKey)
            };
        };
        let any = given.iter().any(|v| self.matches(v));
        if any != self.op.is_negated() {
            Ok(())
        } else {
            Err(Miss::NoMatch)
        }
    }

    /// Whether one request value matches one of the policy values, under the operator's
    /// positive form.
    fn matches(&self, given: &str) -> bool {
        use Operator as O;
        match (&self.values, self.op) {
            (Values::Text(p), O::StringEquals | O::StringNotEquals) => {
                p.iter().any(|p| **p == *given)
            }
            (Values::Text(p), _) => p.iter().any(|p| eq_ignore_case(p, given)),
            (Values::Like(p), _) => p.iter().any(|g| g.matches(given)),
            (Values::Number(p), op) => values::parse_number(given)
                .is_some_and(|v| p.iter().any(|p| compare(op, v.total_cmp(p)))),
            (Values::Date(p), op) => {
                values::parse_date(given).is_some_and(|v| p.iter().any(|p| compare(op, v.cmp(p))))
            }
            (Values::Bool(p), _) => {
                let v = if given.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if given.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                };
                v.is_some_and(|v| p.contains(&v))
            }
            (Values::Ip(p), _) => given
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| p.iter().any(|n| n.contains(ip))),
        }
    }
}

/// `given ⟨op⟩ policy` for the Numeric and Date operators, from `given.cmp(policy)`.
fn compare(op: Operator, ord: std::cmp::Ordering) -> bool {
    use Operator as O;
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        O::NumericLessThan | O::DateLessThan => ord == Less,
        O::NumericLessThanEquals | O::DateLessThanEquals => ord != Greater,
        O::NumericGreaterThan | O::DateGreaterThan => ord == Greater,
        O::NumericGreaterThanEquals | O::DateGreaterThanEquals => ord != Less,
        _ => ord == Equal,
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Span, Spanned};

    fn cond(op: Operator, values: &[&str]) -> Compiled {
        Compiled::new(&Condition {
            operator: Spanned::new(op, Span::default()),
            key: Spanned::new("k".to_owned(), Span::default()),
            values: values
                .iter()
                .map(|v| Spanned::new((*v).to_owned(), Span::default()))
                .collect(),
        })
    }

    fn holds(op: Operator, policy: &[&str], given: Option<&[&str]>) -> bool {
        let given: Option<Vec<String>> = given.map(|g| g.iter().map(|s| (*s).to_owned()).collect());
        cond(op, policy).eval(given.as_deref()).is_ok()
    }

    use Operator as O;

    #[test]
    fn strings() {
        assert!(holds(O::StringEquals, &["a", "b"], Some(&["b"])));
        assert!(!holds(O::StringEquals, &["a"], Some(&["A"])));
        assert!(holds(O::StringNotEquals, &["a"], Some(&["c"])));
        assert!(!holds(O::StringNotEquals, &["a"], Some(&["a"])));
        assert!(holds(O::StringEqualsIgnoreCase, &["Abc"], Some(&["aBC"])));
        assert!(holds(
            O::StringEqualsIgnoreCase,
            &["ÉCOLE"],
            Some(&["école"])
        ));
        assert!(!holds(
            O::StringNotEqualsIgnoreCase,
            &["Abc"],
            Some(&["aBC"])
        ));
        assert!(holds(O::StringLike, &["prj_*"], Some(&["prj_1"])));
        assert!(!holds(O::StringLike, &["prj_?"], Some(&["prj_10"])));
        assert!(holds(O::StringNotLike, &["prj_*"], Some(&["dev_1"])));
    }

    #[test]
    fn missing_keys() {
        assert!(!holds(O::StringEquals, &["a"], None));
        assert!(!holds(O::Bool, &["false"], None));
        assert!(!holds(O::IpAddress, &["10.0.0.0/8"], None));
        assert!(holds(O::StringNotEquals, &["a"], None));
        assert!(holds(O::NotIpAddress, &["10.0.0.0/8"], None));
        assert!(holds(O::StringNotLike, &["a"], Some(&[])));
    }

    #[test]
    fn numbers() {
        assert!(holds(O::NumericEquals, &["10"], Some(&["10.0"])));
        assert!(holds(O::NumericNotEquals, &["10"], Some(&["11"])));
        assert!(holds(O::NumericLessThan, &["10"], Some(&["9"])));
        assert!(!holds(O::NumericLessThan, &["10"], Some(&["10"])));
        assert!(holds(O::NumericLessThanEquals, &["10"], Some(&["10"])));
        assert!(holds(O::NumericGreaterThan, &["10"], Some(&["11"])));
        assert!(!holds(O::NumericGreaterThanEquals, &["10"], Some(&["9"])));
        assert!(!holds(O::NumericEquals, &["10"], Some(&["ten"])));
    }

    #[test]
    fn dates() {
        let t = "2024-01-01T00:00:00Z";
        assert!(holds(
            O::DateEquals,
            &[t],
            Some(&["2024-01-01T08:00:00+08:00"])
        ));
        assert!(holds(O::DateNotEquals, &[t], Some(&["2024-01-02"])));
        assert!(holds(
            O::DateLessThan,
            &[t],
            Some(&["2023-12-31T23:59:59Z"])
        ));
        assert!(holds(O::DateLessThanEquals, &[t], Some(&[t])));
        assert!(holds(
            O::DateGreaterThan,
            &[t],
            Some(&["2024-01-01T00:00:01Z"])
        ));
        assert!(!holds(
            O::DateGreaterThanEquals,
            &[t],
            Some(&["2023-01-01"])
        ));
    }

    #[test]
    fn bools_and_ips() {
        assert!(holds(O::Bool, &["false"], Some(&["false"])));
        assert!(holds(O::Bool, &["false"], Some(&["FALSE"])));
        assert!(!holds(O::Bool, &["false"], Some(&["true"])));
        assert!(!holds(O::Bool, &["false"], Some(&["maybe"])));
        assert!(holds(
            O::IpAddress,
            &["10.0.0.0/8", "192.168.1.1"],
            Some(&["192.168.1.1"])
        ));
        assert!(!holds(O::IpAddress, &["10.0.0.0/8"], Some(&["11.0.0.1"])));
        assert!(holds(O::NotIpAddress, &["10.0.0.0/8"], Some(&["11.0.0.1"])));
        assert!(!holds(
            O::NotIpAddress,
            &["10.0.0.0/8"],
            Some(&["10.0.0.1"])
        ));
    }

    #[test]
    fn any_request_value_may_match() {
        assert!(holds(O::StringEquals, &["b"], Some(&["a", "b"])));
        assert!(!holds(O::StringNotEquals, &["b"], Some(&["a", "b"])));
    }
}
