//! What one check of any kind reports: passed or failed and why, the value it read, and
//! the certificate a TLS server presented.

use std::sync::Arc;

use super::certificate::Certificate;

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

/// Everything one check reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub outcome: Outcome,
    /// What a value-reading check read.
    pub reading: Option<Reading>,
    /// The certificate the server presented, for a check that got a TLS answer.
    pub certificate: Option<Arc<Certificate>>,
}

impl Checked {
    /// An outcome and what it read.
    pub fn read(outcome: Outcome, reading: Option<Reading>) -> Self {
        Self {
            outcome,
            reading,
            certificate: None,
        }
    }
}

impl From<Outcome> for Checked {
    fn from(outcome: Outcome) -> Self {
        Self::read(outcome, None)
    }
}
