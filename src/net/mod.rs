//! What lookout's network clients share: one TLS provider, API clients built alike,
//! short failure reasons, and the doubling wait between tries.

pub mod reason;
mod url_mask;

pub use url_mask::{display_url, masked};

use std::time::Duration;

use reqwest::{Client, redirect};

/// lookout's `User-Agent`, on checks and on every API it talks to.
pub const USER_AGENT: &str = concat!("lookout/", env!("CARGO_PKG_VERSION"));

/// Installs rustls' ring provider as the process default, so every TLS client agrees on
/// one provider (mixing ring and aws-lc-rs makes rustls panic at the first handshake).
/// Safe to call any number of times; every client builder here calls it.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another installer is fine: only ring is linked in.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A client for an API lookout talks to (Prometheus, an Alertmanager, a notice
/// channel): no proxy, at most `redirects` redirects followed, no hidden retries (what
/// failed is reported, and the caller decides when to try again).
pub fn api_client(redirects: usize) -> Result<Client, reqwest::Error> {
    install_crypto_provider();
    let policy = match redirects {
        0 => redirect::Policy::none(),
        limit => redirect::Policy::limited(limit),
    };
    Client::builder()
        .no_proxy()
        .redirect(policy)
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .user_agent(USER_AGENT)
        .build()
}

/// The wait before try number `attempt` after a failure (1-based): `first`, doubled for
/// each earlier failure, never beyond `most`.
pub fn backoff(first: Duration, attempt: u32, most: Duration) -> Duration {
    let doublings = attempt.saturating_sub(1).min(31);
    first.saturating_mul(1 << doublings).min(most)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_up_to_its_limit() {
        let s = Duration::from_secs;
        let waits: Vec<_> = (1..=6).map(|n| backoff(s(1), n, s(10))).collect();
        assert_eq!(waits, [s(1), s(2), s(4), s(8), s(10), s(10)]);
        assert_eq!(backoff(s(1), 0, s(10)), s(1));
        assert_eq!(backoff(s(1), u32::MAX, Duration::MAX), s(1 << 31));
    }
}
