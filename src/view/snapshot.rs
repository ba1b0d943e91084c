//! The snapshot: everything a frontend shows, cheap to clone (services and alerts are
//! `Arc`s), and what it says of the engine, the reloads and the notices.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::view::alert::AlertView;
use crate::view::alertmanager::AlertmanagerView;
use crate::view::histogram::Histogram;
use crate::view::jobs::JobsView;
use crate::view::machine::SystemView;
use crate::view::service::ServiceView;

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
