//! A `[[prometheus.query]]` shown as a service: an instant query (`probe.rs`) whose value
//! is judged against the query's `warn` and `crit` limits (`level.rs`).

mod level;
mod probe;
#[cfg(test)]
mod tests_level;

use std::fmt;

use reqwest::Url;
use toml::de::DeTable;

use super::kind::{CheckTiming, Fact, Kind, ValueCard};
use super::outcome::{Checked, Level, Reading};
use super::stage::StageCell;
use crate::document::walk::{Value, Walker};

pub use crate::kinds::prometheus::wire::Answer;
pub use level::{judge, level, past_limit, show};
pub use probe::QueryTarget;

/// The query kind; its services are made by `[[prometheus]]`, not `[[service]]`.
pub struct Query;

impl Kind for Query {
    const NAME: &'static str = "Prometheus query";
    const SELECTOR: Option<&'static str> = None;
    const EXAMPLE: Option<&'static str> = None;
    const KEYS: &'static [&'static str] = &[];
    const DEFAULT_KEYS: &'static [&'static str] = &[];

    type Config = QueryCheck;
    type Defaults = ();
    /// The client every query check shares, or why it cannot be built.
    type Shared = Option<Result<reqwest::Client, String>>;
    type Probe = QueryTarget;

    fn read_defaults(_: &mut Walker<'_>, _: &DeTable<'_>, _: &()) {}

    fn read(_: &mut Walker<'_>, _: &Value<'_>, _: &DeTable<'_>, _: &()) -> Option<QueryCheck> {
        None
    }

    fn prepare(
        config: &QueryCheck,
        timing: CheckTiming,
        client: &mut Self::Shared,
    ) -> Result<QueryTarget, String> {
        let client = client
            .get_or_insert_with(super::prometheus::client)
            .clone()?;
        QueryTarget::new(config, timing.timeout, client)
    }

    async fn check(probe: &QueryTarget, _stage: &StageCell) -> Checked {
        let (outcome, reading) = probe.check().await;
        Checked::read(outcome, reading)
    }

    fn target(config: &QueryCheck) -> String {
        config.display_target()
    }

    fn mask(config: &mut QueryCheck) {
        config.url = crate::net::masked(&config.url);
    }

    fn facts(query: &QueryCheck) -> Vec<Fact> {
        let unit = query.unit.as_deref();
        let side = if query.limits.below { "<=" } else { ">=" };
        let limit = |name: &str, limit: Option<f64>| match limit {
            Some(limit) => format!("{name} {side} {}", show(limit, unit)),
            None => format!("no {name} limit"),
        };
        vec![
            Fact::new("query", query.query.clone()),
            Fact::new("DEGRADED", limit("warn", query.limits.warn)),
            Fact::new("failing", limit("crit", query.limits.crit)),
        ]
    }

    fn value_card(query: &QueryCheck) -> Option<ValueCard<'_>> {
        Some(ValueCard {
            label: "now",
            unit: query.unit.as_deref(),
            limits: query.limits,
            context: query.limits_text(),
            chart_title: "value",
        })
    }

    fn warning(query: &QueryCheck, reading: &Reading) -> Option<String> {
        let unit = query.unit.as_deref();
        Some(match reading.value {
            Some(value) => past_limit(&query.limits, unit, value, Level::Warning),
            None => "no value".to_string(),
        })
    }

    fn judged_by_latency() -> bool {
        false
    }
}

/// A `[[prometheus.query]]` check: one instant query and the limits its value is held to.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueryCheck {
    /// The `[[prometheus]]` asked, by name.
    pub prometheus: String,
    /// That server's base URL; a password in it is basic auth, never shown.
    pub url: Url,
    /// The PromQL expression, as written.
    pub query: String,
    pub limits: ValueLimits,
    /// Shown after the value: "%", "s", "req/s", "B".
    pub unit: Option<String>,
}

/// `warn` and `crit` of a query. A value at or past `crit` is critical, at or past `warn`
/// a warning; "past" is above, or below when `below` is set (for values where low is bad,
/// like free space or a success ratio).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ValueLimits {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub below: bool,
}

impl QueryCheck {
    /// The query's URL as it may be shown or logged (password masked):
    /// `…/api/v1/query?query=…`, which a person can open to see the same answer.
    pub fn display_target(&self) -> String {
        let mut url = crate::net::masked(&self.url);
        let path = format!("{}/api/v1/query", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.query_pairs_mut().append_pair("query", &self.query);
        url.to_string()
    }

    /// "warn>80%  crit>95%", "warn<10 GiB" for `below`, or "no limits".
    pub fn limits_text(&self) -> String {
        let unit = self.unit.as_deref();
        let side = if self.limits.below { "<" } else { ">" };
        let shown = [("warn", self.limits.warn), ("crit", self.limits.crit)]
            .into_iter()
            .filter_map(|(name, limit)| {
                limit.map(|limit| format!("{name}{side}{}", show(limit, unit)))
            })
            .collect::<Vec<_>>();
        match shown.is_empty() {
            true => "no limits".to_string(),
            false => shown.join("  "),
        }
    }
}

impl fmt::Debug for QueryCheck {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &crate::net::display_url(&self.url))
            .field("query", &self.query)
            .field("limits", &self.limits)
            .field("unit", &self.unit)
            .finish()
    }
}
