//! RAM's condition operators.

use serde::Serialize;

/// The type of value an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// String* operators.
    String,
    /// Numeric* operators.
    Numeric,
    /// Date* operators.
    Date,
    /// Bool.
    Bool,
    /// IpAddress and NotIpAddress.
    Ip,
}

macro_rules! operators {
    ($($name:ident => $family:ident, $negated:literal;)*) => {
        /// A condition operator.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Operator {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl Operator {
            /// Every operator, in RAM's documentation order.
            pub const ALL: &'static [Operator] = &[$(Operator::$name),*];

            /// The operator as written in policies.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Operator::$name => stringify!($name),)*
                }
            }

            /// The type of value it compares.
            pub const fn family(self) -> Family {
                match self {
                    $(Operator::$name => Family::$family,)*
                }
            }

            /// Whether it holds when no value matches (`...Not...` operators). A negated
            /// operator also holds when the request lacks the key.
            pub const fn is_negated(self) -> bool {
                match self {
                    $(Operator::$name => $negated,)*
                }
            }
        }
    };
}

operators! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
}

impl Operator {
    /// The operator spelt exactly `name`.
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.iter().copied().find(|op| op.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_twenty_one_operators_round_trip() {
        assert_eq!(Operator::ALL.len(), 21);
        for op in Operator::ALL {
            assert_eq!(Operator::from_name(op.name()), Some(*op));
        }
        assert_eq!(Operator::from_name("bool"), None);
    }

    #[test]
    fn families_and_negation() {
        assert_eq!(Operator::Bool.family(), Family::Bool);
        assert_eq!(Operator::NotIpAddress.family(), Family::Ip);
        assert!(Operator::StringNotLike.is_negated());
        assert!(Operator::DateNotEquals.is_negated());
        assert!(!Operator::NumericLessThan.is_negated());
    }
}
