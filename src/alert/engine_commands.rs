//! The commands people give the engine between evaluations: acknowledge, give back,
//! silence and lift a silence. Each answers with what changed, or why it could not.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::engine::AlertEngine;
use super::events::{AlertChange, AlertError, AlertEvent};
use super::lifecycle::{Step, later, note};
use crate::view::alert::{Ack, AlertState, AlertView, Silence, SilenceTarget};

impl AlertEngine {
    /// Takes an alert (pending, firing or silenced): no reminders until it resolves or
    /// is given back.
    pub fn ack(&mut self, id: u64, ack: Ack) -> Result<Vec<AlertEvent>, AlertError> {
        let now = ack.at;
        let what = match &ack.note {
            Some(text) => format!("acked by {}: {text}", ack.by),
            None => format!("acked by {}", ack.by),
        };
        self.change(id, now, AlertChange::Acked, |view| {
            note(view, now, what);
            view.ack = Some(ack);
            // The ack takes the alert as bad as it is now: worse than this is news.
            view.peak = view.gravity();
        })
    }

    /// Gives an acked alert back: it fires (and reminds) again.
    pub fn unack(&mut self, id: u64, now: SystemTime) -> Result<Vec<AlertEvent>, AlertError> {
        match self.book.alerts.get(&id) {
            Some(alert) if alert.view.ack.is_none() => return Err(AlertError::NotAcked(id)),
            _ => {}
        }
        self.change(id, now, AlertChange::Unacked, |view| {
            note(view, now, "unacked");
            view.ack = None;
        })
    }

    /// Silences what `target` matches from `now` for `duration`.
    pub fn silence(
        &mut self,
        target: SilenceTarget,
        duration: Duration,
        by: String,
        comment: Option<String>,
        now: SystemTime,
    ) -> (Silence, Vec<AlertEvent>) {
        let silence = Silence {
            id: self.next_silence_id,
            target,
            created: now,
            until: later(now, duration),
            by,
            comment,
        };
        self.next_silence_id += 1;
        self.cover.silences.push(silence.clone());
        let mut events = vec![AlertEvent::SilenceAdded(silence.clone())];
        self.recover_all(now, &mut events);
        (silence, events)
    }

    /// Lifts a silence before it ends.
    pub fn unsilence(&mut self, id: u64, now: SystemTime) -> Result<Vec<AlertEvent>, AlertError> {
        let index = (self.cover.silences.iter())
            .position(|s| s.id == id)
            .ok_or(AlertError::UnknownSilence(id))?;
        let mut silence = self.cover.silences.remove(index);
        silence.until = silence.until.min(now);
        let mut events = vec![AlertEvent::SilenceEnded(silence)];
        self.recover_all(now, &mut events);
        Ok(events)
    }

    /// Edits alert `id` with `apply`, then reports `change`.
    fn change(
        &mut self,
        id: u64,
        now: SystemTime,
        change: AlertChange,
        apply: impl FnOnce(&mut AlertView),
    ) -> Result<Vec<AlertEvent>, AlertError> {
        let Some(alert) = self.book.alerts.get_mut(&id) else {
            let resolved = self.book.history.iter().any(|v| v.id == id);
            return Err(match resolved {
                true => AlertError::Resolved(id),
                false => AlertError::UnknownAlert(id),
            });
        };
        apply(Arc::make_mut(&mut alert.view));
        let step = Step {
            config: &self.config,
            cover: &self.cover,
            now,
            epoch: self.epoch,
            recover: false,
        };
        let mut changed = true;
        alert.settle_state(&step, &mut changed);
        let event = AlertEvent::Changed {
            alert: Arc::clone(&alert.view),
            change,
        };
        self.book.dirty = true;
        self.rebuild();
        Ok(vec![event])
    }

    /// Matches every alert against the silences and windows again, in id order.
    pub(super) fn recover_all(&mut self, now: SystemTime, events: &mut Vec<AlertEvent>) {
        let step = Step {
            config: &self.config,
            cover: &self.cover,
            now,
            epoch: self.epoch,
            recover: true,
        };
        let mut ids: Vec<u64> = self.book.alerts.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(alert) = self.book.alerts.get_mut(&id) else {
                continue;
            };
            let mut changes = Vec::new();
            let mut changed = false;
            alert.recover(&step, &mut changed, &mut changes);
            alert.owe_pages(&mut changes, &mut changed);
            self.book.dirty |= changed;
            events.extend(changes.into_iter().map(|change| AlertEvent::Changed {
                alert: Arc::clone(&alert.view),
                change,
            }));
        }
        self.rebuild();
    }

    /// Takes a reloaded `reminder`: each alert firing with nobody on it is next reminded
    /// a new period after its last reminder (or its firing), or at once if that is past;
    /// none stops the reminders.
    pub(super) fn reschedule_reminders(&mut self, old: Option<Duration>, period: Option<Duration>) {
        let Some(now) = self.last_now else {
            return;
        };
        for alert in self.book.alerts.values_mut() {
            let firing = alert.view.state == AlertState::Firing;
            let next = match (period, alert.view.next_reminder, old) {
                (Some(period), Some(next), Some(old)) if firing => {
                    let last = next.checked_sub(old).unwrap_or(now);
                    Some(later(last, period).max(now))
                }
                (Some(period), _, _) if firing => Some(later(now, period)),
                _ => None,
            };
            if alert.view.next_reminder != next {
                Arc::make_mut(&mut alert.view).next_reminder = next;
                self.book.dirty = true;
            }
        }
        self.rebuild();
    }
}
