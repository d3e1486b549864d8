//! Expiry times as `show grants` prints them (`2025-01-01T00:00:00+0000`).
//! The engine has no clock: "now" is always handed in.

use crate::state::Expiry;

pub(crate) const DAY: i64 = 86_400;

/// The civil date of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The date and the time of day (hours, minutes, seconds) of a Unix
/// time in seconds, in UTC.
fn civil_time(unix: i64) -> ((i64, u32, u32), (i64, i64, i64)) {
    let secs = unix.rem_euclid(DAY);
    let time = (secs / 3_600, secs % 3_600 / 60, secs % 60);
    (civil_from_days(unix.div_euclid(DAY)), time)
}

/// `YYYY-MM-DDTHH:MM:SS+0000` for a Unix time in seconds.
pub fn iso8601(unix: i64) -> String {
    let ((y, m, d), (hh, mm, ss)) = civil_time(unix);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}+0000")
}

/// RFC 3339 in UTC with milliseconds (`2026-08-05T06:40:00.123Z`) for a
/// Unix time in milliseconds: the emulator's request log.
pub fn rfc3339_millis(unix_millis: i64) -> String {
    let ((y, m, d), (hh, mm, ss)) = civil_time(unix_millis.div_euclid(1_000));
    let millis = unix_millis.rem_euclid(1_000);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{millis:03}Z")
}

/// How an expiry prints: a time, or `P<n>D` when no clock was given.
pub fn expiry_text(e: &Expiry) -> String {
    match e {
        Expiry::At(t) => iso8601(*t),
        Expiry::Days(n) => format!("P{n}D"),
    }
}

/// The expiry `days` from `now`, or the bare day count without a clock.
pub fn expiry_after(days: u32, now: Option<i64>) -> Expiry {
    match now {
        Some(now) => Expiry::At(now.saturating_add(i64::from(days).saturating_mul(DAY))),
        None => Expiry::Days(days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+0000");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+0000");
        assert_eq!(iso8601(1_735_689_599), "2024-12-31T23:59:59+0000");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59+0000");
        // Extreme values do not panic.
        let _ = iso8601(i64::MAX);
        let _ = iso8601(i64::MIN);
    }

    #[test]
    fn expiry_without_a_clock_is_a_duration() {
        assert_eq!(expiry_text(&expiry_after(30, None)), "P30D");
        assert_eq!(
            expiry_text(&expiry_after(1, Some(0))),
            "1970-01-02T00:00:00+0000"
        );
    }
}

#[cfg(test)]
mod rfc3339_tests {
    #[test]
    fn rfc3339_has_a_date_a_time_and_z() {
        assert_eq!(super::rfc3339_millis(1_500), "1970-01-01T00:00:01.500Z");
        assert_eq!(
            super::rfc3339_millis(1_785_909_600_123),
            "2026-08-05T06:00:00.123Z"
        );
    }
}
