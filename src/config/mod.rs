//! The fully validated configuration that the rest of lookout reads.
//!
//! `validate.rs` walks the spanned TOML document (with `sections.rs` for `[general]` and
//! `[defaults]`, `observe.rs` for `[log]` and `[server]`, `system.rs` for `[system]`, and
//! `service.rs`, `target.rs` and `http.rs` for each `[[service]]`; `alert_section.rs`,
//! `alert_rules.rs` and `maintenance.rs` for `[alerts]`, whose types are in `alerts.rs`
//! with `calendar.rs` for UTC dates; `notify.rs` for `[[notify]]`; `jobs.rs` and
//! `jobs_section.rs` for `[jobs]`; `alertmanager.rs` for `[[alertmanager]]`;
//! `prometheus_read.rs` and `prometheus_query.rs` for `[[prometheus]]`, whose types are in
//! `prometheus.rs`) and turns it
//! into these types, reporting every problem with its file, line and column; secrets (header values, URL passwords, the API `token`, notify URLs) are
//! masked in every line shown. The walker itself, with `${VAR}`, units, "did you mean"
//! and the error list, is `crate::document`. `locate.rs` finds the file.

mod alert_rules;
mod alert_section;
mod alertmanager;
mod alerts;
pub(crate) mod calendar;
mod jobs;
mod jobs_section;
mod keymap;
pub mod keys;
mod locate;
mod maintenance;
mod names;
mod notify;
mod observe;
mod prometheus;
mod prometheus_query;
mod prometheus_read;
mod sections;
mod selector;
mod service;
mod settings;
mod socket_group;
pub use socket_group::SocketGroup;
mod system;
mod validate;

#[cfg(test)]
mod tests_alertmanager;
#[cfg(test)]
mod tests_alerts;
#[cfg(test)]
mod tests_jobs;
#[cfg(test)]
mod tests_keymap;
#[cfg(test)]
mod tests_keys;
#[cfg(test)]
mod tests_maintenance;
#[cfg(test)]
mod tests_notify;
#[cfg(test)]
mod tests_observe;
#[cfg(test)]
mod tests_parse;
#[cfg(test)]
mod tests_prometheus;
#[cfg(test)]
mod tests_rules;
#[cfg(test)]
mod tests_system;

use std::path::{Path, PathBuf};
use std::time::Duration;

// The document walker, under the names the sections' readers use (`super::walk`).
use crate::document::{errors, suggest, units, walk};
use crate::kinds::CheckConfig;

pub use crate::document::errors::{ConfigErrors, ConfigProblem};
pub use alertmanager::AlertmanagerConfig;
pub use alerts::{
    AlertRule, AlertsConfig, MaintenanceWindow, Metric, Op, RuleThreshold, Schedule, Selector,
    SystemSeverity,
};
pub use jobs::{JobColumns, JobStates, JobsConfig, JobsDatabase, TimestampFormat};
pub use locate::{LocateError, locate};
pub use notify::{NotifyChannel, NotifyConfig};
pub use observe::{DEFAULT_LOG_KEEP, LogConfig, Rotation, ServerConfig};
pub use prometheus::{PrometheusConfig, TargetTiming};
pub use system::{SystemConfig, SystemThresholds, Threshold};

/// `Config::source` of a config built into lookout rather than read from a file (the
/// demo's): shown where a real config shows its path; there is no file to reload.
pub const BUILT_IN_SOURCE: &str = "<demo>";

/// Reads and validates the config file at `path`, taking `${VAR}` from the process
/// environment.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigErrors::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path, &|name| std::env::var(name).ok())
}

/// Validates config `text` that came from `source` (used in messages and as
/// [`Config::source`]); `env` answers `${VAR}` so tests need not touch the process
/// environment.
pub fn parse(
    text: &str,
    source: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigErrors> {
    validate::document(text, source, env)
        .map_err(|found| ConfigErrors::invalid(text, source, found))
}

/// Everything lookout needs to run, checked once at startup.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file the config came from (shown in the status bar).
    pub source: PathBuf,
    pub general: GeneralConfig,
    pub log: LogConfig,
    /// `[server]`: the local HTTP API; `None` unless `listen` is set.
    pub server: Option<ServerConfig>,
    /// `[server] socket_group`: the group that may open the local socket too.
    pub socket_group: Option<SocketGroup>,
    /// `[system]`: the machine's own resources and their thresholds.
    pub system: SystemConfig,
    pub services: Vec<ServiceConfig>,
    /// `[alerts]`: rules, reminders, flapping, history, maintenance windows.
    pub alerts: AlertsConfig,
    /// `[[notify]]`: where alert notices go, in config order.
    pub notify: Vec<NotifyConfig>,
    /// `[jobs]`: the job queue the job monitor watches; `None` when not configured.
    pub jobs: Option<JobsConfig>,
    /// `[[alertmanager]]`: the Alertmanagers lookout forwards its alerts to, in config
    /// order.
    pub alertmanagers: Vec<AlertmanagerConfig>,
    /// `[[prometheus]]`: the Prometheus servers read, in config order; their queries are
    /// services, after the `[[service]]` entries.
    pub prometheus: Vec<PrometheusConfig>,
    /// `[keys]`: which key does what on the dashboard.
    pub keys: crate::keymap::KeyMap,
}

/// `[general]`: process-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralConfig {
    /// What must survive restarts; default `$XDG_STATE_HOME/lookout`.
    pub state_dir: PathBuf,
    /// How far back each service's response-time history reaches.
    pub history: Duration,
    /// How many checks may be in flight at once, across all services.
    pub max_concurrent_checks: usize,
    /// Reload the config when its file changes (as on SIGHUP).
    pub watch: bool,
}

/// How important a service is when it fails.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The word used on screen, in logs and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One `[[service]]` with `[defaults]` already applied.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceConfig {
    pub name: String,
    pub group: Option<String>,
    pub severity: Severity,
    pub interval: Duration,
    pub timeout: Duration,
    /// A successful check slower than this makes the service DEGRADED.
    pub degraded_after: Duration,
    /// Failed checks in a row that make the service DOWN.
    pub failure_threshold: u32,
    /// Passing checks in a row that bring a DOWN service back.
    pub success_threshold: u32,
    pub check: CheckConfig,
}

impl ServiceConfig {
    /// This service as a viewer may see it: URL passwords and header values masked.
    pub fn for_viewers(&self) -> ServiceConfig {
        let mut shown = self.clone();
        shown.check.mask();
        shown
    }
}
