//! The core's alerting: the alert engine evaluated on every snapshot, each change
//! written to the state directory before anything reports it done, logged
//! (`lines_alerts.rs`), handed to the notifiers, and the alert lists offered to the
//! Alertmanager forwarders.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use tokio_util::sync::CancellationToken;

use tracing::{error, info};

use super::lines_alerts::{log_change, log_silence, store_failed};
use super::owing::Owing;
use super::unsaved::Unsaved;
use crate::alert::store::{AlertStore, OwedNotice, StoreError};
use crate::alert::{AlertChange, AlertEngine, AlertEvent};
use crate::config::Config;
use crate::event::{Command, Done, NotDone};
use crate::kinds::Certificate;
use crate::log::events;
use crate::notify::{Health, NoticeKind, Notifier};
use crate::sources::alertmanager::Forwarding;
use crate::state_dir::lock::{LockError, StateLock};
use crate::view::alert::{Ack, AlertKind, AlertView};
use crate::view::snapshot::{NoticeHealth, Snapshot, StoreTrouble};

/// lookout's own alerts after an evaluation.
pub struct AlertLists {
    /// Not resolved, in pane order.
    pub active: Vec<Arc<AlertView>>,
    /// Resolved, newest first.
    pub history: Vec<Arc<AlertView>>,
}

/// The engine, where its state is kept, and where its notices and alerts go.
pub struct Alerting {
    engine: AlertEngine,
    store: AlertStore,
    notifier: Notifier,
    /// The notices the channels have not taken yet.
    owing: Owing,
    /// `[[alertmanager]] forward = true`: the alerts pushed to Alertmanager.
    forwarding: Forwarding,
    /// The notifier's own token, so a reload can replace it.
    notifier_cancel: CancellationToken,
    engine_cancel: CancellationToken,
    config: Config,
    /// When resolved alerts and expired silences were last pruned from the store.
    pruned: SystemTime,
    /// Changes the store refused (a full or read-only disk), written again each second.
    unsaved: Unsaved,
    /// The state directory's lock: held while writing, let go after a failed write.
    lock: StateLock,
    /// Whether the channels' notices get through (`notification_failed`).
    health: Health,
    /// When the database and the lock file were last looked at.
    looked: SystemTime,
    /// The services paused when lookout last stopped, until the core takes them up.
    paused: Vec<String>,
    /// The certificate of each service as last written, by name (read back at start).
    certificates: HashMap<String, Arc<Certificate>>,
    /// Those read back at start, until the core takes them up.
    restored: Vec<(String, Arc<Certificate>)>,
}

/// How often the database and the lock file are looked at, to notice their deletion.
const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// How often the store drops resolved alerts past `[alerts] history_keep` or beyond
/// `history_max`, and expired silences.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

impl Alerting {
    /// Opens the store in `[general] state_dir` and picks up where the last run left
    /// off: alerts still open keep their ids, acks and silences.
    pub async fn start(
        config: &Config,
        lock: StateLock,
        cancel: &CancellationToken,
        now: SystemTime,
    ) -> Result<Self, StoreError> {
        let store = AlertStore::open(&config.general.state_dir).await?;
        let mut persisted = store.load(now, config.alerts.history_max).await?;
        let paused = std::mem::take(&mut persisted.paused);
        let mut engine = AlertEngine::new(&config.alerts);
        let repairs = engine.restore(persisted, now);
        // History past its bounds goes at start, then once an hour.
        store
            .prune(now, config.alerts.history_keep, config.alerts.history_max)
            .await?;
        let outbox = store.load_outbox().await?;
        let restored: Vec<(String, Arc<Certificate>)> = (store.load_certificates().await?)
            .into_iter()
            .map(|(name, certificate)| (name, Arc::new(certificate)))
            .collect();
        let notifier_cancel = cancel.child_token();
        let health = Health::default();
        for alert in engine.active() {
            let channel = &alert.key.subject;
            if alert.key.kind == AlertKind::NotificationFailed
                && config.notify.iter().any(|c| c.name == *channel)
            {
                health.resume(channel, alert.started);
            }
        }
        let notifier = Notifier::start(&config.notify, &notifier_cancel, &health);
        let mut alerting = Self {
            engine,
            store,
            notifier,
            owing: Owing::new(outbox.owed, outbox.next_id),
            forwarding: Forwarding::start(&config.alertmanagers, cancel),
            notifier_cancel,
            engine_cancel: cancel.clone(),
            config: config.clone(),
            pruned: now,
            unsaved: Unsaved::default(),
            lock,
            health,
            looked: now,
            paused,
            certificates: restored.iter().cloned().collect(),
            restored,
        };
        alerting.resume_owed(now).await;
        // What changed while lookout was stopped (silences that ended) is saved, logged
        // and notified like any change; a failure to save is logged and tried again.
        let _ = alerting.record(repairs, now).await;
        Ok(alerting)
    }

    /// Hands the notices still owed (held for retry when lookout stopped, or made while
    /// the channels were being replaced) to the channels now configured, oldest first;
    /// those of a channel no longer configured go to the channels that never had them
    /// (written first, as every notice is; a failure is logged and written again).
    async fn resume_owed(&mut self, now: SystemTime) {
        let (made, replaced) = self.owing.readdress(&self.notifier);
        let readdressed = made.len();
        if readdressed > 0 || !replaced.is_empty() {
            self.unsaved.add_owed(&made);
            self.unsaved.add_settled(replaced);
            let _ = self.save(now).await;
        }
        let owed = self.owing.all();
        if owed.is_empty() {
            return;
        }
        let given_up = self.owing.send(&self.notifier, &owed);
        info!(
            event = events::NOTICES_RESUMED,
            owed = owed.len(),
            readdressed,
            given_up = given_up.len(),
        );
        self.unsaved.add_settled(given_up);
    }

    /// The services paused when lookout last stopped, by name (once: the core takes
    /// them up at start).
    pub fn take_paused(&mut self) -> Vec<String> {
        std::mem::take(&mut self.paused)
    }

    /// The certificates the services' servers presented before lookout last stopped, by
    /// service name (once: the core takes them up at start).
    pub fn take_certificates(&mut self) -> Vec<(String, Arc<Certificate>)> {
        std::mem::take(&mut self.restored)
    }

    /// Forgets the certificates of services no longer in the config (removed while
    /// lookout was stopped, or by a reload). A write the disk refuses is logged.
    pub async fn forget_certificates(&mut self, services: &[String]) {
        let known: Vec<String> = (services.iter())
            .filter(|name| self.certificates.remove(*name).is_some())
            .cloned()
            .collect();
        if let Err(err) = self.store.forget_certificates(&known).await {
            store_failed(&err);
        }
    }

    /// Writes the certificates that changed since last written. A write the disk
    /// refuses is logged and not tried again until the certificate changes: it only
    /// costs knowing it across a restart.
    async fn save_certificates(&mut self, watched: &Snapshot, now: SystemTime) {
        let mut seen = Vec::new();
        for service in &watched.services {
            let Some(certificate) = &service.certificate else {
                continue;
            };
            let name = &service.config.name;
            let known = self.certificates.get(name);
            if known.is_some_and(|k| Arc::ptr_eq(k, certificate) || **k == **certificate) {
                continue;
            }
            self.certificates
                .insert(name.clone(), Arc::clone(certificate));
            seen.push((name.clone(), Arc::clone(certificate)));
        }
        if let Err(err) = self.store.save_certificates(&seen, now).await {
            store_failed(&err);
        }
    }

    /// Writes that `service` is paused or not, so a restart keeps it so. A write the
    /// disk refuses is logged; the pause holds for this run all the same.
    pub async fn save_paused(&mut self, service: &str, paused: bool, now: SystemTime) {
        if let Err(err) = self.store.save_paused(service, paused, now).await {
            error!(
                event = events::ALERT_STORE_FAILED,
                service,
                paused,
                error = %err,
            );
        }
    }

    /// lookout's own trouble, as the next snapshot shows it and the alert engine watches
    /// it: the state directory not taking writes, and the notice channels.
    pub fn health(&mut self) -> (Option<Arc<StoreTrouble>>, Option<Arc<NoticeHealth>>) {
        let store = self.unsaved.trouble().map(Arc::new);
        (store, Some(Arc::new(self.health.view())))
    }

    /// Evaluates every condition on `watched` (a snapshot but for its alerts), saves,
    /// logs and notifies what changed, and gives the forwarders and the caller the alert
    /// lists.
    pub async fn evaluate(&mut self, watched: &Snapshot, now: SystemTime) -> AlertLists {
        let changes = self.engine.evaluate(watched, now);
        // A stat of the database and of the lock once a second (evaluations come up to
        // ten times as often): their deletion is noticed then, not at the next ack.
        let look = now.duration_since(self.looked).unwrap_or_default() >= LOOK_EVERY;
        if look {
            self.looked = now;
        }
        let moved = look && (self.store.moved_away().is_some() || self.lock.moved_away());
        let active = self.engine.active();
        let edited = self.unsaved.add_edited(&active);
        let settled = self.owing.settle(self.health.take_settled());
        let delivered = self.unsaved.add_settled(settled);
        if changes.is_empty() && (edited || delivered || self.unsaved.due(now) || moved) {
            // Failures are logged by `Unsaved`; the next try is a second later.
            let _ = self.save(now).await;
        }
        // Failures are logged by `Unsaved`, and what failed is written again later.
        let _ = self.record(changes, now).await;
        let lists = AlertLists {
            active,
            history: self.engine.history(),
        };
        self.forwarding.offer(&lists.active, &lists.history);
        self.save_certificates(watched, now).await;
        self.prune_if_due(now).await;
        lists
    }

    /// Keeps the history bounded on disk: at start, then once an hour.
    async fn prune_if_due(&mut self, now: SystemTime) {
        if now.duration_since(self.pruned).unwrap_or_default() < PRUNE_EVERY {
            return;
        }
        self.pruned = now;
        let alerts = &self.config.alerts;
        if let Err(err) = self
            .store
            .prune(now, alerts.history_keep, alerts.history_max)
            .await
        {
            store_failed(&err);
        }
    }

    /// Writes what waits, holding the state directory's lock. A failed write lets go of
    /// the lock as the store lets go of the database, so that nothing of lookout's keeps
    /// a failing disk from being unmounted and repaired under it; the lock is taken again
    /// before the next try. Should another engine have taken the directory meanwhile,
    /// this one no longer owns it: it says so and stops.
    async fn save(&mut self, now: SystemTime) -> Result<(), StoreError> {
        if let Some(what) = self.store.moved_away() {
            self.remake(what, now).await?;
        }
        self.hold_the_lock(now)?;
        let saved = self.unsaved.write(&self.store, now).await;
        if saved.is_err() {
            self.lock.release();
        }
        saved
    }

    /// Takes the state directory's lock again if it was let go; another engine holding
    /// it now stops this one.
    fn hold_the_lock(&mut self, now: SystemTime) -> Result<(), StoreError> {
        if self.lock.moved_away() {
            let path = self.lock.dir().join(crate::state_dir::lock::FILE_NAME);
            let gone = StoreError::Lock(format!(
                "the lock file {} was deleted or replaced under lookout: it is taken again",
                path.display()
            ));
            self.unsaved.failed(&gone, now);
            self.lock.release();
        }
        let Err(err) = self.lock.retake() else {
            return Ok(());
        };
        if matches!(err, LockError::Held { .. }) {
            error!(event = events::STATE_DIR_TAKEN, error = %err);
            self.engine_cancel.cancel();
        }
        let err = StoreError::Lock(err.to_string());
        self.unsaved.failed(&err, now);
        Err(err)
    }

    /// The database was deleted (with the whole state directory, maybe) or replaced
    /// under lookout: says so, takes the lock anew (its file may have gone too), makes
    /// the database again, and queues everything held in memory for it: open alerts,
    /// the history kept, live silences. Nothing acked or silenced is lost.
    async fn remake(&mut self, what: &'static str, now: SystemTime) -> Result<(), StoreError> {
        let gone = StoreError::Gone {
            path: self.store.path().to_owned(),
            what,
        };
        self.unsaved.failed(&gone, now);
        self.lock.release();
        self.hold_the_lock(now)?;
        let store = match AlertStore::open(&self.config.general.state_dir).await {
            Ok(store) => store,
            Err(err) => {
                self.unsaved.failed(&err, now);
                return Err(err);
            }
        };
        std::mem::replace(&mut self.store, store).close().await;
        let mut alerts = self.engine.active();
        alerts.extend(self.engine.history());
        (self.unsaved).add_all(alerts, self.engine.silences(), self.owing.all());
        Ok(())
    }

    /// When the engine must look again even if nothing else changes (or changes the
    /// store refused are to be written again).
    pub fn next_due(&self) -> Option<SystemTime> {
        match (self.engine.next_due(), self.unsaved.retry_at()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Carries out an ack, unack, silence or unsilence; done means written to disk.
    pub async fn command(&mut self, command: &Command, now: SystemTime) -> Done {
        let outcome = match command {
            Command::Ack {
                alert, by, note, ..
            } => {
                let ack = Ack {
                    by: by.clone(),
                    at: now,
                    note: note.clone(),
                };
                self.engine
                    .ack(*alert, ack)
                    .map(|changes| (*alert, changes))
            }
            Command::Unack { alert, .. } => self
                .engine
                .unack(*alert, now)
                .map(|changes| (*alert, changes)),
            Command::Silence {
                target,
                duration,
                by,
                comment,
                ..
            } => {
                let (silence, changes) = self.engine.silence(
                    target.clone(),
                    *duration,
                    by.clone(),
                    comment.clone(),
                    now,
                );
                Ok((silence.id, changes))
            }
            Command::Unsilence { silence, .. } => self
                .engine
                .unsilence(*silence, now)
                .map(|changes| (*silence, changes)),
            _ => return Err(NotDone::Refused("not an alert command".to_string())),
        };
        let (id, changes) = outcome.map_err(|err| NotDone::Refused(err.to_string()))?;
        match self.record(changes, now).await {
            Ok(()) => Ok(id),
            Err(err) => Err(NotDone::Unsaved {
                id,
                why: format!("done, but not saved yet (saving again each second): {err}"),
            }),
        }
    }

    /// Takes a reloaded config: new rules and windows, new notify channels, new
    /// Alertmanagers to forward to. The old channels stop at once, and what they still
    /// owed goes to the new channels of the same name (a notice held for a wrong URL goes
    /// to the corrected one). What a removed channel owed goes to the channels that never
    /// had it (a channel renamed, a pager replaced), or, with none, is given up, logged.
    pub async fn reload(&mut self, config: &Config, now: SystemTime) {
        self.engine.set_config(&config.alerts);
        self.forwarding.reload(&config.alertmanagers);
        if config.notify != self.config.notify {
            let cancel = self.engine_cancel.child_token();
            let new = Notifier::start(&config.notify, &cancel, &self.health);
            let old = std::mem::replace(&mut self.notifier, new);
            std::mem::replace(&mut self.notifier_cancel, cancel).cancel();
            old.stopped().await;
            // What the old workers got through before they stopped is not sent again.
            let settled = self.owing.settle(self.health.take_settled());
            self.unsaved.add_settled(settled);
            self.resume_owed(now).await;
        }
        self.config = config.clone();
    }

    /// Stops the notifiers (what they still owe stays in the outbox, sent when lookout
    /// starts again; what they delivered is deleted from it) and the forwarders, and
    /// closes the store.
    pub async fn stop(mut self) {
        self.notifier_cancel.cancel();
        self.notifier.stopped().await;
        let settled = self.owing.settle(self.health.take_settled());
        if self.unsaved.add_settled(settled) {
            // A failure is logged; the notices are then sent again at the next start.
            let _ = self.unsaved.write(&self.store, SystemTime::now()).await;
        }
        self.forwarding.stop().await;
        self.store.close().await;
    }

    /// Saves `changes` with the notices they owe, logs them and hands the notices to
    /// their channels, in that order. What the store refuses stays
    /// in `unsaved`, written again each second; the changes are logged and notified all
    /// the same (an alert is no less true for a full disk), and the error is returned for
    /// a command to report.
    async fn record(
        &mut self,
        changes: Vec<AlertEvent>,
        now: SystemTime,
    ) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut owed: Vec<OwedNotice> = Vec::new();
        for change in &changes {
            if let AlertEvent::Changed { alert, change } = change
                && change.notifies(alert)
                && let Some(kind) = notice_kind(*change)
            {
                owed.extend(self.owing.owe(&self.notifier, kind, alert, now));
            }
        }
        self.unsaved.add(&changes);
        self.unsaved.add_owed(&owed);
        let saved = self.save(now).await;
        for change in changes {
            match change {
                AlertEvent::Changed { alert, change } => log_change(&alert, change),
                AlertEvent::SilenceAdded(silence) => log_silence(events::SILENCE_ADDED, &silence),
                AlertEvent::SilenceEnded(silence) => log_silence(events::SILENCE_ENDED, &silence),
            }
        }
        let given_up = self.owing.send(&self.notifier, &owed);
        self.unsaved.add_settled(given_up);
        saved
    }
}

/// The notice a change sends (a page held back by a silence goes out as firing when it
/// ends).
fn notice_kind(change: AlertChange) -> Option<NoticeKind> {
    match change {
        AlertChange::Firing | AlertChange::Released => Some(NoticeKind::Firing),
        AlertChange::Reminder => Some(NoticeKind::Reminder),
        AlertChange::Worsened => Some(NoticeKind::Worsened),
        AlertChange::Resolved => Some(NoticeKind::Resolved),
        AlertChange::Ended => Some(NoticeKind::Ended),
        _ => None,
    }
}
