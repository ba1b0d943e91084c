//! A query's answer judged against its limits: the check's outcome and reading, with a
//! reason a person can act on; and how a value is written with its unit.

use crate::kinds::{Level, Outcome, Reading};
use crate::kinds::{QueryCheck, ValueLimits};

use crate::kinds::prometheus::wire::Answer;

/// The outcome and reading of a query that answered with HTTP `status`.
pub fn judge(check: &QueryCheck, status: u16, answer: Answer) -> (Outcome, Reading) {
    let unit = check.unit.as_deref();
    let (value, unknown) = match answer {
        Answer::NoSeries => (None, Some("query returned no series".to_string())),
        Answer::Series(count) => (
            None,
            Some(format!(
                "query returned {count} series, not one; aggregate them, like sum(…) or \
                 max(…)"
            )),
        ),
        Answer::Value(v) if v.is_nan() => (Some(v), Some("value is NaN".to_string())),
        Answer::Value(v) if v.is_infinite() => {
            let sign = if v > 0.0 { "+" } else { "-" };
            (Some(v), Some(format!("value is {sign}Inf")))
        }
        Answer::Value(v) => (Some(v), None),
    };
    let status = Some(status);
    match (value, unknown) {
        (value, Some(reason)) => (
            Outcome::Fail { status, reason },
            Reading {
                value,
                level: Level::Unknown,
            },
        ),
        (Some(value), None) => {
            let level = level(&check.limits, value);
            let outcome = match level {
                Level::Critical => Outcome::Fail {
                    status,
                    reason: past_limit(&check.limits, unit, value, Level::Critical),
                },
                _ => Outcome::Pass { status },
            };
            let value = Some(value);
            (outcome, Reading { value, level })
        }
        // `unknown` is set whenever `value` is not.
        (None, None) => (
            Outcome::Fail {
                status,
                reason: "query returned no value".to_string(),
            },
            Reading {
                value: None,
                level: Level::Unknown,
            },
        ),
    }
}

/// Where a finite `value` stands: at or past `crit` is critical, at or past `warn` a
/// warning; "past" is above, or below when `limits.below` is set.
pub fn level(limits: &ValueLimits, value: f64) -> Level {
    let past = |limit: Option<f64>| {
        limit.is_some_and(|limit| {
            if limits.below {
                value <= limit
            } else {
                value >= limit
            }
        })
    };
    if past(limits.crit) {
        Level::Critical
    } else if past(limits.warn) {
        Level::Warning
    } else {
        Level::Normal
    }
}

/// "97.3% at or above crit 95%", for a value at `level` (Warning or Critical).
pub fn past_limit(limits: &ValueLimits, unit: Option<&str>, value: f64, level: Level) -> String {
    let (name, limit) = match level {
        Level::Critical => ("crit", limits.crit),
        _ => ("warn", limits.warn),
    };
    let side = if limits.below { "below" } else { "above" };
    let shown = show(value, unit);
    match limit {
        Some(limit) => format!("{shown} at or {side} {name} {}", show(limit, unit)),
        None => shown,
    }
}

/// A value with its unit, short enough for a card: "97.3%", "250ms", "1.5 GiB",
/// "12.4 req/s". Seconds under one are shown in milliseconds; bytes in binary units.
pub fn show(value: f64, unit: Option<&str>) -> String {
    if !value.is_finite() {
        return match value {
            v if v.is_nan() => "NaN".to_string(),
            v if v > 0.0 => "+Inf".to_string(),
            _ => "-Inf".to_string(),
        };
    }
    match unit {
        None => number(value),
        Some("%") => format!("{}%", number(value)),
        Some("s") if value.abs() < 1.0 && value != 0.0 => format!("{}ms", number(value * 1e3)),
        Some("s") => format!("{}s", number(value)),
        Some("B") => bytes(value),
        Some(unit) => format!("{} {unit}", number(value)),
    }
}

fn bytes(value: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut scaled = value;
    let mut unit = 0;
    while scaled.abs() >= 1024.0 && unit + 1 < UNITS.len() {
        scaled /= 1024.0;
        unit += 1;
    }
    format!("{} {}", number(scaled), UNITS[unit])
}

/// Up to four significant figures, without trailing zeros: 1234, 97.3, 0.125, 2.5e-5.
fn number(value: f64) -> String {
    let magnitude = value.abs();
    if value == value.trunc() && magnitude < 1e15 {
        return format!("{value:.0}");
    }
    if !(1e-3..1e15).contains(&magnitude) {
        return format!("{value:.2e}");
    }
    let decimals = match magnitude {
        m if m >= 1000.0 => 0,
        m if m >= 100.0 => 1,
        m if m >= 10.0 => 2,
        m if m >= 1.0 => 3,
        _ => 4,
    };
    let text = format!("{value:.decimals$}");
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    }
}
