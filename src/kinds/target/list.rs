//! Prometheus's scrape targets (`GET /api/v1/targets?state=active`): the answer read into
//! what a card needs (health, last scrape duration, last error), and a target's check,
//! which reads them from a list fetched at most once per interval for all the targets
//! of one Prometheus.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, Url};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::kinds::TargetCheck;
use crate::kinds::{Level, Outcome, Reading};
use crate::net::reason::from_error as failure_reason;

/// The largest answer read: a target is about a kilobyte, so this holds thousands.
const MAX_ANSWER_BYTES: usize = 16 << 20;

/// One active target as Prometheus reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveTarget {
    pub scrape_pool: String,
    pub scrape_url: String,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    /// "up", "down" or "unknown" (not scraped yet).
    pub health: String,
    #[serde(default)]
    pub last_error: String,
    /// Seconds.
    #[serde(default)]
    pub last_scrape_duration: f64,
}

impl ActiveTarget {
    /// The `job` label, else the scrape pool.
    pub fn job(&self) -> &str {
        self.labels.get("job").unwrap_or(&self.scrape_pool)
    }

    /// The `instance` label, else the scrape URL.
    pub fn instance(&self) -> &str {
        self.labels.get("instance").unwrap_or(&self.scrape_url)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    status: String,
    #[serde(default)]
    data: Option<TargetsData>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetsData {
    #[serde(default)]
    active_targets: Vec<ActiveTarget>,
}

/// Reads a `/api/v1/targets` answer; `Err` is the reason a person reads.
pub fn parse(body: &[u8]) -> Result<Vec<ActiveTarget>, String> {
    let envelope: Envelope = serde_json::from_slice(body)
        .map_err(|error| format!("answer is not Prometheus API JSON ({error})"))?;
    if envelope.status != "success" {
        let kind = envelope.error_type.as_deref().unwrap_or("error");
        let text = envelope.error.as_deref().unwrap_or("no explanation given");
        return Err(format!("Prometheus {kind}: {text}"));
    }
    Ok(envelope.data.map(|d| d.active_targets).unwrap_or_default())
}

/// Asks `base` (Prometheus's base URL) for its active targets; a password in the URL
/// is sent as basic auth.
pub async fn fetch(client: &Client, base: &Url) -> Result<Vec<ActiveTarget>, String> {
    let mut url = base.clone();
    let path = format!("{}/api/v1/targets", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.query_pairs_mut().append_pair("state", "active");
    let host = base.host_str().unwrap_or_default().to_string();
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|error| failure_reason(&error, &host))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| failure_reason(&error, &host))?
    {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(format!("answer larger than {} MiB", MAX_ANSWER_BYTES >> 20));
        }
        body.extend_from_slice(&chunk);
    }
    match parse(&body) {
        Err(_) if !(200..300).contains(&status) => Err(format!("status {status}")),
        parsed => parsed,
    }
}

/// A fetch of the target list: when, and what it gave.
type Fetched = (Instant, Result<Arc<[ActiveTarget]>, String>);

/// One Prometheus's target list, shared by the checks of all its target cards: fetched
/// again only once `fresh_for` has passed, by whichever check comes first.
pub struct TargetList {
    client: Client,
    url: Url,
    fresh_for: Duration,
    /// A little under the cards' timeout, so a Prometheus that hangs makes them
    /// UNKNOWN (it says nothing about the targets) before the check itself times out.
    patience: Duration,
    latest: Mutex<Option<Fetched>>,
}

impl TargetList {
    /// The list of the Prometheus at `url`, for cards checked every `interval` within
    /// `timeout`.
    pub fn new(client: Client, url: Url, interval: Duration, timeout: Duration) -> Self {
        Self {
            client,
            url,
            fresh_for: interval / 2,
            patience: timeout.mul_f64(0.9),
            latest: Mutex::new(None),
        }
    }

    /// The list, fetched now unless a fresh one is at hand. Concurrent callers wait for
    /// the one fetch.
    async fn current(&self) -> Result<Arc<[ActiveTarget]>, String> {
        let mut latest = self.latest.lock().await;
        if let Some((at, list)) = latest.as_ref()
            && at.elapsed() < self.fresh_for
        {
            return list.clone();
        }
        let list = fetch(&self.client, &self.url).await.map(Arc::from);
        *latest = Some((Instant::now(), list.clone()));
        list
    }

    /// The check of one target card.
    pub async fn check(&self, target: &TargetCheck) -> (Outcome, Option<Reading>) {
        match tokio::time::timeout(self.patience, self.current()).await {
            Ok(Ok(list)) => judge(&list, target),
            // Prometheus not answering says nothing about the target itself.
            Ok(Err(reason)) => unknown(None, format!("Prometheus: {reason}")),
            Err(_) => unknown(
                None,
                format!("Prometheus: {}", crate::net::reason::timeout(self.patience)),
            ),
        }
    }
}

/// A target's health as a check: up passes, down fails with Prometheus's last error,
/// not scraped yet or gone is UNKNOWN. The value is the last scrape's duration.
pub fn judge(list: &[ActiveTarget], target: &TargetCheck) -> (Outcome, Option<Reading>) {
    let found = list
        .iter()
        .find(|t| t.scrape_pool == target.scrape_pool && t.scrape_url == target.scrape_url);
    let Some(found) = found else {
        return unknown(
            None,
            "no longer among Prometheus's active targets".to_string(),
        );
    };
    let duration = Some(found.last_scrape_duration);
    match found.health.as_str() {
        "up" => (
            Outcome::Pass { status: None },
            Some(Reading {
                value: duration,
                level: Level::Normal,
            }),
        ),
        "down" => {
            let reason = match found.last_error.trim() {
                "" => "scrape failed".to_string(),
                error => format!("scrape failed: {error}"),
            };
            (
                Outcome::Fail {
                    status: None,
                    reason,
                },
                Some(Reading {
                    value: duration,
                    level: Level::Critical,
                }),
            )
        }
        "unknown" => unknown(None, "not scraped yet".to_string()),
        other => unknown(duration, format!("health {other:?}")),
    }
}

fn unknown(value: Option<f64>, reason: String) -> (Outcome, Option<Reading>) {
    (
        Outcome::Fail {
            status: None,
            reason,
        },
        Some(Reading {
            value,
            level: Level::Unknown,
        }),
    )
}
