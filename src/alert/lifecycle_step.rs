//! One evaluation of one alert: fire when a tier held its `for`, worsen, resolve after
//! `keep_firing_for`, remind, flap and settle; and the events that tell of it.

use super::events::{AlertChange, AlertEvent};
use super::lifecycle::{Book, Step, edit, later, note};
use super::model::AlertState;
use super::rules::Truth;

impl Book {
    /// One evaluation of alert `id` whose condition is `truth`; false once resolved.
    pub(crate) fn step(
        &mut self,
        id: u64,
        truth: Option<Truth>,
        step: &Step<'_>,
        new: bool,
        summary: &mut dyn FnMut() -> Option<String>,
        events: &mut Vec<AlertEvent>,
    ) -> bool {
        let Some(alert) = self.alerts.get_mut(&id) else {
            return false;
        };
        let (now, config) = (step.now, step.config);
        alert.seen = step.epoch;
        alert.restored = false;
        let mut changed = false;
        let mut changes = Vec::new();
        if new {
            changes.push(AlertChange::Pending);
        }
        if new || step.recover {
            alert.recover(step, &mut changed, &mut changes);
        }
        let mut resolved = false;
        match truth {
            Some(t) => {
                alert.last_true = Some(now);
                alert.holding = true;
                alert.ripe_at = t.ripe_at;
                match (alert.view.fired, t.ripe) {
                    (None, Some(severity)) => {
                        let v = edit(&mut alert.view, &mut changed);
                        v.fired = Some(now);
                        v.severity = severity;
                        if let Some(line) = summary() {
                            v.summary = line;
                        }
                        note(v, now, format!("firing ({})", severity.as_str()));
                        changes.retain(|c| *c != AlertChange::Pending);
                        changes.push(AlertChange::Firing);
                        if alert
                            .flap
                            .record(now, config.flap_window, config.flap_transitions)
                        {
                            v.flapping = true;
                            note(v, now, "flapping: notices held until it settles");
                            changes.push(AlertChange::FlapStarted);
                        }
                    }
                    (None, None) if t.severity != alert.view.severity => {
                        edit(&mut alert.view, &mut changed).severity = t.severity;
                    }
                    (Some(_), Some(severity)) if severity > alert.view.severity => {
                        let v = edit(&mut alert.view, &mut changed);
                        v.severity = severity;
                        if let Some(line) = summary() {
                            v.summary = line;
                        }
                        let what = match v.ack.take() {
                            Some(_) => {
                                format!("worsened to {}: the ack is dropped", severity.as_str())
                            }
                            None => format!("worsened to {}", severity.as_str()),
                        };
                        note(v, now, what);
                        changes.push(AlertChange::Worsened);
                    }
                    _ => {}
                }
            }
            None => {
                alert.holding = false;
                alert.ripe_at = None;
                let last = *alert.last_true.get_or_insert(now);
                let grace_over = later(last, config.keep_firing_for) <= now;
                resolved = alert.view.fired.is_none() || grace_over;
            }
        }
        if resolved {
            let v = edit(&mut alert.view, &mut changed);
            v.resolved = Some(now);
            note(v, now, "resolved");
            changes.push(AlertChange::Resolved);
            let fired = v.fired.is_some();
            if fired
                && alert
                    .flap
                    .record(now, config.flap_window, config.flap_transitions)
            {
                v.flapping = true;
                changes.push(AlertChange::FlapStarted);
            }
        } else if alert.flap.settles(now, config.flap_window) {
            let v = edit(&mut alert.view, &mut changed);
            v.flapping = false;
            note(v, now, "settled");
            changes.push(AlertChange::FlapEnded);
        }
        alert.settle_state(step, &mut changed);
        if alert.view.state == AlertState::Firing
            && let Some(period) = config.reminder
        {
            match alert.next_reminder {
                None => alert.next_reminder = Some(later(now, period)),
                Some(due) if due <= now => {
                    note(edit(&mut alert.view, &mut changed), now, "reminder");
                    changes.push(AlertChange::Reminder);
                    let next = later(due, period);
                    alert.next_reminder = Some(if next > now { next } else { later(now, period) });
                }
                Some(_) => {}
            }
        }
        if new && alert.view.state == AlertState::Pending {
            note(edit(&mut alert.view, &mut changed), now, "pending");
        }
        self.dirty |= changed;
        let view = alert.view.clone();
        events.extend(changes.into_iter().map(|change| AlertEvent::Changed {
            alert: view.clone(),
            change,
        }));
        if resolved {
            self.close(id, now, config);
        }
        !resolved
    }
}
