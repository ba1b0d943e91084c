//! The timing and severity settings that `[defaults]` and each `[[service]]` share, where
//! each value came from, and the rules that relate two of them.

use std::ops::Range;
use std::time::Duration;

use toml::de::DeTable;

use super::Severity;
use super::suggest;
use super::units::show_duration;
use super::walk::Walker;

/// Where a setting's value was written, so a rule broken in `[defaults]` is reported
/// there once and not again for every service that inherits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Builtin,
    General,
    Defaults,
    Service,
    /// Written but invalid (already reported): rules relating it are skipped.
    Broken,
}

impl Origin {
    fn note(self) -> &'static str {
        match self {
            Origin::Builtin => " (the default)",
            Origin::General => " (from [general])",
            Origin::Defaults => " (from [defaults])",
            Origin::Service | Origin::Broken => "",
        }
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting<T> {
    pub(crate) value: T,
    pub(crate) origin: Origin,
    pub(crate) span: Range<usize>,
}

impl<T> Setting<T> {
    pub(crate) fn builtin(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Builtin,
            span: 0..0,
        }
    }
}

/// Reads the duration `key` of `table` (else keeps `base`), checking it is at least `min`
/// (more than zero when `min` is zero).
pub(crate) fn duration(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    key: &str,
    origin: Origin,
    base: &Setting<Duration>,
    min: Duration,
) -> Setting<Duration> {
    let Some(value) = table.get(key) else {
        return base.clone();
    };
    let broken = Setting {
        origin: Origin::Broken,
        ..base.clone()
    };
    let Some(duration) = w.duration(value, key) else {
        return broken;
    };
    if duration < min || duration.is_zero() {
        let valid = match min.is_zero() {
            true => "more than 0s".to_string(),
            false => format!("at least {}", show_duration(min)),
        };
        let shown = show_duration(duration);
        w.report(
            value.span(),
            format!("`{key}` {shown} is too short: use {valid}"),
        );
        return broken;
    }
    Setting {
        value: duration,
        origin,
        span: value.span(),
    }
}

/// Reads a count of checks in a row (else keeps `base`).
pub(crate) fn threshold(w: &mut Walker<'_>, table: &DeTable<'_>, key: &str, base: u32) -> u32 {
    table
        .get(key)
        .and_then(|value| w.integer(value, key, 1..=1000))
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(base)
}

/// Reads `severity` (else keeps `base`).
pub(crate) fn severity(w: &mut Walker<'_>, table: &DeTable<'_>, base: Severity) -> Severity {
    const WORDS: [&str; 4] = ["low", "medium", "high", "critical"];
    let Some(text) = table.get("severity").and_then(|v| w.text(v, "severity")) else {
        return base;
    };
    match text.value.as_str() {
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => {
            let hint = suggest::hint(other, &WORDS, "severities");
            let shown = text.quoted();
            w.report(
                text.span.clone(),
                format!("unknown severity {shown}; {hint}"),
            );
            base
        }
    }
}

/// A rule between two durations: `low` must not exceed `high` (or, when `strict`, must
/// stay below it).
pub(crate) struct Order<'s> {
    pub(crate) low: (&'static str, &'s Setting<Duration>),
    pub(crate) high: (&'static str, &'s Setting<Duration>),
    pub(crate) strict: bool,
    /// Why the rule exists, in a few words.
    pub(crate) why: &'static str,
}

/// Reports a broken [`Order`] at whichever of the two settings was written in one of
/// the places `here`, preferring `low`; a rule broken elsewhere is not reported again.
pub(crate) fn check_order(w: &mut Walker<'_>, here: &[Origin], rule: Order<'_>) {
    let ((low_key, low), (high_key, high)) = (rule.low, rule.high);
    let broken = match rule.strict {
        true => low.value >= high.value,
        false => low.value > high.value,
    };
    if !broken || low.origin == Origin::Broken || high.origin == Origin::Broken {
        return;
    }
    let (lv, hv) = (show_duration(low.value), show_duration(high.value));
    let why = rule.why;
    let message = if here.contains(&low.origin) {
        let (is, make) = match rule.strict {
            true => ("not shorter than", "shorter than"),
            false => ("longer than", "at most"),
        };
        let note = if high.origin == low.origin {
            ""
        } else {
            high.origin.note()
        };
        (
            low.span.clone(),
            format!(
                "`{low_key}` {lv} is {is} `{high_key}` {hv}{note}: {why}; make `{low_key}` {make} {hv}"
            ),
        )
    } else if here.contains(&high.origin) {
        let (is, make) = match rule.strict {
            true => ("not longer than", "longer than"),
            false => ("shorter than", "at least"),
        };
        let note = low.origin.note();
        (
            high.span.clone(),
            format!(
                "`{high_key}` {hv} is {is} `{low_key}` {lv}{note}: {why}; make `{high_key}` {make} {lv}, or set a shorter `{low_key}`"
            ),
        )
    } else {
        return;
    };
    w.report(message.0, message.1);
}
