//! Durations ("500ms", "10s") and sizes ("64KiB") as people write them in the config.

use std::time::Duration;

/// Examples quoted by every duration message, so the fix is one copy away.
pub(crate) const DURATION_EXAMPLES: &str = "like \"500ms\", \"10s\", \"5m\" or \"1h\"";

/// Examples quoted by every size message.
pub(crate) const SIZE_EXAMPLES: &str =
    "a number of bytes or a size like \"64KiB\" or \"1MiB\" (units B, KB, KiB, MB, MiB, GB, GiB)";

/// Parses a duration; the error says why in a few words, for a message that quotes it.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    use humantime::DurationError as E;
    humantime::parse_duration(text).map_err(|e| match e {
        E::UnknownUnit { unit, .. } if unit.is_empty() => "the unit is missing".to_string(),
        E::UnknownUnit { unit, .. } => format!("unknown unit {unit:?}"),
        E::Empty => "it is empty".to_string(),
        E::NumberOverflow => "the number is too large or too precise".to_string(),
        E::InvalidCharacter(_) | E::NumberExpected(_) => {
            "expected a number followed by a unit".to_string()
        }
    })
}

/// Shows a duration the way it would be written in the config ("1m 30s").
pub(crate) fn show_duration(duration: Duration) -> String {
    humantime::format_duration(duration).to_string()
}

/// Parses a size string: a whole number, optional spaces, an optional unit.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err("expected a whole number followed by a unit".to_string());
    }
    if unit.starts_with('.') {
        return Err("sizes are whole numbers: use a smaller unit".to_string());
    }
    let factor: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" => 1 << 10,
        "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => return Err(format!("unknown unit {:?}", unit.trim_start())),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| "the number is too large".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok = [
            ("500ms", Duration::from_millis(500)),
            ("10s", Duration::from_secs(10)),
            ("5m", Duration::from_secs(300)),
            ("1h", Duration::from_secs(3600)),
            ("1m 30s", Duration::from_secs(90)),
            ("0s", Duration::ZERO),
        ];
        for (text, want) in ok {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
        let bad = [
            ("10", "the unit is missing"),
            ("10 parsecs", "unknown unit \"parsecs\""),
            ("", "it is empty"),
            ("ten", "expected a number followed by a unit"),
            ("-5s", "expected a number followed by a unit"),
            (
                "99999999999999999999999h",
                "the number is too large or too precise",
            ),
        ];
        for (text, want) in bad {
            assert_eq!(parse_duration(text), Err(want.to_string()), "{text}");
        }
    }

    #[test]
    fn durations_are_shown_as_written() {
        assert_eq!(show_duration(Duration::from_millis(1500)), "1s 500ms");
        assert_eq!(show_duration(Duration::from_secs(3600)), "1h");
    }

    #[test]
    fn sizes() {
        let ok = [
            ("512", 512),
            ("512B", 512),
            ("64KiB", 65536),
            ("64 KiB", 65536),
            ("64kb", 64000),
            ("1MiB", 1 << 20),
            ("2MB", 2_000_000),
            ("1GiB", 1 << 30),
            ("3 gb", 3_000_000_000),
        ];
        for (text, want) in ok {
            assert_eq!(parse_size(text), Ok(want), "{text}");
        }
        let bad = [
            ("", "expected a whole number followed by a unit"),
            ("KiB", "expected a whole number followed by a unit"),
            ("1.5MiB", "sizes are whole numbers: use a smaller unit"),
            ("64 kilobytes", "unknown unit \"kilobytes\""),
            ("99999999999999999999", "the number is too large"),
            ("99999999999GiB", "the number is too large"),
        ];
        for (text, want) in bad {
            assert_eq!(parse_size(text), Err(want.to_string()), "{text}");
        }
    }
}
