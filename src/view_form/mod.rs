//! The live stream in lookout's own view types (`/api/v1/stream?form=view`): what an
//! attached dashboard draws, as events. The engine turns each second's snapshot into
//! changes ([`Picture`]); a viewer turns the events back into snapshots ([`Mirror`]).

mod mirror;
mod picture;
mod rows;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::config::ServiceConfig;
use crate::contract::ServiceState;
use crate::kinds::Certificate;
use crate::view::alert::AlertView;
use crate::view::alertmanager::AlertmanagerView;
use crate::view::check::CheckResult;
use crate::view::jobs::JobsView;
use crate::view::machine::SystemView;
use crate::view::snapshot::{ActionNotice, EngineInfo, NoticeHealth, ReloadNotice, StoreTrouble};

pub use mirror::{Mirror, MirrorError};
pub use picture::{Picture, whole};

/// The whole picture: the first event, and again whenever the list of services or the
/// history window changed (a reload), or a client fell behind.
#[derive(Debug, Serialize, Deserialize)]
struct Whole {
    engine: EngineInfo,
    services: Vec<ServiceWhole>,
    alerts: Vec<Arc<AlertView>>,
    alert_history: Vec<Arc<AlertView>>,
    machine: Option<Arc<SystemView>>,
    jobs: Option<Arc<JobsView>>,
    extras: Extras,
}

/// A service in a `snapshot` event: its head, its last checks with their reasons, and
/// its history as compact rows (`[at_ms, latency_us, passed, value]`).
#[derive(Debug, Serialize, Deserialize)]
struct ServiceWhole {
    head: Head,
    recent: Vec<CheckResult>,
    samples: Vec<rows::SampleRow>,
    consecutive_failures: u32,
}

/// What a `service` event says: a service's config (secrets masked) and state, when
/// either changed. Per-check figures follow from the `checks` rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    config: Arc<ServiceConfig>,
    state: ServiceState,
    since: Option<SystemTime>,
    recovered: Option<SystemTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    certificate: Option<Arc<Certificate>>,
}

/// What the status bar and the alert pane show besides services and alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Extras {
    config_source: PathBuf,
    history: Duration,
    /// The worst start lag, to a tenth of a second (finer would change every second).
    max_lag: Duration,
    reload: Option<Arc<ReloadNotice>>,
    alertmanagers: Vec<Arc<AlertmanagerView>>,
    notice: Option<Arc<ActionNotice>>,
    store: Option<Arc<StoreTrouble>>,
    notices: Option<Arc<NoticeHealth>>,
    /// Commands carried out: a viewer draws at once when it moves.
    acted: u64,
}
