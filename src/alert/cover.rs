//! What keeps alerts quiet: silences made from the keyboard or the API, and the
//! `[[alerts.maintenance]]` windows that are open, which act as silences while they are.

use std::time::SystemTime;

use super::events::{AlertChange, AlertEvent};
use crate::config::AlertsConfig;
use crate::view::alert::{AlertKey, Silence, SilenceTarget};

/// The silence id of a maintenance window (a window is config, not a stored silence).
pub const MAINTENANCE_SILENCE_ID: u64 = 0;

/// The active silences and the open maintenance windows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cover {
    pub(crate) silences: Vec<Silence>,
    /// (index into `[[alerts.maintenance]]`, start, end) of each open window.
    pub(crate) open: Vec<(usize, SystemTime, SystemTime)>,
}

impl Cover {
    /// Takes out the silences that ended by `now`.
    pub(crate) fn expire(&mut self, now: SystemTime) -> Vec<Silence> {
        if self.silences.iter().all(|s| s.until > now) {
            return Vec::new();
        }
        let (ended, kept) = std::mem::take(&mut self.silences)
            .into_iter()
            .partition(|s| s.until <= now);
        self.silences = kept;
        ended
    }

    /// Takes out the silences of one alert (`SilenceTarget::Alert`) whose incident
    /// closed among `events` (resolved, or ended): "this alert" means this incident, so
    /// the next outage of the same service pages. Silences of a subject or a group stay.
    pub(crate) fn end_with_incidents(&mut self, events: &[AlertEvent]) -> Vec<Silence> {
        let closed: Vec<&AlertKey> = (events.iter())
            .filter_map(|event| match event {
                AlertEvent::Changed {
                    alert,
                    change: AlertChange::Resolved | AlertChange::Ended,
                } => Some(&alert.key),
                _ => None,
            })
            .collect();
        if closed.is_empty() {
            return Vec::new();
        }
        let (ended, kept) = std::mem::take(&mut self.silences)
            .into_iter()
            .partition(|silence| match &silence.target {
                SilenceTarget::Alert(wanted) => closed.iter().any(|key| wanted.same_incident(key)),
                _ => false,
            });
        self.silences = kept;
        ended
    }

    /// Re-reads which windows are open at `now`; true when that changed.
    pub(crate) fn reopen(&mut self, config: &AlertsConfig, now: SystemTime) -> bool {
        let mut changed = false;
        let mut n = 0;
        for (i, window) in config.maintenance.iter().enumerate() {
            let Some((start, end)) = window.schedule.open_at(now) else {
                continue;
            };
            let entry = (i, start, end);
            match self.open.get_mut(n) {
                Some(slot) if *slot == entry => {}
                Some(slot) => {
                    *slot = entry;
                    changed = true;
                }
                None => {
                    self.open.push(entry);
                    changed = true;
                }
            }
            n += 1;
        }
        if self.open.len() != n {
            self.open.truncate(n);
            changed = true;
        }
        changed
    }

    /// The silence that covers an alert, the one that lasts longest when several do; a
    /// maintenance window is given as a silence with id [`MAINTENANCE_SILENCE_ID`],
    /// `by` "maintenance" and the window's name as the comment.
    pub(crate) fn find(
        &self,
        key: &AlertKey,
        group: Option<&str>,
        config: &AlertsConfig,
    ) -> Option<Silence> {
        let silence = self
            .silences
            .iter()
            .filter(|s| covers(&s.target, key, group))
            .max_by_key(|s| s.until);
        let window = self
            .open
            .iter()
            .filter_map(|&(i, start, end)| Some((config.maintenance.get(i)?, start, end)))
            .filter(|(w, ..)| w.selector.matches(&key.subject, group))
            .max_by_key(|(_, _, end)| *end);
        match (silence, window) {
            (Some(silence), Some((_, _, end))) if silence.until >= end => Some(silence.clone()),
            (Some(silence), None) => Some(silence.clone()),
            (_, Some((window, start, end))) => {
                let target = match (&window.selector.group, group) {
                    (Some(wanted), Some(group)) if wanted == group => {
                        SilenceTarget::Group(group.to_string())
                    }
                    _ => SilenceTarget::Subject(key.subject.clone()),
                };
                Some(Silence {
                    id: MAINTENANCE_SILENCE_ID,
                    target,
                    created: start,
                    until: end,
                    by: "maintenance".to_string(),
                    comment: Some(window.name.clone()),
                })
            }
            (None, None) => None,
        }
    }

    /// The first moment after `now` when a silence ends or a window opens or closes.
    pub(crate) fn next_edge(&self, config: &AlertsConfig, now: SystemTime) -> Option<SystemTime> {
        let silences = self.silences.iter().map(|s| s.until);
        let windows = config
            .maintenance
            .iter()
            .filter_map(|w| w.schedule.next_edge(now));
        silences.chain(windows).min()
    }
}

/// True when `target` takes the alert with `key` about a service of `group`.
pub(crate) fn covers(target: &SilenceTarget, key: &AlertKey, group: Option<&str>) -> bool {
    match target {
        // One incident, whatever kind it has moved to.
        SilenceTarget::Alert(wanted) => wanted.same_incident(key),
        SilenceTarget::Subject(subject) => *subject == key.subject,
        SilenceTarget::Group(wanted) => Some(wanted.as_str()) == group,
    }
}
