//! The alert engine: pure and synchronous, time passed in. Each `evaluate` re-checks
//! every condition against a snapshot (`rules.rs`, `rules_system.rs`), steps the alerts
//! (`lifecycle.rs`) under the silences and maintenance windows (`cover.rs`), and says
//! what changed (`events.rs`). Commands (ack, silence…, in `engine_commands.rs`)
//! change alerts in between.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

use super::cover::Cover;
use super::cover::MAINTENANCE_SILENCE_ID;
use super::engine_gone::{gone_reason, still_watched, unknown};
use super::events::{AlertChange, AlertEvent};
use super::flap::Flap;
use super::lifecycle::{Alert, Book, Seen, Step, note, state_of};
use super::rules::{self, Check, Watch};
use super::store::Persisted;
use super::{rules_jobs, rules_notify, rules_remote, rules_store, rules_system, summary};
use crate::config::{AlertsConfig, Metric, ServiceConfig};
use crate::contract::ServiceState;
use crate::kinds::CheckConfig;
use crate::view::alert::{AlertKind, AlertView, Silence};
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;

/// Why a paused service's alerts end.
const PAUSED: &str = "paused";

/// Turns conditions into alerts and keeps them, their acks and silences.
#[derive(Debug)]
pub struct AlertEngine {
    pub(super) config: AlertsConfig,
    pub(super) book: Book,
    pub(super) cover: Cover,
    /// One per service of the last snapshot, in its order.
    slots: Vec<ServiceSlot>,
    /// Names of the scrape target cards seen, so an alert of one that left its
    /// Prometheus's targets says so when it ends (not "no longer in the config").
    target_cards: HashSet<String>,
    system: Vec<Watch>,
    /// The job monitor's table (`stuck_jobs`, `database_issue`).
    jobs: Vec<Watch>,
    /// The Alertmanagers read for the pane (`alertmanager_unreachable`).
    remote: Vec<Watch>,
    /// The state directory (`alert_store_failed`).
    store: Vec<Watch>,
    /// The notify channels (`notification_failed`).
    notify: Vec<Watch>,
    /// Counts evaluations; alerts not seen in the current one lost their condition.
    pub(super) epoch: u64,
    /// Counts condition changes of the config: slots of an older one are rebuilt.
    generation: u64,
    /// Silences or windows changed: match every alert again at the next step.
    recover: bool,
    /// Not resolved, pane order; rebuilt only when a view changed.
    pub(super) active: Vec<Arc<AlertView>>,
    pub(super) last_now: Option<SystemTime>,
    pub(super) next_silence_id: u64,
}

/// The watches of one service, rebuilt when its config or the rules change.
#[derive(Debug)]
struct ServiceSlot {
    config: Arc<ServiceConfig>,
    generation: u64,
    watches: Vec<Watch>,
}

impl ServiceSlot {
    fn refresh(&mut self, service: &ServiceView, config: &AlertsConfig, generation: u64) {
        if self.generation == generation && Arc::ptr_eq(&self.config, &service.config) {
            return;
        }
        let (old, new) = (&self.config, &service.config);
        let same = self.generation == generation
            && old.name == new.name
            && old.group == new.group
            && old.severity == new.severity;
        if !same {
            // New watches, the same incidents: each keeps when its last alert closed.
            let mut watches = rules::service_watches(new, config);
            for watch in &mut watches {
                watch.floor = (self.watches.iter())
                    .find(|old| old.key == watch.key)
                    .and_then(|old| old.floor);
            }
            self.watches = watches;
        }
        self.config = Arc::clone(new);
        self.generation = generation;
    }
}

impl AlertEngine {
    pub fn new(config: &AlertsConfig) -> Self {
        Self {
            config: config.clone(),
            book: Book {
                next_id: 1,
                ..Book::default()
            },
            cover: Cover::default(),
            slots: Vec::new(),
            target_cards: HashSet::new(),
            system: Vec::new(),
            jobs: Vec::new(),
            remote: Vec::new(),
            store: Vec::new(),
            notify: Vec::new(),
            epoch: 0,
            generation: 0,
            recover: false,
            active: Vec::new(),
            last_now: None,
            next_silence_id: 1,
        }
    }

    /// Takes a reloaded `[alerts]`; alerts, acks and silences stay. Changed rules apply
    /// from the next evaluation (a pending alert keeps the time it started).
    pub fn set_config(&mut self, config: &AlertsConfig) {
        let old = &self.config;
        let conditions = old.rules != config.rules
            || old.degraded_for != config.degraded_for
            || old.system_severity != config.system_severity;
        if conditions {
            self.generation += 1;
            self.system.clear();
        }
        self.recover |= old.maintenance != config.maintenance;
        if old.reminder != config.reminder {
            self.reschedule_reminders(old.reminder, config.reminder);
        }
        self.config = config.clone();
    }

    /// Takes up what the store kept: alerts not resolved (with their acks), recent
    /// history, silences, and the next ids (never below what was restored). Every alert
    /// is matched against the silences and windows at `now` at once, whether or not its
    /// subject has been checked yet: a silence that ended while lookout was stopped lets
    /// its alerts fire (and notify) again, one missing from the store (a crash between
    /// writes of an older lookout) is let go, and a stored silence covers the alerts it
    /// should. Returns those changes, to be recorded like any other.
    pub fn restore(&mut self, persisted: Persisted, now: SystemTime) -> Vec<AlertEvent> {
        let Persisted {
            alerts,
            history,
            silences,
            next_alert_id,
            next_silence_id,
            // Paused services are the core's to take up, not the engine's.
            paused: _,
        } = persisted;
        let mut next_id = next_alert_id.max(self.book.next_id);
        for mut view in alerts.into_iter().filter(|v| v.resolved.is_none()) {
            next_id = next_id.max(view.id + 1);
            view.state = state_of(&view);
            if let Some(silence) = &view.silence
                && silence.id != MAINTENANCE_SILENCE_ID
                && !silences.iter().any(|s| s.id == silence.id)
            {
                let why = if silence.until <= now {
                    format!(
                        "its silence #{} ended at {} while lookout was stopped",
                        silence.id,
                        humantime::format_rfc3339_seconds(silence.until)
                    )
                } else {
                    format!("its silence #{} is not in the store: let go", silence.id)
                };
                note(&mut view, now, why);
            }
            let flap = Flap::restored(view.flapping, &view.flap_marks, now);
            if let Some(old) = self.book.by_key.insert(view.key.incident(), view.id) {
                self.book.alerts.remove(&old);
            }
            let alert = Alert {
                view: Arc::new(view),
                last_true: None,
                holding: false,
                ripe_at: None,
                seen: 0,
                restored: true,
                flap,
                cleared: false,
                page_when_seen: false,
            };
            self.book.alerts.insert(alert.view.id, alert);
        }
        let mut history: Vec<AlertView> = history
            .into_iter()
            .filter(|v| v.resolved.is_some())
            .collect();
        history.sort_by(|a, b| b.resolved.cmp(&a.resolved).then(b.id.cmp(&a.id)));
        history.truncate(self.config.history_max);
        next_id = history.iter().map(|v| v.id + 1).fold(next_id, u64::max);
        // The flap record of a key with no open alert is its newest closed one's.
        for view in &history {
            let key = view.key.incident();
            if self.book.by_key.contains_key(&key) || self.book.flaps.contains_key(&key) {
                continue;
            }
            let mut flap = Flap::restored(view.flapping, &view.flap_marks, now);
            if !flap.is_idle(now, self.config.flap_window) {
                self.book.flaps.insert(key, flap);
            }
        }
        self.book.history = history.into_iter().map(Arc::new).collect();
        self.book.next_id = next_id;
        self.next_silence_id = silences
            .iter()
            .map(|s| s.id + 1)
            .fold(next_silence_id.max(self.next_silence_id), u64::max);
        self.cover.silences = silences;
        self.cover.reopen(&self.config, now);
        self.recover = true;
        self.book.dirty = true;
        let mut events = Vec::new();
        for ended in self.cover.expire(now) {
            events.push(AlertEvent::SilenceEnded(ended));
        }
        self.recover_all(now, &mut events);
        // A silence that ended while stopped: the page waits for a fresh look at the
        // condition (`Alert::page_when_seen`).
        events.retain(|event| match event {
            AlertEvent::Changed {
                alert,
                change: change @ (AlertChange::Unsilenced | AlertChange::Released),
            } => {
                if let Some(restored) = self.book.alerts.get_mut(&alert.id) {
                    restored.page_when_seen = true;
                    if *change == AlertChange::Released {
                        // Still owed: it goes out with the fresh look.
                        Arc::make_mut(&mut restored.view).page_owed = true;
                    }
                }
                false
            }
            _ => true,
        });
        events
    }

    /// Re-evaluates every condition against `snapshot` at `now`; returns what changed.
    pub fn evaluate(&mut self, snapshot: &Snapshot, now: SystemTime) -> Vec<AlertEvent> {
        self.epoch += 1;
        self.last_now = Some(now);
        let mut events = Vec::new();
        let mut left_targets = Vec::new();
        for ended in self.cover.expire(now) {
            events.push(AlertEvent::SilenceEnded(ended));
            self.recover = true;
        }
        self.recover |= self.cover.reopen(&self.config, now);
        let step = Step {
            config: &self.config,
            cover: &self.cover,
            now,
            epoch: self.epoch,
            recover: self.recover,
        };
        // Alerts read back at start wait for their condition's first word, also when it
        // does not hold (then they resolve, or end).
        let restored = self.book.alerts.values().any(|a| a.restored);
        let generation = self.generation;
        self.slots.truncate(snapshot.services.len());
        for (i, service) in snapshot.services.iter().enumerate() {
            let fresh =
                (self.slots.get(i)).is_none_or(|s| !Arc::ptr_eq(&s.config, &service.config));
            if fresh && matches!(service.config.check, CheckConfig::Target(_)) {
                self.target_cards.insert(service.config.name.clone());
            }
            if i == self.slots.len() {
                self.slots.push(ServiceSlot {
                    config: Arc::clone(&service.config),
                    generation,
                    watches: rules::service_watches(&service.config, step.config),
                });
            }
            let slot = &mut self.slots[i];
            slot.refresh(service, step.config, generation);
            let paused = service.state == ServiceState::Paused;
            for watch in &mut slot.watches {
                let floor = watch.floor;
                watch.update(now, |check| {
                    rules::service_holds(check, service, step.config, floor, now)
                });
                // A rule on the state itself ("paused for an hour") still watches.
                let on_state = watch.tiers.iter().all(|t| match t.check {
                    Check::Rule(i) => {
                        (step.config.rules.get(i)).is_some_and(|rule| rule.metric == Metric::State)
                    }
                    _ => false,
                });
                watch.stopped = (paused && !on_state).then_some(PAUSED);
                watch.healthy = !watch.key.kind.is_service_incident()
                    || service.healthy_in_row >= service.config.success_threshold;
                // An alert read back at start waits for its service's first check: the
                // last run's word is no reason to page, nor to resolve.
                let read_back = (self.book.by_key.get(&watch.key))
                    .and_then(|id| self.book.alerts.get(id))
                    .is_some_and(|alert| alert.restored);
                if read_back && service.state == ServiceState::Unknown {
                    continue;
                }
                let idle = watch.alert.is_none() && watch.tiers.iter().all(|t| t.since.is_none());
                if idle && !(restored && self.book.by_key.contains_key(&watch.key)) {
                    watch.fresh = false;
                    continue;
                }
                let mut line = |check: Option<Check>, watch: &Watch| {
                    summary::service(check, watch, service, step.config, now)
                };
                self.book.drive(watch, &step, &mut line, &mut events);
            }
        }
        let system = snapshot.system.as_deref();
        let by_key = &self.book.by_key;
        let open = |key: &crate::view::alert::AlertKey| by_key.contains_key(key);
        rules_system::update(&mut self.system, system, step.config, now, &open);
        // Said when it holds and when it clears (a resolved notice tells the value now).
        let mut line = |check: Option<Check>, watch: &Watch| {
            // Cleared, a built-in threshold says its value now; a rule's own words
            // cannot be turned around, and are left as they were.
            let check = check.or_else(|| {
                (watch.tiers.first().map(|tier| tier.check))
                    .filter(|check| !matches!(check, Check::Rule(_)))
            })?;
            Some(summary::system(
                check,
                &watch.key.subject,
                system,
                step.config,
            ))
        };
        for watch in &mut self.system {
            self.book.drive(watch, &step, &mut line, &mut events);
        }
        rules_system::prune(&mut self.system);
        let jobs = snapshot.jobs.as_deref();
        rules_jobs::update(&mut self.jobs, jobs, now);
        let mut line =
            |check: Option<Check>, _: &Watch| check.map(|check| rules_jobs::summary(check, jobs));
        for watch in &mut self.jobs {
            self.book.drive(watch, &step, &mut line, &mut events);
        }
        rules_system::prune(&mut self.jobs);
        let views = snapshot.alertmanagers.as_slice();
        rules_remote::update(&mut self.remote, views, now);
        let mut line = |check: Option<Check>, watch: &Watch| {
            check.map(|_| rules_remote::summary(&watch.key.subject, views))
        };
        for watch in &mut self.remote {
            self.book.drive(watch, &step, &mut line, &mut events);
        }
        rules_system::prune(&mut self.remote);
        let trouble = snapshot.store.as_deref();
        rules_store::update(&mut self.store, trouble, now);
        let mut line = |_: Option<Check>, _: &Watch| Some(rules_store::summary(trouble));
        for watch in &mut self.store {
            self.book.drive(watch, &step, &mut line, &mut events);
        }
        let health = snapshot.notices.as_deref();
        rules_notify::update(&mut self.notify, health, now);
        let mut line = |_: Option<Check>, watch: &Watch| {
            Some(rules_notify::summary(&watch.key.subject, health, now))
        };
        for watch in &mut self.notify {
            self.book.drive(watch, &step, &mut line, &mut events);
        }
        rules_system::prune(&mut self.notify);
        // No watch looked at these: what they were about is gone from the config (or
        // was never read back). They end, saying why; none resolves unseen.
        let mut stale: Vec<u64> = (self.book.alerts.iter())
            .filter(|(_, alert)| alert.seen != self.epoch)
            .filter(|(_, alert)| !(alert.restored && unknown(snapshot, &alert.view)))
            .map(|(id, _)| *id)
            .collect();
        stale.sort_unstable();
        for id in stale {
            let Some(alert) = self.book.alerts.get(&id) else {
                continue;
            };
            if alert.restored && still_watched(snapshot, &self.config, &alert.view.key) {
                // Read back at start, and its condition does not hold now: resolved,
                // saying how things are now where that is known.
                let line = (alert.view.key.kind == AlertKind::NotificationFailed)
                    .then(|| rules_notify::summary(&alert.view.key.subject, health, now));
                let seen = Seen {
                    truth: None,
                    kind: alert.view.key.kind,
                    healthy: true,
                    line,
                };
                self.book.step(id, seen, &step, false, &mut events);
            } else {
                let target = self.target_cards.contains(&alert.view.key.subject);
                let reason = gone_reason(snapshot, &alert.view, target);
                if target {
                    left_targets.push(alert.view.key.subject.clone());
                }
                self.book.end(id, &reason, &step, &mut events);
            }
        }
        for name in left_targets {
            self.target_cards.remove(&name);
        }
        self.book.prune(now, step.config);
        for ended in self.cover.end_with_incidents(&events) {
            events.push(AlertEvent::SilenceEnded(ended));
        }
        self.recover = false;
        self.rebuild();
        events
    }

    /// Alerts not resolved, most severe first, then oldest (the pane's order).
    pub fn active(&self) -> Vec<Arc<AlertView>> {
        self.active.clone()
    }

    /// Resolved alerts that fired, newest first, bounded by `history_max` and
    /// `history_keep`.
    pub fn history(&self) -> Vec<Arc<AlertView>> {
        self.book.history.iter().cloned().collect()
    }

    /// The silences in force (made by people; maintenance windows are config).
    pub fn silences(&self) -> Vec<Silence> {
        self.cover.silences.clone()
    }

    /// The earliest moment `evaluate` must run even if nothing else changes; `None` if
    /// nothing is scheduled.
    pub fn next_due(&self) -> Option<SystemTime> {
        let alerts = self
            .book
            .alerts
            .values()
            .filter_map(|a| a.due(&self.config));
        let cover = match self.last_now {
            Some(now) => self.cover.next_edge(&self.config, now),
            None => self.cover.silences.iter().map(|s| s.until).min(),
        };
        alerts.chain(cover).min()
    }

    pub(super) fn rebuild(&mut self) {
        if !self.book.dirty {
            return;
        }
        self.active.clear();
        self.active
            .extend(self.book.alerts.values().map(|a| Arc::clone(&a.view)));
        self.active.sort_by(|a, b| AlertView::pane_order(a, b));
        self.book.dirty = false;
    }
}
