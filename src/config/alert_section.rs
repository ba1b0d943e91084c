//! Reads `[alerts]`: its own keys here, `[[alerts.rule]]` in `alert_rules.rs` and
//! `[[alerts.maintenance]]` in `maintenance.rs`.

use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::alerts::{AlertsConfig, SystemSeverity};
use super::units::{DURATION_EXAMPLES, show_duration};
use super::walk::{Value, Walker};
use super::{ServiceConfig, Severity, alert_rules, keys, maintenance, suggest};
use crate::contract::Resource;

const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// Reads `[alerts]` (absent: all defaults); `services` are the services read, `None`
/// when they were invalid (names are then not checked against them).
pub(crate) fn alerts(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    services: Option<&[ServiceConfig]>,
) -> Option<AlertsConfig> {
    w.unknown_keys(table, "in [alerts]", &keys::ALERTS_KEYS, &|key| {
        keys::misplaced(key, "in [alerts]")
    });
    let base = AlertsConfig::default();
    let minute = Duration::from_secs(60);
    let reminder = match table.get("reminder") {
        Some(value) if value.get_ref().as_bool() == Some(false) => Some(None),
        Some(value) if value.get_ref().is_bool() => {
            let message = format!(
                "`reminder` = true is not a period; write one {DURATION_EXAMPLES} (like \
                 \"30m\"), or false for no reminders"
            );
            w.report(value.span(), message);
            None
        }
        Some(value) => duration(w, value, "reminder", minute).map(Some),
        None => Some(base.reminder),
    };
    let bell = match table.get("bell") {
        Some(value) => w.boolean(value, "bell"),
        None => Some(base.bell),
    };
    let mut read = |key, default, min| match table.get(key) {
        Some(value) => duration(w, value, key, min),
        None => Some(default),
    };
    let keep_firing_for = read("keep_firing_for", base.keep_firing_for, Duration::ZERO);
    let degraded_for = read("degraded_for", base.degraded_for, Duration::ZERO);
    let flap_window = read("flap_window", base.flap_window, minute);
    let error_rate_window = read("error_rate_window", base.error_rate_window, minute);
    let history_keep = read("history_keep", base.history_keep, minute);
    let error_rate = table
        .get("error_rate")
        .map_or(Some(base.error_rate), |v| share(w, v, "error_rate"));
    let mut count = |key, default: usize, range| match table.get(key) {
        Some(value) => w
            .integer(value, key, range)
            .and_then(|n| usize::try_from(n).ok()),
        None => Some(default),
    };
    let error_rate_min_checks = count(
        "error_rate_min_checks",
        base.error_rate_min_checks,
        1..=100_000,
    );
    let flap_transitions = count("flap_transitions", base.flap_transitions, 2..=1000);
    let history_max = count("history_max", base.history_max, 1..=1_000_000);
    let system_severity = table
        .get("system_severity")
        .map_or(Some(base.system_severity), |v| system_severity(w, v));
    let rules = alert_rules::rules(w, table.get("rule"), services);
    let maintenance = maintenance::windows(w, table.get("maintenance"), services);
    Some(AlertsConfig {
        reminder: reminder?,
        bell: bell?,
        keep_firing_for: keep_firing_for?,
        degraded_for: degraded_for?,
        error_rate: error_rate?,
        error_rate_min_checks: error_rate_min_checks?,
        error_rate_window: error_rate_window?,
        flap_window: flap_window?,
        flap_transitions: flap_transitions?,
        history_max: history_max?,
        history_keep: history_keep?,
        system_severity: system_severity?,
        rules: rules?,
        maintenance: maintenance?,
    })
}

/// A duration of at least `min` (zero allowed when `min` is zero).
pub(crate) fn duration(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    key: &str,
    min: Duration,
) -> Option<Duration> {
    let duration = w.duration(value, key)?;
    if duration < min {
        let (shown, least) = (show_duration(duration), show_duration(min));
        w.report(
            value.span(),
            format!("`{key}` {shown} is too short: use at least {least}"),
        );
        return None;
    }
    Some(duration)
}

/// A share of checks: a fraction above 0 and below 1 (0.2), or a percentage ("20%").
pub(crate) fn share(w: &mut Walker<'_>, value: &Value<'_>, key: &str) -> Option<f64> {
    let valid = "a fraction above 0 and below 1 like 0.2, or a percentage like \"20%\"";
    let (number, written) = match value.get_ref() {
        DeValue::Float(f) => (
            f.as_str().replace('_', "").parse::<f64>().ok(),
            f.to_string(),
        ),
        DeValue::Integer(i) => (i.as_str().parse::<f64>().ok(), i.to_string()),
        DeValue::String(s) => {
            let percent = s.trim().strip_suffix('%');
            let number = percent.and_then(|p| p.trim().parse::<f64>().ok());
            (number.map(|n| n / 100.0), format!("{s:?}"))
        }
        _ => (None, String::new()),
    };
    let Some(number) = number.filter(|n| n.is_finite()) else {
        w.wrong_type(value, key, valid);
        return None;
    };
    if number > 0.0 && number < 1.0 {
        return Some(number);
    }
    let hint = match value.get_ref() {
        DeValue::Integer(_) if number > 1.0 && number < 100.0 => {
            format!("; did you mean \"{number}%\"?")
        }
        _ => String::new(),
    };
    w.report(
        value.span(),
        format!("`{key}` = {written} is out of range: use {valid}{hint}"),
    );
    None
}

/// A severity word at `value`.
pub(crate) fn severity(w: &mut Walker<'_>, value: &Value<'_>, key: &str) -> Option<Severity> {
    let text = w.text(value, key)?;
    let severity = match text.value.as_str() {
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => {
            let hint = suggest::hint(other, &SEVERITIES, "severities");
            let message = format!("`{key}` = {} is not a severity; {hint}", text.quoted());
            w.report(text.span, message);
            return None;
        }
    };
    Some(severity)
}

/// `system_severity = { cpu = "medium", disk = "high" }`: resources left out keep theirs.
fn system_severity(w: &mut Walker<'_>, value: &Value<'_>) -> Option<SystemSeverity> {
    let expected = "a table like { cpu = \"medium\", disk = \"critical\" }";
    let table = w.table(value, "system_severity", expected)?;
    let words = Resource::ALL.map(Resource::as_str);
    w.unknown_keys(table, "in `system_severity`", &words, &|_| None);
    let mut out = SystemSeverity::default();
    let mut ok = true;
    for (i, resource) in Resource::ALL.iter().enumerate() {
        let Some(value) = table.get(resource.as_str()) else {
            continue;
        };
        match severity(w, value, &format!("system_severity.{}", resource.as_str())) {
            Some(severity) => out.by_resource[i] = severity,
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A list of tables `key` (written `[[alerts.key]]`), or a message saying how to write it.
pub(crate) fn list<'v, 'i>(
    w: &mut Walker<'_>,
    value: &'v Value<'i>,
    key: &str,
) -> Option<&'v [Value<'i>]> {
    if let Some(items) = value.get_ref().as_array() {
        return Some(items);
    }
    let message = match value.get_ref().is_table() {
        true => format!("write [[{key}]] with double brackets: each entry is one table of a list"),
        false => format!(
            "`{key}` expects a list of tables, written [[{key}]], found {}",
            super::walk::found(value.get_ref())
        ),
    };
    w.report(value.span(), message);
    None
}
