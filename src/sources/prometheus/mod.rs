//! Prometheus as a source: each `[[prometheus.query]]` is a service whose check asks an
//! instant query (`query.rs`), reads the answer (`wire.rs`) and judges its value against
//! the query's limits (`level.rs`); with `targets = true` each scrape target is a card
//! too (`targets.rs` reads their health, `discovery.rs` follows the set as it changes).

pub mod discovery;
mod level;
mod query;
pub mod targets;
mod wire;

#[cfg(test)]
mod tests_level;
#[cfg(test)]
mod tests_targets;

pub use level::{judge, level, past_limit, show};
pub use query::QueryTarget;
pub use wire::Answer;

use reqwest::Client;

/// The client every query check shares: no proxy, no retries, connections kept (one
/// Prometheus answers many queries).
pub fn client() -> Result<Client, reqwest::Error> {
    crate::net::api_client(3)
}

/// A query check of service `id` (configured as `service`) at `at(secs)` that got
/// `answer`, judged as the prober judges it.
#[cfg(test)]
pub fn judged_check(
    id: crate::view::check::ServiceId,
    secs: u64,
    service: &crate::config::ServiceConfig,
    answer: Answer,
) -> crate::view::check::CheckResult {
    let crate::config::CheckConfig::Query(query) = &service.check else {
        panic!("{} is not a query service", service.name);
    };
    let (outcome, reading) = judge(query, 200, answer);
    crate::view::check::CheckResult {
        reading: Some(reading),
        ..crate::test_support::check(id, secs, 3, outcome)
    }
}
