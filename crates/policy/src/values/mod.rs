//! Typed condition values: numbers, dates and IP networks, parsed without allocating.

mod date;
mod ip;

pub use date::parse_date;
pub use ip::IpNet;

/// A Numeric condition value: a JSON number or a decimal string.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("nan") || text.contains(['i', 'I', 'n', 'N']) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A Bool condition value: exactly `true` or `false`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("10"), Some(10.0));
        assert_eq!(parse_number("-1.5e2"), Some(-150.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("ten"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn bools_are_exact() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("True"), None);
        assert_eq!(parse_bool("yes"), None);
    }
}
