//! UTC calendar arithmetic for maintenance windows: RFC 3339 instants, weekdays and
//! `HH:MM` times of day, without a date-time dependency.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds in a day (UTC has no leap seconds as Unix time counts it).
pub(crate) const DAY_SECS: u64 = 86_400;

/// The weekday words, Monday first, as written in `days = [...]`.
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Monday = 0 … Sunday = 6, for a day counted from 1970-01-01 (a Thursday).
pub(crate) fn weekday(days: i64) -> usize {
    // rem_euclid(7) is within 0..7, so the cast cannot truncate.
    (days + 3).rem_euclid(7) as usize
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `2025-06-01T02:00:00Z` or `2025-06-01 02:00:00.250+02:00` (seconds and
/// fractions optional; a fraction is kept to the nanosecond); the error says why in a few
/// words.
pub(crate) fn parse_rfc3339(text: &str) -> Result<SystemTime, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let shape = "expected a date and time like 2025-06-01T02:00:00Z";
    if bytes.len() < 16 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(shape.to_string());
    }
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(shape.to_string());
    };
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) || bytes.get(13) != Some(&b':') {
        return Err(shape.to_string());
    }
    let (Some(hour), Some(minute)) = (number(11..13), number(14..16)) else {
        return Err(shape.to_string());
    };
    let mut rest = &text[16..];
    let mut second = 0;
    let mut nanos = 0;
    if let Some(after) = rest.strip_prefix(':') {
        second = after
            .get(..2)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| shape.to_string())?;
        rest = &after[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(shape.to_string());
            }
            nanos = fraction_nanos(&fraction[..digits]);
            rest = &fraction[digits..];
        }
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
        return Err(format!("{year:04}-{month:02}-{day:02} is not a date"));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("{hour:02}:{minute:02} is not a time of day"));
    }
    let offset: i64 = match rest {
        "Z" | "z" => 0,
        "" => return Err("the UTC offset is missing: end it with Z or like +02:00".to_string()),
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(shape.to_string()),
            };
            let hhmm = &rest[1..];
            let valid = hhmm.len() == 5 && hhmm.as_bytes()[2] == b':';
            let hours = hhmm.get(..2).and_then(|h| h.parse::<i64>().ok());
            let minutes = hhmm.get(3..).and_then(|m| m.parse::<i64>().ok());
            match (valid, hours, minutes) {
                (true, Some(h), Some(m)) if h < 24 && m < 60 => sign * (h * 3600 + m * 60),
                _ => return Err("the UTC offset must look like Z or +02:00".to_string()),
            }
        }
    };
    let days = days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second.min(59)) - offset;
    u64::try_from(secs)
        .map(|secs| UNIX_EPOCH + Duration::new(secs, nanos))
        .map_err(|_| "it is before 1970".to_string())
}

/// Nanoseconds of the digits after the decimal point (beyond nine are dropped).
fn fraction_nanos(digits: &str) -> u32 {
    let kept = &digits[..digits.len().min(9)];
    let value: u32 = kept.parse().unwrap_or(0);
    value * 10u32.pow(9 - kept.len() as u32)
}

/// Parses a time of day `HH:MM` (24-hour clock) into the time since midnight.
pub(crate) fn parse_hhmm(text: &str) -> Option<Duration> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let valid = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !valid(hours) || !valid(minutes) {
        return None;
    }
    let (hours, minutes): (u64, u64) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then(|| Duration::from_secs(hours * 3600 + minutes * 60))
}

/// Whole days since 1970-01-01 at `at` (0 for earlier instants), and the time into that day.
pub(crate) fn day_of(at: SystemTime) -> (i64, Duration) {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let days = since.as_secs() / DAY_SECS;
    let into = since - Duration::from_secs(days * DAY_SECS);
    (i64::try_from(days).unwrap_or(i64::MAX), into)
}

/// Midnight UTC starting day `days` (days before 1970 are clamped to the epoch).
pub(crate) fn midnight(days: i64) -> SystemTime {
    let secs = u64::try_from(days.max(0)).unwrap_or(0) * DAY_SECS;
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(at: SystemTime) -> u64 {
        at.duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    #[test]
    fn instants() {
        let ok = [
            ("1970-01-01T00:00:00Z", 0),
            ("2023-11-14T22:13:20Z", 1_700_000_000),
            ("2023-11-14 22:13:20z", 1_700_000_000),
            ("2023-11-14T23:13:20+01:00", 1_700_000_000),
            ("2023-11-14T22:13:20.250Z", 1_700_000_000),
            ("2023-11-14T22:13Z", 1_699_999_980),
            ("2024-02-29T00:00:00-00:30", 1_709_166_600),
        ];
        for (text, want) in ok {
            assert_eq!(parse_rfc3339(text).map(secs), Ok(want), "{text}");
        }
        let fractions = [
            ("2023-11-14T22:13:20.250Z", 250_000_000),
            ("2023-11-14T23:13:20.5+01:00", 500_000_000),
            ("2023-11-14T22:13:20.123456789123Z", 123_456_789),
            ("2023-11-14T22:13:20Z", 0),
        ];
        for (text, want) in fractions {
            let at = parse_rfc3339(text).expect(text);
            let since = at.duration_since(UNIX_EPOCH).expect("after 1970");
            assert_eq!(
                (since.as_secs(), since.subsec_nanos()),
                (1_700_000_000, want)
            );
        }
        let bad = [
            (
                "2025-06-01",
                "expected a date and time like 2025-06-01T02:00:00Z",
            ),
            (
                "2025-06-01T02:00:00",
                "the UTC offset is missing: end it with Z or like +02:00",
            ),
            ("2025-02-30T02:00Z", "2025-02-30 is not a date"),
            ("2025-13-01T02:00Z", "2025-13-01 is not a date"),
            ("2025-06-01T24:00Z", "24:00 is not a time of day"),
            (
                "2025-06-01T02:00+2",
                "the UTC offset must look like Z or +02:00",
            ),
            ("1969-12-31T23:00:00Z", "it is before 1970"),
            (
                "next saturday",
                "expected a date and time like 2025-06-01T02:00:00Z",
            ),
        ];
        for (text, want) in bad {
            assert_eq!(parse_rfc3339(text), Err(want.to_string()), "{text}");
        }
    }

    #[test]
    fn weekdays_and_times_of_day() {
        // 2023-11-14 was a Tuesday; 1970-01-01 a Thursday.
        assert_eq!(weekday(days_from_civil(2023, 11, 14)), 1);
        assert_eq!(weekday(0), 3);
        assert_eq!(weekday(days_from_civil(2025, 6, 7)), 5, "a Saturday");
        assert_eq!(parse_hhmm("02:30"), Some(Duration::from_secs(9000)));
        assert_eq!(parse_hhmm("23:59"), Some(Duration::from_secs(86_340)));
        for bad in ["24:00", "2:30", "02:60", "0230", "ab:cd"] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (days, into) = day_of(at);
        assert_eq!(midnight(days) + into, at);
        assert_eq!(into, Duration::from_secs(22 * 3600 + 13 * 60 + 20));
    }
}
