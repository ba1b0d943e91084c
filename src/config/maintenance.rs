//! `[[alerts.maintenance]]`: windows (one-off, or weekly in UTC) during which matching
//! alerts are silenced.

use std::time::{Duration, SystemTime};

use toml::de::{DeTable, DeValue};

use super::alert_section::{self, list};
use super::alerts::{MaintenanceWindow, Schedule};
use super::calendar::{self, DAY_SECS, WEEKDAYS};
use super::names;
use super::selector::selector;
use super::units::show_duration;
use super::walk::{Text, Value, Walker};
use super::{ServiceConfig, keys, suggest};

const INSTANT_EXAMPLE: &str = "\"2025-06-01T02:00:00Z\"";

/// Reads `alerts.maintenance` (absent: none).
pub(crate) fn windows(
    w: &mut Walker<'_>,
    value: Option<&Value<'_>>,
    services: Option<&[ServiceConfig]>,
) -> Option<Vec<MaintenanceWindow>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let items = list(w, value, "alerts.maintenance")?;
    let mut seen: Vec<Text> = Vec::new();
    let windows: Vec<_> = items
        .iter()
        .map(|item| window(w, item, services, &mut seen))
        .collect();
    windows.into_iter().collect()
}

fn window(
    w: &mut Walker<'_>,
    item: &Value<'_>,
    services: Option<&[ServiceConfig]>,
    seen: &mut Vec<Text>,
) -> Option<MaintenanceWindow> {
    let expected = "a table with `name`, `start` and `end` (or `days`, `start`, `duration`)";
    let table = w.table(item, "alerts.maintenance", expected)?;
    let name = names::name(w, table, item, "[[alerts.maintenance]]", "weekly-db");
    let unique = name
        .as_ref()
        .is_none_or(|name| names::unique(w, name, seen, "maintenance window"));
    let place = match &name {
        Some(name) => format!("in [[alerts.maintenance]] {:?}", name.value),
        None => "in [[alerts.maintenance]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::MAINTENANCE_KEYS, &|_| None);
    let selector = selector(w, table, services);
    let schedule = match table.get("days") {
        Some(days) => weekly(w, table, item, days),
        None => once(w, table, item),
    };
    if !unique {
        return None;
    }
    Some(MaintenanceWindow {
        name: name?.value,
        selector: selector?,
        schedule: schedule?,
    })
}

/// A one-off window: `start` and `end`, RFC 3339 instants, `end` after `start`.
fn once(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<Schedule> {
    if let Some((key, _)) = table.get_key_value("duration") {
        let message = "`duration` belongs to a weekly window (with `days`); a one-off window \
                       ends at `end`";
        w.report(key.span(), message);
    }
    let start = need(w, table, item, "start", INSTANT_EXAMPLE).and_then(|v| instant(w, v, "start"));
    let end_value = need(w, table, item, "end", "\"2025-06-01T04:00:00Z\"");
    let end = end_value.and_then(|v| instant(w, v, "end"));
    let (start, end, end_value) = (start?, end?, end_value?);
    if end <= start {
        let message = "`end` is not after `start`: a window must last more than 0s";
        w.report(end_value.span(), message);
        return None;
    }
    if table.contains_key("duration") {
        return None;
    }
    Some(Schedule::Once { start, end })
}

/// A weekly window: `days`, `start` ("HH:MM", UTC) and `duration` (at most a week).
fn weekly(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    item: &Value<'_>,
    days_value: &Value<'_>,
) -> Option<Schedule> {
    if let Some((key, _)) = table.get_key_value("end") {
        let message =
            "`end` belongs to a one-off window; a weekly window (with `days`) lasts `duration`";
        w.report(key.span(), message);
    }
    let days = days(w, days_value);
    let start = need(w, table, item, "start", "\"02:00\"").and_then(|value| {
        let text = w.text(value, "start")?;
        let start = calendar::parse_hhmm(&text.value);
        if start.is_none() {
            let message = format!(
                "`start` = {} is not a time of day; a weekly window starts at \"HH:MM\" \
                 (24-hour clock, UTC), like \"02:00\"",
                text.quoted()
            );
            w.report(text.span, message);
        }
        start
    });
    let length = need(w, table, item, "duration", "\"2h\"").and_then(|value| {
        let length = alert_section::duration(w, value, "duration", Duration::from_secs(60))?;
        if length > Duration::from_secs(7 * DAY_SECS) {
            let message = format!(
                "`duration` {} is longer than the week it repeats in: use at most 7days",
                show_duration(length)
            );
            w.report(value.span(), message);
            return None;
        }
        Some(length)
    });
    if table.contains_key("end") {
        return None;
    }
    Some(Schedule::Weekly {
        days: days?,
        start: start?,
        length: length?,
    })
}

fn days(w: &mut Walker<'_>, value: &Value<'_>) -> Option<[bool; 7]> {
    let Some(items) = value.get_ref().as_array() else {
        w.wrong_type(value, "days", "a list of weekdays like [\"sat\", \"sun\"]");
        return None;
    };
    if items.is_empty() {
        let message = "`days` is empty; list at least one weekday, like [\"sat\", \"sun\"]";
        w.report(value.span(), message);
        return None;
    }
    let mut days = [false; 7];
    let mut ok = true;
    for item in items {
        let Some(text) = w.text(item, "days") else {
            ok = false;
            continue;
        };
        let lower = text.value.to_ascii_lowercase();
        let short = lower
            .get(..3)
            .filter(|s| WEEKDAYS.contains(s) && is_day_name(&lower));
        match short.and_then(|s| WEEKDAYS.iter().position(|d| *d == s)) {
            Some(day) => days[day] = true,
            None => {
                let hint = suggest::hint(&lower, &WEEKDAYS, "days");
                let message = format!("{} is not a weekday; {hint}", text.quoted());
                w.report(text.span, message);
                ok = false;
            }
        }
    }
    ok.then_some(days)
}

/// "sat", "saturday" (any case), but not "satx".
fn is_day_name(lower: &str) -> bool {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    lower.len() == 3 || FULL.contains(&lower)
}

/// An RFC 3339 instant with an offset: a string, or a TOML date-time written bare.
fn instant(w: &mut Walker<'_>, value: &Value<'_>, key: &str) -> Option<SystemTime> {
    let (written, span) = match value.get_ref() {
        DeValue::Datetime(datetime) => (datetime.to_string(), value.span()),
        DeValue::String(_) => {
            let text = w.text(value, key)?;
            (text.value, text.span)
        }
        _ => {
            let expected = format!("a date and time like {INSTANT_EXAMPLE}");
            w.wrong_type(value, key, &expected);
            return None;
        }
    };
    match calendar::parse_rfc3339(&written) {
        Ok(at) => Some(at),
        Err(why) => {
            let clock = calendar::parse_hhmm(&written).is_some();
            let note = match clock {
                true => "; a time of day needs `days` (a weekly window)",
                false => "",
            };
            let message = format!(
                "`{key}` = {written:?} is not an RFC 3339 date and time ({why}){note}; write \
                 it like {INSTANT_EXAMPLE}"
            );
            w.report(span, message);
            None
        }
    }
}

fn need<'v, 'i>(
    w: &mut Walker<'_>,
    table: &'v DeTable<'i>,
    item: &Value<'_>,
    key: &str,
    example: &str,
) -> Option<&'v Value<'i>> {
    let value = table.get(key);
    if value.is_none() {
        let message =
            format!("this [[alerts.maintenance]] has no `{key}`; add one, like {key} = {example}");
        w.report(item.span(), message);
    }
    value
}
