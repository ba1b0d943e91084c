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
    crate::probe::install_crypto_provider();
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::limited(3))
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .user_agent(concat!("lookout/", env!("CARGO_PKG_VERSION")))
        .build()
}
