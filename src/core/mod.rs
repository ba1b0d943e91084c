//! The core task: the one place state changes. It applies poller events (checks and
//! samples of the machine), carries out frontend commands (config reloads included),
//! writes the log lines of what changed, and publishes the newest snapshot on a watch
//! channel.

mod alerting;
mod jobs;
mod lines;
mod lines_alerts;
mod lines_jobs;
mod lines_remote;
mod owing;
mod remote;
mod unsaved;

pub use alerting::Alerting;
pub use jobs::JobsSlot;
pub use remote::{RemoteSlot, SilenceAsked};

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::config::{self, Config};
use crate::event::{Command, Event};
use crate::probe::{ProbeControl, Receivers};
use crate::reload::{self, FileStamp};
use crate::sources::prometheus::discovery::{self, TargetSets};
use crate::state::State;
use crate::state::store::ReloadSummary;
use crate::view::alert::AlertView;
use crate::view::alertmanager::AlertmanagerView;
use crate::view::check::ServiceId;
use crate::view::snapshot::{ReloadNotice, Snapshot};

/// The longest a change waits before frontends see it. Checks arriving within it share one
/// snapshot, so the cost of publishing does not grow with the check rate; the screen
/// draws new data at most every 250 ms anyway.
pub const PUBLISH_DELAY: Duration = Duration::from_millis(100);

/// How often the config file is looked at when `[general] watch` is on.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// The core's inputs and outputs.
pub struct Core<P> {
    pub state: State,
    /// The config in use; reloads read its `source` again.
    pub config: Config,
    /// Results of the checks and samples, from both generations of pollers.
    pub events: Receivers,
    pub commands: mpsc::Receiver<Command>,
    pub probes: P,
    pub publish: watch::Sender<Snapshot>,
    /// The wall clock; injected so tests decide what "now" is.
    pub clock: fn() -> SystemTime,
    pub alerting: Alerting,
    /// The job monitor, when the config has `[jobs]`.
    pub jobs: JobsSlot,
    /// The `[[alertmanager]]`s read for the pane.
    pub remote: RemoteSlot,
    /// The scrape targets found so far: their cards follow each change, and each reload
    /// adds them to the config read.
    pub targets: watch::Receiver<Arc<TargetSets>>,
    /// Commands carried out so far (`Snapshot::acted`).
    pub acted: u64,
}

/// The tokio instant `at` falls on, seen from the wall clock's `now`.
fn instant_at(at: SystemTime, now: SystemTime) -> tokio::time::Instant {
    let wait = at.duration_since(now).unwrap_or_default();
    tokio::time::Instant::now() + wait
}

async fn sleep_until_due(due: Option<tokio::time::Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl<P: ProbeControl> Core<P> {
    /// Runs until cancelled, then waits for the checks to stop.
    pub async fn run(mut self, cancel: CancellationToken) {
        self.take_up_pauses().await;
        let mut gone = Vec::new();
        for (name, certificate) in self.alerting.take_certificates() {
            match self.state.id_of(&name) {
                Some(id) => self.state.restore_certificate(id, certificate),
                None => gone.push(name),
            }
        }
        self.alerting.forget_certificates(&gone).await;
        // An alert's `for`, a reminder or a silence's end: look again then. Only a
        // publish (which evaluates the alerts) moves it.
        let mut due = self.publish().await;
        let publish_at = tokio::time::sleep(PUBLISH_DELAY);
        tokio::pin!(publish_at);
        let mut watch = tokio::time::interval(WATCH_INTERVAL);
        watch.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut stamp = FileStamp::read(&self.config.source);
        let mut checks: u64 = 0;
        // With no services (or once every poller has hung up) there are no events, but
        // commands and reloads still are.
        let mut gone = Gone::default();
        // No `targets = true` Prometheus: no target sets will come.
        let mut discovery_gone = false;
        loop {
            let waiting = self.state.has_changes() || self.remote.has_changes();
            tokio::select! {
                biased;
                () = cancel.cancelled() => break,
                Some(command) = self.commands.recv() => {
                    // A person pressed a key: show the result now.
                    self.handle(command).await;
                    self.acted += 1;
                    due = self.publish().await;
                    // A reload may have started new pollers.
                    gone = Gone::default();
                }
                changed = self.targets.changed(), if !discovery_gone => {
                    if changed.is_err() {
                        discovery_gone = true;
                        continue;
                    }
                    self.follow_targets().await;
                    due = self.publish().await;
                    gone.targets = false;
                }
                () = &mut publish_at, if waiting => due = self.publish().await,
                () = sleep_until_due(due), if due.is_some() => due = self.publish().await,
                _ = watch.tick(), if self.config.general.watch => {
                    let now = FileStamp::read(&self.config.source);
                    if now.is_some() && now != stamp {
                        stamp = now;
                        self.reload("file changed").await;
                        due = self.publish().await;
                        gone = Gone::default();
                    }
                }
                Some(reading) = self.remote.next() => {
                    if !waiting {
                        publish_at.as_mut().reset(tokio::time::Instant::now() + PUBLISH_DELAY);
                    }
                    self.remote.apply(reading, (self.clock)());
                }
                Some(event) = self.jobs.next() => {
                    if !waiting {
                        publish_at.as_mut().reset(tokio::time::Instant::now() + PUBLISH_DELAY);
                    }
                    self.record(event, checks);
                }
                event = next_event(&mut self.events, &mut gone), if !gone.both() => {
                    let Some(event) = event else {
                        continue;
                    };
                    if !waiting {
                        publish_at.as_mut().reset(tokio::time::Instant::now() + PUBLISH_DELAY);
                    }
                    if matches!(event, Event::Checked(_)) {
                        checks += 1;
                    }
                    self.record(event, checks);
                }
            }
        }
        if self.state.has_changes() || self.remote.has_changes() {
            self.publish().await;
        }
        self.probes.stopped().await;
        self.jobs.stop().await;
        self.remote.stop().await;
        self.alerting.stop().await;
    }

    fn record(&mut self, event: Event, check_id: u64) {
        let sample = match event {
            Event::System(sample) => sample,
            Event::Jobs(view) => {
                let old = self.state.jobs();
                lines_jobs::changed(old.as_deref(), &view);
                if let Some(pass) = self.state.apply_jobs(*view)
                    && let Some(view) = self.state.jobs()
                {
                    lines_jobs::pass(&view, &pass);
                }
                return;
            }
            Event::Checked(result) => {
                if let Some(service) = self.state.service(result.service) {
                    lines::check_completed(check_id, service, &result);
                }
                if let Some(transition) = self.state.apply(Event::Checked(result), check_id) {
                    lines::state_changed(&transition);
                }
                return;
            }
        };
        let applied = self.state.apply_system(*sample);
        for change in &applied.changes {
            lines::threshold_crossed(change);
        }
        if applied.log_sample
            && let Some(sample) = self.state.system().and_then(|s| s.latest())
        {
            lines::system_sample(sample);
        }
    }

    /// Builds the snapshot from finished parts, in one place: what the alert engine
    /// watches (the services, the machine, the jobs, the Alertmanagers, lookout's own
    /// trouble), then the alerts it finds there (saved, logged and notified), with the
    /// Alertmanagers' rows among them in pane order; hands it to the frontends and
    /// returns when the alerts must be looked at again.
    async fn publish(&mut self) -> Option<tokio::time::Instant> {
        let now = (self.clock)();
        self.remote.take_changed();
        let (store, notices) = self.alerting.health();
        let watched = Snapshot {
            alertmanagers: self.remote.views(),
            notice: self.remote.notice(),
            store,
            notices,
            acted: self.acted,
            ..self.state.snapshot(now)
        };
        let lists = self.alerting.evaluate(&watched, now).await;
        let snapshot = Snapshot {
            alerts: in_pane_order(lists.active, &watched.alertmanagers),
            alert_history: lists.history,
            ..watched
        };
        self.publish.send_replace(snapshot);
        self.alerting.next_due().map(|at| instant_at(at, now))
    }

    async fn handle(&mut self, command: Command) {
        match command {
            Command::CheckNow(name) => {
                if let Some(id) = self.state.id_of(&name) {
                    self.probes.check_now(id);
                }
            }
            Command::TogglePause(name) => {
                if let Some(id) = self.state.id_of(&name)
                    && let Some(paused) = self.state.toggle_pause(id)
                {
                    self.paused_changed(id, paused).await;
                }
            }
            Command::SetPaused(name, paused) => {
                if let Some(id) = self.state.id_of(&name)
                    && self.state.set_paused(id, paused) == Some(true)
                {
                    self.paused_changed(id, paused).await;
                }
            }
            Command::Reload(trigger) => self.reload(trigger).await,
            Command::SetJobsRunning(on) => self.jobs.set_running(on),
            Command::RunJobsPass => self.jobs.run_now(),
            Command::PreviewJobsPass(sequence) => self.jobs.preview(sequence),
            Command::SilenceRemote {
                alert,
                duration,
                by,
                comment,
                reply,
            } => {
                let asked = SilenceAsked {
                    duration,
                    by,
                    comment,
                    reply,
                };
                self.remote.silence(alert, asked, (self.clock)());
            }
            Command::ExpireRemote { alert, reply } => {
                self.remote.expire(alert, reply, (self.clock)());
            }
            Command::Ack { ref reply, .. }
            | Command::Unack { ref reply, .. }
            | Command::Silence { ref reply, .. }
            | Command::Unsilence { ref reply, .. } => {
                let done = self.alerting.command(&command, (self.clock)()).await;
                if let Some(reply) = reply {
                    reply.send(done);
                }
            }
        }
    }

    async fn paused_changed(&mut self, id: ServiceId, paused: bool) {
        self.probes.set_paused(id, paused);
        if let Some(service) = self.state.service(id).cloned() {
            lines::paused(&service, paused);
            let now = (self.clock)();
            self.alerting.save_paused(&service.name, paused, now).await;
        }
    }

    fn paused_names(&self) -> Vec<String> {
        (self.state.paused())
            .filter_map(|id| self.state.service(id).map(|s| s.name.clone()))
            .collect()
    }

    /// A paused service the config no longer has is forgotten, so one of the same name
    /// added later starts unpaused, in this run and after a restart; so is the last
    /// certificate of a service removed or now checking something else.
    async fn forget_pauses_of_removed(&mut self, paused: Vec<String>, summary: &ReloadSummary) {
        let now = (self.clock)();
        for name in paused.iter().filter(|name| summary.removed.contains(name)) {
            self.alerting.save_paused(name, false, now).await;
        }
        let checked_anew = [summary.removed.as_slice(), &summary.changed].concat();
        self.alerting.forget_certificates(&checked_anew).await;
    }

    /// Pauses again the services paused when lookout last stopped; those no longer in
    /// the config are forgotten (one of the same name added later starts unpaused).
    async fn take_up_pauses(&mut self) {
        let now = (self.clock)();
        for name in self.alerting.take_paused() {
            match self.state.id_of(&name) {
                Some(id) => {
                    if self.state.set_paused(id, true) == Some(true) {
                        self.probes.set_paused(id, true);
                        if let Some(service) = self.state.service(id) {
                            lines::paused(service, true);
                        }
                    }
                }
                None => self.alerting.save_paused(&name, false, now).await,
            }
        }
    }

    /// The scrape targets found changed: their cards follow, from the config in use (the
    /// file is not read again, so a half-edited one is not picked up), and only the
    /// target cards' checks restart. Cards of targets that stay keep their history.
    async fn follow_targets(&mut self) {
        let found = Arc::clone(&self.targets.borrow_and_update());
        let own = discovery::without_targets(self.config.clone());
        let new = discovery::with_targets(own, &found);
        if new.services == self.config.services {
            return;
        }
        let paused = self.paused_names();
        let summary = self.state.reload(&new, (self.clock)());
        self.forget_pauses_of_removed(paused, &summary).await;
        self.events.targets = self.probes.restart_targets(&new);
        for id in self.state.paused().collect::<Vec<_>>() {
            self.probes.set_paused(id, true);
        }
        lines::targets_changed(&new, &summary);
        self.alerting.reload(&new, (self.clock)()).await;
        self.config = new;
    }

    /// Reads the config file again; a valid one replaces the running config (services
    /// whose check is unchanged keep their history), an invalid one is reported and the
    /// running config stays.
    async fn reload(&mut self, trigger: &str) {
        let now = (self.clock)();
        let sequence = self.state.reload_sequence() + 1;
        let source = self.config.source.clone();
        let loaded = if source.as_os_str() == config::BUILT_IN_SOURCE {
            Err(None)
        } else {
            config::load(&source)
                .map(|new| discovery::with_targets(new, &self.targets.borrow_and_update()))
                .map_err(Some)
        };
        let (accepted, summary, keys) = match loaded {
            Ok(new) => {
                let paused = self.paused_names();
                let summary = self.state.reload(&new, now);
                self.forget_pauses_of_removed(paused, &summary).await;
                for change in self.state.reload_system(&new) {
                    lines::threshold_crossed(&change);
                }
                self.events = self.probes.restart(&new);
                for id in self.state.paused().collect::<Vec<_>>() {
                    self.probes.set_paused(id, true);
                }
                let restart = reload::needs_restart(&self.config, &new);
                lines::reloaded(trigger, &new, &summary, &restart);
                self.alerting.reload(&new, (self.clock)()).await;
                self.remote.reload(&new.alertmanagers);
                let was_running = self.state.jobs().is_some_and(|j| j.running);
                if self.jobs.reload(new.jobs.as_ref(), was_running) {
                    self.state.clear_jobs();
                }
                let line = reload::accepted_line(&self.config, &new, &summary);
                let keys = new.keys.clone();
                self.config = new;
                (true, line, Some(keys))
            }
            Err(Some(errors)) => {
                lines::rejected(trigger, &source, &errors);
                (false, reload::rejected_line(&errors), None)
            }
            Err(None) => (
                false,
                "the demo's services are built in: there is no config file to reload".to_string(),
                None,
            ),
        };
        self.state.set_reload_notice(ReloadNotice {
            sequence,
            at: now,
            accepted,
            summary,
            keys,
        });
    }
}

/// Which generations of pollers have hung up.
#[derive(Default)]
struct Gone {
    own: bool,
    targets: bool,
}

impl Gone {
    fn both(&self) -> bool {
        self.own && self.targets
    }
}

/// The next result from either generation of pollers; `None` when one hung up (marked
/// in `gone`). Must not be called with both gone.
async fn next_event(events: &mut Receivers, gone: &mut Gone) -> Option<Event> {
    tokio::select! {
        event = events.own.recv(), if !gone.own => {
            gone.own = event.is_none();
            event
        }
        event = events.targets.recv(), if !gone.targets => {
            gone.targets = event.is_none();
            event
        }
    }
}

/// lookout's alerts and every Alertmanager's, in pane order (the alert engine and the
/// forwarders see lookout's only).
fn in_pane_order(
    own: Vec<Arc<AlertView>>,
    alertmanagers: &[Arc<AlertmanagerView>],
) -> Vec<Arc<AlertView>> {
    if alertmanagers.iter().all(|am| am.alerts.is_empty()) {
        return own;
    }
    let mut alerts = own;
    for am in alertmanagers {
        alerts.extend(am.alerts.iter().cloned());
    }
    alerts.sort_by(|a, b| AlertView::pane_order(a, b));
    alerts
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_jobs;
#[cfg(test)]
mod tests_targets;
