//! Alert changes the store could not take yet (a full or read-only state directory):
//! kept, newest version of each alert, every silence in order and the notices owed and
//! settled, and written again each second until the store takes them. The first failure is logged, repeats of
//! the same error are not, and the recovery is. Every failure is shown (as
//! `alert_store_failed`) at least once, even one put right by the next write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tracing::{error, info};

use crate::alert::AlertEvent;
use crate::alert::store::{AlertStore, OwedNotice, SilenceWrite, StoreError};
use crate::log::events;
use crate::view::alert::{AlertView, Silence};
use crate::view::snapshot::StoreTrouble;

/// The wait between tries while the store refuses writes.
const RETRY: Duration = Duration::from_secs(1);

/// What waits to be written.
#[derive(Debug, Default)]
pub(super) struct Unsaved {
    alerts: BTreeMap<u64, Arc<AlertView>>,
    silences: Vec<SilenceWrite>,
    /// Notices owed, by id, not yet in the outbox.
    owed: BTreeMap<u64, OwedNotice>,
    /// Notices settled (delivered, or lost for good), to delete from the outbox.
    settled: BTreeSet<u64>,
    /// Each active alert as last handed over to be written.
    known: HashMap<u64, Arc<AlertView>>,
    /// Since when writes fail, and the error last logged.
    failing: Option<Failure>,
    /// A failure put right before it was shown: shown once, then forgotten.
    repaired: Option<StoreTrouble>,
    retry_at: Option<SystemTime>,
}

/// Writes failing: since when, the error last logged, and whether it has been shown.
#[derive(Debug)]
struct Failure {
    since: SystemTime,
    error: String,
    shown: bool,
}

impl Unsaved {
    /// Adds what `changes` must write (a later version of an alert replaces an earlier).
    pub(super) fn add(&mut self, changes: &[AlertEvent]) {
        for change in changes {
            match change {
                AlertEvent::Changed { alert, .. } => {
                    self.alerts.insert(alert.id, Arc::clone(alert));
                }
                AlertEvent::SilenceAdded(silence) => {
                    self.silences.push(SilenceWrite::Save(silence.clone()));
                }
                AlertEvent::SilenceEnded(silence) => {
                    self.silences.push(SilenceWrite::Delete(silence.id));
                }
            }
        }
    }

    /// Adds notices owed, to write with the change that made them.
    pub(super) fn add_owed(&mut self, owed: &[OwedNotice]) {
        (self.owed).extend(owed.iter().map(|notice| (notice.id, notice.clone())));
    }

    /// Adds notices settled: one not written yet is simply not written. True when one
    /// must be deleted from the outbox.
    pub(super) fn add_settled(&mut self, ids: Vec<u64>) -> bool {
        let mut added = false;
        for id in ids {
            if self.owed.remove(&id).is_none() {
                added |= self.settled.insert(id);
            }
        }
        added
    }

    /// Adds every active alert edited with no change to say so (a timeline line while it
    /// flaps, a reminder put off by a reload): the store keeps the newest version of
    /// each, not only of those a change was told of. True when one was added.
    pub(super) fn add_edited(&mut self, active: &[Arc<AlertView>]) -> bool {
        let mut added = false;
        if self.known.len() > active.len() {
            self.known
                .retain(|id, _| active.iter().any(|a| a.id == *id));
        }
        for alert in active {
            let same = (self.known.get(&alert.id)).is_some_and(|seen| Arc::ptr_eq(seen, alert));
            if same {
                continue;
            }
            let waiting = (self.alerts.get(&alert.id)).is_some_and(|w| Arc::ptr_eq(w, alert));
            if !waiting {
                self.alerts.insert(alert.id, Arc::clone(alert));
                added = true;
            }
            self.known.insert(alert.id, Arc::clone(alert));
        }
        added
    }

    /// Adds every alert, silence and owed notice held, to write to a database made anew
    /// (the outbox it had is gone, so nothing is left there to delete).
    pub(super) fn add_all(
        &mut self,
        alerts: Vec<Arc<AlertView>>,
        silences: Vec<Silence>,
        owed: Vec<OwedNotice>,
    ) {
        for alert in alerts {
            self.alerts.insert(alert.id, alert);
        }
        self.silences
            .extend(silences.into_iter().map(SilenceWrite::Save));
        self.add_owed(&owed);
        self.settled.clear();
    }

    /// The trouble writes meet, while they fail; a failure already put right is given
    /// once, so that the person on call hears of it (a database deleted and made again).
    pub(super) fn trouble(&mut self) -> Option<StoreTrouble> {
        let waiting = self.waiting();
        match &mut self.failing {
            Some(failure) => {
                failure.shown = true;
                Some(StoreTrouble {
                    since: failure.since,
                    error: failure.error.clone(),
                    waiting,
                    repaired: false,
                })
            }
            None => self.repaired.take(),
        }
    }

    /// When the next try is due, while something waits.
    pub(super) fn retry_at(&self) -> Option<SystemTime> {
        self.retry_at
    }

    /// True when something waits and its retry is due at `now`.
    pub(super) fn due(&self, now: SystemTime) -> bool {
        self.retry_at.is_some_and(|at| at <= now)
    }

    /// Writes everything waiting as one transaction: silences in order, then the alerts.
    /// On failure it all stays for the next try (a second later); writing a row twice
    /// does no harm.
    pub(super) async fn write(
        &mut self,
        store: &AlertStore,
        now: SystemTime,
    ) -> Result<(), StoreError> {
        match self.write_all(store).await {
            Ok(saved) => {
                if let Some(failure) = self.failing.take() {
                    let since = failure.since;
                    let failed_for = now.duration_since(since).unwrap_or_default();
                    info!(
                        event = events::ALERT_STORE_RECOVERED,
                        saved,
                        failed_for_s = failed_for.as_secs(),
                    );
                    if !failure.shown {
                        self.repaired = Some(StoreTrouble {
                            since,
                            error: failure.error,
                            waiting: 0,
                            repaired: true,
                        });
                    }
                }
                self.retry_at = None;
                Ok(())
            }
            Err(err) => {
                self.failed(&err, now);
                Err(err)
            }
        }
    }

    /// Notes a write that could not be made: logged when the error is new, tried again
    /// a second later.
    pub(super) fn failed(&mut self, err: &StoreError, now: SystemTime) {
        let text = err.to_string();
        let waiting = self.waiting();
        match &mut self.failing {
            Some(failure) if failure.error == text => {}
            failing => {
                error!(event = events::ALERT_STORE_FAILED, error = %err, waiting);
                let (since, shown) = failing
                    .as_ref()
                    .map_or((now, false), |f| (f.since, f.shown));
                *failing = Some(Failure {
                    since,
                    error: text,
                    shown,
                });
            }
        }
        self.retry_at = Some(now + RETRY);
    }

    /// The changes a restart would lose now: alerts, silences and owed notices (a
    /// delivered notice not yet deleted costs nothing but a repeat).
    fn waiting(&self) -> usize {
        self.alerts.len() + self.silences.len() + self.owed.len()
    }

    /// Writes and forgets what waits, in one transaction; returns how many rows were
    /// written.
    async fn write_all(&mut self, store: &AlertStore) -> Result<usize, StoreError> {
        let alerts: Vec<Arc<AlertView>> = self.alerts.values().cloned().collect();
        let owed: Vec<OwedNotice> = self.owed.values().cloned().collect();
        let settled: Vec<u64> = self.settled.iter().copied().collect();
        (store.save_with_notices(&self.silences, &alerts, &owed, &settled)).await?;
        let written = self.silences.len() + alerts.len() + owed.len() + settled.len();
        self.silences.clear();
        self.alerts.clear();
        self.owed.clear();
        self.settled.clear();
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_alerts::sample_alerts;
    use crate::test_support::at;

    #[test]
    fn an_alert_edited_without_a_change_is_written_once() {
        let mut unsaved = Unsaved::default();
        let active: Vec<Arc<AlertView>> = sample_alerts(at(0)).0.into_iter().take(2).collect();
        assert!(unsaved.add_edited(&active), "first seen: written");
        unsaved.alerts.clear();
        assert!(
            !unsaved.add_edited(&active),
            "the same versions: nothing new"
        );
        let mut edited = active.clone();
        Arc::make_mut(&mut edited[1]).summary = "flapping: held open".into();
        assert!(unsaved.add_edited(&edited));
        let waiting: Vec<&str> = unsaved
            .alerts
            .values()
            .map(|a| a.summary.as_str())
            .collect();
        assert_eq!(waiting, ["flapping: held open"]);
    }
}
