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
