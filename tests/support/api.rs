//! The local API of a headless lookout from a test: a client, starting lookout and
//! finding where it listens, and waiting for its one active alert.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::headless::Headless;

/// How long lookout gets to listen and to raise its alert.
const LIMIT: Duration = Duration::from_secs(20);

/// The `[server] token` of the tests' configs ([`super::fleet::FastConfig::headless_api`]).
pub const TOKEN: &str = "test-token-for-writes-0000";

/// No proxy, a 5 s limit per request; every request says JSON and carries [`TOKEN`], as
/// writes need.
pub fn client() -> reqwest::Client {
    lookout::net::install_crypto_provider();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    let bearer = format!("Bearer {TOKEN}");
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&bearer).expect("header"),
    );
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .default_headers(headers)
        .build()
        .expect("client")
}

/// Starts lookout headless; returns it with its API's base URL.
pub fn start(path: &Path) -> (Headless, String) {
    let mut lookout = Headless::start(path, &[]);
    let listening = lookout.seen_or_wait("server_listening", None, LIMIT);
    let base = format!("http://{}", listening["address"].as_str().expect("address"));
    (lookout, base)
}

/// The active alerts of `GET /api/v1/alerts`, once `ready` holds for them.
pub async fn alerts_when(
    client: &reqwest::Client,
    base: &str,
    ready: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + LIMIT;
    loop {
        let body: Value = client
            .get(format!("{base}/api/v1/alerts"))
            .send()
            .await
            .expect("GET alerts")
            .json()
            .await
            .expect("JSON");
        let alerts = body["alerts"].as_array().cloned().unwrap_or_default();
        if ready(&alerts) {
            return alerts;
        }
        assert!(Instant::now() < deadline, "not yet: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The first active alert of `GET /api/v1/alerts`, once there is one.
pub async fn the_alert(client: &reqwest::Client, base: &str) -> Value {
    alerts_when(client, base, |alerts| !alerts.is_empty()).await[0].clone()
}

/// The open alert about `subject`, once there is one.
pub async fn alert_about(client: &reqwest::Client, base: &str, subject: &str) -> Value {
    let alerts = alerts_when(client, base, |alerts| {
        alerts.iter().any(|a| a["subject"] == subject)
    })
    .await;
    alerts
        .into_iter()
        .find(|a| a["subject"] == subject)
        .unwrap_or_default()
}
