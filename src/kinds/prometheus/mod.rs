//! What the Prometheus kinds share: their client and the API's answers (`wire.rs`).

pub mod wire;

use reqwest::Client;

/// The client every Prometheus check shares (no proxy, no retries, connections kept:
/// one Prometheus answers many checks), or why it cannot be built.
pub fn client() -> Result<Client, String> {
    crate::net::api_client(3).map_err(|error| {
        let reason = crate::net::reason::innermost(&error);
        format!("HTTP client setup failed: {reason}")
    })
}
