//! One `[[prometheus.query]]`: a PromQL query shown as a service card, its `warn` and
//! `crit` limits (checked against each other for the direction `below` gives), its unit,
//! group and severity.

use toml::de::{DeTable, DeValue};

use super::alert_section::list;
use super::prometheus::PrometheusConfig;
use super::sections::Defaults;
use super::settings;
use super::walk::{Text, Value, Walker};
use super::{ServiceConfig, keys, names};
use crate::kinds::CheckConfig;
use crate::kinds::{QueryCheck, ValueLimits};

/// Reads `query` of one `[[prometheus]]`; each query becomes a service named by its
/// `name`, unique among all services (`seen`).
pub(crate) fn queries(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    server: &PrometheusConfig,
    defaults: &Defaults,
    seen: &mut Vec<Text>,
) -> Option<Vec<ServiceConfig>> {
    let items = list(w, value, "prometheus.query")?;
    let read: Vec<_> = items
        .iter()
        .map(|item| query(w, item, server, defaults, seen))
        .collect();
    read.into_iter().collect()
}

fn query(
    w: &mut Walker<'_>,
    item: &Value<'_>,
    server: &PrometheusConfig,
    defaults: &Defaults,
    seen: &mut Vec<Text>,
) -> Option<ServiceConfig> {
    let table = w.table(item, "prometheus.query", "a table with `name` and `query`")?;
    let name = names::name(w, table, item, "[[prometheus.query]]", "error-rate");
    let unique = name
        .as_ref()
        .is_none_or(|name| names::unique(w, name, seen, "service"));
    let place = match &name {
        Some(name) => format!("in [[prometheus.query]] {:?}", name.value),
        None => "in [[prometheus.query]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::PROMETHEUS_QUERY_KEYS, &|key| {
        keys::misplaced_in_prometheus(key, &place)
    });
    let promql = promql(w, table, item);
    let limits = limits(w, table);
    let unit = optional_text(
        w,
        table,
        "unit",
        "a unit to show after the value, like \"%\"",
    );
    let group = optional_text(w, table, "group", "a group name");
    let severity = settings::severity(w, table, defaults.timing.severity);
    if !unique {
        return None;
    }
    Some(ServiceConfig {
        name: name?.value,
        group: Some(group?.unwrap_or_else(|| server.name.clone())),
        severity,
        interval: server.interval,
        timeout: server.timeout,
        // A query's state comes from its value, never from how long Prometheus took.
        degraded_after: server.timeout,
        failure_threshold: defaults.timing.failure_threshold,
        success_threshold: defaults.timing.success_threshold,
        check: CheckConfig::Query(QueryCheck {
            prometheus: server.name.clone(),
            url: server.url.clone(),
            query: promql?,
            limits: limits?,
            unit: unit?,
        }),
    })
}

/// `query`: a PromQL expression, not empty. Its syntax is Prometheus's to judge: a
/// query it rejects fails with Prometheus's own message on the card.
fn promql(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<String> {
    let Some(value) = table.get("query") else {
        let message = "this [[prometheus.query]] has no `query`; add the PromQL to ask, like \
                       query = 'sum(rate(http_requests_total{code=~\"5..\"}[5m]))'";
        w.report(item.span(), message);
        return None;
    };
    let text = w.text(value, "query")?;
    if text.value.trim().is_empty() {
        let message = "`query` is empty; write the PromQL expression to ask, like query = 'up'";
        w.report(text.span, message);
        return None;
    }
    Some(text.value)
}

/// An optional non-empty string `key`.
fn optional_text(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    key: &str,
    what: &str,
) -> Option<Option<String>> {
    let Some(value) = table.get(key) else {
        return Some(None);
    };
    let text = w.text(value, key)?;
    if text.value.trim().is_empty() {
        w.report(
            text.span,
            format!("`{key}` is empty; write {what}, or leave it out"),
        );
        return None;
    }
    Some(Some(text.value))
}

/// `warn`, `crit` and `below`; with both limits, `warn` must come first in the
/// direction values go bad.
fn limits(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<ValueLimits> {
    let below = table
        .get("below")
        .map_or(Some(false), |v| w.boolean(v, "below"));
    let mut limit = |key| match table.get(key) {
        Some(value) => number(w, value, key).map(Some),
        None => Some(None),
    };
    let (warn, crit) = (limit("warn"), limit("crit"));
    let limits = ValueLimits {
        warn: warn?,
        crit: crit?,
        below: below?,
    };
    if let (Some(warn), Some(crit), Some(value)) = (limits.warn, limits.crit, table.get("warn")) {
        let out_of_order = if limits.below {
            warn <= crit
        } else {
            warn >= crit
        };
        if out_of_order {
            let message = if limits.below {
                format!(
                    "`warn` = {warn} is not above `crit` = {crit}: with `below = true` a value \
                     under `crit` is critical, so `warn` must be the higher limit"
                )
            } else {
                format!(
                    "`warn` = {warn} is not below `crit` = {crit}: a value over `crit` is \
                     critical, so `warn` must be the lower limit (or set `below = true` when \
                     low values are bad)"
                )
            };
            w.report(value.span(), message);
            return None;
        }
    }
    Some(limits)
}

/// A finite number, written as an integer or a float.
fn number(w: &mut Walker<'_>, value: &Value<'_>, key: &str) -> Option<f64> {
    let number = match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    };
    match number {
        Some(n) if n.is_finite() => Some(n),
        Some(_) => {
            let message = format!("`{key}` is not a finite number; write a limit like 90 or 0.5");
            w.report(value.span(), message);
            None
        }
        None => {
            w.wrong_type(value, key, "a number like 90 or 0.5");
            None
        }
    }
}
