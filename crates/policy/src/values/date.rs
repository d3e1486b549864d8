//! ISO 8601 times as milliseconds since the Unix epoch.

/// Parses `2019-08-12`, `2019-08-12T17:00:00Z`, `2019-08-12T17:00:00.5+08:00` and the like,
/// or a whole number of seconds since the epoch. A time without an offset is UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        let secs: i64 = text.trim().parse().ok()?;
        return secs.checked_mul(1000);
    }
    let mut cur = Cursor { b, i: 0 };
    let year = cur.digits(4)?;
    cur.byte(b'-')?;
    let month = cur.digits(2)?;
    cur.byte(b'-')?;
    let day = cur.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if cur.done() {
        return Some(millis);
    }
    if !matches!(cur.next(), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = cur.digits(2)?;
    cur.byte(b':')?;
    let minute = cur.digits(2)?;
    let mut second = 0;
    let mut fraction = 0;
    if cur.peek() == Some(b':') {
        cur.byte(b':')?;
        second = cur.digits(2)?;
        if cur.peek() == Some(b'.') {
            cur.byte(b'.')?;
            fraction = cur.fraction_millis()?;
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    millis += ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
    let offset = match cur.next() {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let h = cur.digits(2)?;
            if cur.peek() == Some(b':') {
                cur.byte(b':')?;
            }
            let m = cur.digits(2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if sign == b'+' { minutes } else { -minutes }
        }
        Some(_) => return None,
    };
    if !cur.done() {
        return None;
    }
    Some(millis - offset * 60_000)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn done(&self) -> bool {
        self.i >= self.b.len()
    }

    fn byte(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    fn digits(&mut self, n: usize) -> Option<i64> {
        let mut v = 0;
        for _ in 0..n {
            let c = self.next()?;
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    }

    /// Fractional seconds, truncated to milliseconds.
    fn fraction_millis(&mut self) -> Option<i64> {
        let mut v = 0;
        let mut n = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            self.i += 1;
            if n < 3 {
                v = v * 10 + i64::from(c - b'0');
            }
            n += 1;
        }
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            v *= 10;
        }
        Some(v)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some(86_400_000));
        assert_eq!(
            parse_date("2019-08-12T17:00:00+08:00"),
            parse_date("2019-08-12T09:00:00Z")
        );
        assert_eq!(
            parse_date("2000-02-29T00:00:00.250Z"),
            Some(951_782_400_250)
        );
        assert_eq!(parse_date("1565600400"), Some(1_565_600_400_000));
        assert_eq!(
            parse_date("2019-08-12T17:00"),
            parse_date("2019-08-12T17:00:00Z")
        );
    }

    #[test]
    fn nonsense_is_rejected() {
        for bad in [
            "",
            "2019-08",
            "2019-13-01",
            "2019-02-30",
            "2019-08-12T25:00:00Z",
            "2019-08-12X",
            "2019-08-12T10:00:00+0",
            "tomorrow",
            "2019-08-12T10:00:00Zjunk",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
