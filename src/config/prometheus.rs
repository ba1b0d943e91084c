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

/// `interval` unless the config says otherwise (Prometheus's own default scrape interval).
pub(crate) const DEFAULT_INTERVAL: Duration = Duration::from_secs(15);
/// `timeout` unless the config says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

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
        crate::net::display_url(&self.url)
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
