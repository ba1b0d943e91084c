//! `[[prometheus]]`: the Prometheus servers lookout reads, the checks of their queries
//! and scrape targets, and the limits a query's value is held to. Read by
//! `prometheus_read.rs` (the servers) and `prometheus_query.rs` (each query). A password
//! in `url` is a secret: masked in every message and never logged.

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use super::Severity;

/// `[[prometheus]]`: one Prometheus server (HTTP API v1).
#[derive(Clone, PartialEq)]
pub struct PrometheusConfig {
    /// Unique; names the server in logs, and is the default group of its queries.
    pub name: String,
    /// The base URL, without `/api/v1` (`http://127.0.0.1:9090`, or with the route
    /// prefix). A password in it is sent as basic auth and never shown.
    pub url: Url,
    /// How often each of its queries is asked.
    pub interval: Duration,
    /// The limit of one request.
    pub timeout: Duration,
    /// Show its scrape targets (`GET /api/v1/targets`) as cards.
    pub targets: bool,
    /// What its target cards get from `[defaults]`.
    pub target_timing: TargetTiming,
}

/// The `[defaults]` a `[[prometheus]]`'s target cards are made with (they are found at
/// run time, after the config is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetTiming {
    pub severity: Severity,
    pub failure_threshold: u32,
    pub success_threshold: u32,
}

/// A scrape target of a `[[prometheus]]` with `targets = true`, shown as a card: its
/// health as Prometheus last saw it.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TargetCheck {
    /// The `[[prometheus]]` asked, by name.
    pub prometheus: String,
    /// That server's base URL; a password in it is basic auth, never shown.
    pub url: Url,
    /// Prometheus's `scrapePool` and `scrapeUrl`: together they name the target.
    pub scrape_pool: String,
    pub scrape_url: String,
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

/// `interval` unless the config says otherwise (Prometheus's own default scrape interval).
pub(crate) const DEFAULT_INTERVAL: Duration = Duration::from_secs(15);
/// `timeout` unless the config says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// `url` with its password, if any, replaced by `***`.
pub(crate) fn masked(url: &Url) -> Url {
    let mut url = url.clone();
    if url.password().is_some() {
        // Setting a password only fails for URLs that cannot have one.
        let _ = url.set_password(Some("***"));
    }
    url
}

/// The URL as it may be shown or logged: a password is replaced by `***`.
pub(crate) fn display_url(url: &Url) -> String {
    masked(url).to_string()
}

impl PrometheusConfig {
    /// The documented defaults for `url`: queried every 15s, 5s timeout, no targets.
    pub fn new(name: &str, url: Url) -> Self {
        Self {
            name: name.to_string(),
            url,
            interval: DEFAULT_INTERVAL,
            timeout: DEFAULT_TIMEOUT,
            targets: false,
            target_timing: TargetTiming {
                severity: Severity::Medium,
                failure_threshold: 2,
                success_threshold: 1,
            },
        }
    }

    /// The URL as it may be shown or logged: a password is replaced by `***`.
    pub fn display_url(&self) -> String {
        display_url(&self.url)
    }
}

impl QueryCheck {
    /// The query's URL as it may be shown or logged (password masked):
    /// `…/api/v1/query?query=…`, which a person can open to see the same answer.
    pub fn display_target(&self) -> String {
        let mut url = masked(&self.url);
        let path = format!("{}/api/v1/query", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.query_pairs_mut().append_pair("query", &self.query);
        url.to_string()
    }
}

impl fmt::Debug for PrometheusConfig {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrometheusConfig")
            .field("name", &self.name)
            .field("url", &self.display_url())
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("targets", &self.targets)
            .field("target_timing", &self.target_timing)
            .finish()
    }
}

impl fmt::Debug for TargetCheck {
    /// Shows Prometheus's URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TargetCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &display_url(&self.url))
            .field("scrape_pool", &self.scrape_pool)
            .field("scrape_url", &self.scrape_url)
            .finish()
    }
}

impl fmt::Debug for QueryCheck {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &display_url(&self.url))
            .field("query", &self.query)
            .field("limits", &self.limits)
            .field("unit", &self.unit)
            .finish()
    }
}
