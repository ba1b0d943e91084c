//! One service as the screen sees it: its config, state, recent checks and history.
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::ServiceConfig;
use crate::contract::ServiceState;
use crate::kinds::Certificate;
use crate::view::check::{CheckResult, ServiceId};
use crate::view::totals::CheckTotals;

/// One service as the screen sees it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ServiceView {
    pub id: ServiceId,
    pub config: Arc<ServiceConfig>,
    pub state: ServiceState,
    /// Newest last; at most `RECENT_CHECKS` entries, with reasons.
    pub recent: Vec<CheckResult>,
    /// Oldest first, covering the history window; for sparklines and charts.
    pub samples: Vec<HistorySample>,
    pub stats: WindowStats,
    /// Failed checks in a row (shown while a service is failing but not yet DOWN).
    pub consecutive_failures: u32,
    /// Counts since the service was configured, for `/metrics` (not sent to viewers).
    #[serde(skip)]
    pub totals: CheckTotals,
    /// When the checked state (UP, DEGRADED, DOWN; not PAUSED) began; `None` while
    /// UNKNOWN. A DEGRADED service older than `[alerts] degraded_for` raises an alert.
    pub since: Option<SystemTime>,
    /// When it last came back from DOWN: its error rate counts the checks after it.
    pub recovered: Option<SystemTime>,
    /// Checks in a row that passed within `degraded_after`: an incident resolves after
    /// `success_threshold` of them.
    pub healthy_in_row: u32,
    /// The certificate its HTTPS server last presented (kept while later checks fail
    /// before a TLS answer).
    #[serde(default)]
    pub certificate: Option<Arc<Certificate>>,
}

impl ServiceView {
    /// The most recent check, if any.
    pub fn last(&self) -> Option<&CheckResult> {
        self.recent.last()
    }
}

/// How many recent checks (with their reasons) a view keeps for the detail screen.
pub const RECENT_CHECKS: usize = 20;

/// One point of check history, packed small (16 bytes): a window holds thousands.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct HistorySample {
    /// Milliseconds since the Unix epoch when the check started.
    pub at_ms: u64,
    /// Response time in microseconds in the low 30 bits (saturating at about 17
    /// minutes); the top bit is set when the check passed, the next when it said nothing
    /// about its service (a query without a value, a Prometheus that did not answer).
    latency_and_pass: u32,
    /// The value a query check read; NaN when it read none (and for HTTP and TCP checks).
    value: f32,
}

/// Milliseconds since the epoch, as samples hold times; times before it count as 0.
pub fn epoch_millis(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

const PASSED_BIT: u32 = 1 << 31;
const NOTHING_BIT: u32 = 1 << 30;
const LATENCY_BITS: u32 = NOTHING_BIT - 1;

impl HistorySample {
    pub fn new(at_ms: u64, latency: Duration, passed: bool, value: Option<f64>) -> Self {
        let micros = u32::try_from(latency.as_micros()).unwrap_or(u32::MAX);
        let pass = if passed { PASSED_BIT } else { 0 };
        Self {
            at_ms,
            latency_and_pass: micros.min(LATENCY_BITS) | pass,
            // Narrowed on purpose: a sparkline needs no more than f32's 7 digits. Finite
            // values beyond f32's range are held at its edge, not turned into infinities.
            value: value.map_or(f32::NAN, |v| {
                let edge = f64::from(f32::MAX);
                if v.is_finite() {
                    v.clamp(-edge, edge) as f32
                } else {
                    v as f32
                }
            }),
        }
    }

    /// The sample `check` leaves in its service's history.
    pub fn of_check(check: &CheckResult) -> Self {
        let at_ms = epoch_millis(check.at);
        let value = check.reading.and_then(|reading| reading.value);
        let sample = Self::new(at_ms, check.latency, check.outcome.is_pass(), value);
        if check.said_nothing() {
            sample.saying_nothing()
        } else {
            sample
        }
    }

    /// This sample as a check that said nothing about its service: it failed, but
    /// counts neither for nor against it (uptime, error rates).
    pub fn saying_nothing(mut self) -> Self {
        self.latency_and_pass = (self.latency_and_pass & LATENCY_BITS) | NOTHING_BIT;
        self
    }

    pub fn said_nothing(&self) -> bool {
        self.latency_and_pass & NOTHING_BIT != 0
    }

    pub fn at(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(self.at_ms)
    }

    /// Response time in microseconds.
    pub fn latency_us(&self) -> u32 {
        self.latency_and_pass & LATENCY_BITS
    }

    pub fn latency(&self) -> Duration {
        Duration::from_micros(u64::from(self.latency_us()))
    }

    pub fn passed(&self) -> bool {
        self.latency_and_pass & PASSED_BIT != 0
    }

    /// The value a query check read, if it read a finite one.
    pub fn value(&self) -> Option<f64> {
        self.value.is_finite().then_some(f64::from(self.value))
    }
}

impl PartialEq for HistorySample {
    /// Bit for bit, so two samples without a value (NaN) are equal.
    fn eq(&self, other: &Self) -> bool {
        self.at_ms == other.at_ms
            && self.latency_and_pass == other.latency_and_pass
            && self.value.to_bits() == other.value.to_bits()
    }
}

impl Eq for HistorySample {}

const _: () = assert!(std::mem::size_of::<HistorySample>() == 16);

/// Figures over the history window.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct WindowStats {
    /// Median response time of passing checks.
    pub p50: Option<Duration>,
    /// 95th percentile response time of passing checks.
    pub p95: Option<Duration>,
    /// Share of the checks that said something about the service that passed,
    /// 0.0..=1.0.
    pub uptime: Option<f64>,
    /// Checks in the window.
    pub checks: usize,
    /// Checks in the window that said something (all but queries without a value and
    /// reads of a Prometheus that did not answer).
    pub judged: usize,
}
