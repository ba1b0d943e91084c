//! The life of one alert: pending while its condition waits its `for`, firing, taken
//! (acked) or silenced, worsened or shifted in place, reminded, flapping, resolved once
//! its condition cleared (and its service is healthy again), or ended when it can no
//! longer be watched (one step of it in `lifecycle_step.rs`). Views change
//! copy-on-write: an alert that did not change keeps handing out the same `Arc`.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cover::{Cover, MAINTENANCE_SILENCE_ID};
use super::events::{AlertChange, AlertEvent};
use super::flap::Flap;
use super::rules::{Check, Truth, Watch};
use crate::config::AlertsConfig;
use crate::view::alert::{
    AlertKey, AlertKind, AlertState, AlertView, Gravity, TIMELINE_LIMIT, TimelineEntry,
};

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
    /// The evaluation that last looked at it (alerts no watch drives are resolved).
    pub(crate) seen: u64,
    /// Read back from the store and not yet matched with its condition: kept while its
    /// subject is not known yet (a service not checked since the restart).
    pub(crate) restored: bool,
    pub(crate) flap: Flap,
    /// Its condition cleared while it flaps: held open (one incident for the whole
    /// flapping episode) until the flapping settles.
    pub(crate) cleared: bool,
    /// Read back with a silence that ended while lookout was stopped: it pages again
    /// once its condition has been seen anew and still holds, not on the word of the
    /// last run (the service may have recovered meanwhile).
    pub(crate) page_when_seen: bool,
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
    /// By incident key ([`AlertKey::incident`]): one open alert per incident.
    pub(crate) by_key: HashMap<AlertKey, u64>,
    /// Flap records of incidents with no alert right now, for their next one.
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

/// Why an alert ends when a reload takes away the condition it held.
pub(crate) const CONDITION_CHANGED: &str = "its condition changed in the config";

/// The state the other fields imply.
pub(crate) fn state_of(view: &AlertView) -> AlertState {
    match view {
        AlertView {
            resolved: Some(_),
            ended: Some(_),
            ..
        } => AlertState::Ended,
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
    /// A fired alert whose condition cleared: counts the transition, and keeps the
    /// alert open while it flaps (one incident for the whole flapping episode, paged
    /// once, never resolved and fired again at each flap). True while held open; false
    /// once it may resolve (it does not flap, or its flapping settled now).
    pub(crate) fn hold_open(
        &mut self,
        step: &Step<'_>,
        changed: &mut bool,
        changes: &mut Vec<AlertChange>,
    ) -> bool {
        let (now, config) = (step.now, step.config);
        if self.cleared {
            if !self.flap.settles(now, config.flap_window) {
                return true;
            }
            let v = edit(&mut self.view, changed);
            v.flapping = false;
            note(v, now, "settled");
            changes.push(AlertChange::FlapEnded);
            return false;
        }
        let starts = self
            .flap
            .record(now, config.flap_window, config.flap_transitions);
        if starts || self.flap.flapping {
            self.cleared = true;
            let v = edit(&mut self.view, changed);
            if starts {
                v.flapping = true;
                note(v, now, "flapping: held open until it settles");
                changes.push(AlertChange::FlapStarted);
            } else {
                note(v, now, "clear, held open while it flaps");
            }
            return true;
        }
        false
    }

    /// The next moment this alert needs an evaluation, if any.
    pub(crate) fn due(&self, config: &AlertsConfig) -> Option<SystemTime> {
        let view = &self.view;
        let pending = self.ripe_at.filter(|_| self.holding);
        let reminder = (view.next_reminder).filter(|_| view.state == AlertState::Firing);
        let ending = match (self.holding || self.cleared, view.fired, self.last_true) {
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

    /// Copies the flap record into the view, which the store keeps.
    pub(crate) fn keep_flap(&mut self, changed: &mut bool) {
        let marks = self.flap.marks();
        if !marks.eq(self.view.flap_marks.iter().copied()) {
            edit(&mut self.view, changed).flap_marks = self.flap.marks().collect();
        }
    }

    /// Keeps `page_owed` from the changes of one step, before they become events: a page
    /// held back by a silence (the alert fired or worsened under it) is owed until the
    /// silence ends, when `Released` carries it out.
    pub(crate) fn owe_pages(&mut self, changes: &mut Vec<AlertChange>, changed: &mut bool) {
        if changes.contains(&AlertChange::Unsilenced) {
            if self.view.page_owed {
                edit(&mut self.view, changed).page_owed = false;
                // Acknowledged meanwhile: someone has it, the page is moot.
                if self.view.ack.is_none() {
                    changes.push(AlertChange::Released);
                }
            }
        } else if self.view.silence.is_some()
            && !self.view.page_owed
            && (changes.iter()).any(|c| matches!(c, AlertChange::Firing | AlertChange::Worsened))
        {
            edit(&mut self.view, changed).page_owed = true;
        }
    }

    /// Sets the state the fields imply. A return to firing restarts the reminders, but
    /// for one from a silence, which only held them: a reminder that fell due under it
    /// goes out as it ends.
    pub(crate) fn settle_state(&mut self, step: &Step<'_>, changed: &mut bool) {
        let state = state_of(&self.view);
        let from = self.view.state;
        if state == from {
            return;
        }
        edit(&mut self.view, changed).state = state;
        let kept = self.view.next_reminder;
        let next = match (from, state, step.config.reminder) {
            (AlertState::Silenced, AlertState::Firing, Some(_)) if kept.is_some() => kept,
            (_, AlertState::Firing, Some(period)) => Some(later(step.now, period)),
            (AlertState::Firing, AlertState::Silenced, _) => kept,
            _ => None,
        };
        if self.view.next_reminder != next {
            edit(&mut self.view, changed).next_reminder = next;
        }
    }
}

/// What one evaluation knows of one alert's condition: whether it holds (and how), the
/// kind it gives the alert, whether the subject is healthy enough for the alert to
/// resolve, and the line to show now (`None`: keep the one shown).
pub(crate) struct Seen {
    pub(crate) truth: Option<Truth>,
    pub(crate) kind: AlertKind,
    pub(crate) healthy: bool,
    pub(crate) line: Option<String>,
}

impl Book {
    /// Drives the alert of `watch` from its condition: opens one when it starts to
    /// hold, links to a restored one, steps it, ends it when the watch stopped or a
    /// reload took its condition away, and forgets it once closed.
    pub(crate) fn drive(
        &mut self,
        watch: &mut Watch,
        step: &Step<'_>,
        summary: &mut dyn FnMut(Option<Check>, &Watch) -> Option<String>,
        events: &mut Vec<AlertEvent>,
    ) {
        let mut truth = watch.truth(step.now);
        let linked = watch.alert.filter(|id| self.alerts.contains_key(id));
        let fresh = std::mem::replace(&mut watch.fresh, false);
        let existing = linked.or_else(|| self.by_key.get(&watch.key).copied());
        if let Some(reason) = watch.stopped {
            if let Some(id) = existing {
                self.end(id, reason, step, events);
                watch.floor = Some(step.now);
            }
            watch.alert = None;
            return;
        }
        let check = |watch: &Watch, t: &Truth| watch.tiers.get(t.tier).map(|x| x.check);
        let (id, new) = match (existing, truth) {
            (Some(id), _) => {
                let alert = self.alerts.get(&id);
                if linked.is_none() && fresh {
                    // A reload rebuilt the watch: the condition it held a moment ago
                    // is gone by the new config, which is no recovery.
                    if truth.is_none() && alert.is_some_and(|a| a.holding) {
                        self.end(id, CONDITION_CHANGED, step, events);
                        watch.alert = None;
                        watch.floor = Some(step.now);
                        return;
                    }
                    if let Some(alert) = alert.filter(|a| a.view.fired.is_none()) {
                        watch.seed(alert.view.started);
                        truth = watch.truth(step.now);
                    }
                }
                (id, false)
            }
            (None, None) => {
                watch.alert = None;
                return;
            }
            (None, Some(t)) => {
                let line = summary(check(watch, &t), watch).unwrap_or_default();
                (self.open(watch, &t, line), true)
            }
        };
        watch.alert = Some(id);
        let seen = Seen {
            truth,
            kind: truth.map_or(watch.key.kind, |t| watch.kind_for(t.tier)),
            healthy: watch.healthy,
            line: summary(truth.and_then(|t| check(watch, &t)), watch),
        };
        if !self.step(id, seen, step, new, events) {
            watch.alert = None;
            watch.floor = Some(step.now);
        }
    }

    fn open(&mut self, watch: &Watch, truth: &Truth, summary: String) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let flap = self.flaps.remove(&watch.key).unwrap_or_default();
        let kind = watch.kind_for(truth.tier);
        let view = AlertView {
            id,
            key: AlertKey {
                kind,
                ..watch.key.clone()
            },
            group: watch.group.clone(),
            severity: truth.severity,
            state: AlertState::Pending,
            summary,
            started: truth.since,
            fired: None,
            resolved: None,
            ended: None,
            peak: Gravity::of(truth.severity, kind),
            ack: None,
            silence: None,
            flapping: flap.flapping,
            page_owed: false,
            next_reminder: None,
            flap_marks: Vec::new(),
            timeline: Vec::new(),
            origin: None,
        };
        self.by_key.insert(watch.key.clone(), id);
        let alert = Alert {
            view: Arc::new(view),
            last_true: None,
            holding: true,
            ripe_at: None,
            seen: 0,
            restored: false,
            flap,
            cleared: false,
            page_when_seen: false,
        };
        self.alerts.insert(id, alert);
        id
    }

    /// Closes alert `id` without its condition clearing, saying why: an `ended` notice,
    /// never `resolved`.
    pub(crate) fn end(
        &mut self,
        id: u64,
        reason: &str,
        step: &Step<'_>,
        events: &mut Vec<AlertEvent>,
    ) {
        let Some(alert) = self.alerts.get_mut(&id) else {
            return;
        };
        let now = step.now;
        let mut changed = false;
        let v = edit(&mut alert.view, &mut changed);
        v.resolved = Some(now);
        v.ended = Some(reason.to_string());
        v.state = AlertState::Ended;
        note(v, now, format!("ended: {reason}"));
        events.push(AlertEvent::Changed {
            alert: Arc::clone(&alert.view),
            change: AlertChange::Ended,
        });
        self.dirty = true;
        self.close(id, now, step.config);
    }

    /// Moves a closed alert out: its flap record stays for the next incident, and it
    /// joins the history if it ever fired.
    pub(crate) fn close(&mut self, id: u64, now: SystemTime, config: &AlertsConfig) {
        let Some(mut alert) = self.alerts.remove(&id) else {
            return;
        };
        let key = alert.view.key.incident();
        if self.by_key.get(&key) == Some(&id) {
            self.by_key.remove(&key);
        }
        if !alert.flap.is_idle(now, config.flap_window) {
            self.flaps.insert(key, alert.flap);
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
