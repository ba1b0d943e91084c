//! `GET /api/v1/status`: every service's state and figures as JSON, for scripts and
//! status pages.

use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{AppState, reply};
use crate::contract::ServiceState;
use crate::kinds::Outcome;
use crate::view::check::CheckResult;
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;
use crate::words::rfc3339;

/// The whole answer.
#[derive(Debug, Serialize)]
pub struct Status<'a> {
    pub version: &'static str,
    /// The config file in use.
    pub config: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    pub counts: StateCounts,
    pub services: Vec<ServiceStatus<'a>>,
}

/// Services per state, every state present, keyed by the contract word (`"UP"`, …).
#[derive(Debug, Default)]
pub struct StateCounts([usize; ServiceState::ALL.len()]);

impl StateCounts {
    pub fn of(snapshot: &Snapshot) -> Self {
        let mut counts = Self::default();
        for service in &snapshot.services {
            if let Some(i) = ServiceState::ALL.iter().position(|&s| s == service.state) {
                counts.0[i] += 1;
            }
        }
        counts
    }

    pub fn get(&self, state: ServiceState) -> usize {
        ServiceState::ALL
            .iter()
            .position(|&s| s == state)
            .map_or(0, |i| self.0[i])
    }
}

impl Serialize for StateCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (state, count) in ServiceState::ALL.iter().zip(self.0) {
            map.serialize_entry(state.as_str(), &count)?;
        }
        map.end()
    }
}

/// One service. `target` is redacted (a URL's password is `***`); headers never appear.
#[derive(Debug, Serialize)]
pub struct ServiceStatus<'a> {
    pub name: &'a str,
    pub group: Option<&'a str>,
    pub severity: &'static str,
    pub state: &'static str,
    pub target: String,
    pub interval_ms: u64,
    pub last_check: Option<LastCheck<'a>>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    /// Share of passing checks in the history window, 0.0..=1.0.
    pub uptime: Option<f64>,
    pub checks_in_window: usize,
    pub consecutive_failures: u32,
    /// The certificate its HTTPS server last presented; absent when none has been seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateStatus<'a>>,
}

/// What a server's certificate says: when it expires (RFC 3339), whom it is for, who
/// issued it.
#[derive(Debug, Serialize)]
pub struct CertificateStatus<'a> {
    pub expires_at: String,
    pub subject: &'a str,
    pub issuer: &'a str,
    pub names: &'a [String],
    /// The subjects of the certificates sent with it (a `tls` check's chain).
    pub chain: &'a [String],
}

/// The most recent check of a service.
#[derive(Debug, Serialize)]
pub struct LastCheck<'a> {
    /// RFC 3339, UTC, to the millisecond.
    pub at: String,
    pub latency_ms: f64,
    pub passed: bool,
    pub status: Option<u16>,
    pub reason: Option<&'a str>,
    /// The value a Prometheus query read (a scrape target's last scrape duration); absent
    /// for HTTP and TCP services and when none was read (NaN and infinities are not JSON
    /// numbers: the reason names them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl<'a> Status<'a> {
    /// The status of `snapshot` as of `now`.
    pub fn new(snapshot: &'a Snapshot, now: SystemTime) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION"),
            config: snapshot.config_source.display().to_string(),
            generated_at: rfc3339(now),
            counts: StateCounts::of(snapshot),
            services: snapshot
                .services
                .iter()
                .map(|s| ServiceStatus::new(s))
                .collect(),
        }
    }
}

impl<'a> ServiceStatus<'a> {
    pub(super) fn new(service: &'a ServiceView) -> Self {
        let config = &service.config;
        Self {
            name: &config.name,
            group: config.group.as_deref(),
            severity: config.severity.as_str(),
            state: service.state.as_str(),
            target: config.check.display_target(),
            interval_ms: u64::try_from(config.interval.as_millis()).unwrap_or(u64::MAX),
            last_check: service.last().map(LastCheck::new),
            p50_ms: service.stats.p50.map(millis),
            p95_ms: service.stats.p95.map(millis),
            uptime: service.stats.uptime,
            checks_in_window: service.stats.checks,
            consecutive_failures: service.consecutive_failures,
            certificate: service
                .certificate
                .as_deref()
                .map(|cert| CertificateStatus {
                    expires_at: rfc3339(cert.not_after),
                    subject: &cert.subject,
                    issuer: &cert.issuer,
                    names: &cert.names,
                    chain: &cert.chain,
                }),
        }
    }
}

impl<'a> LastCheck<'a> {
    fn new(check: &'a CheckResult) -> Self {
        Self {
            at: rfc3339(check.at),
            latency_ms: millis(check.latency),
            passed: check.outcome.is_pass(),
            status: check.outcome.status(),
            reason: match &check.outcome {
                Outcome::Fail { reason, .. } => Some(reason),
                Outcome::Pass { .. } => None,
            },
            value: check
                .reading
                .and_then(|reading| reading.value)
                .filter(|value| value.is_finite()),
        }
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// `GET /api/v1/status`.
pub(super) async fn get_status(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    reply::json(StatusCode::OK, &Status::new(&snapshot, SystemTime::now()))
}
