//! One check's result as the engine keeps it and every screen shows it.

use std::time::{Duration, SystemTime};

use std::sync::Arc;

use crate::kinds::{Certificate, Level, Outcome, Reading};

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
    /// The certificate an HTTPS server presented, when the check got an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Arc<Certificate>>,
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
