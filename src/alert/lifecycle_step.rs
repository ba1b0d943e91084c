//! One evaluation of one alert: fire when a tier held its `for`, change kind and
//! severity in place (worsened past its peak, or shifted), resolve once its condition
//! cleared for `keep_firing_for` and its subject is healthy, remind, flap and settle;
//! and the events that tell of it.

use super::events::{AlertChange, AlertEvent};
use super::lifecycle::{Book, Seen, Step, edit, later, note};
use crate::view::alert::{AlertState, Gravity};

impl Book {
    /// One evaluation of alert `id` as `seen`; false once resolved.
    pub(crate) fn step(
        &mut self,
        id: u64,
        seen: Seen,
        step: &Step<'_>,
        new: bool,
        events: &mut Vec<AlertEvent>,
    ) -> bool {
        let Some(alert) = self.alerts.get_mut(&id) else {
            return false;
        };
        let (now, config) = (step.now, step.config);
        alert.seen = step.epoch;
        alert.restored = false;
        let page = std::mem::take(&mut alert.page_when_seen);
        let mut changed = false;
        let mut changes = Vec::new();
        if new {
            changes.push(AlertChange::Pending);
        }
        if new || step.recover {
            alert.recover(step, &mut changed, &mut changes);
        }
        let line = seen.line.unwrap_or_else(|| alert.view.summary.clone());
        if line != alert.view.summary {
            // What the alert says is about now: its checks, its value, its age.
            edit(&mut alert.view, &mut changed).summary = line.clone();
        }
        let kind = seen.kind;
        let mut resolved = false;
        match seen.truth {
            Some(t) => {
                if alert.cleared {
                    // Back while it flaps: the same incident, one more transition.
                    alert.cleared = false;
                    let v = edit(&mut alert.view, &mut changed);
                    alert
                        .flap
                        .record(now, config.flap_window, config.flap_transitions);
                    note(v, now, format!("failing again while flapping: {line}"));
                }
                alert.last_true = Some(now);
                alert.holding = true;
                alert.ripe_at = t.ripe_at;
                // The tier the alert now describes: the worst that held its `for`, else
                // the worst that holds.
                let severity = t.ripe.unwrap_or(t.severity);
                let now_is = (severity, kind);
                let was = (alert.view.severity, alert.view.key.kind);
                match (alert.view.fired, t.ripe) {
                    (None, Some(severity)) => {
                        let v = edit(&mut alert.view, &mut changed);
                        v.fired = Some(now);
                        v.severity = severity;
                        v.key.kind = kind;
                        v.peak = Gravity::of(severity, kind);
                        note(v, now, format!("firing ({}): {line}", severity.as_str()));
                        changes.retain(|c| *c != AlertChange::Pending);
                        changes.push(AlertChange::Firing);
                        if alert
                            .flap
                            .record(now, config.flap_window, config.flap_transitions)
                        {
                            v.flapping = true;
                            note(v, now, "flapping: held open until it settles");
                            changes.push(AlertChange::FlapStarted);
                        }
                    }
                    (None, None) if now_is != was => {
                        let v = edit(&mut alert.view, &mut changed);
                        v.severity = t.severity;
                        v.key.kind = kind;
                    }
                    (Some(_), _) if now_is != was => {
                        let v = edit(&mut alert.view, &mut changed);
                        v.severity = severity;
                        v.key.kind = kind;
                        let gravity = Gravity::of(severity, kind);
                        let what = format!("{} ({})", kind.as_str(), severity.as_str());
                        if gravity > v.peak {
                            v.peak = gravity;
                            let dropped = match v.ack.take() {
                                Some(_) => ", the ack is dropped",
                                None => "",
                            };
                            note(v, now, format!("worsened to {what}{dropped}: {line}"));
                            changes.push(AlertChange::Worsened);
                        } else {
                            note(v, now, format!("now {what}: {line}"));
                            changes.push(AlertChange::Shifted);
                        }
                    }
                    _ => {}
                }
            }
            None => {
                alert.holding = false;
                alert.ripe_at = None;
                let last = *alert.last_true.get_or_insert(now);
                let grace_over = later(last, config.keep_firing_for) <= now;
                let clear = grace_over && seen.healthy;
                resolved = alert.view.fired.is_none()
                    || (clear && !alert.hold_open(step, &mut changed, &mut changes));
            }
        }
        if alert.cleared && !resolved {
            // Clear now, but held open: what it says must not read as an all-clear.
            let window = crate::words::short_age(config.flap_window);
            let line = super::summary::without_countdown(&line);
            let held = format!("{line}; flapping: held open until it stays so for {window}");
            if alert.view.summary != held {
                edit(&mut alert.view, &mut changed).summary = held;
            }
        }
        if resolved {
            let v = edit(&mut alert.view, &mut changed);
            v.resolved = Some(now);
            note(v, now, "resolved");
            changes.push(AlertChange::Resolved);
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
            // A page in this step (it worsened) is news: the next reminder counts from it.
            let paged = changes.contains(&AlertChange::Worsened);
            match alert.view.next_reminder {
                Some(_) if paged => {
                    edit(&mut alert.view, &mut changed).next_reminder = Some(later(now, period));
                }
                None => {
                    edit(&mut alert.view, &mut changed).next_reminder = Some(later(now, period))
                }
                Some(due) if due <= now => {
                    let v = edit(&mut alert.view, &mut changed);
                    note(v, now, "reminder");
                    changes.push(AlertChange::Reminder);
                    let next = later(due, period);
                    v.next_reminder = Some(if next > now { next } else { later(now, period) });
                }
                Some(_) => {}
            }
        }
        if page && !resolved {
            // Its silence ended while lookout was stopped, and it still holds: said
            // now, and paged unless someone has it.
            changes.push(AlertChange::Unsilenced);
        }
        if new && alert.view.state == AlertState::Pending {
            note(
                edit(&mut alert.view, &mut changed),
                now,
                format!("pending: {line}"),
            );
        }
        alert.keep_flap(&mut changed);
        alert.owe_pages(&mut changes, &mut changed);
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
