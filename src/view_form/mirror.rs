//! A viewer's side of the view stream: events applied in order make the snapshot the
//! engine had, with each service's window figures worked out here from the checks, by
//! the same [`History`] the engine keeps.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;

use super::rows::read_check_row;
use super::{Extras, Head, Whole};
use crate::state::history::History;
use crate::view::check::CheckResult;
use crate::view::machine::SystemView;
use crate::view::service::{HistorySample, RECENT_CHECKS, ServiceView, WindowStats};
use crate::view::snapshot::{EngineInfo, Snapshot};

/// An event that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the engine sent a `{event}` event this viewer cannot read: {error}")]
pub struct MirrorError {
    pub event: String,
    pub error: String,
}

/// The engine's snapshot as rebuilt from its events.
#[derive(Default)]
pub struct Mirror {
    engine: Option<EngineInfo>,
    snapshot: Snapshot,
    services: Vec<Kept>,
    by_name: HashMap<String, usize>,
    scratch: Vec<u32>,
}

/// A service's checks as received.
struct Kept {
    history: History,
    recent: VecDeque<CheckResult>,
    changed: bool,
}

impl Mirror {
    /// The engine that sent the last `snapshot`; `None` before one came.
    pub fn engine(&self) -> Option<&EngineInfo> {
        self.engine.as_ref()
    }

    /// Takes one event. Events of kinds this viewer does not know are passed over.
    pub fn apply(&mut self, event: &str, data: &str) -> Result<(), MirrorError> {
        let fail = |error: String| MirrorError {
            event: event.to_string(),
            error,
        };
        if event != "snapshot" && self.engine.is_none() {
            return Ok(());
        }
        match event {
            "snapshot" => self.take_whole(read(data).map_err(fail)?),
            "service" => self.take_head(read(data).map_err(fail)?),
            "checks" => self.take_checks(&read::<Value>(data).map_err(fail)?),
            "machine" => self.take_machine(read(data).map_err(fail)?),
            "alerts" => self.snapshot.alerts = read(data).map_err(fail)?,
            "alert_history" => self.snapshot.alert_history = read(data).map_err(fail)?,
            "jobs" => self.snapshot.jobs = read(data).map_err(fail)?,
            "extras" => self.take_extras(read(data).map_err(fail)?),
            _ => {}
        }
        Ok(())
    }

    /// The snapshot as of `now`, window figures brought up to date for the services that
    /// changed; `None` before the first `snapshot` event.
    pub fn snapshot(&mut self, now: SystemTime) -> Option<Snapshot> {
        self.engine.as_ref()?;
        for (i, kept) in self.services.iter_mut().enumerate() {
            if !std::mem::take(&mut kept.changed) {
                continue;
            }
            let Some(view) = self.snapshot.services.get_mut(i) else {
                continue;
            };
            let view = Arc::make_mut(view);
            view.recent = kept.recent.iter().cloned().collect();
            view.samples = kept.history.in_window(now).copied().collect();
            view.stats = kept.history.stats(now, &mut self.scratch);
        }
        Some(self.snapshot.clone())
    }

    fn take_whole(&mut self, whole: Whole) {
        let window = whole.extras.history;
        self.services.clear();
        self.by_name.clear();
        let mut views = Vec::with_capacity(whole.services.len());
        for (id, service) in whole.services.into_iter().enumerate() {
            let mut history = History::new(window, service.head.config.interval);
            for row in &service.samples {
                history.push_sample(row.sample());
            }
            let recent: VecDeque<CheckResult> = (service.recent.into_iter())
                .map(|check| CheckResult {
                    service: id,
                    ..check
                })
                .collect();
            self.by_name.insert(service.head.config.name.clone(), id);
            views.push(Arc::new(view_of(
                id,
                service.head,
                service.consecutive_failures,
            )));
            self.services.push(Kept {
                history,
                recent,
                changed: true,
            });
        }
        self.snapshot = Snapshot {
            services: views,
            alerts: whole.alerts,
            alert_history: whole.alert_history,
            system: whole.machine,
            jobs: whole.jobs,
            ..Snapshot::default()
        };
        self.take_extras(whole.extras);
        self.engine = Some(whole.engine);
    }

    fn take_head(&mut self, head: Head) {
        let Some(&id) = self.by_name.get(&head.config.name) else {
            return;
        };
        if let Some(view) = self.snapshot.services.get_mut(id) {
            let view = Arc::make_mut(view);
            view.config = head.config;
            view.state = head.state;
            view.since = head.since;
            view.recovered = head.recovered;
            view.certificate = head.certificate;
        }
    }

    fn take_checks(&mut self, rows: &Value) {
        for row in rows.as_array().into_iter().flatten() {
            let Some((name, check, failures)) = read_check_row(row) else {
                continue;
            };
            let Some(&id) = self.by_name.get(&name) else {
                continue;
            };
            let (Some(kept), Some(view)) = (
                self.services.get_mut(id),
                self.snapshot.services.get_mut(id),
            ) else {
                continue;
            };
            kept.history.push_sample(HistorySample::of_check(&check));
            if kept.recent.len() == RECENT_CHECKS {
                kept.recent.pop_front();
            }
            kept.recent.push_back(CheckResult {
                service: id,
                ..check
            });
            kept.changed = true;
            Arc::make_mut(view).consecutive_failures = failures;
        }
    }

    fn take_machine(&mut self, mut change: SystemView) {
        if let Some(was) = &self.snapshot.system {
            let mut history = was.history.clone();
            history.append(&mut change.history);
            let newest = history.last().map_or(0, |p| p.at_ms);
            let window = u64::try_from(change.window.as_millis()).unwrap_or(u64::MAX);
            history.retain(|p| p.at_ms + window >= newest);
            change.history = history;
        }
        self.snapshot.system = Some(Arc::new(change));
    }

    fn take_extras(&mut self, extras: Extras) {
        let snapshot = &mut self.snapshot;
        snapshot.config_source = extras.config_source;
        snapshot.history = extras.history;
        snapshot.max_lag = extras.max_lag;
        snapshot.reload = extras.reload;
        snapshot.alertmanagers = extras.alertmanagers;
        snapshot.notice = extras.notice;
        snapshot.store = extras.store;
        snapshot.notices = extras.notices;
        snapshot.acted = extras.acted;
    }
}

fn view_of(id: usize, head: Head, consecutive_failures: u32) -> ServiceView {
    ServiceView {
        id,
        config: head.config,
        state: head.state,
        recent: Vec::new(),
        samples: Vec::new(),
        stats: WindowStats::default(),
        consecutive_failures,
        totals: Default::default(),
        since: head.since,
        recovered: head.recovered,
        healthy_in_row: 0,
        certificate: head.certificate,
    }
}

fn read<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|err| err.to_string())
}
