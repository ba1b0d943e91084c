//! The life of one alert: pending while its condition waits its `for`, firing, taken
//! (acked) or silenced, worsened, reminded, flapping, and resolved after
//! `keep_firing_for` without its condition (one step of it in `lifecycle_step.rs`). Views change copy-on-write: an alert that
//! did not change keeps handing out the same `Arc`.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cover::{Cover, MAINTENANCE_SILENCE_ID};
use super::events::{AlertChange, AlertEvent};
use super::flap::Flap;
use super::model::{AlertKey, AlertState, AlertView, TIMELINE_LIMIT, TimelineEntry};
use super::rules::{Check, Truth, Watch};
use crate::config::AlertsConfig;

/// One alert that is not resolved, with what its view does not show.
#[derive(Debug, Clone)]
pub(crate) struct Alert {
    pub(crate) view: Arc<AlertView>,
    /// The last evaluation at which its condition held.
    pub(crate) last_true: Option<SystemTime>,
    /// Whether its condition held at the last evaluation.
    pub(crate) holding: bool,
    /// While pending: when the next tier will have held for its `for`.
    pub(crate) ripe_at: Option<SystemTime>,
    pub(crate) next_reminder: Option<SystemTime>,
    /// The evaluation that last looked at it (alerts no watch drives are resolved).
    pub(crate) seen: u64,
    /// Read back from the store and not yet matched with its condition: kept while its
    /// subject is not known yet (a service not checked since the restart).
    pub(crate) restored: bool,
    pub(crate) flap: Flap,
}

/// What one evaluation (or command) knows: the config, the silences and the time.
pub(crate) struct Step<'a> {
    pub(crate) config: &'a AlertsConfig,
    pub(crate) cover: &'a Cover,
    pub(crate) now: SystemTime,
    pub(crate) epoch: u64,
    /// Match every alert against the silences and windows again (they changed).
    pub(crate) recover: bool,
}

/// Every alert not resolved, the resolved history, and the next id.
#[derive(Debug, Default)]
pub(crate) struct Book {
    pub(crate) alerts: HashMap<u64, Alert>,
    pub(crate) by_key: HashMap<AlertKey, u64>,
    /// Flap records of keys with no alert right now, for their next incarnation.
    pub(crate) flaps: HashMap<AlertKey, Flap>,
    /// Newest first.
    pub(crate) history: VecDeque<Arc<AlertView>>,
    pub(crate) next_id: u64,
    /// Some view changed since the active list was last built.
    pub(crate) dirty: bool,
}

/// `t + d`, or a moment so far away that it never comes.
pub(crate) fn later(t: SystemTime, d: Duration) -> SystemTime {
    t.checked_add(d)
        .or_else(|| t.checked_add(Duration::from_secs(100 * 365 * 86_400)))
        .unwrap_or(t)
}

/// The state the other fields imply.
pub(crate) fn state_of(view: &AlertView) -> AlertState {
    match view {
        AlertView {
            resolved: Some(_), ..
        } => AlertState::Resolved,
        AlertView { fired: None, .. } => AlertState::Pending,
        AlertView {
            silence: Some(_), ..
        } => AlertState::Silenced,
        AlertView { ack: Some(_), .. } => AlertState::Acked,
        _ => AlertState::Firing,
    }
}

/// Adds a timeline line, dropping the oldest beyond `TIMELINE_LIMIT`.
pub(crate) fn note(view: &mut AlertView, at: SystemTime, what: impl Into<String>) {
    view.timeline.push(TimelineEntry {
        at,
        what: what.into(),
    });
    let excess = view.timeline.len().saturating_sub(TIMELINE_LIMIT);
    view.timeline.drain(..excess);
}

/// The view to change, marking that it changed (cloned only if someone holds it).
pub(crate) fn edit<'v>(view: &'v mut Arc<AlertView>, changed: &mut bool) -> &'v mut AlertView {
    *changed = true;
    Arc::make_mut(view)
}

impl Alert {
    /// The next moment this alert needs an evaluation, if any.
    pub(crate) fn due(&self, config: &AlertsConfig) -> Option<SystemTime> {
        let view = &self.view;
        let pending = self.ripe_at.filter(|_| self.holding);
        let reminder = self
            .next_reminder
            .filter(|_| view.state == AlertState::Firing);
        let ending = match (self.holding, view.fired, self.last_true) {
            (false, Some(_), Some(last)) => Some(later(last, config.keep_firing_for)),
            _ => None,
        };
        let settle = self.flap.settle_at(config.flap_window);
        [pending, reminder, ending, settle]
            .into_iter()
            .flatten()
            .min()
    }

    /// Matches the alert against the silences and open windows; pushes `Silenced` or
    /// `Unsilenced` when that changed.
    pub(crate) fn recover(
        &mut self,
        step: &Step<'_>,
        changed: &mut bool,
        out: &mut Vec<AlertChange>,
    ) {
        let view = &self.view;
        let want = step
            .cover
            .find(&view.key, view.group.as_deref(), step.config);
        if want == view.silence {
            return;
        }
        let v = edit(&mut self.view, changed);
        let change = match &want {
            Some(s) if s.id == MAINTENANCE_SILENCE_ID => {
                let name = s.comment.as_deref().unwrap_or("maintenance");
                note(v, step.now, format!("in maintenance window {name}"));
                AlertChange::Silenced
            }
            Some(s) => {
                note(v, step.now, format!("silenced by {}", s.by));
                AlertChange::Silenced
            }
            None => {
                note(v, step.now, "silence ended");
                AlertChange::Unsilenced
            }
        };
        v.silence = want;
        self.settle_state(step, changed);
        out.push(change);
    }

    /// Sets the state the fields imply; a return to firing restarts the reminders.
    pub(crate) fn settle_state(&mut self, step: &Step<'_>, changed: &mut bool) {
        let state = state_of(&self.view);
        if state == self.view.state {
            return;
        }
        edit(&mut self.view, changed).state = state;
        self.next_reminder = match (state, step.config.reminder) {
            (AlertState::Firing, Some(period)) => Some(later(step.now, period)),
            _ => None,
        };
    }
}

impl Book {
    /// Drives the alert of `watch` from its condition: opens one when it starts to
    /// hold, links to a restored one, steps it, and forgets it once resolved.
    pub(crate) fn drive(
        &mut self,
        watch: &mut Watch,
        step: &Step<'_>,
        summary: &mut dyn FnMut(Check, &str) -> String,
        events: &mut Vec<AlertEvent>,
    ) {
        let mut truth = watch.truth(step.now);
        let check = |watch: &Watch, t: &Truth| {
            watch
                .tiers
                .get(t.tier)
                .map_or(Check::Threshold, |x| x.check)
        };
        let linked = watch.alert.filter(|id| self.alerts.contains_key(id));
        let fresh = std::mem::replace(&mut watch.fresh, false);
        let (id, new) = match (linked, truth) {
            (Some(id), _) => (id, false),
            (None, None) => {
                watch.alert = None;
                return;
            }
            (None, Some(t)) => match self.by_key.get(&watch.key).copied() {
                Some(id) => {
                    let pending = self.alerts.get(&id).filter(|a| a.view.fired.is_none());
                    if let (true, Some(alert)) = (fresh, pending) {
                        watch.seed(alert.view.started);
                        truth = watch.truth(step.now);
                    }
                    (id, false)
                }
                None => {
                    let line = summary(check(watch, &t), &watch.key.subject);
                    (self.open(watch, &t, line), true)
                }
            },
        };
        watch.alert = Some(id);
        let tier = truth.map(|t| check(watch, &t));
        let subject = &watch.key.subject;
        let mut line = || tier.map(|tier| summary(tier, subject));
        if !self.step(id, truth, step, new, &mut line, events) {
            watch.alert = None;
        }
    }

    fn open(&mut self, watch: &Watch, truth: &Truth, summary: String) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let flap = self.flaps.remove(&watch.key).unwrap_or_default();
        let view = AlertView {
            id,
            key: watch.key.clone(),
            group: watch.group.clone(),
            severity: truth.severity,
            state: AlertState::Pending,
            summary,
            started: truth.since,
            fired: None,
            resolved: None,
            ack: None,
            silence: None,
            flapping: flap.flapping,
            timeline: Vec::new(),
            origin: None,
        };
        self.by_key.insert(watch.key.clone(), id);
        let alert = Alert {
            view: Arc::new(view),
            last_true: None,
            holding: true,
            ripe_at: None,
            next_reminder: None,
            seen: 0,
            restored: false,
            flap,
        };
        self.alerts.insert(id, alert);
        id
    }

    /// Moves a resolved alert out: its flap record stays for the next incarnation, and
    /// it joins the history if it ever fired.
    pub(crate) fn close(&mut self, id: u64, now: SystemTime, config: &AlertsConfig) {
        let Some(mut alert) = self.alerts.remove(&id) else {
            return;
        };
        if self.by_key.get(&alert.view.key) == Some(&id) {
            self.by_key.remove(&alert.view.key);
        }
        if !alert.flap.is_idle(now, config.flap_window) {
            self.flaps.insert(alert.view.key.clone(), alert.flap);
        }
        if alert.view.fired.is_some() {
            self.history.push_front(alert.view);
            self.history.truncate(config.history_max);
        }
        self.dirty = true;
    }

    /// Drops history beyond `history_max` or older than `history_keep`, and flap records
    /// with nothing left to say.
    pub(crate) fn prune(&mut self, now: SystemTime, config: &AlertsConfig) {
        self.history.truncate(config.history_max);
        while let Some(oldest) = self.history.back() {
            let at = oldest.resolved.unwrap_or(oldest.started);
            if later(at, config.history_keep) > now {
                break;
            }
            self.history.pop_back();
        }
        if !self.flaps.is_empty() {
            self.flaps
                .retain(|_, flap| !flap.is_idle(now, config.flap_window));
        }
    }
}
