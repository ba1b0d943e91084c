//! Durations in words, as notices, messages and the holder of a lock say them; times as
//! RFC 3339; an error and its causes on one line.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// RFC 3339 UTC with milliseconds, as the API, notices and logs write times. Times before
/// 1970 or after 9999 are clamped, so formatting never fails.
pub fn rfc3339(at: SystemTime) -> String {
    /// 9999-12-31T23:59:59Z.
    const LAST: Duration = Duration::from_secs(253_402_300_799);
    let since_epoch = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    humantime::format_rfc3339_millis(UNIX_EPOCH + since_epoch.min(LAST)).to_string()
}

/// An error and its causes, joined by ": ", each cause left out when the text before it
/// already says it (an error that quotes its source would otherwise say it twice).
pub fn error_line<'a>(
    chain: impl Iterator<Item = &'a (dyn std::error::Error + 'static)>,
) -> String {
    let mut line = String::new();
    for cause in chain {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// `42s`, `4m`, `3h 5m`, `2d 3h`: enough to see how long, short enough for one line.
pub fn short_age(age: Duration) -> String {
    let secs = age.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{minutes}m"),
        3600..86_400 if minutes == 0 => format!("{hours}h"),
        3600..86_400 => format!("{hours}h {minutes}m"),
        _ if hours == 0 => format!("{days}d"),
        _ => format!("{days}d {hours}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("could not listen on 127.0.0.1:9898: {source}")]
    struct Bind {
        source: std::io::Error,
    }

    #[test]
    fn a_cause_the_error_already_quotes_is_said_once() {
        let bind = Bind {
            source: std::io::Error::new(std::io::ErrorKind::AddrInUse, "Address already in use"),
        };
        let report = color_eyre::eyre::Report::new(bind).wrap_err("cannot start the local API");
        assert_eq!(
            error_line(report.chain()),
            "cannot start the local API: could not listen on 127.0.0.1:9898: Address already \
             in use"
        );
    }
}
