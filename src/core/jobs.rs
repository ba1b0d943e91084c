//! The job monitor as the core holds it: started with the engine when the config has a
//! `[jobs]` section, steered by commands, replaced when a reload changes `[jobs]`.

use std::time::SystemTime;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, JobsConfig};
use crate::event::Event;
use crate::jobs::Monitor;

/// The monitor of the config in use, if it has `[jobs]`.
pub struct JobsSlot {
    running: Option<(Monitor, mpsc::Receiver<Event>)>,
    clock: fn() -> SystemTime,
    cancel: CancellationToken,
}

impl JobsSlot {
    /// Starts the monitor of `config`'s `[jobs]`, on when `enabled`.
    pub fn start(config: &Config, clock: fn() -> SystemTime, cancel: &CancellationToken) -> Self {
        let running = config
            .jobs
            .as_ref()
            .map(|jobs| Monitor::start(jobs, jobs.enabled, clock, cancel));
        Self {
            running,
            clock,
            cancel: cancel.clone(),
        }
    }

    /// The monitor's next picture; never resolves without a monitor.
    pub async fn next(&mut self) -> Option<Event> {
        match &mut self.running {
            Some((_, events)) => events.recv().await,
            None => std::future::pending().await,
        }
    }

    pub fn set_running(&self, on: bool) {
        if let Some((monitor, _)) = &self.running {
            monitor.set_running(on);
        }
    }

    pub fn run_now(&self) {
        if let Some((monitor, _)) = &self.running {
            monitor.run_now();
        }
    }

    pub fn preview(&self, sequence: u64) {
        if let Some((monitor, _)) = &self.running {
            monitor.preview(sequence);
        }
    }

    /// Follows a reloaded config: an unchanged `[jobs]` keeps its monitor (and its
    /// totals); a changed one starts a new monitor, on if the old one was on — unless
    /// `enabled` itself changed, which then decides. `was_running` is the old
    /// monitor's state as last reported. Returns true when the monitor was replaced
    /// (its old picture no longer holds).
    pub fn reload(&mut self, new: Option<&JobsConfig>, was_running: bool) -> bool {
        let old = self.running.as_ref().map(|(m, _)| m.config());
        if old == new {
            return false;
        }
        let running = match (old, new) {
            (Some(old), Some(new)) if old.enabled == new.enabled => was_running,
            (_, new) => new.is_some_and(|n| n.enabled),
        };
        if let Some((monitor, _)) = self.running.take() {
            monitor.abandon();
        }
        self.running = new.map(|jobs| Monitor::start(jobs, running, self.clock, &self.cancel));
        true
    }

    /// Stops the monitor and waits for its task.
    pub async fn stop(&mut self) {
        if let Some((monitor, _)) = self.running.take() {
            monitor.stop().await;
        }
    }
}
