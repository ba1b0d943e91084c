//! `State`: the one owner of service and machine state. The core applies events to it
//! and publishes its snapshot; nothing else mutates it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::{Config, ServiceConfig};
use crate::contract::ServiceState;
use crate::event::Event;
use crate::kinds::{Certificate, Outcome};
use crate::state::history::History;
use crate::state::service::{StatusMachine, Thresholds, Verdict};
use crate::state::system::SystemState;
use crate::view::check::{CheckResult, ServiceId};
use crate::view::service::{HistorySample, RECENT_CHECKS, ServiceView};
use crate::view::snapshot::Snapshot;
use crate::view::snapshot::StartLag;
use crate::view::totals::CheckTotals;

mod jobs;
mod reload;
mod system;
#[cfg(test)]
mod tests_query;

pub use reload::ReloadSummary;

/// A service's state moved because of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub service: Arc<ServiceConfig>,
    pub from: ServiceState,
    pub to: ServiceState,
    /// The check that moved it.
    pub check_id: u64,
    pub latency: Duration,
    /// Why that check failed, when it did.
    pub reason: Option<String>,
    /// The value that check read, for a query service.
    pub value: Option<f64>,
}

/// One service's mutable state.
#[derive(Debug)]
struct ServiceEntry {
    config: Arc<ServiceConfig>,
    machine: StatusMachine,
    history: History,
    recent: VecDeque<CheckResult>,
    paused: bool,
    last_lag: Duration,
    /// When the checked state (UP, DEGRADED, DOWN) last changed.
    since: Option<SystemTime>,
    /// When it last came back from DOWN.
    recovered: Option<SystemTime>,
    /// Checks in a row that passed within `degraded_after`.
    healthy_in_row: u32,
    /// The certificate last presented.
    certificate: Option<Arc<Certificate>>,
    totals: CheckTotals,
    /// Listed in `State::changed`, waiting for its view to be rebuilt.
    dirty: bool,
}

impl ServiceEntry {
    /// A service never checked, with an empty history of `window`.
    fn new(service: &ServiceConfig, window: Duration) -> Self {
        Self {
            config: Arc::new(service.clone()),
            machine: StatusMachine::new(thresholds(service)),
            history: History::new(window, service.interval),
            recent: VecDeque::with_capacity(RECENT_CHECKS),
            paused: false,
            last_lag: Duration::ZERO,
            since: None,
            recovered: None,
            healthy_in_row: 0,
            certificate: None,
            totals: CheckTotals::default(),
            dirty: false,
        }
    }
}

fn thresholds(service: &ServiceConfig) -> Thresholds {
    Thresholds {
        failure: service.failure_threshold,
        success: service.success_threshold,
    }
}

/// All services' state plus the snapshot last built from it.
///
/// Applying an event only marks its service changed; views are rebuilt for changed
/// services when a snapshot is taken, so a burst of checks costs one rebuild each at most
/// and taking a snapshot never walks unchanged histories.
#[derive(Debug)]
pub struct State {
    entries: Vec<ServiceEntry>,
    snapshot: Snapshot,
    changed: Vec<ServiceId>,
    scratch: Vec<u32>,
    /// `None` when `[system] enabled` is off.
    system: Option<SystemState>,
    /// A sample arrived since the last snapshot.
    system_changed: bool,
    /// The job monitor reported since the last snapshot.
    jobs_changed: bool,
}

impl State {
    pub fn new(config: &Config) -> Self {
        let entries: Vec<ServiceEntry> = config
            .services
            .iter()
            .map(|service| ServiceEntry::new(service, config.general.history))
            .collect();
        let mut state = Self {
            snapshot: Snapshot {
                services: Vec::with_capacity(entries.len()),
                config_source: config.source.clone(),
                history: config.general.history,
                max_lag: Duration::ZERO,
                start_lag: StartLag::default(),
                alerts: Vec::new(),
                alert_history: Vec::new(),
                reload: None,
                system: None,
                jobs: None,
                alertmanagers: Vec::new(),
                notice: None,
                store: None,
                notices: None,
                acted: 0,
                link: None,
            },
            entries,
            changed: Vec::new(),
            scratch: Vec::new(),
            system: system::state_for(config),
            system_changed: false,
            jobs_changed: false,
        };
        let now = SystemTime::now();
        for id in 0..state.entries.len() {
            let view = state.build_view(id, now);
            state.snapshot.services.push(view);
        }
        state
    }

    /// Applies one event; `check_id` names the check in logs. Returns the service's
    /// change of state, if the check caused one (a system sample's threshold changes
    /// come from [`State::apply_system`]).
    pub fn apply(&mut self, event: Event, check_id: u64) -> Option<Transition> {
        match event {
            Event::Checked(result) => self.record_check(result, check_id),
            Event::System(sample) => {
                self.apply_system(*sample);
                None
            }
            Event::Jobs(view) => {
                self.apply_jobs(*view);
                None
            }
        }
    }

    fn record_check(&mut self, result: CheckResult, check_id: u64) -> Option<Transition> {
        let id = result.service;
        let entry = self.entries.get_mut(id)?;
        let passed = result.outcome.is_pass();
        let verdict = Verdict::of(&result, entry.config.degraded_after);
        let from = entry.machine.state();
        let to = entry.machine.take(verdict);
        if from != to {
            entry.since = (to != ServiceState::Unknown).then_some(result.at);
        }
        if from == ServiceState::Down && matches!(to, ServiceState::Up | ServiceState::Degraded) {
            entry.recovered = Some(result.at);
        }
        entry.healthy_in_row = match verdict {
            Verdict::Pass => entry.healthy_in_row.saturating_add(1),
            Verdict::Slow | Verdict::Fail | Verdict::Unknown => 0,
        };
        entry.history.push_sample(HistorySample::of_check(&result));
        if let Some(certificate) = &result.certificate {
            entry.certificate = Some(Arc::clone(certificate));
        }
        let value = result.reading.and_then(|reading| reading.value);
        entry.last_lag = result.lag;
        entry.totals.record(result.latency, passed);
        self.snapshot.start_lag.0.record(result.lag);
        let transition = (from != to).then(|| Transition {
            service: Arc::clone(&entry.config),
            from,
            to,
            check_id,
            latency: result.latency,
            reason: match &result.outcome {
                Outcome::Fail { reason, .. } => Some(reason.clone()),
                Outcome::Pass { .. } => None,
            },
            value,
        });
        if entry.recent.len() == RECENT_CHECKS {
            entry.recent.pop_front();
        }
        entry.recent.push_back(result);
        self.mark_changed(id);
        transition
    }

    /// The service with this id, if there is one.
    pub fn service(&self, id: ServiceId) -> Option<&Arc<ServiceConfig>> {
        self.entries.get(id).map(|entry| &entry.config)
    }

    /// The id of the service called `name` in the running config.
    pub fn id_of(&self, name: &str) -> Option<ServiceId> {
        self.entries.iter().position(|e| e.config.name == name)
    }

    /// Pauses a running service or resumes a paused one; returns whether it is now paused.
    pub fn toggle_pause(&mut self, id: ServiceId) -> Option<bool> {
        let paused = !self.entries.get(id)?.paused;
        self.set_paused(id, paused).map(|_| paused)
    }

    /// Pauses or resumes a service; returns whether that changed anything. A resumed
    /// service starts over as UNKNOWN: what it was before the pause is no news of what
    /// it is now, and its checks decide again (its history stays).
    pub fn set_paused(&mut self, id: ServiceId, paused: bool) -> Option<bool> {
        let entry = self.entries.get_mut(id)?;
        if entry.paused == paused {
            return Some(false);
        }
        entry.paused = paused;
        if !paused {
            entry.machine = StatusMachine::new(thresholds(&entry.config));
            entry.since = None;
            entry.healthy_in_row = 0;
        }
        self.mark_changed(id);
        Some(true)
    }

    /// Takes up the certificate `id`'s server presented before a restart, unless a check
    /// has read one since; only for a check that sees certificates.
    pub fn restore_certificate(&mut self, id: ServiceId, certificate: Arc<Certificate>) {
        let Some(entry) = self.entries.get_mut(id) else {
            return;
        };
        if entry.certificate.is_none() && entry.config.check.certificate_limits().is_some() {
            entry.certificate = Some(certificate);
            self.mark_changed(id);
        }
    }

    /// True when something changed since the last snapshot.
    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty() || self.system_changed || self.jobs_changed
    }

    /// The current picture with window figures as of `now`; cheap to clone (services are
    /// shared `Arc`s, and only changed services are rebuilt).
    pub fn snapshot(&mut self, now: SystemTime) -> Snapshot {
        let changed = std::mem::take(&mut self.changed);
        for &id in &changed {
            self.entries[id].dirty = false;
            let view = self.build_view(id, now);
            self.snapshot.services[id] = view;
        }
        self.changed = changed;
        self.changed.clear();
        self.jobs_changed = false;
        if std::mem::take(&mut self.system_changed) {
            self.snapshot.system = self.system.as_ref().and_then(|s| s.view()).map(Arc::new);
        }
        self.snapshot.max_lag = self
            .entries
            .iter()
            .filter(|e| !e.paused)
            .map(|e| e.last_lag)
            .max()
            .unwrap_or_default();
        self.snapshot.clone()
    }

    fn mark_changed(&mut self, id: ServiceId) {
        let entry = &mut self.entries[id];
        if !entry.dirty {
            entry.dirty = true;
            self.changed.push(id);
        }
    }

    fn build_view(&mut self, id: ServiceId, now: SystemTime) -> Arc<ServiceView> {
        let entry = &self.entries[id];
        let state = if entry.paused {
            ServiceState::Paused
        } else {
            entry.machine.state()
        };
        Arc::new(ServiceView {
            id,
            config: Arc::clone(&entry.config),
            state,
            recent: entry.recent.iter().cloned().collect(),
            samples: entry.history.in_window(now).copied().collect(),
            stats: entry.history.stats(now, &mut self.scratch),
            consecutive_failures: entry.machine.failures_in_row(),
            totals: entry.totals,
            since: entry.since,
            recovered: entry.recovered,
            healthy_in_row: entry.healthy_in_row,
            certificate: entry.certificate.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, check, config, fail, http_service, pass};

    fn state_of(snapshot: &Snapshot, id: ServiceId) -> ServiceState {
        snapshot.services[id].state
    }

    #[test]
    fn starts_unknown_with_empty_history() {
        let mut state = State::new(&config(vec![http_service("a"), http_service("b")]));
        let snap = state.snapshot(at(100));
        assert_eq!(snap.services.len(), 2);
        assert!(
            snap.services
                .iter()
                .all(|s| s.state == ServiceState::Unknown)
        );
        assert_eq!(snap.services[1].id, 1);
        assert!(snap.services[0].samples.is_empty());
    }

    #[test]
    fn checks_move_state_and_fill_history() {
        let mut state = State::new(&config(vec![http_service("a"), http_service("b")]));
        state.apply(Event::Checked(check(0, 1, 40, pass())), 0);
        state.apply(Event::Checked(check(1, 1, 1500, pass())), 0);
        let snap = state.snapshot(at(100));
        assert_eq!(state_of(&snap, 0), ServiceState::Up);
        assert_eq!(state_of(&snap, 1), ServiceState::Degraded);
        assert_eq!(snap.services[0].stats.p50, Some(Duration::from_millis(40)));
        assert_eq!(snap.services[0].samples.len(), 1);

        state.apply(
            Event::Checked(check(0, 11, 0, fail("connection refused"))),
            0,
        );
        assert_eq!(state_of(&state.snapshot(at(100)), 0), ServiceState::Up);
        assert_eq!(state.snapshot(at(100)).services[0].consecutive_failures, 1);
        state.apply(
            Event::Checked(check(0, 21, 0, fail("connection refused"))),
            0,
        );
        let snap = state.snapshot(at(100));
        let view = &snap.services[0];
        assert_eq!(view.state, ServiceState::Down);
        assert_eq!(view.stats.uptime, Some(1.0 / 3.0));
        assert_eq!(view.last().map(|c| c.outcome.is_pass()), Some(false));
    }

    #[test]
    fn since_is_when_the_checked_state_began() {
        let mut state = State::new(&config(vec![http_service("a")]));
        assert_eq!(state.snapshot(at(0)).services[0].since, None);
        state.apply(Event::Checked(check(0, 1, 40, pass())), 0);
        state.apply(Event::Checked(check(0, 11, 40, pass())), 0);
        assert_eq!(state.snapshot(at(20)).services[0].since, Some(at(1)));
        state.apply(Event::Checked(check(0, 21, 0, fail("refused"))), 0);
        state.apply(Event::Checked(check(0, 31, 0, fail("refused"))), 0);
        let snap = state.snapshot(at(40));
        assert_eq!(snap.services[0].state, ServiceState::Down);
        assert_eq!(snap.services[0].since, Some(at(31)));
    }

    #[test]
    fn recent_checks_are_bounded() {
        let mut state = State::new(&config(vec![http_service("a")]));
        for i in 0..100 {
            state.apply(Event::Checked(check(0, i, 10, pass())), 0);
        }
        let snap = state.snapshot(at(100));
        let view = &snap.services[0];
        assert_eq!(view.recent.len(), RECENT_CHECKS);
        assert_eq!(view.last().map(|c| c.at), Some(at(99)));
    }

    #[test]
    fn pause_overrides_state_and_resume_starts_over_unknown() {
        let mut state = State::new(&config(vec![http_service("a")]));
        state.apply(Event::Checked(check(0, 1, 10, pass())), 0);
        assert_eq!(state.toggle_pause(0), Some(true));
        assert_eq!(state_of(&state.snapshot(at(100)), 0), ServiceState::Paused);
        assert_eq!(state.toggle_pause(0), Some(false));
        let snap = state.snapshot(at(100));
        assert_eq!(state_of(&snap, 0), ServiceState::Unknown);
        assert_eq!(
            (snap.services[0].since, snap.services[0].samples.len()),
            (None, 1)
        );
        state.apply(Event::Checked(check(0, 101, 10, pass())), 0);
        assert_eq!(state_of(&state.snapshot(at(102)), 0), ServiceState::Up);
        assert_eq!(state.toggle_pause(7), None);
    }

    #[test]
    fn recovery_and_healthy_checks_in_a_row_are_counted() {
        let mut state = State::new(&config(vec![http_service("a")]));
        let view = |state: &mut State, secs| state.snapshot(at(secs)).services[0].clone();
        for (secs, outcome) in [(1, fail("refused")), (2, fail("refused"))] {
            state.apply(Event::Checked(check(0, secs, 0, outcome)), 0);
        }
        assert_eq!(view(&mut state, 3).recovered, None, "down, never back yet");
        state.apply(Event::Checked(check(0, 4, 1500, pass())), 0);
        let slow = view(&mut state, 5);
        assert_eq!(
            (slow.state, slow.recovered),
            (ServiceState::Degraded, Some(at(4)))
        );
        assert_eq!(slow.healthy_in_row, 0, "a slow pass is not healthy");
        state.apply(Event::Checked(check(0, 6, 10, pass())), 0);
        state.apply(Event::Checked(check(0, 7, 10, pass())), 0);
        let up = view(&mut state, 8);
        assert_eq!((up.healthy_in_row, up.recovered), (2, Some(at(4))));
        state.apply(Event::Checked(check(0, 9, 0, fail("refused"))), 0);
        assert_eq!(view(&mut state, 10).healthy_in_row, 0);
    }

    #[test]
    fn max_lag_is_the_worst_latest_lag() {
        let mut state = State::new(&config(vec![http_service("a"), http_service("b")]));
        let mut late = check(1, 1, 10, pass());
        late.lag = Duration::from_millis(1500);
        state.apply(Event::Checked(check(0, 1, 10, pass())), 0);
        state.apply(Event::Checked(late), 0);
        assert_eq!(state.snapshot(at(100)).max_lag, Duration::from_millis(1500));
        let mut on_time = check(1, 2, 10, pass());
        on_time.lag = Duration::from_millis(3);
        state.apply(Event::Checked(on_time), 0);
        let snapshot = state.snapshot(at(100));
        assert_eq!(snapshot.max_lag, Duration::from_millis(3));
        // Every check's lag stays in the histogram: 0 and 3 ms at or under 5 ms, 1.5 s
        // under 5 s only.
        let lag = snapshot.start_lag.0;
        assert_eq!((lag.count, lag.sum), (3, Duration::from_millis(1503)));
        let buckets = lag.cumulative();
        assert_eq!(buckets[1], (0.005, 2));
        assert_eq!(buckets[8], (1.0, 2));
        assert_eq!(buckets[9], (5.0, 3));
    }

    #[test]
    fn a_snapshot_rebuilds_only_what_changed() {
        let mut state = State::new(&config(vec![http_service("a"), http_service("b")]));
        let before = state.snapshot(at(100));
        assert!(!state.has_changes());
        state.apply(Event::Checked(check(1, 1, 10, pass())), 0);
        assert!(state.has_changes());
        let after = state.snapshot(at(100));
        assert!(Arc::ptr_eq(&before.services[0], &after.services[0]));
        assert!(!Arc::ptr_eq(&before.services[1], &after.services[1]));
        assert!(!state.has_changes());
    }

    #[test]
    fn unknown_service_ids_are_ignored() {
        let mut state = State::new(&config(vec![http_service("a")]));
        state.apply(Event::Checked(check(5, 1, 10, pass())), 0);
        assert_eq!(state_of(&state.snapshot(at(100)), 0), ServiceState::Unknown);
    }
}
