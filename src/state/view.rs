//! The read-only picture of state that frontends render; cheap to clone.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::alert::AlertView;
use crate::config::ServiceConfig;
use crate::contract::ServiceState;
use crate::event::{CheckResult, ServiceId};
use crate::jobs::JobsView;
use crate::sources::alertmanager::AlertmanagerView;
use crate::state::histogram::Histogram;
use crate::state::{CheckTotals, SystemView};

/// Everything a frontend shows. Services are `Arc`s so a frame copies pointers.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// In config order; `services[id].id == id`.
    pub services: Vec<Arc<ServiceView>>,
    /// The config file in use.
    pub config_source: PathBuf,
    /// `[general] history`: how far back `samples` reach.
    pub history: Duration,
    /// The worst start lag among the most recent check of each service.
    pub max_lag: Duration,
    /// How late every check since the start began against its plan (for `/metrics`;
    /// not sent to viewers).
    #[serde(skip)]
    pub start_lag: StartLag,
    /// Alerts not resolved, most severe first, then oldest (the pane's order).
    pub alerts: Vec<Arc<AlertView>>,
    /// Resolved alerts, newest first, bounded (the `H` history).
    pub alert_history: Vec<Arc<AlertView>>,
    /// The outcome of the latest config reload, if there was one.
    pub reload: Option<Arc<ReloadNotice>>,
    /// The machine (`[system]`): `None` when sampling is off or no sample arrived yet.
    pub system: Option<Arc<SystemView>>,
    /// The job monitor (`[jobs]`): `None` when the config has no `[jobs]`.
    pub jobs: Option<Arc<JobsView>>,
    /// Every `[[alertmanager]]`: whether it answers, and its alerts (also merged into
    /// `alerts`, where their `origin` marks them).
    pub alertmanagers: Vec<Arc<AlertmanagerView>>,
    /// The outcome of the latest silence made or ended in an Alertmanager.
    pub notice: Option<Arc<ActionNotice>>,
    /// The state directory not taking lookout's writes, while it does not.
    pub store: Option<Arc<StoreTrouble>>,
    /// The `[[notify]]` channels, and those whose notices are not getting through.
    pub notices: Option<Arc<NoticeHealth>>,
    /// Commands the engine has carried out: when it moves, someone acted (on this screen,
    /// another or the API), and screens and the stream show it at once instead of with
    /// the next batch of checks.
    pub acted: u64,
    /// For a viewer attached to an engine elsewhere (`None` where the engine runs in
    /// this process): which engine, and whether it answers.
    #[serde(skip)]
    pub link: Option<Arc<Link>>,
}

/// The engine that serves a stream: what an attached viewer's status bar names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EngineInfo {
    pub pid: u32,
    /// "headless" or "dashboard".
    pub mode: String,
    /// When the engine started.
    pub started: SystemTime,
    pub version: String,
}

impl EngineInfo {
    /// This process, an engine in `mode` ("headless" or "dashboard") starting now.
    pub fn of_this_process(mode: &str) -> Self {
        Self {
            pid: std::process::id(),
            mode: mode.to_string(),
            started: SystemTime::now(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// How a viewer is connected to the engine it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Where the viewer connects ("the local socket", "http://db1:9100").
    pub to: String,
    /// The engine last heard from; `None` before the first answer.
    pub engine: Option<EngineInfo>,
    /// `None` while the stream flows; else since when it has not, and why.
    pub lost: Option<(SystemTime, String)>,
    /// The last command the engine did not take (counted, so each is shown once).
    pub failed: Option<(u64, String)>,
}

/// The `[[notify]]` channels as the alert engine sees them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NoticeHealth {
    /// Every channel configured, by name.
    pub channels: Vec<String>,
    /// Channels whose notices do not get through (one is held after its retries, or one
    /// was lost) and that have not delivered one since.
    pub trouble: Vec<ChannelTrouble>,
}

/// A channel whose notices do not get through.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChannelTrouble {
    pub channel: String,
    /// When the trouble began.
    pub since: SystemTime,
    /// The notice held and being tried again ("firing service_down/api #52"), while
    /// one is.
    pub holding: Option<String>,
    /// Notices lost since (refused for good, or dropped from a full queue).
    pub lost: u64,
    /// The last one lost.
    pub last_lost: Option<String>,
    /// The last error.
    pub error: String,
}

/// The state directory does not take writes: since when, why, and how much waits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoreTrouble {
    pub since: SystemTime,
    pub error: String,
    /// Changes held in memory for it.
    pub waiting: usize,
    /// The failure has been put right already (the next write was taken), and is
    /// shown once so that it is heard of.
    pub repaired: bool,
}

/// Upper bounds, in seconds, of the start-lag histogram's buckets.
pub const START_LAG_BUCKETS: [f64; 10] =
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// How late checks started against their plan, every check since the start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StartLag(pub Histogram<{ START_LAG_BUCKETS.len() }>);

impl Default for StartLag {
    fn default() -> Self {
        Self(Histogram::new(&START_LAG_BUCKETS))
    }
}

/// What became of something a person asked of another system (a silence in
/// Alertmanager), for the status bar.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActionNotice {
    /// Counts notices, so a frontend shows each one once.
    pub sequence: u64,
    pub at: SystemTime,
    pub ok: bool,
    pub text: String,
}

/// What became of a request to reload the config.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReloadNotice {
    /// Counts reloads (accepted or not), so a frontend sees each one once.
    pub sequence: u64,
    pub at: SystemTime,
    /// False when the new config was rejected and the old one keeps running.
    pub accepted: bool,
    /// One line for the status bar: what changed, or the first problem and how many more.
    pub summary: String,
    /// The accepted config's `[keys]`, which the dashboard takes at once (a viewer
    /// reads its own).
    #[serde(skip)]
    pub keys: Option<crate::keymap::KeyMap>,
}

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
    /// Response time in microseconds in the low 31 bits (saturating at about 35
    /// minutes); the top bit is set when the check passed.
    latency_and_pass: u32,
    /// The value a query check read; NaN when it read none (and for HTTP and TCP checks).
    value: f32,
}

const PASSED_BIT: u32 = 1 << 31;

impl HistorySample {
    pub fn new(at_ms: u64, latency: Duration, passed: bool, value: Option<f64>) -> Self {
        let micros = u32::try_from(latency.as_micros()).unwrap_or(u32::MAX);
        let pass = if passed { PASSED_BIT } else { 0 };
        Self {
            at_ms,
            latency_and_pass: micros.min(PASSED_BIT - 1) | pass,
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

    pub fn at(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(self.at_ms)
    }

    /// Response time in microseconds.
    pub fn latency_us(&self) -> u32 {
        self.latency_and_pass & !PASSED_BIT
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
    /// Share of checks that passed, 0.0..=1.0.
    pub uptime: Option<f64>,
    /// Checks in the window.
    pub checks: usize,
}
