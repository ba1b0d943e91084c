//! One `[[service]]`: its name, what it checks, and its timing over `[defaults]`.

use std::time::Duration;

use toml::de::DeTable;

use super::ServiceConfig;
use super::keys;
use super::sections::Defaults;
use super::settings::{Origin, Setting};
use super::walk::{Text, Value, Walker};
use crate::kinds::{CheckConfig, KINDS, KindKeys};

/// Reads one service; `seen` holds the names read so far, to catch duplicates.
pub(crate) fn service(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    defaults: &Defaults,
    history: &Setting<Duration>,
    seen: &mut Vec<Text>,
) -> Option<ServiceConfig> {
    let Some(table) = value.get_ref().as_table() else {
        w.wrong_type(
            value,
            "service",
            "a table with a `name` and a `url` or `tcp`",
        );
        return None;
    };
    let name = name(w, table, value, seen);
    let place = match &name {
        Some(name) => format!("in [[service]] {name:?}"),
        None => "in [[service]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::service_keys(), &|key| {
        keys::misplaced(key, "in a [[service]]")
    });
    let check = check(w, table, value, defaults);
    let group = match table.get("group") {
        Some(value) => w.text(value, "group").map(|text| Some(text.value)),
        None => Some(None),
    };
    let timing = defaults.timing.read(w, table, Origin::Service, history);
    Some(ServiceConfig {
        name: name?,
        group: group?,
        severity: timing.severity,
        interval: timing.interval.value,
        timeout: timing.timeout.value,
        degraded_after: timing.degraded_after.value,
        failure_threshold: timing.failure_threshold,
        success_threshold: timing.success_threshold,
        check: check?,
    })
}

fn name(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    service: &Value<'_>,
    seen: &mut Vec<Text>,
) -> Option<String> {
    let Some(value) = table.get("name") else {
        let message = "this [[service]] has no `name`; add one, like name = \"api\"";
        w.report(service.span(), message);
        return None;
    };
    let text = w.text(value, "name")?;
    if text.value.trim().is_empty() {
        let message = "`name` is empty; give the service a name to show on screen";
        w.report(text.span, message);
        return None;
    }
    super::names::unique(w, &text, seen, "service").then_some(text.value)
}

/// Exactly one kind's selector (`url`, `tcp`, …); the keys of other kinds are refused.
fn check(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    service: &Value<'_>,
    defaults: &Defaults,
) -> Option<CheckConfig> {
    let written: Vec<_> = table
        .iter()
        .filter_map(|(key, value)| {
            let kind = KINDS
                .iter()
                .find(|kind| kind.selector == Some(key.get_ref().as_ref()))?;
            Some((key, value, kind))
        })
        .collect();
    let mut written = written;
    written.sort_by_key(|(key, ..)| key.span().start);
    let selectors: Vec<&str> = KINDS.iter().filter_map(|kind| kind.selector).collect();
    match written.as_slice() {
        [] => {
            let examples: Vec<&str> = KINDS.iter().filter_map(|kind| kind.example).collect();
            let message = format!(
                "this [[service]] has {}; add {}",
                none_of(&selectors),
                one_of(&examples)
            );
            w.report(service.span(), message);
            None
        }
        [(_, value, kind)] => {
            let selector = kind.selector.unwrap_or_default();
            for key in table.keys() {
                let name = key.get_ref().as_ref();
                if kind.owns(name) {
                    continue;
                }
                let Some(owner) = keys::kind_of_key(name) else {
                    continue;
                };
                let message = format!(
                    "`{name}` only applies to {} checks, and this service checks `{selector}`; \
                     remove it, or use `{}` instead",
                    owner.name,
                    owner.selector.unwrap_or_default()
                );
                w.report(key.span(), message);
            }
            CheckConfig::read(selector, w, value, table, &defaults.kinds)
        }
        [(_, _, first), (second, _, other), ..] => {
            // Named in registration order, reported where the second one is written.
            let position = |kind: &KindKeys| KINDS.iter().position(|k| k.name == kind.name);
            let (one, another) = if position(first) <= position(other) {
                (first, other)
            } else {
                (other, first)
            };
            let message = format!(
                "a service checks either `{}` or `{}`, not both; keep one",
                one.selector.unwrap_or_default(),
                another.selector.unwrap_or_default()
            );
            w.report(second.span(), message);
            None
        }
    }
}

/// "neither `url` nor `tcp`", "none of `url`, `tcp` or `dns`".
fn none_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|word| format!("`{word}`")).collect();
    match quoted.as_slice() {
        [one, other] => format!("neither {one} nor {other}"),
        _ => format!("none of {}", one_of(&quoted)),
    }
}

/// "a or b", "a, b or c".
fn one_of<T: AsRef<str>>(items: &[T]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
