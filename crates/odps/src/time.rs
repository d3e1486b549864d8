//! Small date helpers: the RFC 1123 `Date` header and the V4 scope date.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `Wed, 05 Aug 2026 06:00:00 GMT` for the given instant.
pub fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

/// Parses a `Date` header (IMF-fixdate; the obsolete RFC 850 and asctime
/// forms are accepted too). `None` when it is not a date.
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(value.trim()).ok()
}

/// The UTC calendar date of `at` as `yyyymmdd` (the V4 credential scope date).
/// Instants before 1970 are clamped to 1970-01-01.
pub fn scope_date(at: SystemTime) -> String {
    let secs = at
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day)
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

/// The absolute difference between two instants.
pub fn abs_diff(a: SystemTime, b: SystemTime) -> Duration {
    match a.duration_since(b) {
        Ok(d) => d,
        Err(e) => e.duration(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn formats_and_parses_the_vector_date() {
        // 2026-08-05T06:00:00Z
        let t = at(1_785_909_600);
        assert_eq!(http_date(t), "Wed, 05 Aug 2026 06:00:00 GMT");
        assert_eq!(parse_http_date("Wed, 05 Aug 2026 06:00:00 GMT"), Some(t));
        assert_eq!(scope_date(t), "20260805");
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn scope_date_rolls_over_at_utc_midnight() {
        assert_eq!(scope_date(at(1_785_974_399)), "20260805");
        assert_eq!(scope_date(at(1_785_974_400)), "20260806");
        assert_eq!(scope_date(at(0)), "19700101");
        // Leap day.
        assert_eq!(scope_date(at(951_782_400)), "20000229");
    }

    #[test]
    fn abs_diff_is_symmetric() {
        assert_eq!(abs_diff(at(10), at(4)), Duration::from_secs(6));
        assert_eq!(abs_diff(at(4), at(10)), Duration::from_secs(6));
    }
}
