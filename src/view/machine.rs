//! The read-only picture of the machine that frontends draw: the newest sample, the
//! history window of the main figures, and the thresholds that are not clear.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::{SystemThresholds, Threshold};
use crate::contract::Resource;
use crate::view::machine_sample::SystemSample;

/// The machine as of its newest sample.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SystemView {
    pub latest: SystemSample,
    /// Oldest first, covering the history window.
    pub history: Vec<SystemPoint>,
    /// Thresholds that are pending or exceeded, exceeded first.
    pub rules: Vec<RuleView>,
    /// The configured thresholds, for marks like a disk near full.
    pub thresholds: SystemThresholds,
    /// `[system] interval`.
    pub interval: Duration,
    /// `[general] history`.
    pub window: Duration,
}

impl SystemView {
    /// True when any threshold is exceeded (not only pending).
    pub fn exceeded(&self) -> bool {
        self.rules
            .iter()
            .any(|r| matches!(r.level, Level::Exceeded { .. }))
    }
}

/// One point of history: the figures that get charts. `None` is "n/a" at that time.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SystemPoint {
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// Total CPU use, percent.
    pub cpu: Option<f32>,
    /// Memory in use, percent.
    pub memory: Option<f32>,
    pub swap: Option<f32>,
    pub load: Option<f32>,
    /// Bytes per second over every shown interface.
    pub rx: Option<f32>,
    pub tx: Option<f32>,
}

impl SystemPoint {
    pub fn at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.at_ms)
    }
}

/// A threshold that is pending or exceeded.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleView {
    pub resource: Resource,
    /// The mount point, for `disk` and `inodes`.
    pub subject: Option<String>,
    /// The newest reading (percent, or load per core).
    pub value: f64,
    pub threshold: Threshold,
    pub level: Level,
}

/// Where a threshold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// The reading is at or below the threshold.
    #[default]
    Clear,
    /// Above since `since`, not yet for the whole `for` duration.
    Pending { since: SystemTime },
    /// Above since `since`, for at least the `for` duration.
    Exceeded { since: SystemTime },
}

impl Level {
    /// The word shown and logged: "ok", "pending" or "exceeded".
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Clear => "ok",
            Level::Pending { .. } => "pending",
            Level::Exceeded { .. } => "exceeded",
        }
    }
}
