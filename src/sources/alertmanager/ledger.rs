//! What one Alertmanager has been told about lookout's alerts, and what it must be told
//! next. Pure, with time passed in, so the forwarder's rules are table-tested: new and
//! changed alerts go out at once, every open alert again each `resend`, and an alert that
//! ended goes out once more with its end.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use super::model::OutgoingAlert;
use super::outgoing::{forwarded, outgoing};
use crate::view::alert::AlertView;

/// The core's alert lists, as the forwarders read them.
#[derive(Debug, Clone, Default)]
pub(crate) struct AlertLists {
    /// Not resolved (pending ones too; they are not forwarded).
    pub active: Vec<Arc<AlertView>>,
    /// Resolved, newest first: where an alert that left `active` finds its end.
    pub history: Vec<Arc<AlertView>>,
}

/// One post's worth of alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    pub alerts: Vec<OutgoingAlert>,
    /// Of which news: new, changed or ended (the others renew open alerts).
    pub fresh: usize,
    /// Of which ended (with an `endsAt` in the past).
    pub resolved: usize,
}

/// An alert Alertmanager holds open (or is about to), by lookout alert id.
#[derive(Debug)]
struct Open {
    /// Without `endsAt`: each post sets it.
    alert: OutgoingAlert,
    /// Goes out with the next post.
    due: bool,
    /// New or changed since it was last delivered.
    fresh: bool,
    /// The `endsAt` Alertmanager last accepted: it keeps the alert open until then.
    told_until: Option<SystemTime>,
}

/// An alert that ended, to be sent once with its end.
#[derive(Debug)]
struct Ending {
    alert: OutgoingAlert,
    /// Alertmanager resolves it on its own after this: past it, telling is moot.
    told_until: SystemTime,
}

/// The forwarder's memory of one Alertmanager.
#[derive(Debug)]
pub(crate) struct Ledger {
    instance: Option<Arc<str>>,
    open: BTreeMap<u64, Open>,
    ending: Vec<Ending>,
}

impl Ledger {
    /// `instance`: this machine's name, for the `instance` label.
    pub fn new(instance: Option<Arc<str>>) -> Self {
        Self {
            instance,
            open: BTreeMap::new(),
            ending: Vec::new(),
        }
    }

    /// Takes the newest lists at `now`: new and changed alerts fall due; an alert that
    /// is no longer forwarded (resolved), or whose labels changed (a new severity is a
    /// new alert there), ends.
    pub fn observe(&mut self, lists: &AlertLists, now: SystemTime) {
        let mut seen: Vec<u64> = Vec::with_capacity(self.open.len());
        for view in lists.active.iter().filter(|view| forwarded(view)) {
            seen.push(view.id);
            let alert = outgoing(view, self.instance.as_deref());
            match self.open.get_mut(&view.id) {
                Some(open) if open.alert == alert => {}
                Some(open) => {
                    let old = std::mem::replace(&mut open.alert, alert);
                    if old.labels != open.alert.labels
                        && let Some(told_until) = open.told_until
                    {
                        self.ending.push(ending(old, now, told_until));
                    }
                    open.due = true;
                    open.fresh = true;
                }
                None => {
                    let open = Open {
                        alert,
                        due: true,
                        fresh: true,
                        told_until: None,
                    };
                    self.open.insert(view.id, open);
                }
            }
        }
        seen.sort_unstable();
        let gone: Vec<u64> = (self.open.keys())
            .filter(|id| seen.binary_search(id).is_err())
            .copied()
            .collect();
        for id in gone {
            let Some(open) = self.open.remove(&id) else {
                continue;
            };
            let Some(told_until) = open.told_until else {
                // Never delivered: Alertmanager has nothing to resolve.
                continue;
            };
            let resolved = (lists.history.iter())
                .find(|view| view.id == id)
                .and_then(|view| view.resolved);
            self.ending
                .push(ending(open.alert, resolved.unwrap_or(now), told_until));
        }
    }

    /// Every open alert goes out with the next post (the resend interval passed).
    pub fn renew_all(&mut self) {
        for open in self.open.values_mut() {
            open.due = true;
        }
    }

    /// What to post at `now`: the due alerts, open until `until` unless sent again, and
    /// every ended one Alertmanager has not resolved on its own yet. Empty when nothing
    /// is to be told.
    pub fn batch(&mut self, now: SystemTime, until: SystemTime) -> Batch {
        self.ending.retain(|ending| ending.told_until > now);
        let mut alerts = Vec::new();
        let mut fresh = 0;
        for open in self.open.values().filter(|open| open.due) {
            fresh += usize::from(open.fresh);
            alerts.push(OutgoingAlert {
                ends_at: Some(until),
                ..open.alert.clone()
            });
        }
        alerts.extend(self.ending.iter().map(|ending| ending.alert.clone()));
        Batch {
            fresh: fresh + self.ending.len(),
            resolved: self.ending.len(),
            alerts,
        }
    }

    /// The batch made with `until` was accepted: nothing is due any more.
    pub fn delivered(&mut self, until: SystemTime) {
        for open in self.open.values_mut().filter(|open| open.due) {
            open.due = false;
            open.fresh = false;
            open.told_until = Some(until);
        }
        self.ending.clear();
    }

    /// True when a post has something to tell.
    pub fn has_news(&self) -> bool {
        !self.ending.is_empty() || self.open.values().any(|open| open.due)
    }
}

fn ending(mut alert: OutgoingAlert, end: SystemTime, told_until: SystemTime) -> Ending {
    alert.ends_at = Some(end);
    Ending { alert, told_until }
}
