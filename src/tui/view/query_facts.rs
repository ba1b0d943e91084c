//! The phrases of a `[[prometheus.query]]` card: its last value with the unit, its
//! limits, and why it is DEGRADED.

use crate::config::{CheckConfig, QueryCheck};
use crate::event::Level;
use crate::sources::prometheus;
use crate::state::ServiceView;

/// The query a service asks, when it is a query card.
pub fn query_of(view: &ServiceView) -> Option<&QueryCheck> {
    match &view.config.check {
        CheckConfig::Query(query) => Some(query),
        _ => None,
    }
}

/// The last value with its unit ("97.3%", "NaN"), or "-" when the last check read none.
pub fn last_value(view: &ServiceView, query: &QueryCheck) -> String {
    view.last()
        .and_then(|check| check.reading)
        .and_then(|reading| reading.value)
        .map_or_else(
            || "-".to_string(),
            |value| prometheus::show(value, query.unit.as_deref()),
        )
}

/// "warn 80%  crit 95%", "warn < 10 GiB" for `below`, or "no limits".
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
