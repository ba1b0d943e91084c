//! One check's result as the engine keeps it and every screen shows it.

use std::time::{Duration, SystemTime};

/// Index of a service in `Config::services`; stable for the life of a config.
pub type ServiceId = usize;

/// The result of one check of one service.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckResult {
    pub service: ServiceId,
    /// Wall-clock time the check started.
    pub at: SystemTime,
    /// Time from start to verdict (includes connect when connections are fresh).
    pub latency: Duration,
    /// How late the check started against its plan.
    pub lag: Duration,
    pub outcome: Outcome,
    /// What a Prometheus check read (a query's value, a scrape target's last scrape
    /// duration); `None` for HTTP and TCP checks, and for a query that got no answer (an
    /// HTTP or Prometheus error, a timeout).
    pub reading: Option<Reading>,
}

/// The value a Prometheus check read and where it stands (against a query's limits, or
/// by a target's health).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// `None` when the query returned no series; NaN and infinities are kept as read.
    pub value: Option<f64>,
    pub level: Level,
}

/// Where a query's value stands: it decides UP, DEGRADED, DOWN or UNKNOWN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// Inside both limits: the check passes.
    Normal,
    /// At or past `warn`: the check passes, the service is DEGRADED.
    Warning,
    /// At or past `crit`: the check fails.
    Critical,
    /// No usable value (no series, NaN, an infinity): the service is UNKNOWN.
    Unknown,
}

/// Whether a check passed, and why not.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    Pass {
        /// HTTP status, when the check is HTTP.
        status: Option<u16>,
    },
    Fail {
        status: Option<u16>,
        /// Short and precise: "timeout after 5s", "status 503", "body lacks \"ok\"".
        reason: String,
    },
}

impl Outcome {
    pub fn is_pass(&self) -> bool {
        matches!(self, Outcome::Pass { .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Pass { status } | Outcome::Fail { status, .. } => *status,
        }
    }
}

impl CheckResult {
    /// True when the check said nothing about its service: a query that read no usable
    /// value, a Prometheus that did not answer for its targets. Such a check makes the
    /// service UNKNOWN and counts neither for nor against it.
    pub fn said_nothing(&self) -> bool {
        self.reading
            .is_some_and(|reading| reading.level == Level::Unknown)
    }
}
