//! The phrases of a card whose check reads a value from Prometheus: a query (its value
//! with the unit, its limits, why it is DEGRADED) or a scrape target (the last scrape's
//! duration, its scrape pool).

use crate::config::{CheckConfig, QueryCheck, ValueLimits};
use crate::sources::prometheus;
use crate::kinds::Level;
use crate::view::service::ServiceView;

/// How a value-reading card shows its value.
pub struct ValueFacts<'a> {
    /// "now" for a query, "scrape" for a target.
    pub label: &'static str,
    pub unit: Option<&'a str>,
    pub limits: ValueLimits,
    /// The second figure: a query's limits, a target's scrape pool.
    pub context: String,
    /// The detail chart's title.
    pub chart_title: &'static str,
}

/// A target's value is its scrape duration, judged by Prometheus's health, not limits.
const NO_LIMITS: ValueLimits = ValueLimits {
    warn: None,
    crit: None,
    below: false,
};

/// The value facts of a query or target card; `None` for HTTP and TCP services.
pub fn value_facts(view: &ServiceView) -> Option<ValueFacts<'_>> {
    match &view.config.check {
        CheckConfig::Query(query) => Some(ValueFacts {
            label: "now",
            unit: query.unit.as_deref(),
            limits: query.limits,
            context: limits(query),
            chart_title: "value",
        }),
        CheckConfig::Target(target) => Some(ValueFacts {
            label: "scrape",
            unit: Some("s"),
            limits: NO_LIMITS,
            context: format!("pool {}", target.scrape_pool),
            chart_title: "scrape duration",
        }),
        _ => None,
    }
}

/// The query a service asks, when it is a query card.
pub fn query_of(view: &ServiceView) -> Option<&QueryCheck> {
    match &view.config.check {
        CheckConfig::Query(query) => Some(query),
        _ => None,
    }
}

/// The last value with its unit ("97.3%", "NaN"), or "-" when the last check read none.
pub fn last_value(view: &ServiceView, facts: &ValueFacts<'_>) -> String {
    view.last()
        .and_then(|check| check.reading)
        .and_then(|reading| reading.value)
        .map_or_else(
            || "-".to_string(),
            |value| prometheus::show(value, facts.unit),
        )
}

/// "warn>80%  crit>95%", "warn<10 GiB" for `below`, or "no limits".
pub fn limits(query: &QueryCheck) -> String {
    let unit = query.unit.as_deref();
    let side = if query.limits.below { "<" } else { ">" };
    let shown = [("warn", query.limits.warn), ("crit", query.limits.crit)]
        .into_iter()
        .filter_map(|(name, limit)| {
            limit.map(|limit| format!("{name}{side}{}", prometheus::show(limit, unit)))
        })
        .collect::<Vec<_>>();
    match shown.is_empty() {
        true => "no limits".to_string(),
        false => shown.join("  "),
    }
}

/// Why a DEGRADED query is: "85% at or above warn 80%".
pub fn warning(view: &ServiceView, query: &QueryCheck) -> String {
    let value = view.last().and_then(|c| c.reading).and_then(|r| r.value);
    match value {
        Some(value) => {
            prometheus::past_limit(&query.limits, query.unit.as_deref(), value, Level::Warning)
        }
        None => "at warn".to_string(),
    }
}
